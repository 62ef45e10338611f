"""The yearly report's indicators about events: conferences, morning meetings and solution labs.

Most come from `event_figures`. Attendance by department is needed per kind of event (the
conference's and the morning meetings' audiences are reported under different tasks), which
`event_figures` sums over all kinds, so `kind_attendance` below counts it per kind, with the same
definitions and the same events held.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sammen.core.models import Department
from sammen.events.figures import DepartmentAttendance, EventFigures, event_figures, held_events
from sammen.events.models import Kind, Registration
from sammen.reporting.indicators import (
    TASK_COMPETENCE,
    TASK_CONFERENCE,
    TASK_IDEAS,
    Measurement,
    Period,
    Unit,
    indicator,
)


@dataclass(frozen=True)
class KindAttendance:
    """Attendance at the events of one kind held in the period.

    `with_check_in` counts the events where at least one person was checked in: only those
    recorded attendance (see `event_figures`). `registered` and `attended` are the confirmed
    registrations and those checked in, by the registration's department as in `event_figures`.
    """

    kind: str
    held: int
    with_check_in: int
    registered: int
    attended: int
    by_department: tuple[DepartmentAttendance, ...]
    without_department: DepartmentAttendance

    def as_dict(self) -> dict[str, Any]:
        return {
            **{k: v for k, v in asdict(self).items() if k != "by_department"},
            "by_department": [asdict(row) for row in self.by_department],
        }


@dataclass(frozen=True)
class AttendanceFigures:
    """Attendance per kind of event (every kind listed) for the events held in a period."""

    start: date
    end: date
    computed_at: datetime
    by_kind: dict[str, KindAttendance]

    @property
    def has_data(self) -> bool:
        return any(row.held for row in self.by_kind.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "computed_at": self.computed_at.isoformat(),
            "has_data": self.has_data,
            "by_kind": {kind: row.as_dict() for kind, row in self.by_kind.items()},
        }


def kind_attendance(start: date, end: date, *, now: datetime | None = None) -> AttendanceFigures:
    """Registrations and attendance per kind and department for the events held in the period.

    Three queries whatever the number of events: the events held by kind, the registrations
    counted per event and department, and the departments.
    """
    now = now or timezone.now()
    events = held_events(start, end, now)
    held = dict(events.order_by().values_list("kind").annotate(n=Count("pk")))
    seats = list(
        Registration.objects.filter(event__in=events, status=Registration.Status.CONFIRMED)
        .order_by()
        .values("event__kind", "event_id", "department_id")
        .annotate(
            registered=Count("pk"), attended=Count("pk", filter=Q(checked_in_at__isnull=False))
        )
    )
    departments = list(Department.objects.only("abbreviation", "name_da", "name_en"))

    # kind → department → [registered, attended]; kind → events with someone checked in.
    totals: dict[str, dict[int | None, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0])
    )
    checked: dict[str, set[int]] = defaultdict(set)
    for row in seats:
        cell = totals[row["event__kind"]][row["department_id"]]
        cell[0] += row["registered"]
        cell[1] += row["attended"]
        if row["attended"]:
            checked[row["event__kind"]].add(row["event_id"])

    def attendance(
        kind: str, key: int | None, abbreviation: str, name: str
    ) -> DepartmentAttendance:
        registered, attended = totals[kind].get(key, [0, 0])
        return DepartmentAttendance(
            abbreviation=abbreviation, name=name, registered=registered, attended=attended
        )

    return AttendanceFigures(
        start=start,
        end=end,
        computed_at=now,
        by_kind={
            kind.value: KindAttendance(
                kind=kind.value,
                held=held.get(kind.value, 0),
                with_check_in=len(checked[kind.value]),
                registered=sum(cell[0] for cell in totals[kind.value].values()),
                attended=sum(cell[1] for cell in totals[kind.value].values()),
                by_department=tuple(
                    attendance(kind.value, d.pk, d.abbreviation, d.name) for d in departments
                ),
                without_department=attendance(kind.value, None, "", ""),
            )
            for kind in Kind
        },
    )


def _attendance(period: Period, kind: str) -> Measurement:
    """Those checked in at the events of `kind`, by department; no data when no event of the kind
    was held or none of them recorded attendance."""
    row = period.figures(kind_attendance).by_kind[kind]
    if not row.held:
        return Measurement.no_data()
    if not row.with_check_in:
        return Measurement(value=None, note=str(_("Attendance was not recorded.")))
    breakdown = [(d.name, d.attended) for d in row.by_department]
    if row.without_department.attended:
        breakdown.append((str(_("Without a department")), row.without_department.attended))
    return Measurement(
        value=row.attended,
        breakdown=tuple(breakdown),
        note=ngettext("of %(count)s registered", "of %(count)s registered", row.registered)
        % {"count": row.registered},
    )


def _feedback(period: Period, kind: str) -> Measurement:
    """The average feedback score of the events of `kind`; no data when nobody answered."""
    figures: EventFigures = period.figures(event_figures)
    row = next((r for r in figures.feedback_by_kind if r.key == kind), None)
    if row is None or row.average is None:
        return Measurement.no_data()
    return Measurement(
        value=row.average,
        note=ngettext("of %(count)s answer", "of %(count)s answers", row.answers)
        % {"count": row.answers},
    )


def _held(period: Period, kind: str) -> Measurement:
    figures: EventFigures = period.figures(event_figures)
    if not figures.has_data:
        return Measurement.no_data()
    return Measurement(value=figures.held_by_kind[kind])


@indicator(
    "events.conference_attendance",
    task=TASK_CONFERENCE,
    label=_("Conference attendance"),
    description=_(
        "People checked in at the conferences held in the period, by the department they "
        "registered from. The public and staff without a department are counted apart."
    ),
    higher_is_better=True,
    order=10,
)
def conference_attendance(period: Period) -> Measurement:
    return _attendance(period, Kind.CONFERENCE)


@indicator(
    "events.conference_feedback",
    task=TASK_CONFERENCE,
    label=_("Conference feedback score"),
    unit=Unit.SCORE,
    description=_("The average score (1 to 5) the participants gave the conferences held."),
    higher_is_better=True,
    order=20,
)
def conference_feedback(period: Period) -> Measurement:
    return _feedback(period, Kind.CONFERENCE)


@indicator(
    "events.morning_meetings_held",
    task=TASK_COMPETENCE,
    label=_("Morning meetings held"),
    description=_("Morning meetings held in the period (published, not cancelled, over)."),
    higher_is_better=True,
    order=10,
)
def morning_meetings_held(period: Period) -> Measurement:
    return _held(period, Kind.MORNING_MEETING)


@indicator(
    "events.morning_meeting_attendance",
    task=TASK_COMPETENCE,
    label=_("Morning meeting attendance"),
    description=_(
        "People checked in at the morning meetings held in the period, by the department they "
        "registered from."
    ),
    higher_is_better=True,
    order=20,
)
def morning_meeting_attendance(period: Period) -> Measurement:
    return _attendance(period, Kind.MORNING_MEETING)


@indicator(
    "events.morning_meeting_feedback",
    task=TASK_COMPETENCE,
    label=_("Morning meeting feedback score"),
    unit=Unit.SCORE,
    description=_("The average score (1 to 5) the participants gave the morning meetings held."),
    higher_is_better=True,
    order=30,
)
def morning_meeting_feedback(period: Period) -> Measurement:
    return _feedback(period, Kind.MORNING_MEETING)


@indicator(
    "events.solution_labs_held",
    task=TASK_IDEAS,
    label=_("Solution labs held"),
    description=_(
        "Solution labs held in the period, where citizens' ideas are worked on with the "
        "departments."
    ),
    higher_is_better=True,
    order=60,
)
def solution_labs_held(period: Period) -> Measurement:
    return _held(period, Kind.SOLUTION_LAB)
