"""The citizen's idea form, in three steps, and the draft that carries it between them.

Step 1 (`IdeaStepForm`): the idea. Step 2 (`AboutStepForm`): about you. Step 3 (`SendStepForm`):
the consent to be contacted and the attachments, on the summary page with the Send button.

The draft lives in the session as what was typed (strings, as the browser sent them), not as
cleaned objects: each step's form is rebuilt from it and validated again before sending, so a
district renamed meanwhile or a tampered session can never reach the database unchecked, and a
citizen going back with "change" sees exactly what they typed. Files are never kept in the draft:
a browser cannot re-send a chosen file, so they are chosen on the last step, just before sending.

Every text field has a size limit with a Danish message naming the limit (issue §1: "a size limit
on every field"); the limits are those of the model fields.
"""

import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.sessions.backends.base import SessionBase
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from sammen.campaigns.reach import normalise_code
from sammen.core.models import District, Topic
from sammen.ideas.models import HelpNeeded, SubmitterKind
from sammen.ideas.uploads import MAX_FILES, check_attachments

# The pseudo-district "the whole city" among the district choices.
WHOLE_CITY = "whole-city"
# Each language in its own name, as in the header's language links.
NATIVE_LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}
# Digits with the usual separators, optionally an international prefix: "12 34 56 78", "+45 ...".
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()./-]{5,38}$")


class WhereField(forms.MultipleChoiceField):
    """The districts (and "the whole city"). Shown as required, since the question must be
    answered, but it may be left empty when an address is given: the form checks the pair."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, required=True, **kwargs)

    def validate(self, value: Any) -> None:
        if value:
            super().validate(value)


class IdeaStepForm(forms.Form):
    """Step 1: what the idea is, where, about what, and what help it needs."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A short headline, for example “Benches along the Lakes”."),
        error_messages={
            "required": _("Write a title for your idea."),
            "max_length": _(
                "The title can be at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    description = forms.CharField(
        label=_("What is your idea?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What do you want to do or change, and why? Who will it help? At most 5,000 characters."
        ),
        error_messages={
            "required": _("Describe your idea."),
            "max_length": _(
                "The description can be at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    districts = WhereField(
        label=_("Where in the city?"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Choose one or more districts, or the whole city. "
            "You can also give an address or a place below."
        ),
        error_messages={"invalid_choice": _("Choose from the listed districts.")},
    )
    address = forms.CharField(
        label=_("Address or place"),
        max_length=200,
        required=False,
        help_text=_("For example “Nørrebroparken” or “Jagtvej 69”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "max_length": _(
                "The address can be at most %(limit_value)d characters (it has %(show_value)d)."
            )
        },
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose the topics your idea is about, if any fit."),
        error_messages={"invalid_choice": _("Choose from the listed topics.")},
    )
    help_needed = forms.MultipleChoiceField(
        label=_("What help do you need from the municipality?"),
        choices=HelpNeeded.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose all that fit. Choose “Other” if you are not sure."),
        error_messages={
            "required": _("Choose at least one kind of help."),
            "invalid_choice": _("Choose from the listed kinds of help."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One query each; the labels follow the active language (Bilingual.name).
        self.district_objects = {
            d.slug: d for d in District.objects.only("id", "number", "name", "slug")
        }
        self.topic_objects = {t.slug: t for t in Topic.objects.all()}
        self.fields["districts"].choices = [
            (WHOLE_CITY, _("The whole city")),
            *((slug, d.name) for slug, d in self.district_objects.items()),
        ]
        self.fields["topics"].choices = [(slug, t.name) for slug, t in self.topic_objects.items()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        chosen = cleaned.get("districts") or []
        whole_city = WHOLE_CITY in chosen
        if "districts" not in self.errors:
            if whole_city and (len(chosen) > 1 or cleaned.get("address")):
                self.add_error(
                    "districts",
                    _(
                        "Choose either the whole city, or districts and an address, not both: "
                        "untick “The whole city” or the rest."
                    ),
                )
            elif not chosen and not cleaned.get("address") and "address" not in self.errors:
                self.add_error(
                    "districts",
                    _(
                        "Choose where the idea is: one or more districts, the whole city, or an address."
                    ),
                )
        cleaned["whole_city"] = whole_city
        cleaned["district_objects"] = [
            self.district_objects[slug] for slug in chosen if slug in self.district_objects
        ]
        cleaned["topic_objects"] = [
            self.topic_objects[slug]
            for slug in cleaned.get("topics") or []
            if slug in self.topic_objects
        ]
        return cleaned

    def help_needed_labels(self) -> list[str]:
        return [str(HelpNeeded(value).label) for value in self.cleaned_data["help_needed"]]


class AboutStepForm(forms.Form):
    """Step 2: who sends the idea and how we reach them."""

    submitter_kind = forms.ChoiceField(
        label=_("Who is sending the idea?"),
        choices=SubmitterKind.choices,
        initial=SubmitterKind.PERSON,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is sending the idea.")},
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        help_text=_("On behalf of an association or a business? Write its name and yours."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Write your name."),
            "max_length": _(
                "The name can be at most %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_(
            "We send you a link to confirm the address. The idea is sent only when you open it."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Write your e-mail address."),
            "invalid": _("Write the e-mail address in the form name@example.dk."),
            "max_length": _(
                "The e-mail address can be at most %(limit_value)d characters "
                "(it has %(show_value)d)."
            ),
        },
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("If you would rather talk than write."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={
            "max_length": _(
                "The phone number can be at most %(limit_value)d characters "
                "(it has %(show_value)d)."
            )
        },
    )
    language = forms.ChoiceField(
        label=_("Which language should we write to you in?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a language.")},
    )
    consent_publish = forms.BooleanField(
        label=_("Yes, my idea may be shown on the public idea board"),
        required=False,
        help_text=_(
            "Others can then read the title, the text, the place and the topics, and follow the "
            "idea. Your name and contact details are never shown. You can say no and still send "
            "the idea."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, NATIVE_LANGUAGE_NAMES.get(code, name)) for code, name in settings.LANGUAGES
        ]
        current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        codes = [code for code, _name in settings.LANGUAGES]
        self.fields["language"].initial = current if current in codes else settings.LANGUAGE_CODE

    def clean_email(self) -> str:
        return BaseUserManager.normalize_email(self.cleaned_data["email"].strip())

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(
                _(
                    "Write the phone number with digits, for example 12 34 56 78 or +45 12 34 56 78."
                ),
                code="invalid",
            )
        return phone


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; `clean` returns the list (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class SendStepForm(forms.Form):
    """Step 3, on the summary page: the consent to be contacted and the attachments."""

    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
    )
    consent_contact = forms.BooleanField(
        label=_("I agree that the municipality may contact me about my idea"),
        error_messages={
            "required": _(
                "Tick the box to agree that we may contact you. "
                "Without it we cannot handle your idea."
            )
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = ngettext(
            "Up to %(count)d file: PDF, JPEG or PNG, at most 10 MB.",
            "Up to %(count)d files: PDF, JPEG or PNG, each at most 10 MB. To choose several, "
            "hold down Ctrl (Cmd on a Mac) while you click them.",
            MAX_FILES,
        ) % {"count": MAX_FILES}

    def clean_attachments(self) -> list[Any]:
        """Each file checked by its content (`uploads.check_attachments`); cleaned to the checks."""
        return check_attachments(self.cleaned_data.get("attachments") or [])


# --- the draft in the session --------------------------------------------------------------------

SESSION_KEY = "ideas_submit_draft"
# After sending, only a masked address is kept, for the "check your e-mail" page.
SENT_SESSION_KEY = "ideas_submit_sent"
STEP_FORMS: dict[str, type[forms.Form]] = {"idea": IdeaStepForm, "about": AboutStepForm}


class Draft:
    """What the citizen has typed so far, per step, kept in the session between requests."""

    def __init__(self, session: SessionBase) -> None:
        self.session = session
        self.data: dict[str, dict[str, list[str]]] = dict(session.get(SESSION_KEY) or {})

    def has(self, step: str) -> bool:
        return step in self.data

    def save(self, step: str, form: forms.Form) -> None:
        """Keep the typed values of a valid step (never files)."""
        self.data[step] = {
            name: [str(v) for v in form.data.getlist(form.add_prefix(name))] for name in form.fields
        }
        self.session[SESSION_KEY] = self.data

    def form(self, step: str) -> forms.Form:
        """The step's form bound to the draft's values (unbound when the step has none yet)."""
        form_class = STEP_FORMS[step]
        if step not in self.data:
            return form_class()
        return form_class(data=MultiValueDict(self.data[step]))

    def clear(self) -> None:
        self.data = {}
        self.session.pop(SESSION_KEY, None)


def first_invalid_step(forms_by_step: dict[str, forms.Form]) -> str | None:
    """The first step whose form is missing from the draft or no longer valid."""
    for step, form in forms_by_step.items():
        if not form.is_bound or not form.is_valid():
            return step
    return None


def submission_data(idea_form: IdeaStepForm, about_form: AboutStepForm) -> dict[str, Any]:
    """The keyword arguments of `services.idea_submit` from the two valid steps."""
    idea = idea_form.cleaned_data
    about = about_form.cleaned_data
    return {
        "title": idea["title"],
        "description": idea["description"],
        "districts": idea["district_objects"],
        "address": idea["address"],
        "topics": idea["topic_objects"],
        "help_needed": idea["help_needed"],
        "submitter_kind": about["submitter_kind"],
        "contact_name": about["contact_name"],
        "email": about["email"],
        "phone": about["phone"],
        "language": about["language"],
        "consent_publish": about["consent_publish"],
    }


def campaign_code(*sources: Any) -> str:
    """The short code of the poster the citizen came from, from the first source that has it.

    It travels only in the steps' URLs (`?campaign=`) and a hidden field of their forms, never in
    the draft, so it is kept neither in the session nor on the idea: sending the idea adds one to
    that poster's counter, and that is all (`sammen.campaigns.reach`). "" when there is none or the
    text cannot be a code.
    """
    for source in sources:
        code = normalise_code(source.get("campaign"))
        if code:
            return code
    return ""


def with_campaign(url: str, campaign: str, **params: str) -> str:
    """`url` with `params` and, when there is one, the poster's code in its query string."""
    query = {**params, **({"campaign": campaign} if campaign else {})}
    return f"{url}?{urlencode(query)}" if query else url


def masked_email(email: str) -> str:
    """ "k****@example.dk": enough for the citizen to recognise, little for anyone else."""
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 3)}@{domain}"


class ResendLinkForm(forms.Form):
    """Ask for the tracking links of one's ideas again."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The address you sent your ideas from."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Write your e-mail address."),
            "invalid": _("Write the e-mail address in the form name@example.dk."),
            "max_length": _(
                "The e-mail address can be at most %(limit_value)d characters "
                "(it has %(show_value)d)."
            ),
        },
    )

    def clean_email(self) -> str:
        return BaseUserManager.normalize_email(self.cleaned_data["email"].strip())
