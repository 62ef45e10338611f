"""Staff pages of ideas under /personale/ideer/: dashboards and the triage queue
(staff_urls_dashboards), and the case page with its actions (staff_urls_handling)."""

from sammen.ideas import staff_urls_dashboards, staff_urls_handling

app_name = "ideas_staff"

urlpatterns = [*staff_urls_dashboards.urlpatterns, *staff_urls_handling.urlpatterns]
