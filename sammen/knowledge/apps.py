from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "sammen.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge sharing")

    def ready(self) -> None:
        # Register the app's named permissions (accounts.permissions) before any view asks.
        from sammen.knowledge import rules  # noqa: F401
