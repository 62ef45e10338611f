"""Writes to events by staff: the event itself, its programme and speakers, the marketplace's
stands, the materials, and the event's one entry in Få indflydelse's catalogue.

Registrations are not written here but in `sammen.events.registration` (seats and the waitlist are
decided there under a row lock); a change of capacity goes through `registration.set_capacity`, so
more seats promote the waitlist at once. Each service runs in one transaction, validates the model
with `full_clean()`, and checks the named permission from `sammen.events.rules` (the views check it
too; the service is the last line), so a refused or invalid change leaves nothing half-saved.

A public, published event is shown on Få indflydelse through exactly one `participation.Opportunity`
linked by `Event.opportunity`, written only through `sammen.participation.services` (which keep
its history and search index right). `sync_opportunity` keeps it in step after every change.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.accounts.permissions import has_permission
from sammen.events import mails, registration
from sammen.events.models import (
    Event,
    Kind,
    Material,
    ProgrammeItem,
    Registration,
    Speaker,
    Stand,
)
from sammen.knowledge.uploads import check_upload
from sammen.participation import rules as participation_rules
from sammen.participation import services as participation
from sammen.participation.models import Channel, Opportunity
from sammen.participation.services import opportunity_slug

if TYPE_CHECKING:
    from sammen.accounts.models import User

# The fields the event form writes (capacity has its own path through registration.set_capacity).
EVENT_FIELDS = (
    "kind",
    "audience",
    "title",
    "summary",
    "description",
    "series",
    "principle",
    "venue",
    "location",
    "accessibility",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "department",
)
PROGRAMME_FIELDS = ("title", "description", "room", "starts_at", "ends_at")

# Which of Få indflydelse's channels a public event is shown under.
CITIZEN_CHANNEL = "borgermoede"
OTHER_CHANNEL = "workshop"


def _require(user: "User", name: str, obj: Any = None) -> None:
    if not has_permission(user, name, obj):
        raise PermissionDenied(name)


# --- dates ---------------------------------------------------------------------------------------


def validate_event_dates(
    *,
    starts_at: datetime | None,
    ends_at: datetime | None,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> None:
    """The dates must make sense together; each error names the field to fix (shared with the
    form, so the page says the same as the service)."""
    errors: dict[str, Any] = {}
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    if opens_at and closes_at and closes_at <= opens_at:
        errors["registration_closes_at"] = _("Registration must close after it opens.")
    if starts_at and closes_at and closes_at > starts_at:
        errors["registration_closes_at"] = _("Registration must close no later than the start.")
    if starts_at and opens_at and opens_at >= starts_at:
        errors["registration_opens_at"] = _("Registration must open before the start.")
    if errors:
        raise ValidationError(errors)


# --- events --------------------------------------------------------------------------------------


def event_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """A unique URL slug from the title (Danish letters spelled out): "-2", "-3" … when taken."""
    base = opportunity_slug(title)[:190].strip("-") or "arrangement"
    taken = set(
        Event.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _validate_event(event: Event) -> None:
    validate_event_dates(
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        opens_at=event.registration_opens_at,
        closes_at=event.registration_closes_at,
    )
    if not event.venue_id and not event.location.strip():
        raise ValidationError({"location": _("Choose a venue or write where the event is.")})
    if event.is_public and not event.department_id:
        raise ValidationError(
            {
                "department": _(
                    "A public event is shown on Få indflydelse under its organising department; "
                    "choose one."
                )
            }
        )
    event.full_clean(validate_constraints=False)


@transaction.atomic
def event_create(*, by: "User", data: Mapping[str, Any]) -> Event:
    """Create an unpublished event organised by `by`. `data` holds EVENT_FIELDS and capacity."""
    _require(by, "events.create")
    event = Event(organiser=by, is_published=False)
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    event.capacity = data.get("capacity")
    event.slug = event_slug(event.title)
    _validate_event(event)
    event.save()
    return event


@transaction.atomic
def event_update(*, event: Event, by: "User", data: Mapping[str, Any]) -> Event:
    """Change the event's fields; a new capacity goes through `registration.set_capacity` (fewer
    seats than are taken is refused, more seats promote the waitlist). The catalogue entry follows."""
    current = Event.objects.select_for_update().get(pk=event.pk)
    _require(by, "events.organise", current)
    for name in EVENT_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    _validate_event(current)
    current.save()
    if "capacity" in data and data["capacity"] != current.capacity:
        current = registration.set_capacity(event=current, capacity=data["capacity"])
    sync_opportunity(current, by=by)
    return current


@transaction.atomic
def event_publish(*, event: Event, by: "User") -> Event:
    """Open the event page (and registration, within its window); a public event appears on
    Få indflydelse. Publishing twice changes nothing."""
    current = Event.objects.select_for_update().get(pk=event.pk)
    _require(by, "events.organise", current)
    if current.cancelled_at:
        raise ValidationError(_("A cancelled event cannot be published again."), code="cancelled")
    if not current.is_published:
        current.is_published = True
        current.save(update_fields=["is_published", "updated_at"])
    sync_opportunity(current, by=by)
    return current


@transaction.atomic
def event_unpublish(*, event: Event, by: "User") -> Event:
    """Hide the event again; its catalogue entry is withdrawn. Registrations are kept."""
    current = Event.objects.select_for_update().get(pk=event.pk)
    _require(by, "events.organise", current)
    if current.is_published:
        current.is_published = False
        current.save(update_fields=["is_published", "updated_at"])
    sync_opportunity(current, by=by)
    return current


@transaction.atomic
def event_cancel(*, event: Event, by: "User", now: datetime | None = None) -> Event:
    """Cancel the event: registration closes, the page says so, the catalogue entry is withdrawn
    and everyone registered, waitlisted or awaiting confirmation is told by e-mail (with a
    calendar file that cancels the entry). Cancelling twice is refused with a clear message."""
    now = now or timezone.now()
    current = Event.objects.select_for_update().get(pk=event.pk)
    _require(by, "events.organise", current)
    if current.cancelled_at:
        raise ValidationError(_("The event has already been cancelled."), code="cancelled")
    if current.ends_at <= now:
        raise ValidationError(_("The event is over and cannot be cancelled."), code="over")
    current.cancelled_at = now
    current.save(update_fields=["cancelled_at", "updated_at"])
    sync_opportunity(current, by=by)
    for person in current.registrations.exclude(status=Registration.Status.CANCELLED):
        mails.queue_registration_mail(person, "events.event_cancelled")
    return current


# --- the link to Få indflydelse ------------------------------------------------------------------


def shown_in_catalogue(event: Event) -> bool:
    """Whether the event belongs in Få indflydelse's catalogue now."""
    return event.is_public and event.is_published and event.cancelled_at is None


def _opportunity_data(event: Event) -> dict[str, Any]:
    channel_slug = CITIZEN_CHANNEL if event.kind == Kind.CITIZEN_EVENT else OTHER_CHANNEL
    return {
        "channel": Channel.objects.get(slug=channel_slug),
        "title": event.title,
        "summary": event.summary,
        "body": event.description,
        "language": settings.LANGUAGE_CODE,
        "start_at": event.starts_at,
        "end_at": event.ends_at,
        "deadline": None,
        "venue": event.venue,
        "location": "" if event.venue_id else event.location,
        "accessibility": event.accessibility,
        "participation_url": settings.SITE_URL + event.get_absolute_url(),
        # The organiser answers questions about the event; the catalogue shows a contact.
        "contact_name": event.organiser.get_full_name() or event.organiser.username,
        "contact_email": event.organiser.email,
        "departments": [event.department] if event.department_id else [],
        "principles": [event.principle] if event.principle_id else [],
        # Where it happens is where it belongs: a venue in a district puts the entry in that
        # district's list; a place typed by hand or online leaves it for the whole city.
        "districts": [event.venue.district] if event.venue_id and event.venue.district_id else [],
    }


def _catalogue_refused() -> ValidationError:
    return ValidationError(
        {
            "department": _(
                "To show this public event on Få indflydelse you must belong to its organising "
                "department. Choose one of your own departments, or ask a colleague there."
            )
        },
        code="catalogue",
    )


def _catalogue_writer(event: Event, opportunity: Opportunity | None, by: "User") -> "User":
    """Who writes the event's catalogue entry when `by` changes the event.

    Normally `by`. But coordinators organise every event (events.organise), also public events of
    departments they do not belong to, while the catalogue lets only members of an entry's
    departments write it. Once the department has put the event in the catalogue, the entry only
    follows the event, so a coordinator's change is written as the event's organiser, who is the
    entry's contact and may write it (the history of the entry then names the organiser). A first
    entry is never made this way: putting an event in the catalogue in a department's name stays
    with its members. When the organiser may not write the entry either, `by` is used and refused.
    """
    if opportunity is None or participation_rules.can_edit_opportunity(by, opportunity):
        return by
    organiser = event.organiser
    if (
        organiser.pk != by.pk
        and has_permission(by, "events.organise", event)
        and participation_rules.can_edit_opportunity(organiser, opportunity)
    ):
        return organiser
    return by


def sync_opportunity(event: Event, *, by: "User") -> Opportunity | None:
    """Keep the event's one catalogue entry in step with the event.

    A public, published, not cancelled event gets exactly one Opportunity (created the first time,
    updated afterwards) whose "where to take part" link is the event page; otherwise an existing
    entry is unpublished (withdrawn from the catalogue, its history kept). Everything goes through
    `sammen.participation.services` as `_catalogue_writer` says (normally `by`), who must be
    allowed to write the catalogue entry of the event's department there; if not, a
    ValidationError on `department` says so and the caller's transaction writes nothing. Returns
    the entry, or None when there is none.
    """
    opportunity = event.opportunity
    by = _catalogue_writer(event, opportunity, by)
    try:
        if not shown_in_catalogue(event):
            if opportunity is not None and opportunity.is_published:
                opportunity = participation.opportunity_unpublish(opportunity=opportunity, by=by)
            return opportunity
        data = _opportunity_data(event)
        if opportunity is None:
            if not participation_rules.can_create_opportunity(by):
                raise _catalogue_refused()
            opportunity = participation.opportunity_create(by=by, data=data)
            event.opportunity = opportunity
            event.save(update_fields=["opportunity", "updated_at"])
        else:
            opportunity = participation.opportunity_update(
                opportunity=opportunity, by=by, data=data
            )
        return participation.opportunity_publish(opportunity=opportunity, by=by)
    except PermissionDenied as refused:
        raise _catalogue_refused() from refused
    except ValidationError as error:
        # Participation names the departments it was given; here that is the event's department.
        if "departments" in getattr(error, "error_dict", {}):
            raise _catalogue_refused() from error
        raise


# --- programme and speakers ----------------------------------------------------------------------


def _validate_item_times(event: Event, item: ProgrammeItem) -> None:
    errors: dict[str, Any] = {}
    if item.ends_at <= item.starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    if item.starts_at < event.starts_at or item.starts_at >= event.ends_at:
        errors["starts_at"] = _("The item must start during the event.")
    if item.ends_at > event.ends_at:
        errors.setdefault("ends_at", _("The item must end no later than the event."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def programme_item_save(
    *, event: Event, by: "User", data: Mapping[str, Any], item: ProgrammeItem | None = None
) -> ProgrammeItem:
    """Add an item to the programme, or change one. `data` holds PROGRAMME_FIELDS and the
    `speakers` and `examples` (knowledge entries) presented."""
    _require(by, "events.organise", event)
    if item is not None and item.event_id != event.pk:
        raise PermissionDenied("item of another event")
    item = item or ProgrammeItem(event=event)
    for name in PROGRAMME_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    _validate_item_times(event, item)
    item.full_clean(validate_constraints=False)
    item.save()
    if "speakers" in data:
        item.speakers.set(data["speakers"] or [])
    if "examples" in data:
        item.examples.set(data["examples"] or [])
    return item


@transaction.atomic
def programme_item_delete(*, item: ProgrammeItem, by: "User") -> None:
    _require(by, "events.organise", item.event)
    item.delete()


@transaction.atomic
def speaker_create(*, by: "User", event: Event, data: Mapping[str, Any]) -> Speaker:
    """A speaker, added from the programme of `event` (which `by` organises): a member of staff
    (the name is taken from the account when left empty) or an external guest with a name and
    organisation. Speakers are shared: the next event's programme can choose them too."""
    _require(by, "events.organise", event)
    user = data.get("user")
    name = (data.get("name") or "").strip() or (user.get_full_name() if user else "")
    if not name:
        raise ValidationError({"name": _("Write the speaker's name, or choose a member of staff.")})
    speaker = Speaker(
        user=user,
        name=name,
        organisation=(data.get("organisation") or "").strip(),
        bio=(data.get("bio") or "").strip(),
    )
    speaker.full_clean()
    speaker.save()
    return speaker


# --- the marketplace -----------------------------------------------------------------------------


def _marketplace_event(event: Event) -> None:
    if event.kind != Kind.CONFERENCE:
        raise ValidationError(_("Only a conference has a marketplace of stands."), code="kind")


@transaction.atomic
def stand_request(
    *, event: Event, by: "User", data: Mapping[str, Any], now: datetime | None = None
) -> Stand:
    """A member of staff asks for a stand in the conference's marketplace, for their department
    or project; the organiser decides."""
    _require(by, "events.view", event)
    _marketplace_event(event)
    now = now or timezone.now()
    if event.cancelled_at or event.ends_at <= now:
        raise ValidationError(_("Stands can no longer be requested for this event."), code="over")
    department = data.get("department")
    if department is None:
        raise ValidationError({"department": _("Choose the department behind the stand.")})
    if not by.is_superuser and not by.departments.filter(pk=department.pk).exists():
        raise ValidationError({"department": _("Choose one of your own departments.")})
    stand = Stand(
        event=event,
        title=(data.get("title") or "").strip(),
        description=(data.get("description") or "").strip(),
        department=department,
        project=(data.get("project") or "").strip(),
        requested_by=by,
        requested_at=now,
    )
    stand.full_clean(validate_constraints=False)
    stand.save()
    return stand


def _position_taken(position: str) -> ValidationError:
    return ValidationError(
        {
            "position": _("Position %(position)s is already given to another stand.")
            % {"position": position}
        },
        code="position_taken",
    )


@transaction.atomic
def stand_approve(
    *, stand: Stand, by: "User", position: str, note: str = "", now: datetime | None = None
) -> Stand:
    """Approve a stand and give it a position on the floor plan (unique within the event).
    Changing an approved stand's position goes through here too."""
    event = Event.objects.select_for_update().get(pk=stand.event_id)
    _require(by, "events.organise", event)
    current = Stand.objects.select_for_update().get(pk=stand.pk)
    position = (position or "").strip().upper()
    if not position:
        raise ValidationError({"position": _("Give the stand a position on the floor plan.")})
    taken = (
        Stand.objects.filter(event=event, status=Stand.Status.APPROVED, position=position)
        .exclude(pk=current.pk)
        .exists()
    )
    if taken:
        raise _position_taken(position)
    current.status = Stand.Status.APPROVED
    current.position = position
    current.decision_note = (note or "").strip()
    current.decided_at = now or timezone.now()
    current.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError as error:  # the same position given at the same moment
        raise _position_taken(position) from error
    return current


@transaction.atomic
def stand_decline(
    *, stand: Stand, by: "User", note: str = "", now: datetime | None = None
) -> Stand:
    """Decline a stand (its position, if any, is freed)."""
    event = Event.objects.select_for_update().get(pk=stand.event_id)
    _require(by, "events.organise", event)
    current = Stand.objects.select_for_update().get(pk=stand.pk)
    current.status = Stand.Status.DECLINED
    current.position = ""
    current.decision_note = (note or "").strip()
    current.decided_at = now or timezone.now()
    current.full_clean(validate_constraints=False)
    current.save()
    return current


# --- materials -----------------------------------------------------------------------------------


def material_add(
    *,
    event: Event,
    by: "User",
    title: str,
    upload: UploadedFile | None = None,
    url: str = "",
    now: datetime | None = None,
) -> Material:
    """Add slides, notes or a link. A file is checked by its content (sammen.knowledge.uploads:
    PDF, images, office documents, at most 10 MB) and stored under a name with the detected
    extension; on any failure nothing is left behind."""
    _require(by, "events.organise", event)
    title = (title or "").strip()
    url = (url or "").strip()
    if not upload and not url:
        raise ValidationError(_("Upload a file or give a link."), code="empty")
    if upload and url:
        raise ValidationError(_("Upload a file or give a link, not both."), code="both")
    material = Material(event=event, title=title, url=url, added_at=now or timezone.now())
    if upload:
        try:
            checked = check_upload(upload)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        material.content_type = checked.content_type
        upload.seek(0)
        material.file.save(f"material.{checked.extension}", upload, save=False)
    try:
        with transaction.atomic():
            material.full_clean()
            material.save()
    except Exception:
        if material.file:
            material.file.delete(save=False)
        raise
    return material


@transaction.atomic
def material_delete(*, material: Material, by: "User") -> None:
    _require(by, "events.organise", material.event)
    storage, name = material.file.storage, material.file.name
    material.delete()
    if name:
        # The file goes only once the row is surely gone.
        transaction.on_commit(lambda: storage.delete(name))
