"""Staff pages for publishing opportunities, under /personale/."""

from django.urls import path

from sammen.participation.views import staff

app_name = "participation_staff"

urlpatterns = [
    path("", staff.dashboard, name="dashboard"),
]
