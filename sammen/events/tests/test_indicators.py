"""The events' indicators of the yearly report, on a small last year worked out by hand."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone, translation

from sammen.core.tests.factories import UserFactory, department
from sammen.core.workdays import COPENHAGEN
from sammen.events import feedback
from sammen.events import registration as services
from sammen.events.figures import kind_attendance
from sammen.events.models import Audience, Kind
from sammen.events.tests.factories import EventFactory
from sammen.reporting.indicators import Period, get

pytestmark = pytest.mark.django_db

KEYS = (
    "events.conference_attendance",
    "events.conference_feedback",
    "events.morning_meetings_held",
    "events.morning_meeting_attendance",
    "events.morning_meeting_feedback",
    "events.solution_labs_held",
)


def last_year() -> int:
    return timezone.localdate().year - 1


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(last_year(), month, day, hour, tzinfo=COPENHAGEN)


def event(starts: datetime, kind: str, **kwargs):
    return EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2), kind=kind, **kwargs)


def seat(event, abbreviation: str | None, *, checked_in: bool = False):
    before = event.starts_at - timedelta(days=7)
    if abbreviation is None:
        pending = services.register_public(
            event=event, name="Borger", email=f"b{event.pk}@example.org", now=before
        )
        registration = services.confirm_public(registration=pending, now=before)
    else:
        user = UserFactory(departments=[department(abbreviation)])
        registration = services.register_staff(event=event, user=user, now=before)
    if checked_in:
        registration = services.check_in(
            registration=registration, by=event.organiser, now=event.starts_at
        )
    return registration


def rate(registration, rating: int) -> None:
    feedback.give_feedback(registration=registration, rating=rating, now=registration.event.ends_at)


def measure(key: str, year: int | None = None):
    return get(key).measure(Period.year(year or last_year()))


@pytest.fixture
def year() -> None:
    """A conference (3 TMF seats, 2 there; a citizen there; rated 4 and 5), two morning meetings
    (2 BUF seats, 1 there, rated 3; then one where check-in was not used) and a solution lab."""
    conference = event(at(3, 10), Kind.CONFERENCE, audience=Audience.PUBLIC, capacity=None)
    tmf = [seat(conference, "TMF", checked_in=i < 2) for i in range(3)]
    seat(conference, None, checked_in=True)
    rate(tmf[0], 4)
    rate(tmf[1], 5)

    spring = event(at(4, 2), Kind.MORNING_MEETING)
    there = seat(spring, "BUF", checked_in=True)
    seat(spring, "BUF")
    rate(there, 3)
    autumn = event(at(9, 3), Kind.MORNING_MEETING)
    seat(autumn, "KFF")

    event(at(6, 5), Kind.SOLUTION_LAB)
    # The year before does not count.
    event(datetime(last_year() - 1, 12, 31, 23, 30, tzinfo=COPENHAGEN), Kind.SOLUTION_LAB)


def test_conference_attendance_by_department(year):
    with translation.override("en"):
        result = measure("events.conference_attendance")
    assert result.value == 3
    rows = dict(result.breakdown)
    assert rows[department("TMF").name_en] == 2
    assert rows[department("BUF").name_en] == 0
    assert rows["Without a department"] == 1
    assert result.note == "of 4 registered"


def test_conference_feedback_score(year):
    with translation.override("en"):
        result = measure("events.conference_feedback")
    assert result.value == 4.5
    assert result.note == "of 2 answers"


def test_morning_meetings(year):
    assert measure("events.morning_meetings_held").value == 2
    attendance = measure("events.morning_meeting_attendance")
    # Attendance of both meetings: the second recorded nobody, its seat still counts as registered.
    assert attendance.value == 1
    assert dict(attendance.breakdown)[department("BUF").name] == 1
    assert "Without a department" not in dict(attendance.breakdown)
    assert measure("events.morning_meeting_feedback").value == 3.0


def test_solution_labs_held(year):
    assert measure("events.solution_labs_held").value == 1


def test_kind_attendance_counts_events_with_check_in(year):
    figures = kind_attendance(date(last_year(), 1, 1), date(last_year(), 12, 31))
    meetings = figures.by_kind[Kind.MORNING_MEETING]
    assert (meetings.held, meetings.with_check_in, meetings.registered, meetings.attended) == (
        2,
        1,
        3,
        1,
    )
    assert figures.by_kind[Kind.NETWORK_MEETING].held == 0
    assert figures.as_dict()["by_kind"]["conference"]["attended"] == 3


def test_a_year_without_the_kind_of_event_has_no_attendance_or_score():
    """A network meeting only: nothing to say about conferences and morning meetings, except
    that no morning meeting was held."""
    event(at(5, 5), Kind.NETWORK_MEETING)
    forgotten = event(at(5, 6), Kind.CONFERENCE)
    seat(forgotten, "TMF")  # check-in was not used: attendance was not recorded
    assert not measure("events.conference_attendance").has_data
    with translation.override("en"):
        assert measure("events.conference_attendance").note == "Attendance was not recorded."
    assert not measure("events.conference_feedback").has_data
    assert not measure("events.morning_meeting_attendance").has_data
    assert not measure("events.morning_meeting_feedback").has_data
    assert measure("events.morning_meetings_held").value == 0
    assert measure("events.solution_labs_held").value == 0


def test_an_empty_year_has_no_data(year):
    for key in KEYS:
        assert not measure(key, last_year() - 5).has_data, key
