"""Published campaign landing pages in /sitemap.xml, in Danish and English.

Wired into sammen/sitemaps.py through CAMPAIGN_SITEMAPS. Unpublished campaigns and the short links
(which count visits) are never listed.
"""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from sammen.campaigns.models import Campaign


class CampaignSitemap(Sitemap):
    """Each published campaign's landing page, with its last change."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"

    def items(self) -> QuerySet[Campaign]:
        return Campaign.objects.filter(is_published=True).only("pk", "year", "updated_at")

    def lastmod(self, item: Campaign) -> datetime:
        return item.updated_at


CAMPAIGN_SITEMAPS: dict[str, type[Sitemap]] = {"campaigns": CampaignSitemap}
