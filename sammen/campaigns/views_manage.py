"""Staff pages for running poster campaigns under /personale/kampagner/: the list of campaigns,
creating and editing one, its placements (add, correct, delete, import from CSV) and the posters.

Thin views: each is decorated with `permission_required("campaigns.manage")` (login, second
factor, then the rule). Writes go through `sammen.campaigns.services`; their ValidationErrors are
shown on the form with what was typed. Campaigns are addressed by year, as the public pages are.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sammen.accounts.permissions import has_permission, permission_required
from sammen.campaigns import posters, services
from sammen.campaigns.forms import CampaignForm, ImportForm, PlacementForm
from sammen.campaigns.models import Campaign, Placement

PAGE_SIZE = 25
PLACEMENTS_PAGE_SIZE = 50


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "noindex": True,
            "can_view_results": has_permission(request.user, "campaigns.view_results"),
            "can_manage": has_permission(request.user, "campaigns.manage"),
            **context,
        },
        status=status,
    )


def _crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Poster campaigns"), reverse("campaigns_staff:index")), *trail]


def _campaign_crumbs(campaign: Campaign, current: str) -> list[tuple[str, str]]:
    return _crumbs(
        (str(campaign.year), reverse("campaigns_staff:detail", args=[campaign.year])),
        (current, ""),
    )


def _add_errors(form: Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _campaign(year: int) -> Campaign:
    return get_object_or_404(Campaign, year=year)


def _placement(campaign: Campaign, pk: int) -> Placement:
    return get_object_or_404(
        Placement.objects.select_related("campaign", "district"), campaign=campaign, pk=pk
    )


def _size(key: str) -> posters.PosterSize:
    try:
        return posters.POSTER_SIZES[key]
    except KeyError:
        raise Http404("unknown poster size") from None


# --- the list and the campaign page --------------------------------------------------------------


@permission_required("campaigns.view_results")
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Every campaign, newest first, with its number of placements. The steering group sees the
    list too (its way to the results), without the links to change anything."""
    qs = Campaign.objects.annotate(placement_count=Count("placements")).order_by("-year")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "campaigns/staff/index.html",
        {
            "page_obj": page,
            "campaigns": page.object_list,
            "crumbs": [(_("Poster campaigns"), "")],
        },
    )


@permission_required("campaigns.manage")
@require_safe
def detail(request: HttpRequest, year: int) -> HttpResponse:
    """The campaign, its placements with their short links and QR codes, and the posters."""
    campaign = get_object_or_404(
        Campaign.objects.prefetch_related(
            Prefetch("featured_opportunities", to_attr="featured"),
            Prefetch("channels", to_attr="channel_list"),
        ),
        year=year,
    )
    qs = campaign.placements.select_related("district").order_by("site_code", "pk")
    page = Paginator(qs, PLACEMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "placement": p,
            "url": posters.short_link_url(p),
            "qr": posters.qr_svg(posters.short_link_url(p), pixels=2),
        }
        for p in page.object_list
    ]
    return _render(
        request,
        "campaigns/staff/detail.html",
        {
            "campaign": campaign,
            "page_obj": page,
            "rows": rows,
            "sizes": posters.POSTER_SIZES.values(),
            "crumbs": _crumbs((str(campaign.year), "")),
        },
    )


# --- creating and editing ------------------------------------------------------------------------


@permission_required("campaigns.manage")
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The campaign is created. Add its placements, then print the posters.")
            )
            return redirect("campaigns_staff:detail", year=campaign.year)
    return _render(
        request,
        "campaigns/staff/form.html",
        {"form": form, "campaign": None, "crumbs": _crumbs((_("New campaign"), ""))},
        status=400 if form.is_bound else 200,
    )


@permission_required("campaigns.manage")
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, year: int) -> HttpResponse:
    campaign = _campaign(year)
    form = CampaignForm(
        request.POST or None, campaign=campaign, initial=CampaignForm.initial_for(campaign)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(campaign=campaign, data=form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            campaign.refresh_from_db()
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("campaigns_staff:detail", year=campaign.year)
    return _render(
        request,
        "campaigns/staff/form.html",
        {
            "form": form,
            "campaign": campaign,
            "crumbs": _campaign_crumbs(campaign, _("Edit")),
        },
        status=400 if form.is_bound else 200,
    )


# --- placements ----------------------------------------------------------------------------------


@permission_required("campaigns.manage")
@require_http_methods(["GET", "POST"])
def placement_create(request: HttpRequest, year: int) -> HttpResponse:
    campaign = _campaign(year)
    form = PlacementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_create(campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Placement %(site)s is added with the short link %(link)s.")
                % {"site": placement.site_code, "link": posters.short_link_url(placement)},
            )
            return redirect("campaigns_staff:detail", year=campaign.year)
    return _render(
        request,
        "campaigns/staff/placement_form.html",
        {
            "form": form,
            "campaign": campaign,
            "placement": None,
            "crumbs": _campaign_crumbs(campaign, _("New placement")),
        },
        status=400 if form.is_bound else 200,
    )


@permission_required("campaigns.manage")
@require_http_methods(["GET", "POST"])
def placement_edit(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    campaign = _campaign(year)
    placement = _placement(campaign, pk)
    form = PlacementForm(request.POST or None, initial=PlacementForm.initial_for(placement))
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_update(placement=placement, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            placement.refresh_from_db()
        else:
            messages.success(request, _("The placement is saved."))
            return redirect("campaigns_staff:detail", year=campaign.year)
    return _render(
        request,
        "campaigns/staff/placement_form.html",
        {
            "form": form,
            "campaign": campaign,
            "placement": placement,
            "short_link": posters.short_link_url(placement),
            "crumbs": _campaign_crumbs(campaign, placement.site_code),
        },
        status=400 if form.is_bound else 200,
    )


@permission_required("campaigns.manage")
@require_POST
def placement_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    campaign = _campaign(year)
    placement = _placement(campaign, pk)
    try:
        services.placement_delete(placement=placement)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("campaigns_staff:placement_edit", year=campaign.year, pk=placement.pk)
    messages.success(request, _("Placement %(site)s is deleted.") % {"site": placement.site_code})
    return redirect("campaigns_staff:detail", year=campaign.year)


@permission_required("campaigns.manage")
@require_http_methods(["GET", "POST"])
def placement_import(request: HttpRequest, year: int) -> HttpResponse:
    """Placements from the poster company's CSV file: all lines or none."""
    campaign = _campaign(year)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    problems: list[tuple[int | None, str]] = []
    if request.method == "POST" and form.is_valid():
        result = services.import_placements(campaign=campaign, raw=form.cleaned_data["file"].read())
        if result.ok:
            messages.success(
                request,
                _("%(count)s placements are imported, each with its own short link.")
                % {"count": len(result.created)},
            )
            return redirect("campaigns_staff:detail", year=campaign.year)
        problems = result.problems
    return _render(
        request,
        "campaigns/staff/import.html",
        {
            "form": form,
            "campaign": campaign,
            "problems": problems,
            "wrong_lines": len({line for line, _message in problems if line}),
            "file_name": request.FILES["file"].name if "file" in request.FILES else "",
            "crumbs": _campaign_crumbs(campaign, _("Import placements")),
        },
        status=400 if form.is_bound else 200,
    )


# --- posters -------------------------------------------------------------------------------------


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required("campaigns.manage")
@require_safe
def posters_all(request: HttpRequest, year: int, size: str) -> HttpResponse:
    """Every placement's poster in one PDF for the printer, one page each, by site code."""
    poster_size = _size(size)
    campaign = _campaign(year)
    placements = list(campaign.placements.select_related("district").order_by("site_code", "pk"))
    if not placements:
        messages.error(request, _("Add placements first: each poster carries its own short link."))
        return redirect("campaigns_staff:detail", year=campaign.year)
    pdf = posters.posters_pdf(campaign, placements, poster_size)
    return _pdf_response(pdf, posters.poster_filename(campaign, poster_size))


@permission_required("campaigns.manage")
@require_safe
def poster(request: HttpRequest, year: int, pk: int, size: str) -> HttpResponse:
    """One placement's poster, e.g. to replace a torn one."""
    poster_size = _size(size)
    campaign = _campaign(year)
    placement = _placement(campaign, pk)
    pdf = posters.posters_pdf(campaign, [placement], poster_size)
    return _pdf_response(pdf, posters.poster_filename(campaign, poster_size, placement))
