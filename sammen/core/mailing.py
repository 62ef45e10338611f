"""E-mail that is logged, sent in the background, retried when the server refuses, and never sent
twice for the same event.

How a mail goes out:
1. The code that records an event calls `queue_mail(key=..., template=..., recipient=...)` inside
   its transaction. That creates one `MailLog` row; the key names the event ("idea:42:receipt"),
   and is unique, so queuing the same event again finds the row and queues nothing.
2. After the transaction commits, the task `deliver_mail` is enqueued for the worker. The page
   never waits for the mail server, and a rolled-back change sends nothing.
3. The task claims the row (queued or failed → sending) under a row lock in its own transaction,
   builds the message with the builder registered for the template, sends it, and marks the row
   sent. If the server refuses, the row goes back to failed with the error's name; the scheduled
   command `retry_mail` re-enqueues failed rows with a growing pause, and queued rows whose task
   was lost (the process died between commit and enqueue).

The body is never stored: builders rebuild it from ids in `MailLog.context` when the mail is sent,
in the recipient's language. A builder returns None when its object is gone (an idea erased
meanwhile); the row is then cancelled.

Exactly once is impossible with SMTP; we choose at most once for the narrow window in which the
server has accepted the mail but the worker dies before marking the row: such a row stays
"sending" and is not sent again (it shows on the mail log for staff to check), rather than risk a
second copy. Every other failure is retried until it is sent.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation

from sammen.core.models import MailLog

logger = logging.getLogger(__name__)

# Failed rows are retried after 5 minutes, then 10, 20, ... up to this many attempts in all.
MAX_ATTEMPTS = 8
FIRST_RETRY_AFTER = timedelta(minutes=5)
# A queued row older than this never got its task (the process died after commit): enqueue again.
LOST_TASK_AFTER = timedelta(minutes=15)


@dataclass
class Message:
    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # (filename, content, mimetype)
    attachments: list[tuple[str, Any, str]] = field(default_factory=list)


Builder = Callable[[MailLog], Message | None]
_builders: dict[str, Builder] = {}


def mail_template(name: str) -> Callable[[Builder], Builder]:
    """Register the builder of the mails of one template, e.g. @mail_template("ideas.receipt")."""

    def register(builder: Builder) -> Builder:
        if name in _builders and _builders[name] is not builder:
            raise ValueError(f"Two builders for the mail template {name!r}")
        _builders[name] = builder
        return builder

    return register


def registered_templates() -> frozenset[str]:
    return frozenset(_builders)


def queue_mail(
    *,
    key: str,
    template: str,
    recipient: str,
    language: str = "",
    context: dict[str, Any] | None = None,
) -> MailLog | None:
    """Log one mail for the event `key` and send it after the current transaction commits.

    Returns the new row, or None when this event's mail was queued before (nothing is sent again)
    or there is no address to send to. `context` holds ids for the builder, never personal data.
    """
    if template not in _builders:
        raise ValueError(f"No builder registered for the mail template {template!r}")
    if not recipient:
        return None
    with transaction.atomic():
        row, created = MailLog.objects.get_or_create(
            key=key[:200],
            defaults={
                "template": template,
                "recipient": recipient,
                "language": language or settings.LANGUAGE_CODE,
                "context": context or {},
            },
        )
    if not created:
        return None
    transaction.on_commit(lambda: deliver_mail.enqueue(mail_id=row.pk))
    return row


@task(queue_name="email")
def deliver_mail(*, mail_id: int) -> str:
    """The worker's entry point; see `deliver`."""
    return deliver(mail_id)


def _claim(mail_id: int) -> MailLog | None:
    with transaction.atomic():
        row = MailLog.objects.select_for_update().filter(pk=mail_id).first()
        if row is None or row.status not in (MailLog.Status.QUEUED, MailLog.Status.FAILED):
            return None
        row.status = MailLog.Status.SENDING
        row.attempts += 1
        row.save(update_fields=["status", "attempts", "updated_at"])
        return row


def _finish(row: MailLog, status: str, error: str = "") -> None:
    row.status = status
    row.last_error = error[:200]
    fields = ["status", "last_error", "updated_at"]
    if status == MailLog.Status.SENT:
        row.sent_at = timezone.now()
        fields.append("sent_at")
    row.save(update_fields=fields)


def deliver(mail_id: int) -> str:
    """Send one logged mail if nobody has sent or is sending it; return the row's new status.

    Never raises for a refusing mail server: the row is marked failed for `retry_mail`, so neither
    a page (tasks run at once in development) nor the worker loses the event.
    """
    row = _claim(mail_id)
    if row is None:
        current = MailLog.objects.filter(pk=mail_id).values_list("status", flat=True).first()
        return current or "missing"
    builder = _builders.get(row.template)
    try:
        with translation.override(row.language):
            message = builder(row) if builder else None
        if message is None:
            _finish(row, MailLog.Status.CANCELLED, "nothing to send")
            return row.status
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[row.recipient],
            headers=message.headers,
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        for filename, content, mimetype in message.attachments:
            email.attach(filename, content, mimetype)
        email.send()
    except Exception as error:  # the server refused or was away: retry later
        logger.warning("Mail %s (%s) failed: %s", row.pk, row.template, type(error).__name__)
        _finish(row, MailLog.Status.FAILED, f"{type(error).__name__}: {error}")
        return row.status
    _finish(row, MailLog.Status.SENT)
    return row.status


def retry_due(*, now: datetime | None = None) -> list[int]:
    """Ids of failed rows whose pause is over (5 min, 10, 20 ... doubling) and of queued rows whose
    task was lost. Rows that failed MAX_ATTEMPTS times stay failed for staff to look at."""
    now = now or timezone.now()
    due = list(
        MailLog.objects.filter(
            status=MailLog.Status.QUEUED, updated_at__lt=now - LOST_TASK_AFTER
        ).values_list("pk", flat=True)
    )
    failed = MailLog.objects.filter(
        status=MailLog.Status.FAILED, attempts__lt=MAX_ATTEMPTS
    ).values_list("pk", "attempts", "updated_at")
    for pk, attempts, updated_at in failed:
        pause = FIRST_RETRY_AFTER * (2 ** max(attempts - 1, 0))
        if updated_at <= now - pause:
            due.append(pk)
    return due


def retry_mail(*, now: datetime | None = None) -> int:
    """Enqueue every row `retry_due` names; returns how many."""
    ids = retry_due(now=now)
    for mail_id in ids:
        deliver_mail.enqueue(mail_id=mail_id)
    return len(ids)


def forget_recipient(address: str) -> int:
    """Empty the recipient of every logged mail to `address` (erasure of personal data); the rows
    stay as a record that mail was sent. Returns how many rows."""
    if not address:
        return 0
    return MailLog.objects.filter(recipient__iexact=address).update(recipient="")
