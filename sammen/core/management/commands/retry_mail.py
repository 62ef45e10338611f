"""Re-enqueue e-mails the mail server refused, and queued ones whose task was lost. Run every five
minutes, e.g. from cron:

    */5 * * * *  cd /srv/sammen && .venv/bin/python manage.py retry_mail

Running it more often is harmless: each mail is claimed under a row lock before it is sent, and a
failed mail waits 5, 10, 20 ... minutes between attempts (sammen.core.mailing).
"""

from django.core.management.base import BaseCommand

from sammen.core.mailing import retry_mail


class Command(BaseCommand):
    help = "Re-enqueue failed and lost e-mails whose pause is over."

    def handle(self, *args, **options) -> None:
        count = retry_mail()
        self.stdout.write(f"Enqueued {count} e-mail(s) again.")
