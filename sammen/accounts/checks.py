"""System checks for staff sign-in: two-factor switched off, and the single sign-on settings."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from sammen.accounts.oidc import parse_group_map


@register(Tags.security, deploy=True)
def two_factor_is_on(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """`check --deploy` warns when two-factor is off: only the demo may run like that."""
    if settings.STAFF_TWO_FACTOR_REQUIRED:
        return []
    return [
        Warning(
            "Two-factor authentication for staff is switched off (STAFF_TWO_FACTOR_REQUIRED=0).",
            hint="Only a demo may run without it: unset STAFF_TWO_FACTOR_REQUIRED or set it to 1.",
            id="accounts.W001",
        )
    ]


@register(Tags.security)
def oidc_group_map_is_readable(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        parse_group_map(settings.OIDC_GROUP_MAP)
    except ValueError as error:
        return [Error(f"OIDC_GROUP_MAP cannot be read: {error}", id="accounts.E001")]
    if settings.OIDC_GROUP_MAP and not settings.OIDC_GROUPS_CLAIM:
        return [
            Error(
                "OIDC_GROUP_MAP is set but OIDC_GROUPS_CLAIM is not: the map would never be used.",
                id="accounts.E002",
            )
        ]
    return []
