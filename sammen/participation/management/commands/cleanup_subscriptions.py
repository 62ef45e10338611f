"""Delete subscriptions left unconfirmed for 7 days (data minimisation). Run daily, e.g.:

    30 3 * * *  cd /srv/sammen && .venv/bin/python manage.py cleanup_subscriptions

Idempotent: a second run finds nothing more to delete.
"""

from django.core.management.base import BaseCommand

from sammen.participation.subscriptions import subscriptions_cleanup


class Command(BaseCommand):
    help = "Delete subscriptions that were not confirmed within 7 days."

    def handle(self, *args, **options) -> None:
        deleted = subscriptions_cleanup()
        self.stdout.write(f"Deleted {deleted} unconfirmed subscription(s).")
