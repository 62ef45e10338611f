"""The public idea board in /sitemap.xml: the board and every public idea, in Danish and English.

Wired into sammen/sitemaps.py through IDEAS_SITEMAPS. Only public ideas (sammen.ideas.board) are
listed; private tracking pages never are.
"""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from sammen.ideas.board import public_q
from sammen.ideas.models import Idea


class _Bilingual(Sitemap):
    """Every URL once per language (/… and /en/…), each listing the other as an alternate."""

    i18n = True
    alternates = True
    x_default = True


class IdeaBoardSitemap(_Bilingual):
    """The board itself."""

    changefreq = "daily"
    priority = 0.7

    def items(self) -> list[str]:
        return ["ideas:board"]

    def location(self, item: str) -> str:  # type: ignore[override]
        return reverse(item)


class PublicIdeaSitemap(_Bilingual):
    """Each public idea's page, with its last change."""

    changefreq = "weekly"

    def items(self) -> QuerySet[Idea]:
        return Idea.objects.filter(public_q()).only("pk", "reference", "updated_at").order_by("pk")

    def location(self, item: Idea) -> str:  # type: ignore[override]
        return reverse("ideas:detail", args=[item.reference])

    def lastmod(self, item: Idea) -> datetime:
        return item.updated_at


IDEAS_SITEMAPS: dict[str, type[Sitemap]] = {
    "ideas": IdeaBoardSitemap,
    "public-ideas": PublicIdeaSitemap,
}
