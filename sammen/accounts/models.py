"""Staff users. Citizens never have accounts; they take part with a confirmed e-mail address."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from sammen.core.models import Department


class User(AbstractUser):
    """A member of staff. Belongs to one or more departments, whose opportunities they may edit."""

    departments = models.ManyToManyField(
        Department, blank=True, related_name="staff", verbose_name=_("departments")
    )

    class Meta:
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    """The roles staff can hold. Department staff is membership of a department (User.departments);
    the others are assignments, the dialogue consultant's per department."""

    CONSULTANT = "consultant", _("Dialogue consultant")
    COORDINATOR = "coordinator", _("Coordinator")
    STEERING = "steering", _("Steering group")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles held for one department; the others are held for the whole municipality.
DEPARTMENT_ROLES = {Role.CONSULTANT}


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("department"),
        help_text=_("Only for dialogue consultants: the department they serve."),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "department"], name="role_unique_per_department"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(department__isnull=True),
                name="role_unique_central",
            ),
            # A consultant serves a department; coordinators, the steering group and administrators
            # work across all of them.
            models.CheckConstraint(
                condition=(models.Q(role="consultant", department__isnull=False))
                | (~models.Q(role="consultant") & models.Q(department__isnull=True)),
                name="role_department_matches_role",
            ),
        ]

    def __str__(self) -> str:
        if self.department_id:
            return f"{self.get_role_display()} ({self.department})"
        return str(self.get_role_display())
