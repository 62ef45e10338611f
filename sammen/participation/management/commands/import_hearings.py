"""`manage.py import_hearings`: bring the hearings of "Bliv hørt" (OS2agora) into Få indflydelse.

Meant to run from a scheduler (e.g. every hour). Safe to run again; it exits with an error when
the source could not be read completely, so the scheduler shows the failure.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sammen.core.models import Department
from sammen.participation.importers import os2agora


class Command(BaseCommand):
    help = "Import the hearings of the hearing portal (OS2agora JSON:API at OS2AGORA_BASE_URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=None,
            help="The portal's address (default: the OS2AGORA_BASE_URL setting).",
        )
        parser.add_argument(
            "--department",
            default=os2agora.DEFAULT_DEPARTMENT,
            help="Abbreviation of the department new hearings belong to (default: TMF).",
        )
        parser.add_argument("--page-size", type=int, default=os2agora.PAGE_SIZE)
        parser.add_argument(
            "--timeout", type=float, default=20.0, help="Seconds to wait for each page."
        )

    def handle(self, *args, **options) -> None:
        if not Department.objects.filter(abbreviation=options["department"]).exists():
            raise CommandError(f"No department with the abbreviation {options['department']!r}.")
        if options["page_size"] < 1:
            raise CommandError("--page-size must be at least 1.")
        try:
            fetch = os2agora.http_fetcher(
                options["base_url"] or settings.OS2AGORA_BASE_URL, timeout=options["timeout"]
            )
        except os2agora.SourceError as exc:
            raise CommandError(str(exc)) from None
        report = os2agora.hearings_import(
            fetch=fetch, department=options["department"], page_size=options["page_size"]
        )
        self.stdout.write(
            f"{report.pages} pages: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.skipped} drafts skipped, "
            f"{report.failed} failed, {report.withdrawn} withdrawn"
        )
        if not report.complete:
            raise CommandError(
                "The hearing portal could not be read completely; nothing was withdrawn: "
                + "; ".join(report.errors)
            )
