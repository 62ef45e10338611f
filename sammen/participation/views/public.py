"""Public pages of Få indflydelse: what a Copenhagener sees.

Every page runs a fixed number of queries whatever the number of opportunities: lists are sliced or
paginated and their related rows are prefetched in one query per relation.
"""

import hashlib
import math
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sammen.core import geo
from sammen.core.models import District, Venue
from sammen.participation.forms import WHOLE_CITY, OpportunityFilterForm
from sammen.participation.models import Channel, Opportunity, OpportunityStatus
from sammen.participation.selectors import (
    COUNT_SECONDS,
    CURRENT_STATUSES,
    cached_count,
    channels_with_counts,
    closing_order,
    current_counts_by_district,
    current_q,
    filter_count_key,
    filter_opportunities,
    public_opportunities,
    status_q,
    with_related,
)

PAGE_SIZE = 20
# How many cards each section of the front page, a district page and a channel page shows before
# linking to the full, filtered list.
HOME_SECTION_SIZE = 6
SECTION_SIZE = 10
OUTCOME_SECTION_SIZE = 4

# The filter parameters of the list page, in the order their tags are shown.
_FILTER_NAMES = ("q", "channel", "district", "department", "topic", "principle", "status")


# --- shared helpers ------------------------------------------------------------------------------


# What an opportunity card shows besides its own fields: districts and departments.
_CARD_PREFETCHES = (
    Prefetch("districts", queryset=District.objects.only("id", "name", "slug", "number")),
    "departments",
)


def _cards(qs: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """What an opportunity card shows: channel, districts and departments."""
    return qs.select_related("channel").prefetch_related(*_CARD_PREFETCHES)


def _prefetch_cards(*groups: list[Opportunity]) -> None:
    """Prefetch the cards of several lists together: one query per relation, not per list."""
    rows = [opportunity for group in groups for opportunity in group]
    if rows:
        prefetch_related_objects(rows, *_CARD_PREFETCHES)


def _districts_with_counts(now: datetime, *prefetch: str) -> list[District]:
    """The ten districts with how many current opportunities concern each (boundaries left out)."""
    counts = current_counts_by_district(now)
    districts = list(
        District.objects.defer("geometry", "description")
        .prefetch_related(*prefetch)
        .order_by("number")
    )
    for district in districts:
        district.current_count = counts.get(district.pk, 0)  # type: ignore[attr-defined]
    return districts


def _crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    """Breadcrumbs from the front page to the current page (whose url is not linked)."""
    return [(_("Get involved"), reverse("participation:home")), *trail]


def _list_url(**params: str) -> str:
    """The list page filtered, e.g. _list_url(district="noerrebro")."""
    url = reverse("participation:opportunity_list")
    return f"{url}?{urlencode(params)}" if params else url


def _in_district(district: District) -> Q:
    through = Opportunity.districts.through.objects.filter(district=district)
    return Q(pk__in=through.values("opportunity_id"))


def _whole_city() -> Q:
    return ~Q(pk__in=Opportunity.districts.through.objects.values("opportunity_id"))


# --- the district map ----------------------------------------------------------------------------

MAP_WIDTH = 400
MAP_HEIGHT = 340
# About one pixel of the map in degrees: finer detail of the boundaries is not drawn.
_MAP_TOLERANCE = 0.0004
_MAP_CACHE_KEY = "participation:district-map:v1"
# Boundaries change perhaps once a decade; an administrator's edit shows within the hour.
_MAP_CACHE_SECONDS = 3600


def _simplified(geometry: dict) -> dict:
    """The geometry with points closer than _MAP_TOLERANCE to the last kept one dropped."""
    lat = 55.68  # Copenhagen; longitude degrees are shorter by cos(latitude)
    squeeze = math.cos(math.radians(lat))

    def ring(points: list) -> list:
        kept = [points[0]]
        for point in points[1:-1]:
            dx = (point[0] - kept[-1][0]) * squeeze
            dy = point[1] - kept[-1][1]
            if dx * dx + dy * dy >= _MAP_TOLERANCE**2:
                kept.append(point)
        kept.append(points[-1])
        return kept if len(kept) >= 4 else points

    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    return {
        "type": "MultiPolygon",
        "coordinates": [[ring(r) for r in polygon if r] for polygon in polygons],
    }


def district_shapes(*, refresh: bool = False) -> dict[str, str]:
    """SVG paths of the districts by slug, in a MAP_WIDTH × MAP_HEIGHT box; cached, see above."""
    shapes = None if refresh else cache.get(_MAP_CACHE_KEY)
    if shapes is None:
        rows = District.objects.filter(geometry__isnull=False).values_list("slug", "geometry")
        geometries = {slug: _simplified(geometry) for slug, geometry in rows if geometry}
        shapes = {}
        if geometries:
            box = geo.bounds(geometries.values())
            shapes = {
                slug: geo.svg_path(geometry, box, MAP_WIDTH, MAP_HEIGHT)
                for slug, geometry in geometries.items()
            }
        cache.set(_MAP_CACHE_KEY, shapes, _MAP_CACHE_SECONDS)
    return shapes


def _map(districts: list[District], current: District | None = None) -> dict[str, Any]:
    shapes = district_shapes()
    if any(d.slug not in shapes for d in districts):
        # A district was added or renamed since the map was cached: draw it afresh.
        shapes = district_shapes(refresh=True)
    return {
        "width": MAP_WIDTH,
        "height": MAP_HEIGHT,
        "areas": [
            {"district": d, "path": shapes[d.slug], "current": d == current}
            for d in districts
            if d.slug in shapes
        ],
    }


# --- the front page ------------------------------------------------------------------------------


# The front page's lists and counts are the same for every visitor: they are rendered once a minute
# per language rather than on every view (the busiest page would otherwise run seven queries and
# sixteen cards each time). A change by staff shows there within the minute; the list is current.
HOME_SECONDS = 60


def _home_sections(request: HttpRequest) -> SafeString:
    key = f"participation:home-sections:{get_language()}"
    html = cache.get(key)
    if html is None:
        now = timezone.now()
        visible = public_opportunities().select_related("channel")
        closing_soon = list(
            visible.filter(status_q(OpportunityStatus.CLOSING_SOON, now)).order_by(
                *closing_order()
            )[:HOME_SECTION_SIZE]
        )
        open_now = list(
            visible.filter(status_q(OpportunityStatus.OPEN, now))
            .exclude(status_q(OpportunityStatus.CLOSING_SOON, now))
            .order_by("-published_at", "-pk")[:HOME_SECTION_SIZE]
        )
        outcomes = list(
            visible.filter(outcome_published_at__isnull=False).order_by(
                "-outcome_published_at", "-pk"
            )[:OUTCOME_SECTION_SIZE]
        )
        _prefetch_cards(closing_soon, open_now, outcomes)
        context = {
            "now": now,
            "open_now": open_now,
            "closing_soon": closing_soon,
            "outcomes": outcomes,
            "open_count": cached_count(
                public_opportunities().filter(status_q(OpportunityStatus.OPEN, now)),
                key="participation:count:open",
            ),
            "districts": _districts_with_counts(now),
            "channels": channels_with_counts(),
            "closing_soon_url": _list_url(closing_soon="on"),
            "open_url": _list_url(status=OpportunityStatus.OPEN),
            "outcomes_url": _list_url(status=OpportunityStatus.OUTCOME_PUBLISHED, sort="newest"),
        }
        html = render_to_string("participation/home.html#sections", context, request=request)
        cache.set(key, html, HOME_SECONDS)
    return mark_safe(html)  # noqa: S308  (rendered by our own template above)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/home.html",
        {
            "sections": _home_sections(request),
            "search_form": OpportunityFilterForm(),
            "list_url": reverse("participation:opportunity_list"),
        },
    )


# --- the list ------------------------------------------------------------------------------------


def _without(query: QueryDict, name: str, value: str | None = None) -> str:
    """The query string without one value of a parameter (or the whole parameter), from page 1."""
    params = query.copy()
    params.pop("page", None)
    if value is None:
        params.pop(name, None)
    else:
        params.setlist(name, [v for v in params.getlist(name) if v != value])
    encoded = params.urlencode()
    return reverse("participation:opportunity_list") + (f"?{encoded}" if encoded else "")


def _active_filters(form: OpportunityFilterForm, query: QueryDict) -> list[dict[str, str]]:
    """Each chosen filter value as a tag with a link that removes it; unknown values are named."""
    cleaned = getattr(form, "cleaned_data", {})
    names: dict[str, dict[str, str]] = {
        "status": {str(v): str(label) for v, label in OpportunityStatus.choices},
        "district": {WHOLE_CITY: _("Whole city")},
    }
    for name in ("channel", "department", "topic", "principle"):
        names[name] = {obj.slug: obj.name for obj in cleaned.get(name) or []}
    for district in (cleaned.get("district") or {}).get("districts", []):
        names["district"][district.slug] = district.name

    tags = []
    for name in _FILTER_NAMES:
        field_label = form.fields[name].label
        for value in dict.fromkeys(v for v in query.getlist(name) if v.strip()):
            if name == "q":
                text = _("%(field)s: “%(value)s”") % {"field": field_label, "value": value}
            elif value in names.get(name, {}):
                text = f"{field_label}: {names[name][value]}"
            else:
                text = _("%(field)s: %(value)s (unknown)") % {"field": field_label, "value": value}
            tags.append({"text": text, "url": _without(query, name, value)})
    if query.get("closing_soon"):
        tags.append(
            {"text": str(form.fields["closing_soon"].label), "url": _without(query, "closing_soon")}
        )
    return tags


def _page_number(raw: str | None) -> int | None:
    """The requested page, or None when it is not a page number at all."""
    if raw is None or raw == "":
        return 1
    try:
        number = int(raw)
    except ValueError:
        return None
    return number if number >= 1 else None


def _feed_query(query: QueryDict, default_status: bool) -> str:
    """The list's filters for its feeds, with the default statuses spelled out so both agree."""
    params = query.copy()
    params.pop("page", None)
    if default_status:
        params.setlist("status", [str(s) for s in CURRENT_STATUSES])
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


def _read_choices_once(form: OpportunityFilterForm) -> None:
    """Read each list of choices (channels, districts, …) once.

    Left to itself, a model choice field runs a COUNT and then reads its rows again each time the
    template asks how many there are and renders them.
    """
    for field in form.fields.values():
        if isinstance(field, ModelChoiceField):
            field.choices = list(iter(field.choices))  # iter(): list() alone asks len(), a COUNT


def _filters(request: HttpRequest, form: OpportunityFilterForm) -> SafeString:
    """The filter form as HTML, kept for COUNT_SECONDS per language and choice of filters.

    Its sixty-odd checkboxes cost as much to render as the results. They only change with the
    filters chosen and the reference data, which changes rarely and shows within the minute.
    """
    chosen = sorted(
        (name, value) for name, value in request.GET.lists() if name in form.fields and value
    )
    digest = hashlib.sha256(repr(chosen).encode()).hexdigest()[:32]
    key = f"participation:list-filters:{get_language()}:{digest}"
    html = cache.get(key)
    if html is None:
        _read_choices_once(form)
        html = render_to_string(
            "participation/opportunity_list.html#filters", {"form": form}, request=request
        )
        if not form.errors:  # an invalid choice is rare and explains itself: not worth keeping
            cache.set(key, html, COUNT_SECONDS)
    return mark_safe(html)  # noqa: S308  (rendered by our own template above)


@require_safe
def opportunity_list(request: HttpRequest) -> HttpResponse:
    """The catalogue: filters in a GET form (works without JavaScript), htmx swaps the results.

    Unknown filter values and impossible page numbers give an empty result that says why (200),
    never an error page: links get old, and a shared link should still explain itself.
    """
    now = timezone.now()
    form = OpportunityFilterForm(request.GET)
    form.fields["status"].help_text = _("With none chosen, open and upcoming ones are shown.")
    page: Page | None = None
    problem = ""
    default_status = False
    count = 0
    if form.is_valid():
        params = dict(form.cleaned_data)
        default_status = not params["status"] and not params["closing_soon"]
        if default_status:
            params["status"] = CURRENT_STATUSES
        # Only what a card shows: topics, principles and venues are not on the list.
        qs = _cards(filter_opportunities(public_opportunities(), params, now=now))
        paginator = Paginator(qs, PAGE_SIZE)
        # Counting tens of thousands of matches on every view costs more than the page itself.
        paginator.count = cached_count(qs, key=filter_count_key(params))
        number = _page_number(request.GET.get("page"))
        if number is None:
            problem = _("The page number was not understood.")
        else:
            try:
                page = paginator.page(number)
            except EmptyPage:
                problem = _("There is no page %(number)s: the results fill %(pages)s pages.") % {
                    "number": number,
                    "pages": paginator.num_pages,
                }
        count = paginator.count
    else:
        problem = _("Some of the filters in the address are unknown, so nothing matches.")

    context = {
        "now": now,
        "form": form,
        "page_obj": page,
        "opportunities": page.object_list if page else [],
        "result_count": count if page else 0,
        "problem": problem,
        "first_page_url": _without(request.GET, "page"),
        "active_filters": _active_filters(form, request.GET),
        "clear_url": reverse("participation:opportunity_list"),
        "feed_query": _feed_query(request.GET, default_status),
        "is_search": bool(request.GET.get("q", "").strip()),
        # Error states, searches and deep pages are not worth a search engine's time.
        "noindex": bool(problem) or bool(request.GET.get("q")),
        "crumbs": _crumbs((_("Opportunities"), "")),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "results" and not htmx.history_restore_request:
        context["htmx_fragment"] = True
        response = render(request, "participation/opportunity_list.html#results", context)
    else:
        context["filters"] = _filters(request, form)
        response = render(request, "participation/opportunity_list.html", context)
    # The same address answers with a fragment or a page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


# --- one opportunity -----------------------------------------------------------------------------


def _place_json(opportunity: Opportunity) -> list[dict[str, Any]]:
    places: list[dict[str, Any]] = []
    venue = opportunity.venue
    if venue:
        place: dict[str, Any] = {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": venue.address,
                "postalCode": venue.postcode,
                "addressLocality": venue.city,
                "addressCountry": "DK",
            },
        }
        if venue.latitude is not None and venue.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": venue.latitude,
                "longitude": venue.longitude,
            }
        places.append(place)
    elif opportunity.location:
        places.append(
            {"@type": "Place", "name": opportunity.location, "address": opportunity.location}
        )
    # A hearing has no place but its page on the portal; a withdrawn one has no way in at all.
    online = opportunity.online_url
    if not online and not places and not opportunity.withdrawn_at:
        online = opportunity.participation_url or opportunity.external_url
    if online:
        places.append({"@type": "VirtualLocation", "url": online})
    return places


def event_json_ld(request: HttpRequest, opportunity: Opportunity) -> dict[str, Any]:
    """schema.org Event for search engines and calendars that read structured data."""
    places = _place_json(opportunity)
    physical = any(p["@type"] == "Place" for p in places)
    virtual = any(p["@type"] == "VirtualLocation" for p in places)
    mode = (
        "MixedEventAttendanceMode"
        if physical and virtual
        else "OnlineEventAttendanceMode"
        if virtual
        else "OfflineEventAttendanceMode"
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": opportunity.title,
        "description": opportunity.summary,
        "url": request.build_absolute_uri(opportunity.get_absolute_url()),
        "inLanguage": opportunity.language,
        "eventStatus": "https://schema.org/EventCancelled"
        if opportunity.withdrawn_at
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": f"https://schema.org/{mode}",
        "organizer": [
            {"@type": "GovernmentOrganization", "name": department.name}
            for department in opportunity.departments.all()
        ],
    }
    start = opportunity.start_at or opportunity.published_at
    end = opportunity.end_at or opportunity.deadline
    if start:
        data["startDate"] = timezone.localtime(start).isoformat()
    if end:
        data["endDate"] = timezone.localtime(end).isoformat()
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    return data


def _subscribe_url(opportunity: Opportunity) -> str:
    params = [("district", d.slug) for d in opportunity.districts.all()]
    params += [("topic", t.slug) for t in opportunity.topics.all()]
    url = reverse("participation:subscribe")
    return f"{url}?{urlencode(params)}" if params else url


@require_safe
def opportunity_detail(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    """One opportunity. The id finds it; a wrong or missing slug redirects to the right address.

    A withdrawn opportunity (its source no longer lists it) stays reachable so old links explain
    what happened, with a clear notice and without the ways to take part.
    """
    opportunity = get_object_or_404(
        with_related(Opportunity.objects.filter(is_published=True)), pk=pk
    )
    if slug != (opportunity.slug or "-"):
        return redirect(opportunity.get_absolute_url(), permanent=True)
    now = timezone.now()
    return render(
        request,
        "participation/opportunity_detail.html",
        {
            "now": now,
            "opportunity": opportunity,
            "status": opportunity.status_at(now),
            "is_withdrawn": opportunity.withdrawn_at is not None,
            "districts": list(opportunity.districts.all()),
            "json_ld": event_json_ld(request, opportunity),
            "subscribe_url": _subscribe_url(opportunity),
            "ical_url": reverse(
                "participation:opportunity_ical",
                kwargs={"pk": opportunity.pk, "slug": opportunity.slug or "-"},
            ),
            "take_part_url": opportunity.participation_url or opportunity.external_url,
            "has_dates": bool(opportunity.start_at or opportunity.end_at or opportunity.deadline),
            "crumbs": _crumbs(
                (_("Opportunities"), reverse("participation:opportunity_list")),
                (opportunity.title, ""),
            ),
            "noindex": opportunity.withdrawn_at is not None,
        },
    )


# --- channels ------------------------------------------------------------------------------------


@require_safe
def channel_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/channel_list.html",
        {"channels": channels_with_counts(), "crumbs": _crumbs((_("Ways to take part"), ""))},
    )


@require_safe
def channel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    channel = get_object_or_404(Channel, slug=slug)
    now = timezone.now()
    current = public_opportunities().filter(current_q(now), channel=channel)
    return render(
        request,
        "participation/channel_detail.html",
        {
            "now": now,
            "channel": channel,
            "opportunities": list(_cards(current.order_by(*closing_order()))[:SECTION_SIZE]),
            "current_count": cached_count(current, key=f"participation:count:channel:{channel.pk}"),
            "list_url": _list_url(channel=channel.slug),
            "crumbs": _crumbs(
                (_("Ways to take part"), reverse("participation:channel_list")),
                (channel.name, ""),
            ),
        },
    )


# --- districts -----------------------------------------------------------------------------------


@require_safe
def district_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    districts = _districts_with_counts(now, "local_committees")
    return render(
        request,
        "participation/district_list.html",
        {
            "districts": districts,
            "map": _map(districts),
            "whole_city_count": cached_count(
                public_opportunities().filter(current_q(now)).filter(_whole_city()),
                key="participation:count:whole-city",
            ),
            "whole_city_url": _list_url(district=WHOLE_CITY),
            "crumbs": _crumbs((_("Districts"), "")),
        },
    )


@require_safe
def district_detail(request: HttpRequest, slug: str) -> HttpResponse:
    now = timezone.now()
    districts = list(District.objects.defer("geometry"))
    district = next((d for d in districts if d.slug == slug), None)
    if district is None:
        raise Http404("No such district.")
    current = public_opportunities().filter(current_q(now)).order_by(*closing_order())
    local = current.filter(_in_district(district))
    whole_city = current.filter(_whole_city())
    outcomes_qs = (
        public_opportunities()
        .filter(_in_district(district), outcome_published_at__isnull=False)
        .order_by("-outcome_published_at", "-pk")
    )
    local_rows = list(local.select_related("channel")[:SECTION_SIZE])
    whole_city_rows = list(whole_city.select_related("channel")[:SECTION_SIZE])
    outcome_rows = list(outcomes_qs.select_related("channel")[:OUTCOME_SECTION_SIZE])
    _prefetch_cards(local_rows, whole_city_rows, outcome_rows)
    return render(
        request,
        "participation/district_detail.html",
        {
            "now": now,
            "district": district,
            "local_committees": list(district.local_committees.all()),
            "map": _map(districts, current=district),
            "local": local_rows,
            "local_count": cached_count(local, key=f"participation:count:district:{district.pk}"),
            "whole_city": whole_city_rows,
            "whole_city_count": cached_count(whole_city, key="participation:count:whole-city"),
            "outcomes": outcome_rows,
            "venues": list(Venue.objects.filter(district=district).order_by("kind", "name")),
            "local_url": _list_url(district=district.slug),
            "whole_city_url": _list_url(district=WHOLE_CITY),
            "subscribe_url": reverse("participation:subscribe")
            + "?"
            + urlencode({"district": district.slug}),
            "crumbs": _crumbs(
                (_("Districts"), reverse("participation:district_list")),
                (district.name, ""),
            ),
        },
    )
