"""The public dialogue examples in /sitemap.xml, in Danish and English."""

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from sammen.knowledge.models import Entry
from sammen.knowledge.selectors import public_examples


class _Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class ExperienceListSitemap(_Bilingual):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["knowledge_public:example_list"]

    def location(self, item: str) -> str:  # type: ignore[override]
        return reverse(item)


class ExperienceSitemap(_Bilingual):
    changefreq = "monthly"

    def items(self) -> QuerySet[Entry]:
        return public_examples().only("pk", "slug", "updated_at").order_by("pk")

    def location(self, item: Entry) -> str:  # type: ignore[override]
        return item.get_public_url()

    def lastmod(self, item: Entry):  # type: ignore[no-untyped-def]
        return item.updated_at


KNOWLEDGE_SITEMAPS: dict[str, type[Sitemap]] = {
    "experiences": ExperienceListSitemap,
    "experience": ExperienceSitemap,
}
