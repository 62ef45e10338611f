"""The logged mail queue (sammen.core.mailing) against a real SMTP server on 127.0.0.1.

The server (aiosmtpd) refuses first, then accepts, as a mail server that is down for a while
does; Django's SMTP backend talks to it as it would to the city's relay. What must hold: the idea
is saved whatever the mail server says, a refused mail is retried after its pause and arrives
exactly once, and a mail is never sent twice for one event, nor for a change rolled back.
"""

import email
import email.policy
import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction
from django.test import override_settings

from sammen.core import mailing
from sammen.core.mailing import Message, deliver, mail_template, queue_mail, retry_mail
from sammen.core.models import MailLog
from sammen.ideas import services
from sammen.ideas.models import Idea

pytestmark = pytest.mark.django_db

TEMPLATE = "tests.mailing.idea"


@mail_template(TEMPLATE)
def build_idea_mail(row: MailLog) -> Message | None:
    """A mail about one idea, rebuilt from its id; None (cancel) when the idea is gone."""
    idea = Idea.objects.filter(pk=row.context.get("idea")).first()
    if idea is None:
        return None
    return Message(subject=f"Tak for din idé: {idea.title}", text="Vi har modtaget din idé.")


class FlakyServer:
    """An aiosmtpd handler that refuses the next `refusals` mails, then accepts and keeps them.

    `refuse_at` chooses where: "RCPT" answers 550 (the mailbox is refused) and "DATA" answers 451
    (a temporary failure, e.g. the relay's queue is full).
    """

    def __init__(self) -> None:
        self.refusals = 0
        self.refuse_at = "DATA"
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusals and self.refuse_at == "RCPT":
            self.refusals -= 1
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refusals and self.refuse_at == "DATA":
            self.refusals -= 1
            return "451 4.3.0 Try again later"
        self.received.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[FlakyServer]:
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it, as
    sammen/settings.py builds MAILERS for production."""
    handler = FlakyServer()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "127.0.0.1",
                "port": controller.port,
                "username": "",
                "password": "",
                "use_tls": False,
                "use_ssl": False,
                "timeout": 5,
            },
        }
    }
    try:
        with override_settings(MAILERS=mailers):
            yield handler
    finally:
        controller.stop()


def submit() -> Idea:
    return services.idea_submit(
        title="Bænke langs Søerne",
        description="Flere bænke, så ældre kan hvile på turen.",
        contact_name="Karen Hansen",
        email="karen@example.org",
        consent_contact=True,
    )


def submit_and_queue(key: str = "test:receipt") -> tuple[Idea, MailLog]:
    with transaction.atomic():
        idea = submit()
        row = queue_mail(
            key=f"{key}:{idea.pk}",
            template=TEMPLATE,
            recipient=idea.email,
            context={"idea": idea.pk},
        )
    return idea, row


@pytest.mark.parametrize("refuse_at", ["DATA", "RCPT"])
def test_a_refused_mail_keeps_the_idea_and_is_sent_once_after_the_pause(
    smtp, refuse_at, django_capture_on_commit_callbacks
):
    smtp.refuse_at, smtp.refusals = refuse_at, 1
    with django_capture_on_commit_callbacks(execute=True):
        idea, row = submit_and_queue()

    # The idea is stored; the mail is logged as failed, with the server's refusal.
    assert Idea.objects.filter(pk=idea.pk).exists()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MailLog.Status.FAILED, 1)
    expected = "SMTPDataError" if refuse_at == "DATA" else "SMTPRecipientsRefused"
    assert row.last_error.startswith(expected)
    assert smtp.received == []

    # Before the pause is over, the retry job leaves it alone.
    assert retry_mail(now=row.updated_at + mailing.FIRST_RETRY_AFTER - timedelta(seconds=1)) == 0
    row.refresh_from_db()
    assert row.status == MailLog.Status.FAILED
    assert smtp.received == []

    # After the pause it is sent (the tasks run at once in the tests), exactly once.
    assert retry_mail(now=row.updated_at + mailing.FIRST_RETRY_AFTER) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (MailLog.Status.SENT, 2, "")
    assert row.sent_at is not None
    assert len(smtp.received) == 1
    recipients, content = smtp.received[0]
    assert recipients == ["karen@example.org"]
    message = email.message_from_bytes(content, policy=email.policy.default)
    assert message["Subject"] == "Tak for din idé: Bænke langs Søerne"
    assert message.get_content().strip() == "Vi har modtaget din idé."

    # Retrying or delivering again sends nothing more.
    assert retry_mail(now=row.updated_at + timedelta(days=1)) == 0
    assert deliver(row.pk) == MailLog.Status.SENT
    assert len(smtp.received) == 1


def test_a_mail_the_server_accepts_at_once_is_sent_once(smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _idea, row = submit_and_queue()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MailLog.Status.SENT, 1)
    assert len(smtp.received) == 1


def test_a_builder_that_returns_none_cancels_the_mail(smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = queue_mail(
            key="test:gone", template=TEMPLATE, recipient="a@example.org", context={"idea": 0}
        )
    row.refresh_from_db()
    assert (row.status, row.last_error) == (MailLog.Status.CANCELLED, "nothing to send")
    assert retry_mail(now=row.updated_at + timedelta(days=1)) == 0
    assert smtp.received == []


def test_a_row_being_sent_is_not_sent_again(smtp):
    """The worker died after the server accepted and before it marked the row: at most once."""
    idea = submit()
    row = MailLog.objects.create(
        key="test:crashed",
        template=TEMPLATE,
        recipient=idea.email,
        context={"idea": idea.pk},
        status=MailLog.Status.SENDING,
        attempts=1,
    )
    assert deliver(row.pk) == MailLog.Status.SENDING
    assert retry_mail(now=row.updated_at + timedelta(days=1)) == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MailLog.Status.SENDING, 1)
    assert smtp.received == []


def test_one_key_gives_one_mail(smtp, django_capture_on_commit_callbacks):
    idea = submit()
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_mail(
            key="test:once", template=TEMPLATE, recipient=idea.email, context={"idea": idea.pk}
        )
        second = queue_mail(
            key="test:once", template=TEMPLATE, recipient=idea.email, context={"idea": idea.pk}
        )
    assert first is not None and second is None
    assert MailLog.objects.filter(key="test:once").count() == 1
    assert len(smtp.received) == 1


def test_nothing_is_sent_when_the_change_is_rolled_back(smtp, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit_and_queue(key="test:rolled-back")
        raise RuntimeError("the page failed after queuing")
    assert callbacks == []
    assert not Idea.objects.exists()
    assert not MailLog.objects.filter(key__startswith="test:rolled-back").exists()
    assert smtp.received == []


def test_a_template_without_a_builder_is_refused_when_queued():
    with pytest.raises(ValueError, match="No builder"):
        queue_mail(key="test:unknown", template="tests.unknown", recipient="a@example.org")


def test_no_address_no_row():
    assert queue_mail(key="test:nobody", template=TEMPLATE, recipient="") is None
    assert not MailLog.objects.filter(key="test:nobody").exists()
