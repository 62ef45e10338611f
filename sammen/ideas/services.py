"""Every write to an idea: submit, confirm, change state, assign, message, hand over.

Each service runs in one transaction, re-reads the idea under a row lock (so two members of staff
acting at once are serialised and "before" is what the database held), validates with
`full_clean()` (which also checks the database constraints in models.Idea.Meta) and writes one
TimelineEntry per change. Nothing else may change an idea's state: no signals, nothing in save().

Permissions (who may triage, who may close) are not checked here yet: the views must check them
through the app's rules before calling a service (see the report of the domain-core issue).

Decisions worth knowing:
- The reference number (IDE-2026-00042) is given on confirmation, not on submission: an address
  that is never confirmed does not enter the queue and should not use up a number. Numbers are
  still never reused: the counter per year only goes up, also when an idea is deleted.
- Deadlines start at confirmation (issue §1: the idea enters the queue then).
- The acknowledgement is the first move out of "received" (triage, or closing as spam, duplicate
  or referral); the first answer is the first move to "answered" or "closed".
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import Role, RoleAssignment
from sammen.core.models import Department
from sammen.core.workdays import add_working_days, local_date, working_days_between
from sammen.ideas import notifications, search
from sammen.ideas.models import Handover, Idea, SubmitterKind, TimelineEntry, YearCounter
from sammen.ideas.states import (
    CITIZEN_TRANSITIONS,
    DEPARTMENT_OUTCOMES,
    OUTCOMES_WITHOUT_MESSAGE,
    OWNED_STATES,
    TRANSITIONS,
    TRIAGE_OUTCOMES,
    Outcome,
    State,
)

if TYPE_CHECKING:
    from sammen.accounts.models import User

# Defaults from the issue (§2); each can be changed in settings.
DEFAULT_ACKNOWLEDGE_WORKING_DAYS = 2
DEFAULT_ANSWER_WORKING_DAYS = 20
DEFAULT_HANDOVER_WORKING_DAYS = 2
DEFAULT_CONFIRMATION_HOURS = 72

# The details idea_transition accepts besides the messages.
OWNERSHIP_DETAILS = frozenset({"lead_department", "coordinator", "handler", "involved_departments"})
OUTCOME_DETAILS = frozenset(
    {
        "outcome",
        "outcome_reason",
        "outcome_alternatives",
        "referred_channel",
        "referred_opportunity",
        "duplicate_of",
        "solution_lab",
    }
)
TRANSITION_DETAILS = OWNERSHIP_DETAILS | OUTCOME_DETAILS


def working_days_setting(name: str, default: int) -> int:
    value = getattr(settings, name, default)
    if not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number of working days, not {value!r}")
    return value


def acknowledge_working_days() -> int:
    return working_days_setting("IDEAS_ACKNOWLEDGE_WORKING_DAYS", DEFAULT_ACKNOWLEDGE_WORKING_DAYS)


def answer_working_days() -> int:
    return working_days_setting("IDEAS_ANSWER_WORKING_DAYS", DEFAULT_ANSWER_WORKING_DAYS)


def handover_working_days() -> int:
    return working_days_setting("IDEAS_HANDOVER_WORKING_DAYS", DEFAULT_HANDOVER_WORKING_DAYS)


def confirmation_expires_at(idea: Idea) -> datetime:
    """The confirmation link is valid for IDEAS_CONFIRMATION_HOURS (72) after submission."""
    hours = getattr(settings, "IDEAS_CONFIRMATION_HOURS", DEFAULT_CONFIRMATION_HOURS)
    return idea.created_at + timedelta(hours=hours)


def _record(
    *,
    idea: Idea,
    by: "User | None",
    kind: str,
    from_state: str,
    public_message: str = "",
    internal_note: str = "",
    details: dict[str, Any] | None = None,
    at: datetime,
) -> TimelineEntry:
    entry = TimelineEntry(
        idea=idea,
        at=at,
        by=by,
        kind=kind,
        from_state=from_state,
        to_state=idea.state,
        public_message=public_message.strip(),
        internal_note=internal_note.strip(),
        details=details or {},
    )
    entry.full_clean()
    entry.save()
    # Who hears of the change (citizen, followers, staff): mails queued in this transaction.
    notifications.entry_recorded(entry)
    return entry


def _lock(idea: Idea) -> Idea:
    return Idea.objects.select_for_update().get(pk=idea.pk)


def _allocate_reference(at: datetime) -> str:
    """The next reference of the (Copenhagen) year of `at`, e.g. IDE-2026-00042.

    The counter row is created if missing (a concurrent creator makes get_or_create fall back to a
    get), then locked with select_for_update, so two confirmations at once get different numbers on
    PostgreSQL; on SQLite the write transaction (IMMEDIATE) serialises them. The counter only goes
    up, so a number is never given out twice, even after the idea holding it is deleted.
    """
    year = local_date(at).year
    YearCounter.objects.get_or_create(year=year)
    counter = YearCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"IDE-{year}-{counter.last_number:05d}"


def _is_coordinator(user: "User") -> bool:
    return RoleAssignment.objects.filter(user=user, role=Role.COORDINATOR).exists()


@transaction.atomic
def idea_submit(
    *,
    title: str,
    description: str,
    contact_name: str,
    email: str,
    consent_contact: bool,
    consent_publish: bool = False,
    districts: Iterable[Any] = (),
    address: str = "",
    topics: Iterable[Any] = (),
    help_needed: Iterable[str] = (),
    submitter_kind: str = SubmitterKind.PERSON,
    phone: str = "",
    language: str = "da",
    now: datetime | None = None,
) -> Idea:
    """Store a citizen's idea, awaiting confirmation of the e-mail address (no reference yet).

    The caller sends the confirmation link (built from `idea.tracking_token`) after commit.
    Consent to be contacted is required: without it the municipality cannot answer.
    """
    now = now or timezone.now()
    if not consent_contact:
        raise ValidationError(
            {"consent_contact": _("We can only handle the idea if we may contact you about it.")}
        )
    idea = Idea(
        title=title.strip(),
        description=description.strip(),
        contact_name=contact_name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        address=address.strip(),
        help_needed=list(dict.fromkeys(help_needed)),
        submitter_kind=submitter_kind,
        language=language,
        consent_contact=consent_contact,
        consent_publish=consent_publish,
        state=State.AWAITING_CONFIRMATION,
        created_at=now,
    )
    idea.search_stems = search.stems_for(title=idea.title, description=idea.description)
    idea.full_clean()
    idea.save()
    idea.districts.set(districts)
    idea.topics.set(topics)
    _record(idea=idea, by=None, kind=TimelineEntry.Kind.SUBMITTED, from_state="", at=now)
    return idea


@transaction.atomic
def idea_confirm(*, idea: Idea, now: datetime | None = None) -> Idea:
    """The citizen followed the confirmation link: the idea enters the queue (→ received).

    Following the link again is harmless and changes nothing. A link older than
    IDEAS_CONFIRMATION_HOURS is refused; the citizen must submit again.
    """
    now = now or timezone.now()
    current = _lock(idea)
    if current.state != State.AWAITING_CONFIRMATION:
        return current
    if now > confirmation_expires_at(current):
        raise ValidationError(_("The confirmation link has expired. Please send your idea again."))
    return idea_transition(idea=current, to_state=State.RECEIVED, by=None, now=now)


def _apply_ownership(
    current: Idea,
    *,
    from_state: str,
    to_state: str,
    by: "User | None",
    details: dict[str, Any],
    errors: dict[str, Any],
) -> None:
    """Set the lead department, coordinator, handler and involved departments given with a move.

    The lead department is set once, at triage (or when re-opening an idea no department led);
    after that it changes only by an accepted handover. The coordinator is set at triage, and
    defaults to the coordinator doing the triage.
    """
    if "lead_department" in details:
        if current.lead_department_id is not None and (
            details["lead_department"] is None
            or details["lead_department"].pk != current.lead_department_id
        ):
            errors["lead_department"] = _(
                "The lead department changes only by a handover that the other department accepts."
            )
        else:
            current.lead_department = details["lead_department"]
    if "coordinator" in details:
        if current.coordinator_id is not None and from_state != State.RECEIVED:
            errors["coordinator"] = _("The coordinator is chosen at triage.")
        elif details["coordinator"] is None or not _is_coordinator(details["coordinator"]):
            errors["coordinator"] = _("Choose a member of staff with the coordinator role.")
        else:
            current.coordinator = details["coordinator"]
    elif (
        current.coordinator_id is None
        and by is not None
        and (to_state in OWNED_STATES or to_state == State.CLOSED)
        and _is_coordinator(by)
    ):
        current.coordinator = by
    if "handler" in details:
        current.handler = details["handler"]
    if current.handler_id is not None and not _handler_fits(current):
        errors["handler"] = _("The handler must work in the lead department.")


def _handler_fits(idea: Idea) -> bool:
    return (
        idea.lead_department_id is not None
        and idea.handler.departments.filter(pk=idea.lead_department_id).exists()
    )


def _apply_outcome(
    current: Idea,
    *,
    from_state: str,
    public_message: str,
    details: dict[str, Any],
    errors: dict[str, Any],
) -> None:
    outcome = details.get("outcome") or ""
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose how the idea ends.")
        return
    if from_state == State.RECEIVED and outcome not in TRIAGE_OUTCOMES:
        errors["outcome"] = _(
            "Before triage an idea can only be referred, or closed as spam or a duplicate."
        )
    if outcome in DEPARTMENT_OUTCOMES and current.lead_department_id is None:
        errors["outcome"] = _("Only a lead department can close an idea with this outcome.")
    current.outcome = outcome
    current.outcome_reason = (details.get("outcome_reason") or "").strip()
    current.outcome_alternatives = (details.get("outcome_alternatives") or "").strip()
    current.referred_channel = details.get("referred_channel")
    current.referred_opportunity = details.get("referred_opportunity")
    current.duplicate_of = details.get("duplicate_of")
    if outcome == Outcome.NOT_POSSIBLE:
        if not current.outcome_reason:
            errors["outcome_reason"] = _("Explain why the idea is not possible.")
        if not current.alternatives:
            errors["outcome_alternatives"] = _("Give the citizen at least one alternative.")
    if outcome == Outcome.REFERRED:
        if current.referred_opportunity is not None and current.referred_channel is None:
            current.referred_channel = current.referred_opportunity.channel
        if current.referred_channel is None:
            errors["referred_channel"] = _("Choose the channel or opportunity to refer to.")
    if outcome == Outcome.DUPLICATE and current.duplicate_of_id == current.pk:
        errors["duplicate_of"] = _("An idea cannot be a duplicate of itself.")
    current.solution_lab = None
    if outcome == Outcome.SOLUTION_LAB:
        lab = details.get("solution_lab")
        if lab is None or not _lab_has_idea(lab, current):
            errors["solution_lab"] = _(
                "Choose the solution lab the idea was taken to; take it to a lab first."
            )
        else:
            current.solution_lab = lab
    if outcome not in OUTCOMES_WITHOUT_MESSAGE and not public_message.strip():
        errors["public_message"] = _("Tell the citizen how and why the idea ends.")


def _lab_has_idea(lab: Any, idea: Idea) -> bool:
    """Whether `lab` is a solution lab the idea was taken to (events.LabIdea)."""
    from sammen.events.models import Kind

    return lab.kind == Kind.SOLUTION_LAB and lab.lab_ideas.filter(idea=idea).exists()


def _clear_outcome(current: Idea) -> None:
    current.outcome = ""
    current.outcome_reason = ""
    current.outcome_alternatives = ""
    current.referred_channel = None
    current.referred_opportunity = None
    current.duplicate_of = None
    current.solution_lab = None
    current.closed_at = None


@transaction.atomic
def idea_transition(
    *,
    idea: Idea,
    to_state: str,
    by: "User | None",
    public_message: str = "",
    internal_note: str = "",
    now: datetime | None = None,
    **details: Any,
) -> Idea:
    """Move an idea to `to_state`, if states.TRANSITIONS allows it and its requirements are met.

    `details` may carry the lead department, coordinator, handler and involved departments (at
    triage) and the outcome with its reason, alternatives, referral or duplicate (when closing).
    Requirements, each refused with a ValidationError naming the field:
    - triaged, in progress, waiting, answered: a lead department and a coordinator;
    - waiting for the citizen, answered: a public message (the question, the answer);
    - closed: an outcome, a public message unless spam, "not possible" a reason and an
      alternative, "referred" a channel or opportunity, "solution lab" a lab the idea was taken
      to (sammen.events.labs); no handover may be pending;
    - re-opening a closed idea: a reason in the internal note.
    Deadlines: confirmation sets them; waiting for the citizen stops the clock and moving on
    extends the answer deadline by the working days it waited.
    Returns the idea as saved (a fresh object; the one passed in is not changed).
    """
    now = now or timezone.now()
    unknown = set(details) - TRANSITION_DETAILS
    if unknown:
        raise TypeError(f"unknown details: {', '.join(sorted(unknown))}")
    current = _lock(idea)
    from_state = current.state
    to_state = State(to_state)
    if (from_state, to_state) not in TRANSITIONS:
        raise ValidationError(
            _("An idea cannot go from “%(from)s” to “%(to)s”."),
            code="transition_not_allowed",
            params={"from": State(from_state).label, "to": to_state.label},
        )
    citizen_move = (from_state, to_state) in CITIZEN_TRANSITIONS
    if citizen_move and by is not None:
        raise ValidationError(_("Only the citizen can confirm an idea."), code="citizen_only")
    if not citizen_move and by is None:
        raise ValidationError(_("Only staff can change the state of an idea."), code="staff_only")
    if set(details) & OUTCOME_DETAILS and to_state != State.CLOSED:
        raise ValidationError(
            {"outcome": _("An outcome is given only when the idea is closed.")},
            code="outcome_not_closing",
        )

    errors: dict[str, Any] = {}
    kind = TimelineEntry.Kind.TRANSITION
    record_details: dict[str, Any] = {}
    _apply_ownership(
        current, from_state=from_state, to_state=to_state, by=by, details=details, errors=errors
    )

    if to_state == State.RECEIVED:
        kind = TimelineEntry.Kind.CONFIRMED
        current.reference = _allocate_reference(now)
        current.confirmed_at = now
        current.acknowledge_due = add_working_days(now, acknowledge_working_days())
        current.answer_due = add_working_days(now, answer_working_days())
    if from_state == State.RECEIVED and current.acknowledged_at is None:
        current.acknowledged_at = now
    if to_state in OWNED_STATES:
        if current.lead_department_id is None:
            errors.setdefault("lead_department", _("Choose the lead department."))
        if current.coordinator_id is None:
            errors.setdefault("coordinator", _("Choose the coordinator responsible for the idea."))
    if to_state in (State.WAITING_FOR_CITIZEN, State.ANSWERED) and not public_message.strip():
        errors["public_message"] = (
            _("Write the question to the citizen.")
            if to_state == State.WAITING_FOR_CITIZEN
            else _("Write the answer to the citizen.")
        )
    if to_state == State.CLOSED:
        _apply_outcome(
            current,
            from_state=from_state,
            public_message=public_message,
            details=details,
            errors=errors,
        )
        if current.coordinator_id is None:
            errors.setdefault("coordinator", _("Choose the coordinator responsible for the idea."))
        if Handover.objects.filter(idea=current, status=Handover.Status.PENDING).exists():
            errors["__all__"] = ValidationError(
                _("A handover is pending: accept or return it first."), code="handover_pending"
            )
        current.closed_at = now
    if from_state == State.CLOSED:
        kind = TimelineEntry.Kind.REOPENED
        if not internal_note.strip():
            errors["internal_note"] = _("Give the reason for re-opening the idea.")
        record_details["previous_outcome"] = current.outcome
        _clear_outcome(current)
    if to_state in (State.ANSWERED, State.CLOSED) and current.first_answered_at is None:
        current.first_answered_at = now

    # The clock: stopped while waiting for the citizen, the answer deadline moved on by the
    # working days it stood still (issue §2).
    if from_state == State.WAITING_FOR_CITIZEN:
        paused = working_days_between(current.clock_paused_since, now)
        if paused:
            current.answer_due = add_working_days(current.answer_due, paused)
        record_details["paused_working_days"] = paused
        current.clock_paused_since = None
    if to_state == State.WAITING_FOR_CITIZEN:
        current.clock_paused_since = now

    if errors:
        raise ValidationError(errors)
    current.state = to_state
    current.full_clean()
    current.save()
    if "involved_departments" in details:
        involved = {d.pk for d in details["involved_departments"]} - {current.lead_department_id}
        current.involved_departments.set(involved)
        record_details["involved_departments"] = sorted(involved)
    for name in ("lead_department", "coordinator", "handler"):
        if name in details:
            record_details[name] = getattr(current, f"{name}_id")
    if current.outcome:
        record_details["outcome"] = current.outcome
    _record(
        idea=current,
        by=by,
        kind=kind,
        from_state=from_state,
        public_message=public_message,
        internal_note=internal_note,
        details=record_details,
        at=now,
    )
    return current


@transaction.atomic
def idea_assign(
    *,
    idea: Idea,
    by: "User",
    handler: "User | None" = None,
    involved_departments: Iterable[Department] | None = None,
    internal_note: str = "",
    now: datetime | None = None,
) -> Idea:
    """Name the handler in the lead department and/or change the involved departments."""
    now = now or timezone.now()
    current = _lock(idea)
    if current.state not in OWNED_STATES:
        raise ValidationError(_("Only a triaged, open idea can be assigned."), code="not_owned")
    current.handler = handler
    if handler is not None and not _handler_fits(current):
        raise ValidationError({"handler": _("The handler must work in the lead department.")})
    current.full_clean()
    current.save()
    details: dict[str, Any] = {"handler": current.handler_id}
    if involved_departments is not None:
        involved = {d.pk for d in involved_departments} - {current.lead_department_id}
        current.involved_departments.set(involved)
        details["involved_departments"] = sorted(involved)
    _record(
        idea=current,
        by=by,
        kind=TimelineEntry.Kind.ASSIGNED,
        from_state=current.state,
        internal_note=internal_note,
        details=details,
        at=now,
    )
    return current


@transaction.atomic
def idea_add_message(
    *,
    idea: Idea,
    by: "User",
    public_message: str = "",
    internal_note: str = "",
    now: datetime | None = None,
) -> TimelineEntry:
    """A public message to the citizen and/or an internal note, without a change of state."""
    now = now or timezone.now()
    current = _lock(idea)
    if current.state == State.AWAITING_CONFIRMATION:
        raise ValidationError(_("The idea has not been confirmed yet."), code="unconfirmed")
    if not public_message.strip() and not internal_note.strip():
        raise ValidationError({"public_message": _("Write a message or a note.")})
    return _record(
        idea=current,
        by=by,
        kind=TimelineEntry.Kind.MESSAGE,
        from_state=current.state,
        public_message=public_message,
        internal_note=internal_note,
        at=now,
    )


@transaction.atomic
def idea_hand_over(
    *,
    idea: Idea,
    to_department: Department,
    by: "User",
    note: str,
    now: datetime | None = None,
) -> Handover:
    """Ask another department to take the lead. The lead stays until that department accepts;
    it must accept or return the idea within IDEAS_HANDOVER_WORKING_DAYS working days."""
    now = now or timezone.now()
    current = _lock(idea)
    if current.state not in OWNED_STATES:
        raise ValidationError(_("Only a triaged, open idea can be handed over."), code="not_owned")
    if not note.strip():
        raise ValidationError({"note": _("Explain why the other department should take over.")})
    if to_department.pk == current.lead_department_id:
        raise ValidationError({"to_department": _("Choose another department than the lead.")})
    if Handover.objects.filter(idea=current, status=Handover.Status.PENDING).exists():
        raise ValidationError(_("A handover of this idea is already pending."), code="pending")
    handover = Handover(
        idea=current,
        from_department=current.lead_department,
        to_department=to_department,
        note=note.strip(),
        requested_by=by,
        requested_at=now,
        due_at=add_working_days(now, handover_working_days()),
    )
    handover.full_clean()
    handover.save()
    _record(
        idea=current,
        by=by,
        kind=TimelineEntry.Kind.HANDOVER_REQUESTED,
        from_state=current.state,
        internal_note=handover.note,
        details={"handover": handover.pk, "to_department": to_department.pk},
        at=now,
    )
    return handover


def _decide(handover: Handover, *, by: "User", status: str, note: str, now: datetime) -> Handover:
    current = Handover.objects.select_for_update().get(pk=handover.pk)
    if current.status != Handover.Status.PENDING:
        raise ValidationError(_("This handover has already been decided."), code="decided")
    current.status = status
    current.decided_by = by
    current.decided_at = now
    current.decision_note = note.strip()
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def idea_accept_handover(
    *,
    handover: Handover,
    by: "User",
    handler: "User | None" = None,
    note: str = "",
    now: datetime | None = None,
) -> Handover:
    """The receiving department takes the lead. The previous handler worked in the old department,
    so the idea gets the handler named here, or none until the new department assigns one. The
    coordinator and the clock stay: a handover never restarts the deadline."""
    now = now or timezone.now()
    idea = _lock(handover.idea)
    decided = _decide(handover, by=by, status=Handover.Status.ACCEPTED, note=note, now=now)
    if idea.state not in OWNED_STATES or idea.lead_department_id != decided.from_department_id:
        raise ValidationError(_("The idea is no longer with the department that asked."))
    idea.lead_department = decided.to_department
    idea.handler = handler
    if handler is not None and not _handler_fits(idea):
        raise ValidationError({"handler": _("The handler must work in the lead department.")})
    idea.full_clean()
    idea.save()
    idea.involved_departments.remove(decided.to_department)
    _record(
        idea=idea,
        by=by,
        kind=TimelineEntry.Kind.HANDOVER_ACCEPTED,
        from_state=idea.state,
        internal_note=decided.decision_note,
        details={
            "handover": decided.pk,
            "from_department": decided.from_department_id,
            "lead_department": decided.to_department_id,
            "handler": idea.handler_id,
        },
        at=now,
    )
    return decided


@transaction.atomic
def idea_return_handover(
    *, handover: Handover, by: "User", note: str, now: datetime | None = None
) -> Handover:
    """The receiving department declines, with a reason; the lead stays where it was."""
    now = now or timezone.now()
    if not note.strip():
        raise ValidationError({"note": _("Explain why your department cannot take over.")})
    idea = _lock(handover.idea)
    decided = _decide(handover, by=by, status=Handover.Status.RETURNED, note=note, now=now)
    _record(
        idea=idea,
        by=by,
        kind=TimelineEntry.Kind.HANDOVER_RETURNED,
        from_state=idea.state,
        internal_note=decided.decision_note,
        details={"handover": decided.pk, "to_department": decided.to_department_id},
        at=now,
    )
    return decided
