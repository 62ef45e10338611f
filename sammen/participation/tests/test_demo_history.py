"""The catalogue demo's year behind the hand-written entries: last year's and this year's
opportunities, closed, most with what came of it, some imported and withdrawn, and the digest's
subscribers, so the yearly report has figures for last year whatever the date; and the year before
last, the first, with fewer of each, to compare with."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from sammen.core.models import Department
from sammen.core.workdays import COPENHAGEN
from sammen.participation import demo
from sammen.participation.figures import opportunity_figures, subscription_figures
from sammen.participation.models import Channel, Opportunity, OpportunityChange, Subscription

pytestmark = pytest.mark.django_db


def _users() -> dict:
    staff = demo.users_create()[: len(demo.DEMO_STAFF)]
    return {
        abbreviation: user for (*_, abbreviation), user in zip(demo.DEMO_STAFF, staff, strict=True)
    }


@pytest.mark.parametrize("today", [None, (1, 10), (3, 1), (12, 20)])
def test_last_year_has_opportunities_outcomes_imports_and_subscribers(today):
    now = (
        timezone.now()
        if today is None
        else datetime(timezone.localdate().year, *today, 12, tzinfo=COPENHAGEN)
    )
    assert demo.past_seed(now=now, seed=2025, users=_users()) >= 100
    year = timezone.localdate(now).year - 1
    since = datetime(year, 1, 1, tzinfo=COPENHAGEN)
    until = datetime(year + 1, 1, 1, tzinfo=COPENHAGEN)
    last_year = Opportunity.objects.filter(published_at__gte=since, published_at__lt=until)
    assert last_year.count() >= 100
    # Published across the year, by most channels and every department.
    assert len({o.published_at.astimezone(COPENHAGEN).month for o in last_year}) >= 11
    assert last_year.values("channel").distinct().count() >= len(Channel.objects.all()) - 2
    assert set(last_year.values_list("departments__abbreviation", flat=True)) == set(
        Department.objects.values_list("abbreviation", flat=True)
    )
    # Closed by now (but a late københavnerforslag, open for half a year), most with an
    # outcome; some imported, a few of those withdrawn.
    closed = [o for o in last_year if (o.deadline or o.end_at or o.start_at) < now]
    assert len(closed) >= 0.95 * last_year.count()
    with_outcome = [o for o in closed if o.outcome_published_at]
    assert 0.65 <= len(with_outcome) / len(closed) <= 0.9
    assert all(o.outcome and o.outcome_published_at < now for o in with_outcome)
    imported = last_year.filter(source=Opportunity.Source.OS2AGORA)
    assert imported.count() >= 8 and imported.filter(withdrawn_at__isnull=False).exists()
    assert not imported.filter(withdrawn_at__isnull=False, outcome_published_at__isnull=False)
    assert OpportunityChange.objects.filter(action=OpportunityChange.Action.WITHDRAWN).exists()
    # Subscribers confirmed all through last year and this year, each after signing up.
    subscriptions = Subscription.objects.filter(confirmed_at__gte=since, confirmed_at__lt=until)
    assert subscriptions.count() >= 120
    assert Subscription.objects.filter(confirmed_at__gte=until).exists()
    assert all(
        s.created_at < s.confirmed_at <= s.last_digest_at < now for s in Subscription.objects.all()
    )
    _the_year_before_had_fewer(now)
    assert demo.past_seed(now=now, seed=2025, users=_users()) == 0  # once


def _the_year_before_had_fewer(now):
    """The year before last: fewer opportunities (all closed), a lower share with an outcome,
    fewer new subscribers; the figures for it have data, so the report shows the change."""
    year = timezone.localdate(now).year - 2
    before = opportunity_figures(date(year, 1, 1), date(year, 12, 31), now=now)
    last = opportunity_figures(date(year + 1, 1, 1), date(year + 1, 12, 31), now=now)
    assert before.has_data and 0.5 * last.published <= before.published <= 0.75 * last.published
    assert before.with_outcome.of == before.published  # every one closed
    assert before.with_outcome.value + 0.08 <= last.with_outcome.value
    assert before.imported and before.by_department and before.by_channel
    subscriptions = [
        subscription_figures(date(y, 1, 1), date(y, 12, 31), now=now) for y in (year, year + 1)
    ]
    assert subscriptions[0].has_data and 80 <= subscriptions[0].new < subscriptions[1].new
    assert subscriptions[1].active_at_end == subscriptions[0].new + subscriptions[1].new


def test_every_row_is_in_order_and_complete():
    now = timezone.now()
    demo.past_seed(now=now, seed=2025, users=_users())
    for o in Opportunity.objects.prefetch_related("departments", "topics", "principles"):
        o.full_clean(exclude=["departments", "districts", "topics", "principles"])
        assert o.created_at < o.published_at <= o.start_at
        assert (o.end_at or o.deadline) > o.start_at
        if o.outcome_published_at:
            assert o.outcome_published_at > (o.deadline or o.end_at)
        assert o.departments.all() and o.topics.all() and o.principles.all()
        assert o.search_stems and o.contact_email.endswith("kk.dk")
        if o.channel.slug in demo.MEETING_CHANNELS:
            assert o.venue_id
        changes = list(o.changes.order_by("at", "pk"))
        assert changes and changes[-1].at <= o.updated_at < now
    # No title twice: each opportunity is its own.
    titles = list(Opportunity.objects.values_list("title", flat=True))
    assert len(titles) == len(set(titles))
    assert timedelta(0) < now - Subscription.objects.order_by("created_at").first().created_at
