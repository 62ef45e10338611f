"""Reads of the public catalogue: which opportunities are visible, and filtering them.

Every list (page, feeds, CSV, API) goes through `filter_opportunities`, so a filter means the same
everywhere. Prefetching lives in `with_related` so a page's query count does not grow with its rows.
"""

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from sammen.core.models import District
from sammen.participation.models import CLOSING_SOON_DAYS, Channel, Opportunity, OpportunityStatus
from sammen.participation.search import search_opportunities


def public_opportunities() -> QuerySet[Opportunity]:
    """What a citizen may see: published, not withdrawn by its source."""
    return Opportunity.objects.filter(is_published=True, withdrawn_at__isnull=True)


def with_related(qs: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return qs.select_related("channel", "venue").prefetch_related(
        Prefetch("districts", queryset=District.objects.only("id", "name", "slug", "number")),
        "departments",
        "topics",
        "principles",
    )


def status_q(status: str, now: datetime) -> Q:
    """SQL for one status; must agree with Opportunity.status_at (tested together)."""
    no_outcome = Q(outcome_published_at__isnull=True)
    closed = Q(closes_at__lte=now)
    upcoming = Q(deadline__isnull=False, start_at__gt=now)
    soon = Q(deadline__gt=now, deadline__lte=now + timedelta(days=CLOSING_SOON_DAYS))
    if status == OpportunityStatus.OUTCOME_PUBLISHED:
        return ~no_outcome
    if status == OpportunityStatus.CLOSED:
        return no_outcome & closed
    if status == OpportunityStatus.UPCOMING:
        return no_outcome & ~closed & upcoming
    if status == OpportunityStatus.CLOSING_SOON:
        return no_outcome & ~upcoming & soon
    if status == OpportunityStatus.OPEN:
        # "Open" in a filter includes those closing soon: both can be taken part in now.
        return no_outcome & ~upcoming & (Q(closes_at__isnull=True) | Q(closes_at__gt=now))
    raise ValueError(f"unknown status {status!r}")


def open_now_q(now: datetime) -> Q:
    return status_q(OpportunityStatus.OPEN, now)


# What a list shows when no status is chosen: what one can still take part in, now or later.
CURRENT_STATUSES = [OpportunityStatus.UPCOMING, OpportunityStatus.OPEN]


def current_q(now: datetime) -> Q:
    """Upcoming or open (closing soon included): not closed and no outcome yet."""
    return status_q(OpportunityStatus.UPCOMING, now) | status_q(OpportunityStatus.OPEN, now)


def filter_opportunities(
    qs: QuerySet[Opportunity], params: dict[str, Any], *, now: datetime | None = None
) -> QuerySet[Opportunity]:
    """Apply the cleaned data of an OpportunityFilterForm. Sorting: deadline, newest or relevance."""
    now = now or timezone.now()
    if params.get("channel"):
        qs = qs.filter(channel__in=params["channel"])
    district = params.get("district") or {}
    if district.get("districts") or district.get("whole_city"):
        q = Q()
        if district.get("districts"):
            q |= Q(
                pk__in=Opportunity.districts.through.objects.filter(
                    district__in=district["districts"]
                ).values("opportunity_id")
            )
        if district.get("whole_city"):
            q |= ~Q(pk__in=Opportunity.districts.through.objects.values("opportunity_id"))
        qs = qs.filter(q)
    for name, through_field in (
        ("department", "department"),
        ("topic", "topic"),
        ("principle", "principle"),
    ):
        if params.get(name):
            through = getattr(Opportunity, f"{name}s").through
            qs = qs.filter(
                pk__in=through.objects.filter(**{f"{through_field}__in": params[name]}).values(
                    "opportunity_id"
                )
            )
    if params.get("status"):
        q = Q()
        for status in params["status"]:
            q |= status_q(status, now)
        qs = qs.filter(q)
    if params.get("closing_soon"):
        qs = qs.filter(status_q(OpportunityStatus.CLOSING_SOON, now))

    sort = params.get("sort") or ("relevance" if params.get("q") else "deadline")
    if params.get("q"):
        return search_opportunities(
            qs, params["q"], rank=sort == "relevance", then=_order(sort, now)
        )
    return qs.order_by(*_order(sort, now))


def _order(sort: str, now: datetime) -> list[Any]:
    from django.db.models import F

    if sort == "newest":
        return [F("published_at").desc(nulls_last=True), "-pk"]
    # By deadline: the soonest first, those with no closing date last.
    return [F("closes_at").asc(nulls_last=True), "pk"]


def channels_with_counts() -> QuerySet[Channel]:
    from django.db.models import Count

    now = timezone.now()
    visible = Q(opportunities__is_published=True, opportunities__withdrawn_at__isnull=True)
    open_q = Q(opportunities__outcome_published_at__isnull=True) & (
        Q(opportunities__closes_at__isnull=True) | Q(opportunities__closes_at__gt=now)
    )
    # An aggregate drops Meta.ordering, so the order is repeated here.
    return Channel.objects.annotate(
        open_count=Count("opportunities", filter=visible & open_q, distinct=True)
    ).order_by("order", "name_da")
