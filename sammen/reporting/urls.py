"""Staff pages of the status report under /personale/rapport/."""

from sammen.reporting import urls_report, urls_status

app_name = "reporting"

urlpatterns = [*urls_status.urlpatterns, *urls_report.urlpatterns]
