"""Videndeling: the staff knowledge base on citizen dialogue, and the consultant directory.

An entry is one of four kinds (inspiration, guide, method/tool, dialogue example), tagged with the
five principles, departments, topics and target groups. Its status moves only through
`services.entry_transition` (the table of allowed moves is `TRANSITIONS` there); every save writes
an `EntryVersion`, so the previous text can always be read and restored. Keeping the site current
is data too: each entry has an owner and a review date, and `ReviewReminder` records every reminder
sent, so the scheduled job never sends the same one twice.
"""

import uuid
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sammen.core.models import Department, District, Principle, Topic


class Kind(models.TextChoices):
    INSPIRATION = "inspiration", _("Inspiration")
    GUIDE = "guide", _("Guide")
    METHOD = "method", _("Method or tool")
    EXAMPLE = "example", _("Dialogue example")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class TargetGroup(models.TextChoices):
    """Whom a method or example is for. A fixed list in code: it is vocabulary, not reference data
    an administrator edits, and so it needs no loading in tests or migrations."""

    EVERYONE = "everyone", _("Everyone")
    CHILDREN = "children", _("Children")
    YOUNG = "young", _("Young people")
    FAMILIES = "families", _("Families with children")
    OLDER = "older", _("Older people")
    DISABILITY = "disability", _("People with a disability")
    NON_DANISH = "non_danish", _("People who do not speak Danish")
    HARD_TO_REACH = "hard_to_reach", _("Citizens who rarely take part")
    RESIDENTS = "residents", _("Local residents")
    BUSINESSES = "businesses", _("Businesses")
    ASSOCIATIONS = "associations", _("Associations and volunteers")
    STAFF = "staff", _("Colleagues in the municipality")


class Entry(models.Model):
    """One piece of knowledge: an inspiration, a guide, a method or tool, or a dialogue example."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, blank=True)
    summary = models.CharField(
        _("summary"), max_length=500, help_text=_("One or two sentences shown in lists.")
    )
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "Markdown: **bold**, *italic*, lists with -, headings with ##, [links](https://…)."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    principles = models.ManyToManyField(
        Principle, blank=True, related_name="knowledge_entries", verbose_name=_("principles")
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="knowledge_entries", verbose_name=_("departments")
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="knowledge_entries", verbose_name=_("topics")
    )
    opportunities = models.ManyToManyField(
        "participation.Opportunity",
        blank=True,
        related_name="knowledge_entries",
        verbose_name=_("related opportunities"),
    )

    # Method or tool.
    purpose = models.TextField(_("purpose"), blank=True)
    when_to_use = models.TextField(_("when to use it"), blank=True)
    steps = models.TextField(
        _("steps"), blank=True, help_text=_("Markdown; a numbered list works well.")
    )
    duration = models.CharField(_("time needed"), max_length=200, blank=True)
    cost = models.CharField(_("cost"), max_length=200, blank=True)
    participant_count = models.CharField(_("number of participants"), max_length=100, blank=True)
    participant_kind = models.CharField(_("kind of participants"), max_length=300, blank=True)
    best_principle = models.ForeignKey(
        Principle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("principle it serves best"),
    )
    pitfalls = models.TextField(_("pitfalls"), blank=True)

    # Dialogue example.
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_entries",
        verbose_name=_("district"),
        help_text=_("Leave empty when it concerned the whole city."),
    )
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    method_used = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="examples",
        limit_choices_to={"kind": Kind.METHOD},
        verbose_name=_("method used"),
    )
    reached = models.TextField(_("whom it reached"), blank=True)
    reached_count = models.PositiveIntegerField(_("how many took part"), null=True, blank=True)
    outcome = models.TextField(_("what came of it"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    is_public = models.BooleanField(
        _("show on the public site"),
        default=False,
        help_text=_(
            "Published dialogue examples only. The public sees the text, not the attachments "
            "or who owns the entry."
        ),
    )

    # Keeping it current.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="knowledge_entries",
        verbose_name=_("owner"),
        help_text=_("Keeps the entry current and gets the review reminders."),
    )
    review_due = models.DateField(_("review by"), null=True, blank=True)
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)

    # Danish-stemmed words of the text, fed to SQLite's FTS5 index (see search.py).
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
        ordering = ["-published_at", "-pk"]
        verbose_name = _("knowledge entry")
        verbose_name_plural = _("knowledge entries")
        indexes = [
            models.Index(fields=["status", "kind", "published_at"], name="entry_status_kind"),
            models.Index(fields=["status", "review_due"], name="entry_review_due"),
            models.Index(
                fields=["published_at", "id"],
                name="entry_public_examples",
                condition=models.Q(is_public=True, status="published", kind="example"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="entry_period_ends_after_start",
            ),
            # Only a dialogue example can be shown to the public.
            models.CheckConstraint(
                condition=models.Q(is_public=False) | models.Q(kind="example"),
                name="entry_only_examples_public",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:entry_detail", kwargs={"pk": self.pk})

    def get_public_url(self) -> str:
        return reverse(
            "knowledge_public:example_detail", kwargs={"pk": self.pk, "slug": self.slug or "-"}
        )

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_shown_publicly(self) -> bool:
        return self.is_public and self.is_published and self.kind == Kind.EXAMPLE

    def is_stale_on(self, day: date) -> bool:
        return bool(self.is_published and self.review_due and self.review_due < day)


class EntryTargetGroup(models.Model):
    """One target group of an entry (a row per group, so lists can filter on it in SQL)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="target_group_rows")
    group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        constraints = [
            models.UniqueConstraint(fields=["entry", "group"], name="entry_target_group_unique")
        ]
        indexes = [models.Index(fields=["group", "entry"], name="entry_target_group_by_group")]

    def __str__(self) -> str:
        return str(self.get_group_display())


class EntryVersion(models.Model):
    """The entry as it was after one save or status change: what `entry_restore` brings back."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Sent for review")
        RETURNED = "returned", _("Returned to draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")
        REVIEWED = "reviewed", _("Reviewed and still current")
        RESTORED = "restored", _("Restored an earlier version")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("what happened"), max_length=20, choices=Action.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    # Title, summary and every text field, by field name (see services.VERSIONED_FIELDS).
    content = models.JSONField(_("content"), default=dict)
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="entry_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random name with the extension of the checked content: the uploader's name is not a path."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"knowledge-attachments/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file on an entry, for staff only: served through a permission check, never from MEDIA_URL."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class ReviewReminder(models.Model):
    """A reminder sent to an entry's owner. One per entry, kind and review date: the constraint is
    what makes `send_review_reminders` idempotent, even with two workers running at once."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Review due within a month")
        OVERDUE = "overdue", _("Review date passed")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    review_due = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "kind", "review_due"], name="review_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.review_due})"


class ConsultantProfile(models.Model):
    """How colleagues reach a dialogue consultant. The department comes from the user's consultant
    role (accounts.RoleAssignment); the directory lists only users who hold one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consultant_profile",
        verbose_name=_("user"),
    )
    title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(
        _("work e-mail"), blank=True, help_text=_("Leave empty to use the account's e-mail.")
    )
    expertise = models.TextField(
        _("areas of expertise"),
        blank=True,
        help_text=_("One area per line, e.g. children and young people, local plans, surveys."),
    )
    # Stems of the expertise and name, for "searchable by expertise" (see selectors).
    search_stems = models.TextField(editable=False, blank=True, default="")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("consultant profile")
        verbose_name_plural = _("consultant profiles")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def contact_email(self) -> str:
        return self.email or self.user.email

    @property
    def expertise_list(self) -> list[str]:
        return [line.strip() for line in self.expertise.splitlines() if line.strip()]


class ConsultantQuestion(models.Model):
    """That a colleague asked a department's consultants something: who, when, to whom, how many
    received it. The message itself is not kept; it lives in the consultants' mailboxes."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("department")
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    recipient_count = models.PositiveSmallIntegerField(_("recipients"))
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = _("question to consultants")
        verbose_name_plural = _("questions to consultants")

    def __str__(self) -> str:
        return f"{self.department} {self.asked_at:%Y-%m-%d}"
