"""The staff dashboards of ideas: the department dashboard (the landing page of
/personale/ideer/) and the coordinators' overview. Paths are translated."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.ideas.views import dashboards

urlpatterns = [
    path("", dashboards.dashboard, name="dashboard"),
    path(_("coordination/"), dashboards.coordination, name="coordination"),
]
