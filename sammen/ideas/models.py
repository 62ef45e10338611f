"""Citizen ideas: the idea itself, its timeline, pending handovers and the yearly reference counter.

Only `sammen.ideas.services` writes these rows. The invariants of issue §2 ("an idea always has
exactly one lead department and one coordinator", "never closed without an outcome") are checked
by the services and, where a single row can express them, by the database (Meta.constraints), so a
stray `.update()` cannot break them either.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.core.models import Department, District, Topic
from sammen.ideas.states import OWNED_STATES, TRIAGE_OUTCOMES, Outcome, State
from sammen.participation.models import Channel, Opportunity


def new_tracking_token() -> str:
    """An unguessable token for the citizen's private tracking link (256 bits)."""
    return secrets.token_urlsafe(32)


class HelpNeeded(models.TextChoices):
    PERMISSION = "permission", _("Permission")
    PLACE = "place", _("A place")
    FUNDING = "funding", _("Funding")
    PARTNER = "partner", _("A partner in the municipality")
    ADVICE = "advice", _("Advice")
    OTHER = "other", _("Other")


class SubmitterKind(models.TextChoices):
    PERSON = "person", _("A person")
    ASSOCIATION = "association", _("An association")
    BUSINESS = "business", _("A business")


def validate_help_needed(value: object) -> None:
    if not isinstance(value, list) or any(v not in HelpNeeded.values for v in value):
        raise ValidationError(_("Choose from the listed kinds of help."), code="invalid")


class YearCounter(models.Model):
    """The last reference number given out in a year. Numbers are never reused: deleting an idea
    leaves the counter where it is. Incremented under select_for_update (services)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


# Sorted: a frozenset's order changes from run to run, and the migration must not.
_OWNED = sorted(s.value for s in OWNED_STATES)
_TRIAGE_OUTCOMES = sorted(o.value for o in TRIAGE_OUTCOMES)


class Idea(models.Model):
    """A citizen's idea or initiative, from submission to its final answer."""

    reference = models.CharField(
        _("reference"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Given when the e-mail address is confirmed, e.g. IDE-2026-00042."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what the idea is"), max_length=5000)
    districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="ideas",
        verbose_name=_("districts"),
        help_text=_("None and no address means the whole city."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="ideas", verbose_name=_("topics")
    )
    help_needed = models.JSONField(
        _("help needed"), default=list, blank=True, validators=[validate_help_needed]
    )
    submitter_kind = models.CharField(
        _("submitted by"),
        max_length=20,
        choices=SubmitterKind.choices,
        default=SubmitterKind.PERSON,
    )

    # Personal data: minimised, anonymised after the retention period (issue §5).
    contact_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="da"
    )
    consent_contact = models.BooleanField(_("may be contacted"), default=False)
    consent_publish = models.BooleanField(_("may be published"), default=False)

    state = models.CharField(
        _("state"), max_length=30, choices=State.choices, default=State.AWAITING_CONFIRMATION
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reason"), blank=True)
    outcome_alternatives = models.TextField(
        _("alternatives"), blank=True, help_text=_("What the citizen can do instead, one per line.")
    )
    referred_channel = models.ForeignKey(
        Channel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred to channel"),
    )
    referred_opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred to opportunity"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("duplicate of"),
    )
    solution_lab = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_ideas",
        verbose_name=_("solution lab"),
        help_text=_("When the idea was taken to a solution lab: the lab."),
    )

    lead_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_ideas",
        verbose_name=_("lead department"),
    )
    involved_departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="involved_ideas",
        verbose_name=_("involved departments"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_ideas",
        verbose_name=_("handler"),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_ideas",
        verbose_name=_("coordinator"),
    )

    tracking_token = models.CharField(
        max_length=64, unique=True, default=new_tracking_token, editable=False
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    acknowledge_due = models.DateTimeField(_("acknowledgement due"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    answer_due = models.DateTimeField(_("answer due"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    clock_paused_since = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    # The satisfaction survey four weeks after closing (issue §3); one click per question.
    survey_sent_at = models.DateTimeField(_("survey sent"), null=True, blank=True)
    survey_clear_answer = models.BooleanField(_("got a clear answer"), null=True, blank=True)
    survey_felt_heard = models.BooleanField(_("felt heard"), null=True, blank=True)
    survey_answered_at = models.DateTimeField(_("survey answered"), null=True, blank=True)

    # Set when the personal fields were anonymised (on request or after the retention period).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # Danish stems of title and description for SQLite's FTS5 table (see ideas/search.py).
    search_stems = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [models.Index(fields=["state", "confirmed_at"], name="idea_state_confirmed")]
        constraints = [
            # Issue §2: once triaged, an idea always has one lead department and one coordinator.
            models.CheckConstraint(
                condition=~Q(state__in=_OWNED)
                | Q(lead_department__isnull=False, coordinator__isnull=False),
                name="idea_owned_has_lead_and_coordinator",
            ),
            # Never closed without an outcome, and a closed idea had someone responsible for it.
            models.CheckConstraint(
                condition=~Q(state=State.CLOSED)
                | (~Q(outcome="") & Q(coordinator__isnull=False, closed_at__isnull=False)),
                name="idea_closed_has_outcome",
            ),
            # An open idea has no outcome: re-opening clears it (with a timeline row).
            models.CheckConstraint(
                condition=Q(state=State.CLOSED) | Q(outcome=""),
                name="idea_open_has_no_outcome",
            ),
            # Only referral, spam and duplicate may close an idea no department has led.
            models.CheckConstraint(
                condition=Q(outcome__in=["", *_TRIAGE_OUTCOMES]) | Q(lead_department__isnull=False),
                name="idea_department_outcome_has_lead",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.REFERRED)
                | Q(referred_channel__isnull=False)
                | Q(referred_opportunity__isnull=False),
                name="idea_referred_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.SOLUTION_LAB) | Q(solution_lab__isnull=False),
                name="idea_solution_lab_has_lab",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.NOT_POSSIBLE)
                | (~Q(outcome_reason="") & ~Q(outcome_alternatives="")),
                name="idea_not_possible_has_reason",
            ),
            # The clock stops only while the idea waits for the citizen.
            models.CheckConstraint(
                condition=Q(state=State.WAITING_FOR_CITIZEN, clock_paused_since__isnull=False)
                | (~Q(state=State.WAITING_FOR_CITIZEN) & Q(clock_paused_since__isnull=True)),
                name="idea_clock_paused_only_when_waiting",
            ),
            # Everything past confirmation has a reference and its deadlines.
            models.CheckConstraint(
                condition=Q(state=State.AWAITING_CONFIRMATION)
                | Q(
                    reference__isnull=False,
                    confirmed_at__isnull=False,
                    acknowledge_due__isnull=False,
                    answer_due__isnull=False,
                ),
                name="idea_confirmed_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or _('(unconfirmed)')} {self.title}"

    @property
    def alternatives(self) -> list[str]:
        return [line.strip() for line in self.outcome_alternatives.splitlines() if line.strip()]

    @property
    def whole_city(self) -> bool:
        """No districts and no address: the idea concerns the whole city (costs a query)."""
        return not self.address and not self.districts.exists()


class TimelineEntry(models.Model):
    """One change to an idea: who, when, from which state to which, what the citizen was told and
    what staff noted. Internal notes are for staff of the lead and involved departments,
    coordinators and administrators only; they never appear on a public page."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CONFIRMED = "confirmed", _("Confirmed")
        TRANSITION = "transition", _("State changed")
        REOPENED = "reopened", _("Re-opened")
        HANDOVER_REQUESTED = "handover_requested", _("Handover requested")
        HANDOVER_ACCEPTED = "handover_accepted", _("Handover accepted")
        HANDOVER_RETURNED = "handover_returned", _("Handover returned")
        ASSIGNED = "assigned", _("Assigned")
        MESSAGE = "message", _("Message")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("idea")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty for the citizen or the system."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_state = models.CharField(_("from"), max_length=30, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=30, choices=State.choices)
    public_message = models.TextField(_("message to the citizen"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class Handover(models.Model):
    """A request from the lead department to hand an idea to another department.

    The lead changes only when the receiving department accepts, which it must do (or return the
    idea) within IDEAS_HANDOVER_WORKING_DAYS working days; after that it is escalated.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="handovers", verbose_name=_("idea")
    )
    from_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("from department")
    )
    to_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("to department")
    )
    note = models.TextField(_("note"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    due_at = models.DateTimeField(_("answer due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("reply"), blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            models.UniqueConstraint(
                fields=["idea"], condition=Q(status="pending"), name="handover_one_pending_per_idea"
            ),
            models.CheckConstraint(
                condition=~Q(from_department=models.F("to_department")),
                name="handover_to_another_department",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="handover_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_department} → {self.to_department} ({self.get_status_display()})"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random name under the idea's year: the uploader's file name never reaches the disk."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"ideas/{timezone.now():%Y}/{secrets.token_hex(16)}.{extension}"


class Attachment(models.Model):
    """A file sent with an idea (PDF, JPEG or PNG, checked by content; at most five per idea).

    Attachments are personal data in the wide sense: they are deleted with the personal fields
    when the idea is anonymised, and served only to the citizen's link and to staff who may see
    the idea.
    """

    MAX_PER_IDEA = 5

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("idea")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Follower(models.Model):
    """Someone (not the submitter) who follows a public idea by e-mail, after double opt-in."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="followers", verbose_name=_("idea")
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="da"
    )
    token = models.CharField(max_length=64, unique=True, default=new_tracking_token)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(fields=["idea", "email"], name="follower_unique_email")
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.email}"


class Escalation(models.Model):
    """One step of escalating a missed deadline: first the handler, then the department's
    consultants, then the coordinators. Unique per idea, deadline and step, so the job that
    escalates can run any number of times and each step happens once per deadline."""

    class Deadline(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", _("Acknowledgement")
        ANSWER = "answer", _("First answer")
        HANDOVER = "handover", _("Handover")

    class Level(models.IntegerChoices):
        HANDLER = 1, _("Handler")
        CONSULTANTS = 2, _("The department's dialogue consultants")
        COORDINATORS = 3, _("Coordinators")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("idea")
    )
    deadline = models.CharField(_("deadline"), max_length=20, choices=Deadline.choices)
    due_at = models.DateTimeField(_("was due"))
    level = models.PositiveSmallIntegerField(_("step"), choices=Level.choices)
    at = models.DateTimeField(_("escalated"), default=timezone.now)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "deadline", "due_at", "level"], name="escalation_once_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.idea_id} {self.deadline} {self.level}"


class ErasureRecord(models.Model):
    """What was erased from an idea and when, never the erased data itself (issue §5)."""

    class Reason(models.TextChoices):
        CITIZEN_REQUEST = "citizen_request", _("The citizen asked for erasure")
        RETENTION = "retention", _("The retention period ended")

    idea = models.ForeignKey(
        Idea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasures",
        verbose_name=_("idea"),
    )
    reference = models.CharField(_("reference"), max_length=20, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    fields = models.JSONField(_("fields erased"), default=list)
    attachments_deleted = models.PositiveSmallIntegerField(_("attachments deleted"), default=0)
    followers_deleted = models.PositiveIntegerField(_("followers deleted"), default=0)
    at = models.DateTimeField(_("erased"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")

    def __str__(self) -> str:
        return f"{self.reference} {self.at:%Y-%m-%d}"


class PersonalDataAccess(models.Model):
    """A member of staff looked at an idea's contact details (issue §5: who, which idea, when)."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="data_accesses", verbose_name=_("idea")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member of staff"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    purpose = models.CharField(_("what"), max_length=50, default="contact_details")

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        indexes = [models.Index(fields=["idea", "at"], name="idea_data_access_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.idea_id} {self.at:%Y-%m-%d %H:%M}"
