"""Daily job (cron): erase personal data the municipality no longer needs (issue §5).

- closed ideas past IDEAS_RETENTION_MONTHS are anonymised (privacy.anonymise_expired);
- ideas never confirmed are deleted a week after their link expired (privacy.delete_unconfirmed);
- follower rows never confirmed are deleted (following.followers_forget_unconfirmed).

Safe to run any number of times: each step picks only what is still due. The output holds
counts only, never a name, an address or a reference.
"""

from typing import Any

from django.core.management.base import BaseCommand

from sammen.ideas.following import followers_forget_unconfirmed
from sammen.ideas.privacy import anonymise_expired, delete_unconfirmed


class Command(BaseCommand):
    help = "Anonymise closed ideas past the retention period and delete unconfirmed ones."

    def handle(self, *args: Any, **options: Any) -> None:
        anonymised = anonymise_expired()
        deleted = delete_unconfirmed()
        followers = followers_forget_unconfirmed()
        self.stdout.write(
            f"Anonymised {anonymised} closed idea(s); deleted {deleted} unconfirmed idea(s) "
            f"and {followers} unconfirmed follower(s)."
        )
