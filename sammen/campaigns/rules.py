"""Who may do what with poster campaigns: every staff permission of the campaigns app.

Coordinators and administrators run the campaign (create it, import placements, print posters);
they and the steering group, which asks the directors for the campaign's money, see its results.
"""

from typing import Any

from sammen.accounts.models import Role
from sammen.accounts.permissions import is_active_staff, permission
from sammen.accounts.roles import has_role, is_administrator


@permission("campaigns.manage")
def can_manage(user: Any, obj: Any = None) -> bool:
    return is_active_staff(user) and (has_role(user, Role.COORDINATOR) or is_administrator(user))


@permission("campaigns.view_results")
def can_view_results(user: Any, obj: Any = None) -> bool:
    return can_manage(user) or (is_active_staff(user) and has_role(user, Role.STEERING))
