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
