"""The knowledge site's staff pages, in Danish and English, with the demo content: zero axe
violations against the WCAG 2.0/2.1 A and AA rules. The browser is logged in by copying the session
of a Django test client that passed the second factor (accounts.testing.verified_login)."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sammen.accounts.models import User
from sammen.accounts.testing import verified_login
from sammen.browser_tests.conftest import describe, run_axe
from sammen.knowledge.models import Entry, Kind, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(reference) -> None:
    call_command("seed_demo", "--seed", "7", "--parts", "catalogue", verbosity=0)


def log_in(page, live_server, username: str = "konsulent") -> None:
    client = verified_login(Client(), User.objects.get(username=username))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _staff_paths(language: str) -> list[tuple[str, str]]:
    with translation.override(language):
        example = Entry.objects.filter(kind=Kind.EXAMPLE, status=Status.PUBLISHED).first()
        method = Entry.objects.filter(kind=Kind.METHOD, status=Status.PUBLISHED).first()
        mine = Entry.objects.filter(owner__username="konsulent").first()
        entries = reverse("knowledge:entry_list")
        return [
            ("start page", reverse("knowledge:home")),
            ("entries", entries),
            ("search", f"{entries}?q=unge"),
            ("filtered", f"{entries}?kind=method&principle=mangfoldig&target_group=young"),
            ("empty", f"{entries}?principle=findes-ikke"),
            ("example", reverse("knowledge:entry_detail", kwargs={"pk": example.pk})),
            ("method", reverse("knowledge:entry_detail", kwargs={"pk": method.pk})),
            ("edit", reverse("knowledge:entry_edit", kwargs={"pk": mine.pk})),
            ("history", reverse("knowledge:entry_history", kwargs={"pk": mine.pk})),
            ("version", reverse("knowledge:entry_version", kwargs={"pk": mine.pk, "number": 1})),
            ("attachments", reverse("knowledge:attachment_upload", kwargs={"pk": mine.pk})),
            ("new entry", reverse("knowledge:entry_create")),
            ("principles", reverse("knowledge:principle_list")),
            ("principle", reverse("knowledge:principle_detail", kwargs={"slug": "mangfoldig"})),
            ("out of date", reverse("knowledge:stale_list")),
            ("review", reverse("knowledge:review_list")),
            ("consultants", reverse("knowledge:consultant_list")),
            ("consultant search", reverse("knowledge:consultant_list") + "?q=unge"),
            ("ask", reverse("knowledge:consultant_ask", kwargs={"slug": "bif"})),
            ("profile", reverse("knowledge:profile_edit")),
        ]


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_knowledge_page_has_no_accessibility_violations(live_server, page, demo, language):
    log_in(page, live_server)
    failures = []
    for name, path in _staff_paths(language):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status == 200, f"{name} ({path}) answered {response.status}"
        assert page.evaluate("document.documentElement.lang") == language, name
        violations = run_axe(page)
        if violations:
            failures.append(f"{name} ({path}):\n{describe(violations)}")
    assert not failures, "\n\n".join(failures)


def test_forms_with_errors_have_no_accessibility_violations(live_server, page, demo):
    log_in(page, live_server)
    page.goto(f"{live_server.url}{reverse('knowledge:entry_create')}")
    page.fill("input[name=title]", "")
    page.check("input[name=is_public]")
    page.locator("main form[novalidate] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert run_axe(page) == [], describe(run_axe(page))

    page.goto(f"{live_server.url}{reverse('knowledge:consultant_ask', kwargs={'slug': 'bif'})}")
    page.locator("main form[novalidate] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert run_axe(page) == [], describe(run_axe(page))
