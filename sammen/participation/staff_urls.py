"""Staff pages for publishing opportunities, under /personale/ (login required on every page)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.participation.views import staff

app_name = "participation_staff"

urlpatterns = [
    # settings.LOGIN_REDIRECT_URL points here.
    path("", staff.dashboard, name="dashboard"),
    path(_("opportunities/new/"), staff.opportunity_create, name="opportunity_create"),
    path(_("opportunities/<int:pk>/"), staff.opportunity_edit, name="opportunity_edit"),
    path(
        _("opportunities/<int:pk>/preview/"),
        staff.opportunity_preview,
        name="opportunity_preview",
    ),
    path(
        _("opportunities/<int:pk>/publish/"),
        staff.opportunity_publish,
        name="opportunity_publish",
    ),
    path(
        _("opportunities/<int:pk>/unpublish/"),
        staff.opportunity_unpublish,
        name="opportunity_unpublish",
    ),
    path(
        _("opportunities/<int:pk>/outcome/"),
        staff.opportunity_outcome,
        name="opportunity_outcome",
    ),
]
