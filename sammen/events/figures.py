"""The figures about events that the yearly report needs, for any period.

`event_figures(start, end)` looks at the events HELD in the period: published, not cancelled,
starting from `start` to `end` (both included, Copenhagen dates) and ended by `now`. An event
still to come (or under way) is not counted yet, so the figures of a year in progress grow as its
events take place. A report that must not change is frozen by storing `EventFigures.as_dict()`.

Definitions (each a plain reading of the model's fields, so they can be checked by hand):
- held by kind: the number of events held, per kind (every kind listed, 0 included).
- registrations and attendance by department: the registrations holding a seat when the event
  took place (confirmed) and those of them checked in, by the department of the registration
  (a member of staff's first department when they registered). Registrations without a
  department (the public, or staff in none) are counted in `without_department`.
- no-show rate: of the confirmed registrations of the events where check-in was used (at least
  one person checked in), those not checked in. Events where nobody was checked in did not
  record attendance at all and are left out, counted in `events_without_check_in`, so a forgotten
  check-in does not read as a room of no-shows.
- feedback: answers counted and averaged by kind and by series (only kinds and series with
  events held; a series with no answers has average None).
- principles covered: for each of the five principles, the morning meetings held with it in
  focus (with their dates), all events held with it in focus, and how many feedback answers
  named it as the principle the event helped with.
- has_data: whether any event was held in the period, so a report can say "no data" rather than
  show zeros.

Six queries whatever the number of events and registrations: the events, the registrations
counted per event and department, the feedback counted per event, rating and principle, the
departments, the principles and the series.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from sammen.core.models import Department, Principle
from sammen.core.workdays import COPENHAGEN
from sammen.events.models import Event, Feedback, Kind, Registration, Series


@dataclass(frozen=True)
class Share:
    """`count` of `of`; `value` is None when there is nothing to divide by."""

    count: int
    of: int

    @property
    def value(self) -> float | None:
        return self.count / self.of if self.of else None

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "of": self.of, "share": self.value}


@dataclass(frozen=True)
class DepartmentAttendance:
    """`abbreviation` and `name` are empty for the registrations without a department."""

    abbreviation: str
    name: str
    registered: int
    attended: int


@dataclass(frozen=True)
class FeedbackAverage:
    """The answers about one kind or series; `key` is the kind's value or the series' slug."""

    key: str
    label: str
    answers: int
    average: float | None


@dataclass(frozen=True)
class PrincipleCoverage:
    number: int
    name: str
    morning_meetings: int
    morning_meeting_dates: tuple[date, ...]
    events: int
    named_in_feedback: int


@dataclass(frozen=True)
class EventFigures:
    """The figures of one period; see the module's docstring for what each one means."""

    start: date
    end: date
    computed_at: datetime
    held: int
    held_by_kind: dict[str, int]
    registered: int
    attended: int
    by_department: tuple[DepartmentAttendance, ...]
    without_department: DepartmentAttendance
    no_shows: Share
    events_without_check_in: int
    feedback_answers: int
    feedback_average: float | None
    feedback_by_kind: tuple[FeedbackAverage, ...]
    feedback_by_series: tuple[FeedbackAverage, ...]
    principles: tuple[PrincipleCoverage, ...]

    @property
    def has_data(self) -> bool:
        return self.held > 0

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types only (dates and times as ISO 8601), for a frozen yearly report."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "computed_at": self.computed_at.isoformat(),
            "has_data": self.has_data,
            "held": self.held,
            "held_by_kind": dict(self.held_by_kind),
            "registered": self.registered,
            "attended": self.attended,
            "by_department": [asdict(row) for row in self.by_department],
            "without_department": asdict(self.without_department),
            "no_shows": self.no_shows.as_dict(),
            "events_without_check_in": self.events_without_check_in,
            "feedback_answers": self.feedback_answers,
            "feedback_average": self.feedback_average,
            "feedback_by_kind": [asdict(row) for row in self.feedback_by_kind],
            "feedback_by_series": [asdict(row) for row in self.feedback_by_series],
            "principles": [
                {
                    **asdict(row),
                    "morning_meeting_dates": [d.isoformat() for d in row.morning_meeting_dates],
                }
                for row in self.principles
            ],
        }


def _period(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in Copenhagen, as aware datetimes."""
    if end < start:
        raise ValueError("the period ends before it starts")
    return (
        datetime.combine(start, time.min, tzinfo=COPENHAGEN),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=COPENHAGEN),
    )


def held_events(start: date, end: date, now: datetime):  # type: ignore[no-untyped-def]
    """The events held in the period (see the module's docstring)."""
    since, until = _period(start, end)
    return Event.objects.filter(
        is_published=True,
        cancelled_at__isnull=True,
        starts_at__gte=since,
        starts_at__lt=until,
        ends_at__lte=now,
    )


class _Ratings:
    """How many answers and the sum of their ratings, for an average."""

    def __init__(self) -> None:
        self.count = 0
        self.total = 0

    def add(self, rating: int, n: int) -> None:
        self.count += n
        self.total += rating * n

    @property
    def average(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None


def event_figures(start: date, end: date, *, now: datetime | None = None) -> EventFigures:
    """The figures for the events held from `start` to `end` (Copenhagen dates, inclusive)."""
    now = now or timezone.now()
    events_qs = held_events(start, end, now)
    events = list(
        events_qs.order_by("starts_at", "pk").values(
            "pk", "kind", "series_id", "principle_id", "starts_at"
        )
    )
    seats = list(
        Registration.objects.filter(event__in=events_qs, status=Registration.Status.CONFIRMED)
        .order_by()
        .values("event_id", "department_id")
        .annotate(
            registered=Count("pk"), attended=Count("pk", filter=Q(checked_in_at__isnull=False))
        )
    )
    answers = list(
        Feedback.objects.filter(event__in=events_qs)
        .order_by()
        .values("event_id", "rating", "principle_id")
        .annotate(n=Count("pk"))
    )
    departments = list(Department.objects.only("abbreviation", "name_da", "name_en"))
    principles = list(Principle.objects.all())
    series_ids = {e["series_id"] for e in events if e["series_id"]}
    series = list(Series.objects.filter(pk__in=series_ids).order_by("title"))

    # Registrations and attendance, by department and by event.
    by_department: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    by_event: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in seats:
        for totals, key in ((by_department, row["department_id"]), (by_event, row["event_id"])):
            totals[key][0] += row["registered"]
            totals[key][1] += row["attended"]
    checked = [totals for totals in by_event.values() if totals[1] > 0]
    kind_of = {e["pk"]: e["kind"] for e in events}
    series_of = {e["pk"]: e["series_id"] for e in events}

    # Feedback: answers and the sum of their ratings by kind, by series and overall.
    by_kind: dict[str, _Ratings] = defaultdict(_Ratings)
    by_series: dict[int | None, _Ratings] = defaultdict(_Ratings)
    overall = _Ratings()
    named: dict[int, int] = defaultdict(int)
    for row in answers:
        for ratings in (
            by_kind[kind_of[row["event_id"]]],
            by_series[series_of[row["event_id"]]],
            overall,
        ):
            ratings.add(row["rating"], row["n"])
        if row["principle_id"]:
            named[row["principle_id"]] += row["n"]
    kinds_held = {e["kind"] for e in events}

    return EventFigures(
        start=start,
        end=end,
        computed_at=now,
        held=len(events),
        held_by_kind={kind.value: sum(1 for e in events if e["kind"] == kind) for kind in Kind},
        registered=sum(t[0] for t in by_event.values()),
        attended=sum(t[1] for t in by_event.values()),
        by_department=tuple(
            DepartmentAttendance(
                abbreviation=d.abbreviation,
                name=d.name,
                registered=by_department[d.pk][0] if d.pk in by_department else 0,
                attended=by_department[d.pk][1] if d.pk in by_department else 0,
            )
            for d in departments
        ),
        without_department=DepartmentAttendance(
            abbreviation="",
            name="",
            registered=by_department[None][0] if None in by_department else 0,
            attended=by_department[None][1] if None in by_department else 0,
        ),
        no_shows=Share(count=sum(t[0] - t[1] for t in checked), of=sum(t[0] for t in checked)),
        events_without_check_in=len(events) - len(checked),
        feedback_answers=overall.count,
        feedback_average=overall.average,
        feedback_by_kind=tuple(
            FeedbackAverage(
                key=kind.value,
                label=str(kind.label),
                answers=by_kind.get(kind, _Ratings()).count,
                average=by_kind.get(kind, _Ratings()).average,
            )
            for kind in Kind
            if kind in kinds_held
        ),
        feedback_by_series=tuple(
            FeedbackAverage(
                key=s.slug,
                label=s.title,
                answers=by_series.get(s.pk, _Ratings()).count,
                average=by_series.get(s.pk, _Ratings()).average,
            )
            for s in series
        ),
        principles=tuple(
            PrincipleCoverage(
                number=p.number,
                name=p.name,
                morning_meetings=len(meetings := _meetings(events, p.pk)),
                morning_meeting_dates=meetings,
                events=sum(1 for e in events if e["principle_id"] == p.pk),
                named_in_feedback=named.get(p.pk, 0),
            )
            for p in principles
        ),
    )


def _meetings(events: list[dict[str, Any]], principle_id: int) -> tuple[date, ...]:
    """The Copenhagen dates of the morning meetings held with the principle in focus."""
    return tuple(
        timezone.localtime(e["starts_at"], COPENHAGEN).date()
        for e in events
        if e["kind"] == Kind.MORNING_MEETING and e["principle_id"] == principle_id
    )


# --- attendance per kind of event -----------------------------------------------------------------
# `event_figures` sums attendance over all kinds; the report needs it per kind (the conference and
# the morning meetings belong to different tasks), with the same definitions and events held.


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
