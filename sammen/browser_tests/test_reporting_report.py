"""The pages of the generated status report (prepare, list, the report with its charts), in Danish
and English: zero axe violations (WCAG 2.0/2.1 A and AA). Logged in as a member of the steering
group by copying the session of a Django test client."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sammen.accounts.testing import verified_login
from sammen.browser_tests.conftest import describe, run_axe
from sammen.reporting import report
from sammen.reporting.tests.test_report import (  # noqa: F401 (fixtures)
    YEAR,
    person,
    status,
    test_indicators,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def six_tasks(reference) -> None:
    """The tasks come from a data migration, which a transactional test's flush removes."""
    import importlib

    from django.apps import apps

    from sammen.reporting.models import Task

    if not Task.objects.exists():
        migration = importlib.import_module("sammen.reporting.migrations.0002_the_six_tasks")
        migration.add_tasks(apps, None)


def use_session(page, live_server, client: Client) -> None:
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["da", "en"])
def test_report_pages_have_no_accessibility_violations(
    live_server,
    page,
    status,  # noqa: F811 (the fixture)
    language,
):
    steering = person("steering")
    client = verified_login(Client(), steering)
    use_session(page, live_server, client)
    with translation.override(language):
        generated = report.generate_report(YEAR, steering, "Et år med mange idéer.")
        paths = [
            ("prepare", reverse("reporting:report_prepare", args=[YEAR])),
            ("list", reverse("reporting:report_list")),
            ("report", reverse("reporting:report_detail", args=[generated.pk])),
        ]
    failures = []
    for name, path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, f"{name} ({path})"
        assert page.evaluate("document.documentElement.lang") == language, name
        violations = run_axe(page)
        if violations:
            failures.append(f"{name} ({path}):\n{describe(violations)}")
    assert not failures, "\n\n".join(failures)

    # The report's charts are named images with their numbers in a table beside them.
    page.goto(f"{live_server.url}{paths[2][1]}")
    assert page.locator("svg[role=img] title").count() >= 2
    assert page.locator("figure.report-chart table caption").count() >= 2
