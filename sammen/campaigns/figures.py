"""The figures about poster campaigns that the yearly report and the results page need.

`campaign_figures(start, end)` looks at the campaigns whose period (first to last day on the
posters) overlaps `start` to `end` (both included, Copenhagen dates) and counts the reach of
their posters on the days from `start` to `end`. Reach is what the short links counted
(`DailyReach`): no person is behind any of these numbers. Visits on a day outside the period are
not counted, even when they belong to a campaign that is, so that two adjacent periods never
count the same visit twice; nor are visits to a poster whose campaign does not overlap the
period at all (a poster left hanging into the next year).

Definitions (each a plain sum of the counters, so they can be checked by hand):
- visits, subscriptions, ideas: the sums of the daily counters of the campaigns' placements on
  the days of the period. A subscription or an idea is counted when it came from a visit through
  a poster's short link (the placement's code carried through to the form).
- conversions: subscriptions + ideas, the actions the posters led to. One visit may lead to both.
- conversion rate: conversions / visits; None when there were no visits (nothing to divide by).
- by campaign: the same sums per campaign, with its number of placements and of placements
  never visited.
- by district: per district of the placements (only districts with at least one placement),
  by number; the placements without a district last, with `number` None and an empty name.
  Visits per placement is the district's visits divided by its placements.
- by placement: every placement, most visited first (then most conversions, then site code),
  so the first rows are the top placements. `as_dict` keeps the first `TOP_PLACEMENTS`.
- by day: every day from the first campaign day (or the first day with reach, if earlier) to
  the last campaign day (or the last day with reach, if later), limited to the period and to
  today, days without reach counted as 0. Days after today are not listed: they have not
  happened, and a zero for them would read as "nobody came".
- placements: the placements of the campaigns; never visited: those with no visit on any day of
  the period.
- has_data: whether a campaign overlaps the period. A campaign with placements and no visits is
  data (reach measured: zero); a period without a campaign is not, so a report says "no data"
  rather than show zeros for a campaign that never was.

Four queries whatever the number of campaigns, placements and days: the campaigns, the
placements with their districts, the counters summed per placement and summed per day.
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from sammen.campaigns.models import Campaign, DailyReach, Placement
from sammen.core.workdays import local_date

# How many of the most visited placements the frozen report keeps.
TOP_PLACEMENTS = 10


@dataclass(frozen=True)
class Reach:
    """Counted visits and what they led to."""

    visits: int = 0
    subscriptions: int = 0
    ideas: int = 0

    @property
    def conversions(self) -> int:
        return self.subscriptions + self.ideas

    @property
    def conversion_rate(self) -> float | None:
        return self.conversions / self.visits if self.visits else None

    @property
    def conversion_percent(self) -> float | None:
        """The conversion rate in per cent, for pages."""
        rate = self.conversion_rate
        return None if rate is None else rate * 100

    def __add__(self, other: "Reach") -> "Reach":
        return Reach(
            visits=self.visits + other.visits,
            subscriptions=self.subscriptions + other.subscriptions,
            ideas=self.ideas + other.ideas,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "visits": self.visits,
            "subscriptions": self.subscriptions,
            "ideas": self.ideas,
            "conversions": self.conversions,
            "conversion_rate": self.conversion_rate,
        }


def _total(rows: list[Reach]) -> Reach:
    total = Reach()
    for row in rows:
        total = total + row
    return total


@dataclass(frozen=True)
class CampaignReach:
    year: int
    theme: str
    starts_on: date
    ends_on: date
    placements: int
    placements_never_visited: int
    reach: Reach

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "theme": self.theme,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "placements": self.placements,
            "placements_never_visited": self.placements_never_visited,
            "reach": self.reach.as_dict(),
        }


@dataclass(frozen=True)
class DistrictReach:
    """One district's placements; `number` is None (and `name` empty) for those without one."""

    number: int | None
    name: str
    placements: int
    reach: Reach

    @property
    def visits_per_placement(self) -> float | None:
        return self.reach.visits / self.placements if self.placements else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "placements": self.placements,
            "visits_per_placement": self.visits_per_placement,
            "reach": self.reach.as_dict(),
        }


@dataclass(frozen=True)
class PlacementReach:
    """One poster site. `district_number` is None and `district` empty when it has none."""

    pk: int
    campaign_year: int
    code: str
    site_code: str
    address: str
    district_number: int | None
    district: str
    reach: Reach

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row.pop("pk")
        row["reach"] = self.reach.as_dict()
        return row


@dataclass(frozen=True)
class DayReach:
    day: date
    reach: Reach

    def as_dict(self) -> dict[str, Any]:
        return {"day": self.day.isoformat(), **self.reach.as_dict()}


@dataclass(frozen=True)
class CampaignFigures:
    """The figures of one period; see the module's docstring for what each one means."""

    start: date
    end: date
    computed_at: datetime
    campaigns: tuple[CampaignReach, ...]
    reach: Reach
    placements: int
    placements_never_visited: int
    by_district: tuple[DistrictReach, ...]
    by_placement: tuple[PlacementReach, ...] = field(repr=False)
    by_day: tuple[DayReach, ...] = field(repr=False)

    @property
    def has_data(self) -> bool:
        return bool(self.campaigns)

    @property
    def visits_per_placement(self) -> float | None:
        return self.reach.visits / self.placements if self.placements else None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types only (dates and times as ISO 8601), for a frozen yearly report."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "computed_at": self.computed_at.isoformat(),
            "has_data": self.has_data,
            "campaigns": [row.as_dict() for row in self.campaigns],
            "reach": self.reach.as_dict(),
            "placements": self.placements,
            "placements_never_visited": self.placements_never_visited,
            "visits_per_placement": self.visits_per_placement,
            "by_district": [row.as_dict() for row in self.by_district],
            "top_placements": [row.as_dict() for row in self.by_placement[:TOP_PLACEMENTS]],
            "by_day": [row.as_dict() for row in self.by_day],
        }


_SUMS = {"visits": Sum("visits"), "subscriptions": Sum("subscriptions"), "ideas": Sum("ideas")}


def _reach(row: dict[str, Any]) -> Reach:
    return Reach(
        visits=row["visits"] or 0, subscriptions=row["subscriptions"] or 0, ideas=row["ideas"] or 0
    )


def natural_key(text: str) -> tuple:
    """Sort "PS-9" before "PS-10": digits compare as numbers, the rest without case."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.findall(r"\d+|\D+", text)
    )


def campaign_figures(
    start: date,
    end: date,
    *,
    campaign: Campaign | None = None,
    now: datetime | None = None,
) -> CampaignFigures:
    """The figures for the campaigns overlapping `start` to `end` (Copenhagen dates, inclusive)
    and their reach on those days; with `campaign`, for that campaign only (the results page)."""
    if end < start:
        raise ValueError("the period ends before it starts")
    now = now or timezone.now()
    today = local_date(now)
    campaigns_qs = Campaign.objects.filter(starts_on__lte=end, ends_on__gte=start)
    if campaign is not None:
        campaigns_qs = campaigns_qs.filter(pk=campaign.pk)
    campaigns = list(
        campaigns_qs.order_by("starts_on", "year").only(
            "year", "theme_da", "theme_en", "starts_on", "ends_on"
        )
    )
    placements = list(
        Placement.objects.filter(campaign__in=campaigns_qs.values("pk"))
        .order_by()
        .values(
            "pk",
            "campaign_id",
            "code",
            "site_code",
            "address",
            "district__number",
            "district__name",
        )
    )
    counted = DailyReach.objects.filter(
        placement__campaign__in=campaigns_qs.values("pk"), day__gte=start, day__lte=end
    ).order_by()
    per_placement = {
        row["placement_id"]: _reach(row) for row in counted.values("placement_id").annotate(**_SUMS)
    }
    per_day = {row["day"]: _reach(row) for row in counted.values("day").annotate(**_SUMS)}

    year_of = {c.pk: c.year for c in campaigns}
    by_placement = sorted(
        (
            PlacementReach(
                pk=p["pk"],
                campaign_year=year_of[p["campaign_id"]],
                code=p["code"],
                site_code=p["site_code"],
                address=p["address"],
                district_number=p["district__number"],
                district=p["district__name"] or "",
                reach=per_placement.get(p["pk"], Reach()),
            )
            for p in placements
        ),
        key=lambda r: (-r.reach.visits, -r.reach.conversions, natural_key(r.site_code), r.pk),
    )
    return CampaignFigures(
        start=start,
        end=end,
        computed_at=now,
        campaigns=tuple(_campaign_row(c, placements, per_placement) for c in campaigns),
        reach=_total(list(per_placement.values())),
        placements=len(placements),
        placements_never_visited=sum(1 for r in by_placement if r.reach.visits == 0),
        by_district=_by_district(by_placement),
        by_placement=tuple(by_placement),
        by_day=_by_day(campaigns, per_day, start, end, today),
    )


def _campaign_row(
    campaign: Campaign, placements: list[dict[str, Any]], per_placement: dict[int, Reach]
) -> CampaignReach:
    mine = [p["pk"] for p in placements if p["campaign_id"] == campaign.pk]
    return CampaignReach(
        year=campaign.year,
        theme=campaign.theme,
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
        placements=len(mine),
        placements_never_visited=sum(
            1 for pk in mine if per_placement.get(pk, Reach()).visits == 0
        ),
        reach=_total([per_placement[pk] for pk in mine if pk in per_placement]),
    )


def _by_district(rows: list[PlacementReach]) -> tuple[DistrictReach, ...]:
    grouped: dict[int | None, list[PlacementReach]] = {}
    for row in rows:
        grouped.setdefault(row.district_number, []).append(row)
    numbers = sorted(n for n in grouped if n is not None)
    if None in grouped:
        numbers.append(None)  # type: ignore[arg-type]
    return tuple(
        DistrictReach(
            number=number,
            name=grouped[number][0].district,
            placements=len(grouped[number]),
            reach=_total([r.reach for r in grouped[number]]),
        )
        for number in numbers
    )


def _by_day(
    campaigns: list[Campaign], per_day: dict[date, Reach], start: date, end: date, today: date
) -> tuple[DayReach, ...]:
    """Every day the campaigns ran (to today) or had reach, within the period; see above."""
    if not campaigns:
        return ()
    first = min([c.starts_on for c in campaigns] + list(per_day))
    last = max([min(c.ends_on, today) for c in campaigns] + list(per_day))
    first, last = max(first, start), min(last, end)
    return tuple(
        DayReach(day=day, reach=per_day.get(day, Reach()))
        for day in (first + timedelta(days=n) for n in range((last - first).days + 1))
    )
