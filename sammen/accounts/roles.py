"""Which roles a staff user holds. Read once per request and cached on the user object."""

from typing import Any

from sammen.accounts.models import Role

_CACHE_ATTR = "_accounts_roles"


def roles_of(user: Any) -> frozenset[tuple[str, int | None]]:
    """(role, department id or None) pairs; empty for anonymous or deactivated users."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(user.role_assignments.values_list("role", "department_id"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def has_role(user: Any, role: Role | str, department: Any = None) -> bool:
    """Whether the user holds the role; for a department role, for that department if one is given."""
    held = roles_of(user)
    if department is None:
        return any(r == role for r, _d in held)
    return (str(role), department.pk) in held


def consultant_department_ids(user: Any) -> frozenset[int]:
    return frozenset(d for r, d in roles_of(user) if r == Role.CONSULTANT and d is not None)


def is_administrator(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.ADMINISTRATOR)
