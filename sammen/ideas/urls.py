"""Public pages of ideas: submitting (urls_submit) and the citizen's and the public's pages
(urls_citizen), under one namespace `ideas`."""

from sammen.ideas import urls_citizen, urls_submit

app_name = "ideas"

urlpatterns = [*urls_submit.urlpatterns, *urls_citizen.urlpatterns]
