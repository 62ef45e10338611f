"""The poster campaign's indicators for the yearly report (task "campaign").

Each reads `campaign_figures` for the period (computed once per report through `Period.figures`)
and is None when no campaign overlaps the period, so the report says "no data" instead of zero.
A campaign whose posters nobody visited measures 0 visits; its conversion rate is still None,
since there is nothing to divide by. Breakdowns are by the placements' district.
"""

from collections.abc import Callable

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sammen.campaigns.figures import CampaignFigures, DistrictReach, campaign_figures
from sammen.reporting.indicators import TASK_CAMPAIGN, Measurement, Period, Unit, indicator


def _figures(period: Period) -> CampaignFigures:
    return period.figures(campaign_figures)


def _per_district(
    figures: CampaignFigures, value: Callable[[DistrictReach], int | float | None]
) -> tuple[tuple[str, int | float | None], ...]:
    return tuple((row.name or _("No district given"), value(row)) for row in figures.by_district)


def _years(figures: CampaignFigures) -> str:
    """Which campaigns were measured, e.g. "the 2025 campaign"."""
    years = ", ".join(str(c.year) for c in figures.campaigns)
    return ngettext("the %(years)s campaign", "the %(years)s campaigns", len(figures.campaigns)) % {
        "years": years
    }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _with_districts(
    period: Period,
    total: Callable[[CampaignFigures], int | float | None],
    per_district: Callable[[DistrictReach], int | float | None],
) -> Measurement:
    """A count for the period's campaigns with its breakdown by district; no data without one."""
    figures = _figures(period)
    if not figures.has_data:
        return Measurement.no_data()
    return Measurement(
        value=total(figures),
        breakdown=_per_district(figures, per_district),
        note=_years(figures),
    )


@indicator(
    "campaigns.placements",
    task=TASK_CAMPAIGN,
    label=gettext_lazy("Poster sites"),
    description=gettext_lazy("Poster sites with their own short link in the period's campaigns."),
    order=10,
)
def placements(period: Period) -> Measurement:
    return _with_districts(period, lambda f: f.placements, lambda row: row.placements)


@indicator(
    "campaigns.visits",
    task=TASK_CAMPAIGN,
    label=gettext_lazy("Visits through the posters"),
    description=gettext_lazy(
        "Visits through the posters' short links on the days of the period. Counted per poster "
        "site and day; nothing is recorded about who visited."
    ),
    higher_is_better=True,
    order=20,
)
def visits(period: Period) -> Measurement:
    return _with_districts(period, lambda f: f.reach.visits, lambda row: row.reach.visits)


@indicator(
    "campaigns.visits_per_placement",
    task=TASK_CAMPAIGN,
    label=gettext_lazy("Visits per poster site"),
    description=gettext_lazy("Visits through the posters divided by the number of poster sites."),
    higher_is_better=True,
    order=30,
)
def visits_per_placement(period: Period) -> Measurement:
    figures = _figures(period)
    if not figures.has_data or not figures.placements:
        return Measurement.no_data()
    return Measurement(
        value=_round(figures.visits_per_placement, 1),
        breakdown=_per_district(figures, lambda row: _round(row.visits_per_placement, 1)),
        note=ngettext("%(n)s poster site", "%(n)s poster sites", figures.placements)
        % {"n": figures.placements},
    )


@indicator(
    "campaigns.placements_never_visited",
    task=TASK_CAMPAIGN,
    label=gettext_lazy("Poster sites without visits"),
    description=gettext_lazy(
        "Poster sites whose short link was not visited on any day of the period."
    ),
    higher_is_better=False,
    order=35,
)
def placements_never_visited(period: Period) -> Measurement:
    figures = _figures(period)
    if not figures.has_data:
        return Measurement.no_data()
    return Measurement(
        value=figures.placements_never_visited,
        note=ngettext("of %(n)s poster site", "of %(n)s poster sites", figures.placements)
        % {"n": figures.placements},
    )


@indicator(
    "campaigns.subscriptions",
    task=TASK_CAMPAIGN,
    label=gettext_lazy("Subscriptions from the posters"),
    description=gettext_lazy(
        "New subscriptions to Få indflydelse made after a visit through a poster's short link."
    ),
    higher_is_better=True,
    order=40,
)
def subscriptions(period: Period) -> Measurement:
    return _with_districts(
        period, lambda f: f.reach.subscriptions, lambda row: row.reach.subscriptions
    )


@indicator(
    "campaigns.ideas",
    task=TASK_CAMPAIGN,
    label=gettext_lazy("Ideas from the posters"),
    description=gettext_lazy("Ideas submitted after a visit through a poster's short link."),
    higher_is_better=True,
    order=50,
)
def ideas(period: Period) -> Measurement:
    return _with_districts(period, lambda f: f.reach.ideas, lambda row: row.reach.ideas)


@indicator(
    "campaigns.conversion_rate",
    task=TASK_CAMPAIGN,
    label=gettext_lazy("Conversion rate of the posters"),
    unit=Unit.SHARE,
    description=gettext_lazy(
        "New subscriptions and ideas per visit through the posters' short links."
    ),
    higher_is_better=True,
    order=60,
)
def conversion_rate(period: Period) -> Measurement:
    figures = _figures(period)
    if not figures.has_data:
        return Measurement.no_data()
    if not figures.reach.visits:
        return Measurement(value=None, note=_("no visits to measure by"))
    return Measurement(
        value=_round(figures.reach.conversion_rate, 4),
        breakdown=_per_district(figures, lambda row: _round(row.reach.conversion_rate, 4)),
        note=ngettext("of %(n)s visit", "of %(n)s visits", figures.reach.visits)
        % {"n": number_format(figures.reach.visits, force_grouping=True)},
    )
