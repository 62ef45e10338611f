"""Every public page, for /sitemap.xml. Each app contributes its own sitemaps."""

from sammen.campaigns.sitemaps import CAMPAIGN_SITEMAPS
from sammen.core.sitemaps import CoreSitemap
from sammen.ideas.sitemaps import IDEAS_SITEMAPS
from sammen.knowledge.sitemaps import KNOWLEDGE_SITEMAPS
from sammen.participation.sitemaps import PARTICIPATION_SITEMAPS

SITEMAPS = {
    "core": CoreSitemap,
    **PARTICIPATION_SITEMAPS,
    **KNOWLEDGE_SITEMAPS,
    **IDEAS_SITEMAPS,
    **CAMPAIGN_SITEMAPS,
}
