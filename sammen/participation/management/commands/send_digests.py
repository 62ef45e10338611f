"""Enqueue the weekly digest of every subscription that is due. Run once a week, e.g. from cron:

    0 7 * * 1  cd /srv/sammen && .venv/bin/python manage.py send_digests

Running it again, or more often, is harmless: a subscription is due only when its last digest is
more than six days old, and each task claims its row before sending, so nobody gets two digests.
A digest whose sending failed is due again and goes out on the next run.
"""

from django.core.management.base import BaseCommand

from sammen.participation.subscriptions import due_subscription_ids
from sammen.participation.tasks import send_digest


class Command(BaseCommand):
    help = "Enqueue one digest task per subscription whose weekly digest is due."

    def handle(self, *args, **options) -> None:
        ids = due_subscription_ids()
        for subscription_id in ids:
            send_digest.enqueue(subscription_id=subscription_id)
        # Counts only: addresses never go to the output, which often ends up in a log.
        self.stdout.write(f"Enqueued {len(ids)} digest(s).")
