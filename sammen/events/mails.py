"""E-mails about registrations, through the logged mail queue (sammen.core.mailing).

Every mail is rebuilt from the registration's id when it is sent, in the person's language. The
ticket mail carries the ticket code in text, its QR code as a PNG and the event as an iCalendar
file (METHOD:PUBLISH, so calendar apps add it without sending replies).
"""

import io
from typing import Any

import icalendar
import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sammen.core.mailing import Message, mail_template, queue_mail
from sammen.core.models import MailLog
from sammen.events.models import Event, Registration

TEMPLATES = (
    "events.pending",
    "events.registered",
    "events.promoted",
    "events.cancelled",
    "events.reminder",
    "events.feedback",
    "events.event_cancelled",
)


def queue_registration_mail(
    registration: Registration, template: str, *, key_suffix: str = ""
) -> None:
    """Queue one mail about a registration; the key makes each (registration, template, status)
    go out once."""
    queue_mail(
        key=f"registration:{registration.pk}:{template}:{registration.status}{key_suffix}",
        template=template,
        recipient=registration.email,
        language=registration.language,
        context={"registration": registration.pk, "status": registration.status},
    )


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def registration_links(registration: Registration) -> dict[str, str]:
    """The links of a registration's mails. A citizen invited to a staff-only event (a solution
    lab) cannot open the event's page, so their "read about the event" link is the ticket, which
    shows the event's facts."""
    ticket = absolute(reverse("events:ticket", args=[registration.token]))
    event_page = registration.event.is_public or registration.idea_id is None
    return {
        "event_url": absolute(registration.event.get_absolute_url()) if event_page else ticket,
        "ticket_url": absolute(reverse("events:ticket", args=[registration.token])),
        "cancel_url": absolute(reverse("events:cancel", args=[registration.token])),
        "confirm_url": absolute(reverse("events:confirm", args=[registration.token])),
        "feedback_url": absolute(reverse("events:feedback", args=[registration.token])),
    }


def ticket_png(registration: Registration) -> bytes:
    """The ticket's QR code: only the code, which means nothing without the check-in page."""
    buffer = io.BytesIO()
    segno.make(registration.ticket_code, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def event_ical(event: Event) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.MUNICIPALITY_NAME}//Sammen om Byen//events")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = icalendar.Event()
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0] or "localhost"
    entry.add("uid", f"event-{event.pk}@{host}")
    entry.add("dtstamp", event.updated_at)
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("summary", event.title)
    entry.add("description", f"{event.summary}\n\n{absolute(event.get_absolute_url())}")
    entry.add("url", absolute(event.get_absolute_url()))
    if event.place:
        entry.add("location", event.place)
    if event.cancelled_at:
        entry.add("status", "CANCELLED")
    calendar.add_component(entry)
    return calendar.to_ical()


def _load(row: MailLog) -> Registration | None:
    return (
        Registration.objects.select_related("event", "event__venue")
        .filter(pk=row.context.get("registration"))
        .first()
    )


def _context(registration: Registration, **extra: Any) -> dict[str, Any]:
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "starts": timezone.localtime(event.starts_at),
        "ends": timezone.localtime(event.ends_at),
        **registration_links(registration),
        **extra,
    }


def _with_ticket(registration: Registration, message: Message) -> Message:
    message.attachments.append(
        (f"billet-{registration.ticket_code}.png", ticket_png(registration), "image/png")
    )
    message.attachments.append(("event.ics", event_ical(registration.event), "text/calendar"))
    return message


@mail_template("events.pending")
def build_pending(row: MailLog) -> Message | None:
    registration = _load(row)
    if registration is None or registration.status != Registration.Status.PENDING:
        return None
    text = render_to_string("events/email/pending.txt", _context(registration))
    return Message(
        subject=_("Confirm your registration: %(title)s") % {"title": registration.event.title},
        text=text,
    )


@mail_template("events.registered")
def build_registered(row: MailLog) -> Message | None:
    registration = _load(row)
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return None
    context = _context(registration)
    text = render_to_string("events/email/registered.txt", context)
    if registration.status == Registration.Status.CONFIRMED:
        subject = _("You are registered: %(title)s") % {"title": registration.event.title}
        return _with_ticket(registration, Message(subject=subject, text=text))
    subject = _("You are on the waitlist: %(title)s") % {"title": registration.event.title}
    return Message(subject=subject, text=text)


@mail_template("events.promoted")
def build_promoted(row: MailLog) -> Message | None:
    registration = _load(row)
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        return None
    text = render_to_string("events/email/promoted.txt", _context(registration))
    subject = _("A seat is free for you: %(title)s") % {"title": registration.event.title}
    return _with_ticket(registration, Message(subject=subject, text=text))


@mail_template("events.cancelled")
def build_cancelled(row: MailLog) -> Message | None:
    registration = _load(row)
    if registration is None:
        return None
    text = render_to_string("events/email/cancelled.txt", _context(registration))
    subject = _("Your registration is cancelled: %(title)s") % {"title": registration.event.title}
    return Message(subject=subject, text=text)


@mail_template("events.reminder")
def build_reminder(row: MailLog) -> Message | None:
    registration = _load(row)
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        return None
    text = render_to_string("events/email/reminder.txt", _context(registration))
    subject = _("Reminder: %(title)s") % {"title": registration.event.title}
    return _with_ticket(registration, Message(subject=subject, text=text))


@mail_template("events.feedback")
def build_feedback(row: MailLog) -> Message | None:
    registration = _load(row)
    if registration is None or registration.checked_in_at is None:
        return None
    if hasattr(registration, "feedback"):
        return None
    text = render_to_string("events/email/feedback.txt", _context(registration))
    subject = _("How was %(title)s?") % {"title": registration.event.title}
    return Message(subject=subject, text=text)


@mail_template("events.event_cancelled")
def build_event_cancelled(row: MailLog) -> Message | None:
    registration = _load(row)
    if registration is None or registration.event.cancelled_at is None:
        return None
    text = render_to_string("events/email/event_cancelled.txt", _context(registration))
    subject = _("Cancelled: %(title)s") % {"title": registration.event.title}
    message = Message(subject=subject, text=text)
    message.attachments.append(("event.ics", event_ical(registration.event), "text/calendar"))
    return message
