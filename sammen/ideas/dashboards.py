"""The figures and lists of the staff dashboards of ideas, as plain functions (issue §2).

The definitions the dashboards count with, in one place:
- open: received, triaged, in progress, waiting for the citizen or answered (`selectors.ideas_open`);
- a department's ideas: those it leads or is involved in;
- overdue: the acknowledgement or the first answer is late, exactly as
  `selectors.ideas_overdue_acknowledgement` and `selectors.ideas_overdue_answer` say (the
  querysets are used as subqueries, so there is one definition); a handover is late as
  `selectors.handovers_overdue` says, and counts against the department that must accept or
  return it. An idea waiting for the citizen is never overdue: its clock stands still ("paused");
- due this week: the first answer is not late yet, its clock runs, and it is due before the end
  of the current week in Copenhagen (Sunday at midnight);
- average working days to the first answer: from confirmation to the first answer (as the citizen
  waited, pauses included), counted in Danish working days with `core.workdays`, over ideas first
  answered in the last 12 months and credited to their lead department. Spam is no answer and is
  left out.

Every figure is computed in SQL with a fixed number of queries, whatever the number of ideas and
departments: correlated subqueries per department in one query, and one more query for the
working-day averages (the holiday calendar lives in Python, not in the database).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from math import ceil
from statistics import mean
from typing import TYPE_CHECKING

from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from sammen.core.models import Department
from sammen.core.workdays import COPENHAGEN, local_date, working_days_between
from sammen.ideas import selectors
from sammen.ideas.models import Handover, Idea
from sammen.ideas.states import OWNED_STATES, Outcome, State

if TYPE_CHECKING:
    from sammen.accounts.models import User

# States in which the answer clock runs: owned, but not waiting for the citizen.
CLOCK_RUNNING_STATES = sorted(s.value for s in OWNED_STATES if s != State.WAITING_FOR_CITIZEN)

_Involvement = Idea.involved_departments.through


# --- time ------------------------------------------------------------------------------------


def end_of_week(now: datetime) -> datetime:
    """Midnight between this Sunday and next Monday in Copenhagen: "due this week" is before it."""
    today = local_date(now)
    next_monday = today + timedelta(days=7 - today.weekday())
    return datetime.combine(next_monday, time.min, tzinfo=COPENHAGEN)


def year_before(now: datetime) -> datetime:
    """The same moment one calendar year earlier in Copenhagen (29 February becomes the 28th)."""
    local = now.astimezone(COPENHAGEN)
    try:
        return local.replace(year=local.year - 1)
    except ValueError:
        return local.replace(year=local.year - 1, day=28)


@dataclass(frozen=True)
class Deadline:
    """How a deadline stands at a moment, for showing it: due when, late or not, how much time is
    left (or gone) in working days, and the hours left when it falls later the same day.

    `paused` means the clock stands still while the idea waits for the citizen: never overdue.
    `due` is None when nothing is due (the first answer has been given).
    """

    due: datetime | None
    overdue: bool = False
    paused: bool = False
    working_days: int = 0
    hours_left: int | None = None

    @property
    def due_today(self) -> bool:
        return self.hours_left is not None


def deadline_status(due: datetime | None, now: datetime, *, paused: bool = False) -> Deadline:
    """Where `due` stands at `now`. Late means `due < now`, as in the overdue selectors."""
    if paused:
        return Deadline(due=None, paused=True)
    if due is None:
        return Deadline(due=None)
    if due < now:
        return Deadline(due=due, overdue=True, working_days=working_days_between(due, now))
    hours_left = None
    if local_date(due) == local_date(now):
        hours_left = max(1, ceil((due - now).total_seconds() / 3600))
    return Deadline(due=due, working_days=working_days_between(now, due), hours_left=hours_left)


# --- conditions --------------------------------------------------------------------------------


def overdue_q(now: datetime) -> Q:
    """The acknowledgement or the first answer is late (the selectors' definitions)."""
    return Q(pk__in=selectors.ideas_overdue_acknowledgement(now).values("pk")) | Q(
        pk__in=selectors.ideas_overdue_answer(now).values("pk")
    )


def handover_overdue_q(now: datetime) -> Q:
    """A handover of the idea is pending past its deadline (the selector's definition)."""
    return Q(pk__in=selectors.handovers_overdue(now).values("idea_id"))


def due_this_week_q(now: datetime) -> Q:
    """The first answer is due before the end of this Copenhagen week and is not late yet."""
    return Q(
        state__in=CLOCK_RUNNING_STATES,
        first_answered_at__isnull=True,
        answer_due__gte=now,
        answer_due__lt=end_of_week(now),
    )


def in_department_q(department_id: int) -> Q:
    """Led by the department or involving it (a join-free filter, so no DISTINCT is needed)."""
    involved = _Involvement.objects.filter(department_id=department_id).values("idea_id")
    return Q(lead_department_id=department_id) | Q(pk__in=involved)


def _in_outer_department_q() -> Q:
    """`in_department_q` for the department of an outer query on Department."""
    involved = _Involvement.objects.filter(department_id=OuterRef(OuterRef("pk"))).values("idea_id")
    return Q(lead_department_id=OuterRef("pk")) | Q(pk__in=involved)


class _Count(Func):
    """COUNT(pk) as a plain expression, so a correlated subquery returns one number per outer row
    (Django's Count aggregate would add a GROUP BY that breaks the correlation)."""

    function = "COUNT"
    output_field = IntegerField()


def _count(queryset: QuerySet) -> Coalesce:
    rows = queryset.order_by().annotate(n=_Count(F("pk"))).values("n")
    return Coalesce(Subquery(rows), Value(0))


# --- figures per department ----------------------------------------------------------------------


@dataclass(frozen=True)
class Average:
    """Mean working days to the first answer, and over how many ideas."""

    working_days: float
    ideas: int


@dataclass(frozen=True)
class DepartmentFigures:
    department: Department
    open: int
    overdue: int
    due_this_week: int
    handovers_pending: int
    handovers_overdue: int
    average: Average | None


def average_working_days_to_answer(*, now: datetime | None = None) -> dict[int, Average]:
    """Per lead department id: the mean working days from confirmation to the first answer of the
    ideas first answered in the 12 months before `now` (one query; counted in Python)."""
    now = now or timezone.now()
    rows = (
        Idea.objects.filter(
            lead_department__isnull=False,
            confirmed_at__isnull=False,
            first_answered_at__gte=year_before(now),
            first_answered_at__lte=now,
        )
        .exclude(outcome=Outcome.SPAM)
        .values_list("lead_department_id", "confirmed_at", "first_answered_at")
    )
    days: dict[int, list[int]] = defaultdict(list)
    for department_id, confirmed_at, first_answered_at in rows.iterator():
        days[department_id].append(working_days_between(confirmed_at, first_answered_at))
    return {
        department_id: Average(working_days=round(mean(values), 1), ideas=len(values))
        for department_id, values in days.items()
    }


def department_figures(
    department_ids: Iterable[int] | None = None, *, now: datetime | None = None
) -> list[DepartmentFigures]:
    """The figures of the given departments (all when None), in the departments' order.

    Two queries whatever the number of departments and ideas: one with a correlated subquery per
    figure, one for the averages.
    """
    now = now or timezone.now()
    ideas = selectors.ideas_open().filter(_in_outer_department_q())
    to_department = Q(to_department_id=OuterRef("pk"))
    departments = Department.objects.annotate(
        open_count=_count(ideas),
        overdue_count=_count(ideas.filter(overdue_q(now))),
        due_this_week_count=_count(ideas.filter(due_this_week_q(now))),
        handovers_pending_count=_count(selectors.handovers_pending().filter(to_department)),
        handovers_overdue_count=_count(selectors.handovers_overdue(now).filter(to_department)),
    )
    if department_ids is not None:
        departments = departments.filter(pk__in=list(department_ids))
    averages = average_working_days_to_answer(now=now)
    return [
        DepartmentFigures(
            department=d,
            open=d.open_count,
            overdue=d.overdue_count,
            due_this_week=d.due_this_week_count,
            handovers_pending=d.handovers_pending_count,
            handovers_overdue=d.handovers_overdue_count,
            average=averages.get(d.pk),
        )
        for d in departments
    ]


# --- lists -------------------------------------------------------------------------------------


def with_deadlines(queryset: QuerySet[Idea], now: datetime) -> QuerySet[Idea]:
    """Annotate what the lists show and sort by: the next deadline of the idea itself
    (`next_due`: the acknowledgement while received, the first answer while its clock runs),
    whether anything about it is late (`is_overdue`, the selectors' definitions, handovers
    included), and its pending handover's deadline and receiving department, if any."""
    pending = Handover.objects.filter(idea=OuterRef("pk"), status=Handover.Status.PENDING)
    return queryset.annotate(
        next_due=Case(
            When(state=State.RECEIVED, then=F("acknowledge_due")),
            When(
                state__in=CLOCK_RUNNING_STATES,
                first_answered_at__isnull=True,
                then=F("answer_due"),
            ),
            default=None,
            output_field=DateTimeField(),
        ),
        is_overdue=Case(
            When(overdue_q(now) | handover_overdue_q(now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        handover_due=Subquery(pending.values("due_at")[:1]),
        handover_to=Subquery(pending.values("to_department__abbreviation")[:1]),
    )


def department_ideas(
    department_id: int, *, now: datetime | None = None, handler: "User | None" = None
) -> QuerySet[Idea]:
    """A department's open ideas (led or involved), late ones first, then by the next deadline
    (ideas with nothing due last). With `handler`, only the ideas that user handles."""
    now = now or timezone.now()
    qs = selectors.ideas_open().filter(in_department_q(department_id))
    if handler is not None:
        qs = qs.filter(handler=handler)
    return (
        with_deadlines(qs, now)
        .select_related("lead_department", "handler")
        .order_by("-is_overdue", F("next_due").asc(nulls_last=True), "pk")
    )


def department_handovers(department_id: int) -> QuerySet[Handover]:
    """Handovers waiting for the department to accept or return them, the earliest due first."""
    return selectors.handovers_pending(department_id).order_by("due_at", "pk")


@dataclass(frozen=True)
class IdeaRow:
    """One idea in a department's list, with what the row says about its deadlines."""

    idea: Idea
    leads: bool
    overdue: bool
    deadline: Deadline
    handover: Deadline | None


def idea_rows(ideas: Iterable[Idea], department_id: int, now: datetime) -> list[IdeaRow]:
    """Rows for ideas annotated by `with_deadlines` (no queries)."""
    return [
        IdeaRow(
            idea=idea,
            leads=idea.lead_department_id == department_id,
            overdue=idea.is_overdue,
            deadline=deadline_status(
                idea.next_due, now, paused=idea.state == State.WAITING_FOR_CITIZEN
            ),
            handover=deadline_status(idea.handover_due, now) if idea.handover_due else None,
        )
        for idea in ideas
    ]


@dataclass(frozen=True)
class OverdueItem:
    """A missed deadline: which idea, which deadline, who must act (None: the coordinators, for
    ideas not yet triaged), and how late it is. `handover` is set for a handover deadline."""

    kind: str
    idea: Idea
    department: Department | None
    deadline: Deadline
    handover: Handover | None = None


OVERDUE_ACKNOWLEDGE = "acknowledge"
OVERDUE_ANSWER = "answer"
OVERDUE_HANDOVER = "handover"


@dataclass(frozen=True)
class OverdueOverview:
    """Every missed deadline, for the coordinators.

    `groups`: (department, items) by who must act: the coordinators first (department None: the
    acknowledgement of untriaged ideas), then each department by name (late first answers of the
    ideas it leads, and handovers it has not accepted or returned), the longest overdue first.
    `handovers`: the late handovers alone, longest overdue first. `truncated`: more than the limit
    of one kind were late and only the longest overdue are shown.
    """

    groups: list[tuple[Department | None, list[OverdueItem]]]
    handovers: list[OverdueItem]
    truncated: bool

    @property
    def count(self) -> int:
        return sum(len(items) for _department, items in self.groups)


def overdue_overview(*, now: datetime | None = None, limit: int = 200) -> OverdueOverview:
    """The missed deadlines of every kind (three queries; at most `limit` of each kind)."""
    now = now or timezone.now()
    acknowledge = list(
        selectors.ideas_overdue_acknowledgement(now).order_by("acknowledge_due", "pk")[: limit + 1]
    )
    answer = list(
        selectors.ideas_overdue_answer(now)
        .select_related("lead_department", "handler")
        .order_by("answer_due", "pk")[: limit + 1]
    )
    handovers = list(selectors.handovers_overdue(now).order_by("due_at", "pk")[: limit + 1])
    truncated = any(len(rows) > limit for rows in (acknowledge, answer, handovers))
    handover_items = [
        OverdueItem(OVERDUE_HANDOVER, h.idea, h.to_department, deadline_status(h.due_at, now), h)
        for h in handovers[:limit]
    ]
    items = [
        OverdueItem(OVERDUE_ACKNOWLEDGE, idea, None, deadline_status(idea.acknowledge_due, now))
        for idea in acknowledge[:limit]
    ]
    items += [
        OverdueItem(
            OVERDUE_ANSWER, idea, idea.lead_department, deadline_status(idea.answer_due, now)
        )
        for idea in answer[:limit]
    ]
    items += handover_items
    groups: dict[int | None, list[OverdueItem]] = defaultdict(list)
    departments: dict[int | None, Department | None] = {}
    for item in items:
        key = item.department.pk if item.department else None
        departments[key] = item.department
        groups[key].append(item)

    def group_order(key: int | None) -> tuple[bool, str]:
        department = departments[key]
        return (department is not None, department.name if department else "")

    return OverdueOverview(
        groups=[
            (departments[key], sorted(groups[key], key=lambda item: item.deadline.due))
            for key in sorted(groups, key=group_order)
        ],
        handovers=handover_items,
        truncated=truncated,
    )
