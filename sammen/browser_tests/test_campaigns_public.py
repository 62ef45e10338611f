"""A poster campaign in a real browser: a Copenhagener scans a poster's short link, lands on the
campaign page (the visit counted, no cookie set) and goes on to send an idea with the poster's code
in the address; a mistyped code shows the friendly page. axe-core must find no WCAG 2.0/2.1 A/AA
violation on the landing page, in either language, or on the unknown-code page."""

import pytest
from django.urls import reverse
from django.utils import translation

from sammen.browser_tests.conftest import describe, run_axe
from sammen.campaigns.models import DailyReach
from sammen.campaigns.tests.factories import CampaignFactory, PlacementFactory
from sammen.participation.tests.factories import OpportunityFactory, channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "hk7mp"


def assert_accessible(page, name: str) -> None:
    violations = run_axe(page)
    assert violations == [], f"{name} ({page.url}):\n{describe(violations)}"


@pytest.fixture
def campaign(reference):
    campaign = CampaignFactory(
        featured_opportunities=[
            OpportunityFactory(title="Lokalplan for Nørrebroparken"),
            OpportunityFactory(
                title="Borgermøde om cykelstier på Amager", channel=channel("borgermoede")
            ),
        ],
        channels=[channel("hoering"), channel("lokaludvalg")],
    )
    PlacementFactory(campaign=campaign, code=CODE)
    return campaign


def test_a_short_link_leads_to_an_accessible_landing_page(live_server, page, campaign):
    page.goto(f"{live_server.url}/k/{CODE}")
    landing = reverse("campaigns:landing", args=[campaign.year])
    assert page.url == f"{live_server.url}{landing}?k={CODE}"
    assert page.locator("h1").inner_text() == campaign.message_da
    assert list(DailyReach.objects.values_list("visits", flat=True)) == [1]
    assert page.context.cookies() == []
    assert_accessible(page, "landing page")

    idea_form = f"{reverse('ideas:submit')}?campaign={CODE}"
    page.locator(f"main a[href='{idea_form}']").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}{idea_form}"
    assert page.locator("input[name=campaign]").input_value() == CODE

    with translation.override("en"):
        english = reverse("campaigns:landing", args=[campaign.year])
    page.goto(f"{live_server.url}{english}?k={CODE}")
    assert page.locator("h1").inner_text() == campaign.message_en
    assert_accessible(page, "landing page in English")


def test_an_unknown_code_shows_an_accessible_page(live_server, page, campaign):
    response = page.goto(f"{live_server.url}/k/22222")
    assert response.status == 404
    assert page.locator(f"main a[href='{reverse('participation:home')}']").count() == 1
    assert page.locator(f"main a[href='{reverse('ideas:submit')}']").count() == 1
    assert_accessible(page, "unknown poster link")
    assert not DailyReach.objects.exists()
