"""The demo campaigns: dated from today, consistent, and seeded once."""

import time
from datetime import timedelta

import pytest
from django.db.models import F, Q, Sum
from django.utils import timezone

from sammen.campaigns.demo import campaigns_seed
from sammen.campaigns.models import Campaign, DailyReach, Placement
from sammen.core.workdays import local_date
from sammen.participation.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_last_years_campaign_the_one_before_and_this_years():
    OpportunityFactory.create_batch(5)
    started = time.monotonic()
    assert campaigns_seed(seed=7) == 3
    assert time.monotonic() - started < 10  # about a second; generous for a busy machine
    today = local_date(timezone.now())
    last = Campaign.objects.get(year=today.year - 1)
    before = Campaign.objects.get(year=today.year - 2)
    this = Campaign.objects.get(year=today.year)
    assert all(c.is_published for c in (last, before, this))
    assert 35 <= last.placements.count() <= 45
    assert before.placements.count() < last.placements.count()
    # Every district has poster columns in last year's campaign.
    assert last.placements.values("district").distinct().count() == 10
    assert last.featured_opportunities.exists() and last.channels.exists()
    # This year's ran in the past weeks and has fewer days of data than last year's.
    assert this.ends_on < today and this.starts_on >= today - timedelta(days=60)
    days = {
        c.year: DailyReach.objects.filter(placement__campaign=c).values("day").distinct().count()
        for c in (last, this)
    }
    assert days[this.year] < days[last.year]
    if this.starts_on < today - timedelta(days=1):  # not so in the first days of January
        assert days[this.year] > 0


def test_the_counts_are_consistent():
    campaigns_seed(seed=3)
    today = local_date(timezone.now())
    reach = DailyReach.objects.all()
    assert reach.exists()
    # Every row lies in or after its campaign's period, and not in the future.
    assert not reach.filter(day__lt=F("placement__campaign__starts_on")).exists()
    assert not reach.filter(day__gte=today).exists()
    assert not reach.filter(Q(subscriptions__gt=F("visits")) | Q(ideas__gt=F("visits"))).exists()
    assert not reach.filter(visits=0).exists()
    last = DailyReach.objects.filter(placement__campaign__year=today.year - 1)
    totals = last.aggregate(visits=Sum("visits"), subs=Sum("subscriptions"), ideas=Sum("ideas"))
    assert 1000 < totals["visits"] < 20000
    assert 0.01 < totals["subs"] / totals["visits"] < 0.08
    assert 0 < totals["ideas"] < totals["subs"]
    # The busy squares beat the quiet streets, and there is a tail after the campaign.
    by_site = dict(last.values_list("placement__address").annotate(Sum("visits")).order_by())
    assert by_site["Nørreport Station, Nørre Voldgade 13"] > by_site["Strandboulevarden 90"]
    campaign = Campaign.objects.get(year=today.year - 1)
    assert last.filter(day__gt=campaign.ends_on).exists()
    during = last.filter(day__lte=campaign.ends_on).aggregate(s=Sum("visits"))["s"]
    after = last.filter(day__gt=campaign.ends_on).aggregate(s=Sum("visits"))["s"]
    assert after < during / 4


def test_weekdays_are_busier_than_sundays():
    campaigns_seed(seed=5)
    campaign = Campaign.objects.get(year=local_date(timezone.now()).year - 1)
    rows = DailyReach.objects.filter(
        placement__campaign=campaign,
        day__gte=campaign.starts_on + timedelta(days=7),
        day__lte=campaign.ends_on,
    )
    per_weekday: dict[int, list[int]] = {}
    for day, visits in rows.values_list("day").annotate(Sum("visits")).order_by():
        per_weekday.setdefault(day.weekday(), []).append(visits)
    tuesday = sum(per_weekday[1]) / len(per_weekday[1])
    sunday = sum(per_weekday[6]) / len(per_weekday[6])
    assert tuesday > sunday


def test_seeding_again_adds_nothing_and_keeps_a_year_that_exists():
    assert campaigns_seed(seed=1) == 3
    placements = Placement.objects.count()
    assert campaigns_seed(seed=1) == 0
    assert Placement.objects.count() == placements
    Campaign.objects.filter(year=local_date(timezone.now()).year).delete()
    assert campaigns_seed(seed=2) == 1
