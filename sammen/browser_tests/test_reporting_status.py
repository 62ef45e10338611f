"""The steering group's pages of the status report, in Danish and English, with the demo status
entries and targets: zero axe violations (WCAG 2.0/2.1 A and AA), also on forms with errors.
Logged in by copying the session of a Django test client."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.browser_tests.conftest import describe, run_axe
from sammen.browser_tests.test_staff_pages import check_pages, use_session
from sammen.core.tests.factories import UserFactory
from sammen.reporting.demo import reporting_seed
from sammen.reporting.models import Task
from sammen.reporting.services import current_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def six_tasks() -> None:
    """The tasks come from a data migration, which a transactional test's flush removes."""
    if not Task.objects.exists():
        migration = importlib.import_module("sammen.reporting.migrations.0002_the_six_tasks")
        migration.add_tasks(django_apps, None)


@pytest.fixture
def steering(reference):
    six_tasks()
    reporting_seed(seed=7)
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.STEERING)
    return user


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_status_pages_have_no_accessibility_violations(live_server, page, steering, language):
    last = current_year() - 1
    with translation.override(language):
        paths = [
            ("home", reverse("reporting:index")),
            ("year", reverse("reporting:year", args=[last])),
            ("status of a task", reverse("reporting:entry", args=[last, "campaign"])),
            ("new status", reverse("reporting:entry", args=[last + 1, "campaign"])),
            (
                "new status from last year",
                reverse("reporting:entry", args=[last + 1, "campaign"]) + f"?start_from={last}",
            ),
            ("tasks", reverse("reporting:tasks")),
            ("targets", reverse("reporting:targets", args=[last])),
            ("targets copied", reverse("reporting:targets", args=[last + 1]) + "?copy=1"),
        ]
    use_session(page, live_server, verified_login(Client(), steering))
    failures = check_pages(page, live_server, paths, language)
    assert not failures, "\n\n".join(failures)


def test_the_status_forms_with_errors_have_no_accessibility_violations(live_server, page, steering):
    last = current_year() - 1
    use_session(page, live_server, verified_login(Client(), steering))
    page.goto(live_server.url + reverse("reporting:entry", args=[last, "campaign"]))
    page.fill("#id_financing_need_dkk", "-350.000")
    page.locator("main form[novalidate][method=post] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert page.input_value("#id_financing_need_dkk") == "-350.000"
    assert run_axe(page) == [], describe(run_axe(page))

    page.goto(live_server.url + reverse("reporting:targets", args=[last]))
    page.fill("#id_target-ideas-dead_ends-value", "-1")
    page.locator("main form[novalidate][method=post] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert run_axe(page) == [], describe(run_axe(page))
