from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "sammen.ideas"
    label = "ideas"
    verbose_name = _("Ideas")

    def ready(self) -> None:
        # Register the mail builders (sammen.core.mailing.mail_template) and permission rules.
        from sammen.ideas import mail_citizen, mail_submission, notifications, rules  # noqa: F401
