"""Forms of the event pages. They validate input; the services validate the domain again.

The staff forms are plain Forms, not ModelForms: a ModelForm writes the posted values onto the
instance while validating, and the services must see the database's values as "before". Dates are
typed in Copenhagen time (datetime-local inputs have no time zone) and stored in UTC.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import User
from sammen.core.models import Department, Principle, Venue
from sammen.events.models import (
    Audience,
    Event,
    Kind,
    Material,
    ProgrammeItem,
    Registration,
    Series,
    Speaker,
    Stand,
)
from sammen.events.services import validate_event_dates
from sammen.knowledge.models import Entry, Status
from sammen.knowledge.uploads import MAX_SIZE
from sammen.participation.staff_forms import CopenhagenDateTimeField


def _label(model: Any, name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)


def _help(model: Any, name: str) -> Any:
    return model._meta.get_field(name).help_text


# --- registration (public pages) -----------------------------------------------------------------

NEEDS_HELP = _(
    "For example food allergies, a wheelchair space or a sign language interpreter. "
    "We delete what you write here automatically after the event."
)


class PublicRegistrationForm(forms.Form):
    """A member of the public registers with a name and an e-mail address (confirmed by a link)."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send a link to confirm your registration, and then your ticket."),
    )
    needs = forms.CharField(
        label=_label(Registration, "needs"),
        max_length=1000,
        required=False,
        help_text=NEEDS_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class StaffRegistrationForm(forms.Form):
    """One click for logged-in staff; the needs are optional."""

    needs = forms.CharField(
        label=PublicRegistrationForm.base_fields["needs"].label,
        max_length=1000,
        required=False,
        help_text=NEEDS_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- events (staff) ------------------------------------------------------------------------------


class EventForm(forms.Form):
    """Create or edit an event. Every rule about dates is checked here and again in the service."""

    kind = forms.ChoiceField(label=_label(Event, "kind"), choices=Kind.choices)
    audience = forms.ChoiceField(
        label=_label(Event, "audience"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        help_text=_("A public event is also shown on Få indflydelse, where citizens find it."),
    )
    title = forms.CharField(label=_label(Event, "title"), max_length=200)
    summary = forms.CharField(
        label=_label(Event, "summary"),
        max_length=500,
        help_text=_("One or two sentences shown in lists."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = forms.CharField(
        label=_label(Event, "description"),
        required=False,
        help_text=_("Plain text. A blank line starts a new paragraph."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    series = forms.ModelChoiceField(
        label=_label(Event, "series"),
        queryset=Series.objects.all(),
        required=False,
        empty_label=_("Not part of a series"),
    )
    principle = forms.ModelChoiceField(
        label=_label(Event, "principle"),
        queryset=Principle.objects.order_by("number"),
        required=False,
        empty_label=_("No principle in focus"),
    )
    department = forms.ModelChoiceField(
        label=_label(Event, "department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("Choose …"),
        help_text=_("Required for public events: they are shown under it on Få indflydelse."),
    )
    venue = forms.ModelChoiceField(
        label=_label(Event, "venue"),
        queryset=Venue.objects.all(),
        required=False,
        empty_label=_("No venue from the list"),
    )
    location = forms.CharField(
        label=_label(Event, "location"),
        max_length=300,
        required=False,
        help_text=_help(Event, "location"),
    )
    accessibility = forms.CharField(
        label=_label(Event, "accessibility"),
        required=False,
        help_text=_help(Event, "accessibility"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    starts_at = CopenhagenDateTimeField(
        label=_label(Event, "starts_at"), help_text=_("Copenhagen time.")
    )
    ends_at = CopenhagenDateTimeField(
        label=_label(Event, "ends_at"), help_text=_("Copenhagen time.")
    )
    capacity = forms.IntegerField(
        label=_label(Event, "capacity"),
        min_value=1,
        max_value=100_000,
        required=False,
        help_text=_help(Event, "capacity"),
    )
    registration_opens_at = CopenhagenDateTimeField(
        label=_label(Event, "registration_opens_at"),
        required=False,
        help_text=_("Copenhagen time. Empty: open as soon as the event is published."),
    )
    registration_closes_at = CopenhagenDateTimeField(
        label=_label(Event, "registration_closes_at"),
        required=False,
        help_text=_("Copenhagen time. Empty: open until the event starts."),
    )

    @classmethod
    def initial_for(cls, event: Event) -> dict[str, Any]:
        return {name: getattr(event, name) for name in cls.base_fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            validate_event_dates(
                starts_at=data.get("starts_at"),
                ends_at=data.get("ends_at"),
                opens_at=data.get("registration_opens_at"),
                closes_at=data.get("registration_closes_at"),
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                if field not in self.errors:
                    self.add_error(field, errors)
        if not data.get("venue") and not (data.get("location") or "").strip():
            self.add_error("location", _("Choose a venue or write where the event is."))
        if data.get("audience") == Audience.PUBLIC and not data.get("department"):
            self.add_error(
                "department",
                _(
                    "A public event is shown on Få indflydelse under its organising department; "
                    "choose one."
                ),
            )
        return data


# --- programme -----------------------------------------------------------------------------------


class ProgrammeItemForm(forms.Form):
    title = forms.CharField(label=_label(ProgrammeItem, "title"), max_length=200)
    starts_at = CopenhagenDateTimeField(
        label=_label(ProgrammeItem, "starts_at"), help_text=_("Copenhagen time.")
    )
    ends_at = CopenhagenDateTimeField(
        label=_label(ProgrammeItem, "ends_at"), help_text=_("Copenhagen time.")
    )
    room = forms.CharField(label=_label(ProgrammeItem, "room"), max_length=100, required=False)
    description = forms.CharField(
        label=_label(ProgrammeItem, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    speakers = forms.ModelMultipleChoiceField(
        label=_label(ProgrammeItem, "speakers"),
        queryset=Speaker.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Missing someone? Add the speaker below first."),
    )
    examples = forms.ModelMultipleChoiceField(
        label=_label(ProgrammeItem, "examples"),
        queryset=Entry.objects.filter(status=Status.PUBLISHED).order_by("title"),
        required=False,
        help_text=_("Published knowledge entries. Hold Ctrl (Cmd on a Mac) to choose several."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class SpeakerForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_label(Speaker, "user"),
        queryset=User.objects.filter(is_active=True).order_by("first_name", "last_name"),
        required=False,
        empty_label=_("An external guest"),
    )
    name = forms.CharField(
        label=_label(Speaker, "name"),
        max_length=200,
        required=False,
        help_text=_("Empty for a member of staff: the name of the account is used."),
    )
    organisation = forms.CharField(
        label=_label(Speaker, "organisation"), max_length=200, required=False
    )
    bio = forms.CharField(
        label=_label(Speaker, "bio"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("user") and not (data.get("name") or "").strip():
            self.add_error("name", _("Write the speaker's name, or choose a member of staff."))
        return data


# --- the marketplace -----------------------------------------------------------------------------


class StandRequestForm(forms.Form):
    title = forms.CharField(label=_label(Stand, "title"), max_length=200)
    description = forms.CharField(
        label=_label(Stand, "description"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What visitors will see, try or talk about at the stand."),
    )
    department = forms.ModelChoiceField(
        label=_label(Stand, "department"), queryset=Department.objects.none(), empty_label=None
    )
    project = forms.CharField(
        label=_label(Stand, "project"),
        max_length=200,
        required=False,
        help_text=_("If the stand presents a project rather than the whole department."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.all() if user.is_superuser else user.departments.all()
        self.fields["department"].queryset = departments.order_by("name_da")


class StandDecisionForm(forms.Form):
    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (DECLINE, _("Decline"))],
        widget=forms.RadioSelect,
    )
    position = forms.CharField(
        label=_label(Stand, "position"),
        max_length=20,
        required=False,
        help_text=_("Required when approving. E.g. A3; each position can be given once."),
    )
    note = forms.CharField(
        label=_label(Stand, "decision_note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == self.APPROVE and not (data.get("position") or "").strip():
            self.add_error("position", _("Give the stand a position on the floor plan."))
        return data


# --- materials -----------------------------------------------------------------------------------


class MaterialForm(forms.Form):
    title = forms.CharField(label=_label(Material, "title"), max_length=200)
    file = forms.FileField(label=_label(Material, "file"), required=False)
    url = forms.URLField(
        label=_label(Material, "url"),
        required=False,
        assume_scheme="https",
        help_text=_("Instead of a file: a link to the slides or a recording."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "A PDF, an image or an office document of at most %(size)s MB."
        ) % {"size": MAX_SIZE // (1024 * 1024)}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "file" in self.errors or "url" in self.errors:
            return data
        if not data.get("file") and not data.get("url"):
            self.add_error("file", _("Upload a file or give a link."))
        elif data.get("file") and data.get("url"):
            self.add_error("url", _("Upload a file or give a link, not both."))
        return data
