"""Reference data every part of the platform shares: who, where and what about."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def in_language(record: object, field: str) -> str:
    """`record.<field>_en` when the interface is English and it is filled in, else the Danish
    `<field>_da`: records written in both languages show the active one, never a blank."""
    english = getattr(record, f"{field}_en")
    if (get_language() or "da").startswith("en") and english:
        return english
    return getattr(record, f"{field}_da")


class Bilingual(models.Model):
    """A record whose name exists in Danish and English; `name` follows the active language.

    Reference data is shown in both interface languages, but it is data an administrator edits, not
    interface text, so it lives in the database rather than in the message catalogues.
    """

    name_da = models.CharField(_("name (Danish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "da").startswith("en") and self.name_en:
            return self.name_en
        return self.name_da


class Principle(Bilingual):
    """One of the five principles for københavnerdialog (1 core task … 5 diverse)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    summary_da = models.TextField(_("summary (Danish)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("principle")
        verbose_name_plural = _("principles")

    @property
    def summary(self) -> str:
        if (get_language() or "da").startswith("en") and self.summary_en:
            return self.summary_en
        return self.summary_da


class Department(Bilingual):
    """A forvaltning: the unit that owns opportunities and answers ideas."""

    abbreviation = models.CharField(_("abbreviation"), max_length=10, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    email_domain = models.CharField(_("e-mail domain"), max_length=100, blank=True)

    class Meta:
        ordering = ["name_da"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class District(models.Model):
    """A bydel. Numbered 1-10 as in the city's open data; the polygon is GeoJSON in EPSG:4326."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    geometry = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    area_m2 = models.PositiveIntegerField(_("area in m²"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class LocalCommittee(models.Model):
    """A lokaludvalg: twelve of them, two districts hold two each."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="local_committees",
        verbose_name=_("district"),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("local committee")
        verbose_name_plural = _("local committees")

    def __str__(self) -> str:
        return self.name


class Topic(Bilingual):
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        ordering = ["name_da"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Venue(models.Model):
    """A real place where meetings happen (cultural centres and libraries from the city's open data)."""

    class Kind(models.TextChoices):
        CULTURAL_CENTRE = "cultural_centre", _("Cultural centre")
        LIBRARY = "library", _("Library")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    address = models.CharField(_("address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="venues",
        verbose_name=_("district"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, toilets, hearing loop and the like."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(fields=["name", "address"], name="venue_unique_name_address")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_address(self) -> str:
        return ", ".join(
            part for part in [self.address, f"{self.postcode} {self.city}".strip()] if part
        )


class MailLog(models.Model):
    """One e-mail the platform sends: who it goes to, which template, when and how it went.

    The body is never stored (it may hold personal data and is rebuilt from `context` when sent).
    `key` names the event the mail belongs to (e.g. "idea:42:entry:381:citizen") and is unique, so
    queuing the same event twice gives one row, and the sending task sends a row at most once: it
    claims the row (queued/failed → sending) in its own transaction before talking to the mail
    server, marks it sent afterwards, and puts it back to failed when the server refuses, for
    the retry job to pick up. See sammen.core.mailing.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    key = models.CharField(_("event"), max_length=200, unique=True)
    template = models.CharField(_("template"), max_length=100)
    recipient = models.EmailField(
        _("recipient"), blank=True, help_text=_("Emptied when the person's data is erased.")
    )
    language = models.CharField(_("language"), max_length=5, default="da")
    context = models.JSONField(
        _("context"), default=dict, blank=True, help_text=_("Ids, never personal data.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")
        indexes = [models.Index(fields=["status", "updated_at"], name="maillog_status_updated")]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient} ({self.get_status_display()})"
