"""The yearly report's figures about events, on a small year whose answers are worked out by hand."""

import json
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sammen.core.tests.factories import UserFactory, department, principle
from sammen.core.workdays import COPENHAGEN
from sammen.events import feedback
from sammen.events import registration as services
from sammen.events.figures import event_figures
from sammen.events.models import Audience, Kind, Series
from sammen.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
NOW = datetime(2025, 10, 15, 12, 0, tzinfo=COPENHAGEN)


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=COPENHAGEN)


def event(starts: datetime, **kwargs):
    return EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2), **kwargs)


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


def rate(registration, rating: int, principle_number: int | None = None) -> None:
    feedback.give_feedback(
        registration=registration,
        rating=rating,
        principle=principle(principle_number) if principle_number else None,
        now=registration.event.ends_at,
    )


@pytest.fixture
def year():
    """2025: a conference, two morning meetings of a series and a network meeting held; a
    cancelled event, a draft, an event of 2024 and one not held yet (on NOW) left out."""
    series = Series.objects.create(
        title="Morgenboostere", slug="morgenboostere", kind=Kind.MORNING_MEETING
    )
    conference = event(at(9, 10), kind=Kind.CONFERENCE, audience=Audience.PUBLIC, capacity=None)
    tmf = [seat(conference, "TMF", checked_in=i < 3) for i in range(4)]
    kff = [seat(conference, "KFF", checked_in=True) for _ in range(2)]
    seat(conference, None, checked_in=True)
    gone = seat(conference, "TMF")
    services.cancel(registration=gone, now=conference.starts_at - timedelta(days=1))
    rate(tmf[0], 5, 1)
    rate(tmf[1], 4, 1)
    rate(kff[0], 3)

    spring = event(at(3, 5), series=series, principle=principle(1))
    first, second = seat(spring, "TMF", checked_in=True), seat(spring, "TMF")
    rate(first, 4, 1)
    rate(second, 2, 3)

    autumn = event(at(10, 1), series=series, principle=principle(2))
    seat(autumn, "BUF")
    seat(autumn, "BUF")  # check-in was not used at this one

    event(at(1, 1, 0, 30), kind=Kind.NETWORK_MEETING)  # 2024-12-31 23:30 UTC: in 2025 here

    event(at(12, 31, 23, 30, year=2024), kind=Kind.NETWORK_MEETING)
    cancelled = event(at(6, 1), cancelled_at=at(5, 1))
    draft = event(at(6, 2), is_published=False)
    future = event(at(11, 1), principle=principle(5))
    return {"cancelled": cancelled, "draft": draft, "future": future}


def test_events_held_by_kind(year):
    figures = event_figures(*YEAR, now=NOW)
    assert figures.has_data
    assert figures.held == 4
    assert figures.held_by_kind == {
        "conference": 1,
        "morning_meeting": 2,
        "solution_lab": 0,
        "network_meeting": 1,
        "citizen_event": 0,
    }


def test_registrations_and_attendance_by_department(year):
    figures = event_figures(*YEAR, now=NOW)
    assert (figures.registered, figures.attended) == (11, 7)
    rows = {row.abbreviation: (row.registered, row.attended) for row in figures.by_department}
    assert rows["TMF"] == (6, 4)
    assert rows["KFF"] == (2, 2)
    assert rows["BUF"] == (2, 0)
    assert all(v == (0, 0) for k, v in rows.items() if k not in {"TMF", "KFF", "BUF"})
    assert (figures.without_department.registered, figures.without_department.attended) == (1, 1)


def test_no_show_rate_only_where_check_in_was_used(year):
    figures = event_figures(*YEAR, now=NOW)
    # The conference: 7 seats, 6 there; the spring meeting: 2 seats, 1 there.
    assert (figures.no_shows.count, figures.no_shows.of) == (2, 9)
    assert figures.no_shows.value == pytest.approx(2 / 9)
    # The autumn meeting (nobody checked in) and the network meeting (nobody registered).
    assert figures.events_without_check_in == 2


def test_feedback_averages_by_kind_and_series(year):
    figures = event_figures(*YEAR, now=NOW)
    assert figures.feedback_answers == 5
    assert figures.feedback_average == 3.6
    assert [(r.key, r.answers, r.average) for r in figures.feedback_by_kind] == [
        ("conference", 3, 4.0),
        ("morning_meeting", 2, 3.0),
        ("network_meeting", 0, None),
    ]
    assert [(r.key, r.label, r.answers, r.average) for r in figures.feedback_by_series] == [
        ("morgenboostere", "Morgenboostere", 2, 3.0)
    ]


def test_principles_covered_by_morning_meetings_and_feedback(year):
    figures = event_figures(*YEAR, now=NOW)
    rows = {
        p.number: (p.morning_meetings, p.morning_meeting_dates, p.events, p.named_in_feedback)
        for p in figures.principles
    }
    assert rows == {
        1: (1, (date(2025, 3, 5),), 1, 3),
        2: (1, (date(2025, 10, 1),), 1, 0),
        3: (0, (), 0, 1),
        4: (0, (), 0, 0),
        5: (0, (), 0, 0),  # the meeting on 1 November is not held yet
    }


def test_a_later_now_counts_the_event_held_since(year):
    figures = event_figures(*YEAR, now=at(12, 1))
    assert figures.held == 5
    assert {p.number: p.events for p in figures.principles}[5] == 1


def test_as_dict_is_plain_json(year):
    data = event_figures(*YEAR, now=NOW).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["no_shows"] == {"count": 2, "of": 9, "share": pytest.approx(2 / 9)}
    assert data["principles"][0]["morning_meeting_dates"] == ["2025-03-05"]
    assert data["has_data"] is True


def test_an_empty_period_has_no_data():
    figures = event_figures(date(2030, 1, 1), date(2030, 12, 31), now=NOW)
    assert not figures.has_data
    assert figures.no_shows.value is None
    assert figures.feedback_average is None
    assert figures.feedback_by_kind == ()
    assert all(p.events == 0 for p in figures.principles)


def test_a_period_that_ends_before_it_starts_is_an_error():
    with pytest.raises(ValueError):
        event_figures(date(2025, 2, 1), date(2025, 1, 1))


def test_the_figures_cost_the_same_queries_for_few_and_many_events():
    series = Series.objects.create(title="S", slug="s", kind=Kind.MORNING_MEETING)

    def queries(month: int, n: int) -> int:
        for i in range(n):
            held = event(at(month, 1 + i), series=series, principle=principle(1 + i % 5))
            registration = seat(held, ("TMF", "KFF")[i % 2], checked_in=True)
            rate(registration, 1 + i % 5, 1 + i % 5)
        with CaptureQueriesContext(connection) as context:
            event_figures(date(2025, month, 1), date(2025, month, 28), now=NOW)
        return len(context)

    assert queries(2, 2) == queries(3, 12)
