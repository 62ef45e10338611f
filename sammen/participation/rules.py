"""Who may do what with opportunities: every staff permission of this app, declared in one place.

The rule is simple on purpose: an opportunity belongs to its departments, and every member of one
of those departments may write, publish, unpublish and report the outcome of it. Superusers may do
everything. Each permission is a named function, so views, services and the admin ask the same
question, and `opportunities_editable_by` says the same thing in SQL for lists (tested together).
"""

from typing import Any

from django.db.models import QuerySet

from sammen.accounts.permissions import permission
from sammen.core.models import Department
from sammen.participation.models import Opportunity

# Cached on the user object for one request: several checks on a page cost one query.
_CACHE_ATTR = "_participation_department_ids"


def department_ids(user: Any) -> frozenset[int]:
    """The ids of the departments the user belongs to (empty for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(user.departments.values_list("pk", flat=True))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def _is_active_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@permission("participation.view_dashboard")
def can_use_staff_pages(user: Any, obj: Any = None) -> bool:
    """Every active account is a member of staff (citizens never have accounts)."""
    return _is_active_staff(user)


def departments_for(user: Any) -> QuerySet[Department]:
    """The departments the user may assign to an opportunity: their own, or all for a superuser."""
    if not _is_active_staff(user):
        return Department.objects.none()
    if user.is_superuser:
        return Department.objects.all()
    return Department.objects.filter(pk__in=department_ids(user))


@permission("participation.create_opportunity")
def can_create_opportunity(user: Any, obj: Any = None) -> bool:
    """Staff who belong to a department (an opportunity needs at least one of theirs)."""
    return _is_active_staff(user) and (user.is_superuser or bool(department_ids(user)))


@permission("participation.change_opportunity")
def can_edit_opportunity(user: Any, opportunity: Opportunity | None) -> bool:
    """Members of one of the opportunity's departments, and superusers.

    Without an opportunity (the page-level check): whether the user may edit any at all.
    """
    if not _is_active_staff(user):
        return False
    if user.is_superuser:
        return True
    if opportunity is None:
        return bool(department_ids(user))
    mine = department_ids(user)
    if not mine:
        return False
    return any(d.pk in mine for d in opportunity.departments.all())


@permission("participation.publish_opportunity")
def can_publish_opportunity(user: Any, opportunity: Opportunity | None) -> bool:
    """Publishing and unpublishing: the same people who may edit it."""
    return can_edit_opportunity(user, opportunity)


@permission("participation.set_outcome")
def can_set_outcome(user: Any, opportunity: Opportunity | None) -> bool:
    """Reporting what came of it (principle 3): the same people who may edit it."""
    return can_edit_opportunity(user, opportunity)


def opportunities_editable_by(user: Any) -> QuerySet[Opportunity]:
    """The opportunities `can_edit_opportunity` allows, as one query (for the dashboard)."""
    if not _is_active_staff(user):
        return Opportunity.objects.none()
    if user.is_superuser:
        return Opportunity.objects.all()
    through = Opportunity.departments.through
    return Opportunity.objects.filter(
        pk__in=through.objects.filter(department_id__in=department_ids(user)).values(
            "opportunity_id"
        )
    )
