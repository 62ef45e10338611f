"""Who may do what with the status report: every staff permission of the reporting app.

The steering group owns the report: it edits the tasks, status entries and targets and generates
the report; coordinators prepare it with them; administrators may do everything.
"""

from typing import Any

from sammen.accounts.models import Role
from sammen.accounts.permissions import is_active_staff, permission
from sammen.accounts.roles import has_role, is_administrator


@permission("reporting.edit")
def can_edit(user: Any, obj: Any = None) -> bool:
    return is_active_staff(user) and (
        has_role(user, Role.STEERING) or has_role(user, Role.COORDINATOR) or is_administrator(user)
    )


@permission("reporting.view")
def can_view(user: Any, obj: Any = None) -> bool:
    return can_edit(user)
