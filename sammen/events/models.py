"""Events: the yearly conference with its marketplace, the morning meetings on the principles,
solution labs, network meetings and citizen events; their programme, registrations, check-in and
feedback.

Only `sammen.events.services` writes registrations (capacity, waitlist and promotion are decided
there under a row lock on the event). A public event is shown on Få indflydelse through one link,
`Event.opportunity`, to the catalogue's Opportunity (kept in step by the services), not a copy of
the event in another table.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.core.models import Department, Principle, Venue
from sammen.ideas.models import Idea
from sammen.knowledge.models import Entry
from sammen.participation.models import Opportunity

# Ticket codes: short, typed by hand at the door, so no 0/O, 1/I/L.
TICKET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TICKET_LENGTH = 8


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_ticket_code() -> str:
    return "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))


class Kind(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    MORNING_MEETING = "morning_meeting", _("Morning meeting")
    SOLUTION_LAB = "solution_lab", _("Solution lab")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    CITIZEN_EVENT = "citizen_event", _("Citizen event")


class Audience(models.TextChoices):
    STAFF = "staff", _("Staff only")
    PUBLIC = "public", _("Open to the public")


class Series(models.Model):
    """A recurring series, e.g. the morning meetings, whose editions each focus one principle."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["title"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.STAFF
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    series = models.ForeignKey(
        Series,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("series"),
    )
    principle = models.ForeignKey(
        Principle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("principle in focus"),
    )
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("venue"),
    )
    location = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("When the venue is not in the list.")
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, toilets, hearing loop, sign language and the like."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organised_events",
        verbose_name=_("organiser"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organising department"),
    )
    opportunity = models.OneToOneField(
        Opportunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event",
        verbose_name=_("on Få indflydelse"),
        help_text=_("For public events: the catalogue entry that points here."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminders_sent_at = models.DateTimeField(_("reminders sent"), null=True, blank=True)
    feedback_requested_at = models.DateTimeField(_("feedback requested"), null=True, blank=True)
    needs_erased_at = models.DateTimeField(_("needs erased"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["is_published", "starts_at"], name="event_published_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_window_order",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="event_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.audience == Audience.PUBLIC

    @property
    def place(self) -> str:
        if self.venue_id:
            return f"{self.venue.name}, {self.venue.full_address}"
        return self.location


class Material(models.Model):
    """Slides, notes or a link, published after the event."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="materials", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="events/materials/%Y/", blank=True)
    url = models.URLField(_("link"), blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="material_has_file_or_link"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Speaker(models.Model):
    """A speaker: a member of staff (linked) or an external guest (name and organisation)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member of staff"),
    )
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    bio = models.TextField(_("about"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class ProgrammeItem(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="programme", verbose_name=_("event")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    speakers = models.ManyToManyField(
        Speaker, blank=True, related_name="items", verbose_name=_("speakers")
    )
    examples = models.ManyToManyField(
        Entry,
        blank=True,
        related_name="programme_items",
        verbose_name=_("practice examples"),
        help_text=_("Knowledge entries presented in this item."),
    )

    class Meta:
        ordering = ["starts_at", "room", "pk"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="programme_item_ends_after"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Stand(models.Model):
    """A stand in the conference's marketplace: requested by staff, approved by the organiser."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="stands", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what visitors meet"), max_length=2000)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    project = models.CharField(_("project"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    position = models.CharField(
        _("position on the floor plan"), max_length=20, blank=True, help_text=_("E.g. A3.")
    )
    decision_note = models.TextField(_("note from the organiser"), blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["position", "title", "pk"]
        verbose_name = _("stand")
        verbose_name_plural = _("stands")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "position"],
                condition=Q(status="approved") & ~Q(position=""),
                name="stand_unique_position",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    """One person's place at an event: a member of staff (user) or a member of the public (name
    and e-mail, confirmed by a link). Seats are given in order of confirmation; when the event is
    full the registration waits on the waitlist and is promoted when someone cancels."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting e-mail confirmation")
        CONFIRMED = "confirmed", _("Registered")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("member of staff"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    idea = models.ForeignKey(
        Idea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lab_registrations",
        verbose_name=_("idea"),
        help_text=_("For a citizen invited to a solution lab with their idea."),
    )
    needs = models.TextField(
        _("dietary and accessibility needs"),
        max_length=1000,
        blank=True,
        help_text=_("Deleted automatically after the event."),
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="da"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    ticket_code = models.CharField(
        _("ticket"), max_length=12, unique=True, default=new_ticket_code, editable=False
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("waitlisted"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("promoted from the waitlist"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]
        constraints = [
            # One live registration per address per event (a cancelled one may be re-made).
            models.UniqueConstraint(
                models.functions.Lower("email"),
                "event",
                condition=~Q(status="cancelled"),
                name="registration_one_per_address",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="registration_cancelled_has_time",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="registration_checked_in_is_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.name}"


class Feedback(models.Model):
    """A participant's answer to the short survey after the event. The free text is for the
    organisers only; the rest is aggregated per event and per series."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("registration"),
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("event")
    )
    rating = models.PositiveSmallIntegerField(
        _("overall rating"), choices=[(n, str(n)) for n in range(1, 6)]
    )
    will_use = models.TextField(_("what you will use"), max_length=2000, blank=True)
    principle = models.ForeignKey(
        Principle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("principle it helped with"),
    )
    comment = models.TextField(_("anything else"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("given"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.rating}"


class LabAgreement(models.Model):
    """What a solution lab agreed about one of its ideas: an owner and a follow-up date. Saving one
    writes a public message to the idea's timeline, so the citizen sees what was agreed."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("solution lab")
    )
    idea = models.ForeignKey(
        Idea, on_delete=models.PROTECT, related_name="lab_agreements", verbose_name=_("idea")
    )
    text = models.TextField(_("what was agreed"), max_length=2000)
    owner_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("named owner"),
    )
    follow_up_on = models.DateField(_("follow up on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.text[:60]


class LabIdea(models.Model):
    """An idea taken into a solution lab."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="lab_ideas", verbose_name=_("solution lab")
    )
    idea = models.ForeignKey(
        Idea, on_delete=models.PROTECT, related_name="labs", verbose_name=_("idea")
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("idea in a lab")
        verbose_name_plural = _("ideas in labs")
        constraints = [
            models.UniqueConstraint(fields=["event", "idea"], name="lab_idea_once_per_lab")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.idea_id}"
