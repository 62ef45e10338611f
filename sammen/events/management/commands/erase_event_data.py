"""Delete the personal data of events that is no longer needed: the dietary and accessibility
needs after each event, and public registrations whose address was never confirmed (after 48
hours). Run every night, e.g. from cron:

    30 2 * * *  cd /srv/sammen && .venv/bin/python manage.py erase_event_data

Running it again is harmless: it deletes only what is still there.
"""

from django.core.management.base import BaseCommand

from sammen.events import jobs


class Command(BaseCommand):
    help = "Erase the needs of past events and lapse unconfirmed public registrations."

    def handle(self, *args, **options) -> None:
        events = jobs.erase_needs()
        lapsed = jobs.expire_pending()
        self.stdout.write(
            f"Erased the needs of {events} event(s); removed {lapsed} unconfirmed registration(s)."
        )
