"""`manage.py send_review_reminders`: e-mail owners whose entries are due for review. Run daily;
running it twice sends nothing twice (see services.review_reminders_send)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from sammen.knowledge import services


class Command(BaseCommand):
    help = "Remind owners of knowledge entries a month before their review date and when it passes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="Pretend today is YYYY-MM-DD."
        )

    def handle(self, *args, **options) -> None:
        sent = services.review_reminders_send(today=options["today"])
        self.stdout.write(f"{sent} review reminders sent.")
