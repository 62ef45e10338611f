"""The feeds of the public catalogue: iCalendar, Atom and CSV, each for any filtered list."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.core.models import Venue
from sammen.core.tests.factories import district, topic
from sammen.participation import feeds
from sammen.participation.tests.factories import OpportunityFactory, channel

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def url(name: str, query: str = "", language: str = "da", **kwargs) -> str:
    with translation.override(language):
        path = reverse(f"participation:{name}", kwargs=kwargs or None)
    return path + (f"?{query}" if query else "")


def events(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def atom_entries(response) -> list[ET.Element]:
    return ET.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314 (our own feed)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def meeting():
    """A public meeting at a real venue in Nørrebro, with a start and an end."""
    start = timezone.now() + timedelta(days=5)
    return OpportunityFactory(
        title="Borgermøde om Nørrebroparken",
        channel=channel("borgermoede"),
        start_at=start,
        end_at=start + timedelta(hours=2),
        deadline=None,
        venue=Venue.objects.filter(name__icontains="Nørrebro Bibliotek").first(),
        districts=[district(3)],
        topics=[topic("groen-by")],
    )


@pytest.fixture
def hearing():
    """A hearing for the whole city, with a response deadline."""
    return OpportunityFactory(title="Høring om trafikplan")


# --- iCalendar ------------------------------------------------------------------------------------


def test_calendar_is_text_calendar_with_an_event_per_opportunity(client, meeting, hearing):
    response = client.get(url("opportunities_ical"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response)
    assert set(found) == {"Borgermøde om Nørrebroparken", f"Frist: {hearing.title}"}


def test_calendar_event_of_a_meeting_is_the_meeting_in_utc(client, meeting):
    event = events(client.get(url("opportunities_ical")))[meeting.title]
    assert event["uid"] == f"opportunity-{meeting.pk}@{feeds.uid_host()}"
    assert event.decoded("dtstart") == meeting.start_at.replace(microsecond=0)
    assert event.decoded("dtend") == meeting.end_at.replace(microsecond=0)
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
    assert event.decoded("dtstamp") == meeting.updated_at.replace(microsecond=0)
    assert str(event["url"]).endswith(meeting.get_absolute_url())
    assert str(event["url"]).startswith("http://testserver/")
    assert meeting.venue.address in str(event["location"])
    assert meeting.venue.name in str(event["location"])
    assert b"DTSTART:" in event.to_ical() and b"Z\r\n" in event.to_ical()


def test_calendar_event_of_a_hearing_is_its_deadline(client, hearing):
    event = events(client.get(url("opportunities_ical")))[f"Frist: {hearing.title}"]
    assert event.decoded("dtstart") == hearing.deadline.replace(microsecond=0)
    assert "dtend" not in event
    assert event["transp"] == "TRANSPARENT"


def test_calendar_names_the_deadline_in_the_language_of_its_address(client, hearing):
    english = events(client.get(url("opportunities_ical", language="en")))
    assert list(english) == [f"Deadline: {hearing.title}"]


def test_calendar_uids_are_the_same_in_both_languages(client, meeting):
    danish = events(client.get(url("opportunities_ical")))[meeting.title]
    english = events(client.get(url("opportunities_ical", language="en")))[meeting.title]
    assert danish["uid"] == english["uid"]
    assert "/en/" in str(english["url"])


def test_calendar_follows_the_list_filters(client, meeting, hearing):
    by_channel = events(client.get(url("opportunities_ical", "channel=borgermoede")))
    assert list(by_channel) == [meeting.title]
    by_district = events(client.get(url("opportunities_ical", "district=noerrebro")))
    assert list(by_district) == [meeting.title]
    whole_city = events(client.get(url("opportunities_ical", "district=hele-byen")))
    assert list(whole_city) == [f"Frist: {hearing.title}"]


def test_calendar_with_an_unknown_filter_value_is_empty_not_an_error(client, meeting):
    response = client.get(url("opportunities_ical", "district=atlantis"))
    assert response.status_code == 200
    assert events(response) == {}


def test_calendar_leaves_out_unpublished_and_withdrawn(client, meeting):
    OpportunityFactory(title="Kladde", is_published=False)
    OpportunityFactory(title="Trukket tilbage", withdrawn_at=timezone.now())
    assert list(events(client.get(url("opportunities_ical")))) == [meeting.title]


def test_calendar_leaves_out_opportunities_without_any_date(client, meeting):
    OpportunityFactory(title="Løbende frivilligt arbejde", start_at=None, deadline=None)
    assert list(events(client.get(url("opportunities_ical")))) == [meeting.title]


def test_capped_calendar_keeps_what_is_coming_soonest(client, monkeypatch):
    now = timezone.now()
    OpportunityFactory(
        title="Forbi", start_at=now - timedelta(days=30), deadline=now - timedelta(days=1)
    )
    OpportunityFactory(title="Snart", deadline=now + timedelta(days=2))
    OpportunityFactory(title="Senere", deadline=now + timedelta(days=60))
    monkeypatch.setattr(feeds, "FEED_LIMIT", 2)
    response = client.get(url("opportunities_ical"))
    assert set(events(response)) == {"Frist: Snart", "Frist: Senere"}
    assert response["X-Truncated"] == "true"
    assert response["X-Row-Limit"] == "2"


def test_single_opportunity_calendar_file_is_an_attachment(client, meeting):
    response = client.get(url("opportunity_ical", pk=meeting.pk, slug=meeting.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert list(events(response)) == [meeting.title]


def test_single_opportunity_calendar_file_of_an_unpublished_one_is_404(client):
    draft = OpportunityFactory(is_published=False)
    assert client.get(url("opportunity_ical", pk=draft.pk, slug=draft.slug)).status_code == 404


def test_single_opportunity_calendar_file_without_a_date_is_404(client):
    undated = OpportunityFactory(start_at=None, deadline=None)
    assert client.get(url("opportunity_ical", pk=undated.pk, slug=undated.slug)).status_code == 404


# --- Atom -----------------------------------------------------------------------------------------


def test_atom_feed_parses_and_has_stable_entry_ids(client, meeting, hearing):
    response = client.get(url("opportunities_atom"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    entries = atom_entries(response)
    ids = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}id") for e in entries}
    assert ids[meeting.title] == f"tag:{feeds.uid_host()},{feeds.TAG_YEAR}:opportunity-{meeting.pk}"
    english = atom_entries(client.get(url("opportunities_atom", language="en")))
    assert {e.findtext(f"{ATOM}id") for e in english} == set(ids.values())


def test_atom_entry_updated_is_updated_at(client, meeting):
    (entry,) = atom_entries(client.get(url("opportunities_atom")))
    updated = datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert updated == meeting.updated_at
    assert entry.find(f"{ATOM}link").get("href").endswith(meeting.get_absolute_url())


def test_atom_feed_lists_the_newest_first_and_follows_the_filters(client, meeting, hearing):
    hearing.published_at = timezone.now() - timedelta(days=1)
    hearing.save()
    meeting.published_at = timezone.now() - timedelta(days=3)
    meeting.save()
    titles = [
        e.findtext(f"{ATOM}title") for e in atom_entries(client.get(url("opportunities_atom")))
    ]
    assert titles == [hearing.title, meeting.title]
    filtered = atom_entries(
        client.get(url("opportunities_atom", f"topic={topic('groen-by').slug}"))
    )
    assert [e.findtext(f"{ATOM}title") for e in filtered] == [meeting.title]


def test_atom_feed_leaves_out_unpublished(client, meeting):
    OpportunityFactory(title="Kladde", is_published=False)
    titles = [
        e.findtext(f"{ATOM}title") for e in atom_entries(client.get(url("opportunities_atom")))
    ]
    assert titles == [meeting.title]


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_and_semicolons(client, meeting):
    response = client.get(url("opportunities_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"\xef\xbb\xbf")
    header, row = csv_rows(response)
    assert len(header) == len(row) == 12
    assert row[0] == str(meeting.pk)
    assert row[1] == meeting.title
    assert row[5] == "Nørrebro"
    assert row[7] == timezone.localtime(meeting.start_at).strftime("%Y-%m-%d %H:%M")
    assert meeting.venue.address in row[10]
    assert row[11].endswith(meeting.get_absolute_url())


def test_csv_names_the_whole_city_when_no_district_is_set(client, hearing):
    header, row = csv_rows(client.get(url("opportunities_csv", language="en")))
    assert header[5] == "districts"
    assert row[5] == "Whole city"


def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(client):
    OpportunityFactory(title='=HYPERLINK("http://evil.example","Klik")')
    OpportunityFactory(title="+45 møder", location="@SUM(A1)")
    OpportunityFactory(title="-1+2")
    rows = csv_rows(client.get(url("opportunities_csv")))[1:]
    titles = {row[1] for row in rows}
    assert titles == {'\'=HYPERLINK("http://evil.example","Klik")', "'+45 møder", "'-1+2"}
    assert "'@SUM(A1)" in {row[10] for row in rows}


def test_csv_follows_the_filters(client, meeting, hearing):
    rows = csv_rows(client.get(url("opportunities_csv", "channel=hoering")))[1:]
    assert [row[1] for row in rows] == [hearing.title]


@pytest.mark.parametrize("formula", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_safe_cell_prefixes_every_formula_start(formula):
    assert feeds.safe_cell(formula) == "'" + formula
    assert feeds.safe_cell("Nørrebro") == "Nørrebro"
    assert feeds.safe_cell(12) == 12


# --- shared behaviour -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["opportunities_ical", "opportunities_atom", "opportunities_csv"])
def test_feeds_are_open_to_any_origin(client, meeting, name):
    response = client.get(url(name), headers={"Origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(url(name), headers={"Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert not response.cookies


@pytest.mark.parametrize("name", ["opportunities_ical", "opportunities_atom", "opportunities_csv"])
def test_unchanged_feed_answers_304(client, meeting, name):
    first = client.get(url(name))
    again = client.get(url(name), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_feeds_refuse_writes(client):
    assert client.post(url("opportunities_ical")).status_code == 405


def _query_count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["opportunities_ical", "opportunities_atom", "opportunities_csv"])
@pytest.mark.parametrize("query", ["", "channel=hoering&district=noerrebro&district=hele-byen"])
def test_feeds_run_the_same_number_of_queries_for_5_and_50(client, name, query):
    def make(n: int) -> None:
        for i in range(n):
            OpportunityFactory(
                districts=[district(3)] if i % 2 else [],
                topics=[topic("trafik")],
                venue=Venue.objects.first() if i % 3 else None,
            )

    make(5)
    few = _query_count(client, url(name, query))
    make(45)
    many = _query_count(client, url(name, query))
    assert few == many


def test_feed_links_carry_the_list_filters_without_the_page():
    request = RequestFactory().get(
        "/muligheder/", {"topic": "trafik", "channel": "hoering", "page": "3"}
    )
    links = feeds.feed_links(request)
    assert links["ical"] == url("opportunities_ical", "channel=hoering&topic=trafik")
    assert links["atom"] == url("opportunities_atom", "channel=hoering&topic=trafik")
    assert links["csv"] == url("opportunities_csv", "channel=hoering&topic=trafik")
    assert links["webcal"] == "webcal://testserver" + links["ical"]
    assert links["api"] == reverse("api:opportunity_list") + "?channel=hoering&topic=trafik"


def test_event_times_choose_meeting_then_deadline_then_the_one_date(meeting, hearing):
    assert feeds.event_times(meeting) == (meeting.start_at, meeting.end_at, False)
    assert feeds.event_times(hearing) == (hearing.deadline, None, True)
    start = datetime(2026, 5, 1, 8, tzinfo=UTC)
    only_start = OpportunityFactory.build(start_at=start, end_at=None, deadline=None)
    assert feeds.event_times(only_start) == (start, None, False)
    assert feeds.event_times(OpportunityFactory.build(start_at=None, deadline=None)) is None
