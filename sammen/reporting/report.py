"""Assembling and freezing the yearly status report to the directors.

`build_snapshot(year)` gathers everything the report shows into one JSON-serialisable dict: the
tasks with their status entries, every registered indicator measured for the year and the year
before, the targets and whether they were met, the financing needs and the decisions requested.
Labels, units and figures are turned into text in the active language when the snapshot is built,
so the documents (`sammen.reporting.documents`) and the report page render from the snapshot
alone. `generate_report` stores the snapshot in an `AnnualReport`: a report reopened next year
shows what the directors were shown, whatever has been entered or measured since.

A figure that was not measured is "no data", never a zero, and the change from last year is only
given when both years have data.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sammen.core.workdays import COPENHAGEN
from sammen.reporting import indicators
from sammen.reporting.indicators import Measurement, Period, Unit
from sammen.reporting.models import (
    AnnualReport,
    Financing,
    StatusEntry,
    Target,
    Task,
    TrafficLight,
)

# The first year the collaboration reports on (the models refuse earlier years too).
FIRST_YEAR = 2015
SNAPSHOT_VERSION = 1
INTRODUCTION_MAX_LENGTH = 5000
NARRATIVE_MAX_LENGTH = 5000
TRAFFIC_LIGHTS = ("green", "yellow", "red")

Number = int | float | None


def today() -> date:
    return timezone.now().astimezone(COPENHAGEN).date()


def is_reportable_year(year: int) -> bool:
    """A report covers a year that has begun: from the first year up to the current one."""
    return FIRST_YEAR <= year <= today().year


def default_year() -> int:
    """The year a report is usually written for: last year."""
    return today().year - 1


# --- figures as text -----------------------------------------------------------------------------


def _number(value: float, decimals: int) -> str:
    return number_format(round(value, decimals), decimal_pos=decimals, force_grouping=True)


def _decimals(unit: str, value: float) -> int:
    if unit in (Unit.DAYS, Unit.SCORE):
        return 0 if float(value).is_integer() else 1
    if unit == Unit.SHARE:
        return 0
    return 0 if float(value).is_integer() else 1


def format_value(value: Number, unit: str) -> str:
    """A figure as the report prints it, in the active language; "no data" for None."""
    if value is None:
        return _("no data")
    value = float(value)
    if unit == Unit.SHARE:
        return _("%(number)s%%") % {"number": _number(value * 100, 0)}
    text = _number(value, _decimals(unit, value))
    if unit == Unit.DAYS:
        return _("%(number)s working days") % {"number": text}
    if unit == Unit.SCORE:
        return _("%(number)s of 5") % {"number": text}
    if unit == Unit.DKK:
        return _("DKK %(number)s") % {"number": text}
    return text


def change_of(current: Number, previous: Number) -> Number:
    """The change from last year; None unless both years were measured."""
    if current is None or previous is None:
        return None
    change = current - previous
    return round(change, 6) if isinstance(change, float) else change


def format_change(change: Number, unit: str) -> str:
    """A change with its sign ("+12", "−3 percentage points"); empty when there is none."""
    if change is None:
        return ""
    change = float(change)
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    size = abs(change)
    if unit == Unit.SHARE:
        return _("%(sign)s%(number)s percentage points") % {
            "sign": sign,
            "number": _number(size * 100, 0 if (size * 100).is_integer() else 1),
        }
    if unit == Unit.SCORE:
        return sign + _number(size, 0 if size.is_integer() else 1)
    return sign + format_value(size, unit)


# --- the parts of the snapshot -------------------------------------------------------------------


def _measure(item: indicators.Indicator, period: Period) -> Measurement:
    measurement = item.measure(period)
    if not isinstance(measurement, Measurement):
        raise TypeError(f"indicator {item.key!r} returned {measurement!r}, not a Measurement")
    return measurement


def _measured(measurement: Measurement, unit: str) -> dict[str, Any]:
    data = measurement.as_dict()
    data["display"] = format_value(data["value"], unit)
    data["breakdown"] = [
        {"label": label, "value": value, "display": format_value(value, unit)}
        for label, value in data["breakdown"]
    ]
    return data


def _target(target: Target | None, unit: str, measured: Number) -> dict[str, Any] | None:
    if target is None:
        return None
    met = target.is_met(measured)
    value = float(target.value) if isinstance(target.value, Decimal) else target.value
    return {
        "direction": target.direction,
        "value": value,
        "display": f"{target.get_direction_display()} {format_value(value, unit)}",
        "met": met,
        "met_display": _("no data") if met is None else (_("met") if met else _("not met")),
    }


def _indicator(
    item: indicators.Indicator,
    current: Period,
    previous: Period,
    target: Target | None,
) -> dict[str, Any]:
    unit = str(item.unit)
    now = _measured(_measure(item, current), unit)
    before = _measured(_measure(item, previous), unit)
    change = change_of(now["value"], before["value"])
    return {
        "key": item.key,
        "task": item.task,
        "label": str(item.label),
        "description": str(item.description),
        "unit": unit,
        "unit_label": str(Unit(unit).label) if unit in Unit.values else unit,
        "higher_is_better": item.higher_is_better,
        "current": now,
        "previous": before,
        "change": change,
        "change_display": format_change(change, unit),
        "target": _target(target, unit, now["value"]),
    }


def _unregistered_target(target: Target) -> dict[str, Any]:
    """A target on an indicator the platform no longer computes: shown, with no data."""
    empty = _measured(Measurement.no_data(), Unit.COUNT)
    return {
        "key": target.indicator,
        "task": "",
        "label": target.indicator,
        "description": "",
        "unit": Unit.COUNT,
        "unit_label": str(Unit.COUNT.label),
        "higher_is_better": None,
        "current": empty,
        "previous": dict(empty),
        "change": None,
        "change_display": "",
        "target": _target(target, Unit.COUNT, None),
    }


def _entry(entry: StatusEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {
        "traffic_light": entry.traffic_light,
        "traffic_light_display": entry.get_traffic_light_display(),
        "status_text": entry.status_text,
        "activities": entry.activities,
        "results": entry.results,
        "narrative": entry.narrative,
        "financing_need_dkk": entry.financing_need_dkk,
        "financing_need_display": (
            format_value(entry.financing_need_dkk, Unit.DKK)
            if entry.financing_need_dkk is not None
            else ""
        ),
        "financing": entry.financing,
        "financing_display": entry.get_financing_display(),
        "decisions_pending": entry.decisions_pending,
    }


def _financing(tasks: list[dict[str, Any]]) -> dict[str, Any]:
    """The table of financing needs: one row per task with a need or a financing state other than
    "not needed", and totals per state (amounts only where one was given)."""
    rows = []
    totals = dict.fromkeys(Financing.values, 0)
    for task in tasks:
        entry = task["entry"]
        if entry is None:
            continue
        if entry["financing"] == Financing.NOT_NEEDED and not entry["financing_need_dkk"]:
            continue
        amount = entry["financing_need_dkk"]
        rows.append(
            {
                "task_number": task["number"],
                "task_title": task["title"],
                "amount": amount,
                "amount_display": entry["financing_need_display"] or "–",
                "state": entry["financing"],
                "state_display": entry["financing_display"],
            }
        )
        totals[entry["financing"]] += amount or 0
    # Refused amounts are shown but not added up: they are no longer a need anyone will meet.
    total = totals[Financing.REQUESTED] + totals[Financing.GRANTED]
    return {
        "rows": rows,
        "totals": [
            {
                "state": state,
                "state_display": str(label),
                "amount": totals[state],
                "amount_display": format_value(totals[state], Unit.DKK),
            }
            for state, label in Financing.choices
            if state != Financing.NOT_NEEDED and any(row["state"] == state for row in rows)
        ],
        "total": total,
        "total_display": format_value(total, Unit.DKK),
    }


def _traffic_lights(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts = dict.fromkeys(TRAFFIC_LIGHTS, 0)
    missing = 0
    for task in tasks:
        if task["entry"] is None:
            missing += 1
        else:
            counts[task["entry"]["traffic_light"]] += 1
    rows = [
        {"light": light, "display": str(TrafficLight(light).label), "count": counts[light]}
        for light in TRAFFIC_LIGHTS
    ]
    rows.append({"light": "", "display": _("No status entry"), "count": missing})
    return rows


def build_snapshot(year: int, introduction: str = "") -> dict[str, Any]:
    """Everything the report for `year` shows, as JSON-serialisable data in the active language.

    Reads the live data: the active tasks (and any inactive task with an entry that year), their
    status entries, the targets and every registered indicator for `year` and `year - 1`.
    """
    entries = {
        entry.task_id: entry
        for entry in StatusEntry.objects.filter(year=year).select_related("task")
    }
    task_rows = [
        task for task in Task.objects.order_by("number") if task.is_active or task.pk in entries
    ]
    targets = {target.indicator: target for target in Target.objects.filter(year=year)}
    current, previous = Period.year(year), Period.year(year - 1)

    measured = [
        _indicator(item, current, previous, targets.get(item.key))
        for item in indicators.registered()
    ]
    known = {item["key"] for item in measured}
    measured += [
        _unregistered_target(target) for key, target in sorted(targets.items()) if key not in known
    ]

    tasks = []
    for task in task_rows:
        tasks.append(
            {
                "key": task.key,
                "number": task.number,
                "title": task.title,
                "description": task.description,
                "kind": task.kind,
                "kind_display": task.get_kind_display(),
                "entry": _entry(entries.get(task.pk)),
                "indicators": [item for item in measured if item["task"] == task.key],
            }
        )

    evaluated = [item for item in measured if item["target"] is not None]
    return {
        "version": SNAPSHOT_VERSION,
        "year": year,
        "previous_year": year - 1,
        "language": get_language() or settings.LANGUAGE_CODE,
        "organisation": getattr(settings, "MUNICIPALITY_NAME", ""),
        "generated_at": timezone.now().isoformat(),
        "generated_by": "",
        "introduction": introduction,
        "tasks": tasks,
        "indicators": measured,
        "targets_met": sum(1 for item in evaluated if item["target"]["met"] is True),
        "targets_missed": sum(1 for item in evaluated if item["target"]["met"] is False),
        "targets_without_data": sum(1 for item in evaluated if item["target"]["met"] is None),
        "targets_total": len(evaluated),
        "financing": _financing(tasks),
        "decisions": [
            {"task_number": task["number"], "task_title": task["title"], "text": text}
            for task in tasks
            if task["entry"] and (text := task["entry"]["decisions_pending"].strip())
        ],
        "traffic_lights": _traffic_lights(tasks),
    }


def generate_report(year: int, user: Any, introduction: str = "") -> AnnualReport:
    """Freeze the report for `year` as a new version: the documents render from it alone."""
    snapshot = build_snapshot(year, introduction=introduction)
    if user is not None and getattr(user, "is_authenticated", False):
        snapshot["generated_by"] = user.get_full_name() or user.get_username()
    with transaction.atomic():
        report = AnnualReport.objects.create(
            year=year,
            generated_by=user if getattr(user, "is_authenticated", False) else None,
            snapshot=snapshot,
        )
    return report


def latest_introduction(year: int) -> str:
    """The introduction of the newest report of `year`, to start the next version from."""
    value = (
        AnnualReport.objects.filter(year=year)
        .order_by("-generated_at", "-pk")
        .values_list("snapshot__introduction", flat=True)
        .first()
    )
    return value if isinstance(value, str) else ""


def generated_at(snapshot: dict[str, Any]) -> datetime | None:
    """When the snapshot was built, as an aware datetime (shown in Copenhagen time)."""
    try:
        return datetime.fromisoformat(snapshot["generated_at"])
    except (KeyError, TypeError, ValueError):
        return None


def save_narratives(narratives: dict[StatusEntry, str], *, by: Any) -> int:
    """Store each task's paragraph for the report on its status entry; returns how many changed.
    Entries whose text is unchanged are left alone (their "updated by" stays)."""
    changed = 0
    with transaction.atomic():
        for entry, text in narratives.items():
            if entry.narrative == text:
                continue
            entry.narrative = text
            entry.updated_by = by if getattr(by, "is_authenticated", False) else None
            entry.save(update_fields=["narrative", "updated_by", "updated_at"])
            changed += 1
    return changed
