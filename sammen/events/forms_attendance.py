"""Forms of the attendance pages: the check-in desk (search and ticket code) and the survey."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sammen.core.models import Principle

# Names are searched with every word; a longer query is someone pasting by mistake.
MAX_SEARCH_LENGTH = 100

RATING_CHOICES = [
    (5, _("5 – Very good")),
    (4, _("4 – Good")),
    (3, _("3 – Neither good nor poor")),
    (2, _("2 – Poor")),
    (1, _("1 – Very poor")),
]


class CheckinSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name"),
        max_length=MAX_SEARCH_LENGTH,
        error_messages={"required": _("Type a name to search for.")},
        strip=True,
        widget=forms.SearchInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def words(self) -> list[str]:
        """The words of a valid query (empty when there is nothing to search for)."""
        if not self.is_valid():
            return []
        return self.cleaned_data["q"].split()


class TicketCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        help_text=_("The letters and digits under the QR code on the ticket."),
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "input-width-s",
            }
        ),
    )


class FeedbackForm(forms.Form):
    """The four questions of the survey; only the rating must be answered."""

    rating = forms.TypedChoiceField(
        label=_("Overall, how was the event?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the event was overall.")},
    )
    will_use = forms.CharField(
        label=_("What will you use in your work?"),
        help_text=_("An idea, a method or a contact: anything you take with you."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    principle = forms.ModelChoiceField(
        label=_("Which of the principles did the event help you with?"),
        queryset=Principle.objects.order_by("number"),
        required=False,
        empty_label=_("None in particular"),
        blank=True,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell the organisers?"),
        help_text=_("Only the organisers read what you write here."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # Numbered as in the municipality's own list: "3. Tidlig inddragelse".
        self.fields["principle"].label_from_instance = lambda p: f"{p.number}. {p.name}"
