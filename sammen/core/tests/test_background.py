"""E-mail goes through the database task queue and the worker, and out over real SMTP.

The production path, end to end, against local stand-ins: the django-tasks-db backend with its
`db_worker` command, and a small SMTP server on 127.0.0.1 speaking the protocol for real.
"""

import socketserver
import threading
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from sammen.core.tasks import send_email

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
}


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to accept messages: EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self) -> None:
        self._reply("220 localhost test SMTP")
        envelope: dict = {"to": []}
        while line := self.rfile.readline().decode("utf-8", "replace").rstrip("\r\n"):
            command = line[:4].upper()
            if command in ("EHLO", "HELO"):
                self._reply("250 localhost")
            elif command == "MAIL":
                envelope["from"] = line.split(":", 1)[1].strip()
                self._reply("250 OK")
            elif command == "RCPT":
                envelope["to"].append(line.split(":", 1)[1].strip())
                self._reply("250 OK")
            elif command == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (body_line := self.rfile.readline().decode("utf-8", "replace")) not in (
                    ".\r\n",
                    ".\n",
                    "",
                ):
                    data.append(body_line)
                envelope["data"] = "".join(data)
                self.server.received.append(envelope)  # type: ignore[attr-defined]
                envelope = {"to": []}
                self._reply("250 OK: queued")
            elif command == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("250 OK")

    def _reply(self, text: str) -> None:
        self.wfile.write(f"{text}\r\n".encode())


@pytest.fixture
def smtp_server() -> Iterator[socketserver.ThreadingTCPServer]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_email_is_sent_over_smtp_as_configured_for_production(smtp_server):
    host, port = smtp_server.server_address
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": host, "port": port, "username": "", "password": "", "timeout": 5},
        }
    }
    with override_settings(MAILERS=mailers):
        send_email.call(
            to=["borger@example.dk"], subject="Bekræft dit abonnement", text="Klik på linket."
        )
    assert len(smtp_server.received) == 1
    envelope = smtp_server.received[0]
    assert envelope["to"] == ["<borger@example.dk>"]
    assert "Klik p" in envelope["data"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_email_enqueued_in_the_database():
    with override_settings(TASKS=DATABASE_TASKS):
        result = send_email.enqueue(
            to=["borger@example.dk"], subject="Kvittering", text="Tak for din idé."
        )
        assert mail.outbox == []  # only queued: nothing is sent by the request that enqueued it
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)
        result.refresh()
    assert result.status == "SUCCESSFUL"
    assert [m.subject for m in mail.outbox] == ["Kvittering"]
