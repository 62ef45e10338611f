"""The staff pages of publishing and accounts, in Danish and English, with the demo content: zero
axe violations (WCAG 2.0/2.1 A and AA). Logged in by copying the session of a Django test client."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.models import User
from sammen.accounts.services import invitation_token
from sammen.accounts.testing import verified_login
from sammen.browser_tests.conftest import describe, run_axe
from sammen.core.tests.factories import UserFactory, department
from sammen.participation.models import Opportunity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(reference) -> None:
    call_command("seed_demo", "--seed", "7", "--parts", "catalogue", verbosity=0)


def use_session(page, live_server, client: Client) -> None:
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def check_pages(page, live_server, paths: list[tuple[str, str]], language: str) -> list[str]:
    failures = []
    for name, path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status == 200, f"{name} ({path}) answered {response.status}"
        assert page.evaluate("document.documentElement.lang") == language, name
        violations = run_axe(page)
        if violations:
            failures.append(f"{name} ({path}):\n{describe(violations)}")
    return failures


@pytest.mark.parametrize("language", ["da", "en"])
def test_publishing_and_account_pages_have_no_accessibility_violations(
    live_server, page, demo, language
):
    # Publishing as a member of staff in TMF; the accounts pages as an administrator.
    administrator = User.objects.get(username="administrator")
    tmf = User.objects.get(username="tmf")
    with translation.override(language):
        mine = Opportunity.objects.filter(departments=department("TMF")).first()
        closed = Opportunity.objects.filter(
            departments=department("TMF"),
            closes_at__lt=timezone.now(),
            outcome_published_at__isnull=True,
        ).first()
        dashboard = reverse("participation_staff:dashboard")
        publishing = [
            ("dashboard", dashboard),
            ("dashboard, closed without outcome", f"{dashboard}?tab=closed"),
            ("new opportunity", reverse("participation_staff:opportunity_create")),
            (
                "edit opportunity",
                reverse("participation_staff:opportunity_edit", kwargs={"pk": mine.pk}),
            ),
            ("preview", reverse("participation_staff:opportunity_preview", kwargs={"pk": mine.pk})),
            (
                "outcome",
                reverse("participation_staff:opportunity_outcome", kwargs={"pk": closed.pk}),
            ),
            ("your account", reverse("accounts:account")),
        ]
        accounts = [
            ("staff accounts", reverse("accounts:user_list")),
            ("invite", reverse("accounts:user_invite")),
            ("edit staff account", reverse("accounts:user_edit", kwargs={"pk": tmf.pk})),
        ]
    use_session(page, live_server, verified_login(Client(), administrator))
    failures = check_pages(page, live_server, accounts, language)
    # A fresh browser context for the member of staff: nothing of the first session carries over.
    staff_page = page.context.browser.new_context(locale="da-DK").new_page()
    use_session(staff_page, live_server, verified_login(Client(), tmf))
    failures += check_pages(staff_page, live_server, publishing, language)
    staff_page.context.close()
    assert not failures, "\n\n".join(failures)


def test_a_staff_form_with_errors_has_no_accessibility_violations(live_server, page, demo):
    use_session(page, live_server, verified_login(Client(), User.objects.get(username="tmf")))
    page.goto(live_server.url + reverse("participation_staff:opportunity_create"))
    page.locator("main form[novalidate] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert run_axe(page) == [], describe(run_axe(page))


def test_second_factor_and_invitation_pages_have_no_accessibility_violations(
    live_server, page, demo
):
    # Half logged in: the password was right, the authenticator is not set up yet.
    newcomer = UserFactory(departments=[department("TMF")])
    client = Client()
    client.force_login(newcomer)
    use_session(page, live_server, client)
    failures = check_pages(
        page, live_server, [("set up authenticator", reverse("accounts:enrol"))], "da"
    )

    invited = User.objects.create_user(username="ny", email="ny@tmf.kk.dk", password=None)
    page.context.clear_cookies()
    failures += check_pages(
        page,
        live_server,
        [
            (
                "invitation",
                reverse("accounts:invitation", kwargs={"token": invitation_token(invited)}),
            )
        ],
        "da",
    )
    assert not failures, "\n\n".join(failures)
