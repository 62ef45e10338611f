"""The hearing importer (OS2agora JSON:API), fed with recorded pages; no network but 127.0.0.1."""

import http.server
import json
import logging
import threading
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from sammen.core.tests.factories import department
from sammen.participation.importers import os2agora
from sammen.participation.models import Opportunity, OpportunityChange, OpportunityStatus
from sammen.participation.tests.factories import OpportunityFactory

RECORDED = Path(__file__).resolve().parent / "recorded"
NOW = datetime(2025, 2, 15, 12, 0, tzinfo=UTC)
FIRST_RUN = {1: "page-1.json", 2: "page-2.json", 3: "page-empty.json"}
SECOND_RUN = {1: "page-1-updated.json", 2: "page-2-updated.json", 3: "page-empty.json"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_portal(settings):
    settings.OS2AGORA_PUBLIC_URL = "https://blivhoert.kk.dk"


def recorded(pages: dict[int, str]) -> os2agora.Fetcher:
    """A fetcher answering each page index with a recorded file (an empty page after the last)."""

    def fetch(page_index: int, page_size: int) -> bytes:
        name = pages.get(page_index, "page-empty.json")
        if name is None:
            raise os2agora.SourceError(f"page {page_index}: HTTP 503")
        return (RECORDED / name).read_bytes()

    return fetch


def run(pages: dict[int, str], **kwargs) -> os2agora.ImportReport:
    return os2agora.hearings_import(fetch=recorded(pages), now=kwargs.pop("now", NOW), **kwargs)


def imported(external_id: str) -> Opportunity:
    return Opportunity.objects.get(source="os2agora", external_id=external_id)


def test_the_sample_page_imports_hearing_107():
    report = run({1: "hearing-page-sample.json"})

    assert report.complete
    hearing = imported("107")
    assert hearing.title == "Nordre Fasanvej Nord - forslag til lokalplan"
    assert hearing.channel.slug == "hoering"
    assert hearing.deadline == datetime(2025, 1, 10, tzinfo=UTC)
    assert hearing.status_at(NOW) == OpportunityStatus.CLOSED


def test_a_complete_read_creates_the_public_hearings_and_skips_drafts():
    report = run(FIRST_RUN)

    assert report.complete
    assert report.pages == 2
    assert (report.created, report.skipped, report.failed, report.withdrawn) == (4, 1, 2, 0)
    assert set(Opportunity.objects.values_list("external_id", flat=True)) == {
        "201",
        "202",
        "107",
        "204",
    }
    assert not Opportunity.objects.filter(external_id="203").exists()  # Kladde: a draft


def test_an_imported_hearing_carries_its_texts_dates_contact_and_link():
    run(FIRST_RUN)

    hearing = imported("201")
    assert hearing.title == "Forslag til lokalplan Valby Maskinfabrik"
    assert hearing.summary.startswith("Lokalplanen giver mulighed for ca. 600 nye boliger")
    assert "offentlig høring." in hearing.body
    assert "<p>" not in hearing.body and "\n\n" in hearing.body
    assert hearing.start_at == datetime(2025, 2, 3, 8, 0, tzinfo=UTC)
    assert hearing.deadline == datetime(2025, 3, 31, 21, 59, tzinfo=UTC)
    assert hearing.contact_name == "Lise Holm"
    assert hearing.contact_email == "lokalplaner@tmf.kk.dk"
    assert hearing.external_url == "https://blivhoert.kk.dk/hearing/201"
    assert hearing.is_published and hearing.published_at == NOW
    assert hearing.withdrawn_at is None
    assert list(hearing.departments.values_list("abbreviation", flat=True)) == ["TMF"]
    assert hearing.search_stems  # filled by search.stems_for
    assert hearing.status_at(NOW) == OpportunityStatus.OPEN


def test_a_hearing_awaiting_its_start_date_is_published_as_upcoming():
    run(FIRST_RUN)

    hearing = imported("202")
    assert hearing.is_published
    assert hearing.start_at > NOW
    assert hearing.status_at(NOW) == OpportunityStatus.UPCOMING


def test_a_concluded_hearing_with_a_conclusion_gets_its_outcome():
    run(FIRST_RUN)

    hearing = imported("107")
    assert hearing.outcome.startswith("Borgerrepræsentationen vedtog lokalplanen")
    assert hearing.outcome_published_at == NOW
    assert hearing.status_at(NOW) == OpportunityStatus.OUTCOME_PUBLISHED
    assert imported("204").outcome == ""  # awaiting its conclusion: closed, no outcome yet


def test_a_summary_found_through_the_fields_type_and_the_older_content_attribute():
    run(FIRST_RUN)

    assert imported("204").summary.startswith("Børne- og Ungdomsudvalget vil høre forældre")
    # +01:00 in the source, stored in UTC
    assert imported("204").deadline == datetime(2025, 2, 1, 22, 59, tzinfo=UTC)


def test_hearings_without_title_or_with_a_bad_date_are_logged_and_left_out(caplog):
    with caplog.at_level(logging.WARNING, logger="sammen.import"):
        run(FIRST_RUN)

    assert not Opportunity.objects.filter(external_id__in=["205", "206"]).exists()
    messages = [r.getMessage() for r in caplog.records if r.name == "sammen.import"]
    assert "os2agora hearing 205: not imported: no title" in messages
    assert any(m.startswith("os2agora hearing 206: not imported: deadline") for m in messages)


def test_running_again_with_the_same_answers_changes_nothing():
    run(FIRST_RUN)
    changes = OpportunityChange.objects.count()

    report = run(FIRST_RUN, now=datetime(2025, 2, 16, tzinfo=UTC))

    assert (report.created, report.updated, report.unchanged, report.withdrawn) == (0, 0, 4, 0)
    assert Opportunity.objects.filter(source="os2agora").count() == 4
    assert OpportunityChange.objects.count() == changes


def test_each_import_writes_a_change_row_without_a_user():
    run(FIRST_RUN)

    change = imported("201").changes.get()
    assert change.action == OpportunityChange.Action.IMPORTED
    assert change.by is None
    assert change.changes["title"] == [None, "Forslag til lokalplan Valby Maskinfabrik"]


def test_the_next_run_updates_changed_hearings_and_withdraws_the_one_that_disappeared():
    run(FIRST_RUN)
    later = datetime(2025, 2, 20, tzinfo=UTC)

    report = run(SECOND_RUN, now=later)

    assert report.complete
    assert (report.created, report.updated, report.withdrawn) == (0, 1, 1)
    updated = imported("201")
    assert updated.title == "Forslag til lokalplan Valby Maskinfabrik (revideret)"
    assert updated.deadline == datetime(2025, 4, 14, 21, 59, tzinfo=UTC)
    assert updated.changes.first().changes["deadline"] == [
        "2025-03-31T21:59:00+00:00",
        "2025-04-14T21:59:00+00:00",
    ]
    gone = imported("204")
    assert gone.withdrawn_at == later
    assert gone.changes.first().action == OpportunityChange.Action.WITHDRAWN
    # 205 and 206 are still listed, only unreadable: they are never taken for withdrawn.
    assert imported("107").withdrawn_at is None


def test_a_withdrawn_hearing_that_reappears_is_restored():
    run(FIRST_RUN)
    run(SECOND_RUN, now=datetime(2025, 2, 20, tzinfo=UTC))

    report = run(FIRST_RUN, now=datetime(2025, 2, 21, tzinfo=UTC))

    assert imported("204").withdrawn_at is None
    assert report.withdrawn == 0


def test_a_public_hearing_that_turns_back_into_a_draft_is_withdrawn(tmp_path):
    run(FIRST_RUN)
    page = json.loads((RECORDED / "page-1.json").read_text())
    page["data"][0]["relationships"]["hearingStatus"]["data"]["id"] = "2"  # Kladde
    (tmp_path / "p1.json").write_text(json.dumps(page))

    def fetch(page_index, page_size):
        if page_index == 1:
            return (tmp_path / "p1.json").read_bytes()
        return recorded(FIRST_RUN)(page_index, page_size)

    os2agora.hearings_import(fetch=fetch, now=NOW)

    assert imported("201").withdrawn_at == NOW


@pytest.mark.parametrize(
    ("pages", "error"),
    [
        (
            {1: "page-1-updated.json", 2: "page-malformed.json"},
            "page 2: not JSON (JSONDecodeError)",
        ),
        ({1: "page-1-updated.json", 2: "page-error.json"}, "page 2: no `data` list"),
        ({1: "page-1-updated.json", 2: None}, "page 2: HTTP 503"),
    ],
)
def test_a_partial_read_updates_what_it_read_but_withdraws_nothing(pages, error, caplog):
    run(FIRST_RUN)

    with caplog.at_level(logging.ERROR, logger="sammen.import"):
        report = run(pages, now=datetime(2025, 2, 20, tzinfo=UTC))

    assert not report.complete
    assert report.errors == [error]
    assert report.withdrawn == 0
    assert not Opportunity.objects.filter(withdrawn_at__isnull=False).exists()
    assert imported("201").title.endswith("(revideret)")  # page 1 was read and is kept
    assert any(
        "import stopped, nothing withdrawn" in r.getMessage() and error in r.getMessage()
        for r in caplog.records
    )


def test_a_source_that_suddenly_lists_nothing_withdraws_nothing(caplog):
    run(FIRST_RUN)

    with caplog.at_level(logging.WARNING, logger="sammen.import"):
        report = run({1: "page-empty.json"})

    assert report.complete and report.withdrawn == 0
    assert not Opportunity.objects.filter(withdrawn_at__isnull=False).exists()
    assert "lists no hearings at all" in caplog.text


def test_a_source_that_ignores_the_page_index_stops_with_an_error():
    report = os2agora.hearings_import(
        fetch=lambda page_index, page_size: (RECORDED / "page-1.json").read_bytes(), now=NOW
    )

    assert not report.complete
    assert report.errors == ["page 2 repeats page 1"]


def test_unknown_included_types_and_entries_that_are_not_hearings_are_ignored():
    page = {
        "data": [
            {"id": "x", "type": "announcement"},
            "nonsense",
            {
                "id": "301",
                "type": "hearing",
                "attributes": {"startDate": None, "deadline": "2025-03-01", "newThing": [1]},
                "relationships": {
                    "hearingStatus": {"data": {"id": "4", "type": "hearingStatus"}},
                    "contents": {"data": [{"id": "9", "type": "content"}]},
                    "somethingNew": {"data": None},
                },
            },
        ],
        "included": [
            {"id": "4", "type": "hearingStatus", "attributes": {"name": "Aktiv"}},
            {"id": "9", "type": "content", "attributes": {"textContent": "Høring om Amagerbro"},
             "relationships": {"field": {"data": {"id": "1", "type": "field"}}}},
            {"id": "1", "type": "mystery", "attributes": {}},
        ],
    }  # fmt: skip

    hearings, listed = os2agora.parse_page(json.dumps(page).encode())

    assert listed == {"301"}
    assert hearings[0].title == "Høring om Amagerbro"
    assert hearings[0].summary == "Høring om Amagerbro"  # no summary or body: the title
    assert hearings[0].deadline == datetime(2025, 3, 1, tzinfo=UTC)  # no zone: UTC


def test_a_hearing_the_database_refuses_is_counted_and_the_others_are_kept(caplog):
    page = json.loads((RECORDED / "page-1.json").read_text())
    page["data"][0]["attributes"]["contactPersonEmail"] = (
        "lise@tmf..kk.dk"  # looks like one, refused by the model
    )

    with caplog.at_level(logging.ERROR, logger="sammen.import"):
        report = os2agora.hearings_import(
            fetch=lambda i, s: json.dumps(page).encode() if i == 1 else b'{"data": []}', now=NOW
        )

    assert report.complete and report.failed == 1
    assert not Opportunity.objects.filter(external_id="201").exists()  # no half-written row
    assert not OpportunityChange.objects.filter(opportunity__external_id="201").exists()
    assert Opportunity.objects.filter(external_id="202").exists()
    assert "os2agora hearing 201: not saved, invalid contact_email" in caplog.text
    assert "lise@" not in caplog.text  # personal data stays out of the log


def test_departments_set_by_staff_survive_the_next_import():
    run(FIRST_RUN)
    hearing = imported("204")
    hearing.departments.set([department("BUF")])

    run(SECOND_RUN, now=datetime(2025, 2, 20, tzinfo=UTC))
    run(FIRST_RUN, now=datetime(2025, 2, 21, tzinfo=UTC))

    assert list(imported("204").departments.values_list("abbreviation", flat=True)) == ["BUF"]


def test_the_department_of_new_hearings_can_be_chosen():
    run({1: "hearing-page-sample.json"}, department="KFF")

    assert list(imported("107").departments.values_list("abbreviation", flat=True)) == ["KFF"]


def test_local_opportunities_are_never_withdrawn_by_the_importer():
    local = OpportunityFactory()

    run(FIRST_RUN)

    local.refresh_from_db()
    assert local.withdrawn_at is None


# --- the real HTTP code path, against a server on 127.0.0.1 ------------------------------------


class _RecordedPortal(http.server.BaseHTTPRequestHandler):
    pages: dict[int, str] = {}
    user_agents: list[str] = []

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self.user_agents.append(self.headers.get("User-Agent", ""))
        if url.path != "/api/hearing":
            self.send_error(404)
            return
        index = int(urllib.parse.parse_qs(url.query)["PageIndex"][0])
        name = self.pages.get(index, "page-empty.json")
        if name is None:
            self.send_error(502)
            return
        body = (RECORDED / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.api+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture
def portal():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RecordedPortal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _RecordedPortal.user_agents = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_the_command_reads_the_portal_over_http(portal, monkeypatch, capsys):
    monkeypatch.setattr(_RecordedPortal, "pages", FIRST_RUN)

    with override_settings(OS2AGORA_BASE_URL=portal):
        call_command("import_hearings", "--timeout", "5")

    assert "4 created" in capsys.readouterr().out
    assert imported("201").external_url == "https://blivhoert.kk.dk/hearing/201"
    assert _RecordedPortal.user_agents[0].startswith("SammenOmByen-hearing-import")


def test_the_command_fails_loudly_on_an_http_error_and_withdraws_nothing(portal, monkeypatch):
    monkeypatch.setattr(_RecordedPortal, "pages", FIRST_RUN)
    call_command("import_hearings", "--base-url", portal)
    monkeypatch.setattr(_RecordedPortal, "pages", {1: "page-1.json", 2: None})

    with pytest.raises(CommandError, match="page 2: HTTP 502"):
        call_command("import_hearings", "--base-url", portal)

    assert not Opportunity.objects.filter(withdrawn_at__isnull=False).exists()


def test_the_command_refuses_an_unknown_department():
    with pytest.raises(CommandError, match="No department"):
        call_command("import_hearings", "--department", "XYZ")


def test_an_unreachable_portal_is_a_clear_error():
    fetch = os2agora.http_fetcher("http://127.0.0.1:9", timeout=2)

    with pytest.raises(os2agora.SourceError, match="page 1: cannot connect"):
        fetch(1, 50)
