"""Sending an idea, confirming the e-mail address, and re-sending the tracking links (issue §1).

The views only call these functions. Each write runs in one transaction: the idea (through
`services.idea_submit` / `services.idea_confirm`, the only code that changes an idea), its
attachments and the queued mail are stored together or not at all, and the mail leaves only after
the commit (`core.mailing.queue_mail`), so a failed submission sends nothing and a refusing mail
server loses nothing.

Privacy: mail tasks and mail log keys carry ids only. The key of a re-sent link mail holds a keyed
hash of the address, never the address itself.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import BaseUserManager
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from sammen.core.mailing import queue_mail
from sammen.ideas import services
from sammen.ideas.models import Attachment, Idea
from sammen.ideas.states import State
from sammen.ideas.uploads import CheckedUpload

# Mail templates (builders in sammen.ideas.mail_submission).
CONFIRM_TEMPLATE = "ideas.confirm"
RECEIPT_TEMPLATE = "ideas.receipt"
LINKS_TEMPLATE = "ideas.tracking_links"
# A person can ask for their links again once per hour (the time bucket of the mail's event key).
LINKS_BUCKET_SECONDS = 3600


def _store_attachments(idea: Idea, uploads: Sequence[CheckedUpload], now: datetime) -> list[str]:
    """Write each checked file under a random name; returns the stored names (for clean-up)."""
    stored: list[str] = []
    for checked in uploads:
        attachment = Attachment(
            idea=idea,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_at=now,
        )
        checked.upload.seek(0)
        # The name only gives the extension of the detected type; upload_to makes it random.
        attachment.file.save(f"upload.{checked.extension}", checked.upload, save=False)
        stored.append(attachment.file.name)
        attachment.full_clean()
        attachment.save()
    return stored


def submit_idea(
    *, data: dict[str, Any], attachments: Sequence[CheckedUpload] = (), now: datetime | None = None
) -> Idea:
    """Store the finished draft as an idea awaiting confirmation, with its files, and queue the
    mail with the confirmation link. `data` is `services.idea_submit`'s keyword arguments (from
    `forms_submit.submission_data`) plus `consent_contact`.

    All or nothing: if anything fails, the database rolls back and the files already written are
    deleted, so no half-sent idea or orphan file is left.
    """
    now = now or timezone.now()
    if len(attachments) > Attachment.MAX_PER_IDEA:
        raise ValueError("more attachments than an idea may have; the form checks this first")
    stored: list[str] = []
    try:
        with transaction.atomic():
            idea = services.idea_submit(now=now, **data)
            stored = _store_attachments(idea, attachments, now)
            queue_mail(
                key=f"idea:{idea.pk}:confirm",
                template=CONFIRM_TEMPLATE,
                recipient=idea.email,
                language=idea.language,
                context={"idea": idea.pk},
            )
    except Exception:
        _delete_files(stored)
        raise
    return idea


def _delete_files(names: list[str]) -> None:
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def idea_for_confirmation(token: str) -> Idea | None:
    """The idea a confirmation link points to, or None (never say which tokens exist)."""
    if not token or len(token) > 64:
        return None
    return Idea.objects.filter(tracking_token=token).first()


def confirmation_expired(idea: Idea, *, now: datetime | None = None) -> bool:
    """An idea still awaiting confirmation whose link is older than IDEAS_CONFIRMATION_HOURS."""
    now = now or timezone.now()
    return idea.state == State.AWAITING_CONFIRMATION and now > services.confirmation_expires_at(
        idea
    )


@transaction.atomic
def confirm_idea(*, idea: Idea, now: datetime | None = None) -> Idea:
    """The citizen confirmed the address: the idea enters the queue and the receipt is queued.

    Confirming again is harmless: the idea is already received, and the receipt's event key makes
    sure the receipt mail is sent once. An expired link raises ValidationError (services).
    """
    idea = services.idea_confirm(idea=idea, now=now)
    queue_mail(
        key=f"idea:{idea.pk}:receipt",
        template=RECEIPT_TEMPLATE,
        recipient=idea.email,
        language=idea.language,
        context={"idea": idea.pk},
    )
    return idea


def confirmed_ideas_for(email: str) -> list[tuple[int, str]]:
    """(id, stored address) of the confirmed, not anonymised ideas sent from `email` (compared
    without regard to case), newest first."""
    if not email.strip():
        return []
    return list(
        Idea.objects.filter(email__iexact=email.strip(), anonymised_at__isnull=True)
        .exclude(state=State.AWAITING_CONFIRMATION)
        .order_by("-confirmed_at", "-pk")
        .values_list("pk", "email")
    )


def _address_digest(email: str) -> str:
    """A keyed hash of an address for a mail's event key: the same address gives the same key,
    and the key cannot be turned back into the address without the SECRET_KEY."""
    normalised = BaseUserManager.normalize_email(email.strip()).lower()
    return salted_hmac("sammen.ideas.tracking_links", normalised, algorithm="sha256").hexdigest()[
        :32
    ]


def send_tracking_links(*, email: str, language: str, now: datetime | None = None) -> bool:
    """Queue one mail listing the references and tracking links of the address's ideas.

    Returns whether a mail was queued; the caller must answer the same either way (never tell
    whether an address is known). At most one mail per address per hour: the event key holds the
    hour, so asking twice in an hour sends once, and asking again later works.
    """
    now = now or timezone.now()
    found = confirmed_ideas_for(email)
    if not found:
        return False
    bucket = int(now.timestamp()) // LINKS_BUCKET_SECONDS
    row = queue_mail(
        key=f"ideas:links:{_address_digest(email)}:{bucket}",
        template=LINKS_TEMPLATE,
        # The address as confirmed with the newest idea, not as typed in the form.
        recipient=found[0][1],
        language=language,
        context={"ideas": [pk for pk, _address in found]},
    )
    return row is not None
