"""Staff pages of events under /personale/arrangementer/."""

from sammen.events import staff_urls_attendance, staff_urls_labs, staff_urls_pages

app_name = "events_staff"

urlpatterns = [
    *staff_urls_pages.urlpatterns,
    *staff_urls_attendance.urlpatterns,
    *staff_urls_labs.urlpatterns,
]
