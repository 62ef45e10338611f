"""Public pages of events under one namespace `events`."""

from sammen.events import urls_attendance, urls_pages

app_name = "events"

urlpatterns = [*urls_pages.urlpatterns, *urls_attendance.urlpatterns]
