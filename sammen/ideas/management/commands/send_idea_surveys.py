"""Ask citizens the two survey questions (a clear answer? felt heard?) IDEAS_SURVEY_AFTER_DAYS
after their idea was closed. Run once a day, e.g. from cron:

    30 9 * * *  cd /srv/sammen && .venv/bin/python manage.py send_idea_surveys

Running it again is harmless: each idea is claimed (survey_sent_at) in the transaction that
queues its mail, so a citizen is asked once (sammen.ideas.jobs).
"""

from django.core.management.base import BaseCommand

from sammen.ideas.jobs import send_surveys


class Command(BaseCommand):
    help = "Queue the survey mail of every idea closed long enough ago."

    def handle(self, *args, **options) -> None:
        count = send_surveys()
        # Counts only: addresses never go to the output, which often ends up in a log.
        self.stdout.write(f"Queued {count} survey(s).")
