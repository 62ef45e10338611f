"""The public catalogue in /sitemap.xml: each page in Danish and English, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from sammen.core.models import District
from sammen.participation.models import Channel, Opportunity
from sammen.participation.selectors import public_opportunities


class _Bilingual(Sitemap):
    """Every URL once per language (/… and /en/…), each listing the other as an alternate."""

    i18n = True
    alternates = True
    x_default = True


class PageSitemap(_Bilingual):
    """The front page and the list pages."""

    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return [
            "participation:home",
            "participation:opportunity_list",
            "participation:channel_list",
            "participation:district_list",
        ]

    def location(self, item: str) -> str:  # type: ignore[override]
        return reverse(item)


class OpportunitySitemap(_Bilingual):
    """Every opportunity a citizen may see, including closed ones with what came of them."""

    changefreq = "daily"

    def items(self) -> QuerySet[Opportunity]:
        return public_opportunities().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, item: Opportunity):  # type: ignore[no-untyped-def]
        return item.updated_at


class ChannelSitemap(_Bilingual):
    changefreq = "weekly"

    def items(self) -> QuerySet[Channel]:
        return Channel.objects.only("pk", "slug").order_by("order", "pk")


class DistrictSitemap(_Bilingual):
    changefreq = "daily"

    def items(self) -> QuerySet[District]:
        return District.objects.only("pk", "slug").order_by("number")

    def location(self, item: District) -> str:  # type: ignore[override]
        return reverse("participation:district_detail", kwargs={"slug": item.slug})


PARTICIPATION_SITEMAPS: dict[str, type[Sitemap]] = {
    "participation": PageSitemap,
    "opportunities": OpportunitySitemap,
    "channels": ChannelSitemap,
    "districts": DistrictSitemap,
}
