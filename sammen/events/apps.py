from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "sammen.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # Register the mail builders (sammen.core.mailing.mail_template) and permission rules.
        from sammen.events import mails, mails_labs, rules  # noqa: F401
