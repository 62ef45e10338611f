"""The entry point's indicators of the yearly report on a small last year, and the whole registry's
cost: measuring every indicator of a year runs the same queries for a little and a lot of data."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from sammen.core.tests.factories import department
from sammen.core.workdays import COPENHAGEN
from sammen.events.models import Kind as EventKind
from sammen.events.tests.test_indicators import event, rate, seat
from sammen.ideas.states import Outcome
from sammen.ideas.tests.factories import coordinator_user
from sammen.ideas.tests.test_indicators import closed
from sammen.knowledge.models import EntryVersion, Kind, Status
from sammen.knowledge.tests.factories import consultant
from sammen.knowledge.tests.test_figures import entry
from sammen.participation.models import Opportunity
from sammen.participation.tests.factories import OpportunityFactory, SubscriptionFactory, channel
from sammen.reporting.indicators import Period, get, measure_all

pytestmark = pytest.mark.django_db

KEYS = (
    "participation.opportunities_published",
    "participation.opportunities_by_channel",
    "participation.outcome_share",
    "participation.subscriptions_new",
    "participation.subscriptions_active",
)


def last_year() -> int:
    return timezone.localdate().year - 1


def at(month: int, day: int, year: int | None = None) -> datetime:
    return datetime(year or last_year(), month, day, 10, tzinfo=COPENHAGEN)


def measure(key: str, year: int | None = None):
    return get(key).measure(Period.year(year or last_year()))


@pytest.fixture
def year() -> None:
    """A hearing written here for TMF and BUF (outcome published), a public meeting imported for
    TMF (closed, no outcome) and one withdrawn by the source; a subscriber from the year before
    and one from last year."""
    OpportunityFactory(
        published_at=at(3, 1),
        start_at=at(3, 1),
        deadline=at(4, 1),
        departments=[department("TMF"), department("BUF")],
        outcome="Vedtaget.",
        outcome_published_at=at(5, 1),
    )
    OpportunityFactory(
        published_at=at(6, 1),
        start_at=at(6, 1),
        deadline=at(7, 1),
        channel=channel("borgermoede"),
        source=Opportunity.Source.OS2AGORA,
        external_id="1",
    )
    OpportunityFactory(
        published_at=at(8, 1),
        source=Opportunity.Source.OS2AGORA,
        external_id="2",
        withdrawn_at=at(8, 15),
    )
    SubscriptionFactory(confirmed_at=at(6, 1, last_year() - 1))
    SubscriptionFactory(confirmed_at=at(2, 1))


def test_opportunities_published_by_department_and_by_channel(year):
    with translation.override("en"):
        result = measure("participation.opportunities_published")
        by_channel = measure("participation.opportunities_by_channel")
    assert result.value == 2
    rows = dict(result.breakdown)
    assert rows[department("TMF").name_en] == 2
    assert rows[department("BUF").name_en] == 1
    assert "Without a department" not in rows
    assert result.note == (
        "1 imported from the hearing portal, 1 written here; 1 more withdrawn by the source"
    )
    assert by_channel.value == 2
    assert dict(by_channel.breakdown)[channel("hoering").name_en] == 1
    assert dict(by_channel.breakdown)[channel("borgermoede").name_en] == 1
    assert sum(v for _label, v in by_channel.breakdown) == 2


def test_share_with_a_published_outcome(year):
    with translation.override("en"):
        result = measure("participation.outcome_share")
    assert result.value == 0.5
    assert result.note == "of 2 closed opportunities"


def test_subscriptions(year):
    assert measure("participation.subscriptions_new").value == 1
    assert measure("participation.subscriptions_active").value == 2


def test_an_empty_year_has_no_data(year):
    for key in KEYS:
        assert not measure(key, last_year() - 5).has_data, key


def test_measuring_every_indicator_costs_the_same_queries_for_little_and_much_data(settings):
    settings.IDEAS_ANSWER_WORKING_DAYS = 20
    coordinator = coordinator_user()
    made: list[int] = []

    def queries(month: int, n: int) -> int:
        for i in range(n):
            day = at(month, 1 + i)
            OpportunityFactory(
                published_at=day,
                start_at=day,
                deadline=day + timedelta(days=5),
                departments=[department("TMF"), department(("BUF", "KFF")[i % 2])],
            )
            SubscriptionFactory(confirmed_at=day)
            entry(
                (Kind.METHOD, Kind.GUIDE)[i % 2],
                [
                    (day, EntryVersion.Action.PUBLISHED, Status.PUBLISHED, day.date()),
                    (day, EntryVersion.Action.EDITED, Status.PUBLISHED, day.date()),
                ],
            )
            consultant(("TMF", "BUF")[i % 2])
            held = event(day, (EventKind.CONFERENCE, EventKind.MORNING_MEETING)[i % 2])
            rate(seat(held, ("TMF", "SOF")[i % 2], checked_in=True), 1 + i % 5)
            closed(day, 1 + i, Outcome.REALISED, coordinator)
        made.append(n)
        with CaptureQueriesContext(connection) as context:
            measurements = measure_all(Period.year(last_year()))
        assert measurements["participation.opportunities_published"].value == sum(made)
        assert measurements["ideas.received"].value == sum(made)
        assert measurements["events.conference_attendance"].has_data
        return len(context)

    assert queries(2, 3) == queries(9, 9)


def test_periods_other_than_a_year_work_too(year):
    spring = Period(date(last_year(), 3, 1), date(last_year(), 5, 31))
    assert get("participation.opportunities_published").measure(spring).value == 1
