"""Forms of the steering group's pages: choose a year, a task's status for a year, the tasks, and
the targets of a year. They validate input and say what to do; the services validate again.

Plain Forms, not ModelForms (as elsewhere on the platform): the services write the model. Amounts
are typed as people write them ("350.000", "350000", "350.000 kr.") and must be whole kroner.

Targets are typed in the indicator's own unit, with one exception: a share (an indicator with
`Unit.SHARE`, measured as a fraction 0..1) is typed in percent, 0–100, and stored as a fraction,
so "90" is stored as 0.90 and compared with a measured 0.93. The model keeps two decimals, so a
share is typed in whole percent.
"""

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sammen.reporting import indicators, report
from sammen.reporting.indicators import Unit
from sammen.reporting.models import Financing, StatusEntry, Target, TargetDirection, Task
from sammen.reporting.services import FINANCING_WITH_AMOUNT, default_direction

# The largest amount the database holds (a PositiveIntegerField).
MAX_AMOUNT = 2_147_483_647

_VALUE_FIELD = Target._meta.get_field("value")
TARGET_DECIMALS: int = _VALUE_FIELD.decimal_places
TARGET_MAX = Decimal(10) ** (_VALUE_FIELD.max_digits - _VALUE_FIELD.decimal_places)
# A share is stored as a fraction: its percent has two decimals fewer than the stored value.
PERCENT_DECIMALS = max(TARGET_DECIMALS - 2, 0)


def _label(model: Any, name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)


def _spaces_out(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", "", text)


# --- choosing a year -----------------------------------------------------------------------------


class YearForm(forms.Form):
    """The year selector of the reporting home (a GET form: it works without JavaScript)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["year"].error_messages["invalid_choice"] = _(
            "Choose one of the years in the list."
        )


# --- a task's status for a year ------------------------------------------------------------------


def parse_kroner(text: str) -> int | None:
    """Whole kroner from what people type: "350000", "350.000", "350 000", "350.000 kr.",
    "350.000,-" or "350.000,00". None for an empty field; ValidationError saying what is wrong."""
    cleaned = _spaces_out(text or "")
    cleaned = re.sub(r"(?i)^(dkk|kr\.?)", "", cleaned)
    cleaned = re.sub(r"(?i)(dkk|kr\.?)$", "", cleaned)
    if not cleaned:
        return None
    if cleaned.startswith("-") and re.fullmatch(r"-[\d.,]+", cleaned):
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    cleaned = re.sub(r",-$", "", cleaned)
    match = re.fullmatch(r"(\d+|\d{1,3}(?:\.\d{3})+)(?:[.,](\d{1,2}))?", cleaned)
    if not match:
        raise ValidationError(
            _("Enter the amount as a number of kroner, for example 350.000."), code="invalid"
        )
    whole, fraction = match.groups()
    if fraction and int(fraction):
        raise ValidationError(
            _("Enter the amount in whole kroner, without øre."), code="whole_kroner"
        )
    amount = int(whole.replace(".", ""))
    if amount > MAX_AMOUNT:
        raise ValidationError(_("The amount is too large."), code="too_large")
    return amount


class KronerField(forms.Field):
    """An amount in whole kroner, typed as people write it (see `parse_kroner`)."""

    widget = forms.TextInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "numeric", "autocomplete": "off"}

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        text = str(value)
        if len(text) > 40:
            raise ValidationError(
                _("Enter the amount as a number of kroner, for example 350.000."), code="invalid"
            )
        return parse_kroner(text)


TRAFFIC_LIGHT_CHOICES = [
    ("green", _("Green: on track")),
    ("yellow", _("Yellow: at risk")),
    ("red", _("Red: off track")),
]


class StatusEntryForm(forms.Form):
    """A task's status for a year: the traffic light, the texts for the report, and financing."""

    traffic_light = forms.ChoiceField(
        label=_("Traffic light"),
        choices=TRAFFIC_LIGHT_CHOICES,
        widget=forms.RadioSelect,
        help_text=_(
            "Green: the task runs as planned. Yellow: there is a risk the task will not reach "
            "its goals this year. Red: the task will not reach its goals without a decision."
        ),
    )
    status_text = forms.CharField(
        label=_("Status"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the task stands, in two or three sentences. Shown beside the light."),
    )
    activities = forms.CharField(
        label=_label(StatusEntry, "activities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was done in the year. Plain text; a blank line starts a new paragraph."),
    )
    results = forms.CharField(
        label=_label(StatusEntry, "results"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What came of it. The report adds the platform's figures for the task by itself, "
            "so write what the figures do not say."
        ),
    )
    narrative = forms.CharField(
        label=_label(StatusEntry, "narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The paragraph the report to the directors shows for this task. Written for "
            "readers who do not know the task."
        ),
    )
    financing = forms.ChoiceField(
        label=_label(StatusEntry, "financing"),
        choices=Financing.choices,
        widget=forms.RadioSelect,
        initial=Financing.NOT_NEEDED,
        help_text=_("Whether the task needs money beyond its budget, and where that stands."),
    )
    financing_need_dkk = KronerField(
        label=_label(StatusEntry, "financing_need_dkk"),
        required=False,
        help_text=_(
            "In whole kroner, for example 350.000. Required when the financing is requested or "
            "granted; leave it empty when no extra financing is needed."
        ),
    )
    decisions_pending = forms.CharField(
        label=_label(StatusEntry, "decisions_pending"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What the directors are asked to decide, for example whether to continue the "
            "campaign next year. Leave it empty when nothing is to be decided."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        financing = data.get("financing")
        amount = data.get("financing_need_dkk")
        if "financing_need_dkk" not in self.errors and financing:
            if financing in FINANCING_WITH_AMOUNT and amount is None:
                self.add_error(
                    "financing_need_dkk",
                    ValidationError(
                        _("Enter the amount when the financing is requested or granted."),
                        code="amount_required",
                    ),
                )
            elif financing == Financing.NOT_NEEDED and amount is not None:
                self.add_error(
                    "financing_need_dkk",
                    ValidationError(
                        _(
                            "Leave the amount empty when no extra financing is needed, or "
                            "choose how the financing stands."
                        ),
                        code="amount_not_needed",
                    ),
                )
        return data


# --- the tasks -----------------------------------------------------------------------------------


class TaskForm(forms.Form):
    """A task's titles, descriptions and whether it is active (one per task, prefixed by key)."""

    title_da = forms.CharField(label=_label(Task, "title_da"), max_length=200)
    title_en = forms.CharField(
        label=_label(Task, "title_en"),
        max_length=200,
        required=False,
        help_text=_("Shown on the English pages; the Danish title is used when it is empty."),
    )
    description_da = forms.CharField(
        label=_label(Task, "description_da"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the task is, in a few sentences. The report shows it under the title."),
    )
    description_en = forms.CharField(
        label=_label(Task, "description_en"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_active = forms.BooleanField(
        label=_label(Task, "is_active"),
        required=False,
        help_text=_(
            "An inactive task gets no new status and is left out of new reports; what was "
            "written for it before is kept."
        ),
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        self.task = task
        kwargs.setdefault("prefix", f"task-{task.key}")
        kwargs.setdefault("initial", {name: getattr(task, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)


# --- targets -------------------------------------------------------------------------------------


def parse_decimal(text: str) -> Decimal:
    """A number typed Danish or English style: "92,5", "92.5", "1.000", "1.000,5", "90 %"."""
    cleaned = _spaces_out(text).rstrip("%")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")  # Danish: 1.000,5
    elif re.fullmatch(r"-?\d{1,3}(?:\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")  # Danish thousands: 1.000
    else:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", cleaned):
        raise ValidationError(_("Enter a number, for example 90."), code="invalid")
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the pattern above admits only numbers
        raise ValidationError(_("Enter a number, for example 90."), code="invalid") from error


def _decimals(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def format_number(number: Decimal) -> str:
    """A target as it is typed back into the form: no trailing zeros, a decimal comma in Danish."""
    text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if not (get_language() or "da").startswith("en"):
        text = text.replace(".", ",")
    return text


def stored_to_typed(unit: str, value: Decimal) -> str:
    """The stored target as the form shows it (a share as percent)."""
    return format_number(value * 100 if unit == Unit.SHARE else value)


def typed_to_stored(unit: str, typed: Decimal) -> Decimal:
    """The typed target as it is stored (a share's percent as a fraction 0..1)."""
    quantum = Decimal(1).scaleb(-TARGET_DECIMALS)
    value = typed / 100 if unit == Unit.SHARE else typed
    return value.quantize(quantum)


def validate_target(unit: str, number: Decimal) -> None:
    """The rules of a target in the unit it is typed in."""
    if unit == Unit.SHARE:
        if not 0 <= number <= 100:
            raise ValidationError(_("Enter a percentage from 0 to 100."), code="share_range")
        if _decimals(number) > PERCENT_DECIMALS:
            raise ValidationError(
                _("Enter the percentage with at most two decimals, for example 92.5."),
                code="share_decimals",
            )
        return
    if unit == Unit.SCORE and not 1 <= number <= 5:
        raise ValidationError(_("Enter an average score from 1 to 5."), code="score_range")
    if number < 0:
        raise ValidationError(_("The target cannot be negative."), code="negative")
    if unit in (Unit.COUNT, Unit.DKK) and _decimals(number) > 0:
        raise ValidationError(_("Enter a whole number."), code="whole")
    if _decimals(number) > TARGET_DECIMALS:
        raise ValidationError(
            _("Enter at most %(n)s decimals."), params={"n": TARGET_DECIMALS}, code="decimals"
        )
    if number >= TARGET_MAX:
        raise ValidationError(_("The target is too large."), code="too_large")


UNIT_HINTS = {
    Unit.SHARE: _("In percent, 0 to 100."),
    Unit.COUNT: _("A whole number."),
    Unit.DAYS: _("In working days."),
    Unit.SCORE: _("An average score from 1 to 5."),
    Unit.DKK: _("In whole kroner."),
}


def _row_prefix(key: str) -> str:
    return "target-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


class TargetForm(forms.Form):
    """The target of one indicator in a year: a direction and a value; an empty value means no
    target (and removes one that was set)."""

    direction = forms.ChoiceField(label=_("Direction"), choices=TargetDirection.choices)
    value = forms.CharField(label=_("Target"), required=False, max_length=30)

    def __init__(self, *args: Any, indicator: indicators.Indicator, **kwargs: Any) -> None:
        self.indicator = indicator
        kwargs.setdefault("prefix", _row_prefix(indicator.key))
        super().__init__(*args, **kwargs)
        self.fields["value"].help_text = UNIT_HINTS.get(indicator.unit, "")
        self.fields["value"].widget.attrs.update({"inputmode": "decimal", "size": 8})
        if not self.initial.get("direction"):
            self.initial["direction"] = default_direction(indicator)

    def clean_value(self) -> Decimal | None:
        typed = self.cleaned_data.get("value", "")
        if not typed.strip():
            return None
        number = parse_decimal(typed)
        validate_target(self.indicator.unit, number)
        return typed_to_stored(self.indicator.unit, number)


class TargetSheet:
    """One `TargetForm` per registered indicator, grouped by task in the registry's order. Keys
    come from the registry, never from the posted data, so a posted form cannot name an unknown
    indicator. Valid only when every row is: the targets are saved all or nothing."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        tasks: Mapping[str, Task],
        initial: Mapping[str, Target] | None = None,
    ) -> None:
        initial = initial or {}
        self.groups: list[tuple[Task | None, str, list[TargetForm]]] = []
        by_task: dict[str, list[TargetForm]] = {}
        for item in indicators.registered():
            target = initial.get(item.key)
            values = (
                {"direction": target.direction, "value": stored_to_typed(item.unit, target.value)}
                if target is not None
                else {}
            )
            by_task.setdefault(item.task, []).append(
                TargetForm(data, indicator=item, initial=values)
            )
        for key, rows in by_task.items():
            task = tasks.get(key)
            self.groups.append((task, task.title if task else key, rows))

    @property
    def forms(self) -> list[TargetForm]:
        return [form for _task, _title, rows in self.groups for form in rows]

    def is_valid(self) -> bool:
        return all(form.is_valid() for form in self.forms)

    @property
    def errors(self) -> list[tuple[TargetForm, BoundField, str]]:
        """(row, field, message) for the error summary, in the order of the page."""
        return [
            (form, form[name], message)
            for form in self.forms
            for name, messages in form.errors.items()
            for message in messages
        ]

    def values(self) -> dict[str, tuple[str, Decimal | None]]:
        return {
            form.indicator.key: (form.cleaned_data["direction"], form.cleaned_data["value"])
            for form in self.forms
        }


class PrepareForm(forms.Form):
    """The introduction, and the report's paragraph for each task with a status entry."""

    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=report.INTRODUCTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "class": "report-text"}),
        help_text=_(
            "Opens the report: what the year was about and what the directors should note."
        ),
    )

    def __init__(self, *args: Any, entries: list[StatusEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for entry in entries:
            self.fields[self.narrative_name(entry)] = forms.CharField(
                label=_("Text for the report about %(task)s") % {"task": entry.task.title},
                required=False,
                max_length=report.NARRATIVE_MAX_LENGTH,
                initial=entry.narrative,
                widget=forms.Textarea(attrs={"rows": 5, "class": "report-text"}),
            )

    @staticmethod
    def narrative_name(entry: StatusEntry) -> str:
        return f"narrative_{entry.task.key}"
