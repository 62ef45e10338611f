"""The staff pages for running poster campaigns, with the demo campaigns, in Danish and English:
zero axe violations (WCAG 2.0/2.1 A and AA), also with a form's errors and a failed import."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.browser_tests.conftest import describe, run_axe
from sammen.browser_tests.test_staff_pages import check_pages, use_session
from sammen.campaigns.demo import campaigns_seed
from sammen.campaigns.models import Campaign
from sammen.core.tests.factories import UserFactory
from sammen.core.workdays import local_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator(reference):
    campaigns_seed(seed=7)
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    return user


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_campaign_pages_have_no_accessibility_violations(
    live_server, page, coordinator, language
):
    use_session(page, live_server, verified_login(Client(), coordinator))
    campaign = Campaign.objects.get(year=local_date(timezone.now()).year - 1)
    placement = campaign.placements.first()
    with translation.override(language):
        paths = [
            ("campaigns", reverse("campaigns_staff:index")),
            ("new campaign", reverse("campaigns_staff:create")),
            ("campaign", reverse("campaigns_staff:detail", args=[campaign.year])),
            ("edit campaign", reverse("campaigns_staff:edit", args=[campaign.year])),
            (
                "new placement",
                reverse("campaigns_staff:placement_create", args=[campaign.year]),
            ),
            (
                "edit placement",
                reverse("campaigns_staff:placement_edit", args=[campaign.year, placement.pk]),
            ),
            ("import", reverse("campaigns_staff:placement_import", args=[campaign.year])),
        ]
    failures = check_pages(page, live_server, paths, language)
    assert not failures, "\n\n".join(failures)


def test_a_failed_import_and_a_form_with_errors_have_no_accessibility_violations(
    live_server, page, coordinator, tmp_path
):
    use_session(page, live_server, verified_login(Client(), coordinator))
    year = local_date(timezone.now()).year - 1
    bad = tmp_path / "plakater.csv"
    bad.write_text("Plakatsted;Adresse;Bydel\nNB-901;;3\nNB-902;Nørrebrogade 9;Lyngby\n")
    page.goto(live_server.url + reverse("campaigns_staff:placement_import", args=[year]))
    page.set_input_files("input[type=file]", str(bad))
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#import-problems li").count() == 2
    assert run_axe(page) == [], describe(run_axe(page))

    page.goto(live_server.url + reverse("campaigns_staff:create"))
    page.locator("main form[novalidate] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert run_axe(page) == [], describe(run_axe(page))
