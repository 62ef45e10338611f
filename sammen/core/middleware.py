from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

STAFF_PREFIXES = ("/personale/", "/en/personale/", "/admin/")


class StaffPagesMiddleware:
    """Staff pages are never indexed and never cached by a shared cache (issue: staff accounts)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(STAFF_PREFIXES):
            response["X-Robots-Tag"] = "noindex, nofollow"
            add_never_cache_headers(response)
            response["Cache-Control"] += ", private"
        return response
