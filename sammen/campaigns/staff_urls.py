"""Staff pages of campaigns under /personale/kampagner/."""

from sammen.campaigns import staff_urls_manage, staff_urls_results

app_name = "campaigns_staff"

urlpatterns = [*staff_urls_manage.urlpatterns, *staff_urls_results.urlpatterns]
