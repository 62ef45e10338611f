"""Events in a real browser with the demo content: a member of staff takes the last seat of the next
morning meeting, a colleague is waitlisted and promoted when the first cancels; check-in on a
phone-sized screen; the feedback of last year's conference and the series page. axe-core must find
no WCAG 2.0/2.1 A/AA violation on any of these pages."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sammen.accounts.models import User
from sammen.accounts.testing import verified_login
from sammen.browser_tests.conftest import describe, run_axe
from sammen.browser_tests.test_staff_pages import use_session
from sammen.core.tests.factories import UserFactory, department
from sammen.events.models import Event, Kind, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(reference) -> None:
    call_command("seed_demo", "--seed", "7", verbosity=0)


def assert_accessible(page, name: str) -> None:
    violations = run_axe(page)
    assert violations == [], f"{name} ({page.url}):\n{describe(violations)}"


def staff_page(browser, live_server, user, **context):
    page = browser.new_context(locale="da-DK", **context).new_page()
    use_session(page, live_server, verified_login(Client(), user))
    return page


def register_button(page, event: Event):
    return page.locator(
        f"form[action='{reverse('events:register', args=[event.slug])}'] button[type=submit]"
    )


def next_morning_meeting() -> Event:
    return (
        Event.objects.filter(kind=Kind.MORNING_MEETING, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )


def test_the_last_seat_the_waitlist_and_promotion(live_server, browser, demo):
    meeting = next_morning_meeting()
    first = UserFactory(first_name="Signe", last_name="Holm", departments=[department("KFF")])
    second = UserFactory(first_name="Ali", last_name="Demir", departments=[department("SOF")])

    page = staff_page(browser, live_server, first)
    page.goto(live_server.url + meeting.get_absolute_url())
    assert_accessible(page, "morning meeting")
    register_button(page, meeting).click()
    page.wait_for_load_state()
    mine = Registration.objects.get(event=meeting, user=first)
    assert mine.status == Registration.Status.CONFIRMED
    assert_accessible(page, "after registering")

    other = staff_page(browser, live_server, second)
    other.goto(live_server.url + meeting.get_absolute_url())
    register_button(other, meeting).click()
    other.wait_for_load_state()
    waiting = Registration.objects.get(event=meeting, user=second)
    assert waiting.status == Registration.Status.WAITLISTED
    assert_accessible(other, "on the waitlist")

    # The first cancels by the link in the mail; the waitlisted colleague gets the seat.
    page.goto(live_server.url + reverse("events:cancel", args=[mine.token]))
    assert_accessible(page, "cancel")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert waiting.promoted_at is not None

    page.goto(live_server.url + reverse("events:ticket", args=[waiting.token]))
    assert waiting.ticket_code in page.content()
    assert_accessible(page, "ticket")
    page.context.close()
    other.context.close()


def test_check_in_on_a_phone(live_server, browser, demo):
    meeting = next_morning_meeting()
    guest = Registration.objects.filter(
        event=meeting, status=Registration.Status.CONFIRMED, checked_in_at__isnull=True
    ).first()
    organiser = meeting.organiser
    phone = staff_page(
        browser,
        live_server,
        organiser,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    phone.goto(live_server.url + reverse("events_staff:checkin", args=[meeting.pk]))
    assert_accessible(phone, "check-in on a phone")
    # Nothing is wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.locator("input[name=code]").fill(guest.ticket_code)
    phone.locator("#checkin-code-form button[type=submit]").click()
    phone.wait_for_load_state()
    guest.refresh_from_db()
    assert guest.checked_in_at is not None
    assert guest.name in phone.content()
    assert_accessible(phone, "check-in after a code")
    phone.context.close()


def test_feedback_series_and_marketplace_pages(live_server, browser, demo):
    conference = (
        Event.objects.filter(kind=Kind.CONFERENCE, ends_at__lt=timezone.now())
        .order_by("-starts_at")
        .first()
    )
    series = next_morning_meeting().series
    coordinator = User.objects.get(username="koordinator")
    page = staff_page(browser, live_server, coordinator)
    failures = []
    for name, path in [
        ("events (staff)", reverse("events_staff:list")),
        (
            "feedback of the conference",
            reverse("events_staff:feedback_summary", args=[conference.pk]),
        ),
        ("registrations", reverse("events_staff:registrations", args=[conference.pk])),
        ("stands", reverse("events_staff:stands", args=[conference.pk])),
        ("programme", reverse("events_staff:programme", args=[conference.pk])),
        ("edit", reverse("events_staff:edit", args=[conference.pk])),
        ("new event", reverse("events_staff:create")),
        ("series feedback", reverse("events_staff:series_feedback", args=[series.slug])),
        ("series", reverse("events:series", args=[series.slug])),
        ("marketplace", reverse("events:marketplace", args=[conference.slug])),
        ("conference", conference.get_absolute_url()),
        ("events (public)", reverse("events:list")),
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {response.status}"
        violations = run_axe(page)
        if violations:
            failures.append(f"{name} ({path}):\n{describe(violations)}")
    assert not failures, "\n\n".join(failures)
    page.context.close()
