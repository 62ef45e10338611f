"""`manage.py seed_demo`: demo content for trying the site, or many opportunities and ideas for
benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sammen.accounts.demo import role_accounts_create
from sammen.campaigns.demo import campaigns_seed
from sammen.campaigns.models import Campaign
from sammen.core.models import Department
from sammen.events.demo import events_seed
from sammen.events.models import Event, Kind
from sammen.ideas.demo import ideas_bulk_seed, ideas_seed
from sammen.ideas.models import Idea
from sammen.knowledge.demo import knowledge_seed
from sammen.participation import demo
from sammen.participation.models import Opportunity
from sammen.reporting.demo import reporting_seed
from sammen.reporting.models import StatusEntry

# The parts of the hand-written demo, in the order they build on each other.
DEMO_PARTS = ("catalogue", "ideas", "events", "campaigns", "reporting")


class Command(BaseCommand):
    help = (
        "Create realistic demo opportunities, ideas, events and demo staff accounts, or with "
        "--opportunities N and/or --ideas N add N synthetic ones quickly (for benchmarks)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=(
                "Add each part only when it has nothing yet: opportunities, ideas, events, "
                "campaigns, status entries (used by `make run`)."
            ),
        )
        parser.add_argument(
            "--opportunities",
            type=int,
            default=None,
            metavar="N",
            help="Add N synthetic opportunities instead of the hand-written demo.",
        )
        parser.add_argument(
            "--ideas",
            type=int,
            default=None,
            metavar="N",
            help="Add N synthetic ideas instead of the hand-written demo.",
        )
        parser.add_argument(
            "--seed", type=int, default=2025, help="Seed for the random choices (default 2025)."
        )
        parser.add_argument(
            "--parts",
            default=",".join(DEMO_PARTS),
            help=(
                "Which parts of the hand-written demo to add, comma-separated, from "
                f"{', '.join(DEMO_PARTS)} (default: all). The browser tests of the catalogue "
                "seed only what they look at."
            ),
        )

    def handle(self, *args, **options) -> None:
        if not Department.objects.exists():
            raise CommandError("Load the reference data first: manage.py load_reference_data")
        opportunities, ideas = options["opportunities"], options["ideas"]
        for name, value in (("--opportunities", opportunities), ("--ideas", ideas)):
            if value is not None and value < 1:
                raise CommandError(f"{name} must be at least 1.")
        role_accounts_create()  # one demo user per role; idempotent, also for an existing demo
        if_empty = options["if_empty"]
        if opportunities is None and ideas is None:
            parts = {part.strip() for part in options["parts"].split(",") if part.strip()}
            unknown = parts - set(DEMO_PARTS)
            if unknown or not parts:
                raise CommandError(f"--parts takes {', '.join(DEMO_PARTS)}.")
            self._demo(if_empty=if_empty, seed=options["seed"], parts=parts)
            return
        if opportunities is not None:
            if if_empty and Opportunity.objects.exists():
                self.stdout.write("There are opportunities already; none added.")
            else:
                self._report(
                    "opportunities",
                    opportunities,
                    demo.bulk_seed(opportunities, seed=options["seed"]),
                    options["verbosity"],
                )
        if ideas is not None:
            if if_empty and Idea.objects.exists():
                self.stdout.write("There are ideas already; none added.")
            else:
                self._report(
                    "ideas",
                    ideas,
                    ideas_bulk_seed(ideas, seed=options["seed"]),
                    options["verbosity"],
                )

    def _demo(self, *, if_empty: bool, seed: int, parts: set[str]) -> None:
        """The hand-written demo: each part is added when missing (with --if-empty: when empty)."""
        if "catalogue" in parts:
            if if_empty and Opportunity.objects.exists():
                self.stdout.write("There are opportunities already; no demo opportunities added.")
            else:
                created = demo.demo_seed(seed=seed)
                knowledge_seed()  # the knowledge site's consultants and entries
                self.stdout.write(
                    f"Created {created} demo opportunities and {len(demo.demo_accounts())} "
                    "demo accounts."
                )
        if "ideas" in parts:
            if if_empty and Idea.objects.exists():
                self.stdout.write("There are ideas already; no demo ideas added.")
            else:
                self.stdout.write(f"Created {ideas_seed(seed=seed)} demo ideas.")
        if "events" in parts:
            # Solution labs are left out: the ideas demo takes ideas to a demo lab before this.
            if if_empty and Event.objects.exclude(kind=Kind.SOLUTION_LAB).exists():
                self.stdout.write("There are events already; no demo events added.")
            else:
                self.stdout.write(f"Created {events_seed(seed=seed)} demo events.")
        if "campaigns" in parts:
            # After the catalogue: a campaign features published opportunities.
            if if_empty and Campaign.objects.exists():
                self.stdout.write("There are campaigns already; no demo campaigns added.")
            else:
                self.stdout.write(f"Created {campaigns_seed(seed=seed)} demo campaigns.")
        if "reporting" in parts:
            if if_empty and StatusEntry.objects.exists():
                self.stdout.write("There are status entries already; no demo entries added.")
            else:
                self.stdout.write(f"Created {reporting_seed(seed=seed)} demo status entries.")

    def _report(self, what: str, count: int, progress, verbosity: int) -> None:  # type: ignore[no-untyped-def]
        started = time.monotonic()
        for done in progress:
            if verbosity > 1 or done == count:
                self.stdout.write(f"{done} {what} ({time.monotonic() - started:.1f} s)")
