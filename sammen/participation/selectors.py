"""Reads of the public catalogue: which opportunities are visible, and filtering them.

Every list (page, feeds, CSV, API) goes through `filter_opportunities`, so a filter means the same
everywhere. Prefetching lives in `with_related` so a page's query count does not grow with its rows.
"""

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone

from sammen.core.models import District
from sammen.participation.models import (
    CLOSING_SOON_DAYS,
    Channel,
    Opportunity,
    OpportunityStatus,
    closes_or_never,
)
from sammen.participation.search import search_opportunities

# Counts over the whole catalogue (tens of thousands of rows at the size of the benchmark) are
# remembered this long: a count a minute old is fine for a citizen, counting on every view is not.
# Lists themselves are never cached, so what a page shows is always current.
COUNT_SECONDS = 60


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
    """SQL for one status; must agree with Opportunity.status_at (tested together).

    "Not closed" is said of `closes_or_never()` rather than as `closes_at > now OR closes_at IS
    NULL`, so the index on it can find (and sort) open ones among 100,000 without reading the
    closed ones first.
    """
    no_outcome = Q(outcome_published_at__isnull=True)
    closed = Q(closes_at__lte=now)
    not_closed = Q(GreaterThan(closes_or_never(), now))
    upcoming = Q(deadline__isnull=False, start_at__gt=now)
    # The deadline within the next days. With a deadline, closes_at is the deadline, so the range
    # is said of closes_or_never() too, for the index.
    soon = (
        Q(deadline__isnull=False)
        & not_closed
        & Q(LessThanOrEqual(closes_or_never(), now + timedelta(days=CLOSING_SOON_DAYS)))
    )
    if status == OpportunityStatus.OUTCOME_PUBLISHED:
        return ~no_outcome
    if status == OpportunityStatus.CLOSED:
        return no_outcome & closed
    if status == OpportunityStatus.UPCOMING:
        return no_outcome & not_closed & upcoming
    if status == OpportunityStatus.CLOSING_SOON:
        return no_outcome & ~upcoming & soon
    if status == OpportunityStatus.OPEN:
        # "Open" in a filter includes those closing soon: both can be taken part in now.
        return no_outcome & ~upcoming & not_closed
    raise ValueError(f"unknown status {status!r}")


def open_now_q(now: datetime) -> Q:
    return status_q(OpportunityStatus.OPEN, now)


# What a list shows when no status is chosen: what one can still take part in, now or later.
CURRENT_STATUSES = [OpportunityStatus.UPCOMING, OpportunityStatus.OPEN]


def current_q(now: datetime) -> Q:
    """Upcoming or open (closing soon included): not closed and no outcome yet.

    The same rows as status_q(UPCOMING) | status_q(OPEN), said in a form the index can serve.
    """
    return Q(outcome_published_at__isnull=True) & Q(GreaterThan(closes_or_never(), now))


def _statuses_q(statuses: list[str], now: datetime) -> Q:
    """Any of the statuses. Upcoming and open together are current_q, which an index serves."""
    covered: set[str] = set()
    q = Q()
    if {OpportunityStatus.UPCOMING, OpportunityStatus.OPEN} <= set(statuses):
        q = current_q(now)
        covered = {
            OpportunityStatus.UPCOMING,
            OpportunityStatus.OPEN,
            OpportunityStatus.CLOSING_SOON,
        }
    for status in statuses:
        if status not in covered:
            q |= status_q(status, now)
    return q


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
        qs = qs.filter(_statuses_q(params["status"], now))
    if params.get("closing_soon"):
        qs = qs.filter(status_q(OpportunityStatus.CLOSING_SOON, now))

    sort = params.get("sort") or ("relevance" if params.get("q") else "deadline")
    if params.get("q"):
        return search_opportunities(
            qs, params["q"], rank=sort == "relevance", then=_order(sort, now)
        )
    return qs.order_by(*_order(sort, now))


def _order(sort: str, now: datetime) -> list[Any]:
    if sort == "newest":
        return [F("published_at").desc(nulls_last=True), "-pk"]
    return closing_order()


def closing_order() -> list[Any]:
    """By deadline: the soonest first, those with no closing date last (the index's order)."""
    return [closes_or_never().asc(), "pk"]


# --- counts --------------------------------------------------------------------------------------


def cached_count(qs: QuerySet, *, key: str) -> int:
    """`qs.count()`, remembered for COUNT_SECONDS under `key` (which must say what qs counts)."""
    count = cache.get(key)
    if count is None:
        count = qs.count()
        cache.set(key, count, COUNT_SECONDS)
    return count


def _normalised(value: Any) -> Any:
    if isinstance(value, dict):
        return sorted((name, _normalised(v)) for name, v in value.items())
    if isinstance(value, list | tuple | set | QuerySet):
        return sorted(str(getattr(v, "pk", v)) for v in value)
    return value


def filter_count_key(params: dict[str, Any], *, scope: str = "public") -> str:
    """A cache key for the count of public opportunities filtered by `params` (cleaned form data).

    Only the filters count: the sort order and the page are left out, so every page and order of
    one filtered list share one count.
    """
    filters = sorted(
        (name, _normalised(value))
        for name, value in params.items()
        if name not in ("sort", "page") and value
    )
    digest = hashlib.sha256(repr(filters).encode()).hexdigest()[:32]
    return f"participation:count:{scope}:{digest}"


def channels_with_counts() -> list[Channel]:
    """The channels in order, each with `open_count`: how many are open or upcoming (cached)."""
    counts = cache.get("participation:count:channels")
    if counts is None:
        rows = (
            public_opportunities()
            .filter(current_q(timezone.now()))
            .order_by()
            .values_list("channel")
            .annotate(n=Count("pk"))
        )
        counts = dict(rows)
        cache.set("participation:count:channels", counts, COUNT_SECONDS)
    channels = list(Channel.objects.order_by("order", "name_da"))
    for channel in channels:
        channel.open_count = counts.get(channel.pk, 0)  # type: ignore[attr-defined]
    return channels


def current_counts_by_district(now: datetime) -> dict[int, int]:
    """District pk → how many open or upcoming opportunities concern it (cached)."""
    counts = cache.get("participation:count:districts")
    if counts is None:
        through = Opportunity.districts.through.objects
        current = public_opportunities().filter(current_q(now)).values("pk")
        rows = (
            through.filter(opportunity__in=current)
            .order_by()
            .values_list("district")
            .annotate(n=Count("opportunity"))
        )
        counts = dict(rows)
        cache.set("participation:count:districts", counts, COUNT_SECONDS)
    return counts
