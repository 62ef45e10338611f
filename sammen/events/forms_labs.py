"""Forms of the solution lab pages: creating a lab from ideas, taking one more idea to it, and
recording an agreement.

Plain Forms that validate everything a coordinator can get wrong, with a message naming the
field; `sammen.events.labs` checks the same rules again. The lab page shows one agreement form per
idea, so their choices are built once by the view and handed in (no query per form).
"""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sammen.accounts.models import User
from sammen.core.models import Department, Venue
from sammen.core.workdays import local_date
from sammen.events import labs
from sammen.events.models import Event, LabAgreement
from sammen.events.services import validate_event_dates
from sammen.participation.staff_forms import CopenhagenDateTimeField


def _label(model: Any, name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)


class LabForm(forms.Form):
    """A new solution lab: the open ideas it takes in, when and where."""

    q = forms.CharField(
        label=_("Search the open ideas"),
        max_length=200,
        required=False,
        help_text=_("Words from the title or the description. The ideas you have ticked stay."),
    )
    ideas = forms.ModelMultipleChoiceField(
        label=_("Ideas to take to the lab"),
        queryset=labs.ideas_for_labs(),
        error_messages={
            "required": _("Choose at least one idea."),
            "invalid_choice": _("Only open ideas can be taken to a solution lab."),
            "invalid_pk_value": _("Only open ideas can be taken to a solution lab."),
        },
    )
    title = forms.CharField(label=_label(Event, "title"), max_length=200)
    summary = forms.CharField(
        label=_label(Event, "summary"),
        max_length=500,
        help_text=_("What the lab is to find out, in one or two sentences."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    starts_at = CopenhagenDateTimeField(
        label=_label(Event, "starts_at"), help_text=_("Copenhagen time.")
    )
    ends_at = CopenhagenDateTimeField(
        label=_label(Event, "ends_at"), help_text=_("Copenhagen time.")
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
        help_text=Event._meta.get_field("location").help_text,
    )
    capacity = forms.IntegerField(
        label=_label(Event, "capacity"),
        min_value=1,
        max_value=10_000,
        required=False,
        help_text=_("Citizens and staff together. Empty for no limit."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            validate_event_dates(
                starts_at=data.get("starts_at"),
                ends_at=data.get("ends_at"),
                opens_at=None,
                closes_at=None,
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                if field not in self.errors:
                    self.add_error(field, errors)
        starts = data.get("starts_at")
        if starts and starts <= timezone.now() and "starts_at" not in self.errors:
            self.add_error(
                "starts_at", _("The lab must be in the future: the citizens are invited to it.")
            )
        if not data.get("venue") and not (data.get("location") or "").strip():
            self.add_error("location", _("Choose a venue or write where the lab is."))
        return data


class AddIdeaForm(forms.Form):
    """One more open idea for an upcoming lab. Rendered with the ids "add-…", so it can share the
    lab's page with the agreement forms."""

    q = forms.CharField(
        label=_("Search the open ideas"),
        max_length=200,
        required=False,
        help_text=_("Words from the title or the description."),
    )
    idea = forms.ModelChoiceField(
        label=_("Idea to take to the lab"),
        queryset=labs.ideas_for_labs(),
        error_messages={
            "required": _("Choose an idea."),
            "invalid_choice": _("Only open ideas can be taken to a solution lab."),
        },
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "add-%s")
        super().__init__(*args, **kwargs)
        self.event = event

    def clean_idea(self) -> Any:
        idea = self.cleaned_data["idea"]
        if self.event.lab_ideas.filter(idea=idea).exists():
            raise ValidationError(_("The idea is already in this solution lab."))
        return idea

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.event.cancelled_at is not None:
            raise ValidationError(_("The solution lab has been cancelled."))
        if self.event.starts_at <= timezone.now():
            raise ValidationError(
                _("The solution lab has started; ideas can only be added before it starts.")
            )
        return data


class AgreementForm(forms.Form):
    """One agreement about one idea of the lab."""

    text = forms.CharField(
        label=_label(LabAgreement, "text"),
        max_length=2000,
        help_text=_("The citizen sees this on the idea's page. Write plainly."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner_department = forms.TypedChoiceField(
        label=_("Owner department"),
        coerce=int,
        help_text=_("The department that carries the agreement out."),
    )
    owner_user = forms.TypedChoiceField(
        label=_("Named owner"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Someone in the owner department. The citizen sees the name."),
    )
    follow_up_on = forms.DateField(
        label=_label(LabAgreement, "follow_up_on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When the owner reports back. Not in the past."),
    )

    def __init__(
        self,
        *args: Any,
        departments: list[Department],
        members: dict[int, list[tuple[int, str]]],
        **kwargs: Any,
    ) -> None:
        """`departments`: every department; `members`: {department id: [(user id, name)]}."""
        super().__init__(*args, **kwargs)
        self.departments = {d.pk: d for d in departments}
        self.members = members
        self.fields["owner_department"].choices = [
            ("", _("Choose a department")),
            *((d.pk, d.name) for d in departments),
        ]
        self.fields["owner_user"].choices = [
            ("", _("No named owner")),
            *((d.name, people) for d in departments if (people := members.get(d.pk))),
        ]

    def clean_follow_up_on(self) -> date:
        day = self.cleaned_data["follow_up_on"]
        if day < local_date(timezone.now()):
            raise ValidationError(_("The follow-up date cannot be in the past."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        department_id, user_id = data.get("owner_department"), data.get("owner_user")
        members = {pk for pk, _name in self.members.get(department_id, [])}
        if department_id is not None and user_id is not None and user_id not in members:
            self.add_error(
                "owner_user",
                _("The named owner must work in %(department)s.")
                % {"department": self.departments[department_id].name},
            )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        user_id = data.get("owner_user")
        return {
            "text": data["text"],
            "owner_department": self.departments[data["owner_department"]],
            "owner_user": User.objects.get(pk=user_id) if user_id else None,
            "follow_up_on": data["follow_up_on"],
        }


def department_members() -> dict[int, list[tuple[int, str]]]:
    """{department id: [(user id, name)]} of active staff, in one query (for AgreementForm)."""
    members: dict[int, list[tuple[int, str]]] = {}
    rows = (
        User.objects.filter(is_active=True, departments__isnull=False)
        .order_by("first_name", "last_name", "username")
        .values_list("pk", "first_name", "last_name", "username", "departments")
    )
    for pk, first, last, username, department_id in rows:
        members.setdefault(department_id, []).append((pk, f"{first} {last}".strip() or username))
    return members
