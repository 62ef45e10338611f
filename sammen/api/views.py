"""The public, read-only JSON API (v1): plain views returning JsonResponse.

Conventions (documented on the docs page and in the OpenAPI schema, schema.py):
- GET and HEAD only; CORS `*`; no cookies; cacheable for a few minutes with an ETag.
- Filters are the list page's parameters, validated by the same form; an unknown parameter or
  value is a 400 naming the parameter, never an empty result that hides a typo.
- Only what a citizen may see: opportunities published and not withdrawn
  (`public_opportunities`), ideas whose submitter agreed to publication, never personal data
  (`sammen.api.ideas.public_ideas`).
- Every list runs a fixed number of queries whatever the amount of data.
"""

import json as json_module
import math
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import conditional_page

from sammen.api import ideas, serializers
from sammen.api.schema import DATA_LICENCE, example_opportunity_list, openapi_schema
from sammen.core.models import Department, District, LocalCommittee, Principle, Topic
from sammen.participation.feeds import FEED_LIMIT, allow_any_origin
from sammen.participation.forms import WHOLE_CITY, OpportunityFilterForm
from sammen.participation.selectors import (
    cached_count,
    channels_with_counts,
    filter_count_key,
    filter_opportunities,
    public_opportunities,
    with_related,
)

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
API_MAX_AGE = 300
FILTER_PARAMETERS = tuple(OpportunityFilterForm.base_fields)
PAGING_PARAMETERS = ("page", "page_size")
_TRUE = ("1", "true")
_FALSE = ("0", "false", "")


class BadParameter(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def json(data: Any, status: int = 200) -> JsonResponse:
    # Readable UTF-8 (æøå as themselves); JSON is UTF-8 by definition (RFC 8259).
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def error_response(status: int, code: str, detail: str, **extra: Any) -> JsonResponse:
    return json({"error": code, "detail": detail, **extra}, status=status)


def bad_parameters(errors: dict[str, list[str]]) -> JsonResponse:
    first = next(iter(errors))
    return error_response(
        400,
        "invalid_parameter",
        _("The parameter “%(name)s” is not valid.") % {"name": first},
        parameter=first,
        parameters=errors,
    )


def not_found(request: HttpRequest, detail: str | None = None) -> JsonResponse:
    return error_response(404, "not_found", detail or _("There is nothing at this address."))


def api_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET/HEAD only (405 in JSON otherwise), CORS `*`, cacheable, 400 for BadParameter."""

    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = error_response(
                405, "method_not_allowed", _("This API is read-only: use GET.")
            )
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        try:
            return view(request, *args, **kwargs)
        except BadParameter as exc:
            return bad_parameters(exc.errors)

    checked.__name__ = view.__name__
    checked.__doc__ = view.__doc__
    cached = cache_control(public=True, max_age=API_MAX_AGE)(checked)
    return allow_any_origin(conditional_page(cached))


def check_known(request: HttpRequest, allowed: Iterable[str]) -> None:
    unknown = sorted(set(request.GET) - set(allowed))
    if unknown:
        raise BadParameter({name: [_("Unknown parameter.")] for name in unknown})


def flag(request: HttpRequest, name: str) -> bool:
    value = request.GET.get(name, "").lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BadParameter({name: [_("Use true or false.")]})


def positive_int(request: HttpRequest, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter({name: [_("Use a whole number.")]}) from None
    if value < 1:
        raise BadParameter({name: [_("Use a number of 1 or more.")]})
    if maximum is not None and value > maximum:
        raise BadParameter(
            {name: [_("Use a number of at most %(maximum)d.") % {"maximum": maximum}]}
        )
    return value


def _page_link(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def listing(results: list[dict[str, Any]]) -> JsonResponse:
    """A complete, short list (reference data): the same envelope as a page, without paging."""
    return json({"count": len(results), "next": None, "previous": None, "results": results})


@api_view
def opportunity_list(request: HttpRequest) -> HttpResponse:
    """Published opportunities with the list page's filters, a page at a time."""
    check_known(request, FILTER_PARAMETERS + PAGING_PARAMETERS)
    if "closing_soon" in request.GET:
        flag(request, "closing_soon")  # the form would read any word as "yes"
    page = positive_int(request, "page", 1)
    size = positive_int(request, "page_size", PAGE_SIZE, MAX_PAGE_SIZE)
    form = OpportunityFilterForm(request.GET)
    if not form.is_valid():
        raise BadParameter({name: list(messages) for name, messages in form.errors.items()})
    qs = filter_opportunities(public_opportunities(), form.cleaned_data)
    # The same filters give the same count for a minute (the rows themselves are always fresh).
    count = cached_count(qs, key=filter_count_key(form.cleaned_data, scope="api"))
    last_page = max(1, math.ceil(count / size))
    if page > last_page:
        raise BadParameter({"page": [_("There are only %(pages)d pages.") % {"pages": last_page}]})
    offset = (page - 1) * size
    rows = list(with_related(qs)[offset : offset + size]) if count else []
    now = timezone.now()
    return json(
        {
            "count": count,
            "next": _page_link(request, page + 1) if page < last_page else None,
            "previous": _page_link(request, page - 1) if page > 1 else None,
            "results": [serializers.opportunity_data(o, request, now) for o in rows],
        }
    )


@api_view
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check_known(request, ())
    opportunity = with_related(public_opportunities()).filter(pk=pk).first()
    if opportunity is None:
        return not_found(request, _("No published opportunity has this id."))
    return json(serializers.opportunity_data(opportunity, request, timezone.now(), detail=True))


IDEA_FILTER_PARAMETERS = tuple(ideas.IdeaFilterForm.base_fields)


@api_view
def idea_list(request: HttpRequest) -> HttpResponse:
    """Public ideas (sammen/api/ideas.py says which), filtered, newest first, a page at a time."""
    check_known(request, IDEA_FILTER_PARAMETERS + PAGING_PARAMETERS)
    page = positive_int(request, "page", 1)
    size = positive_int(request, "page_size", PAGE_SIZE, MAX_PAGE_SIZE)
    form = ideas.IdeaFilterForm(request.GET)
    if not form.is_valid():
        raise BadParameter({name: list(messages) for name, messages in form.errors.items()})
    qs = ideas.filter_ideas(ideas.public_ideas(), form.cleaned_data)
    count = cached_count(qs, key=filter_count_key(form.cleaned_data, scope="api-ideas"))
    last_page = max(1, math.ceil(count / size))
    if page > last_page:
        raise BadParameter({"page": [_("There are only %(pages)d pages.") % {"pages": last_page}]})
    offset = (page - 1) * size
    rows = list(ideas.with_related(qs)[offset : offset + size]) if count else []
    return json(
        {
            "count": count,
            "next": _page_link(request, page + 1) if page < last_page else None,
            "previous": _page_link(request, page - 1) if page > 1 else None,
            "results": [serializers.idea_data(idea, request) for idea in rows],
        }
    )


@api_view
def idea_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """One public idea with its public timeline: changes of state and messages to the citizen."""
    check_known(request, ())
    idea = ideas.with_related(ideas.public_ideas()).filter(reference=reference).first()
    if idea is None:
        return not_found(request, _("No public idea has this reference."))
    timeline = list(ideas.public_timeline(idea))
    return json(serializers.idea_data(idea, request, timeline=timeline))


@api_view
def channel_list(request: HttpRequest) -> HttpResponse:
    check_known(request, ())
    return listing([serializers.channel_data(c, request) for c in channels_with_counts()])


@api_view
def district_list(request: HttpRequest) -> HttpResponse:
    """Districts with their local committees; the boundary only with `?geometry=true` (it is big)."""
    check_known(request, ("geometry",))
    geometry = flag(request, "geometry")
    qs = District.objects.prefetch_related(
        Prefetch("local_committees", queryset=LocalCommittee.objects.order_by("name"))
    )
    if not geometry:
        qs = qs.defer("geometry")
    return listing([serializers.district_data(d, request, geometry=geometry) for d in qs])


@api_view
def department_list(request: HttpRequest) -> HttpResponse:
    check_known(request, ())
    return listing([serializers.department_data(d, request) for d in Department.objects.all()])


@api_view
def topic_list(request: HttpRequest) -> HttpResponse:
    check_known(request, ())
    return listing([serializers.topic_data(t, request) for t in Topic.objects.all()])


@api_view
def principle_list(request: HttpRequest) -> HttpResponse:
    check_known(request, ())
    return listing([serializers.principle_data(p, request) for p in Principle.objects.all()])


@api_view
def schema(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 description of this API, with this server's address."""
    server = request.build_absolute_uri(reverse("api:docs")).rstrip("/")
    return json(openapi_schema(server_url=server))


@allow_any_origin
def unknown_path(request: HttpRequest, path: str = "") -> HttpResponse:
    """JSON 404 for any other address; a trailing slash on a real endpoint is redirected away."""
    if path.endswith("/"):
        target = request.path.rstrip("/")
        try:
            match = resolve(target)
        except Resolver404:
            match = None
        if match is not None and match.url_name != "unknown":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(target + (f"?{query}" if query else ""))
    return not_found(request)


def docs(request: HttpRequest) -> HttpResponse:
    """The open data page: feeds, CSV, API and licence, for people.

    The API lives outside the language prefixes, so the language is chosen with `?lang=en`; the
    header's language links are pointed there too.
    """
    language = request.GET.get("lang")
    if language not in ("da", "en"):
        language = translation.get_language() or "da"
    with translation.override(language):
        links = [
            (code, f"{request.path}?lang={code}", label)
            for code, label in (("da", "Dansk"), ("en", "English"))
        ]
        list_path = reverse("participation:opportunity_list")
        api_root = request.build_absolute_uri(reverse("api:docs"))
        example = example_opportunity_list(
            api_root.rstrip("/"), request.build_absolute_uri("/").rstrip("/")
        )
        context = {
            "crumbs": [
                (_("Get involved"), reverse("participation:home")),
                (_("Open data and API"), ""),
            ],
            "example_json": json_module.dumps(example, indent=2, ensure_ascii=False),
            "feeds": _feed_links(),
            "feeds_example": _feed_links("channel=hoering&district=noerrebro"),
            "list_url": list_path,
            "feed_limit": FEED_LIMIT,
            "page_size": PAGE_SIZE,
            "max_page_size": MAX_PAGE_SIZE,
            "api_root": api_root,
            "schema_url": reverse("api:schema"),
            "whole_city": WHOLE_CITY,
            "language_links": links,
            "language_urls": [(code, request.build_absolute_uri(url)) for code, url, _l in links],
            "licence": DATA_LICENCE,
        }
        response = render(request, "api/docs.html", context)
    response.headers.setdefault("Content-Language", language)
    return response


def _feed_links(query: str = "") -> dict[str, str]:
    """The feeds and the API list, for everything or for an example filter (docs page)."""
    names = {
        "ical": "participation:opportunities_ical",
        "atom": "participation:opportunities_atom",
        "csv": "participation:opportunities_csv",
        "api": "api:opportunity_list",
    }
    suffix = f"?{query}" if query else ""
    return {key: reverse(name) + suffix for key, name in names.items()}
