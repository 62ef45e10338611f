"""`manage.py demo_banner --url URL`: what `make run` prints before the development server starts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from sammen.accounts.demo import role_demo_accounts
from sammen.participation.demo import demo_accounts


class Command(BaseCommand):
    help = "Print where to log in with the demo accounts, and that e-mail goes to the console."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="The site's address.")

    def handle(self, *args, **options) -> None:
        url = options["url"].rstrip("/") + "/"
        try:
            accounts = demo_accounts() + role_demo_accounts()
        except DatabaseError:
            accounts = []  # not migrated yet: the banner must never stop the server starting
        line = "=" * 72
        self.stdout.write(line)
        self.stdout.write(f"Sammen om Byen: {url}")
        self.stdout.write(f"Staff log-in:   {url}personale/log-ind/")
        if accounts:
            self.stdout.write("Demo accounts (username / password / department or role):")
            for username, password, what in accounts:
                self.stdout.write(f"  {username:<13} {password:<18} {what}")
        else:
            self.stdout.write("No demo accounts: run `manage.py seed_demo` to create them.")
        if settings.STAFF_TWO_FACTOR_REQUIRED:
            self.stdout.write("Two-factor: staff set up an authenticator app at the first login.")
        else:
            self.stdout.write("Two-factor is OFF in this demo (STAFF_TWO_FACTOR_REQUIRED=0).")
        self.stdout.write("E-mail is not sent: it is printed here, in this console.")
        self.stdout.write(line)
