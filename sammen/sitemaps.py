"""Every public page, for /sitemap.xml. Each app contributes its own sitemaps."""

from sammen.core.sitemaps import CoreSitemap
from sammen.participation.sitemaps import PARTICIPATION_SITEMAPS

SITEMAPS = {"core": CoreSitemap, **PARTICIPATION_SITEMAPS}
