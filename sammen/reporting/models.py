"""The six tasks of the collaboration, their yearly status, targets, and the frozen yearly report.

The tasks are data (seeded by a data migration, edited by the steering group), not code: a
municipality with other tasks edits them. The figures are not stored here: they are computed by
the indicators each app declares (`sammen.reporting.indicators`), and stored only in a frozen
`AnnualReport`, so a report reopened next year shows what the directors were shown.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sammen.core.models import in_language


class TaskKind(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class Task(models.Model):
    """One of the collaboration's tasks, e.g. "the yearly campaign"."""

    key = models.SlugField(
        _("key"),
        unique=True,
        help_text=_("A stable name the platform's indicators refer to; do not change it."),
    )
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=TaskKind.choices)
    title_da = models.CharField(_("title (Danish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_da = models.TextField(_("description (Danish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def description(self) -> str:
        return in_language(self, "description")


class TrafficLight(models.TextChoices):
    GREEN = "green", _("On track")
    YELLOW = "yellow", _("At risk")
    RED = "red", _("Off track")


class Financing(models.TextChoices):
    NOT_NEEDED = "not_needed", _("No extra financing needed")
    REQUESTED = "requested", _("Requested, not decided")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Not granted")


class StatusEntry(models.Model):
    """The steering group's account of one task in one year."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="entries", verbose_name=_("task")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    traffic_light = models.CharField(
        _("traffic light"), max_length=10, choices=TrafficLight.choices
    )
    status_text = models.TextField(_("status"), help_text=_("Where the task stands, in brief."))
    activities = models.TextField(_("activities"), blank=True)
    results = models.TextField(_("results"), blank=True)
    narrative = models.TextField(
        _("text for the report"),
        blank=True,
        help_text=_("The paragraph the report to the directors shows for this task."),
    )
    financing_need_dkk = models.PositiveIntegerField(
        _("financing need (DKK)"), null=True, blank=True
    )
    financing = models.CharField(
        _("financing"), max_length=12, choices=Financing.choices, default=Financing.NOT_NEEDED
    )
    decisions_pending = models.TextField(_("decisions requested from the directors"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ["-year", "task__number"]
        verbose_name = _("status entry")
        verbose_name_plural = _("status entries")
        constraints = [
            models.UniqueConstraint(fields=["task", "year"], name="status_entry_one_per_year"),
            models.CheckConstraint(
                condition=~models.Q(financing="requested", financing_need_dkk__isnull=True)
                & ~models.Q(financing="granted", financing_need_dkk__isnull=True),
                name="status_entry_financing_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.year}"


class TargetDirection(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")


class Target(models.Model):
    """What the steering group aims for on one indicator in one year (the evaluation's yardstick)."""

    indicator = models.CharField(
        _("indicator"), max_length=80, help_text=_("The key of a registered indicator.")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    direction = models.CharField(_("direction"), max_length=10, choices=TargetDirection.choices)
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["year", "indicator"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"

    def is_met(self, measured: float | None) -> bool | None:
        """None when nothing was measured: a missing figure neither meets nor misses a target."""
        if measured is None:
            return None
        if self.direction == TargetDirection.AT_LEAST:
            return measured >= float(self.value)
        return measured <= float(self.value)


class AnnualReport(models.Model):
    """A generated report, frozen: everything it shows is in `snapshot`, so it reads the same
    in ten years whatever has changed since. Generating again for a year adds a new version."""

    year = models.PositiveSmallIntegerField(_("year"))
    generated_at = models.DateTimeField(_("generated"), auto_now_add=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("generated by"),
    )
    snapshot = models.JSONField(_("contents"))

    class Meta:
        ordering = ["-year", "-generated_at"]
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")

    def __str__(self) -> str:
        return f"{self.year} ({self.generated_at:%Y-%m-%d %H:%M})"
