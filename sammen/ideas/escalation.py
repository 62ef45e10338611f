"""Escalating missed deadlines: the handler, then the department's consultants, then the coordinators.

`escalate_overdue()` runs from the scheduled command `escalate_ideas` (hourly). Each step is one
`Escalation(idea, deadline, due_at, level)` row, unique in the database; the row and the step's
mails are written in one transaction, so a step happens once per deadline however often the job
runs, and two workers at once cannot both take it (the second gets an IntegrityError and skips).

The steps, counted in Danish working days from the missed deadline (`sammen.core.workdays`; a
deadline falls at the end of its working day, so "one working day later" is the end of the next
working day):

- First answer (an owned idea with its clock running and no answer after `answer_due`):
  level 1 the handler at the deadline (with no handler, level 2 at once instead); level 2 the lead
  department's dialogue consultants one working day later; level 3 the coordinators two working
  days later.
- Acknowledgement (an idea still "received" after `acknowledge_due`): the coordinators at once,
  since triage is theirs.
- Handover (pending after its `due_at`): level 2 the receiving department's consultants at once,
  level 3 the coordinators one working day later.
- An idea waiting for the citizen is never escalated: its clock stands still, and the answer
  deadline moves on when it starts again (a moved deadline is a new deadline with its own steps).

A step whose people are missing (no consultants registered for the department) goes to the
idea's coordinator instead, so no step is ever silent.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone

from sammen.accounts.models import User
from sammen.core.workdays import add_working_days
from sammen.ideas import notifications, selectors
from sammen.ideas.models import Escalation, Handover, Idea
from sammen.ideas.notifications import CLOCK_RUNNING_STATES
from sammen.ideas.states import State

Level = Escalation.Level
Deadline = Escalation.Deadline

# Working days after the deadline at which each level is due.
ANSWER_STEPS = {Level.HANDLER: 0, Level.CONSULTANTS: 1, Level.COORDINATORS: 2}
ACKNOWLEDGE_STEPS = {Level.COORDINATORS: 0}
HANDOVER_STEPS = {Level.CONSULTANTS: 0, Level.COORDINATORS: 1}
STEPS = {
    Deadline.ANSWER: ANSWER_STEPS,
    Deadline.ACKNOWLEDGE: ACKNOWLEDGE_STEPS,
    Deadline.HANDOVER: HANDOVER_STEPS,
}


def step_at(due_at: datetime, working_days: int) -> datetime:
    """When a step is due: the deadline itself, or the end of the n-th working day after it."""
    return due_at if working_days == 0 else add_working_days(due_at, working_days)


def next_step_at(escalation: Escalation) -> tuple[int, datetime] | None:
    """The level after this escalation and when it is due, or None after the last step."""
    steps = STEPS[Deadline(escalation.deadline)]
    later = sorted(level for level in steps if level > escalation.level)
    if not later:
        return None
    return later[0], step_at(escalation.due_at, steps[later[0]])


def _active(users: list[User | None]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        if user is not None and user.is_active and user.email:
            seen.setdefault(user.pk, user)
    return list(seen.values())


def _or_coordinator(users: list[User], idea: Idea) -> list[User]:
    """Nobody to tell at this step: the idea's own coordinator hears of it instead."""
    return users or _active([idea.coordinator])


def _take_step(
    idea: Idea,
    *,
    deadline: str,
    due_at: datetime,
    level: int,
    department_id: int | None,
    recipients: list[User],
    now: datetime,
) -> bool:
    """Record one step and queue its mails together; False when the step was taken before."""
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                idea=idea,
                deadline=deadline,
                due_at=due_at,
                level=level,
                department_id=department_id,
                at=now,
            )
            notifications.queue_staff_mails(
                key=f"idea:{idea.pk}:escalation:{escalation.pk}",
                template=notifications.ESCALATION,
                users=recipients,
                context={"escalation": escalation.pk},
            )
    except IntegrityError:
        return False
    return True


def _taken(ideas: list[Idea]) -> set[tuple[int, str, datetime, int]]:
    """The steps already taken for these ideas (one query, to skip them without a failed insert)."""
    return set(
        Escalation.objects.filter(idea__in=ideas).values_list(
            "idea_id", "deadline", "due_at", "level"
        )
    )


def _answer_steps(idea: Idea, now: datetime, taken: set) -> int:
    due_at = idea.answer_due
    steps = 0
    for level, days in ANSWER_STEPS.items():
        at = step_at(due_at, days)
        if level == Level.CONSULTANTS and idea.handler_id is None:
            at = due_at  # nobody to tell at level 1: the consultants hear of it at once
        if now <= at or (idea.pk, Deadline.ANSWER, due_at, level) in taken:
            continue
        if level == Level.HANDLER:
            # Skipped for good when the consultants were told instead (no handler at the time).
            if (
                idea.handler_id is None
                or (idea.pk, Deadline.ANSWER, due_at, Level.CONSULTANTS) in taken
            ):
                continue
            recipients = _active([idea.handler])
        elif level == Level.CONSULTANTS:
            recipients = notifications.department_consultants(idea.lead_department_id)
        else:
            recipients = notifications.coordinators(idea)
        steps += _take_step(
            idea,
            deadline=Deadline.ANSWER,
            due_at=due_at,
            level=level,
            department_id=idea.lead_department_id,
            recipients=_or_coordinator(recipients, idea),
            now=now,
        )
    return steps


def _acknowledge_steps(idea: Idea, now: datetime, taken: set) -> int:
    if (idea.pk, Deadline.ACKNOWLEDGE, idea.acknowledge_due, Level.COORDINATORS) in taken:
        return 0
    return int(
        _take_step(
            idea,
            deadline=Deadline.ACKNOWLEDGE,
            due_at=idea.acknowledge_due,
            level=Level.COORDINATORS,
            department_id=None,
            recipients=notifications.coordinators(idea),
            now=now,
        )
    )


def _handover_steps(handover: Handover, now: datetime, taken: set) -> int:
    idea = handover.idea
    steps = 0
    for level, days in HANDOVER_STEPS.items():
        if now <= step_at(handover.due_at, days):
            continue
        if (idea.pk, Deadline.HANDOVER, handover.due_at, level) in taken:
            continue
        if level == Level.CONSULTANTS:
            recipients = notifications.department_consultants(handover.to_department_id)
        else:
            recipients = notifications.coordinators(idea)
        steps += _take_step(
            idea,
            deadline=Deadline.HANDOVER,
            due_at=handover.due_at,
            level=level,
            department_id=handover.to_department_id,
            recipients=_or_coordinator(recipients, idea),
            now=now,
        )
    return steps


def escalate_overdue(now: datetime | None = None) -> int:
    """Take every escalation step that is due and not yet taken; returns how many were taken.

    Safe to run any number of times and by several workers at once (see the module docstring).
    """
    now = now or timezone.now()
    answer = list(
        selectors.ideas_overdue_answer(now).select_related("handler", "coordinator").order_by("pk")
    )
    acknowledge = list(
        selectors.ideas_overdue_acknowledgement(now).select_related("coordinator").order_by("pk")
    )
    handovers = list(
        selectors.handovers_overdue(now).select_related("idea__coordinator").order_by("pk")
    )
    taken = _taken(answer + acknowledge + [h.idea for h in handovers])
    steps = 0
    for idea in answer:
        steps += _answer_steps(idea, now, taken)
    for idea in acknowledge:
        steps += _acknowledge_steps(idea, now, taken)
    for handover in handovers:
        steps += _handover_steps(handover, now, taken)
    return steps


# --- Reads for the dashboards ----------------------------------------------------------------


def current_escalations() -> QuerySet[Escalation]:
    """Escalations of deadlines that are still missed: an answer deadline that still holds and is
    unanswered, an idea still untriaged, a handover still pending. Steps of a deadline that was
    met, or moved on after a wait for the citizen, are history and do not count."""
    return Escalation.objects.filter(
        Q(
            deadline=Deadline.ANSWER,
            due_at=F("idea__answer_due"),
            idea__first_answered_at__isnull=True,
            idea__state__in=sorted(CLOCK_RUNNING_STATES),
        )
        | Q(deadline=Deadline.ACKNOWLEDGE, idea__state=State.RECEIVED)
        | Q(
            deadline=Deadline.HANDOVER,
            idea__handovers__status=Handover.Status.PENDING,
            idea__handovers__due_at=F("due_at"),
        )
    )


def latest_escalation_levels(idea_ids: list[int]) -> dict[int, int]:
    """{idea id: the highest escalation level reached} for those of `idea_ids` escalated now
    (1 handler, 2 consultants, 3 coordinators); one query whatever the number of ideas."""
    if not idea_ids:
        return {}
    rows = (
        current_escalations()
        .filter(idea_id__in=idea_ids)
        .values("idea_id")
        .annotate(level=Max("level"))
        .order_by()
    )
    return {row["idea_id"]: row["level"] for row in rows}


def escalated_ideas() -> QuerySet[Idea]:
    """Ideas with a missed deadline that has been escalated, for the dashboards' lists."""
    return Idea.objects.filter(pk__in=current_escalations().values("idea_id"))
