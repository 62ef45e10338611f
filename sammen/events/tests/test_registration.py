"""Seats, the waitlist, promotion, cancellation and check-in, and every refusal the issue names."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone, translation

from sammen.core.models import MailLog
from sammen.core.tests.factories import UserFactory
from sammen.events import registration as services
from sammen.events.models import Audience, Registration
from sammen.events.tests.factories import EventFactory, public_registration, staff_registration

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture(autouse=True)
def _english():
    """The refusals are matched in English here; the Danish catalogue has its own test."""
    with translation.override("en"):
        yield


def templates_sent_to(address: str) -> list[str]:
    return list(
        MailLog.objects.filter(recipient=address).order_by("pk").values_list("template", flat=True)
    )


def test_staff_get_a_seat_with_one_click_until_the_event_is_full_then_wait():
    event = EventFactory(capacity=2)
    first, second, third = (staff_registration(event) for _ in range(3))
    assert [first.status, second.status, third.status] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
    ]
    assert services.seats_left(event) == 0
    assert templates_sent_to(third.email) == ["events.registered"]


def test_cancelling_a_seat_promotes_the_first_on_the_waitlist_and_tells_them():
    event = EventFactory(capacity=1)
    seated = staff_registration(event)
    first_waiting = staff_registration(event)
    second_waiting = staff_registration(event)

    services.cancel(registration=seated)

    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == Status.CONFIRMED
    assert first_waiting.promoted_at is not None
    assert second_waiting.status == Status.WAITLISTED
    assert "events.promoted" in templates_sent_to(first_waiting.email)
    assert "events.cancelled" in templates_sent_to(seated.email)


def test_cancelling_a_waitlisted_place_frees_no_seat():
    event = EventFactory(capacity=1)
    seated = staff_registration(event)
    waiting = staff_registration(event)
    services.cancel(registration=waiting)
    seated.refresh_from_db()
    assert seated.status == Status.CONFIRMED
    assert services.seats_left(event) == 0


def test_a_cancellation_link_used_twice_is_refused_and_changes_nothing():
    event = EventFactory(capacity=1)
    seated = staff_registration(event)
    waiting = staff_registration(event)
    services.cancel(registration=seated)
    with pytest.raises(ValidationError, match="already been cancelled"):
        services.cancel(registration=seated)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert Registration.objects.filter(status=Status.CONFIRMED).count() == 1


def test_the_public_takes_a_seat_only_after_confirming_the_address():
    event = EventFactory(audience=Audience.PUBLIC, capacity=1)
    pending = services.register_public(event=event, name="Ida", email="ida@example.org")
    assert pending.status == Status.PENDING
    assert services.seats_left(event) == 1
    assert templates_sent_to("ida@example.org") == ["events.pending"]
    confirmed = services.confirm_public(registration=pending)
    assert confirmed.status == Status.CONFIRMED
    # Following the link again changes nothing and sends nothing more.
    assert services.confirm_public(registration=pending).status == Status.CONFIRMED
    assert templates_sent_to("ida@example.org") == ["events.pending", "events.registered"]


def test_an_expired_confirmation_link_is_refused():
    event = EventFactory(audience=Audience.PUBLIC)
    pending = services.register_public(event=event, name="Ida", email="ida@example.org")
    later = timezone.now() + services.CONFIRMATION_VALID + timedelta(minutes=1)
    with pytest.raises(ValidationError, match="expired"):
        services.confirm_public(registration=pending, now=later)


def test_the_public_cannot_register_for_a_staff_event():
    with pytest.raises(ValidationError, match="staff only"):
        services.register_public(event=EventFactory(), name="Ida", email="ida@example.org")


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "Registration opens"),
        ({"registration_closes_at": timezone.now() - timedelta(minutes=1)}, "has closed"),
        ({"cancelled_at": timezone.now()}, "cancelled"),
        ({"is_published": False}, "not open"),
    ],
)
def test_registration_outside_the_window_is_refused_and_nothing_is_saved(window, message):
    event = EventFactory(**window)
    with pytest.raises(ValidationError, match=message):
        staff_registration(event)
    assert not Registration.objects.exists()
    assert not MailLog.objects.exists()


def test_registering_twice_with_the_same_address_is_refused():
    event = EventFactory(audience=Audience.PUBLIC)
    public_registration(event, email="ida@example.org")
    with pytest.raises(ValidationError) as refused:
        services.register_public(event=event, name="Ida igen", email="IDA@example.org")
    assert "email" in refused.value.message_dict
    assert Registration.objects.count() == 1


def test_a_cancelled_person_may_register_again():
    event = EventFactory()
    user = UserFactory()
    first = services.register_staff(event=event, user=user)
    services.cancel(registration=first)
    again = services.register_staff(event=event, user=user)
    assert again.status == Status.CONFIRMED


def test_more_seats_promote_from_the_waitlist_and_fewer_than_taken_are_refused():
    event = EventFactory(capacity=1)
    staff_registration(event)
    waiting = staff_registration(event)
    with pytest.raises(ValidationError):
        services.set_capacity(event=event, capacity=0)
    services.set_capacity(event=event, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_check_in_by_ticket_code_and_refusals():
    event = EventFactory()
    other = EventFactory()
    organiser = event.organiser
    ticket = staff_registration(event)
    elsewhere = staff_registration(other)

    found = services.find_ticket(event, ticket.ticket_code.lower())
    assert found == ticket
    checked = services.check_in(registration=found, by=organiser)
    assert checked.checked_in_at is not None
    first_time = checked.checked_in_at
    assert services.check_in(registration=found, by=organiser).checked_in_at == first_time

    with pytest.raises(ValidationError, match="another event"):
        services.find_ticket(event, elsewhere.ticket_code)
    with pytest.raises(ValidationError, match="No ticket"):
        services.find_ticket(event, "ZZZZZZZZ")
    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None


def test_a_waitlisted_person_cannot_be_checked_in():
    event = EventFactory(capacity=1)
    staff_registration(event)
    waiting = staff_registration(event)
    with pytest.raises(ValidationError, match="not registered with a seat"):
        services.check_in(registration=waiting, by=event.organiser)


def test_needs_are_erased_after_the_event_only():
    past = EventFactory(
        starts_at=timezone.now() + timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=2)
    )
    future = EventFactory()
    past_registration = staff_registration(past, needs="Glutenfri")
    future_registration = staff_registration(future, needs="Teleslynge")
    assert services.erase_needs_after_events(now=timezone.now() + timedelta(hours=3)) == 1
    past_registration.refresh_from_db()
    future_registration.refresh_from_db()
    assert past_registration.needs == ""
    assert future_registration.needs == "Teleslynge"
    # Running again does nothing more.
    assert services.erase_needs_after_events(now=timezone.now() + timedelta(hours=3)) == 0


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_seat_at_the_same_moment(reference):
    """Two transactions on two connections reach the last seat together: exactly one gets it.

    PostgreSQL only, as the issue asks: production runs there, and SQLite's in-memory test
    database (shared cache) refuses a second writer at once instead of waiting for the first."""
    if connection.vendor != "postgresql":
        # Justified skip: the race cannot be staged on SQLite's shared-cache test database, and
        # .ci/run runs this same test on PostgreSQL, where it must pass. On SQLite the seat rule
        # itself is covered by the sequential tests above.
        pytest.skip("concurrent writers need PostgreSQL; make test runs it there in CI")
    event = EventFactory(capacity=1, audience=Audience.PUBLIC)
    pending = [
        services.register_public(event=event, name=f"Borger {n}", email=f"b{n}@example.org")
        for n in range(2)
    ]
    barrier = threading.Barrier(2)
    results: list[str] = []
    errors: list[BaseException] = []

    def confirm(registration: Registration) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(services.confirm_public(registration=registration).status)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(r,)) for r in pending]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(results) == [Status.CONFIRMED, Status.WAITLISTED]
    assert Registration.objects.filter(status=Status.CONFIRMED).count() == 1


def test_cancelling_the_event_tells_everyone_still_registered_with_a_calendar_file(
    mailoutbox, django_capture_on_commit_callbacks
):
    from sammen.events import services as event_services

    event = EventFactory(capacity=1)
    seated = staff_registration(event)
    waiting = staff_registration(event)
    gone = staff_registration(event)
    services.cancel(registration=gone)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        event_services.event_cancel(event=event, by=event.organiser)

    rows = MailLog.objects.filter(template="events.event_cancelled")
    assert sorted(rows.values_list("recipient", flat=True)) == sorted([seated.email, waiting.email])
    assert all(row.status == MailLog.Status.SENT for row in rows)
    message = next(m for m in mailoutbox if seated.email in m.to)
    calendar = next(a for a in message.attachments if a[0] == "event.ics")
    content = calendar[1] if isinstance(calendar[1], str) else calendar[1].decode()
    assert "STATUS:CANCELLED" in content
