"""Who may manage staff accounts: the permissions of the accounts app, declared in one place."""

from typing import Any

from sammen.accounts.permissions import is_active_staff, permission
from sammen.accounts.roles import is_administrator


@permission("accounts.manage_users")
def can_manage_users(user: Any, obj: Any = None) -> bool:
    """Administrators (and Django superusers) invite, change and deactivate staff accounts."""
    return is_administrator(user)


@permission("accounts.view_own_account")
def can_view_own_account(user: Any, obj: Any = None) -> bool:
    """Every member of staff: their own departments, roles and recovery codes."""
    return is_active_staff(user)
