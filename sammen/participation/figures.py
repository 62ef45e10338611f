"""The figures about opportunities and subscriptions that the yearly report needs, for any period.

Both functions look at the period from `start` to `end` (both included, Copenhagen dates). A
report that must not change is frozen by storing the figures' `as_dict()`.

`opportunity_figures(start, end)` counts the opportunities FIRST published in the period
(`published_at`, which unpublishing keeps and a later re-publication does not move). Everything
else about them (withdrawn, closed, outcome) is taken as it stands at `now`, like the ideas'
figures, so last year's share with an outcome still grows as last year's outcomes are published.
- published: first published in the period and not withdrawn by the source. One unpublished by
  staff since still counts: it was public in the period. `withdrawn` counts apart those first
  published in the period that the hearing portal has since stopped listing (most likely
  cancelled), so they neither swell the count nor sit in the outcome share as a missing outcome.
- by department: an opportunity run by several departments counts once under EACH of them, so
  the rows add up to more than `published`; `without_department` counts those with none.
- by channel: every channel, 0 included, in the channels' own order.
- imported / written here: by `source` (the hearing portal, or written by staff on the platform).
- with a published outcome: of the published ones that have closed by now (their `closes_at`,
  the deadline or else the end or start, has passed) or already have an outcome, those with a
  published outcome (`outcome_published_at`). Opportunities still open, and standing ones with
  no date at all, are left out: they cannot have an outcome yet.
- has_data: whether any opportunity was first published in the period (withdrawn included).

Four queries whatever the number of opportunities: the opportunities, their departments counted
per department, the departments and the channels.

`subscription_figures(start, end)` counts confirmed subscriptions to the weekly digest. What can
be known is limited by design: unsubscribing DELETES the row (data minimisation), unconfirmed rows
are deleted after a week, and confirming again with an address that already subscribes keeps the
first row and its confirmation date. So:
- new: subscriptions confirmed in the period AND STILL SUBSCRIBED NOW. Those who subscribed and
  have unsubscribed since left no trace; for a past period this is a lower bound.
- active at the end: subscriptions confirmed before the end of the period and still subscribed
  now: those who were subscribed at the end and are still. Those who unsubscribed after the
  period cannot be counted, so for a past period this too is a lower bound; for the period that
  is running it is exact (the subscriptions active now).
- has_data: whether any confirmed subscription is counted as active at the end.

One query whatever the number of subscriptions.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from sammen.core.models import Department
from sammen.core.workdays import COPENHAGEN
from sammen.participation.models import Channel, Opportunity, Subscription


@dataclass(frozen=True)
class Share:
    """`count` of `of`; `value` is None when there is nothing to divide by."""

    count: int
    of: int

    @property
    def value(self) -> float | None:
        return self.count / self.of if self.of else None

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "of": self.of, "share": self.value}


@dataclass(frozen=True)
class DepartmentCount:
    abbreviation: str
    name: str
    published: int


@dataclass(frozen=True)
class ChannelCount:
    slug: str
    name: str
    published: int


@dataclass(frozen=True)
class OpportunityFigures:
    """The figures of one period; see the module's docstring for what each one means."""

    start: date
    end: date
    computed_at: datetime
    published: int
    withdrawn: int
    unpublished_since: int
    by_department: tuple[DepartmentCount, ...]
    without_department: int
    by_channel: tuple[ChannelCount, ...]
    imported: int
    written_here: int
    with_outcome: Share

    @property
    def has_data(self) -> bool:
        return self.published + self.withdrawn > 0

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types only (dates and times as ISO 8601), for a frozen yearly report."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "computed_at": self.computed_at.isoformat(),
            "has_data": self.has_data,
            "published": self.published,
            "withdrawn": self.withdrawn,
            "unpublished_since": self.unpublished_since,
            "by_department": [asdict(row) for row in self.by_department],
            "without_department": self.without_department,
            "by_channel": [asdict(row) for row in self.by_channel],
            "imported": self.imported,
            "written_here": self.written_here,
            "with_outcome": self.with_outcome.as_dict(),
        }


@dataclass(frozen=True)
class SubscriptionFigures:
    """The figures of one period; see the module's docstring for what each one means."""

    start: date
    end: date
    computed_at: datetime
    new: int
    active_at_end: int

    @property
    def has_data(self) -> bool:
        return self.active_at_end > 0

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types only (dates and times as ISO 8601), for a frozen yearly report."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "computed_at": self.computed_at.isoformat(),
            "has_data": self.has_data,
            "new": self.new,
            "active_at_end": self.active_at_end,
        }


def _period(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in Copenhagen, as aware datetimes."""
    if end < start:
        raise ValueError("the period ends before it starts")
    return (
        datetime.combine(start, time.min, tzinfo=COPENHAGEN),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=COPENHAGEN),
    )


def opportunity_figures(
    start: date, end: date, *, now: datetime | None = None
) -> OpportunityFigures:
    """The figures for the opportunities first published from `start` to `end` (inclusive)."""
    now = now or timezone.now()
    since, until = _period(start, end)
    in_period = Opportunity.objects.filter(published_at__gte=since, published_at__lt=until)
    through = Opportunity.departments.through
    rows = list(
        in_period.annotate(
            has_department=Exists(through.objects.filter(opportunity_id=OuterRef("pk")))
        )
        .order_by()
        .values(
            "channel_id",
            "source",
            "is_published",
            "withdrawn_at",
            "closes_at",
            "outcome_published_at",
            "has_department",
        )
    )
    per_department = dict(
        through.objects.filter(
            opportunity__in=in_period.filter(withdrawn_at__isnull=True).values("pk")
        )
        .order_by()
        .values_list("department_id")
        .annotate(n=Count("opportunity_id"))
    )
    departments = list(Department.objects.only("abbreviation", "name_da", "name_en"))
    channels = list(Channel.objects.only("slug", "name_da", "name_en"))

    live = [r for r in rows if r["withdrawn_at"] is None]
    judged = [
        r
        for r in live
        if r["outcome_published_at"] is not None
        or (r["closes_at"] is not None and r["closes_at"] <= now)
    ]
    return OpportunityFigures(
        start=start,
        end=end,
        computed_at=now,
        published=len(live),
        withdrawn=len(rows) - len(live),
        unpublished_since=sum(1 for r in live if not r["is_published"]),
        by_department=tuple(
            DepartmentCount(
                abbreviation=d.abbreviation, name=d.name, published=per_department.get(d.pk, 0)
            )
            for d in departments
        ),
        without_department=sum(1 for r in live if not r["has_department"]),
        by_channel=tuple(
            ChannelCount(
                slug=c.slug,
                name=c.name,
                published=sum(1 for r in live if r["channel_id"] == c.pk),
            )
            for c in channels
        ),
        imported=sum(1 for r in live if r["source"] == Opportunity.Source.OS2AGORA),
        written_here=sum(1 for r in live if r["source"] == Opportunity.Source.LOCAL),
        with_outcome=Share(
            count=sum(1 for r in judged if r["outcome_published_at"] is not None),
            of=len(judged),
        ),
    )


def subscription_figures(
    start: date, end: date, *, now: datetime | None = None
) -> SubscriptionFigures:
    """The confirmed subscriptions of the period from `start` to `end` (inclusive)."""
    now = now or timezone.now()
    since, until = _period(start, end)
    counts = Subscription.objects.filter(confirmed_at__isnull=False).aggregate(
        new=Count("pk", filter=Q(confirmed_at__gte=since, confirmed_at__lt=until)),
        active=Count("pk", filter=Q(confirmed_at__lt=until)),
    )
    return SubscriptionFigures(
        start=start,
        end=end,
        computed_at=now,
        new=counts["new"],
        active_at_end=counts["active"],
    )
