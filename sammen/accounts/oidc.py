"""Single sign-on by OpenID Connect, on top of mozilla-django-oidc.

Configured only by environment variables (see settings.py): OIDC_ISSUER, OIDC_CLIENT_ID and
OIDC_CLIENT_SECRET switch it on. What this module adds to the library:
- the endpoints come from the issuer's discovery document, fetched once on first use;
- the ID token's issuer is checked besides its signature (RS256 via the provider's JWKS) and nonce;
- a claim (OIDC_USERNAME_CLAIM) names an existing, active account; new accounts only when
  OIDC_CREATE_USERS is on; a deactivated account is refused;
- the group claim (OIDC_GROUPS_CLAIM) replaces departments and roles on each login (OIDC_GROUP_MAP);
- the login counts as the second factor only when the provider says it used one (`amr` contains
  "mfa" or "otp") or OIDC_TRUST_PROVIDER_MFA is on; otherwise the TOTP step follows.
"""

import logging
from dataclasses import dataclass
from functools import cache
from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from sammen.accounts import twofactor
from sammen.accounts.models import DEPARTMENT_ROLES, Role, RoleAssignment
from sammen.core.models import Department

logger = logging.getLogger(__name__)

# amr values (RFC 8176) that mean the provider checked a second factor.
SECOND_FACTOR_AMR = {"mfa", "otp"}
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def oidc_enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))


# --- configuration ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRule:
    group: str
    kind: str  # "dept" or "role"
    role: str = ""
    department: str = ""  # an abbreviation


def parse_group_map(text: str) -> list[GroupRule]:
    """Parse OIDC_GROUP_MAP: comma-separated `group=dept:ABBR`, `group=role:ROLE` or
    `group=role:consultant:ABBR`. Raises ValueError naming the entry it cannot read."""
    rules = []
    for entry in (e.strip() for e in text.split(",")):
        if not entry:
            continue
        group, sep, target = entry.rpartition("=")
        parts = target.split(":")
        if not sep or not group.strip():
            raise ValueError(f"{entry!r} is not group=target")
        group = group.strip()
        if parts[0] == "dept" and len(parts) == 2 and parts[1]:
            rules.append(GroupRule(group, "dept", department=parts[1]))
        elif parts[0] == "role" and len(parts) in (2, 3) and parts[1] in Role.values:
            department = parts[2] if len(parts) == 3 else ""
            if (parts[1] in DEPARTMENT_ROLES) != bool(department):
                raise ValueError(
                    f"{entry!r}: a consultant needs a department (role:consultant:TMF); "
                    "the other roles take none"
                )
            rules.append(GroupRule(group, "role", role=parts[1], department=department))
        else:
            raise ValueError(
                f"{entry!r}: the target must be dept:ABBR, role:ROLE or role:consultant:ABBR "
                f"(roles: {', '.join(Role.values)})"
            )
    return rules


@cache
def _discovery(issuer: str) -> dict[str, Any]:
    response = requests.get(
        f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
    )
    response.raise_for_status()
    document = response.json()
    if document.get("issuer", "").rstrip("/") != issuer:
        raise ImproperlyConfigured(
            "The OpenID Connect discovery document names another issuer than OIDC_ISSUER."
        )
    return document


def oidc_setting(attr: str, *args: Any) -> Any:
    """A mozilla-django-oidc setting; endpoints not set explicitly come from discovery."""
    if attr in _DISCOVERED and not getattr(settings, attr, ""):
        return _discovery(settings.OIDC_ISSUER)[_DISCOVERED[attr]]
    return import_from_settings(attr, *args)


# --- the backend --------------------------------------------------------------------------------


def _lazy(attr: str) -> property:
    return property(lambda self: oidc_setting(attr, None))


class OIDCBackend(OIDCAuthenticationBackend):
    """Django builds its backends for every password login too: nothing here may reach the
    provider before an SSO callback, so the settings are read when they are used."""

    get_settings = staticmethod(oidc_setting)
    OIDC_OP_TOKEN_ENDPOINT = _lazy("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _lazy("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = _lazy("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_CLIENT_ID = _lazy("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = _lazy("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = _lazy("OIDC_RP_SIGN_ALGO")
    OIDC_RP_IDP_SIGN_KEY = _lazy("OIDC_RP_IDP_SIGN_KEY")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        # Only the callback view passes a nonce; a password login never reaches the provider.
        if "nonce" not in kwargs or not oidc_enabled():
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        if str(payload.get("iss", "")).rstrip("/") != settings.OIDC_ISSUER:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is meant for another client.")
        # Remember for the callback view whether the provider checked a second factor.
        amr = payload.get("amr") or []
        self.request.sammen_oidc_second_factor = bool(SECOND_FACTOR_AMR & set(amr))
        return payload

    def _login_name(self, claims: dict[str, Any]) -> str:
        return str(claims.get(settings.OIDC_USERNAME_CLAIM) or "").strip()

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(self._login_name(claims))

    def describe_user_by_claims(self, claims: dict[str, Any]) -> str:
        return "the configured username claim"  # never the e-mail address itself (logs)

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        name = self._login_name(claims)
        if settings.OIDC_USERNAME_CLAIM == "email":
            return self.UserModel.objects.filter(email__iexact=name)
        return self.UserModel.objects.filter(username__iexact=name)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> Any:
        # The ID token's claims count as well as the userinfo endpoint's (groups may be in either).
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        if not self.verify_claims(claims):
            raise SuspiciousOperation("The provider did not send the username claim.")
        users = list(self.filter_users_by_claims(claims)[:2])
        if len(users) > 1:
            raise SuspiciousOperation("Two accounts match the username claim.")
        if users:
            user = users[0]
            if not user.is_active:
                # Deactivated here: the provider's word does not bring the account back.
                return None
            return self.update_user(user, claims)
        if not self.get_settings("OIDC_CREATE_USER", False):
            return None
        return self.create_user(claims)

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> Any:
        name = self._login_name(claims)
        user = self.UserModel(
            username=name.lower()[:150],
            email=str(claims.get("email") or ""),
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
        )
        user.set_unusable_password()  # logs in through the provider only
        user.full_clean()
        user.save()
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        if settings.OIDC_GROUPS_CLAIM:
            groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
            if isinstance(groups, str):
                groups = [groups]
            apply_groups(user, {str(g) for g in groups})
        return user

    def get_user(self, user_id: Any) -> Any:
        # The library's version would keep a deactivated user's session alive.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


def apply_groups(user: Any, groups: set[str]) -> None:
    """Replace the user's departments and roles with those the provider's groups map to."""
    rules = [r for r in parse_group_map(settings.OIDC_GROUP_MAP) if r.group in groups]
    departments = {d.abbreviation: d for d in Department.objects.all()}
    unknown = {r.department for r in rules if r.department and r.department not in departments}
    if unknown:
        logger.warning("OIDC_GROUP_MAP names unknown departments: %s", ", ".join(sorted(unknown)))
    member_of = {
        departments[r.department] for r in rules if r.kind == "dept" and r.department in departments
    }
    wanted = set()
    for rule in rules:
        if rule.kind != "role" or (rule.department and rule.department not in departments):
            continue
        department = departments.get(rule.department)
        wanted.add((rule.role, department.pk if department else None))
        if department is not None:
            member_of.add(department)  # a department's consultant is one of its staff
    user.departments.set(member_of)
    held = set(user.role_assignments.values_list("role", "department_id"))
    for role, department_id in held - wanted:
        user.role_assignments.filter(role=role, department_id=department_id).delete()
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role, department_id=department_id)
        for role, department_id in wanted - held
    )


# --- the views ----------------------------------------------------------------------------------


class OIDCStartView(OIDCAuthenticationRequestView):
    """Send the browser to the provider. The callback address is the Danish (unprefixed) one
    whatever the page's language, so the provider needs only one registered redirect URI."""

    get_settings = staticmethod(oidc_setting)
    # Read when used, not when the view is built: discovery only once SSO is on and clicked.
    OIDC_OP_AUTH_ENDPOINT = _lazy("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_RP_CLIENT_ID = _lazy("OIDC_RP_CLIENT_ID")

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        with translation.override(settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            gettext(
                "Single sign-on did not log you in. Your account may not have been invited "
                "yet or may be deactivated. Ask an administrator."
            ),
        )
        return redirect("accounts:login")

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        if not twofactor.two_factor_required():
            return response
        if settings.OIDC_TRUST_PROVIDER_MFA or getattr(
            self.request, "sammen_oidc_second_factor", False
        ):
            twofactor.mark_verified_by_provider(self.request)
            return response
        # The provider checked only a password: our own second factor follows.
        return HttpResponseRedirect(
            f"{reverse('accounts:verify')}?{urlencode({'next': self.success_url})}"
        )
