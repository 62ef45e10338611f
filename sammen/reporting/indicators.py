"""The registry of indicators: figures the platform computes for the yearly report.

The app that owns the data owns the figure: `ideas.figures.idea_figures`, `events.figures.
event_figures` and so on compute everything about a period in a fixed number of queries, and each
app's `indicators.py` turns those figures into named indicators with `@indicator(...)`. The
reporting app only lists, measures and freezes them, so a new app adds an indicator without
touching this one.

An indicator returns a `Measurement` whose `value` is None when the period has no data for it:
the report then says "no data" instead of showing a zero as if it had been measured.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The keys of the six tasks (reporting.Task.key), which the indicators name as their task.
TASK_CONFERENCE = "conference"
TASK_COMPETENCE = "competence"
TASK_KNOWLEDGE = "knowledge"
TASK_ENTRY_POINT = "entry-point"
TASK_CAMPAIGN = "campaign"
TASK_IDEAS = "ideas"
TASK_KEYS = (
    TASK_CONFERENCE,
    TASK_COMPETENCE,
    TASK_KNOWLEDGE,
    TASK_ENTRY_POINT,
    TASK_CAMPAIGN,
    TASK_IDEAS,
)


class Unit(models.TextChoices):
    COUNT = "count", _("number")
    SHARE = "share", _("share")  # a fraction 0..1, shown as a percentage
    DAYS = "days", _("working days")
    SCORE = "score", _("average score (1-5)")
    DKK = "dkk", _("DKK")


Number = int | float | None


@dataclass(frozen=True)
class Measurement:
    """One indicator's value for a period. `breakdown` holds labelled rows (e.g. per department)
    for the report's tables and charts; `note` says what the value was measured on ("of 40")."""

    value: Number
    breakdown: tuple[tuple[str, Number], ...] = ()
    note: str = ""

    @property
    def has_data(self) -> bool:
        return self.value is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "breakdown": [[str(label), value] for label, value in self.breakdown],
            "note": str(self.note),
        }

    @classmethod
    def no_data(cls) -> "Measurement":
        return cls(value=None)


class Period:
    """The period measured, with a memo so that indicators sharing one figures function (all the
    idea indicators share `idea_figures`) compute it once per report."""

    def __init__(self, start: date, end: date) -> None:
        if end < start:
            raise ValueError("a period ends on or after its start")
        self.start = start
        self.end = end
        self._memo: dict[Callable, Any] = {}

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))

    def figures(self, function: Callable[[date, date], Any]) -> Any:
        if function not in self._memo:
            self._memo[function] = function(self.start, self.end)
        return self._memo[function]


@dataclass(frozen=True)
class Indicator:
    key: str
    task: str
    label: str | Promise
    unit: str
    compute: Callable[[Period], Measurement] = field(repr=False)
    description: str | Promise = ""
    # True: more is better; False: less is better; None: neither (a count to watch).
    higher_is_better: bool | None = None
    order: int = 100

    def measure(self, period: Period) -> Measurement:
        return self.compute(period)


_REGISTRY: dict[str, Indicator] = {}


def indicator(
    key: str,
    *,
    task: str,
    label: str | Promise,
    unit: str = Unit.COUNT,
    description: str | Promise = "",
    higher_is_better: bool | None = None,
    order: int = 100,
) -> Callable[[Callable[[Period], Measurement]], Callable[[Period], Measurement]]:
    """Register `function(period) -> Measurement` as the indicator `key` of task `task`."""
    if task not in TASK_KEYS:
        raise ValueError(f"unknown task {task!r} for indicator {key!r}")

    def register(function: Callable[[Period], Measurement]) -> Callable[[Period], Measurement]:
        existing = _REGISTRY.get(key)
        if existing is not None and existing.compute is not function:
            raise ValueError(f"indicator {key!r} is declared twice")
        _REGISTRY[key] = Indicator(
            key=key,
            task=task,
            label=label,
            unit=str(unit),
            compute=function,
            description=description,
            higher_is_better=higher_is_better,
            order=order,
        )
        return function

    return register


def registered() -> list[Indicator]:
    """Every indicator, in task order and then in each task's own order."""
    return sorted(_REGISTRY.values(), key=lambda i: (TASK_KEYS.index(i.task), i.order, i.key))


def get(key: str) -> Indicator:
    return _REGISTRY[key]


def measure_all(period: Period) -> dict[str, Measurement]:
    return {item.key: item.measure(period) for item in registered()}
