"""The scheduled jobs of events: reminders two days before, the feedback request after the event,
erasing the needs and lapsing unconfirmed public registrations.

Plain functions the management commands call (`send_event_reminders`, `erase_event_data`). Each is
safe to run twice, and by two workers at once: every mail is queued under a key naming the
registration, the template and its status (`mails.queue_registration_mail`), which `queue_mail` sends at most
once; the clean-ups only delete what is still there. They return counts, never personal data.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from sammen.core.models import MailLog
from sammen.events import mails
from sammen.events import registration as services
from sammen.events.models import Event, Registration

# The reminder goes to the confirmed registrations of events starting between 24 and 48 hours
# from now: run hourly (or at least daily), each registration is reminded once.
REMINDER_FROM = timedelta(hours=24)
REMINDER_UNTIL = timedelta(hours=48)
# The feedback request goes out after the event ends; events that ended longer ago than this are
# not asked about (a first run on old data must not mail last year's participants).
FEEDBACK_REQUEST_WITHIN = timedelta(days=7)

REMINDER = "events.reminder"
FEEDBACK = "events.feedback"


def _held(events):  # type: ignore[no-untyped-def]
    return events.filter(is_published=True, cancelled_at__isnull=True)


def send_reminders(now: datetime | None = None) -> int:
    """Queue the reminder (with the ticket and the calendar file) for every confirmed registration
    of the events starting 24 to 48 hours from now. Someone who got their seat within the last two
    days before the event is not reminded: their ticket mail with the calendar file has just come.
    Returns the number of mails queued; a second run queues none."""
    now = now or timezone.now()
    events = list(
        _held(Event.objects).filter(
            starts_at__gt=now + REMINDER_FROM, starts_at__lte=now + REMINDER_UNTIL
        )
    )
    before = _queued(REMINDER)
    for event in events:
        registrations = event.registrations.filter(
            status=Registration.Status.CONFIRMED,
            confirmed_at__lte=event.starts_at - REMINDER_UNTIL,
        ).order_by("pk")
        for registration in registrations:
            mails.queue_registration_mail(registration, REMINDER)
        Event.objects.filter(pk=event.pk, reminders_sent_at__isnull=True).update(
            reminders_sent_at=now
        )
    return _queued(REMINDER) - before


def request_feedback(now: datetime | None = None) -> int:
    """Queue the survey mail for everyone checked in at an event that ended within the last
    FEEDBACK_REQUEST_WITHIN and who has not answered yet. A check-in recorded after the event
    (corrected at the desk the next day) is asked on the next run. Returns the number queued."""
    now = now or timezone.now()
    events = list(
        _held(Event.objects).filter(ends_at__lte=now, ends_at__gt=now - FEEDBACK_REQUEST_WITHIN)
    )
    before = _queued(FEEDBACK)
    for event in events:
        registrations = event.registrations.filter(
            status=Registration.Status.CONFIRMED,
            checked_in_at__isnull=False,
            feedback__isnull=True,
        ).order_by("pk")
        for registration in registrations:
            mails.queue_registration_mail(registration, FEEDBACK)
        Event.objects.filter(pk=event.pk, feedback_requested_at__isnull=True).update(
            feedback_requested_at=now
        )
    return _queued(FEEDBACK) - before


def _queued(template: str) -> int:
    """How many mails of the template are logged: counted before and after a run, so the jobs
    can say how many they queued without knowing how the mail keys are built."""
    return MailLog.objects.filter(template=template).count()


def erase_needs(now: datetime | None = None) -> int:
    """Delete the needs of the events that have ended; returns how many events were cleaned."""
    return services.erase_needs_after_events(now=now)


def expire_pending(now: datetime | None = None) -> int:
    """Delete public registrations whose address was never confirmed; returns how many."""
    return services.expire_pending(now=now)
