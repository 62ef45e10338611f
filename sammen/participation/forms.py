"""Forms of the public catalogue. The filter form is shared by the list page, feeds, CSV and API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sammen.core.models import Department, District, Principle, Topic
from sammen.participation.models import Channel, OpportunityStatus

WHOLE_CITY = "hele-byen"
# Longer queries are cut, not refused: nobody means 10,000 characters, and a result beats an error.
MAX_QUERY_LENGTH = 200


class DistrictChoiceField(forms.ModelMultipleChoiceField):
    """Districts by slug, plus the pseudo-district "the whole city" (opportunities with no district)."""

    def clean(self, value):  # type: ignore[no-untyped-def]
        values = list(value or [])
        whole_city = WHOLE_CITY in values
        rest = [v for v in values if v != WHOLE_CITY]
        districts = super().clean(rest) if rest else District.objects.none()
        return {"districts": list(districts), "whole_city": whole_city}


class OpportunityFilterForm(forms.Form):
    SORT_DEADLINE = "deadline"
    SORT_NEWEST = "newest"
    SORT_RELEVANCE = "relevance"

    q = forms.CharField(label=_("Search"), required=False, strip=True)
    channel = forms.ModelMultipleChoiceField(
        label=_("Way to take part"),
        queryset=Channel.objects.all(),
        to_field_name="slug",
        required=False,
    )
    district = DistrictChoiceField(
        label=_("District"), queryset=District.objects.all(), to_field_name="slug", required=False
    )
    department = forms.ModelMultipleChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        to_field_name="slug",
        required=False,
    )
    topic = forms.ModelMultipleChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), to_field_name="slug", required=False
    )
    principle = forms.ModelMultipleChoiceField(
        label=_("Principle"), queryset=Principle.objects.all(), to_field_name="slug", required=False
    )
    status = forms.MultipleChoiceField(
        label=_("Status"), choices=OpportunityStatus.choices, required=False
    )
    closing_soon = forms.BooleanField(label=_("Closes within 7 days"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            (SORT_DEADLINE, _("Deadline")),
            (SORT_NEWEST, _("Newest")),
            (SORT_RELEVANCE, _("Best match")),
        ],
        required=False,
    )

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:MAX_QUERY_LENGTH]
