"""Subscriptions by e-mail: double opt-in, the weekly digest, unsubscribe and clean-up.

Writes (`subscription_*`, `digest_send`) and reads (`subscription_for_token`, `due_subscription_ids`,
`digest_build`) live together here because they share one small domain; the views, tasks and
management commands only call these functions.

Rules, with their reasons:
- Double opt-in: nothing but the confirmation is sent until the owner of the address confirms, so
  nobody can sign a stranger up (and consent is documented by `confirmed_at`).
- No account enumeration: asking to subscribe always answers "check your inbox", whether or not
  the address already subscribes. Only the mailbox learns more, through the confirmation link.
- Data minimisation: unconfirmed rows are deleted after 7 days, unsubscribing deletes the row, and
  an e-mail address is never written to a log, a URL or the task queue (tasks get only row ids).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from sammen.core.models import District, Topic
from sammen.core.tasks import send_email
from sammen.participation.forms import WHOLE_CITY
from sammen.participation.models import (
    Channel,
    Opportunity,
    OpportunityStatus,
    Subscription,
)
from sammen.participation.selectors import filter_opportunities, public_opportunities, status_q

# A confirmation link works this long; unconfirmed subscriptions are deleted after it.
CONFIRMATION_VALID_FOR = timedelta(days=7)
# The digest is weekly. A subscription is due when its last digest is older than six days, so a
# weekly run that starts a little earlier than last week still finds everyone, while a second run
# in the same week (a retry, a second worker, a mistake) finds nobody due.
DIGEST_INTERVAL = timedelta(days=7)
DIGEST_DUE_AFTER = timedelta(days=6)
# At most this many opportunities per section; the rest are one link away on the website.
DIGEST_SECTION_SIZE = 20


def _districts() -> Prefetch:
    """Districts without their large boundaries, which no e-mail or form needs."""
    return Prefetch("districts", queryset=District.objects.only("id", "name", "slug", "number"))


def _with_choices(qs: QuerySet[Subscription]) -> QuerySet[Subscription]:
    return qs.prefetch_related(_districts(), "topics", "channels")


def normalise_email(email: str) -> str:
    """Trim and lower-case the domain (the local part may be case-sensitive, RFC 5321)."""
    return BaseUserManager.normalize_email(email.strip())


def absolute_url(path: str) -> str:
    """An absolute link for an e-mail, where there is no request to build it from."""
    return f"{settings.SITE_URL}{path}"


# --- reads -----------------------------------------------------------------------------------


def subscription_for_token(token: str, *, now: datetime | None = None) -> Subscription | None:
    """The subscription a confirmation link points to, or None when unknown or expired.

    An unconfirmed subscription older than CONFIRMATION_VALID_FOR counts as gone even before the
    clean-up has deleted it, so the rule does not depend on when the clean-up last ran.
    """
    now = now or timezone.now()
    subscription = _with_choices(Subscription.objects.filter(token=token)).first()
    if subscription is None:
        return None
    if subscription.confirmed_at is None and subscription.created_at < now - CONFIRMATION_VALID_FOR:
        return None
    return subscription


def due_q(now: datetime) -> Q:
    return Q(confirmed_at__isnull=False) & (
        Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=now - DIGEST_DUE_AFTER)
    )


def due_subscription_ids(*, now: datetime | None = None) -> list[int]:
    """Ids of confirmed subscriptions whose weekly digest is due."""
    now = now or timezone.now()
    return list(Subscription.objects.filter(due_q(now)).order_by("pk").values_list("pk", flat=True))


@dataclass
class Choices:
    """What a subscription follows. An empty list means "any" in that dimension."""

    districts: list[District] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)

    @classmethod
    def of(cls, subscription: Subscription) -> "Choices":
        """Uses prefetched relations when there are some."""
        return cls(
            districts=list(subscription.districts.all()),
            topics=list(subscription.topics.all()),
            channels=list(subscription.channels.all()),
        )

    @property
    def is_everything(self) -> bool:
        return not (self.districts or self.topics or self.channels)

    def filter_params(self) -> dict[str, Any]:
        """The same parameters as OpportunityFilterForm, so a digest matches like the list page.

        Districts: the chosen districts OR the whole city (an opportunity with no district concerns
        every district, so a Nørrebro subscriber must hear about it too).
        """
        params: dict[str, Any] = {}
        if self.districts:
            params["district"] = {"districts": self.districts, "whole_city": True}
        if self.topics:
            params["topic"] = self.topics
        if self.channels:
            params["channel"] = self.channels
        return params

    def query_string(self) -> str:
        """The opportunity list's query string for these choices ("see everything on the website")."""
        pairs: list[tuple[str, str]] = []
        if self.districts:
            pairs += [("district", d.slug) for d in self.districts] + [("district", WHOLE_CITY)]
        pairs += [("topic", t.slug) for t in self.topics]
        pairs += [("channel", c.slug) for c in self.channels]
        return urlencode(pairs)

    def form_query_string(self) -> str:
        """The subscribe form's query string that prefills these choices ("change your choices")."""
        pairs = [("district", d.slug) for d in self.districts] or [("district", WHOLE_CITY)]
        pairs += [("topic", t.slug) for t in self.topics]
        pairs += [("channel", c.slug) for c in self.channels]
        return urlencode(pairs)

    def describe(self) -> list[tuple[str, list[str]]]:
        """(heading, names) per dimension, for pages and e-mails, in the active language."""
        every = gettext("All")
        return [
            (gettext("Districts"), [d.name for d in self.districts] or [every]),
            (gettext("Topics"), [t.name for t in self.topics] or [every]),
            (gettext("Ways to take part"), [c.name for c in self.channels] or [every]),
        ]


@dataclass
class Digest:
    new: list[Opportunity]
    closing_soon: list[Opportunity]
    more: bool
    list_url: str

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.closing_soon)


def _for_digest(qs: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return qs.select_related("channel").prefetch_related(_districts())


def digest_build(*, choices: Choices, since: datetime, now: datetime | None = None) -> Digest:
    """The opportunities one digest tells about: new since `since`, and closing within 7 days.

    A fixed number of queries whatever the number of opportunities (tested). An opportunity that
    is both new and closing soon is listed once, as new.
    """
    now = now or timezone.now()
    matching = filter_opportunities(public_opportunities(), choices.filter_params(), now=now)
    still_open = Q(outcome_published_at__isnull=True) & (
        Q(closes_at__isnull=True) | Q(closes_at__gt=now)
    )
    new = list(
        _for_digest(matching.filter(still_open, published_at__gt=since))[: DIGEST_SECTION_SIZE + 1]
    )
    closing = list(
        _for_digest(
            matching.filter(status_q(OpportunityStatus.CLOSING_SOON, now)).exclude(
                published_at__gt=since
            )
        )[: DIGEST_SECTION_SIZE + 1]
    )
    more = len(new) > DIGEST_SECTION_SIZE or len(closing) > DIGEST_SECTION_SIZE
    query = choices.query_string()
    list_url = absolute_url(reverse("participation:opportunity_list")) + (
        f"?{query}" if query else ""
    )
    return Digest(
        new=new[:DIGEST_SECTION_SIZE],
        closing_soon=closing[:DIGEST_SECTION_SIZE],
        more=more,
        list_url=list_url,
    )


# --- e-mails ---------------------------------------------------------------------------------


def _unsubscribe_headers(unsubscribe_url: str) -> dict[str, str]:
    """One-click unsubscribe for mail clients (RFC 8058, required by the large mailbox providers)."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _links(subscription: Subscription) -> dict[str, str]:
    """Absolute links in the active language (call inside translation.override)."""
    change_query = Choices.of(subscription).form_query_string()
    return {
        "change_url": absolute_url(f"{reverse('participation:subscribe')}?{change_query}"),
        "confirm_url": absolute_url(
            reverse("participation:subscribe_confirm", kwargs={"token": subscription.token})
        ),
        "unsubscribe_url": absolute_url(
            reverse("participation:unsubscribe", kwargs={"token": subscription.token})
        ),
        "privacy_url": absolute_url(reverse("core:privacy")),
        "site_url": absolute_url(reverse("participation:home")),
    }


def _send(subscription: Subscription, *, template: str, subject: str, context: dict) -> None:
    """Render the text and HTML parts and send at once.

    Called from a task (the page never waits for the mail server). It calls the e-mail task's
    function directly instead of enqueuing it, so that the address never lands in the task queue
    table and so a failed send fails this task, which then undoes its claim (see `digest_send`).
    """
    context = {
        **context,
        "subject": subject,
        "base_url": settings.SITE_URL,
        "site_name": "Sammen om Byen",
        "municipality": settings.MUNICIPALITY_NAME,
    }
    send_email.call(
        to=[subscription.email],
        subject=subject,
        text=render_to_string(f"participation/email/{template}.txt", context),
        html=render_to_string(f"participation/email/{template}.html", context),
        headers=_unsubscribe_headers(context["unsubscribe_url"]),
    )


def confirmation_send(*, subscription_id: int) -> bool:
    """Send the confirmation e-mail of an unconfirmed subscription, in its language."""
    subscription = _with_choices(
        Subscription.objects.filter(pk=subscription_id, confirmed_at__isnull=True)
    ).first()
    if subscription is None:  # confirmed, unsubscribed or cleaned up in the meantime
        return False
    with translation.override(subscription.language):
        _send(
            subscription,
            template="confirm",
            subject=gettext("Confirm your subscription"),
            context={
                "choices": Choices.of(subscription).describe(),
                "valid_days": CONFIRMATION_VALID_FOR.days,
                **_links(subscription),
            },
        )
    return True


def digest_claim(*, subscription_id: int, previous: datetime | None, now: datetime) -> bool:
    """Claim this week's digest: True for exactly one of any number of workers that read
    `previous` as the row's `last_digest_at`; the others see the row changed and get False.

    A conditional UPDATE is atomic on every database, so no lock is held while the e-mail is sent.
    (`last_digest_at=None` in a filter means IS NULL, so this also claims a first digest.)
    """
    return bool(
        Subscription.objects.filter(due_q(now), pk=subscription_id, last_digest_at=previous).update(
            last_digest_at=now
        )
    )


def digest_send(*, subscription_id: int, now: datetime | None = None) -> bool:
    """Send one subscription's weekly digest; True when an e-mail went out.

    Two workers may run this for the same subscription (a command run twice, a task retried). The
    row is claimed with a conditional UPDATE that only succeeds while `last_digest_at` still holds
    the value read before, so exactly one of them goes on. If sending fails, the claim is undone
    and the error re-raised: the task is marked failed and the next run sends the digest again.
    """
    now = now or timezone.now()
    subscription = _with_choices(
        Subscription.objects.filter(due_q(now), pk=subscription_id)
    ).first()
    if subscription is None:  # not due, not confirmed, or gone
        return False
    previous = subscription.last_digest_at
    if not digest_claim(subscription_id=subscription.pk, previous=previous, now=now):
        return False

    with translation.override(subscription.language):
        choices = Choices.of(subscription)
        digest = digest_build(choices=choices, since=previous or now - DIGEST_INTERVAL, now=now)
        # Nothing new and nothing closing: no e-mail. The claim stays, so next week's digest tells
        # what is new since now, and nothing is told twice.
        if digest.is_empty:
            return False
        try:
            _send(
                subscription,
                template="digest",
                subject=gettext("New ways to influence your city"),
                context={"digest": digest, "choices": choices.describe(), **_links(subscription)},
            )
        except Exception:
            Subscription.objects.filter(pk=subscription.pk, last_digest_at=now).update(
                last_digest_at=previous
            )
            raise
    return True


# --- writes ----------------------------------------------------------------------------------


@transaction.atomic
def _subscription_create(
    *,
    email: str,
    language: str,
    districts: list[District],
    topics: list[Topic],
    channels: list[Channel],
) -> Subscription:
    subscription = Subscription(email=normalise_email(email), language=language)
    subscription.full_clean()
    subscription.save()
    subscription.districts.set(districts)
    subscription.topics.set(topics)
    subscription.channels.set(channels)
    return subscription


def subscription_request(
    *,
    email: str,
    language: str,
    districts: list[District],
    topics: list[Topic],
    channels: list[Channel],
) -> Subscription:
    """Store an unconfirmed subscription and send the confirmation e-mail (in the background).

    Every request makes its own unconfirmed row, even when the address already subscribes: each
    confirmation e-mail then confirms exactly the choices it lists, and the caller's answer is the
    same in every case. Confirming merges into an existing subscription (`subscription_confirm`).
    Empty lists mean "any" in that dimension; all three empty means everything.
    """
    from sammen.participation.tasks import send_confirmation

    subscription = _subscription_create(
        email=email,
        language=language,
        districts=districts,
        topics=topics,
        channels=channels,
    )
    # Enqueued after the row's transaction: a worker never looks for a row it cannot see yet. The
    # task gets the id only, so the address is not copied into the task queue table.
    send_confirmation.enqueue(subscription_id=subscription.pk)
    return subscription


@transaction.atomic
def subscription_confirm(
    *, subscription: Subscription, now: datetime | None = None
) -> Subscription:
    """Confirm a subscription; returns the confirmed subscription (possibly another row).

    Confirming twice changes nothing. When the address already has a confirmed subscription, the
    new choices and language replace the old ones there and the new row is deleted: one address
    has one subscription, its unsubscribe links keep working, and its digest schedule is kept.
    """
    now = now or timezone.now()
    # Lock every row of this address, in a fixed order, so two confirmations of the same address
    # at the same moment run one after the other and cannot make two confirmed subscriptions.
    rows = list(
        Subscription.objects.select_for_update()
        .filter(email__iexact=subscription.email)
        .order_by("pk")
    )
    current = next((row for row in rows if row.pk == subscription.pk), None)
    if current is None:
        raise Subscription.DoesNotExist
    if current.confirmed_at is not None:
        return current
    existing = next(
        (row for row in rows if row.pk != current.pk and row.confirmed_at is not None), None
    )
    if existing is None:
        current.confirmed_at = now
        current.save(update_fields=["confirmed_at"])
        return current
    existing.language = current.language
    existing.full_clean()
    existing.save(update_fields=["language"])
    existing.districts.set(current.districts.all())
    existing.topics.set(current.topics.all())
    existing.channels.set(current.channels.all())
    current.delete()
    return existing


def subscription_unsubscribe(*, token: str) -> bool:
    """Delete the subscription with this token; True when there was one. Safe to repeat."""
    deleted, _ = Subscription.objects.filter(token=token).delete()
    return bool(deleted)


def subscriptions_cleanup(*, now: datetime | None = None) -> int:
    """Delete subscriptions left unconfirmed for 7 days; returns how many. Safe to repeat."""
    now = now or timezone.now()
    _total, by_model = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - CONFIRMATION_VALID_FOR
    ).delete()
    return by_model.get(Subscription._meta.label, 0)
