"""Password login with a username or an e-mail address, and the account axes locks out."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from sammen.accounts.roles import is_administrator

# Administrators manage users and the reference data in the Django admin as well.
ADMINISTRATOR_APPS = {"accounts", "core", "axes", "otp_totp", "otp_static"}


def find_user(login: str) -> Any:
    """The one account whose username or e-mail address is `login` (case-insensitive), or None.

    An e-mail address shared by two accounts names neither: the username must be used.
    """
    login = (login or "").strip()
    if not login:
        return None
    user_model = get_user_model()
    matches = list(
        user_model._default_manager.filter(Q(username__iexact=login) | Q(email__iexact=login))[:3]
    )
    exact = [u for u in matches if u.username.lower() == login.lower()]
    if exact:
        return exact[0]
    return matches[0] if len(matches) == 1 else None


def lockout_username(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """The name axes counts failures under: the account's username, whichever name was typed.

    Without it, alternating username and e-mail address would double the attempts allowed.
    """
    typed = (credentials or {}).get("username")
    if not typed:
        return None
    user = find_user(typed)
    return user.username if user is not None else typed.strip().lower()


class UsernameOrEmailBackend(ModelBackend):
    """Django's password check, looking the account up by username or e-mail address."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            # Hash anyway, so the time taken does not reveal whether the account exists.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        """Administrators hold every Django permission for users and reference data (the admin)."""
        if super().has_perm(user_obj, perm, obj):
            return True
        return perm.split(".", 1)[0] in ADMINISTRATOR_APPS and is_administrator(user_obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if super().has_module_perms(user_obj, app_label):
            return True
        return app_label in ADMINISTRATOR_APPS and is_administrator(user_obj)
