"""The yearly poster campaign: the campaign, its poster sites and the reach counted per day.

Reach is counted without tracking anyone: a visit through a short link adds one to the counter
of its placement and day (`DailyReach`), and a visit that goes on to subscribe or submit an idea
adds one to that day's conversion counter, found by the placement code carried in the page's
URL and form. No cookie, IP address, user agent or per-visit row is stored anywhere.
"""

import secrets
from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sammen.core.models import District, in_language

# Short codes use lower-case letters and digits that cannot be mistaken for one another when
# typed from a poster: no 0/o, 1/l/i.
SHORT_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
SHORT_CODE_LENGTH = 5
SHORT_CODE_RE = rf"^[{SHORT_CODE_ALPHABET}]{{{SHORT_CODE_LENGTH}}}$"


def new_short_code() -> str:
    """A random short code; uniqueness is the database's to enforce (the caller retries)."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


class Campaign(models.Model):
    """One year's poster campaign, pointing Copenhageners to Få indflydelse."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2015)]
    )
    theme_da = models.CharField(_("theme (Danish)"), max_length=120)
    theme_en = models.CharField(_("theme (English)"), max_length=120, blank=True)
    message_da = models.CharField(
        _("poster message (Danish)"),
        max_length=160,
        help_text=_("The headline on the posters and the landing page."),
    )
    message_en = models.CharField(_("poster message (English)"), max_length=160, blank=True)
    intro_da = models.TextField(_("landing page text (Danish)"), blank=True)
    intro_en = models.TextField(_("landing page text (English)"), blank=True)
    starts_on = models.DateField(_("first day on the posters"))
    ends_on = models.DateField(_("last day on the posters"))
    featured_opportunities = models.ManyToManyField(
        "participation.Opportunity",
        blank=True,
        related_name="+",
        verbose_name=_("featured opportunities"),
    )
    channels = models.ManyToManyField(
        "participation.Channel",
        blank=True,
        related_name="+",
        verbose_name=_("featured ways to take part"),
    )
    is_published = models.BooleanField(
        _("landing page published"),
        default=False,
        help_text=_("Short links work either way; the landing page is public only when published."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.theme}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:landing", args=[self.year])

    @property
    def theme(self) -> str:
        return in_language(self, "theme")

    @property
    def message(self) -> str:
        return in_language(self, "message")

    @property
    def intro(self) -> str:
        return in_language(self, "intro")

    def runs_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Placement(models.Model):
    """One poster site (a poster column, usually) with its own short link `/k/<code>`."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="placements", verbose_name=_("campaign")
    )
    code = models.CharField(
        _("short code"),
        max_length=SHORT_CODE_LENGTH,
        unique=True,
        default=new_short_code,
        validators=[RegexValidator(SHORT_CODE_RE)],
        editable=False,
    )
    site_code = models.CharField(
        _("poster site code"),
        max_length=40,
        help_text=_("The poster column's own number or code, as the poster company names it."),
    )
    address = models.CharField(_("address"), max_length=200)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["campaign", "site_code"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "site_code"], name="placement_site_unique_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"{self.site_code} ({self.address})"

    def short_path(self) -> str:
        return reverse("short_link", args=[self.code])


class DailyReach(models.Model):
    """Counters for one placement on one day (Copenhagen date). Nothing about who visited."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="reach", verbose_name=_("placement")
    )
    day = models.DateField(_("day"))
    visits = models.PositiveIntegerField(_("visits"), default=0)
    subscriptions = models.PositiveIntegerField(_("subscriptions"), default=0)
    ideas = models.PositiveIntegerField(_("ideas submitted"), default=0)

    class Meta:
        ordering = ["day"]
        verbose_name = _("reach per day")
        verbose_name_plural = _("reach per day")
        constraints = [
            models.UniqueConstraint(fields=["placement", "day"], name="reach_one_row_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.placement.code} {self.day}: {self.visits}"
