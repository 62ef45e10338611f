from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sammen.accounts"
    label = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        # The system checks (two-factor off, single sign-on configuration) and this app's rules.
        from sammen.accounts import checks, rules  # noqa: F401
