"""Mails to the public about following an idea: the double opt-in confirmation.

Builders run in the worker under the recipient's language (sammen.core.mailing) and rebuild the
text from the ids in the mail log row; they return None when the row's object is gone (the
follower stopped, the idea was erased), so the mail is cancelled rather than sent about nothing.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from sammen.core.mailing import Message, mail_template
from sammen.core.models import MailLog
from sammen.ideas.board import public_q
from sammen.ideas.following import (
    CONFIRM_TEMPLATE,
    FOLLOW_CONFIRMATION_VALID_FOR,
    confirm_url,
    unfollow_url,
)
from sammen.ideas.models import Follower, Idea


@mail_template(CONFIRM_TEMPLATE)
def follow_confirm(row: MailLog) -> Message | None:
    """ "Confirm that you want to follow this idea", with the confirm and the stop link."""
    follower = (
        Follower.objects.select_related("idea")
        .filter(pk=row.context.get("follower"), confirmed_at__isnull=True)
        .first()
    )
    if follower is None or not Idea.objects.filter(public_q(), pk=follower.idea_id).exists():
        return None
    idea = follower.idea
    stop_url = unfollow_url(follower)
    context = {
        "title": idea.title,
        "reference": idea.reference,
        "idea_url": settings.SITE_URL + reverse("ideas:detail", args=[idea.reference]),
        "confirm_url": confirm_url(follower),
        "unfollow_url": stop_url,
        "valid_days": FOLLOW_CONFIRMATION_VALID_FOR.days,
        "site_name": "Sammen om Byen",
        "municipality": settings.MUNICIPALITY_NAME,
        "privacy_url": settings.SITE_URL + reverse("core:privacy"),
    }
    return Message(
        subject=gettext("Confirm that you want to follow an idea"),
        text=render_to_string("ideas/email/citizen_follow_confirm.txt", context),
        headers={
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
