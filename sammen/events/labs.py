"""Solution labs: citizens' ideas that need several departments, worked on together.

A coordinator takes one or more open ideas to a lab (`lab_create`, `lab_add_idea`). In the same
transaction each idea's citizen is told on the idea's timeline and invited as a public participant
(a pending registration whose mail is the lab's invitation with the confirmation link, not the
generic "confirm your registration" mail), and the handler and the dialogue consultants of every
department leading or involved in the ideas are invited as staff (one click on the event page).

At the lab the organiser records agreements per idea (`agreement_record`): what was agreed, which
department owns it (and who in it), and when it is followed up. Each agreement is also a public
message on the idea's timeline, through `sammen.ideas.services.idea_add_message` (the only way to
change an idea), so the citizen sees it on the tracking page and gets the usual notification.

Texts to the citizen are written in the idea's language. The citizen's address is never shown on
the lab's pages; it stays in the registration, which the registration services own.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import formats, timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from sammen.accounts.permissions import has_permission
from sammen.core.models import Department, Venue
from sammen.core.workdays import local_date
from sammen.events import registration, services
from sammen.events.models import Audience, Event, Kind, LabAgreement, LabIdea, Registration
from sammen.ideas import services as idea_services
from sammen.ideas.models import Idea
from sammen.ideas.notifications import citizen_reachable, department_consultants, queue_staff_mails
from sammen.ideas.rules import staff_department_ids
from sammen.ideas.states import OPEN_STATES

if TYPE_CHECKING:
    from sammen.accounts.models import User

# The mails (builders in sammen.events.mails_labs).
CITIZEN_INVITATION = "events.lab_invitation"
STAFF_INVITATION = "events.lab_staff_invitation"


# --- who may, and which ideas --------------------------------------------------------------------


def can_take_to_lab(idea: Idea) -> bool:
    """An idea can go to a lab while it is being handled (received or owned) and its citizen's
    data is still there: an anonymised idea has nobody to invite or tell."""
    return idea.state in OPEN_STATES and idea.anonymised_at is None


def ideas_for_labs() -> QuerySet[Idea]:
    """The ideas a coordinator can take to a lab, newest first, with their lead department."""
    return (
        Idea.objects.filter(state__in=OPEN_STATES, anonymised_at__isnull=True)
        .select_related("lead_department")
        .order_by("-confirmed_at", "-pk")
    )


def _require_coordinator(by: "User") -> None:
    if not has_permission(by, "ideas.triage"):
        raise PermissionDenied("ideas.triage")


def _require_lab(event: Event, now: datetime, *, upcoming: bool) -> None:
    if event.kind != Kind.SOLUTION_LAB:
        raise ValidationError(_("This event is not a solution lab."), code="not_a_lab")
    if event.cancelled_at:
        raise ValidationError(_("The solution lab has been cancelled."), code="cancelled")
    if upcoming and event.starts_at <= now:
        raise ValidationError(
            _("The solution lab has started; ideas can only be added before it starts."),
            code="started",
        )


# --- reading -------------------------------------------------------------------------------------


def lab_ideas(event: Event) -> list[LabIdea]:
    """The lab's ideas in the order they were added, each with its lead and involved departments
    and handler (three queries, however many ideas)."""
    return list(
        LabIdea.objects.filter(event=event)
        .select_related("idea", "idea__lead_department", "idea__handler")
        .prefetch_related(Prefetch("idea__involved_departments", queryset=Department.objects.all()))
        .order_by("added_at", "pk")
    )


def lab_departments(items: Iterable[LabIdea]) -> list[Department]:
    """The departments leading or involved in the lab's ideas, by name (from the prefetch)."""
    found: dict[int, Department] = {}
    for item in items:
        idea = item.idea
        if idea.lead_department is not None:
            found[idea.lead_department.pk] = idea.lead_department
        for involved in idea.involved_departments.all():
            found[involved.pk] = involved
    return sorted(found.values(), key=lambda d: d.name)


def agreements_by_idea(event: Event) -> dict[int, list[LabAgreement]]:
    """{idea id: the lab's agreements about it, oldest first} in one query."""
    grouped: dict[int, list[LabAgreement]] = defaultdict(list)
    rows = (
        LabAgreement.objects.filter(event=event)
        .select_related("owner_department", "owner_user")
        .order_by("created_at", "pk")
    )
    for agreement in rows:
        grouped[agreement.idea_id].append(agreement)
    return dict(grouped)


def citizen_registrations(event: Event, items: Iterable[LabIdea]) -> dict[int, Registration]:
    """{idea id: the citizen's registration for the lab}, in one query. A citizen with two ideas
    in the lab has one registration (one address, one seat); both ideas show it."""
    rows = list(
        Registration.objects.filter(event=event, user__isnull=True)
        .exclude(idea__isnull=True)
        .order_by("created_at", "pk")
    )
    by_idea = {row.idea_id: row for row in rows}
    by_address = {row.email.lower(): row for row in rows}
    found = {}
    for item in items:
        row = by_idea.get(item.idea_id) or by_address.get(item.idea.email.lower())
        if row is not None:
            found[item.idea_id] = row
    return found


def labs_for_idea(idea: Idea) -> list[Event]:
    """The solution labs an idea was taken to, soonest first (the case page and the close form)."""
    return list(
        Event.objects.filter(kind=Kind.SOLUTION_LAB, lab_ideas__idea=idea)
        .select_related("venue")
        .order_by("starts_at", "pk")
    )


# --- texts to the citizen ------------------------------------------------------------------------


def when_text(moment: datetime) -> str:
    """A moment as "12. maj 2026 kl. 14.00" in the active language, Copenhagen time."""
    local = timezone.localtime(moment)
    return _("%(date)s at %(time)s") % {
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "TIME_FORMAT"),
    }


def day_text(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _names(departments: Iterable[Department]) -> str:
    return get_text_list([d.name for d in departments], _("and"))


def taken_to_lab_message(event: Event, departments: list[Department], *, invited: bool) -> str:
    """What the citizen reads on the timeline when the idea is taken to the lab (call it with the
    idea's language active)."""
    params = {"when": when_text(event.starts_at), "place": event.place}
    if departments:
        text = _(
            "Your idea will be worked on at a solution lab on %(when)s at %(place)s, with "
            "%(departments)s."
        ) % {**params, "departments": _names(departments)}
    else:
        text = _("Your idea will be worked on at a solution lab on %(when)s at %(place)s.") % params
    if invited:
        text += " " + _("You are invited: see the e-mail.")
    return text


def agreement_message(agreement: LabAgreement) -> str:
    """What the citizen reads on the timeline about one agreement (in the active language)."""
    owner = agreement.owner_department.name
    if agreement.owner_user is not None:
        name = agreement.owner_user.get_full_name() or agreement.owner_user.username
        owner = f"{owner}, {name}"
    lines = [
        _("At the solution lab “%(lab)s” on %(date)s we agreed:")
        % {"lab": agreement.event.title, "date": day_text(local_date(agreement.event.starts_at))},
        agreement.text,
        _("Responsible: %(owner)s.") % {"owner": owner},
        _("We will follow up by %(date)s.") % {"date": day_text(agreement.follow_up_on)},
    ]
    return "\n\n".join(lines)


# --- taking ideas to a lab -----------------------------------------------------------------------


def _lock_ideas(ideas: Iterable[Idea]) -> list[Idea]:
    ids = sorted({idea.pk for idea in ideas})
    return list(Idea.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _check_ideas(ideas: list[Idea]) -> None:
    if not ideas:
        raise ValidationError({"ideas": _("Choose at least one idea.")}, code="no_ideas")
    refused = [idea.reference or str(idea.pk) for idea in ideas if not can_take_to_lab(idea)]
    if refused:
        raise ValidationError(
            {
                "ideas": _(
                    "Only open ideas can be taken to a solution lab. Not open: %(references)s."
                )
                % {"references": ", ".join(refused)}
            },
            code="not_open",
        )


def _invite_citizen(event: Event, idea: Idea, now: datetime) -> bool:
    """A pending registration with the lab's invitation, when we may write to the citizen.
    Returns whether the citizen is invited (also when already invited with another idea)."""
    if not citizen_reachable(idea):
        return False
    already = (
        event.registrations.filter(email__iexact=idea.email)
        .exclude(status=Registration.Status.CANCELLED)
        .exists()
    )
    if not already:
        registration.register_public(
            event=event,
            name=idea.contact_name,
            email=idea.email,
            language=idea.language,
            idea=idea,
            pending_mail=CITIZEN_INVITATION,
            now=now,
        )
    return True


def _take_in(event: Event, ideas: list[Idea], *, by: "User", now: datetime) -> list[LabIdea]:
    """Add the ideas to the lab, then invite and tell each citizen (naming every department the
    lab brings together, the new ideas' included)."""
    items = []
    for idea in ideas:
        item = LabIdea(event=event, idea=idea, added_at=now)
        item.full_clean(validate_constraints=False)
        item.save()
        items.append(item)
    departments = lab_departments(lab_ideas(event))
    for idea in ideas:
        invited = _invite_citizen(event, idea, now)
        with translation.override(idea.language):
            message = taken_to_lab_message(event, departments, invited=invited)
        idea_services.idea_add_message(idea=idea, by=by, public_message=message, now=now)
    return items


def staff_to_invite(items: Iterable[LabIdea]) -> list["User"]:
    """The handlers of the ideas and the dialogue consultants of each idea's lead and involved
    departments, once each."""
    users: dict[int, User] = {}
    department_ids: set[int] = set()
    for item in items:
        idea = item.idea
        if idea.handler is not None:
            users[idea.handler.pk] = idea.handler
        if idea.lead_department_id:
            department_ids.add(idea.lead_department_id)
        department_ids.update(d.pk for d in idea.involved_departments.all())
    for department_id in sorted(department_ids):
        for user in department_consultants(department_id):
            users.setdefault(user.pk, user)
    return [users[pk] for pk in sorted(users)]


def _invite_staff(event: Event, *, by: "User") -> int:
    """Invite everyone `staff_to_invite` names but the organiser acting; someone invited before
    is not written to again (the mail's key is per lab and person)."""
    users = [u for u in staff_to_invite(lab_ideas(event)) if u.pk != by.pk]
    return queue_staff_mails(
        key=f"lab:{event.pk}", template=STAFF_INVITATION, users=users, context={"event": event.pk}
    )


@transaction.atomic
def lab_create(
    *,
    by: "User",
    ideas: Iterable[Idea],
    title: str,
    summary: str,
    starts_at: datetime,
    ends_at: datetime,
    venue: Venue | None = None,
    location: str = "",
    capacity: int | None = None,
    now: datetime | None = None,
) -> Event:
    """Create a published, staff-only solution lab organised by `by` (a coordinator) from open
    ideas, tell each idea's citizen on the timeline, and invite the citizens and departments.

    Refused with a PermissionDenied for anyone but coordinators, and with a ValidationError
    naming the field for no ideas, an idea that is not open (or anonymised), a start that is not
    in the future, or dates and place the event services refuse. Nothing is saved then.
    """
    now = now or timezone.now()
    _require_coordinator(by)
    chosen = _lock_ideas(ideas)
    _check_ideas(chosen)
    if starts_at <= now:
        raise ValidationError(
            {"starts_at": _("The lab must be in the future: the citizens are invited to it.")}
        )
    event = services.event_create(
        by=by,
        data={
            "kind": Kind.SOLUTION_LAB,
            "audience": Audience.STAFF,
            "title": title.strip(),
            "summary": summary.strip(),
            "starts_at": starts_at,
            "ends_at": ends_at,
            "venue": venue,
            "location": location.strip(),
            "capacity": capacity,
        },
    )
    event = services.event_publish(event=event, by=by)
    _take_in(event, chosen, by=by, now=now)
    _invite_staff(event, by=by)
    return event


@transaction.atomic
def lab_add_idea(*, event: Event, idea: Idea, by: "User", now: datetime | None = None) -> LabIdea:
    """Take one more open idea to an upcoming lab: the same message, invitations and staff
    invitations as at creation (people invited before are not written to again)."""
    now = now or timezone.now()
    _require_coordinator(by)
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_lab(event, now, upcoming=True)
    chosen = _lock_ideas([idea])
    _check_ideas(chosen)
    if LabIdea.objects.filter(event=event, idea=chosen[0]).exists():
        raise ValidationError(
            {"ideas": _("The idea is already in this solution lab.")}, code="already"
        )
    [item] = _take_in(event, chosen, by=by, now=now)
    _invite_staff(event, by=by)
    return item


# --- agreements ----------------------------------------------------------------------------------


@transaction.atomic
def agreement_record(
    *,
    event: Event,
    idea: Idea,
    text: str,
    owner_department: Department,
    owner_user: "User | None" = None,
    follow_up_on: date,
    by: "User",
    now: datetime | None = None,
) -> LabAgreement:
    """Record what the lab agreed about one of its ideas, and tell the citizen on the idea's
    timeline (in the idea's language): what was agreed, who owns it, when it is followed up.

    Refused (ValidationError naming the field) when the idea is not in the lab, the text is
    empty, the named owner does not work in the owner department, or the follow-up date is in
    the past; PermissionDenied for anyone who does not organise the lab.
    """
    now = now or timezone.now()
    if not has_permission(by, "events.organise", event):
        raise PermissionDenied("events.organise")
    _require_lab(event, now, upcoming=False)
    if not LabIdea.objects.filter(event=event, idea=idea).exists():
        raise ValidationError(_("The idea is not in this solution lab."), code="not_in_lab")
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Write what was agreed.")
    if owner_user is not None and owner_department.pk not in staff_department_ids(owner_user):
        errors["owner_user"] = _("The named owner must work in %(department)s.") % {
            "department": owner_department.name
        }
    if follow_up_on < local_date(now):
        errors["follow_up_on"] = _("The follow-up date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    agreement = LabAgreement(
        event=event,
        idea=idea,
        text=text.strip(),
        owner_department=owner_department,
        owner_user=owner_user,
        follow_up_on=follow_up_on,
        created_by=by,
        created_at=now,
    )
    agreement.full_clean()
    agreement.save()
    with translation.override(idea.language):
        message = agreement_message(agreement)
    idea_services.idea_add_message(idea=idea, by=by, public_message=message, now=now)
    return agreement
