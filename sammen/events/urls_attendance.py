"""The public page of attendance: the survey after the event, reached by the registration's
token (Danish slugs through gettext, as the other public pages)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.events import views_attendance

urlpatterns = [
    path(_("feedback/<str:token>/"), views_attendance.feedback, name="feedback"),
]
