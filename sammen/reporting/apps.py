from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "sammen.reporting"
    label = "reporting"
    verbose_name = _("Status report")

    def ready(self) -> None:
        from sammen.reporting import rules  # noqa: F401

        # Each app that owns data declares its indicators in its own `indicators.py`.
        autodiscover_modules("indicators")
