"""Public views of campaigns: the poster's short link and the campaign's landing page.

The short link `/k/<code>` counts one visit and sends the visitor on, with the code in the
address (`?k=<code>`) so that a subscription or idea sent from there can be counted for the same
poster (`reach.record_conversion`). Neither view writes a cookie or anything about the visitor;
the code only ever travels in URLs and forms.
"""

from urllib.parse import urlencode

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sammen.accounts.permissions import has_permission
from sammen.accounts.twofactor import second_factor_satisfied
from sammen.campaigns.models import Campaign, Placement
from sammen.campaigns.reach import normalise_code, placement_for_code, record_visit, today
from sammen.core.models import District
from sammen.participation.models import Channel, Opportunity
from sammen.participation.selectors import public_opportunities


def _with_code(url: str, name: str, code: str | None) -> str:
    return f"{url}?{urlencode({name: code})}" if code else url


@require_safe
def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """Count one visit (GET only) and redirect to the campaign's landing page.

    HEAD (link checkers, previews) gets the same answer without being counted. A landing page
    that is not published yet sends the visitor to the front page of Få indflydelse instead.
    The short link has no language in its path, so the browser's language decides which
    language the visitor lands in.
    """
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = _short_link(request, code)
    patch_vary_headers(response, ["Accept-Language"])
    add_never_cache_headers(response)  # must reach the server every time, or it is not counted
    return response


def _short_link(request: HttpRequest, code: str) -> HttpResponse:
    placement = placement_for_code(code)
    if placement is None:
        return render(request, "campaigns/public/unknown_code.html", {"noindex": True}, status=404)
    if request.method == "GET":
        record_visit(placement)
    campaign = placement.campaign
    target = campaign.get_absolute_url() if campaign.is_published else reverse("participation:home")
    return HttpResponseRedirect(_with_code(target, "k", placement.code))


def _may_preview(request: HttpRequest) -> bool:
    return has_permission(request.user, "campaigns.manage") and second_factor_satisfied(request)


def _featured(campaign: Campaign) -> QuerySet[Opportunity]:
    """The campaign's featured opportunities that the public may see, ready for the card partial
    (channel, districts and departments: three queries whatever their number)."""
    chosen = Campaign.featured_opportunities.through.objects.filter(campaign=campaign)
    return (
        public_opportunities()
        .filter(pk__in=chosen.values("opportunity_id"))
        .select_related("channel")
        .prefetch_related(
            Prefetch("districts", queryset=District.objects.only("id", "name", "slug", "number")),
            "departments",
        )
        .order_by("start_at", "pk")
    )


def _channels(campaign: Campaign) -> list[Channel]:
    chosen = Campaign.channels.through.objects.filter(campaign=campaign)
    return list(
        Channel.objects.filter(pk__in=chosen.values("channel_id")).order_by("order", "name_da")
    )


@require_safe
def landing(request: HttpRequest, year: int) -> HttpResponse:
    """The campaign's landing page: its message, what it features and how to take part.

    Public once published; before that, staff who run campaigns see a preview. Arriving from a
    poster (`?k=<code>` of a known placement), the links to subscribe and to send an idea carry
    the code on, so that what the visitor does there is counted for that poster.
    """
    campaign = get_object_or_404(Campaign, year=year)
    preview = not campaign.is_published
    if preview and not _may_preview(request):
        raise Http404
    code = normalise_code(request.GET.get("k"))
    if code is not None and not Placement.objects.filter(code=code).exists():
        code = None
    return render(
        request,
        "campaigns/public/landing.html",
        {
            "campaign": campaign,
            "preview": preview,
            # A poster may hang, or a link be shared, long after the campaign: say so.
            "ended": campaign.ends_on < today(),
            "opportunities": list(_featured(campaign)),
            "channels": _channels(campaign),
            "subscribe_url": _with_code(reverse("participation:subscribe"), "campaign", code),
            "idea_url": _with_code(reverse("ideas:submit"), "campaign", code),
            "crumbs": [(_("Get involved"), reverse("participation:home")), (campaign.theme, "")],
        },
    )


@require_safe
def current(request: HttpRequest) -> HttpResponse:
    """The newest published campaign (the one a poster's printed address leads to)."""
    campaign = Campaign.objects.filter(is_published=True).order_by("-year").first()
    if campaign is None:
        raise Http404
    return redirect(campaign)
