"""Staff pages of the status report under /personale/rapport/."""

from sammen.reporting import urls_report, urls_status

app_name = "reporting"

# The report first: a task's page (`<year>/<task key>/`) would otherwise catch `<year>/rapport/`.
urlpatterns = [*urls_report.urlpatterns, *urls_status.urlpatterns]
