"""The feeds of the public catalogue: thin views over sammen.participation.feeds."""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import conditional_page, require_safe

from sammen.participation import feeds
from sammen.participation.selectors import public_opportunities

# Feeds are public and the same for everyone: calendar apps and proxies may keep them a while.
FEED_MAX_AGE = 300


def public_feed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """CORS `*`, GET and HEAD only, cacheable for a few minutes, 304 when the body is unchanged."""
    cached = cache_control(public=True, max_age=FEED_MAX_AGE)(view)
    return feeds.allow_any_origin(require_safe(conditional_page(cached)))


@public_feed
def opportunities_ical(request: HttpRequest) -> HttpResponse:
    return feeds.opportunities_calendar(request)


@public_feed
def opportunities_atom(request: HttpRequest) -> HttpResponse:
    return feeds.opportunities_atom(request)


@public_feed
def opportunities_csv(request: HttpRequest) -> HttpResponse:
    return feeds.opportunities_csv(request)


@public_feed
def opportunity_ical(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """ "Add to calendar" for one opportunity. The slug is cosmetic: the id finds it."""
    opportunity = get_object_or_404(
        public_opportunities().select_related("channel", "venue"), pk=pk
    )
    response = feeds.opportunity_calendar(request, opportunity)
    if response is None:
        raise Http404("This opportunity has no date to put in a calendar.")
    return response
