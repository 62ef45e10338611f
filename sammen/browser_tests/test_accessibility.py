"""Every public page template, in Danish and English, with realistic content: zero axe violations
against the WCAG 2.0/2.1 A and AA rules (the law for Danish public websites)."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from sammen.browser_tests.conftest import describe, run_axe
from sammen.core.models import District
from sammen.participation.models import Channel, Opportunity, OpportunityStatus, Subscription

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(reference) -> None:
    call_command("seed_demo", "--seed", "7", "--parts", "catalogue", verbosity=0)


def _public_paths(language: str) -> list[tuple[str, str]]:
    """(name, path) of every public page template, with content that fills it."""
    with translation.override(language):
        opportunities = Opportunity.objects.filter(is_published=True, withdrawn_at__isnull=True)
        with_outcome = next(
            o for o in opportunities if o.status == OpportunityStatus.OUTCOME_PUBLISHED
        )
        open_one = next(
            o for o in opportunities if o.status == OpportunityStatus.OPEN and o.venue_id
        )
        district = District.objects.get(number=3)
        channel = Channel.objects.get(slug="borgermoede")
        subscription = Subscription.objects.create(email="axe@example.dk", language=language)
        list_url = reverse("participation:opportunity_list")
        return [
            ("front page", reverse("participation:home")),
            ("list", list_url),
            ("filtered list", f"{list_url}?district={district.slug}&channel=hoering&status=open"),
            ("search", f"{list_url}?q=cykelsti"),
            ("empty list", f"{list_url}?district=ingen-bydel"),
            ("list page 2", f"{list_url}?page=2"),
            ("opportunity", open_one.get_absolute_url()),
            ("opportunity with outcome", with_outcome.get_absolute_url()),
            ("channels", reverse("participation:channel_list")),
            ("channel", channel.get_absolute_url()),
            ("districts", reverse("participation:district_list")),
            ("district", reverse("participation:district_detail", kwargs={"slug": district.slug})),
            ("subscribe", reverse("participation:subscribe")),
            ("subscribe sent", reverse("participation:subscribe_sent")),
            (
                "confirm",
                reverse("participation:subscribe_confirm", kwargs={"token": subscription.token}),
            ),
            (
                "unsubscribe",
                reverse("participation:unsubscribe", kwargs={"token": subscription.token}),
            ),
            ("unknown token", reverse("participation:unsubscribe", kwargs={"token": "ukendt"})),
            ("accessibility statement", reverse("core:accessibility")),
            ("privacy notice", reverse("core:privacy")),
            ("open data", f"{reverse('api:docs')}?lang={language}"),
            ("experiences", reverse("knowledge_public:example_list")),
            ("experience", _public_example().get_public_url()),
            ("staff login", reverse("accounts:login")),
            ("not found", f"{list_url}findes-ikke/"),
        ]


def _public_example():
    from sammen.knowledge.selectors import public_examples

    return public_examples().first()


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_public_page_has_no_accessibility_violations(live_server, page, demo, language):
    failures = []
    for name, path in _public_paths(language):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status in (200, 404), f"{name} ({path}) answered {response.status}"
        assert page.evaluate("document.documentElement.lang") == language, (
            f"{name}: wrong lang attribute"
        )
        violations = run_axe(page)
        if violations:
            failures.append(f"{name} ({path}):\n{describe(violations)}")
    assert not failures, "\n\n".join(failures)


def test_subscribe_form_with_errors_has_no_accessibility_violations(live_server, page, demo):
    page.goto(f"{live_server.url}{reverse('participation:subscribe')}")
    page.fill("input[name=email]", "ikke-en-adresse")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert run_axe(page) == [], describe(run_axe(page))


def test_pages_after_confirming_and_unsubscribing_have_no_accessibility_violations(
    live_server, page, demo
):
    subscription = Subscription.objects.create(email="axe@example.dk", language="da")
    page.goto(
        live_server.url
        + reverse("participation:subscribe_confirm", kwargs={"token": subscription.token})
    )
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert run_axe(page) == [], describe(run_axe(page))

    page.goto(
        live_server.url + reverse("participation:unsubscribe", kwargs={"token": subscription.token})
    )
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert run_axe(page) == [], describe(run_axe(page))


def test_a_withdrawn_opportunity_has_no_accessibility_violations(live_server, page, demo):
    from django.utils import timezone

    opportunity = Opportunity.objects.filter(is_published=True).first()
    opportunity.withdrawn_at = timezone.now()
    opportunity.save(update_fields=["withdrawn_at"])
    response = page.goto(live_server.url + opportunity.get_absolute_url())
    assert response.status in (200, 410)
    assert run_axe(page) == [], describe(run_axe(page))
