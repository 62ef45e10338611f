"""Remind handlers of answer deadlines on the next working day, and send the coordinators' daily
digest of ideas. Run once every morning, e.g. from cron:

    0 7 * * *  cd /srv/sammen && .venv/bin/python manage.py send_idea_reminders

Both do nothing on weekends and public holidays. Running it again the same day is harmless: each
reminder and each digest has a mail key per day and person, so nobody gets two
(sammen.ideas.jobs).
"""

from django.core.management.base import BaseCommand

from sammen.ideas.jobs import remind_deadlines_tomorrow, send_coordinator_digests


class Command(BaseCommand):
    help = "Queue the deadline reminders and the coordinators' digest of today."

    def handle(self, *args, **options) -> None:
        reminders = remind_deadlines_tomorrow()
        digests = send_coordinator_digests()
        # Counts only: addresses never go to the output, which often ends up in a log.
        self.stdout.write(f"Queued {reminders} reminder(s) and {digests} digest(s).")
