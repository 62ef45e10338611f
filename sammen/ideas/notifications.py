"""Mails about changes to an idea, to the citizen, followers and staff.

Who hears what is decided here, once per timeline entry: `services._record` calls
`entry_recorded(entry)` inside the service's transaction, and it queues one logged mail per
recipient through `sammen.core.mailing.queue_mail`. So a change that is rolled back sends
nothing, a mail goes out only after the change is saved, and each entry mails each person at most
once (the key names the entry and the recipient).

- The citizen (in the idea's language) hears about every public message, every change of owner
  (triage, an accepted handover, a newly named handler), the answer, the closing and a re-opening,
  always with the private tracking link and the next deadline. Never for spam, never after the
  personal data was anonymised, and not for submitting or confirming (the submit mails do that).
- Confirmed followers of a public idea hear about changes of state and public messages, with a
  link to stop following.
- Staff (in settings.LANGUAGE_CODE) hear about what they must act on: an idea assigned to them or
  their department, a handover to accept, the answer to a handover they asked for. Staff mails
  never carry the citizen's contact details: the link opens the case page, where looking at them
  is logged.

The builders below rebuild each mail from the ids in `MailLog.context` when it is sent (the body
is never stored) and return None, which cancels the mail, when it no longer makes sense (the idea
was anonymised, the follower left). The mails of the scheduled jobs (escalation, reminders, the
coordinators' digest and the survey) are built here too, so that every builder is registered when
the app is ready (IdeasConfig.ready imports this module).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sammen.accounts.models import Role, RoleAssignment, User
from sammen.core.mailing import Message, mail_template, queue_mail
from sammen.core.models import Department, MailLog
from sammen.core.workdays import local_date
from sammen.ideas.models import Escalation, Follower, Handover, Idea, TimelineEntry
from sammen.ideas.states import OUTCOMES_WITHOUT_MESSAGE, OWNED_STATES, Outcome, State

if TYPE_CHECKING:
    from sammen.ideas.jobs import CoordinatorDigest

CITIZEN = "ideas.notify_citizen"
FOLLOWER = "ideas.notify_follower"
STAFF = "ideas.notify_staff"
ESCALATION = "ideas.notify_escalation"
REMINDER = "ideas.notify_reminder"
DIGEST = "ideas.notify_digest"
SURVEY = "ideas.notify_survey"

# Why a member of staff gets a mail about a timeline entry, most important first: a person who
# qualifies twice (the new handler is also a consultant of an involved department) gets one mail,
# for the first reason in this order.
ASSIGNED = "assigned"
HANDOVER_REQUESTED = "handover_requested"
LEAD_DEPARTMENT = "lead"
INVOLVED = "involved"
HANDOVER_ACCEPTED = "handover_accepted"
HANDOVER_RETURNED = "handover_returned"
STAFF_REASONS = (
    ASSIGNED,
    HANDOVER_REQUESTED,
    LEAD_DEPARTMENT,
    INVOLVED,
    HANDOVER_ACCEPTED,
    HANDOVER_RETURNED,
)

# Answer deadlines run in these states; waiting for the citizen stops the clock.
CLOCK_RUNNING_STATES = frozenset(OWNED_STATES - {State.WAITING_FOR_CITIZEN, State.ANSWERED})


# --- Recipients ------------------------------------------------------------------------------


def department_consultants(department_id: int | None) -> list[User]:
    """The active dialogue consultants of a department (RoleAssignment CONSULTANT), by pk."""
    if department_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.CONSULTANT,
            role_assignments__department_id=department_id,
        )
        .distinct()
        .order_by("pk")
    )


def coordinators(idea: Idea | None = None) -> list[User]:
    """Every active user with the coordinator role, plus the coordinator of `idea` if given."""
    users = {
        user.pk: user
        for user in User.objects.filter(
            is_active=True,
            pk__in=RoleAssignment.objects.filter(role=Role.COORDINATOR).values("user"),
        )
    }
    if idea is not None and idea.coordinator_id and idea.coordinator_id not in users:
        coordinator = User.objects.filter(pk=idea.coordinator_id, is_active=True).first()
        if coordinator is not None:
            users[coordinator.pk] = coordinator
    return [users[pk] for pk in sorted(users)]


def queue_staff_mails(
    *, key: str, template: str, users: list[User], context: dict[str, Any]
) -> int:
    """Queue one mail per member of staff (`<key>:staff:<user pk>`); returns how many were new.

    Staff read mail in the platform's language. Inactive users and users without an address are
    skipped; each mail's context names the user, so the builder can address and re-check them.
    """
    queued = 0
    for user in users:
        if not user.is_active or not user.email:
            continue
        row = queue_mail(
            key=f"{key}:staff:{user.pk}",
            template=template,
            recipient=user.email,
            language=settings.LANGUAGE_CODE,
            context={**context, "user": user.pk},
        )
        queued += row is not None
    return queued


def citizen_reachable(idea: Idea) -> bool:
    """Whether we may write to the citizen at all: an address, consent, not anonymised."""
    return bool(idea.email) and idea.consent_contact and idea.anonymised_at is None


# --- Deciding who hears about a timeline entry ------------------------------------------------


def _is_triage(entry: TimelineEntry) -> bool:
    return (
        entry.kind == TimelineEntry.Kind.TRANSITION
        and entry.from_state == State.RECEIVED
        and entry.to_state in OWNED_STATES
    )


def _previous_detail(entry: TimelineEntry, name: str) -> Any:
    """The value of `details[name]` on the latest earlier entry of the idea that recorded it."""
    previous = (
        TimelineEntry.objects.filter(idea_id=entry.idea_id, pk__lt=entry.pk, details__has_key=name)
        .order_by("-pk")
        .values_list("details", flat=True)
        .first()
    )
    return previous[name] if previous else None


def _new_handler_id(entry: TimelineEntry) -> int | None:
    """The handler this entry names, if it is a change: someone else than before."""
    handler_id = entry.details.get("handler")
    if handler_id is None:
        return None
    if entry.kind == TimelineEntry.Kind.HANDOVER_ACCEPTED or _is_triage(entry):
        return handler_id
    return handler_id if handler_id != _previous_detail(entry, "handler") else None


def _new_involved_ids(entry: TimelineEntry) -> list[int]:
    involved = entry.details.get("involved_departments")
    if not involved:
        return []
    before = set(_previous_detail(entry, "involved_departments") or [])
    return [pk for pk in involved if pk not in before]


def _is_state_change(entry: TimelineEntry) -> bool:
    return (
        entry.kind in (TimelineEntry.Kind.TRANSITION, TimelineEntry.Kind.REOPENED)
        and entry.from_state != entry.to_state
    )


def citizen_hears_of(entry: TimelineEntry, *, new_handler_id: int | None = None) -> bool:
    """Whether the citizen gets a mail about this entry (see the module's docstring)."""
    idea = entry.idea
    if entry.kind in (TimelineEntry.Kind.SUBMITTED, TimelineEntry.Kind.CONFIRMED):
        return False
    if not citizen_reachable(idea) or idea.outcome in OUTCOMES_WITHOUT_MESSAGE:
        return False
    return bool(
        entry.public_message
        or _is_triage(entry)
        or entry.kind in (TimelineEntry.Kind.HANDOVER_ACCEPTED, TimelineEntry.Kind.REOPENED)
        or new_handler_id is not None
        or (_is_state_change(entry) and entry.to_state in (State.ANSWERED, State.CLOSED))
    )


def followers_hear_of(entry: TimelineEntry) -> bool:
    """Followers of a public idea hear about changes of state and public messages."""
    idea = entry.idea
    if not idea.consent_publish or idea.anonymised_at is not None:
        return False
    if idea.state == State.AWAITING_CONFIRMATION or idea.outcome in OUTCOMES_WITHOUT_MESSAGE:
        return False
    return bool(entry.public_message) or _is_state_change(entry)


def staff_to_tell(entry: TimelineEntry, *, new_handler_id: int | None = None) -> dict[int, str]:
    """{user pk: reason} of the staff this entry concerns, without the person who made it."""
    idea = entry.idea
    wanted: dict[str, list[int]] = {reason: [] for reason in STAFF_REASONS}
    if new_handler_id is not None:
        wanted[ASSIGNED].append(new_handler_id)
    if _is_triage(entry) and new_handler_id is None:
        wanted[LEAD_DEPARTMENT] += [u.pk for u in department_consultants(idea.lead_department_id)]
    for department_id in _new_involved_ids(entry):
        wanted[INVOLVED] += [u.pk for u in department_consultants(department_id)]
    if entry.kind == TimelineEntry.Kind.HANDOVER_REQUESTED:
        to_department = entry.details.get("to_department")
        wanted[HANDOVER_REQUESTED] += [u.pk for u in department_consultants(to_department)]
    if entry.kind in (TimelineEntry.Kind.HANDOVER_ACCEPTED, TimelineEntry.Kind.HANDOVER_RETURNED):
        requester = (
            Handover.objects.filter(pk=entry.details.get("handover"))
            .values_list("requested_by_id", flat=True)
            .first()
        )
        if requester is not None:
            reason = (
                HANDOVER_ACCEPTED
                if entry.kind == TimelineEntry.Kind.HANDOVER_ACCEPTED
                else HANDOVER_RETURNED
            )
            wanted[reason].append(requester)
    chosen: dict[int, str] = {}
    for reason in STAFF_REASONS:
        for user_id in wanted[reason]:
            if user_id != entry.by_id:
                chosen.setdefault(user_id, reason)
    return chosen


def entry_recorded(entry: TimelineEntry) -> None:
    """Queue the mails one timeline entry causes, inside the caller's transaction.

    Called by services._record right after the entry is saved. Queuing only writes MailLog rows;
    the mails are built and sent after the transaction commits, so the idea is never held up or
    lost by the mail server.
    """
    idea = entry.idea
    key = f"idea:{idea.pk}:entry:{entry.pk}"
    new_handler_id = _new_handler_id(entry)
    if citizen_hears_of(entry, new_handler_id=new_handler_id):
        queue_mail(
            key=f"{key}:citizen",
            template=CITIZEN,
            recipient=idea.email,
            language=idea.language,
            context={"entry": entry.pk},
        )
    if followers_hear_of(entry):
        for follower in Follower.objects.filter(idea=idea, confirmed_at__isnull=False):
            queue_mail(
                key=f"{key}:follower:{follower.pk}",
                template=FOLLOWER,
                recipient=follower.email,
                language=follower.language,
                context={"entry": entry.pk, "follower": follower.pk},
            )
    reasons = staff_to_tell(entry, new_handler_id=new_handler_id)
    if reasons:
        users = {u.pk: u for u in User.objects.filter(pk__in=reasons)}
        for user_id, reason in reasons.items():
            if user_id in users:
                queue_staff_mails(
                    key=key,
                    template=STAFF,
                    users=[users[user_id]],
                    context={"entry": entry.pk, "reason": reason},
                )


# --- Shared pieces of the builders -----------------------------------------------------------


def absolute(path: str) -> str:
    """An absolute link for a mail (there is no request to build it from)."""
    return f"{settings.SITE_URL}{path}"


def tracking_url(idea: Idea) -> str:
    return absolute(reverse("ideas:track", args=[idea.tracking_token]))


def staff_case_url(idea_id: int) -> str:
    return absolute(reverse("ideas_staff:detail", args=[idea_id]))


def format_date(moment: datetime | None) -> str:
    """A deadline as a date in Copenhagen, in the active language ("12. maj 2026")."""
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def next_deadline(idea: Idea) -> datetime | None:
    """The next deadline the citizen can hold us to, or None (answered, closed, or waiting for
    the citizen: the clock stands still)."""
    if idea.state == State.RECEIVED:
        return idea.acknowledge_due
    if idea.state in CLOCK_RUNNING_STATES and idea.first_answered_at is None:
        return idea.answer_due
    return None


def _common_context() -> dict[str, Any]:
    return {
        "site_name": "Sammen om Byen",
        "municipality": settings.MUNICIPALITY_NAME,
        "contact_email": settings.CONTACT_EMAIL,
    }


def _render(name: str, context: dict[str, Any]) -> str:
    return render_to_string(f"ideas/email/{name}.txt", {**_common_context(), **context})


def _staff_user(row: MailLog) -> User | None:
    user = User.objects.filter(pk=row.context.get("user"), is_active=True).first()
    return user if user is not None and user.email else None


def _entry(row: MailLog) -> TimelineEntry | None:
    return (
        TimelineEntry.objects.select_related(
            "idea__lead_department",
            "idea__handler",
            "idea__referred_channel",
            "idea__referred_opportunity",
            "idea__duplicate_of",
        )
        .filter(pk=row.context.get("entry"))
        .first()
    )


def _owner_text(idea: Idea, entry: TimelineEntry) -> str:
    department = idea.lead_department.name if idea.lead_department else ""
    handler = idea.handler.get_full_name() if idea.handler else ""
    if entry.kind == TimelineEntry.Kind.HANDOVER_ACCEPTED:
        text = _("Your idea has been handed over to %(department)s, which handles it from now on.")
    else:
        text = _("Your idea is now with %(department)s.")
    text %= {"department": department}
    if handler:
        text += " " + _("Your contact person is %(handler)s.") % {"handler": handler}
    return text


# --- The citizen ------------------------------------------------------------------------------


@dataclass
class _Outcome:
    label: str
    reason: str = ""
    alternatives: list[str] = field(default_factory=list)
    referral_name: str = ""
    referral_url: str = ""
    duplicate_of: str = ""
    lab: str = ""
    lab_date: str = ""


def _outcome(idea: Idea) -> _Outcome:
    outcome = _Outcome(label=Outcome(idea.outcome).label)
    outcome.reason = idea.outcome_reason
    outcome.alternatives = idea.alternatives
    if idea.outcome == Outcome.REFERRED:
        target = idea.referred_opportunity or idea.referred_channel
        if target is not None:
            outcome.referral_name = str(target)
            outcome.referral_url = absolute(target.get_absolute_url())
    if idea.outcome == Outcome.DUPLICATE and idea.duplicate_of is not None:
        outcome.duplicate_of = idea.duplicate_of.reference or ""
    if idea.outcome == Outcome.SOLUTION_LAB and idea.solution_lab is not None:
        # The citizen's invitation to the lab is a mail of its own; this one says which lab.
        outcome.lab = idea.solution_lab.title
        outcome.lab_date = format_date(idea.solution_lab.starts_at)
    return outcome


def citizen_subject(entry: TimelineEntry, *, owner_changed: bool) -> str:
    idea = entry.idea
    params = {"reference": idea.reference, "department": ""}
    if idea.lead_department is not None:
        params["department"] = idea.lead_department.name
    if entry.kind == TimelineEntry.Kind.REOPENED:
        return _("Your idea %(reference)s has been opened again") % params
    if _is_state_change(entry) and entry.to_state == State.CLOSED:
        return _("Your idea %(reference)s has been closed") % params
    if _is_state_change(entry) and entry.to_state == State.ANSWERED:
        return _("An answer to your idea %(reference)s") % params
    if _is_state_change(entry) and entry.to_state == State.WAITING_FOR_CITIZEN:
        return _("A question about your idea %(reference)s") % params
    if owner_changed and params["department"]:
        return _("Your idea %(reference)s is now with %(department)s") % params
    return _("News about your idea %(reference)s") % params


@mail_template(CITIZEN)
def build_citizen_mail(row: MailLog) -> Message | None:
    """One change told to the citizen, in the idea's language, with the tracking link."""
    entry = _entry(row)
    if entry is None:
        return None
    idea = entry.idea
    if not citizen_reachable(idea) or idea.outcome in OUTCOMES_WITHOUT_MESSAGE:
        return None
    owner_changed = (
        _is_triage(entry)
        or entry.kind == TimelineEntry.Kind.HANDOVER_ACCEPTED
        or _new_handler_id(entry) is not None
    )
    closed = _is_state_change(entry) and entry.to_state == State.CLOSED
    context = {
        "name": idea.contact_name,
        "title": idea.title,
        "reference": idea.reference,
        "kind": entry.kind,
        "to_state": entry.to_state if _is_state_change(entry) else "",
        "owner": _owner_text(idea, entry) if owner_changed and idea.lead_department else "",
        "message": entry.public_message,
        "outcome": _outcome(idea) if closed and idea.outcome else None,
        "deadline": format_date(next_deadline(idea)),
        "tracking_url": tracking_url(idea),
    }
    return Message(
        subject=citizen_subject(entry, owner_changed=owner_changed),
        text=_render("notify_citizen", context),
    )


# --- Followers --------------------------------------------------------------------------------


@mail_template(FOLLOWER)
def build_follower_mail(row: MailLog) -> Message | None:
    """A change of a public idea told to someone following it, with a link to stop."""
    entry = _entry(row)
    follower = (
        Follower.objects.filter(pk=row.context.get("follower"), confirmed_at__isnull=False)
        .only("token", "idea_id")
        .first()
    )
    if entry is None or follower is None or follower.idea_id != entry.idea_id:
        return None
    idea = entry.idea
    if not idea.consent_publish or idea.anonymised_at is not None or not idea.reference:
        return None
    unfollow_url = absolute(reverse("ideas:unfollow", args=[follower.token]))
    state = ""
    if _is_state_change(entry):
        state = State(entry.to_state).label
        if entry.to_state == State.CLOSED and idea.outcome:
            state = f"{state}: {Outcome(idea.outcome).label}"
    context = {
        "title": idea.title,
        "reference": idea.reference,
        "state": state,
        "message": entry.public_message,
        "idea_url": absolute(reverse("ideas:detail", args=[idea.reference])),
        "unfollow_url": unfollow_url,
    }
    return Message(
        subject=_("News about an idea you follow: %(title)s") % {"title": idea.title},
        text=_render("notify_follower", context),
        headers={"List-Unsubscribe": f"<{unfollow_url}>"},
    )


# --- Staff: assignments and handovers ---------------------------------------------------------


def staff_subject(reason: str, idea: Idea, department: str) -> str:
    params = {"reference": idea.reference, "department": department}
    subjects = {
        ASSIGNED: _("%(reference)s is assigned to you"),
        LEAD_DEPARTMENT: _("New idea for %(department)s: %(reference)s"),
        INVOLVED: _("%(department)s is involved in %(reference)s"),
        HANDOVER_REQUESTED: _("A handover to %(department)s to accept: %(reference)s"),
        HANDOVER_ACCEPTED: _("%(department)s accepted the handover of %(reference)s"),
        HANDOVER_RETURNED: _("%(department)s returned the handover of %(reference)s"),
    }
    return subjects[reason] % params


@mail_template(STAFF)
def build_staff_mail(row: MailLog) -> Message | None:
    """Something a member of staff must act on, without the citizen's contact details."""
    entry = _entry(row)
    user = _staff_user(row)
    reason = row.context.get("reason")
    if entry is None or user is None or reason not in STAFF_REASONS:
        return None
    idea = entry.idea
    handover = None
    if "handover" in entry.details:
        handover = (
            Handover.objects.select_related("from_department", "to_department")
            .filter(pk=entry.details["handover"])
            .first()
        )
    if reason == INVOLVED:
        # The user's own department among the involved ones this entry added.
        involved = Department.objects.filter(
            pk__in=entry.details.get("involved_departments") or [],
            role_assignments__user=user,
            role_assignments__role=Role.CONSULTANT,
        ).first()
        department = involved.name if involved else ""
    elif reason in (HANDOVER_REQUESTED, HANDOVER_ACCEPTED, HANDOVER_RETURNED) and handover:
        department = handover.to_department.name
    else:
        department = idea.lead_department.name if idea.lead_department else ""
    context = {
        "reason": reason,
        "reference": idea.reference,
        "title": idea.title,
        "department": department,
        "lead_department": idea.lead_department.name if idea.lead_department else "",
        "handover": handover,
        "handover_due": format_date(handover.due_at) if handover else "",
        "answer_due": format_date(next_deadline(idea)),
        "case_url": staff_case_url(idea.pk),
    }
    return Message(
        subject=staff_subject(reason, idea, department), text=_render("notify_staff", context)
    )


# --- Staff: escalation, reminders, the coordinators' digest -----------------------------------


def escalation_still_open(escalation: Escalation) -> bool:
    """Whether the deadline an escalation is about is still missed (a retried mail about a
    deadline met meanwhile is cancelled rather than sent late)."""
    idea = escalation.idea
    if escalation.deadline == Escalation.Deadline.ANSWER:
        return (
            idea.state in CLOCK_RUNNING_STATES
            and idea.first_answered_at is None
            and idea.answer_due == escalation.due_at
        )
    if escalation.deadline == Escalation.Deadline.ACKNOWLEDGE:
        return idea.state == State.RECEIVED
    return Handover.objects.filter(
        idea=idea, status=Handover.Status.PENDING, due_at=escalation.due_at
    ).exists()


@mail_template(ESCALATION)
def build_escalation_mail(row: MailLog) -> Message | None:
    """A missed deadline, told to the next person up: handler, consultants, coordinators."""
    escalation = (
        Escalation.objects.select_related("idea", "department")
        .filter(pk=row.context.get("escalation"))
        .first()
    )
    user = _staff_user(row)
    if escalation is None or user is None or not escalation_still_open(escalation):
        return None
    idea = escalation.idea
    handover = None
    if escalation.deadline == Escalation.Deadline.HANDOVER:
        handover = (
            Handover.objects.select_related("from_department", "to_department")
            .filter(idea=idea, status=Handover.Status.PENDING, due_at=escalation.due_at)
            .first()
        )
    if user.pk == idea.handler_id:
        why = _("You get this because you handle the idea.")
    elif (
        escalation.department_id
        and RoleAssignment.objects.filter(
            user=user, role=Role.CONSULTANT, department_id=escalation.department_id
        ).exists()
    ):
        why = _("You get this because you are a dialogue consultant for %(department)s.") % {
            "department": escalation.department.name
        }
    else:
        why = _("You get this because you are a coordinator of ideas.")
    from sammen.ideas.escalation import next_step_at

    following = next_step_at(escalation)
    context = {
        "deadline": escalation.deadline,
        "reference": idea.reference,
        "title": idea.title,
        "due": format_date(escalation.due_at),
        "handover": handover,
        "why": why,
        "next_level": following[0] if following else None,
        "next_at": format_date(following[1]) if following else "",
        "case_url": staff_case_url(idea.pk),
    }
    return Message(
        subject=_("Deadline missed: %(reference)s") % {"reference": idea.reference},
        text=_render("notify_escalation", context),
    )


@mail_template(REMINDER)
def build_reminder_mail(row: MailLog) -> Message | None:
    """The answer deadline is the next working day; cancelled if answered or moved meanwhile."""
    idea = Idea.objects.filter(pk=row.context.get("idea")).first()
    user = _staff_user(row)
    if idea is None or user is None:
        return None
    due = next_deadline(idea)
    if (
        idea.state not in CLOCK_RUNNING_STATES
        or due is None
        or local_date(due).isoformat() != row.context.get("due")
    ):
        return None
    context = {
        "reference": idea.reference,
        "title": idea.title,
        "due": format_date(due),
        "case_url": staff_case_url(idea.pk),
    }
    return Message(
        subject=_("Reminder: the answer to %(reference)s is due %(date)s")
        % {"reference": idea.reference, "date": format_date(due)},
        text=_render("notify_reminder", context),
    )


@mail_template(DIGEST)
def build_digest_mail(row: MailLog) -> Message | None:
    """The coordinators' daily overview, as it stands when the mail is sent."""
    from sammen.ideas.jobs import coordinator_digest

    user = _staff_user(row)
    if user is None:
        return None
    digest: CoordinatorDigest = coordinator_digest()
    if digest.is_empty:
        return None
    day = date.fromisoformat(row.context["date"])
    context = {
        "digest": digest,
        "coordination_url": absolute(reverse("ideas_staff:coordination")),
    }
    return Message(
        subject=_("Ideas today, %(date)s") % {"date": formats.date_format(day, "DATE_FORMAT")},
        text=_render("notify_digest", context),
    )


# --- The citizen's survey ---------------------------------------------------------------------


def survey_url(idea: Idea, question: str, answer: str) -> str:
    """The one-click link that records one answer (question clear|heard, answer yes|no)."""
    path = reverse("ideas:survey", args=[idea.tracking_token])
    return absolute(f"{path}?question={question}&answer={answer}")


@mail_template(SURVEY)
def build_survey_mail(row: MailLog) -> Message | None:
    """The two questions, four weeks after closing, each answered with one click."""
    idea = Idea.objects.filter(pk=row.context.get("idea")).first()
    if idea is None or not citizen_reachable(idea) or idea.state != State.CLOSED:
        return None
    context = {
        "name": idea.contact_name,
        "title": idea.title,
        "reference": idea.reference,
        "closed": format_date(idea.closed_at),
        "questions": [
            (
                _("Did you get a clear answer?"),
                survey_url(idea, "clear", "yes"),
                survey_url(idea, "clear", "no"),
            ),
            (
                _("Did you feel heard?"),
                survey_url(idea, "heard", "yes"),
                survey_url(idea, "heard", "no"),
            ),
        ],
        "tracking_url": tracking_url(idea),
    }
    return Message(
        subject=_("Two questions about your idea %(reference)s") % {"reference": idea.reference},
        text=_render("notify_survey", context),
    )
