"""The results of a campaign for staff: totals against last year, visits per day and per district
as charts with tables beside them, the placements as a sortable table, and the CSV.

Thin views: the figures come from `sammen.campaigns.figures` through `sammen.campaigns.results`.
The coordinators and administrators who run the campaign and the steering group see the results
(`campaigns.view_results`); other staff get 403.
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sammen.accounts.permissions import has_permission, permission_required
from sammen.campaigns import results as results_data
from sammen.campaigns.figures import CampaignFigures
from sammen.campaigns.models import Campaign
from sammen.core.charts import Chart, Series, bar_chart, line_chart
from sammen.core.workdays import local_date

# Placements per page of the table; a campaign has a few hundred poster sites at most.
PLACEMENTS_PER_PAGE = 50


def _crumbs(campaign: Campaign, can_manage: bool) -> list[tuple[str, str]]:
    """Poster campaigns > the campaign > Results, for those who may open the first two; the
    steering group, who see only results, get no trail of pages they cannot open."""
    if not can_manage:
        return []
    return [
        (_("Poster campaigns"), reverse("campaigns_staff:index")),
        (str(campaign.year), reverse("campaigns_staff:detail", args=[campaign.year])),
        (_("Results"), ""),
    ]


def _day_chart(
    campaign: Campaign, previous: Campaign | None, rows: list[results_data.DayRow]
) -> Chart:
    series = [
        Series(str(campaign.year), results_data.chart_values([r.visits for r in rows])),
    ]
    if previous is not None:
        series.append(
            Series(str(previous.year), results_data.chart_values([r.previous_visits for r in rows]))
        )
    return line_chart(
        _("Visits per day of the campaign"),
        [str(r.number) for r in rows],
        series,
        unit=_("Visits"),
    )


def _district_chart(figures: CampaignFigures) -> Chart:
    return bar_chart(
        _("Visits per district"),
        [row.name or _("No district given") for row in figures.by_district],
        [row.reach.visits for row in figures.by_district],
        unit=_("Visits"),
    )


def _sort_links(column: str, descending: bool) -> dict[str, dict[str, str]]:
    """For each sortable column: the `sort` value its heading links to (the other direction when
    it is the current column; numbers start with the largest, text with A) and its aria-sort."""
    links = {}
    for name in results_data.SORTS:
        numeric = name in ("visits", "subscriptions", "ideas")
        if name == column:
            target = name if descending else f"-{name}"
            state = "descending" if descending else "ascending"
        else:
            target = f"-{name}" if numeric else name
            state = ""
        links[name] = {"sort": target, "aria_sort": state}
    return links


@permission_required("campaigns.view_results")
@require_safe
def results(request: HttpRequest, year: int) -> HttpResponse:
    """A campaign's reach: what the posters led to, compared with last year's campaign."""
    campaign = get_object_or_404(Campaign, year=year)
    now = timezone.now()
    figures = results_data.results_figures(campaign, now=now)
    previous = results_data.previous_campaign(campaign)
    previous_figures = (
        results_data.results_figures(previous, now=now) if previous is not None else None
    )
    days = results_data.day_rows(campaign, figures, previous, previous_figures)
    has_visits = figures.reach.visits > 0
    column, descending = results_data.parse_sort(request.GET.get("sort"))
    placements = results_data.sort_placements(figures.by_placement, column, descending)
    page = Paginator(placements, PLACEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    can_manage = has_permission(request.user, "campaigns.manage")
    return render(
        request,
        "campaigns/staff/results.html",
        {
            "noindex": True,
            "campaign": campaign,
            "figures": figures,
            "previous": previous,
            "previous_figures": previous_figures,
            "comparisons": results_data.comparisons(figures, previous_figures),
            "days": days,
            "has_visits": has_visits,
            "has_started": campaign.starts_on <= local_date(now),
            "day_chart": _day_chart(campaign, previous, days) if has_visits else None,
            "district_chart": _district_chart(figures) if has_visits else None,
            "page_obj": page,
            "sort_links": _sort_links(column, descending),
            "can_manage": can_manage,
            "can_view_results": True,
            "crumbs": _crumbs(campaign, can_manage),
        },
    )


@permission_required("campaigns.view_results")
@require_safe
def results_csv(request: HttpRequest, year: int) -> HttpResponse:
    """The reach per placement and day as a CSV file for Excel (see `results.csv_lines`), in
    UTF-8 with a byte order mark so Excel shows æ, ø and å."""
    campaign = get_object_or_404(Campaign, year=year)
    figures = results_data.results_figures(campaign)
    content = "\ufeff" + "".join(results_data.csv_lines(campaign, figures))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = _("campaign-%(year)s-results.csv") % {"year": campaign.year}
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
