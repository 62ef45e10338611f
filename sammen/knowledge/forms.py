"""Forms of the knowledge site. Every field validates on the server; errors name the field."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sammen.core.models import Department, District, Principle, Topic
from sammen.knowledge.models import Entry, Kind, Status, TargetGroup
from sammen.knowledge.uploads import check_upload

# Longer queries are cut, not refused (as in the public catalogue).
MAX_QUERY_LENGTH = 200
# Related opportunities are typed as numbers or pasted as links: "/muligheder/123/…" → 123.
_OPPORTUNITY_ID = re.compile(r"(?:^|/)(\d+)(?:/|$)")
MAX_OPPORTUNITIES = 20


class EntryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search words"), required=False, strip=True, widget=forms.SearchInput
    )
    kind = forms.MultipleChoiceField(
        label=pgettext_lazy("filter label", "Kind"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    principle = forms.ModelMultipleChoiceField(
        label=_("Principle"),
        queryset=Principle.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    department = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("filter label", "Department"),
        queryset=Department.objects.all(),
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
    target_group = forms.MultipleChoiceField(
        label=_("Target group"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:MAX_QUERY_LENGTH]


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class EntryForm(forms.ModelForm):
    """Every field of an entry; the method and example fields are in their own fieldsets."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opportunity_refs = forms.CharField(
        label=_("Related opportunities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The number or link of each opportunity, one per line."),
    )

    class Meta:
        model = Entry
        fields = [
            "title",
            "summary",
            "body",
            "principles",
            "departments",
            "topics",
            "purpose",
            "when_to_use",
            "steps",
            "duration",
            "cost",
            "participant_count",
            "participant_kind",
            "best_principle",
            "pitfalls",
            "district",
            "period_start",
            "period_end",
            "method_used",
            "reached",
            "reached_count",
            "outcome",
            "lessons",
            "is_public",
            "review_due",
        ]
        widgets = {
            "principles": forms.CheckboxSelectMultiple,
            "departments": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "when_to_use": forms.Textarea(attrs={"rows": 3}),
            "steps": forms.Textarea(attrs={"rows": 6}),
            "pitfalls": forms.Textarea(attrs={"rows": 3}),
            "reached": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 4}),
            "lessons": forms.Textarea(attrs={"rows": 4}),
            "period_start": _DateInput(),
            "period_end": _DateInput(),
            "review_due": _DateInput(),
        }
        help_texts = {
            "review_due": _("Empty: one year after publishing."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.defer("geometry", "description")
        methods = Entry.objects.filter(kind=Kind.METHOD, status=Status.PUBLISHED).order_by("title")
        if self.instance.pk:
            methods = methods.exclude(pk=self.instance.pk)
        self.fields["method_used"].queryset = methods.only("pk", "title")
        if self.instance.pk:
            self.fields["kind"].initial = self.instance.kind
            self.initial["target_groups"] = list(
                self.instance.target_group_rows.values_list("group", flat=True)
            )
            self.initial["opportunity_refs"] = "\n".join(
                str(pk) for pk in self.instance.opportunities.values_list("pk", flat=True)
            )

    def clean_opportunity_refs(self) -> list[Any]:
        from sammen.participation.models import Opportunity

        ids: list[int] = []
        for line in self.cleaned_data["opportunity_refs"].split():
            match = _OPPORTUNITY_ID.search(line.strip().split("?")[0])
            if not match:
                raise forms.ValidationError(
                    _("“%(value)s” is not the number or link of an opportunity."),
                    params={"value": line[:80]},
                )
            ids.append(int(match.group(1)))
        ids = list(dict.fromkeys(ids))
        if len(ids) > MAX_OPPORTUNITIES:
            raise forms.ValidationError(
                _("Link at most %(max)s opportunities."), params={"max": MAX_OPPORTUNITIES}
            )
        found = {o.pk: o for o in Opportunity.objects.filter(pk__in=ids).only("pk")}
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise forms.ValidationError(
                _("There is no opportunity with the number %(numbers)s."),
                params={"numbers": ", ".join(missing)},
            )
        return [found[pk] for pk in ids]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("is_public") and data.get("kind") != Kind.EXAMPLE:
            self.add_error(
                "is_public", _("Only a dialogue example can be shown on the public site.")
            )
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period cannot be before its start."))
        return data

    def _post_clean(self) -> None:
        # The service validates the model (with the owner it sets); nothing to do here.
        pass

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["target_groups"] = self.cleaned_data["target_groups"]
        data["opportunities"] = self.cleaned_data["opportunity_refs"]
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        # Keep in step with uploads.MAX_SIZE.
        help_text=_("PDF, image or office document, at most 10 MB."),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload)
        return upload


class ConsultantQuestionForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    message = forms.CharField(
        label=_("Your question"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "The department's dialogue consultants get it by e-mail and answer you directly. "
            "Leave out citizens' personal details."
        ),
    )


class ConsultantProfileForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(
        label=_("Work e-mail"),
        required=False,
        help_text=_("Leave empty to use the account's e-mail."),
    )
    expertise = forms.CharField(
        label=_("Areas of expertise"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One area per line, e.g. children and young people, local plans, surveys."),
    )
