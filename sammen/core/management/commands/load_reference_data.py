from django.core.management.base import BaseCommand

from sammen.core.reference import load_reference_data


class Command(BaseCommand):
    help = "Create or update the municipality's reference data (principles, departments, districts, …). Safe to run again."

    def handle(self, *args, **options) -> None:
        report = load_reference_data()
        for kind in sorted(set(report.created) | set(report.updated)):
            self.stdout.write(
                f"{kind}: {report.created.get(kind, 0)} created, {report.updated.get(kind, 0)} up to date"
            )
