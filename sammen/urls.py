from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from sammen.campaigns import views_public as campaign_views
from sammen.core import views as core_views
from sammen.sitemaps import SITEMAPS

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("sammen.api.urls")),
    # A poster's short link: short, outside the language prefix, the same in every language.
    path("k/<str:code>", campaign_views.short_link, name="short_link"),
]

# Danish at the root, English under /en/ (DESIGN §5).
urlpatterns += i18n_patterns(
    path("personale/", include("sammen.accounts.urls")),
    path("personale/", include("sammen.participation.staff_urls")),
    path("personale/viden/", include("sammen.knowledge.urls")),
    path("personale/ideer/", include("sammen.ideas.staff_urls")),
    path("personale/arrangementer/", include("sammen.events.staff_urls")),
    path("personale/kampagner/", include("sammen.campaigns.staff_urls")),
    path("personale/rapport/", include("sammen.reporting.urls")),
    path(_("campaign/"), include("sammen.campaigns.urls")),
    path(_("events/"), include("sammen.events.urls")),
    path(_("ideas/"), include("sammen.ideas.urls")),
    path(_("experiences/"), include("sammen.knowledge.public_urls")),
    path("", include("sammen.core.urls")),
    path("", include("sammen.participation.urls")),
    prefix_default_language=False,
)

handler404 = "sammen.core.views.page_not_found"
handler500 = "sammen.core.views.server_error"
