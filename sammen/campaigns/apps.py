from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "sammen.campaigns"
    label = "campaigns"
    verbose_name = _("Poster campaigns")

    def ready(self) -> None:
        from sammen.campaigns import rules  # noqa: F401
