"""Public pages of campaigns: the landing page (under the campaign path, in both languages)."""

from sammen.campaigns import urls_public

app_name = "campaigns"

urlpatterns = [*urls_public.urlpatterns]
