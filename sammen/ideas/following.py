"""Following a public idea by e-mail: double opt-in, confirm, stop, and clean-up.

Rules, with their reasons (the same as the opportunity subscriptions in
sammen.participation.subscriptions):
- Double opt-in: a follower row starts unconfirmed and only the confirmation mail is sent, so
  nobody can make a stranger follow an idea; `confirmed_at` documents the consent.
- No enumeration: asking to follow always answers "check your inbox", whether or not the address
  already follows the idea. Only the mailbox learns more.
- One confirmation mail per row: the mail's event key is `follower:<pk>:confirm`, so asking again
  while the first link is valid sends nothing more (a form cannot be used to flood an inbox). Once
  the link has expired the stale row is replaced by a new one, with a new key and a new mail.
- Data minimisation: unconfirmed rows are deleted after FOLLOW_CONFIRMATION_VALID_FOR, stopping
  deletes the row, and the address never goes into a URL, a log or a task argument.

Mail to confirmed followers when the idea changes is sent by the notifications; they find the
followers with `confirmed_followers` and give each mail the link `unfollow_url(follower)`.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from sammen.core.mailing import forget_recipient, queue_mail
from sammen.ideas.models import Follower, Idea

FOLLOW_CONFIRMATION_VALID_FOR = timedelta(days=7)
CONFIRM_TEMPLATE = "ideas.follow_confirm"


def normalise_email(email: str) -> str:
    """Trim and lower-case the domain (the local part may be case-sensitive, RFC 5321)."""
    return BaseUserManager.normalize_email(email.strip())


def unfollow_url(follower: Follower) -> str:
    """The absolute one-click link that stops a follower's mail (for every mail to them)."""
    return settings.SITE_URL + reverse("ideas:unfollow", args=[follower.token])


def confirm_url(follower: Follower) -> str:
    return settings.SITE_URL + reverse("ideas:follow_confirm", args=[follower.token])


def _expired(follower: Follower, now: datetime) -> bool:
    return (
        follower.confirmed_at is None and follower.created_at < now - FOLLOW_CONFIRMATION_VALID_FOR
    )


def follow_request(
    *, idea: Idea, email: str, language: str, now: datetime | None = None
) -> Follower | None:
    """Someone asks to follow `idea`. Returns the row a confirmation mail was queued for, or None
    when nothing was sent (the address already follows, or its earlier link is still valid).

    The caller answers the same in every case. Public ideas only: the view checks that.
    """
    now = now or timezone.now()
    email = normalise_email(email)
    with transaction.atomic():
        existing = Follower.objects.select_for_update().filter(idea=idea, email__iexact=email)
        follower = existing.first()
        if follower is not None and not _expired(follower, now):
            return None
        if follower is not None:
            follower.delete()
        try:
            with transaction.atomic():
                follower = Follower.objects.create(
                    idea=idea, email=email, language=language, created_at=now
                )
        except IntegrityError:  # the same request twice at once: the other one sends the mail
            return None
        queue_mail(
            key=f"follower:{follower.pk}:confirm",
            template=CONFIRM_TEMPLATE,
            recipient=follower.email,
            language=language,
            context={"follower": follower.pk},
        )
    return follower


def follower_for_token(token: str, *, now: datetime | None = None) -> Follower | None:
    """The follower behind a confirm or stop link, or None when unknown or expired unconfirmed."""
    if not token or len(token) > 64:
        return None
    now = now or timezone.now()
    follower = Follower.objects.select_related("idea").filter(token=token).first()
    if follower is None or _expired(follower, now):
        return None
    return follower


def follower_confirm(*, follower: Follower, now: datetime | None = None) -> Follower:
    """Confirm (idempotent: confirming again keeps the first time). Raises Follower.DoesNotExist
    when the row was deleted meanwhile."""
    now = now or timezone.now()
    with transaction.atomic():
        current = Follower.objects.select_for_update().get(pk=follower.pk)
        if current.confirmed_at is None:
            current.confirmed_at = now
            current.save(update_fields=["confirmed_at"])
    return current


def follower_stop(*, token: str) -> bool:
    """Stop following: the row is deleted. True when there was one (a second click is harmless)."""
    if not token or len(token) > 64:
        return False
    deleted, _by_model = Follower.objects.filter(token=token).delete()
    return bool(deleted)


def confirmed_followers(idea: Idea) -> QuerySet[Follower]:
    """The addresses to tell when a public idea changes."""
    return Follower.objects.filter(idea=idea, confirmed_at__isnull=False).order_by("pk")


def followers_forget_unconfirmed(now: datetime | None = None) -> int:
    """Delete follower rows never confirmed within FOLLOW_CONFIRMATION_VALID_FOR, and empty the
    mail log's recipient of their confirmation mail; returns how many rows."""
    now = now or timezone.now()
    stale = Follower.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - FOLLOW_CONFIRMATION_VALID_FOR
    )
    with transaction.atomic():
        rows = list(stale.values_list("pk", "email"))
        for _pk, email in rows:
            if not Follower.objects.filter(
                email__iexact=email, confirmed_at__isnull=False
            ).exists():
                forget_recipient(email)
        Follower.objects.filter(pk__in=[pk for pk, _email in rows]).delete()
    return len(rows)
