"""Escalate missed idea deadlines: the handler, then the department's dialogue consultants, then
the coordinators. Run every hour, e.g. from cron:

    5 * * * *  cd /srv/sammen && .venv/bin/python manage.py escalate_ideas

Running it again, or more often, is harmless: each step is a unique Escalation row written in the
transaction that queues its mails, so nobody is told twice about the same step
(sammen.ideas.escalation).
"""

from django.core.management.base import BaseCommand

from sammen.ideas.escalation import escalate_overdue


class Command(BaseCommand):
    help = "Take every escalation step of a missed idea deadline that is due."

    def handle(self, *args, **options) -> None:
        steps = escalate_overdue()
        # Counts only: addresses never go to the output, which often ends up in a log.
        self.stdout.write(f"Took {steps} escalation step(s).")
