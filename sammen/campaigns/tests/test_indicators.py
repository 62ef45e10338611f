"""The campaign's indicators in the report's registry: the values of a small campaign worked out
by hand, no data without a campaign, and one computation of the figures for all of them."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sammen.campaigns.tests.factories import CampaignFactory, DailyReachFactory, PlacementFactory
from sammen.core.tests.factories import district
from sammen.reporting import indicators as registry
from sammen.reporting.indicators import TASK_CAMPAIGN, Period, Unit

pytestmark = pytest.mark.django_db

KEYS = [
    "campaigns.placements",
    "campaigns.visits",
    "campaigns.visits_per_placement",
    "campaigns.placements_never_visited",
    "campaigns.subscriptions",
    "campaigns.ideas",
    "campaigns.conversion_rate",
]


@pytest.fixture
def campaign():
    """2025: three poster sites. District 1: 30 visits, 3 subscriptions, 1 idea at one site and
    none at the other; district 2: 10 visits and 1 idea. 40 visits, 3 + 2 = 5 conversions."""
    campaign = CampaignFactory(year=2025, starts_on=date(2025, 9, 1), ends_on=date(2025, 9, 28))
    busy = PlacementFactory(campaign=campaign, district=district(1))
    PlacementFactory(campaign=campaign, district=district(1))
    quiet = PlacementFactory(campaign=campaign, district=district(2))
    DailyReachFactory(placement=busy, day=date(2025, 9, 1), visits=30, subscriptions=3, ideas=1)
    DailyReachFactory(placement=quiet, day=date(2025, 9, 2), visits=10, subscriptions=0, ideas=1)
    return campaign


def measure(key: str, year: int = 2025):
    return registry.get(key).measure(Period.year(year))


def test_the_campaign_task_has_its_indicators_in_order():
    mine = [i for i in registry.registered() if i.task == TASK_CAMPAIGN]
    assert [i.key for i in mine] == KEYS
    assert registry.get("campaigns.conversion_rate").unit == Unit.SHARE
    assert registry.get("campaigns.placements_never_visited").higher_is_better is False
    assert registry.get("campaigns.visits").higher_is_better is True


def test_values_and_breakdowns_by_district(campaign):
    one, two = district(1).name, district(2).name
    with translation.override("en"):
        visits = measure("campaigns.visits")
        rate = measure("campaigns.conversion_rate")
        per_site = measure("campaigns.visits_per_placement")
    assert visits.value == 40
    assert visits.breakdown == ((one, 30), (two, 10))
    assert visits.note == "the 2025 campaign"
    assert measure("campaigns.placements").value == 3
    assert measure("campaigns.placements").breakdown == ((one, 2), (two, 1))
    assert measure("campaigns.placements_never_visited").value == 1
    assert measure("campaigns.subscriptions").value == 3
    assert measure("campaigns.ideas").breakdown == ((one, 1), (two, 1))
    assert rate.value == 0.125  # 5 of 40
    assert rate.breakdown == ((one, round(4 / 30, 4)), (two, 0.1))
    assert rate.note == "of 40 visits"
    assert per_site.value == 13.3  # 40 visits at 3 sites
    assert per_site.breakdown == ((one, 15.0), (two, 10.0))


def test_placements_without_a_district_are_named_as_such(campaign):
    PlacementFactory(campaign=campaign, district=None)
    with translation.override("en"):
        breakdown = measure("campaigns.placements").breakdown
    assert breakdown[-1] == ("No district given", 1)


def test_no_campaign_in_the_period_is_no_data(campaign):
    for key in KEYS:
        assert measure(key, 2023).value is None, key
        assert not measure(key, 2023).has_data


def test_a_campaign_nobody_visited_measures_zero_but_no_rate():
    PlacementFactory(campaign=CampaignFactory(year=2025))
    assert measure("campaigns.visits").value == 0
    assert measure("campaigns.subscriptions").value == 0
    assert measure("campaigns.placements_never_visited").value == 1
    assert measure("campaigns.conversion_rate").value is None


def test_a_campaign_without_placements_has_no_visits_per_placement():
    CampaignFactory(year=2025)
    assert measure("campaigns.placements").value == 0
    assert measure("campaigns.visits").value == 0
    assert measure("campaigns.visits_per_placement").value is None


def test_all_the_campaign_indicators_share_one_computation(campaign):
    period = Period.year(2025)
    with CaptureQueriesContext(connection) as context:
        values = {key: registry.get(key).measure(period).as_dict() for key in KEYS}
    assert len(context.captured_queries) == 4
    assert values["campaigns.visits"]["value"] == 40
