"""The results page of last year's campaign in Chromium, in Danish and English: zero axe
violations (WCAG 2.0/2.1 A and AA) with the charts drawn and the table under each chart opened,
and the placement table sorted by following a column heading's link."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.browser_tests.conftest import describe, run_axe
from sammen.campaigns.tests.factories import CampaignFactory, DailyReachFactory, PlacementFactory
from sammen.core.tests.factories import UserFactory, district

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaigns(reference):
    """Last year's campaign and the year before, a dozen poster sites each, a week of visits."""
    this = CampaignFactory()
    before = CampaignFactory(year=this.year - 1)
    for campaign in (this, before):
        for number in range(12):
            site = PlacementFactory(
                campaign=campaign,
                site_code=f"S-{number + 1}",
                district=district(number % 10 + 1) if number < 11 else None,
            )
            for day in range(7):
                DailyReachFactory(
                    placement=site,
                    day=campaign.starts_on + timedelta(days=day),
                    visits=(number * 3 + day) % 11,
                    subscriptions=day % 2,
                    ideas=1 if number == day else 0,
                )
    return this


def steering_session(page, live_server) -> None:
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.STEERING)
    client = verified_login(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_results_page_has_no_accessibility_violations(live_server, page, campaigns, language):
    steering_session(page, live_server)
    with translation.override(language):
        address = reverse("campaigns_staff:results", args=[campaigns.year])
    response = page.goto(live_server.url + address)
    assert response is not None and response.status == 200
    assert page.evaluate("document.documentElement.lang") == language
    assert page.locator("main svg[role=img]").count() == 2
    page.locator("summary.details-summary").first.click()  # the numbers behind the day chart
    assert page.locator("details[open] table").count() == 1
    violations = run_axe(page)
    assert violations == [], describe(violations)


def test_the_placement_table_sorts_without_script(live_server, browser, campaigns):
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    steering_session(page, live_server)
    with translation.override("en"):
        address = reverse("campaigns_staff:results", args=[campaigns.year])
    page.goto(live_server.url + address)
    table = page.locator("#results-placements-caption").locator("xpath=..")
    page.get_by_role("link", name="Poster site code").click()
    page.wait_for_load_state()
    assert "sort=site" in page.url
    first_cells = table.locator("tbody th").all_inner_texts()
    assert first_cells[:3] == ["S-1", "S-2", "S-3"]
    header = page.locator("th[aria-sort]")
    assert header.get_attribute("aria-sort") == "ascending"
    context.close()
