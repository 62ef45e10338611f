"""Staff forms of poster campaigns. They validate input; the services validate the domain again.

Plain Forms, not ModelForms (as elsewhere in the project): a ModelForm writes the posted values onto
the instance while validating, and a failed save must leave the page's campaign as it was.
"""

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sammen.campaigns import services
from sammen.campaigns.models import Campaign, Placement
from sammen.core.models import District
from sammen.core.workdays import COPENHAGEN
from sammen.participation.models import Channel, Opportunity
from sammen.participation.selectors import public_opportunities


def _label(model: Any, name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)


def _help(model: Any, name: str) -> Any:
    return model._meta.get_field(name).help_text


def _lazy_format(text: Any, **values: Any) -> Any:
    """`text % values`, evaluated when shown (in the language of the request), not at import."""
    return lazy(lambda: str(text) % {k: str(v) for k, v in values.items()}, str)()


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class OpportunityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Opportunity) -> str:
        return f"{obj.title} ({obj.channel.name})"


def featured_choices(campaign: Campaign | None, now: datetime) -> QuerySet[Opportunity]:
    """What may be featured: published opportunities still open when the campaign starts (today,
    for a new one), and whatever the campaign features already."""
    since = (
        datetime.combine(campaign.starts_on, datetime.min.time(), tzinfo=COPENHAGEN)
        if campaign
        else now
    )
    still_open = Q(closes_at__isnull=True) | Q(closes_at__gte=since)
    qs = public_opportunities().filter(still_open)
    if campaign is not None:
        qs = qs | Opportunity.objects.filter(pk__in=campaign.featured_opportunities.values("pk"))
    return qs.select_related("channel").distinct().order_by("closes_at", "title", "pk")


class CampaignForm(forms.Form):
    """Create or edit a campaign: every field of the model, the period checked as the service does."""

    year = forms.IntegerField(
        label=_label(Campaign, "year"),
        min_value=2015,
        max_value=2100,
        help_text=_("One campaign a year. The year is part of the campaign's addresses."),
    )
    theme_da = forms.CharField(label=_label(Campaign, "theme_da"), max_length=120)
    theme_en = forms.CharField(label=_label(Campaign, "theme_en"), max_length=120, required=False)
    message_da = forms.CharField(
        label=_label(Campaign, "message_da"),
        max_length=160,
        help_text=_(
            "The headline on the posters and the landing page, at most 160 characters. "
            "The shorter it is, the larger it is printed."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    message_en = forms.CharField(
        label=_label(Campaign, "message_en"),
        max_length=160,
        required=False,
        help_text=_("Shown on the English landing page; the posters are in Danish."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    intro_da = forms.CharField(
        label=_label(Campaign, "intro_da"),
        required=False,
        help_text=_("Plain text. A blank line starts a new paragraph."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    intro_en = forms.CharField(
        label=_label(Campaign, "intro_en"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    starts_on = forms.DateField(label=_label(Campaign, "starts_on"), widget=_DateInput())
    ends_on = forms.DateField(label=_label(Campaign, "ends_on"), widget=_DateInput())
    featured_opportunities = OpportunityChoiceField(
        label=_label(Campaign, "featured_opportunities"),
        queryset=Opportunity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_lazy_format(
            _(
                "Shown on the landing page, at most %(count)s. Published opportunities that are "
                "still open when the campaign starts."
            ),
            count=services.MAX_FEATURED,
        ),
    )
    channels = forms.ModelMultipleChoiceField(
        label=_label(Campaign, "channels"),
        queryset=Channel.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of influence the landing page explains."),
    )
    is_published = forms.BooleanField(
        label=_label(Campaign, "is_published"),
        required=False,
        help_text=_help(Campaign, "is_published"),
    )

    def __init__(self, *args: Any, campaign: Campaign | None = None, **kwargs: Any) -> None:
        self.campaign = campaign
        super().__init__(*args, **kwargs)
        self.fields["featured_opportunities"].queryset = featured_choices(campaign, timezone.now())

    @staticmethod
    def initial_for(campaign: Campaign) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(campaign, name) for name in services.CAMPAIGN_FIELDS
        }
        initial["featured_opportunities"] = list(
            campaign.featured_opportunities.values_list("pk", flat=True)
        )
        initial["channels"] = list(campaign.channels.values_list("pk", flat=True))
        return initial

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        taken = Campaign.objects.filter(year=year)
        if self.campaign is not None:
            taken = taken.exclude(pk=self.campaign.pk)
        if taken.exists():
            raise ValidationError(_("There is already a campaign for %(year)s.") % {"year": year})
        return year

    def clean_featured_opportunities(self) -> Any:
        chosen = self.cleaned_data["featured_opportunities"]
        if len(chosen) > services.MAX_FEATURED:
            raise ValidationError(
                _("Choose at most %(count)s opportunities; you chose %(chosen)s.")
                % {"count": services.MAX_FEATURED, "chosen": len(chosen)}
            )
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            services.validate_period(
                year=data.get("year"), starts_on=data.get("starts_on"), ends_on=data.get("ends_on")
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                if field not in self.errors:
                    self.add_error(field, errors)
        return data


class PlacementForm(forms.Form):
    """One poster site. Its short code is drawn by the service and never changes."""

    site_code = forms.CharField(
        label=_label(Placement, "site_code"),
        max_length=Placement._meta.get_field("site_code").max_length,
        help_text=_help(Placement, "site_code"),
    )
    address = forms.CharField(
        label=_label(Placement, "address"),
        max_length=Placement._meta.get_field("address").max_length,
        help_text=_("Street and number, or the corner, as the poster company writes it."),
    )
    district = forms.ModelChoiceField(
        label=_label(Placement, "district"),
        queryset=District.objects.order_by("number"),
        required=False,
        empty_label=_("No district"),
    )

    @staticmethod
    def initial_for(placement: Placement) -> dict[str, Any]:
        return {
            "site_code": placement.site_code,
            "address": placement.address,
            "district": placement.district_id,
        }


class ImportForm(forms.Form):
    """The poster company's list of sites as a CSV file (checked line by line by the service)."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_lazy_format(
            _(
                "Columns: site code, address and (optionally) district, with a header line. "
                "Separated by semicolons or commas, saved as UTF-8 (in Excel: “CSV UTF-8”). "
                "At most %(size)s."
            ),
            size=lazy(filesizeformat, str)(services.IMPORT_MAX_SIZE),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > services.IMPORT_MAX_SIZE:
            raise ValidationError(
                _("The file is larger than %(size)s.")
                % {"size": filesizeformat(services.IMPORT_MAX_SIZE)}
            )
        return upload
