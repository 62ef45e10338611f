"""The yearly report's figures about opportunities and subscriptions, on a small 2025 worked out by
hand."""

import json
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sammen.core.tests.factories import department
from sammen.core.workdays import COPENHAGEN
from sammen.participation.figures import opportunity_figures, subscription_figures
from sammen.participation.models import Opportunity
from sammen.participation.subscriptions import subscription_unsubscribe
from sammen.participation.tests.factories import OpportunityFactory, SubscriptionFactory, channel

pytestmark = pytest.mark.django_db

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
NOW = datetime(2026, 2, 1, 12, 0, tzinfo=COPENHAGEN)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=COPENHAGEN)


def opportunity(published: datetime | None, **kwargs) -> Opportunity:
    """A hearing in TMF, published at `published`, running for a month from then by default."""
    kwargs.setdefault("start_at", published)
    kwargs.setdefault("deadline", published and published.replace(month=published.month % 12 + 1))
    return OpportunityFactory(published_at=published, **kwargs)


@pytest.fixture
def opportunities() -> None:
    # In 2025: five published and one withdrawn by the source.
    opportunity(at(2025, 1, 1, 0, 10), outcome_published_at=at(2025, 3, 1), outcome="Vedtaget.")
    opportunity(
        at(2025, 6, 1),
        channel=channel("borgermoede"),
        departments=[department("TMF"), department("BUF")],
    )
    opportunity(
        at(2025, 12, 31, 23, 30),
        deadline=at(2026, 3, 1),
        source=Opportunity.Source.OS2AGORA,
        external_id="h3",
    )
    opportunity(
        at(2025, 5, 1),
        source=Opportunity.Source.OS2AGORA,
        external_id="h4",
        withdrawn_at=at(2025, 6, 1),
    )
    opportunity(
        at(2025, 9, 1),
        channel=channel("borgerpanel"),
        departments=[],
        start_at=None,
        deadline=None,
        is_published=False,
    )
    opportunity(
        at(2025, 10, 1),
        channel=channel("borgerpanel"),
        deadline=at(2026, 6, 1),
        outcome_published_at=at(2026, 1, 15),
        outcome="Panelet har svaret.",
    )
    # Outside 2025: just before, just after, and never published.
    opportunity(at(2024, 12, 31, 23, 30))
    opportunity(at(2026, 1, 1, 0, 0))
    opportunity(None, start_at=at(2025, 4, 1), deadline=at(2025, 5, 1), is_published=False)


def test_opportunities_published_in_the_period(opportunities):
    figures = opportunity_figures(*YEAR, now=NOW)
    assert figures.has_data
    assert figures.published == 5
    assert figures.withdrawn == 1
    assert figures.unpublished_since == 1
    assert (figures.imported, figures.written_here) == (1, 4)


def test_by_department_counts_shared_opportunities_under_each(opportunities):
    figures = opportunity_figures(*YEAR, now=NOW)
    rows = {row.abbreviation: row.published for row in figures.by_department}
    assert rows["TMF"] == 4
    assert rows["BUF"] == 1
    assert sum(rows.values()) == 5  # one shared by two, one with none
    assert figures.without_department == 1


def test_by_channel_lists_every_channel(opportunities):
    figures = opportunity_figures(*YEAR, now=NOW)
    rows = {row.slug: row.published for row in figures.by_channel}
    assert rows["hoering"] == 2
    assert rows["borgermoede"] == 1
    assert rows["borgerpanel"] == 2
    assert rows["pulje"] == 0
    assert figures.by_channel[0].slug == "hoering"


def test_share_with_an_outcome_of_those_closed_by_now(opportunities):
    figures = opportunity_figures(*YEAR, now=NOW)
    # Judged: the January hearing (outcome), the June meeting (closed, none) and the panel
    # (outcome before it closed). The December hearing is open, the standing one has no date.
    assert (figures.with_outcome.count, figures.with_outcome.of) == (2, 3)
    later = opportunity_figures(*YEAR, now=at(2026, 3, 2))
    assert (later.with_outcome.count, later.with_outcome.of) == (2, 4)


def test_opportunities_as_dict_is_plain_json(opportunities):
    data = opportunity_figures(*YEAR, now=NOW).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["with_outcome"] == {"count": 2, "of": 3, "share": pytest.approx(2 / 3)}
    assert data["has_data"] is True


def test_an_empty_period_has_no_opportunity_data(opportunities):
    figures = opportunity_figures(date(2020, 1, 1), date(2020, 12, 31), now=NOW)
    assert not figures.has_data
    assert figures.with_outcome.value is None
    assert all(row.published == 0 for row in figures.by_channel)


@pytest.fixture
def subscriptions() -> None:
    SubscriptionFactory(confirmed_at=at(2024, 6, 1))
    SubscriptionFactory(confirmed_at=at(2025, 1, 1, 0, 10))
    SubscriptionFactory(confirmed_at=at(2025, 12, 31, 23, 30))
    SubscriptionFactory(confirmed_at=at(2026, 1, 1, 0, 0))
    SubscriptionFactory(confirmed_at=None)
    gone = SubscriptionFactory(confirmed_at=at(2025, 3, 1))
    assert subscription_unsubscribe(token=gone.token)


def test_subscriptions_confirmed_in_and_active_at_the_end_of_the_period(subscriptions):
    figures = subscription_figures(*YEAR, now=NOW)
    assert figures.has_data
    # The one who unsubscribed is gone without a trace; the unconfirmed one never counts.
    assert figures.new == 2
    assert figures.active_at_end == 3
    running = subscription_figures(date(2026, 1, 1), date(2026, 12, 31), now=NOW)
    assert (running.new, running.active_at_end) == (1, 4)


def test_subscriptions_as_dict_and_no_data(subscriptions):
    data = subscription_figures(*YEAR, now=NOW).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data == {**data, "new": 2, "active_at_end": 3, "has_data": True}
    assert not subscription_figures(date(2020, 1, 1), date(2020, 12, 31), now=NOW).has_data


def test_a_period_that_ends_before_it_starts_is_an_error():
    with pytest.raises(ValueError):
        opportunity_figures(date(2025, 2, 1), date(2025, 1, 1))
    with pytest.raises(ValueError):
        subscription_figures(date(2025, 2, 1), date(2025, 1, 1))


def test_the_figures_cost_the_same_queries_for_few_and_many():
    def queries(n: int) -> int:
        for i in range(n):
            opportunity(
                at(2025, 2, 1 + i),
                channel=channel(("hoering", "pulje")[i % 2]),
                departments=[department("TMF"), department(("BUF", "KFF")[i % 2])],
                outcome_published_at=at(2025, 4, 1) if i % 3 else None,
            )
            SubscriptionFactory(confirmed_at=at(2025, 2, 1 + i))
        with CaptureQueriesContext(connection) as context:
            opportunity_figures(*YEAR, now=NOW)
            subscription_figures(*YEAR, now=NOW)
        return len(context)

    assert queries(2) == queries(12) == 5
