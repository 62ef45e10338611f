"""The campaign figures on a small campaign whose sums are worked out by hand, the edges of the
period, periods without a campaign, and the fixed number of queries."""

import json
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sammen.campaigns.figures import Reach, campaign_figures, natural_key
from sammen.campaigns.tests.factories import CampaignFactory, DailyReachFactory, PlacementFactory
from sammen.core.tests.factories import district
from sammen.core.workdays import COPENHAGEN

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 12, 1, 12, 0, tzinfo=COPENHAGEN)
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def count(placement, day: date, visits: int, subscriptions: int = 0, ideas: int = 0) -> None:
    DailyReachFactory(
        placement=placement, day=day, visits=visits, subscriptions=subscriptions, ideas=ideas
    )


@pytest.fixture
def sites():
    """The 2025 campaign, 1-28 September, at four poster sites:
    P-1 (district 3): 1 visit on 31 August (posters up a day early), 10 visits + 1 subscription
        on 1 September, 5 visits + 1 idea on 2 September: 16 visits.
    P-2 (district 3): 4 visits, 1 subscription, 1 idea on 1 September.
    P-10 (district 1): 6 visits on 28 September, 2 more on 3 October (posters left up): 8.
    P-3 (no district): never visited.
    In all 28 visits, 2 subscriptions, 2 ideas. The 2024 campaign's poster, visited in 2024
    and on 2 January 2025, is not part of 2025."""
    campaign = CampaignFactory(year=2025, starts_on=date(2025, 9, 1), ends_on=date(2025, 9, 28))
    p1 = PlacementFactory(campaign=campaign, site_code="P-1", district=district(3))
    p2 = PlacementFactory(campaign=campaign, site_code="P-2", district=district(3))
    p10 = PlacementFactory(campaign=campaign, site_code="P-10", district=district(1))
    p3 = PlacementFactory(campaign=campaign, site_code="P-3", district=None)
    count(p1, date(2025, 8, 31), 1)
    count(p1, date(2025, 9, 1), 10, subscriptions=1)
    count(p1, date(2025, 9, 2), 5, ideas=1)
    count(p2, date(2025, 9, 1), 4, subscriptions=1, ideas=1)
    count(p10, date(2025, 9, 28), 6)
    count(p10, date(2025, 10, 3), 2)

    earlier = CampaignFactory(year=2024, starts_on=date(2024, 9, 2), ends_on=date(2024, 9, 29))
    old = PlacementFactory(campaign=earlier, site_code="P-1", district=district(3))
    count(old, date(2024, 9, 2), 50, subscriptions=5)
    count(old, date(2025, 1, 2), 3)
    return {"campaign": campaign, "p1": p1, "p2": p2, "p10": p10, "p3": p3}


def test_a_year_adds_up_by_hand(sites):
    figures = campaign_figures(*YEAR, now=NOW)

    assert figures.has_data
    assert figures.reach == Reach(visits=28, subscriptions=2, ideas=2)
    assert figures.reach.conversions == 4
    assert figures.reach.conversion_rate == pytest.approx(4 / 28)
    assert figures.placements == 4
    assert figures.placements_never_visited == 1
    assert figures.visits_per_placement == 7.0

    [campaign] = figures.campaigns
    assert (campaign.year, campaign.placements, campaign.placements_never_visited) == (2025, 4, 1)
    assert campaign.reach == figures.reach


def test_by_district_lists_the_districts_with_placements_and_those_without_last(sites):
    figures = campaign_figures(*YEAR, now=NOW)

    rows = [(r.number, r.name, r.placements, r.reach) for r in figures.by_district]
    assert rows == [
        (1, district(1).name, 1, Reach(visits=8)),
        (3, district(3).name, 2, Reach(visits=20, subscriptions=2, ideas=2)),
        (None, "", 1, Reach()),
    ]
    assert figures.by_district[1].visits_per_placement == 10.0
    assert figures.by_district[2].reach.conversion_rate is None


def test_by_placement_puts_the_most_visited_first(sites):
    figures = campaign_figures(*YEAR, now=NOW)

    assert [(r.site_code, r.reach.visits) for r in figures.by_placement] == [
        ("P-1", 16),
        ("P-10", 8),
        ("P-2", 4),
        ("P-3", 0),
    ]
    assert figures.by_placement[0].code == sites["p1"].code
    assert figures.by_placement[3].district == ""


def test_by_day_runs_from_the_first_to_the_last_day_with_reach_or_on_the_posters(sites):
    figures = campaign_figures(*YEAR, now=NOW)

    days = {row.day: row.reach for row in figures.by_day}
    # 31 August (early visit) to 3 October (late visit): 34 days, empty days as zeros.
    assert figures.by_day[0].day == date(2025, 8, 31)
    assert figures.by_day[-1].day == date(2025, 10, 3)
    assert len(figures.by_day) == 34
    assert days[date(2025, 9, 1)] == Reach(visits=14, subscriptions=2, ideas=1)
    assert days[date(2025, 9, 15)] == Reach()
    assert sum(r.visits for r in days.values()) == 28


def test_the_period_edges_are_included_and_only_its_days_are_counted(sites):
    # 2-28 September: P-1's 5 visits on the 2nd, P-10's 6 on the 28th.
    figures = campaign_figures(date(2025, 9, 2), date(2025, 9, 28), now=NOW)
    assert figures.reach == Reach(visits=11, ideas=1)
    assert figures.placements == 4
    assert figures.placements_never_visited == 2  # P-2 (only on the 1st) and P-3
    assert (figures.by_day[0].day, figures.by_day[-1].day) == (date(2025, 9, 2), date(2025, 9, 28))

    # The last day on the posters alone is still the campaign's period.
    last_day = campaign_figures(date(2025, 9, 28), date(2025, 9, 28), now=NOW)
    assert last_day.has_data
    assert last_day.reach.visits == 6
    assert [row.day for row in last_day.by_day] == [date(2025, 9, 28)]


def test_a_period_after_the_campaign_has_no_data_even_with_late_visits(sites):
    figures = campaign_figures(date(2025, 9, 29), date(2025, 10, 31), now=NOW)

    assert not figures.has_data
    assert figures.reach == Reach()
    assert figures.by_day == ()


def test_a_period_without_a_campaign_has_no_data(db):
    figures = campaign_figures(*YEAR, now=NOW)

    assert not figures.has_data
    assert figures.campaigns == ()
    assert figures.reach.conversion_rate is None
    assert figures.visits_per_placement is None
    assert (figures.by_district, figures.by_placement, figures.by_day) == ((), (), ())
    assert figures.as_dict()["has_data"] is False


def test_a_campaign_nobody_visited_is_data_measured_as_zero(db):
    campaign = CampaignFactory(year=2025)
    PlacementFactory(campaign=campaign, district=district(2))
    PlacementFactory(campaign=campaign, district=district(2))

    figures = campaign_figures(*YEAR, now=NOW)

    assert figures.has_data
    assert figures.reach.visits == 0
    assert figures.reach.conversion_rate is None
    assert figures.placements_never_visited == 2
    assert figures.visits_per_placement == 0.0
    # Every day on the posters is listed, as zeros.
    assert len(figures.by_day) == 28


def test_a_running_campaign_lists_its_days_up_to_today(db):
    campaign = CampaignFactory(year=2025, starts_on=date(2025, 9, 1), ends_on=date(2025, 9, 28))
    count(PlacementFactory(campaign=campaign), date(2025, 9, 3), 7)

    figures = campaign_figures(*YEAR, now=datetime(2025, 9, 10, 8, 0, tzinfo=COPENHAGEN))

    assert [row.day for row in figures.by_day][-1] == date(2025, 9, 10)
    assert len(figures.by_day) == 10


def test_a_campaign_not_started_has_no_days_yet(db):
    PlacementFactory(campaign=CampaignFactory(year=2025, starts_on=date(2025, 9, 1)))

    figures = campaign_figures(*YEAR, now=datetime(2025, 8, 1, 8, 0, tzinfo=COPENHAGEN))

    assert figures.has_data
    assert figures.by_day == ()


def test_one_campaign_only(sites):
    wide = (date(2024, 1, 1), date(2025, 12, 31))
    both = campaign_figures(*wide, now=NOW)
    assert [c.year for c in both.campaigns] == [2024, 2025]
    assert both.reach.visits == 28 + 53

    one = campaign_figures(*wide, campaign=sites["campaign"], now=NOW)
    assert [c.year for c in one.campaigns] == [2025]
    assert one.reach.visits == 28


def test_as_dict_is_plain_json_with_the_top_placements(sites):
    data = campaign_figures(*YEAR, now=NOW).as_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["reach"] == {
        "visits": 28,
        "subscriptions": 2,
        "ideas": 2,
        "conversions": 4,
        "conversion_rate": 4 / 28,
    }
    assert data["top_placements"][0]["site_code"] == "P-1"
    assert data["campaigns"][0]["starts_on"] == "2025-09-01"
    assert data["by_day"][1] == {
        "day": "2025-09-01",
        "visits": 14,
        "subscriptions": 2,
        "ideas": 1,
        "conversions": 3,
        "conversion_rate": 3 / 14,
    }


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        campaign_figures(date(2025, 2, 1), date(2025, 1, 31))


def test_site_codes_sort_naturally():
    assert sorted(["P-10", "p-2", "P-1"], key=natural_key) == ["P-1", "p-2", "P-10"]


def _queries(start: date, end: date) -> int:
    with CaptureQueriesContext(connection) as context:
        campaign_figures(start, end, now=NOW)
    return len(context.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_data(db):
    small = CampaignFactory(year=2025)
    count(PlacementFactory(campaign=small, district=district(1)), date(2025, 9, 1), 1)
    few = _queries(*YEAR)

    for year in (2023, 2024):
        campaign = CampaignFactory(year=year)
        for number in range(1, 11):
            placement = PlacementFactory(campaign=campaign, district=district(number))
            for day in range(1, 6):
                count(placement, date(year, 9, day), day, subscriptions=1)
    many = _queries(date(2023, 1, 1), date(2025, 12, 31))

    assert few == many == 4
