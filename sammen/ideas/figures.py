"""The figures about ideas that the yearly report needs, for any period (issue §6).

`idea_figures(start, end)` counts the ideas CONFIRMED from `start` to `end` (both included,
Copenhagen dates): confirmation is when an idea enters the queue and its deadlines start, so an
idea belongs to the period in which the municipality received it. Everything else about those
ideas (their state, answer, outcome, handovers, survey) is taken as it stands at `now`, so the
figures for last year still improve as last year's ideas are answered. A report that must not
change is frozen by storing `IdeaFigures.as_dict()`.

Definitions (each a plain reading of the model's fields, so they can be checked by hand):
- received: ideas confirmed in the period (spam and duplicates included; `by_outcome` says how
  many they were).
- by department: the current lead department (after any accepted handover); ideas no department
  leads (not triaged yet, or referred, closed as spam or as a duplicate at triage) are counted
  under `without_lead_department`. "Answered" means a first answer was given; "closed" that the
  idea is closed.
- acknowledged within the deadline: of the ideas that were acknowledged or whose acknowledgement
  deadline has passed, those acknowledged (moved on from "received") by the deadline.
- answered within the deadline: of the ideas that were answered or whose answer deadline has
  passed, those whose first answer (answered or closed) came by the deadline. An idea waiting
  for the citizen without an answer is left out: its clock is stopped. The deadline is the one
  stored on the idea, moved on by the working days spent waiting for the citizen. Spam is left
  out of every answer figure: a spammer is not answered.
- median working days to the first answer: Danish working days from confirmation to the first
  answer (`working_days_between`), time spent waiting for the citizen included, as the citizen
  lives it. Spam left out.
- handovers: requested, accepted, returned and still pending, for the ideas of the period.
- dead ends (the issue's "ideas that ended with no outcome", which must be zero), two counts:
  `closed_without_outcome`: closed ideas with no outcome (the database refuses them, so this is
  a check that nothing got round it), and `stalled`: ideas not closed, not waiting for the
  citizen and never answered, whose answer deadline passed more than one whole answer period
  (IDEAS_ANSWER_WORKING_DAYS) ago, i.e. more than twice the answer period after confirmation.
  Those have in practice ended without an answer, whatever their state says.
- satisfaction: the survey four weeks after closing: how many were asked, how many answered,
  and the yes/no counts of "did you get a clear answer?" and "did you feel heard?".
- has_data: whether any idea was confirmed in the period, so a report can say "no data" rather
  than show zeros and empty shares.

Three queries whatever the number of ideas: the ideas' dates and states, the handovers counted
by status, and the departments.
"""

import statistics
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone

from sammen.core.models import Department
from sammen.core.workdays import COPENHAGEN, add_working_days, working_days_between
from sammen.ideas.models import Handover, Idea
from sammen.ideas.services import answer_working_days
from sammen.ideas.states import Outcome, State


@dataclass(frozen=True)
class Share:
    """`count` of `of` ideas met a deadline; `value` is None when no idea could be judged."""

    count: int
    of: int

    @property
    def value(self) -> float | None:
        return self.count / self.of if self.of else None

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "of": self.of, "share": self.value}


@dataclass(frozen=True)
class DepartmentFigures:
    """Ideas a department leads now. `abbreviation` is empty for the ideas no department leads."""

    abbreviation: str
    name: str
    received: int
    answered: int
    closed: int


@dataclass(frozen=True)
class HandoverFigures:
    requested: int
    accepted: int
    returned: int
    pending: int


@dataclass(frozen=True)
class DeadEnds:
    closed_without_outcome: int
    stalled: int

    @property
    def total(self) -> int:
        return self.closed_without_outcome + self.stalled


@dataclass(frozen=True)
class SatisfactionFigures:
    asked: int
    answered: int
    clear_answer_yes: int
    clear_answer_no: int
    felt_heard_yes: int
    felt_heard_no: int


@dataclass(frozen=True)
class IdeaFigures:
    """The figures of one period; see the module's docstring for what each one means."""

    start: date
    end: date
    computed_at: datetime
    received: int
    still_open: int
    by_department: tuple[DepartmentFigures, ...]
    without_lead_department: DepartmentFigures
    by_outcome: dict[str, int]
    acknowledged_within_deadline: Share
    answered_within_deadline: Share
    median_working_days_to_first_answer: float | None
    handovers: HandoverFigures
    dead_ends: DeadEnds
    satisfaction: SatisfactionFigures

    @property
    def has_data(self) -> bool:
        return self.received > 0

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types only (dates and times as ISO 8601), for a frozen yearly report."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "computed_at": self.computed_at.isoformat(),
            "has_data": self.has_data,
            "received": self.received,
            "still_open": self.still_open,
            "by_department": [asdict(row) for row in self.by_department],
            "without_lead_department": asdict(self.without_lead_department),
            "by_outcome": dict(self.by_outcome),
            "acknowledged_within_deadline": self.acknowledged_within_deadline.as_dict(),
            "answered_within_deadline": self.answered_within_deadline.as_dict(),
            "median_working_days_to_first_answer": self.median_working_days_to_first_answer,
            "handovers": asdict(self.handovers),
            "dead_ends": {**asdict(self.dead_ends), "total": self.dead_ends.total},
            "satisfaction": asdict(self.satisfaction),
        }


_FIELDS = (
    "state",
    "outcome",
    "lead_department_id",
    "confirmed_at",
    "acknowledge_due",
    "acknowledged_at",
    "answer_due",
    "first_answered_at",
    "survey_sent_at",
    "survey_answered_at",
    "survey_clear_answer",
    "survey_felt_heard",
)


def _period(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in Copenhagen, as aware datetimes."""
    if end < start:
        raise ValueError("the period ends before it starts")
    return (
        datetime.combine(start, time.min, tzinfo=COPENHAGEN),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=COPENHAGEN),
    )


def _department_row(abbreviation: str, name: str, rows: list[dict[str, Any]]) -> DepartmentFigures:
    return DepartmentFigures(
        abbreviation=abbreviation,
        name=name,
        received=len(rows),
        answered=sum(1 for r in rows if _answered(r)),
        closed=sum(1 for r in rows if r["state"] == State.CLOSED),
    )


def _answered(row: dict[str, Any]) -> bool:
    return row["first_answered_at"] is not None and row["outcome"] != Outcome.SPAM


def idea_figures(start: date, end: date, *, now: datetime | None = None) -> IdeaFigures:
    """The figures for the ideas confirmed from `start` to `end` (Copenhagen dates, inclusive)."""
    now = now or timezone.now()
    since, until = _period(start, end)
    ideas = Idea.objects.filter(confirmed_at__gte=since, confirmed_at__lt=until)
    rows = list(ideas.order_by().values(*_FIELDS))
    handovers = dict(
        Handover.objects.filter(idea__in=ideas)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    departments = list(Department.objects.only("abbreviation", "name_da"))

    by_lead: dict[int | None, list[dict[str, Any]]] = {}
    for row in rows:
        by_lead.setdefault(row["lead_department_id"], []).append(row)

    acknowledged = [
        r for r in rows if r["acknowledged_at"] is not None or r["acknowledge_due"] < now
    ]
    not_spam = [r for r in rows if r["outcome"] != Outcome.SPAM]
    answer_judged = [
        r
        for r in not_spam
        if r["first_answered_at"] is not None
        or (r["answer_due"] < now and r["state"] != State.WAITING_FOR_CITIZEN)
    ]
    answered = [r for r in not_spam if r["first_answered_at"] is not None]
    period = answer_working_days()
    stalled = [
        r
        for r in rows
        if r["state"] not in (State.CLOSED, State.WAITING_FOR_CITIZEN)
        and r["first_answered_at"] is None
        and add_working_days(r["answer_due"], period) < now
    ]
    asked = [r for r in rows if r["survey_sent_at"] is not None]
    return IdeaFigures(
        start=start,
        end=end,
        computed_at=now,
        received=len(rows),
        still_open=sum(1 for r in rows if r["state"] != State.CLOSED),
        by_department=tuple(
            _department_row(d.abbreviation, d.name_da, by_lead.get(d.pk, [])) for d in departments
        ),
        without_lead_department=_department_row("", "", by_lead.get(None, [])),
        by_outcome={o.value: sum(1 for r in rows if r["outcome"] == o) for o in Outcome},
        acknowledged_within_deadline=Share(
            count=sum(
                1
                for r in acknowledged
                if r["acknowledged_at"] is not None and r["acknowledged_at"] <= r["acknowledge_due"]
            ),
            of=len(acknowledged),
        ),
        answered_within_deadline=Share(
            count=sum(1 for r in answered if r["first_answered_at"] <= r["answer_due"]),
            of=len(answer_judged),
        ),
        median_working_days_to_first_answer=(
            float(
                statistics.median(
                    working_days_between(r["confirmed_at"], r["first_answered_at"])
                    for r in answered
                )
            )
            if answered
            else None
        ),
        handovers=HandoverFigures(
            requested=sum(handovers.values()),
            accepted=handovers.get(Handover.Status.ACCEPTED, 0),
            returned=handovers.get(Handover.Status.RETURNED, 0),
            pending=handovers.get(Handover.Status.PENDING, 0),
        ),
        dead_ends=DeadEnds(
            closed_without_outcome=sum(
                1 for r in rows if r["state"] == State.CLOSED and not r["outcome"]
            ),
            stalled=len(stalled),
        ),
        satisfaction=SatisfactionFigures(
            asked=len(asked),
            answered=sum(1 for r in rows if r["survey_answered_at"] is not None),
            clear_answer_yes=sum(1 for r in rows if r["survey_clear_answer"] is True),
            clear_answer_no=sum(1 for r in rows if r["survey_clear_answer"] is False),
            felt_heard_yes=sum(1 for r in rows if r["survey_felt_heard"] is True),
            felt_heard_no=sum(1 for r in rows if r["survey_felt_heard"] is False),
        ),
    )
