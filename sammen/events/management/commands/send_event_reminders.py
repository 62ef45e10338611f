"""Queue the mails of events that are due: the reminder two days before (with the ticket and the
event as a calendar file) and the survey after the event. Run every hour, e.g. from cron:

    15 * * * *  cd /srv/sammen && .venv/bin/python manage.py send_event_reminders

Running it again, or more often, is harmless: each registration's reminder and survey mail is
queued under its own key and goes out once. A run that is missed is caught up by the next one
(the reminder window is 24 hours wide; the survey is asked up to a week after the event).
"""

from django.core.management.base import BaseCommand

from sammen.events import jobs


class Command(BaseCommand):
    help = "Queue the reminders of events in two days and the surveys of events that have ended."

    def handle(self, *args, **options) -> None:
        reminders = jobs.send_reminders()
        surveys = jobs.request_feedback()
        # Counts only: addresses never go to the output, which often ends up in a log.
        self.stdout.write(f"Queued {reminders} reminder(s) and {surveys} survey mail(s).")
