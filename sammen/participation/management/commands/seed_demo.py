"""`manage.py seed_demo`: demo content for trying the site, or many opportunities for benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sammen.accounts.demo import role_accounts_create
from sammen.core.models import Department
from sammen.knowledge.demo import knowledge_seed
from sammen.participation import demo
from sammen.participation.models import Opportunity


class Command(BaseCommand):
    help = (
        "Create realistic demo opportunities and demo staff accounts, or with --opportunities N "
        "add N synthetic opportunities quickly (for benchmarks)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when there are opportunities already (used by `make run`).",
        )
        parser.add_argument(
            "--opportunities",
            type=int,
            default=None,
            metavar="N",
            help="Add N synthetic opportunities instead of the hand-written demo.",
        )
        parser.add_argument(
            "--seed", type=int, default=2025, help="Seed for the random choices (default 2025)."
        )

    def handle(self, *args, **options) -> None:
        if not Department.objects.exists():
            raise CommandError("Load the reference data first: manage.py load_reference_data")
        role_accounts_create()  # one demo user per role; idempotent, also for an existing demo
        if options["if_empty"] and Opportunity.objects.exists():
            self.stdout.write("There are opportunities already; no demo content added.")
            return
        count = options["opportunities"]
        if count is None:
            created = demo.demo_seed(seed=options["seed"])
            knowledge_seed()  # the knowledge site's consultants and entries
            self.stdout.write(
                f"Created {created} demo opportunities and {len(demo.demo_accounts())} "
                "demo accounts."
            )
            return
        if count < 1:
            raise CommandError("--opportunities must be at least 1.")
        started = time.monotonic()
        for done in demo.bulk_seed(count, seed=options["seed"]):
            if options["verbosity"] > 1 or done == count:
                self.stdout.write(f"{done} opportunities ({time.monotonic() - started:.1f} s)")
