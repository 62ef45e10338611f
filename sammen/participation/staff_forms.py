"""Staff forms for writing opportunities. They validate input; the services validate the domain.

The opportunity form is a plain Form, not a ModelForm: a ModelForm writes the posted values onto
the instance while validating, and the service must see the database's values as "before" for the
history. Dates are typed in Copenhagen time (datetime-local inputs have no time zone) and stored
in UTC.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sammen.core.models import Department, District, Principle, Topic, Venue
from sammen.participation import rules
from sammen.participation.models import Channel, Opportunity
from sammen.participation.services import (
    M2M_FIELDS,
    SCALAR_FIELDS,
    validate_opportunity_dates,
)

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class CopenhagenDateTimeField(forms.DateTimeField):
    """A datetime-local input read as Copenhagen time, whatever the active time zone is."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL_FORMAT)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", [DATETIME_LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S"])
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value, COPENHAGEN)
        return value

    def to_python(self, value: Any) -> Any:
        with timezone.override(COPENHAGEN):
            return super().to_python(value)


def _label(name: str) -> Any:
    return capfirst(Opportunity._meta.get_field(name).verbose_name)


def _help(name: str) -> Any:
    return Opportunity._meta.get_field(name).help_text


class OpportunityForm(forms.Form):
    """Create or edit an opportunity. Only the user's own departments can be chosen."""

    channel = forms.ModelChoiceField(
        label=_("Way to take part"), queryset=Channel.objects.all(), empty_label=_("Choose …")
    )
    title = forms.CharField(label=_label("title"), max_length=200)
    summary = forms.CharField(
        label=_label("summary"),
        max_length=500,
        help_text=_help("summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.CharField(
        label=_label("body"),
        required=False,
        # Plain text, not Markdown: nothing to sanitise, and the public page keeps line breaks.
        help_text=_("Plain text. A blank line starts a new paragraph."),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    language = forms.ChoiceField(
        label=_label("language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    departments = forms.ModelMultipleChoiceField(
        label=_label("departments"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Colleagues in these departments may edit it."),
        error_messages={"required": _("Choose at least one department.")},
    )
    districts = forms.ModelMultipleChoiceField(
        label=_label("districts"),
        queryset=District.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_help("districts"),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_label("topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    principles = forms.ModelMultipleChoiceField(
        label=_label("principles"),
        queryset=Principle.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_at = CopenhagenDateTimeField(
        label=_label("start_at"),
        required=False,
        help_text=_("Copenhagen time. When it opens or the meeting begins."),
    )
    end_at = CopenhagenDateTimeField(
        label=_label("end_at"),
        required=False,
        help_text=_("Copenhagen time. When the meeting ends."),
    )
    deadline = CopenhagenDateTimeField(
        label=_label("deadline"),
        required=False,
        help_text=_("Copenhagen time. The last moment to respond or apply."),
    )
    venue = forms.ModelChoiceField(
        label=_label("venue"),
        queryset=Venue.objects.all(),
        required=False,
        empty_label=_("No venue from the list"),
    )
    location = forms.CharField(
        label=_label("location"), max_length=300, required=False, help_text=_help("location")
    )
    online_url = forms.URLField(label=_label("online_url"), required=False, assume_scheme="https")
    accessibility = forms.CharField(
        label=_label("accessibility"),
        required=False,
        help_text=_("Step-free access, toilets, hearing loop, sign language and the like."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    participation_url = forms.URLField(
        label=_label("participation_url"),
        required=False,
        help_text=_help("participation_url"),
        assume_scheme="https",
    )
    contact_name = forms.CharField(label=_label("contact_name"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_label("contact_email"), required=False)
    contact_phone = forms.CharField(label=_label("contact_phone"), max_length=40, required=False)

    def __init__(self, *args: Any, user: Any, opportunity: Opportunity | None = None, **kwargs):
        self.user = user
        self.opportunity = opportunity
        if opportunity is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(opportunity)
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = rules.departments_for(user)
        # Departments of colleagues elsewhere stay on the opportunity; this user cannot remove them.
        self.locked_departments: list[Department] = []
        if opportunity is not None and not user.is_superuser:
            mine = rules.department_ids(user)
            self.locked_departments = [d for d in opportunity.departments.all() if d.pk not in mine]

    def clean_departments(self) -> list[Department]:
        return [*self.cleaned_data["departments"], *self.locked_departments]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            validate_opportunity_dates(
                start_at=data.get("start_at"),
                end_at=data.get("end_at"),
                deadline=data.get("deadline"),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field not in self.errors:
                    for message in messages:
                        self.add_error(field, message)
        if data.get("venue") and data.get("location"):
            self.add_error(
                "location",
                _("Choose a venue from the list or write a place, not both."),
            )
        return data

    def service_data(self) -> dict[str, Any]:
        """The cleaned data in the shape the services take."""
        return {name: self.cleaned_data[name] for name in (*SCALAR_FIELDS, *M2M_FIELDS)}


def initial_from(opportunity: Opportunity) -> dict[str, Any]:
    initial = {name: getattr(opportunity, name) for name in SCALAR_FIELDS}
    for name in M2M_FIELDS:
        initial[name] = list(getattr(opportunity, name).all())
    return initial


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("What came of it"),
        help_text=_(
            "Tell citizens what their input led to: the decision, what changed and what happens next. "
            "Plain text."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write what came of it.")},
    )
