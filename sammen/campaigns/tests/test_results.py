"""The results page and its CSV: who may see them, the totals against last year, the charts with
their tables, the placement table's order and pages, the CSV's content, and a fixed number of
queries. Years are relative to today: the campaign is last year's, compared with the year before."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.campaigns import results as results_data
from sammen.campaigns.tests.factories import (
    CampaignFactory,
    DailyReachFactory,
    PlacementFactory,
    last_year,
)
from sammen.core.tests.factories import UserFactory, department, district
from sammen.core.workdays import local_date

pytestmark = pytest.mark.django_db

YEAR = last_year()


def login(role: Role | None = None) -> Client:
    user = UserFactory(departments=[department("TMF")])
    if role is not None:
        RoleAssignment.objects.create(user=user, role=role)
    return verified_login(Client(), user)


def url(year: int = YEAR, name: str = "results") -> str:
    return reverse(f"campaigns_staff:{name}", args=[year])


def count(placement, day: date, visits: int, subscriptions: int = 0, ideas: int = 0) -> None:
    DailyReachFactory(
        placement=placement, day=day, visits=visits, subscriptions=subscriptions, ideas=ideas
    )


@pytest.fixture
def campaign():
    """Last year's campaign (1-28 September): 30 visits, 3 subscriptions, 3 ideas at two sites;
    a third site never visited."""
    campaign = CampaignFactory(year=YEAR)
    first = PlacementFactory(
        campaign=campaign, site_code="A-2", address="Nørrebrogade 1", district=district(3)
    )
    second = PlacementFactory(
        campaign=campaign, site_code="A-10", address="Amagerbrogade 5", district=district(9)
    )
    PlacementFactory(campaign=campaign, site_code="A-1", address="=Vesterbrogade 9", district=None)
    count(first, date(YEAR, 9, 1), 20, subscriptions=2, ideas=1)
    count(second, date(YEAR, 9, 2), 10, subscriptions=1, ideas=2)
    return campaign


@pytest.fixture
def earlier():
    """The year before: 20 visits, 3 subscriptions, no ideas, over two days."""
    campaign = CampaignFactory(year=YEAR - 1)
    site = PlacementFactory(campaign=campaign, district=district(3))
    count(site, date(YEAR - 1, 9, 1), 15, subscriptions=2)
    count(site, date(YEAR - 1, 9, 2), 5, subscriptions=1)
    return campaign


# --- Who may see the results --------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.STEERING, Role.COORDINATOR, Role.ADMINISTRATOR])
def test_the_steering_group_and_those_running_the_campaign_see_the_results(campaign, role):
    client = login(role)
    assert client.get(url()).status_code == 200
    assert client.get(url(name="results_csv")).status_code == 200


def test_department_staff_get_403(campaign):
    client = login()
    assert client.get(url()).status_code == 403
    assert client.get(url(name="results_csv")).status_code == 403


def test_a_dialogue_consultant_gets_403(campaign):
    user = UserFactory(departments=[department("TMF")])
    RoleAssignment.objects.create(user=user, role=Role.CONSULTANT, department=department("TMF"))
    client = verified_login(Client(), user)
    assert client.get(url()).status_code == 403


def test_only_those_running_campaigns_get_links_to_the_campaign_pages(campaign):
    with translation.override("en"):
        links = [
            reverse("campaigns_staff:create"),
            reverse("campaigns_staff:detail", args=[YEAR]),
            reverse("campaigns_staff:edit", args=[YEAR]),
        ]
    steering = english(login(Role.STEERING)).content.decode()
    coordinator = english(login(Role.COORDINATOR)).content.decode()
    for link in links:
        assert f'href="{link}"' not in steering
        assert f'href="{link}"' in coordinator


def test_anonymous_visitors_are_sent_to_log_in(campaign):
    response = Client().get(url())
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_an_unknown_year_is_404(campaign):
    assert login(Role.STEERING).get(url(YEAR - 5)).status_code == 404


def test_the_address_is_danish_with_an_english_twin():
    assert url(2025) == "/personale/kampagner/2025/resultater/"
    assert url(2025, "results_csv") == "/personale/kampagner/2025/resultater.csv"
    with translation.override("en"):
        assert url(2025) == "/en/personale/kampagner/2025/results/"


# --- The page -----------------------------------------------------------------------------------


def english(client: Client, query: str = "", year: int = YEAR, name: str = "results"):
    """The page in English (its address reversed in English too)."""
    with translation.override("en"):
        return client.get(url(year, name) + query)


def test_the_totals_are_compared_with_last_year(campaign, earlier):
    response = english(login(Role.STEERING))
    assert response.status_code == 200
    rows = {row.label: row for row in response.context["comparisons"]}
    assert rows["Visits"].current == 30 and rows["Visits"].previous == 20
    assert rows["Visits"].change == 50.0
    assert rows["New subscriptions"].change == 0.0
    assert rows["Ideas submitted"].previous == 0 and rows["Ideas submitted"].change is None
    # 6 of 30 this year (20 %), 3 of 20 last year (15 %): 5 percentage points.
    assert rows["Conversion rate"].change == pytest.approx(5.0)
    html = response.content.decode()
    assert "+50 %" in html
    assert "20.0 %" in html and "15.0 %" in html
    assert "5.0 percentage points" in html
    assert "Cannot be compared" in html  # ideas: none last year


def test_without_a_campaign_last_year_the_page_says_so(campaign):
    html = english(login(Role.STEERING)).content.decode()
    assert f"There was no campaign in {YEAR - 1} to compare with." in html
    assert "Change" not in html


def test_the_charts_come_with_their_numbers_as_tables(campaign, earlier):
    response = english(login(Role.COORDINATOR))
    html = response.content.decode()
    assert html.count("<svg") == 2
    assert "<title" in html and "Visits per day of the campaign" in html
    assert "Visits per district" in html
    # Day 1 of both campaigns lined up, day 2 likewise.
    days = {row.number: row for row in response.context["days"]}
    assert (days[1].visits, days[1].previous_visits) == (20, 15)
    assert (days[2].visits, days[2].previous_visits) == (10, 5)
    assert days[28].visits == 0 and days[28].previous_visits == 0
    assert "<caption" in html and 'scope="row"' in html
    assert district(9).name in html


def test_a_campaign_without_visits_says_so_and_draws_no_chart():
    PlacementFactory(campaign=CampaignFactory(year=YEAR))
    html = english(login(Role.STEERING)).content.decode()
    assert "No visits have been counted yet through this campaign" in html
    assert "<svg" not in html
    assert "1 poster site had no visits." in html


def test_a_campaign_without_placements_says_so():
    CampaignFactory(year=YEAR)
    html = english(login(Role.STEERING)).content.decode()
    assert "The campaign has no poster sites yet" in html
    assert "<svg" not in html
    assert "results.csv" not in html


def test_a_campaign_not_started_says_when_it_starts():
    today = local_date(timezone.now())
    campaign = CampaignFactory(
        year=today.year + 1,
        starts_on=date(today.year + 1, 3, 1),
        ends_on=date(today.year + 1, 3, 31),
    )
    PlacementFactory(campaign=campaign)
    client = login(Role.STEERING)
    html = english(client, year=campaign.year).content.decode()
    assert "The campaign starts on March 1" in html


def site_codes(response) -> list[str]:
    return [row.site_code for row in response.context["page_obj"]]


def test_the_placement_table_sorts_by_its_column_headings(campaign):
    client = login(Role.STEERING)
    assert site_codes(english(client)) == ["A-2", "A-10", "A-1"]  # most visits first
    assert site_codes(english(client, "?sort=site")) == ["A-1", "A-2", "A-10"]
    assert site_codes(english(client, "?sort=-site")) == ["A-10", "A-2", "A-1"]
    assert site_codes(english(client, "?sort=ideas")) == ["A-1", "A-2", "A-10"]
    assert site_codes(english(client, "?sort=district")) == ["A-2", "A-10", "A-1"]
    assert site_codes(english(client, "?sort=nonsense")) == ["A-2", "A-10", "A-1"]
    html = english(client, "?sort=site").content.decode()
    assert 'aria-sort="ascending"' in html
    assert "?sort=-site#placements" in html  # choose it again to reverse
    assert "?sort=-visits#placements" in html


def test_a_long_placement_table_is_paginated(campaign):
    for number in range(60):
        PlacementFactory(campaign=campaign, site_code=f"B-{number}")
    client = login(Role.STEERING)
    first = english(client, "?sort=site")
    assert len(site_codes(first)) == 50
    second = english(client, "?sort=site&page=2")
    assert len(site_codes(second)) == 13
    assert "page=2" in first.content.decode()
    assert "sort=site" in first.content.decode()


# --- CSV ----------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def test_the_csv_has_one_row_per_placement_and_day(campaign):
    response = english(login(Role.STEERING), name="results_csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"campaign-{YEAR}-results.csv" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == [
        "Date",
        "Poster site code",
        "Address",
        "District",
        "Visits",
        "New subscriptions",
        "Ideas submitted",
    ]
    assert len(rows) == 1 + 3 * 28  # three sites, 1-28 September
    assert rows[1] == [f"{YEAR}-09-01", "A-1", "'=Vesterbrogade 9", "", "0", "0", "0"]
    assert rows[2] == [f"{YEAR}-09-01", "A-2", "Nørrebrogade 1", district(3).name, "20", "2", "1"]
    assert rows[6] == [f"{YEAR}-09-02", "A-10", "Amagerbrogade 5", district(9).name, "10", "1", "2"]
    assert sum(int(row[4]) for row in rows[1:]) == 30


def test_the_csv_is_named_in_danish():
    CampaignFactory(year=YEAR)
    response = login(Role.STEERING).get(url(name="results_csv"))
    assert f'filename="kampagne-{YEAR}-resultater.csv"' in response["Content-Disposition"]


# --- Queries ------------------------------------------------------------------------------------


def queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context.captured_queries)


def test_the_page_and_the_csv_run_a_fixed_number_of_queries(campaign, earlier):
    client = login(Role.STEERING)
    queries(client, url())  # the session and permissions warm up
    small = queries(client, url()), queries(client, url(name="results_csv"))

    for number in range(40):
        site = PlacementFactory(campaign=campaign, district=district(number % 10 + 1))
        for day in range(5):
            count(site, campaign.starts_on + timedelta(days=day), number, subscriptions=1)
    large = queries(client, url()), queries(client, url(name="results_csv"))

    assert small == large


def test_the_results_period_is_the_campaign_year_widened_to_its_dates():
    spill = CampaignFactory.build(
        year=2025, starts_on=date(2025, 11, 20), ends_on=date(2026, 1, 10)
    )
    assert results_data.results_period(spill) == (date(2025, 1, 1), date(2026, 1, 10))
