"""One campaign's results for the staff page and its CSV: the figures, last year's comparison,
the days lined up by day of campaign, the placement table's order and the CSV rows.

The results of the campaign of year Y are its reach on the days of year Y (widened to the
campaign's own dates should they spill over the turn of the year): the same days the yearly
report counts for Y, so the page and the report give the same numbers.
"""

import csv
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from sammen.campaigns.figures import CampaignFigures, PlacementReach, campaign_figures, natural_key
from sammen.campaigns.models import Campaign, DailyReach

# Cells a spreadsheet would run as a formula ("=HYPERLINK(...)"): prefixed with an apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def results_period(campaign: Campaign) -> tuple[date, date]:
    """The campaign's year, widened to the campaign's dates if they fall outside it."""
    return (
        min(date(campaign.year, 1, 1), campaign.starts_on),
        max(date(campaign.year, 12, 31), campaign.ends_on),
    )


def results_figures(campaign: Campaign, *, now: datetime | None = None) -> CampaignFigures:
    start, end = results_period(campaign)
    return campaign_figures(start, end, campaign=campaign, now=now)


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """Last year's campaign, the one the results are compared with (None when there was none)."""
    return Campaign.objects.filter(year=campaign.year - 1).first()


@dataclass(frozen=True)
class Comparison:
    """One measure this year and last year. `previous` is None when there was no campaign last
    year, or (for the conversion rate) no visit to divide by."""

    label: str
    current: int | float | None
    previous: int | float | None
    is_share: bool = False

    @property
    def current_percent(self) -> float | None:
        return None if self.current is None else self.current * 100

    @property
    def previous_percent(self) -> float | None:
        return None if self.previous is None else self.previous * 100

    @property
    def change(self) -> float | None:
        """Counts: the change in per cent of last year's number. Shares: the change in
        percentage points, because a per cent of a per cent reads as nonsense. None when there is
        nothing to compare (no campaign last year, or last year's count was 0)."""
        if self.current is None or self.previous is None:
            return None
        if self.is_share:
            return (self.current - self.previous) * 100
        if self.previous == 0:
            return None
        return (self.current - self.previous) / self.previous * 100


def comparisons(current: CampaignFigures, previous: CampaignFigures | None) -> list[Comparison]:
    """The totals at the top of the page, each with last year's."""
    before = previous.reach if previous is not None else None
    rows: list[tuple[Any, Callable[[Any], Any], bool]] = [
        (gettext_lazy("Visits"), lambda r: r.visits, False),
        (gettext_lazy("New subscriptions"), lambda r: r.subscriptions, False),
        (gettext_lazy("Ideas submitted"), lambda r: r.ideas, False),
        (gettext_lazy("Conversion rate"), lambda r: r.conversion_rate, True),
    ]
    return [
        Comparison(
            label=str(label),
            current=value(current.reach),
            previous=value(before) if before is not None else None,
            is_share=is_share,
        )
        for label, value, is_share in rows
    ]


@dataclass(frozen=True)
class DayRow:
    """One day of campaign (day 1 is the first day on the posters) this year and last year;
    the dates and visits are None where a campaign has no such day."""

    number: int
    day: date | None
    visits: int | None
    previous_day: date | None
    previous_visits: int | None


def day_rows(
    campaign: Campaign,
    figures: CampaignFigures,
    previous: Campaign | None = None,
    previous_figures: CampaignFigures | None = None,
) -> list[DayRow]:
    """The days of both campaigns lined up by day of campaign, for the chart and its table."""
    this_year = {(d.day - campaign.starts_on).days + 1: d for d in figures.by_day}
    last_year = {}
    if previous is not None and previous_figures is not None:
        last_year = {(d.day - previous.starts_on).days + 1: d for d in previous_figures.by_day}
    rows = []
    for number in sorted(set(this_year) | set(last_year)):
        mine, theirs = this_year.get(number), last_year.get(number)
        rows.append(
            DayRow(
                number=number,
                day=mine.day if mine else None,
                visits=mine.reach.visits if mine else None,
                previous_day=theirs.day if theirs else None,
                previous_visits=theirs.reach.visits if theirs else None,
            )
        )
    return rows


def chart_values(values: list[int | None]) -> list[float]:
    """A line's values with the days a campaign did not have as gaps (NaN), not as zeros: a
    campaign still running would otherwise seem to drop to no visits at all after today."""
    return [math.nan if v is None else float(v) for v in values]


# The placement table's columns that can be sorted, and how.
SORTS: dict[str, Callable[[PlacementReach], Any]] = {
    "site": lambda r: natural_key(r.site_code),
    "address": lambda r: natural_key(r.address),
    "district": lambda r: (r.district_number is None, r.district_number or 0),
    "visits": lambda r: r.reach.visits,
    "subscriptions": lambda r: r.reach.subscriptions,
    "ideas": lambda r: r.reach.ideas,
}
DEFAULT_SORT = "-visits"


def parse_sort(value: str | None) -> tuple[str, bool]:
    """`?sort=visits` or `?sort=-visits` as (column, descending); anything else is the default."""
    value = value or DEFAULT_SORT
    descending = value.startswith("-")
    column = value.removeprefix("-")
    if column not in SORTS:
        return parse_sort(DEFAULT_SORT)
    return column, descending


def sort_placements(rows: tuple[PlacementReach, ...], column: str, descending: bool) -> list:
    """The placements in the order asked for; ties keep the site codes in order."""
    by_site = sorted(rows, key=lambda r: natural_key(r.site_code))
    return sorted(by_site, key=SORTS[column], reverse=descending)


# --- CSV --------------------------------------------------------------------------------------


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a value starting like a formula gets an apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_header() -> list[str]:
    return [
        _("Date"),
        _("Poster site code"),
        _("Address"),
        pgettext("column heading", "District"),
        _("Visits"),
        _("New subscriptions"),
        _("Ideas submitted"),
    ]


def csv_lines(campaign: Campaign, figures: CampaignFigures) -> Iterator[str]:
    """The results as CSV for Danish Excel: semicolon-separated (Excel in Danish reads a comma
    as the decimal sign), dates as ISO 8601 (YYYY-MM-DD, which Excel reads as a date in every
    language), one header row. One row per placement and day, for every day of the page's chart
    (see `figures`), days without visits included as 0 so a pivot table sees every poster site.
    The byte order mark that makes Excel read UTF-8 is the caller's to add. One query."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    start, end = results_period(campaign)
    counted = {
        (row["placement_id"], row["day"]): row
        for row in DailyReach.objects.filter(
            placement__campaign=campaign, day__gte=start, day__lte=end
        )
        .order_by()
        .values("placement_id", "day", "visits", "subscriptions", "ideas")
    }
    placements = sorted(figures.by_placement, key=lambda r: natural_key(r.site_code))
    yield writer.writerow(csv_header())
    for day in figures.by_day:
        for placement in placements:
            row = counted.get((placement.pk, day.day), {})
            yield writer.writerow(
                [
                    day.day.isoformat(),
                    safe_cell(placement.site_code),
                    safe_cell(placement.address),
                    safe_cell(placement.district),
                    row.get("visits", 0),
                    row.get("subscriptions", 0),
                    row.get("ideas", 0),
                ]
            )
