"""Who may do what with events: every staff permission of the events app, in one place.

Every member of staff may see staff events and register; the organiser of an event, the
coordinators and the administrators organise it (edit, programme, stands, registrations, check-in,
the feedback's free text); coordinators, dialogue consultants and administrators create events.
"""

from typing import Any

from sammen.accounts.models import Role
from sammen.accounts.permissions import is_active_staff, permission
from sammen.accounts.roles import has_role, is_administrator


def _is_coordinator(user: Any) -> bool:
    return has_role(user, Role.COORDINATOR) or is_administrator(user)


def organises_every_event(user: Any) -> bool:
    """Coordinators and administrators organise every event, not only their own (the staff list
    shows them all)."""
    return is_active_staff(user) and _is_coordinator(user)


@permission("events.view")
def can_view(user: Any, obj: Any = None) -> bool:
    return is_active_staff(user)


@permission("events.create")
def can_create(user: Any, obj: Any = None) -> bool:
    return is_active_staff(user) and (_is_coordinator(user) or has_role(user, Role.CONSULTANT))


@permission("events.organise")
def can_organise(user: Any, event: Any = None) -> bool:
    """The organiser of `event`, coordinators and administrators. Without an event: whether the
    user may organise at all (the staff list's link)."""
    if not is_active_staff(user):
        return False
    if _is_coordinator(user):
        return True
    if event is None:
        return can_create(user)
    return event.organiser_id == user.pk


@permission("events.check_in")
def can_check_in(user: Any, event: Any = None) -> bool:
    return can_organise(user, event)
