from typing import Any

from django import template

from sammen.accounts.permissions import has_permission as _has_permission

register = template.Library()


@register.simple_tag(takes_context=True)
def has_permission(context: Any, name: str) -> bool:
    """`{% has_permission "accounts.manage_users" as allowed %}`: the named permission, for menus."""
    request = context.get("request")
    return bool(request) and _has_permission(request.user, name)
