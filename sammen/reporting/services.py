"""The steering group's side of the status report: which year to work on, the overview of a year,
and the writes (a task's status for a year, the tasks themselves, the targets of a year).

Each write runs in one transaction and validates the model with `full_clean()` before saving, so
a refused change leaves nothing half-saved; the forms validate first and say what to do, this is
the last line. Reads run a fixed number of queries whatever the amount of data (the pages that use
them are tested for it).

Money is whole Danish kroner (`StatusEntry.financing_need_dkk`), shown Danish style
("1.250.000 kr.") on Danish pages. A target on a share is stored as a fraction 0..1, like the
indicator's measurement it is compared with (`Target.is_met`); the form converts from percent.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sammen.core.workdays import COPENHAGEN
from sammen.reporting import indicators
from sammen.reporting.models import (
    AnnualReport,
    Financing,
    StatusEntry,
    Target,
    TargetDirection,
    Task,
    TaskKind,
)

if TYPE_CHECKING:
    from sammen.accounts.models import User

# The years a status or a target can be written for (the models' validators say the same).
FIRST_YEAR = 2015
LAST_YEAR = 2100

# The fields of a status entry the steering group writes, and those that are free text (the ones
# "start from last year's text" copies).
ENTRY_TEXT_FIELDS = ("status_text", "activities", "results", "narrative", "decisions_pending")
ENTRY_FIELDS = ("traffic_light", *ENTRY_TEXT_FIELDS, "financing", "financing_need_dkk")

# The fields of a task the steering group edits; the key, number and kind stay as the migration
# made them, because the indicators name their task by key.
TASK_FIELDS = ("title_da", "title_en", "description_da", "description_en", "is_active")

# Financing states whose amount is counted in the year's totals.
FINANCING_WITH_AMOUNT = (Financing.REQUESTED, Financing.GRANTED)


# --- years ---------------------------------------------------------------------------------------


def current_year(today: date | None = None) -> int:
    """This calendar year in Copenhagen (around New Year, UTC is another year for an hour)."""
    return (today or timezone.localtime(timezone.now(), COPENHAGEN).date()).year


def is_valid_year(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def default_year(today: date | None = None) -> int:
    """The year the reporting home suggests working on.

    The status report is about a finished year and is written in the first months after it, so
    the steering group works on last year until last year's report has been generated (at least
    one `AnnualReport` exists for it); from then on the work is this year's. No dates or
    deadlines are configured for this: generating the report is the moment the year is done.
    """
    this_year = current_year(today)
    if AnnualReport.objects.filter(year=this_year - 1).exists():
        return this_year
    return this_year - 1


def selectable_years(today: date | None = None) -> list[int]:
    """Every year with a status entry or a target, and this year and last year; newest first."""
    this_year = current_year(today)
    years = {this_year, this_year - 1}
    years.update(StatusEntry.objects.values_list("year", flat=True).distinct())
    years.update(Target.objects.values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class YearSummary:
    """One line of the reporting home: how far a year's status has come."""

    year: int
    entries: int
    targets: int
    reports: int
    last_report_at: Any = None


def year_summaries(years: Iterable[int]) -> list[YearSummary]:
    """For each year (in the order given): status entries written, targets set, reports generated.
    Three queries whatever the number of years."""
    years = list(years)
    entries = dict(
        StatusEntry.objects.filter(year__in=years)
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    targets = dict(
        Target.objects.filter(year__in=years)
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    reports = {
        row["year"]: row
        for row in AnnualReport.objects.filter(year__in=years)
        .order_by()
        .values("year")
        .annotate(n=Count("pk"), last=Max("generated_at"))
    }
    return [
        YearSummary(
            year=year,
            entries=entries.get(year, 0),
            targets=targets.get(year, 0),
            reports=reports[year]["n"] if year in reports else 0,
            last_report_at=reports[year]["last"] if year in reports else None,
        )
        for year in years
    ]


# --- money ---------------------------------------------------------------------------------------


def format_dkk(amount: int | None) -> str:
    """An amount in whole kroner as people read it: "1.250.000 kr." on Danish pages, "DKK
    1,250,000" on English ones; empty for no amount."""
    if amount is None:
        return ""
    if (get_language() or "da").startswith("en"):
        return f"DKK {amount:,}"
    return f"{amount:,}".replace(",", ".") + " kr."


# --- the overview of a year ----------------------------------------------------------------------


@dataclass(frozen=True)
class TaskStatus:
    """A task and its status entry for the year (None: not written yet)."""

    task: Task
    entry: StatusEntry | None

    @property
    def need_display(self) -> str:
        return format_dkk(self.entry.financing_need_dkk) if self.entry else ""


@dataclass
class YearOverview:
    year: int
    internal: list[TaskStatus] = field(default_factory=list)
    external: list[TaskStatus] = field(default_factory=list)
    requested_dkk: int = 0
    granted_dkk: int = 0

    @property
    def tasks(self) -> list[TaskStatus]:
        return sorted(self.internal + self.external, key=lambda row: row.task.number)

    @property
    def written(self) -> int:
        return sum(1 for row in self.tasks if row.entry is not None)

    @property
    def requested_display(self) -> str:
        return format_dkk(self.requested_dkk)

    @property
    def granted_display(self) -> str:
        return format_dkk(self.granted_dkk)


def year_overview(year: int) -> YearOverview:
    """The active tasks in order, split internal/external, each with its entry for the year, and
    the year's financing totals: requested (not decided yet) and granted. A deactivated task is
    still listed for a year it has an entry in, so an old year reads as it was written.
    Two queries whatever the data."""
    entries = {
        entry.task_id: entry
        for entry in StatusEntry.objects.filter(year=year).select_related("updated_by")
    }
    overview = YearOverview(year=year)
    for task in Task.objects.order_by("number"):
        if not task.is_active and task.pk not in entries:
            continue
        entry = entries.get(task.pk)
        if entry is not None:
            entry.task = task  # the row's task, without a query per entry
        row = TaskStatus(task=task, entry=entry)
        (overview.internal if task.kind == TaskKind.INTERNAL else overview.external).append(row)
        if entry is not None and entry.financing_need_dkk is not None:
            if entry.financing == Financing.REQUESTED:
                overview.requested_dkk += entry.financing_need_dkk
            elif entry.financing == Financing.GRANTED:
                overview.granted_dkk += entry.financing_need_dkk
    return overview


# --- a task's status for a year ------------------------------------------------------------------


def earlier_entry(task: Task, year: int) -> StatusEntry | None:
    """The task's latest entry before `year` (normally last year's), to start this year's from."""
    return StatusEntry.objects.filter(task=task, year__lt=year).order_by("-year").first()


def entry_values(entry: StatusEntry) -> dict[str, Any]:
    """An entry's fields as the status form takes them."""
    return {name: getattr(entry, name) for name in ENTRY_FIELDS}


def copied_values(entry: StatusEntry) -> dict[str, Any]:
    """What "start from last year's text" puts in the form: the texts and the traffic light, not
    the financing (money is decided for one year at a time)."""
    values = {name: getattr(entry, name) for name in ENTRY_TEXT_FIELDS}
    values["traffic_light"] = entry.traffic_light
    return values


@transaction.atomic
def status_entry_save(*, task: Task, year: int, data: Mapping[str, Any], by: "User") -> StatusEntry:
    """Create the task's entry for the year on first save, or update it; `updated_by` is `by`."""
    entry = StatusEntry.objects.select_for_update().filter(
        task=task, year=year
    ).first() or StatusEntry(task=task, year=year)
    for name in ENTRY_FIELDS:
        if name in data:
            setattr(entry, name, data[name])
    entry.updated_by = by
    entry.full_clean()
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:  # someone created the same entry a moment ago
        raise ValidationError(
            _("Someone else saved this status at the same moment. Open it again and repeat.")
        ) from error
    return entry


# --- the tasks -----------------------------------------------------------------------------------


@transaction.atomic
def tasks_save(changes: Mapping[int, Mapping[str, Any]]) -> int:
    """Save the edited fields of tasks (by pk); all or nothing. Returns how many changed."""
    changed = 0
    for task in Task.objects.select_for_update().filter(pk__in=list(changes)).order_by("number"):
        values = changes[task.pk]
        if all(getattr(task, name) == values[name] for name in TASK_FIELDS if name in values):
            continue
        for name in TASK_FIELDS:
            if name in values:
                setattr(task, name, values[name])
        task.full_clean()
        task.save(update_fields=[name for name in TASK_FIELDS if name in values])
        changed += 1
    return changed


# --- targets -------------------------------------------------------------------------------------


def targets_of(years: Iterable[int]) -> dict[int, dict[str, Target]]:
    """The targets of the given years, by year and indicator key. One query."""
    found: dict[int, dict[str, Target]] = {year: {} for year in years}
    for target in Target.objects.filter(year__in=list(found)):
        found[target.year][target.indicator] = target
    return found


def default_direction(item: indicators.Indicator) -> str:
    """The direction a new target usually has: "at most" where less is better."""
    return TargetDirection.AT_MOST if item.higher_is_better is False else TargetDirection.AT_LEAST


@transaction.atomic
def targets_save(*, year: int, values: Mapping[str, tuple[str, Decimal | None]]) -> int:
    """Set the year's targets: `values[key] = (direction, value)`, value None removes the target.
    Only registered indicators can have a target. All or nothing; returns how many changed."""
    unknown = sorted(set(values) - {item.key for item in indicators.registered()})
    if unknown:
        raise ValidationError(
            _("Unknown indicators: %(keys)s."), params={"keys": ", ".join(unknown)}
        )
    existing = {t.indicator: t for t in Target.objects.select_for_update().filter(year=year)}
    changed = 0
    for key, (direction, value) in values.items():
        target = existing.get(key)
        if value is None:
            if target is not None:
                target.delete()
                changed += 1
            continue
        if target is not None and target.direction == direction and target.value == value:
            continue
        target = target or Target(indicator=key, year=year)
        target.direction = direction
        target.value = value
        target.full_clean()
        target.save()
        changed += 1
    return changed
