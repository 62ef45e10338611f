"""Forms of the citizen's pages (contact details, erasure) and the public idea board (filters,
follow). Each field has a size limit; errors name the field and say what to do."""

import re

from django import forms
from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sammen.core.models import District, Topic
from sammen.ideas.board import PublicState
from sammen.ideas.models import Idea

# Longer queries are cut, not refused (as on the opportunity list).
MAX_QUERY_LENGTH = 200
# Digits with the usual separators and an optional leading +, e.g. "+45 33 66 33 66".
_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{5,38}$")
# Each language in its own name, as in the header's language links.
_NATIVE_LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}


def _language_choices() -> list[tuple[str, str]]:
    return [(code, _NATIVE_LANGUAGE_NAMES.get(code, name)) for code, name in settings.LANGUAGES]


class _EmailField(forms.EmailField):
    def __init__(self, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault(
            "widget", forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
        )
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Write an e-mail address like name@example.dk.")},
        )
        super().__init__(**kwargs)

    def clean(self, value):  # type: ignore[no-untyped-def]
        return BaseUserManager.normalize_email(super().clean(value).strip())


class ContactDetailsForm(forms.Form):
    """Correct the submitter's contact details (GDPR art. 16)."""

    contact_name = forms.CharField(
        label=_("Name"),
        max_length=Idea._meta.get_field("contact_name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Write your name.")},
    )
    email = _EmailField(
        label=_("E-mail address"),
        help_text=_("We send news about your idea here."),
        error_messages={
            "required": _("Write your e-mail address."),
            "invalid": _("Write an e-mail address like name@example.dk."),
        },
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=Idea._meta.get_field("phone").max_length,
        help_text=_("Only if you would like us to be able to call you."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mails"), choices=_language_choices, widget=forms.RadioSelect
    )

    def clean_contact_name(self) -> str:
        return self.cleaned_data["contact_name"].strip()

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(
                _("Write the phone number with digits only, for example 33 66 33 66."),
                code="invalid",
            )
        return phone


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that my personal data is erased, and that the municipality can no "
            "longer answer me about this idea."
        ),
        error_messages={"required": _("Tick the box to confirm that you want your data erased.")},
    )


class FollowForm(forms.Form):
    email = _EmailField(
        label=_("E-mail address"),
        help_text=_("We send you a link to confirm. Nothing else is sent until you click it."),
        error_messages={
            "required": _("Write your e-mail address."),
            "invalid": _("Write an e-mail address like name@example.dk."),
        },
    )


class BoardFilterForm(forms.Form):
    """The board's filters, as a GET form; values are slugs so a filtered list can be linked."""

    q = forms.CharField(
        label=_("Search words"), required=False, strip=True, widget=forms.SearchInput
    )
    state = forms.MultipleChoiceField(
        label=_("Status"),
        choices=PublicState.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    district = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("filter label", "District"),
        queryset=District.objects.only("id", "number", "name", "slug"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topic = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("filter label", "Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:MAX_QUERY_LENGTH]
