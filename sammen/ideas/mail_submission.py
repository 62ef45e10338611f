"""Mails to the citizen about submitting: the confirmation link, the receipt, the re-sent links.

Each builder is registered with `core.mailing.mail_template` and rebuilds its mail from the ids in
`MailLog.context` when the mail is sent, in the recipient's language (the mail queue runs builders
under `translation.override(row.language)`). A builder returns None when there is nothing left to
say (the idea was deleted or erased meanwhile, or a confirmation link is no longer needed), and the
mail is then cancelled. Plain text only; every link is absolute (SITE_URL).
"""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from sammen.core.mailing import Message, mail_template
from sammen.core.models import MailLog
from sammen.ideas import services
from sammen.ideas.models import Idea
from sammen.ideas.states import State
from sammen.ideas.submission import CONFIRM_TEMPLATE, LINKS_TEMPLATE, RECEIPT_TEMPLATE

SITE_NAME = "Sammen om Byen"


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def tracking_url(idea: Idea) -> str:
    """The citizen's private tracking link (the page belongs to `urls_citizen`)."""
    return absolute_url(reverse("ideas:track", args=[idea.tracking_token]))


def _signature() -> dict[str, Any]:
    return {
        "site_name": SITE_NAME,
        "municipality": settings.MUNICIPALITY_NAME,
        "contact_email": settings.CONTACT_EMAIL,
        "privacy_url": absolute_url(reverse("core:privacy")),
    }


def _idea(row: MailLog) -> Idea | None:
    pk = row.context.get("idea")
    idea = Idea.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if idea is None or idea.anonymised_at is not None:
        return None
    return idea


@mail_template(CONFIRM_TEMPLATE)
def confirm_mail(row: MailLog) -> Message | None:
    """The link that confirms the address and sends the idea. Not sent once it is no longer
    needed (already confirmed) or can no longer work (expired)."""
    idea = _idea(row)
    if idea is None or idea.state != State.AWAITING_CONFIRMATION:
        return None
    context = {
        **_signature(),
        "idea": idea,
        "confirm_url": absolute_url(reverse("ideas:confirm", args=[idea.tracking_token])),
        "expires_at": services.confirmation_expires_at(idea),
        "hours": getattr(settings, "IDEAS_CONFIRMATION_HOURS", services.DEFAULT_CONFIRMATION_HOURS),
    }
    return Message(
        subject=gettext("Confirm your e-mail address to send your idea"),
        text=render_to_string("ideas/email/submit_confirm.txt", context),
    )


@mail_template(RECEIPT_TEMPLATE)
def receipt_mail(row: MailLog) -> Message | None:
    """The receipt after confirmation: the reference, what happens next, the deadlines, whom to
    contact and the tracking link (the same content as the receipt page)."""
    idea = _idea(row)
    if idea is None or idea.reference is None:
        return None
    context = {**_signature(), "idea": idea, "track_url": tracking_url(idea)}
    return Message(
        subject=gettext("Receipt for your idea %(reference)s") % {"reference": idea.reference},
        text=render_to_string("ideas/email/submit_receipt.txt", context),
    )


@mail_template(LINKS_TEMPLATE)
def tracking_links_mail(row: MailLog) -> Message | None:
    """The references and tracking links of the ideas sent from the recipient's address, asked
    for again. Ideas erased since the request are left out; with none left, nothing is sent."""
    ids = [pk for pk in row.context.get("ideas", []) if isinstance(pk, int)]
    ideas = list(
        Idea.objects.filter(pk__in=ids, anonymised_at__isnull=True, email__iexact=row.recipient)
        .exclude(state=State.AWAITING_CONFIRMATION)
        .order_by("-confirmed_at", "-pk")
    )
    if not ideas or not row.recipient:
        return None
    context = {
        **_signature(),
        "ideas": [(idea, tracking_url(idea)) for idea in ideas],
    }
    return Message(
        subject=gettext("Your links to follow your ideas"),
        text=render_to_string("ideas/email/submit_links.txt", context),
    )
