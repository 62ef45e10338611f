"""A console mail backend for development that people can read.

Django's console backend prints the raw MIME message, where quoted-printable encoding breaks links
over several lines. In `make run` the e-mails are the way to click through confirmation links, so
this one prints the headers that matter and the plain-text body as it reads.
"""

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

_SHOWN_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post")


class ReadableConsoleBackend(DjangoConsoleBackend):
    def write_message(self, message) -> None:  # type: ignore[no-untyped-def]
        lines = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
        ]
        lines += [
            f"{name}: {message.extra_headers[name]}"
            for name in _SHOWN_HEADERS
            if name in message.extra_headers
        ]
        alternatives = [mimetype for _content, mimetype in getattr(message, "alternatives", [])]
        attachments = [getattr(a, "filename", None) or a[0] for a in message.attachments]
        if alternatives:
            lines.append(f"(also as {', '.join(alternatives)})")
        if attachments:
            lines.append(f"Attachments: {', '.join(str(a) for a in attachments)}")
        self.stream.write("\n".join(lines) + "\n\n" + message.body + "\n" + "-" * 79 + "\n")
