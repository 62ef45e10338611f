"""Writes on staff accounts: invite, change, deactivate, reactivate, accept an invitation.

An invitation is a signed link, not a table: it names the user and a fingerprint of their password
hash, so it stops working the moment a password is set (single use), and it expires after
settings.STAFF_INVITATION_DAYS.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from sammen.accounts import twofactor
from sammen.accounts.models import Role, RoleAssignment, User
from sammen.core.models import Department
from sammen.core.tasks import send_email

_INVITATION_SALT = "sammen.accounts.invitation"


# --- invitation links ---------------------------------------------------------------------------


def _password_fingerprint(user: User) -> str:
    return salted_hmac(_INVITATION_SALT, user.password, algorithm="sha256").hexdigest()[:16]


def invitation_token(user: User) -> str:
    return signing.dumps([user.pk, _password_fingerprint(user)], salt=_INVITATION_SALT)


def invitation_user(token: str) -> User | None:
    """The invited user, if the link is genuine, unexpired, unused, and the account active."""
    try:
        pk, fingerprint = signing.loads(
            token,
            salt=_INVITATION_SALT,
            max_age=timedelta(days=settings.STAFF_INVITATION_DAYS),
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or user.has_usable_password():
        return None  # used: a password has been set since
    if fingerprint != _password_fingerprint(user):
        return None  # an older invitation than the latest one
    return user


def invitation_send(*, user: User, by: User) -> None:
    """Send (or send again) the invitation e-mail; an earlier link stops working."""
    user.set_unusable_password()
    user.save(update_fields=["password"])
    link = settings.SITE_URL + reverse("accounts:invitation", args=[invitation_token(user)])
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "by": by,
            "link": link,
            "days": settings.STAFF_INVITATION_DAYS,
            "municipality": settings.MUNICIPALITY_NAME,
        }
        subject = gettext("Your staff account on Sammen om Byen")
        text = render_to_string("accounts/email/invitation.txt", context)
    send_email.enqueue(to=[user.email], subject=subject, text=text)


# --- accounts -----------------------------------------------------------------------------------


def _roles_set(
    user: User, *, departments: list[Department], consultant_for: list[Department], roles: list[str]
) -> None:
    # A department's consultant is one of its staff too.
    user.departments.set({*departments, *consultant_for})
    wanted = {(Role.CONSULTANT.value, d.pk) for d in consultant_for} | {
        (role, None) for role in roles
    }
    held = set(user.role_assignments.values_list("role", "department_id"))
    for role, department_id in held - wanted:
        user.role_assignments.filter(role=role, department_id=department_id).delete()
    for role, department_id in sorted(wanted - held, key=str):
        assignment = RoleAssignment(user=user, role=role, department_id=department_id)
        assignment.full_clean()
        assignment.save()
    # The Django admin opens to administrators (sammen.accounts.backends grants their permissions).
    user.is_staff = user.is_superuser or Role.ADMINISTRATOR.value in roles
    user.save(update_fields=["is_staff"])


@transaction.atomic
def user_invite(
    *,
    by: User,
    first_name: str,
    last_name: str,
    email: str,
    departments: list[Department],
    consultant_for: list[Department],
    roles: list[str],
) -> User:
    """Create the account (no password yet) and send the invitation."""
    user = User(
        username=email.lower(), email=email.lower(), first_name=first_name, last_name=last_name
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    _roles_set(user, departments=departments, consultant_for=consultant_for, roles=roles)
    # The e-mail task is stored in the same transaction (database queue): both or neither.
    invitation_send(user=user, by=by)
    return user


@transaction.atomic
def user_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    email: str,
    departments: list[Department],
    consultant_for: list[Department],
    roles: list[str],
) -> User:
    user.first_name, user.last_name, user.email = first_name, last_name, email.lower()
    user.full_clean()
    user.save(update_fields=["first_name", "last_name", "email"])
    _roles_set(user, departments=departments, consultant_for=consultant_for, roles=roles)
    return user


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> None:
    """Access ends at once: on the next request the session's backend refuses an inactive user
    (ModelBackend and OIDCBackend.get_user), so every open session is logged out."""
    if user.pk == by.pk:
        raise ValueError("You cannot deactivate your own account.")
    user.is_active = False
    user.save(update_fields=["is_active"])


@transaction.atomic
def user_reactivate(*, user: User) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])


@transaction.atomic
def user_second_factor_reset(*, user: User) -> None:
    """A lost phone: the next login enrols a new authenticator. Sessions verified by a removed
    device are unverified from their next request (django-otp finds no device)."""
    twofactor.second_factor_reset(user=user)


@transaction.atomic
def invitation_accept(*, user: User, password: str) -> None:
    """Set the password; the invitation link is used up with it (its fingerprint changes)."""
    user.set_password(password)
    user.save(update_fields=["password"])


def is_pending(user: Any) -> bool:
    """Invited and not yet accepted: no password and never logged in."""
    return not user.has_usable_password() and user.last_login is None
