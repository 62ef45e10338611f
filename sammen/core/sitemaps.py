from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class CoreSitemap(Sitemap):
    """The site's fixed pages, in both languages."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "yearly"

    def items(self) -> list[str]:
        return ["core:accessibility", "core:privacy"]

    def location(self, item: str) -> str:
        return reverse(item)
