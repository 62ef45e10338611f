"""The scheduled jobs: reminders two days before, the survey after the event, erasing the needs and
lapsing unconfirmed registrations; each once, whatever how often it runs."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sammen.core.mailing import deliver
from sammen.core.models import MailLog
from sammen.core.tests.factories import UserFactory
from sammen.events import feedback, jobs
from sammen.events import registration as services
from sammen.events.models import Audience, Registration
from sammen.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db
Status = Registration.Status


def mails(template: str) -> list[str]:
    return sorted(MailLog.objects.filter(template=template).values_list("recipient", flat=True))


def event_starting_in(delta: timedelta, **kwargs):
    starts = timezone.now() + delta
    return EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2), **kwargs)


def registered(event, *, days_before: int = 7) -> Registration:
    return services.register_staff(
        event=event, user=UserFactory(), now=event.starts_at - timedelta(days=days_before)
    )


# --- Reminders -------------------------------------------------------------------------------


def test_reminders_go_to_confirmed_registrations_of_events_in_two_days_once():
    event = event_starting_in(timedelta(hours=40), capacity=2)
    first, second = registered(event), registered(event)
    waiting = registered(event)
    cancelled_then = registered(event)
    services.cancel(registration=cancelled_then, now=event.starts_at - timedelta(days=5))
    too_early = event_starting_in(timedelta(hours=60))
    registered(too_early)
    too_late = event_starting_in(timedelta(hours=20))
    registered(too_late)

    assert jobs.send_reminders() == 2
    assert mails("events.reminder") == sorted([first.email, second.email])
    assert waiting.email not in mails("events.reminder")
    event.refresh_from_db()
    assert event.reminders_sent_at is not None

    assert jobs.send_reminders() == 0
    assert jobs.send_reminders(now=timezone.now() + timedelta(hours=10)) == 0
    assert len(mails("events.reminder")) == 2


def test_someone_who_got_their_seat_in_the_last_two_days_is_not_reminded_again():
    event = event_starting_in(timedelta(hours=30))
    early = registered(event)
    late = services.register_staff(event=event, user=UserFactory())  # just now: ticket mail
    assert jobs.send_reminders() == 1
    assert mails("events.reminder") == [early.email]
    assert late.email not in mails("events.reminder")


def test_cancelled_and_unpublished_events_get_no_reminders():
    event = event_starting_in(timedelta(hours=40))
    registered(event)
    event.cancelled_at = timezone.now()
    event.save()
    draft = event_starting_in(timedelta(hours=40))
    registered(draft)
    draft.is_published = False
    draft.save()
    assert jobs.send_reminders() == 0


def test_the_reminder_carries_the_ticket_and_the_calendar_file():
    event = event_starting_in(timedelta(hours=40), title="Morgenbooster om tillid")
    registration = registered(event)
    jobs.send_reminders()
    row = MailLog.objects.get(template="events.reminder")
    deliver(row.pk)
    (message,) = mail.outbox
    assert message.to == [registration.email]
    assert "Morgenbooster om tillid" in message.subject
    names = [name for name, _content, _type in message.attachments]
    assert "event.ics" in names
    assert f"billet-{registration.ticket_code}.png" in names


# --- The feedback request --------------------------------------------------------------------


def test_the_survey_goes_to_those_checked_in_after_the_event_once():
    event = event_starting_in(timedelta(hours=-3))  # ended an hour ago
    there, absent, answered = registered(event), registered(event), registered(event)
    for registration in (there, answered):
        services.check_in(registration=registration, by=event.organiser, now=event.starts_at)
    answered.refresh_from_db()
    feedback.give_feedback(registration=answered, rating=4)

    assert jobs.request_feedback() == 1
    assert mails("events.feedback") == [there.email]
    assert absent.email not in mails("events.feedback")
    event.refresh_from_db()
    assert event.feedback_requested_at is not None
    assert jobs.request_feedback() == 0


def test_no_survey_before_the_end_nor_for_events_long_past():
    under_way = event_starting_in(timedelta(hours=-1))  # ends in an hour
    long_ago = event_starting_in(timedelta(days=-30))
    for event in (under_way, long_ago):
        registration = registered(event)
        services.check_in(registration=registration, by=event.organiser, now=event.starts_at)
    assert jobs.request_feedback() == 0
    assert jobs.request_feedback(now=under_way.ends_at + timedelta(minutes=1)) == 1


def test_a_late_check_in_is_asked_on_the_next_run():
    event = event_starting_in(timedelta(hours=-5))
    first, late = registered(event), registered(event)
    services.check_in(registration=first, by=event.organiser, now=event.starts_at)
    assert jobs.request_feedback() == 1
    services.check_in(registration=late, by=event.organiser)
    assert jobs.request_feedback() == 1
    assert mails("events.feedback") == sorted([first.email, late.email])


# --- Clean-ups -------------------------------------------------------------------------------


def test_needs_are_erased_after_the_event_and_a_second_run_does_nothing():
    past = event_starting_in(timedelta(hours=-5))
    future = event_starting_in(timedelta(days=3))
    gone = services.register_staff(
        event=past, user=UserFactory(), needs="Nøddeallergi", now=past.starts_at - timedelta(days=1)
    )
    kept = services.register_staff(event=future, user=UserFactory(), needs="Høreslynge")
    assert jobs.erase_needs() == 1
    assert jobs.erase_needs() == 0
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert (gone.needs, kept.needs) == ("", "Høreslynge")


def test_unconfirmed_public_registrations_lapse_after_48_hours():
    event = EventFactory(audience=Audience.PUBLIC)
    old = services.register_public(
        event=event, name="Ida", email="ida@example.org", now=timezone.now() - timedelta(hours=49)
    )
    fresh = services.register_public(event=event, name="Ole", email="ole@example.org")
    assert jobs.expire_pending() == 1
    assert jobs.expire_pending() == 0
    assert not Registration.objects.filter(pk=old.pk).exists()
    assert Registration.objects.filter(pk=fresh.pk).exists()


# --- The commands ----------------------------------------------------------------------------


def test_the_commands_report_counts_without_addresses():
    event = event_starting_in(timedelta(hours=40))
    registration = registered(event)
    out = StringIO()
    call_command("send_event_reminders", stdout=out)
    assert out.getvalue().strip() == "Queued 1 reminder(s) and 0 survey mail(s)."
    assert registration.email not in out.getvalue()

    out = StringIO()
    call_command("erase_event_data", stdout=out)
    assert "0 event(s)" in out.getvalue()
