"""Sending e-mail in the background, so a page never waits for (or fails on) the mail server."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task(queue_name="email")
def send_email(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
) -> None:
    """Send one e-mail. Arguments are plain values so the task can be stored in the database.

    attachments: (filename, content as text, mimetype), e.g. an iCalendar file.
    """
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or {},
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send()
