"""Forms of the public catalogue. The filter form is shared by the list page, feeds, CSV and API."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sammen.campaigns.reach import normalise_code
from sammen.core.models import Department, District, Principle, Topic
from sammen.participation.models import Channel, OpportunityStatus

WHOLE_CITY = "hele-byen"
# Longer queries are cut, not refused: nobody means 10,000 characters, and a result beats an error.
MAX_QUERY_LENGTH = 200


class _WholeCityFirst(ModelChoiceIterator):
    """The districts as choices, with "the whole city" first so a form can offer it."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        yield (WHOLE_CITY, _("Whole city"))
        yield from super().__iter__()

    def __len__(self) -> int:
        return super().__len__() + 1


class DistrictChoiceField(forms.ModelMultipleChoiceField):
    """Districts by slug, plus the pseudo-district "the whole city" (opportunities with no district)."""

    iterator = _WholeCityFirst

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

    # Its own label: "Search" is the button that sends the form.
    q = forms.CharField(
        label=_("Search words"), required=False, strip=True, widget=forms.SearchInput
    )
    channel = forms.ModelMultipleChoiceField(
        label=_("Way to take part"),
        queryset=Channel.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # "District", "Department" and "Topic" are also singular/plural headings in the templates; one
    # msgid cannot be both a plain text and a plural, so the filter labels have a context.
    district = DistrictChoiceField(
        label=pgettext_lazy("filter label", "District"),
        # The boundaries are large and not needed to choose: leave them in the database.
        queryset=District.objects.defer("geometry", "description"),
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
    principle = forms.ModelMultipleChoiceField(
        label=_("Principle"),
        queryset=Principle.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=OpportunityStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
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


class SubscriptionForm(forms.Form):
    """Subscribe to a weekly e-mail. Choices are slugs, the same parameters as the list filters,
    so any page can link to a prefilled form: `?district=noerrebro&topic=trafik`.

    Cleaned data adds `districts`, `topics`, `channels` (objects; an empty list means "any").
    "Every district" is the explicit way to ask for everything. `campaign` is the short code of
    the poster the visitor came from (or ""), only to count the subscription for that poster; it
    is never stored with the subscription.
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send you a link to confirm. Nothing else is sent until you click it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    district = forms.MultipleChoiceField(
        label=_("Districts"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Opportunities that concern the whole city are always included."),
    )
    topic = forms.MultipleChoiceField(
        label=_("Topics"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to hear about every topic."),
    )
    channel = forms.MultipleChoiceField(
        label=_("Ways to take part"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to hear about every way to take part."),
    )
    language = forms.ChoiceField(label=_("Language of the e-mails"), widget=forms.RadioSelect)
    # A poster campaign's code, carried from the short link; never shown, never an error.
    campaign = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        from django.conf import settings
        from django.utils.translation import get_language

        super().__init__(*args, **kwargs)
        # Read once per form; labels follow the active language (Bilingual.name).
        self._districts = {d.slug: d for d in District.objects.only("id", "number", "name", "slug")}
        self._topics = {t.slug: t for t in Topic.objects.all()}
        self._channels = {c.slug: c for c in Channel.objects.all()}
        self.fields["district"].choices = [
            (WHOLE_CITY, _("Every district (the whole city)")),
            *((slug, d.name) for slug, d in self._districts.items()),
        ]
        self.fields["topic"].choices = [(slug, t.name) for slug, t in self._topics.items()]
        self.fields["channel"].choices = [(slug, c.name) for slug, c in self._channels.items()]
        # Each language in its own name, as in the header's language links.
        native = {"da": "Dansk", "en": "English"}
        self.fields["language"].choices = [
            (code, native.get(code, name)) for code, name in settings.LANGUAGES
        ]
        current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        self.fields["language"].initial = current if current in native else settings.LANGUAGE_CODE

    @staticmethod
    def initial_from(query) -> dict:  # type: ignore[no-untyped-def]
        """Initial values from a query string; unknown slugs are simply not ticked."""
        return {
            "district": query.getlist("district"),
            "topic": query.getlist("topic"),
            "channel": query.getlist("channel"),
            "campaign": query.get("campaign", ""),
        }

    def clean_email(self) -> str:
        from django.contrib.auth.base_user import BaseUserManager

        return BaseUserManager.normalize_email(self.cleaned_data["email"].strip())

    def clean_campaign(self) -> str:
        return normalise_code(self.cleaned_data["campaign"]) or ""

    def clean(self) -> dict:
        cleaned = super().clean()
        districts = cleaned.get("district") or []
        topics = cleaned.get("topic") or []
        channels = cleaned.get("channel") or []
        if not (districts or topics or channels) and "district" not in self.errors:
            self.add_error(
                "district",
                _(
                    "Choose at least one district, topic or way to take part. "
                    "To hear about everything, choose every district."
                ),
            )
        # "Every district" includes each single district, so it wins over them.
        cleaned["districts"] = (
            [] if WHOLE_CITY in districts else [self._districts[s] for s in districts]
        )
        cleaned["topics"] = [self._topics[s] for s in topics]
        cleaned["channels"] = [self._channels[s] for s in channels]
        return cleaned
