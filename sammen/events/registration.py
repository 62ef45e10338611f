"""Registration for events: seats, the waitlist, promotion, cancellation and check-in.

Every change to a registration goes through these functions. Each runs in one transaction that
first locks the event's row (select_for_update), so the seat count it reads cannot change before it
writes: two people taking the last seat at the same moment are serialised, one gets the seat and
the other is waitlisted (PostgreSQL: the row lock; SQLite: its IMMEDIATE write transaction). The
mails (confirmation link, ticket, waitlist, promotion, cancellation) are queued in the same
transaction through sammen.core.mailing, so a rolled-back change sends nothing.

Bad input is refused with a ValidationError whose message is shown to the person as it is: after
the window, twice with the same address, a cancellation link used again, a ticket for another
event. Nothing is changed in those cases.
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.events.models import Event, Registration

if TYPE_CHECKING:
    from sammen.accounts.models import User

# A member of the public must confirm the address within this time, or the registration lapses.
CONFIRMATION_VALID = timedelta(hours=48)

Status = Registration.Status


def seats_taken(event: Event) -> int:
    return event.registrations.filter(status=Status.CONFIRMED).count()


def seats_left(event: Event) -> int | None:
    """Free seats, or None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - seats_taken(event), 0)


def registration_counts(events: list[Event]) -> dict[int, dict[str, int]]:
    """{event id: {"confirmed": n, "waitlisted": n}} for many events in one query."""
    rows = (
        Registration.objects.filter(event__in=events)
        .values("event_id")
        .annotate(
            confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
            waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
            checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        )
    )
    counts = {e.pk: {"confirmed": 0, "waitlisted": 0, "checked_in": 0} for e in events}
    for row in rows:
        counts[row["event_id"]] = {
            "confirmed": row["confirmed"],
            "waitlisted": row["waitlisted"],
            "checked_in": row["checked_in"],
        }
    return counts


def registration_open(event: Event, now: datetime) -> bool:
    return registration_refusal(event, now) is None


def registration_refusal(event: Event, now: datetime) -> str | None:
    """Why registration is closed now, or None when it is open."""
    if not event.is_published:
        return str(_("This event is not open for registration."))
    if event.cancelled_at:
        return str(_("This event has been cancelled."))
    if event.registration_opens_at and now < event.registration_opens_at:
        return str(
            _("Registration opens %(when)s.")
            % {"when": timezone.localtime(event.registration_opens_at).strftime("%d.%m.%Y %H:%M")}
        )
    closes = event.registration_closes_at or event.starts_at
    if now >= closes:
        return str(_("Registration for this event has closed."))
    return None


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _take_seat_or_wait(event: Event, registration: Registration, now: datetime) -> None:
    """Confirm the registration if a seat is free, else put it on the waitlist. The caller holds
    the event's lock."""
    left = None if event.capacity is None else event.capacity - seats_taken(event)
    if left is None or left > 0:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
    else:
        registration.status = Status.WAITLISTED
        registration.waitlisted_at = now


def _queue(registration: Registration, template: str) -> None:
    from sammen.events import mails

    mails.queue_registration_mail(registration, template)


def _duplicate_error() -> ValidationError:
    return ValidationError(
        {"email": _("This e-mail address is already registered for the event.")},
        code="duplicate",
    )


def _already_registered(event: Event, email: str) -> bool:
    return event.registrations.filter(email__iexact=email).exclude(status=Status.CANCELLED).exists()


@transaction.atomic
def register_staff(
    *, event: Event, user: "User", needs: str = "", now: datetime | None = None
) -> Registration:
    """One click for a logged-in member of staff: a seat, or the waitlist when the event is full."""
    now = now or timezone.now()
    event = _lock_event(event)
    refusal = registration_refusal(event, now)
    if refusal:
        raise ValidationError(refusal, code="closed")
    if not user.email:
        raise ValidationError(_("Your account has no e-mail address; ask an administrator."))
    if _already_registered(event, user.email):
        raise _duplicate_error()
    registration = Registration(
        event=event,
        user=user,
        name=user.get_full_name() or user.username,
        email=user.email,
        department=user.departments.order_by("pk").first(),
        needs=needs.strip(),
        created_at=now,
    )
    _take_seat_or_wait(event, registration, now)
    return _save_new(registration)


def _save_new(registration: Registration, *, pending_mail: str = "events.pending") -> Registration:
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # the same address at the same moment
        raise _duplicate_error() from error
    _queue(
        registration,
        pending_mail if registration.status == Status.PENDING else "events.registered",
    )
    return registration


def confirmation_lapses(registration: Registration) -> bool:
    """Whether an unconfirmed registration lapses after CONFIRMATION_VALID. A citizen invited to
    a solution lab with their idea (`idea` set) is not: the address is the idea's, confirmed
    already, and the invitation holds until registration closes."""
    return registration.idea_id is None


@transaction.atomic
def register_public(
    *,
    event: Event,
    name: str,
    email: str,
    needs: str = "",
    language: str = "da",
    idea=None,  # type: ignore[no-untyped-def]
    pending_mail: str = "events.pending",
    now: datetime | None = None,
) -> Registration:
    """A member of the public registers with a name and an e-mail address; the seat is taken only
    when the address is confirmed by the link in the mail (`confirm_public`). `pending_mail` is
    the mail with that link: a solution lab's invitation (sammen.events.labs) sends its own."""
    now = now or timezone.now()
    event = _lock_event(event)
    if not event.is_public and idea is None:
        raise ValidationError(_("This event is for staff only."), code="staff_only")
    refusal = registration_refusal(event, now)
    if refusal:
        raise ValidationError(refusal, code="closed")
    email = email.strip()
    if _already_registered(event, email):
        raise _duplicate_error()
    registration = Registration(
        event=event,
        name=name.strip(),
        email=email,
        needs=needs.strip(),
        language=language,
        idea=idea,
        status=Status.PENDING,
        created_at=now,
    )
    return _save_new(registration, pending_mail=pending_mail)


@transaction.atomic
def confirm_public(*, registration: Registration, now: datetime | None = None) -> Registration:
    """The confirmation link was followed: take a seat or join the waitlist. Repeating it is
    harmless; a link older than CONFIRMATION_VALID is refused."""
    now = now or timezone.now()
    event = _lock_event(registration.event)
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    if current.status != Status.PENDING:
        return current
    if confirmation_lapses(current) and now > current.created_at + CONFIRMATION_VALID:
        raise ValidationError(
            _("The confirmation link has expired. Please register again."), code="expired"
        )
    refusal = registration_refusal(event, now)
    if refusal:
        raise ValidationError(refusal, code="closed")
    _take_seat_or_wait(event, current, now)
    current.save()
    _queue(current, "events.registered")
    return current


@transaction.atomic
def cancel(*, registration: Registration, now: datetime | None = None) -> Registration:
    """Cancel by the link in the mail (or from the staff page). A freed seat goes at once to the
    first on the waitlist, who is told by e-mail. Cancelling twice is refused with a clear message."""
    now = now or timezone.now()
    event = _lock_event(registration.event)
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    if current.status == Status.CANCELLED:
        raise ValidationError(_("This registration has already been cancelled."), code="cancelled")
    if now >= event.ends_at:
        raise ValidationError(_("The event is over; there is nothing to cancel."), code="over")
    freed = current.status == Status.CONFIRMED
    current.status = Status.CANCELLED
    current.cancelled_at = now
    current.save()
    _queue(current, "events.cancelled")
    if freed and now < event.starts_at:
        promote_waitlisted(event=event, now=now)
    return current


def promote_waitlisted(*, event: Event, now: datetime) -> list[Registration]:
    """Give free seats to the waitlist, first come first served. The caller holds the lock."""
    promoted = []
    while True:
        left = None if event.capacity is None else event.capacity - seats_taken(event)
        if left is not None and left <= 0:
            break
        first = (
            event.registrations.select_for_update()
            .filter(status=Status.WAITLISTED)
            .order_by("waitlisted_at", "pk")
            .first()
        )
        if first is None:
            break
        first.status = Status.CONFIRMED
        first.confirmed_at = now
        first.promoted_at = now
        first.save()
        _queue(first, "events.promoted")
        promoted.append(first)
    return promoted


@transaction.atomic
def set_capacity(*, event: Event, capacity: int | None, now: datetime | None = None) -> Event:
    """Change the number of seats; more seats promote from the waitlist at once. Fewer seats than
    are taken is refused: nobody loses a confirmed seat."""
    now = now or timezone.now()
    event = _lock_event(event)
    if capacity is not None and capacity < seats_taken(event):
        raise ValidationError(
            {"capacity": _("%(taken)s seats are already taken; choose at least that many.")},
            params={"taken": seats_taken(event)},
        )
    event.capacity = capacity
    event.save(update_fields=["capacity", "updated_at"])
    promote_waitlisted(event=event, now=now)
    return event


def find_ticket(event: Event, code: str) -> Registration:
    """The registration with this ticket code, for check-in at `event`; a clear error otherwise."""
    code = "".join(ch for ch in code.upper() if ch.isalnum())
    if not code:
        raise ValidationError(_("Type or scan a ticket code."), code="empty")
    registration = Registration.objects.select_related("event").filter(ticket_code=code).first()
    if registration is None:
        raise ValidationError(_("No ticket has the code %(code)s."), params={"code": code})
    if registration.event_id != event.pk:
        raise ValidationError(
            _("This ticket is for another event: %(event)s."),
            params={"event": registration.event.title},
            code="other_event",
        )
    return registration


@transaction.atomic
def check_in(
    *, registration: Registration, by: "User", now: datetime | None = None
) -> Registration:
    """Mark attendance. Checking in twice changes nothing and says when it happened."""
    now = now or timezone.now()
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    if current.status != Status.CONFIRMED:
        raise ValidationError(
            _("%(name)s is not registered with a seat (%(status)s)."),
            params={"name": current.name, "status": current.get_status_display()},
            code="no_seat",
        )
    if current.checked_in_at is None:
        current.checked_in_at = now
        current.checked_in_by = by
        current.save(update_fields=["checked_in_at", "checked_in_by"])
    return current


@transaction.atomic
def undo_check_in(*, registration: Registration) -> Registration:
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    current.checked_in_at = None
    current.checked_in_by = None
    current.save(update_fields=["checked_in_at", "checked_in_by"])
    return current


def expire_pending(*, now: datetime | None = None) -> int:
    """Delete public registrations never confirmed within CONFIRMATION_VALID (they hold no seat).
    Solution lab invitations stay (see `confirmation_lapses`)."""
    now = now or timezone.now()
    deleted, _counts = Registration.objects.filter(
        status=Status.PENDING, idea__isnull=True, created_at__lt=now - CONFIRMATION_VALID
    ).delete()
    return deleted


def erase_needs_after_events(*, now: datetime | None = None) -> int:
    """Delete the dietary and accessibility needs of events that have ended (they are health data
    in the wide sense and only needed for the day). Returns how many events were cleaned."""
    now = now or timezone.now()
    events = list(
        Event.objects.filter(ends_at__lt=now, needs_erased_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    for event_id in events:
        with transaction.atomic():
            Registration.objects.filter(event_id=event_id).exclude(needs="").update(needs="")
            Event.objects.filter(pk=event_id).update(needs_erased_at=now)
    return len(events)
