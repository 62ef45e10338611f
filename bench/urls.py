"""The site's URLs plus `/bench/ceiling`: a Django view that does no work.

It runs through the whole middleware stack (sessions, locale, CSRF, auth, messages, …) but touches
neither templates nor the database, so its throughput is the most any page can reach on this
server: the ceiling the other pages are compared with. `/healthz` is not trivial (it queries the
database) and a WSGI wrapper in front of Django would leave the middleware out.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from sammen.urls import handler404, handler500
from sammen.urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [path("bench/ceiling", ceiling), *site_urlpatterns]
