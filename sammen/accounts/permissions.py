"""Named staff permissions: one registry for the whole platform.

Each app declares its rules in its own `rules.py` with `@permission("app.action")`; views check
them by name, through `permission_required` (the page) and `has_permission` (an object). So the
answer to "who may do this?" is always one named function, and the tests can walk the matrix.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from sammen.accounts.twofactor import second_factor_satisfied

Rule = Callable[[Any, Any], bool]
_REGISTRY: dict[str, Rule] = {}


def permission(name: str) -> Callable[[Rule], Rule]:
    """Register a rule `rule(user, obj) -> bool` under a name like "knowledge.change_entry"."""

    def register(rule: Rule) -> Rule:
        if name in _REGISTRY and _REGISTRY[name] is not rule:
            raise ValueError(f"permission {name!r} is declared twice")
        _REGISTRY[name] = rule
        return rule

    return register


def registered() -> dict[str, Rule]:
    return dict(_REGISTRY)


def is_active_staff(user: Any) -> bool:
    """Every active account is staff: citizens never have accounts."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def has_permission(user: Any, name: str, obj: Any = None) -> bool:
    if name not in _REGISTRY:
        raise KeyError(f"unknown permission {name!r}")
    return is_active_staff(user) and _REGISTRY[name](user, obj)


def permission_required(name: str) -> Callable:
    """Decorate a staff view: log in first (redirect), then the second factor (redirect to the
    code page, unless settings.STAFF_TWO_FACTOR_REQUIRED is off), then the named permission (403).

    The object-level check, where there is an object, stays in the view or its fetch helper.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_active_staff(request.user):
                return redirect_to_login(request.get_full_path())
            if not second_factor_satisfied(request):
                # Logged in with a password only: the code (or enrolment) comes first.
                return redirect_to_login(request.get_full_path(), reverse("accounts:verify"))
            if not has_permission(request.user, name):
                raise PermissionDenied(name)
            return view(request, *args, **kwargs)

        wrapped.permission_name = name  # type: ignore[attr-defined]
        return wrapped

    return decorator
