"""The journey of an idea in a real browser: a citizen submits with an attachment, confirms by the
link in the mail, follows the tracking link; a coordinator triages and answers; the citizen sees
the answer. axe-core must find no WCAG 2.0/2.1 A/AA violation on any page along the way, and the
staff dashboards and public board must pass too (with the demo ideas)."""

import base64
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sammen.accounts.models import User
from sammen.accounts.testing import verified_login
from sammen.browser_tests.conftest import describe, run_axe
from sammen.browser_tests.test_staff_pages import use_session
from sammen.core.models import MailLog
from sammen.ideas.models import Idea
from sammen.ideas.states import State
from sammen.ideas.tests.factories import coordinator_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The smallest valid PNG: one transparent pixel.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def assert_accessible(page, name: str) -> None:
    violations = run_axe(page)
    assert violations == [], f"{name} ({page.url}):\n{describe(violations)}"


def submit(page) -> None:
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def link_in_mail(template: str, address: str) -> str:
    """The path of the first link in the mail logged as sent with `template` to `address`."""
    row = MailLog.objects.get(template=template, recipient=address)
    assert row.status == MailLog.Status.SENT
    body = next(m.body for m in mail.outbox if address in m.to and "http" in m.body)
    url = re.search(r"https?://\S+", body).group(0)
    return urlsplit(url).path


def test_a_citizen_submits_an_idea_and_sees_the_staff_answer(
    live_server, page, reference, tmp_path
):
    mail.outbox.clear()
    address = "karen@example.org"

    # 1. The idea.
    page.goto(live_server.url + reverse("ideas:submit"))
    assert_accessible(page, "step 1")
    page.get_by_label("Titel").fill("Bænke langs Sortedams Sø")
    page.get_by_label("Hvad er din idé?").fill(
        "Flere bænke langs søerne, så ældre kan hvile på gåturen rundt om søen."
    )
    page.locator("input[name=districts]").nth(1).check()
    page.locator("input[name=help_needed]").first.check()
    submit(page)

    # 2. About you.
    assert_accessible(page, "step 2")
    page.get_by_label("Dit navn").fill("Karen Hansen")
    page.locator("input[name=email]").fill(address)
    page.locator("input[name=consent_publish]").check()
    submit(page)

    # 3. The summary: consent, an attachment, send.
    assert_accessible(page, "summary")
    attachment = tmp_path / "skitse.png"
    attachment.write_bytes(PNG)
    page.locator("input[type=file]").set_input_files(str(attachment))
    page.locator("input[name=consent_contact]").check()
    submit(page)
    assert_accessible(page, "check your e-mail")
    idea = Idea.objects.get()
    assert idea.state == State.AWAITING_CONFIRMATION
    assert idea.attachments.count() == 1

    # 4. Confirm by the link from the mail.
    page.goto(live_server.url + link_in_mail("ideas.confirm", address))
    assert_accessible(page, "confirm")
    submit(page)
    assert_accessible(page, "receipt")
    idea.refresh_from_db()
    assert idea.state == State.RECEIVED
    assert idea.reference in page.content()
    tracking = live_server.url + reverse("ideas:track", args=[idea.tracking_token])
    assert page.locator(f'a[href$="{reverse("ideas:track", args=[idea.tracking_token])}"]').count()

    # 5. The tracking page before anyone has looked at it.
    page.goto(tracking)
    assert_accessible(page, "tracking page")

    # 6. A coordinator triages to TMF and answers.
    coordinator = coordinator_user(first_name="Mads", last_name="Koordinator")
    staff = page.context.browser.new_context(locale="da-DK").new_page()
    use_session(staff, live_server, verified_login(Client(), coordinator))
    staff.goto(live_server.url + reverse("ideas_staff:coordination"))
    assert_accessible(staff, "coordination")
    staff.goto(live_server.url + reverse("ideas_staff:detail", args=[idea.pk]))
    assert_accessible(staff, "case page")
    triage = staff.locator("details#triage")
    if triage.get_attribute("open") is None:
        triage.locator("summary").click()
    triage.get_by_label("Ansvarlig forvaltning").select_option(
        label="Teknik- og Miljøforvaltningen"
    )
    triage.locator("button[type=submit]").click()
    staff.wait_for_load_state()
    idea.refresh_from_db()
    assert idea.state == State.TRIAGED, staff.content()

    answer = staff.locator("details#to-answered")
    answer.locator("summary").click()
    answer.locator("textarea").first.fill("Vi sætter tre bænke op langs Sortedams Sø til foråret.")
    answer.locator("button[type=submit]").click()
    staff.wait_for_load_state()
    assert_accessible(staff, "case page after the answer")
    staff.goto(
        live_server.url
        + reverse("ideas_staff:dashboard")
        + "?department="
        + str(idea.lead_department_id)
    )
    assert_accessible(staff, "department dashboard")
    staff.context.close()
    idea.refresh_from_db()
    assert idea.state == State.ANSWERED

    # 7. The citizen sees the answer and who has the idea.
    page.goto(tracking)
    assert "Vi sætter tre bænke op langs Sortedams Sø til foråret." in page.content()
    assert "Teknik- og Miljøforvaltningen" in page.content()
    assert_accessible(page, "tracking page with the answer")

    # 8. The citizen corrects the phone number on a page reached by the private link (its forms
    # must pass the CSRF origin check whatever the page's referrer policy).
    page.goto(live_server.url + reverse("ideas:contact", args=[idea.tracking_token]))
    assert_accessible(page, "contact details")
    page.locator("input[name=phone]").fill("+45 12 34 56 78")
    submit(page)
    idea.refresh_from_db()
    assert idea.phone == "+45 12 34 56 78", page.content()

    # 9. The idea on the public board, without personal data.
    page.goto(live_server.url + reverse("ideas:detail", args=[idea.reference]))
    assert "Karen" not in page.content() and address not in page.content()
    assert_accessible(page, "public idea page")


def reverse_in_english(name: str) -> str:
    with translation.override("en"):
        return reverse(name)


def test_the_idea_pages_with_demo_content_have_no_accessibility_violations(
    live_server, page, reference
):
    call_command("seed_demo", "--seed", "7", verbosity=0)
    public = (
        Idea.objects.filter(consent_publish=True, state=State.CLOSED)
        .exclude(outcome="spam")
        .first()
    )
    paths = [
        ("board", reverse("ideas:board")),
        ("board in English", reverse_in_english("ideas:board")),
        ("closed public idea", reverse("ideas:detail", args=[public.reference])),
        ("resend link", reverse("ideas:resend_link")),
    ]
    failures = []
    for name, path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {response.status}"
        violations = run_axe(page)
        if violations:
            failures.append(f"{name} ({path}):\n{describe(violations)}")
    staff = User.objects.get(username="koordinator")
    use_session(page, live_server, verified_login(Client(), staff))
    for name, path in [
        ("coordination with demo ideas", reverse("ideas_staff:coordination")),
        ("dashboard with demo ideas", reverse("ideas_staff:dashboard")),
        ("erasures", reverse("ideas_staff:erasures")),
        ("case page of a demo idea", reverse("ideas_staff:detail", args=[public.pk])),
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {response.status}"
        violations = run_axe(page)
        if violations:
            failures.append(f"{name} ({path}):\n{describe(violations)}")
    assert not failures, "\n\n".join(failures)
