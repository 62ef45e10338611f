"""Få indflydelse: the kinds of influence (channels) and the concrete chances to use them."""

import secrets
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sammen.core.models import Bilingual, Department, District, Principle, Topic, Venue

# "Closing soon" means the response deadline is within this many days (issue: 7 days).
CLOSING_SOON_DAYS = 7

# Stands in for "never" where an opportunity has no closing date (a standing channel, say).
NEVER_CLOSES = datetime(9999, 1, 1, tzinfo=UTC)


def closes_or_never() -> Coalesce:
    """`closes_at`, or NEVER_CLOSES when there is none: what lists sort and filter "open" by.

    "Not closed" as `closes_at > now OR closes_at IS NULL` cannot use an index, so with 100,000
    rows PostgreSQL walked past every closed one to find a page of open ones. This expression is
    never NULL, sorts those without a date last (like NULLS LAST), and has its own index (Meta).
    """
    return Coalesce("closes_at", models.Value(NEVER_CLOSES, output_field=models.DateTimeField()))


def _localised(obj: models.Model, field: str) -> str:
    if (get_language() or "da").startswith("en"):
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_da", "")


class Channel(Bilingual):
    """A kind of influence: hearings, public meetings, funding pools, the citizen panel, …"""

    slug = models.SlugField(_("slug"), unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    description_da = models.TextField(_("what it is (Danish)"), blank=True)
    description_en = models.TextField(_("what it is (English)"), blank=True)
    who_da = models.TextField(_("who may take part (Danish)"), blank=True)
    who_en = models.TextField(_("who may take part (English)"), blank=True)
    how_da = models.TextField(_("how to take part (Danish)"), blank=True)
    how_en = models.TextField(_("how to take part (English)"), blank=True)
    run_by_da = models.TextField(_("who runs it (Danish)"), blank=True)
    run_by_en = models.TextField(_("who runs it (English)"), blank=True)
    response_time_da = models.CharField(
        _("usual time to an answer (Danish)"), max_length=200, blank=True
    )
    response_time_en = models.CharField(
        _("usual time to an answer (English)"), max_length=200, blank=True
    )
    url = models.URLField(
        _("where it lives"), blank=True, help_text=_("The channel's own website, if it has one.")
    )

    class Meta:
        ordering = ["order", "name_da"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def get_absolute_url(self) -> str:
        return reverse("participation:channel_detail", kwargs={"slug": self.slug})

    @property
    def description(self) -> str:
        return _localised(self, "description")

    @property
    def who(self) -> str:
        return _localised(self, "who")

    @property
    def how(self) -> str:
        return _localised(self, "how")

    @property
    def run_by(self) -> str:
        return _localised(self, "run_by")

    @property
    def response_time(self) -> str:
        return _localised(self, "response_time")


class OpportunityStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSING_SOON = "closing_soon", _("Closing soon")
    CLOSED = "closed", _("Closed")
    OUTCOME_PUBLISHED = "outcome", _("Outcome published")


class Opportunity(models.Model):
    """One concrete chance to influence the city: a hearing, a meeting, a pool round, …

    Dates: `start_at` is when it begins (a hearing period opens, a meeting starts), `end_at` when a
    meeting ends, `deadline` the last moment to respond. The status follows from these and from the
    outcome (see `status_at`); nothing stores it, so it can never go stale.
    """

    class Source(models.TextChoices):
        LOCAL = "local", _("Written here")
        OS2AGORA = "os2agora", _("Imported from the hearing portal")

    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("channel")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=False)
    summary = models.CharField(
        _("summary"), max_length=500, help_text=_("One or two sentences shown in lists.")
    )
    body = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language of the text"), max_length=5, default="da", choices=settings.LANGUAGES
    )

    departments = models.ManyToManyField(
        Department, related_name="opportunities", verbose_name=_("departments")
    )
    districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="opportunities",
        verbose_name=_("districts"),
        help_text=_("Leave empty when it concerns the whole city."),
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="opportunities", verbose_name=_("topics")
    )
    principles = models.ManyToManyField(
        Principle, blank=True, related_name="opportunities", verbose_name=_("principles")
    )

    start_at = models.DateTimeField(_("starts"), null=True, blank=True)
    end_at = models.DateTimeField(_("ends"), null=True, blank=True)
    deadline = models.DateTimeField(_("response deadline"), null=True, blank=True)
    # The moment after which one can no longer take part; indexed for "sort by deadline".
    closes_at = models.GeneratedField(
        expression=Coalesce("deadline", "end_at", "start_at"),
        output_field=models.DateTimeField(),
        db_persist=True,
        verbose_name=_("closes"),
    )

    venue = models.ForeignKey(
        Venue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("venue"),
    )
    location = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("When the venue is not in the list.")
    )
    online_url = models.URLField(_("online link"), blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    participation_url = models.URLField(
        _("where to take part"),
        blank=True,
        help_text=_("A link to respond, register or read more."),
    )

    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.LOCAL
    )
    external_id = models.CharField(_("id in the source"), max_length=100, blank=True)
    external_url = models.URLField(_("page in the source"), blank=True)

    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        _("withdrawn"),
        null=True,
        blank=True,
        help_text=_("Set when the source no longer lists it."),
    )

    outcome = models.TextField(_("what came of it"), blank=True)
    outcome_published_at = models.DateTimeField(_("outcome published"), null=True, blank=True)

    # Danish-stemmed words of title, summary and body, fed to SQLite's FTS5 index (see search.py).
    search_stems = models.TextField(editable=False, blank=True, default="")

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
        ordering = ["closes_at", "pk"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(fields=["is_published", "closes_at"], name="opp_published_closes"),
            models.Index(fields=["is_published", "published_at"], name="opp_published_newest"),
            # The public lists: what is open or upcoming, soonest closing first (selectors).
            models.Index(
                closes_or_never(),
                "id",
                name="opp_public_closes",
                condition=models.Q(is_published=True, withdrawn_at__isnull=True),
            ),
            # "What came of it": the newest outcomes first.
            models.Index(
                fields=["outcome_published_at", "id"],
                name="opp_outcome_published",
                condition=models.Q(outcome_published_at__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="opportunity_unique_external_id",
            ),
            models.CheckConstraint(
                condition=models.Q(end_at__isnull=True)
                | models.Q(start_at__isnull=True)
                | models.Q(end_at__gte=models.F("start_at")),
                name="opportunity_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "participation:opportunity_detail", kwargs={"pk": self.pk, "slug": self.slug or "-"}
        )

    def status_at(self, now: datetime) -> OpportunityStatus:
        """The status at a moment. Mirrors selectors.filter_status, which does the same in SQL."""
        if self.outcome_published_at:
            return OpportunityStatus.OUTCOME_PUBLISHED
        closes = self.deadline or self.end_at or self.start_at
        if closes and closes <= now:
            return OpportunityStatus.CLOSED
        if self.deadline and self.start_at and self.start_at > now:
            return OpportunityStatus.UPCOMING
        if self.deadline and self.deadline <= now + timedelta(days=CLOSING_SOON_DAYS):
            return OpportunityStatus.CLOSING_SOON
        return OpportunityStatus.OPEN

    @property
    def status(self) -> OpportunityStatus:
        return self.status_at(timezone.now())

    @property
    def is_whole_city(self) -> bool:
        """True when no district is set. Uses the prefetched districts when there are some."""
        return not self.districts.all()


class OpportunityChange(models.Model):
    """The audit trail of an opportunity: who changed what, when (staff, importer or system)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        OUTCOME = "outcome", _("Outcome added")
        IMPORTED = "imported", _("Imported")
        WITHDRAWN = "withdrawn", _("Withdrawn by the source")

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    changes = models.JSONField(
        _("changes"), default=dict, blank=True, help_text=_("Field name → [before, after].")
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("change")
        verbose_name_plural = _("changes")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """An e-mail address that follows districts, topics and channels and gets a weekly digest.

    Double opt-in: nothing is sent but the confirmation until `confirmed_at` is set; unconfirmed
    rows are deleted after 7 days. The token is the only key in links (confirm, unsubscribe).
    """

    email = models.EmailField(_("e-mail"))
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="da"
    )
    districts = models.ManyToManyField(
        District, blank=True, related_name="+", verbose_name=_("districts")
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="+", verbose_name=_("topics"))
    channels = models.ManyToManyField(
        Channel, blank=True, related_name="+", verbose_name=_("channels")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_digest_at = models.DateTimeField(_("last digest sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [
            models.Index(fields=["confirmed_at", "last_digest_at"], name="subscription_digest_due")
        ]

    def __str__(self) -> str:
        return f"{_('Subscription')} #{self.pk}"
