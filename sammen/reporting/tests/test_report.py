"""The generated report: what its snapshot holds, that it stays frozen when the data change, how a
year without data reads, and the pages that prepare, list and show it (permissions, queries,
bad input). Test indicators are registered here so the tests do not depend on which apps have
declared theirs; whatever the apps have registered is measured too."""

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory, department
from sammen.reporting import indicators, report
from sammen.reporting.indicators import TASK_CAMPAIGN, TASK_IDEAS, Measurement, Unit, indicator
from sammen.reporting.models import (
    AnnualReport,
    Financing,
    StatusEntry,
    Target,
    TargetDirection,
    Task,
    TrafficLight,
)

pytestmark = pytest.mark.django_db

YEAR = report.today().year - 1
COUNT_KEY = "test-report-ideas-received"
SHARE_KEY = "test-report-answered-in-time"
EMPTY_KEY = "test-report-reach"

# What the test indicators measure, per year; a year missing here has no data.
MEASURED: dict[str, dict[int, Measurement]] = {}


def _measure(key: str):
    def compute(period: indicators.Period) -> Measurement:
        return MEASURED[key].get(period.start.year, Measurement.no_data())

    return compute


@pytest.fixture
def test_indicators() -> Iterator[dict[str, dict[int, Measurement]]]:
    """Three indicators: a count with a breakdown by department (no data the year before), a share
    measured both years, and one with no data at all; removed from the registry afterwards."""
    MEASURED.clear()
    MEASURED[COUNT_KEY] = {
        YEAR: Measurement(1234, breakdown=(("TMF", 1000), ("KFF", 234)), note="of 1300")
    }
    MEASURED[SHARE_KEY] = {YEAR: Measurement(0.8), YEAR - 1: Measurement(0.75)}
    MEASURED[EMPTY_KEY] = {}
    indicator(COUNT_KEY, task=TASK_IDEAS, label="Ideas received (test)", order=1)(
        _measure(COUNT_KEY)
    )
    indicator(
        SHARE_KEY,
        task=TASK_IDEAS,
        label="Answered in time (test)",
        unit=Unit.SHARE,
        higher_is_better=True,
        order=2,
    )(_measure(SHARE_KEY))
    indicator(EMPTY_KEY, task=TASK_CAMPAIGN, label="Poster reach (test)")(_measure(EMPTY_KEY))
    yield MEASURED
    for key in (COUNT_KEY, SHARE_KEY, EMPTY_KEY):
        indicators._REGISTRY.pop(key, None)
    MEASURED.clear()


@pytest.fixture
def status(test_indicators) -> dict[str, StatusEntry]:
    """Status entries for two of the six tasks, and targets on the test indicators."""
    ideas = StatusEntry.objects.create(
        task=Task.objects.get(key="ideas"),
        year=YEAR,
        traffic_light=TrafficLight.YELLOW,
        status_text="Ideas are answered, but slowly.",
        activities="Routing meetings every week.",
        results="Most ideas got an answer.",
        narrative="The idea flow doubled this year.",
        financing_need_dkk=250000,
        financing=Financing.REQUESTED,
        decisions_pending="Approve a second coordinator.",
    )
    campaign = StatusEntry.objects.create(
        task=Task.objects.get(key="campaign"),
        year=YEAR,
        traffic_light=TrafficLight.GREEN,
        status_text="The campaign ran in May.",
        financing_need_dkk=100000,
        financing=Financing.GRANTED,
    )
    Target.objects.create(
        indicator=COUNT_KEY, year=YEAR, direction=TargetDirection.AT_LEAST, value=Decimal(1000)
    )
    Target.objects.create(
        indicator=SHARE_KEY, year=YEAR, direction=TargetDirection.AT_LEAST, value=Decimal("0.9")
    )
    Target.objects.create(
        indicator=EMPTY_KEY, year=YEAR, direction=TargetDirection.AT_LEAST, value=Decimal(500)
    )
    return {"ideas": ideas, "campaign": campaign}


def person(role: str | None = None):
    user = UserFactory(departments=[department("TMF")])
    if role:
        RoleAssignment.objects.create(user=user, role=role)
    return user


@pytest.fixture
def steering(client):
    user = person(Role.STEERING)
    verified_login(client, user)
    return user


def _indicator(snapshot: dict, key: str) -> dict:
    return next(item for item in snapshot["indicators"] if item["key"] == key)


# --- the snapshot --------------------------------------------------------------------------------


def test_snapshot_holds_tasks_entries_figures_targets_financing_and_decisions(status):
    with translation.override("en"):
        snapshot = report.build_snapshot(YEAR, introduction="A good year.")

    assert snapshot["year"] == YEAR and snapshot["introduction"] == "A good year."
    assert snapshot["language"] == "en"
    assert [task["key"] for task in snapshot["tasks"]] == list(
        Task.objects.filter(is_active=True).order_by("number").values_list("key", flat=True)
    )
    ideas = next(task for task in snapshot["tasks"] if task["key"] == "ideas")
    assert ideas["entry"]["traffic_light_display"] == "At risk"
    assert ideas["entry"]["narrative"] == "The idea flow doubled this year."
    assert ideas["entry"]["financing_need_display"] == "DKK 250,000"
    mine = [item["key"] for item in ideas["indicators"] if item["key"].startswith("test-report")]
    assert mine == [COUNT_KEY, SHARE_KEY]
    conference = next(task for task in snapshot["tasks"] if task["key"] == "conference")
    assert conference["entry"] is None

    count = _indicator(snapshot, COUNT_KEY)
    assert count["label"] == "Ideas received (test)" and count["unit_label"] == "number"
    assert count["current"]["value"] == 1234 and count["current"]["display"] == "1,234"
    assert count["current"]["note"] == "of 1300"
    assert count["current"]["breakdown"] == [
        {"label": "TMF", "value": 1000, "display": "1,000"},
        {"label": "KFF", "value": 234, "display": "234"},
    ]
    assert count["target"]["met"] is True and count["target"]["display"] == "at least 1,000"

    share = _indicator(snapshot, SHARE_KEY)
    assert share["current"]["display"] == "80%" and share["previous"]["display"] == "75%"
    assert share["change"] == pytest.approx(0.05)
    assert share["change_display"] == "+5 percentage points"
    assert share["target"]["met"] is False and share["target"]["met_display"] == "not met"

    assert snapshot["targets_met"] == 1 and snapshot["targets_missed"] == 1
    assert snapshot["targets_without_data"] == 1 and snapshot["targets_total"] == 3

    financing = snapshot["financing"]
    assert {row["state"]: row["amount"] for row in financing["rows"]} == {
        "requested": 250000,
        "granted": 100000,
    }
    assert financing["total"] == 350000
    assert snapshot["decisions"] == [
        {
            "task_number": ideas["number"],
            "task_title": ideas["title"],
            "text": "Approve a second coordinator.",
        }
    ]
    lights = {row["light"]: row["count"] for row in snapshot["traffic_lights"]}
    assert lights["green"] == 1 and lights["yellow"] == 1 and lights["red"] == 0
    assert lights[""] == len(snapshot["tasks"]) - 2


def test_no_data_is_never_a_zero_and_has_no_change(status):
    snapshot = report.build_snapshot(YEAR)  # Danish, the default language

    count = _indicator(snapshot, COUNT_KEY)
    assert count["previous"]["value"] is None
    assert count["previous"]["display"] == "ingen data"
    assert count["change"] is None and count["change_display"] == ""
    empty = _indicator(snapshot, EMPTY_KEY)
    assert empty["current"]["display"] == "ingen data"
    assert empty["target"]["met"] is None and empty["target"]["met_display"] == "ingen data"
    share = _indicator(snapshot, SHARE_KEY)
    assert share["current"]["display"] == "80 %"
    assert share["change_display"] == "+5 procentpoint"


def test_a_year_with_no_entries_and_no_figures_says_so(test_indicators):
    snapshot = report.build_snapshot(YEAR - 5)
    assert all(task["entry"] is None for task in snapshot["tasks"])
    assert all(
        _indicator(snapshot, key)["current"]["value"] is None
        for key in (COUNT_KEY, SHARE_KEY, EMPTY_KEY)
    )
    assert snapshot["financing"]["rows"] == [] and snapshot["decisions"] == []


def test_snapshot_measures_every_registered_indicator(status):
    """Whatever the apps have declared is measured for both years and is JSON-serialisable."""
    snapshot = report.build_snapshot(YEAR)
    assert [item["key"] for item in snapshot["indicators"]] == [
        item.key for item in indicators.registered()
    ]
    for item in snapshot["indicators"]:
        assert set(item["current"]) >= {"value", "breakdown", "note", "display"}
        if item["current"]["value"] is None or item["previous"]["value"] is None:
            assert item["change"] is None
    AnnualReport.objects.create(year=YEAR, snapshot=snapshot)  # the JSON field accepts it


def test_a_target_on_an_indicator_no_longer_registered_is_shown_without_data(test_indicators):
    Target.objects.create(
        indicator="retired-indicator", year=YEAR, direction=TargetDirection.AT_MOST, value=3
    )
    snapshot = report.build_snapshot(YEAR)
    retired = _indicator(snapshot, "retired-indicator")
    assert retired["current"]["value"] is None and retired["target"]["met"] is None


def test_generated_report_is_frozen_when_the_data_change(status):
    user = person(Role.STEERING)
    generated = report.generate_report(YEAR, user, "First version.")

    status["ideas"].narrative = "Rewritten after the report."
    status["ideas"].traffic_light = TrafficLight.RED
    status["ideas"].save()
    StatusEntry.objects.create(
        task=Task.objects.get(key="conference"),
        year=YEAR,
        traffic_light=TrafficLight.GREEN,
        status_text="Added later.",
    )
    Target.objects.filter(indicator=SHARE_KEY).update(value=Decimal("0.5"))
    MEASURED[COUNT_KEY][YEAR] = Measurement(1)
    Task.objects.filter(key="ideas").update(title_da="Omdøbt opgave")

    reopened = AnnualReport.objects.get(pk=generated.pk)
    ideas = next(task for task in reopened.snapshot["tasks"] if task["key"] == "ideas")
    assert ideas["entry"]["narrative"] == "The idea flow doubled this year."
    assert ideas["title"] != "Omdøbt opgave"
    conference = next(t for t in reopened.snapshot["tasks"] if t["key"] == "conference")
    assert conference["entry"] is None
    assert _indicator(reopened.snapshot, COUNT_KEY)["current"]["value"] == 1234
    assert _indicator(reopened.snapshot, SHARE_KEY)["target"]["met"] is False
    assert reopened.snapshot["generated_by"] == user.get_full_name()
    assert reopened.generated_by == user
    # The documents read the snapshot only.
    from sammen.reporting import documents

    context = documents.report_context(reopened.snapshot, svg=False)
    assert context["tasks"][-1]["title"] != "Omdøbt opgave"


def test_reportable_years_run_from_the_first_year_to_this_year():
    this_year = report.today().year
    assert report.is_reportable_year(report.FIRST_YEAR)
    assert report.is_reportable_year(this_year)
    assert not report.is_reportable_year(report.FIRST_YEAR - 1)
    assert not report.is_reportable_year(this_year + 1)
    assert report.default_year() == this_year - 1


def test_formatting_of_values_and_changes():
    with translation.override("da"):
        assert report.format_value(1234567, Unit.COUNT) == "1.234.567"
        assert report.format_value(250000, Unit.DKK) == "250.000 kr."
        assert report.format_value(4.5, Unit.DAYS) == "4,5 arbejdsdage"
        assert report.format_value(None, Unit.SCORE) == "ingen data"
        assert report.format_change(-2, Unit.COUNT) == "−2"
        assert report.format_change(0, Unit.COUNT) == "±0"
    with translation.override("en"):
        assert report.format_value(4.25, Unit.SCORE) == "4.2 of 5"
        assert report.format_change(-0.125, Unit.SHARE) == "−12.5 percentage points"


# --- the pages -----------------------------------------------------------------------------------


def _urls(generated: AnnualReport) -> dict[str, str]:
    return {
        "prepare": reverse("reporting:report_prepare", args=[YEAR]),
        "list": reverse("reporting:report_list"),
        "detail": reverse("reporting:report_detail", args=[generated.pk]),
        "pdf": reverse("reporting:report_pdf", args=[generated.pk]),
        "docx": reverse("reporting:report_docx", args=[generated.pk]),
    }


@pytest.mark.parametrize("page", ["prepare", "list", "detail"])
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, 403),
        (Role.CONSULTANT, 403),
        (Role.STEERING, 200),
        (Role.COORDINATOR, 200),
        (Role.ADMINISTRATOR, 200),
    ],
)
def test_pages_answer_each_role(client, test_indicators, page, role, expected):
    generated = report.generate_report(YEAR, None)
    user = UserFactory(departments=[department("TMF")])
    if role == Role.CONSULTANT:
        RoleAssignment.objects.create(user=user, role=role, department=department("TMF"))
    elif role:
        RoleAssignment.objects.create(user=user, role=role)
    verified_login(client, user)
    assert client.get(_urls(generated)[page]).status_code == expected


def test_anonymous_visitors_are_sent_to_log_in(client, test_indicators):
    generated = report.generate_report(YEAR, None)
    for url in _urls(generated).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_department_staff_cannot_download_the_documents(client, test_indicators):
    generated = report.generate_report(YEAR, None)
    verified_login(client, person())
    assert client.get(_urls(generated)["pdf"]).status_code == 403
    assert client.get(_urls(generated)["docx"]).status_code == 403
    assert client.post(_urls(generated)["prepare"], {}).status_code == 403
    assert not AnnualReport.objects.exclude(pk=generated.pk).exists()


@pytest.mark.parametrize("year", [report.FIRST_YEAR - 1, report.today().year + 1, 0])
def test_prepare_page_answers_404_for_a_year_out_of_range(client, steering, year):
    response = client.get(reverse("reporting:report_prepare", args=[year]))
    assert response.status_code == 404


def test_unknown_report_answers_404(client, steering):
    assert client.get(reverse("reporting:report_detail", args=[999999])).status_code == 404
    assert client.get(reverse("reporting:report_pdf", args=[999999])).status_code == 404


def test_prepare_page_shows_tasks_fields_missing_entries_and_the_live_figures(
    client, steering, status
):
    report.generate_report(YEAR, None, "Last version's introduction.")
    with translation.override("en"):
        response = client.get(reverse("reporting:report_prepare", args=[YEAR]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Last version&#x27;s introduction." in content  # prefilled from the latest report
    assert 'name="narrative_ideas"' in content and "The idea flow doubled this year." in content
    assert 'name="narrative_conference"' not in content
    assert "This task has no status entry for" in content
    assert "Ideas received (test)" in content and "1,234" in content


def test_generating_saves_the_narratives_and_freezes_a_report(client, steering, status):
    response = client.post(
        reverse("reporting:report_prepare", args=[YEAR]),
        {"introduction": "To the directors.", "narrative_ideas": "New paragraph."},
    )
    generated = AnnualReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report_detail", args=[generated.pk])
    status["ideas"].refresh_from_db()
    assert status["ideas"].narrative == "New paragraph."
    assert status["ideas"].updated_by == steering
    assert generated.snapshot["introduction"] == "To the directors."
    ideas = next(t for t in generated.snapshot["tasks"] if t["key"] == "ideas")
    assert ideas["entry"]["narrative"] == "New paragraph."
    assert generated.generated_by == steering


def test_an_empty_post_generates_the_report_and_keeps_the_narratives(client, steering, status):
    response = client.post(reverse("reporting:report_prepare", args=[YEAR]), {})
    assert response.status_code == 302
    assert AnnualReport.objects.filter(year=YEAR).count() == 1
    status["ideas"].refresh_from_db()
    assert status["ideas"].narrative == "The idea flow doubled this year."


def test_an_over_long_introduction_is_refused_with_the_text_kept(client, steering, status):
    long_text = "x" * (report.INTRODUCTION_MAX_LENGTH + 1)
    with translation.override("en"):
        response = client.post(
            reverse("reporting:report_prepare", args=[YEAR]),
            {"introduction": long_text, "narrative_ideas": "Kept paragraph."},
        )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Introduction: Ensure this value has at most 5000 characters" in content
    assert long_text in content and "Kept paragraph." in content
    assert not AnnualReport.objects.exists()
    status["ideas"].refresh_from_db()
    assert status["ideas"].narrative == "The idea flow doubled this year."  # nothing half-saved


def test_report_list_shows_the_reports_newest_first(client, steering, test_indicators):
    older = report.generate_report(YEAR - 1, None)
    newer = report.generate_report(YEAR, steering)
    response = client.get(reverse("reporting:report_list"))
    content = response.content.decode()
    first = content.index(reverse("reporting:report_detail", args=[newer.pk]))
    second = content.index(reverse("reporting:report_detail", args=[older.pk]))
    assert first < second


def test_report_detail_shows_the_frozen_report_with_charts_and_their_tables(
    client, steering, status
):
    with translation.override("en"):
        generated = report.generate_report(YEAR, steering, "Introduction text.")
        status["ideas"].narrative = "Changed afterwards."
        status["ideas"].save()
        response = client.get(reverse("reporting:report_detail", args=[generated.pk]))
    content = response.content.decode()
    assert "Introduction text." in content
    assert "The idea flow doubled this year." in content and "Changed afterwards." not in content
    assert 'id="chart-test-report-ideas-received"' in content
    assert "<svg" in content and 'role="img"' in content
    assert "Ideas received (test): the figures in the chart" in content
    assert "Approve a second coordinator." in content
    assert "no data" in content


def test_report_detail_runs_a_fixed_number_of_queries(
    client, steering, status, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = report.generate_report(YEAR - 3, None)
    large = report.generate_report(YEAR, steering, "Long. " * 500)
    counts = []
    for generated in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("reporting:report_detail", args=[generated.pk])).status_code
                == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.get(reverse("reporting:report_detail", args=[large.pk]))


def test_prepare_page_runs_a_fixed_number_of_queries(client, steering, status):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("reporting:report_prepare", args=[YEAR])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for task in Task.objects.exclude(key__in=["ideas", "campaign"]):
        StatusEntry.objects.create(
            task=task, year=YEAR, traffic_light=TrafficLight.GREEN, status_text="Fine."
        )
    report.generate_report(YEAR, steering, "Earlier version.")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)


def test_report_list_runs_a_fixed_number_of_queries(client, steering, test_indicators):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report.generate_report(YEAR, steering)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reporting:report_list"))
    for offset in range(5):
        report.generate_report(YEAR - offset, person(Role.STEERING))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("reporting:report_list"))
    assert len(few) == len(many)


def test_documents_download_as_attachments_named_by_year(client, steering, status):
    generated = report.generate_report(YEAR, steering)
    pdf = client.get(reverse("reporting:report_pdf", args=[generated.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="statusrapport-{YEAR}.pdf"'
    assert pdf.content.startswith(b"%PDF")
    word = client.get(reverse("reporting:report_docx", args=[generated.pk]))
    assert word.status_code == 200
    assert word["Content-Disposition"] == f'attachment; filename="statusrapport-{YEAR}.docx"'
    assert word.content.startswith(b"PK")
