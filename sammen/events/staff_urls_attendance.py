"""Staff pages of attendance under /personale/arrangementer/: registrations and their CSV,
cancelling on someone's behalf, the check-in desk, and the feedback of an event and a series."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.events import views_attendance as views

urlpatterns = [
    path(_("<int:pk>/registrations/"), views.registrations, name="registrations"),
    path(_("<int:pk>/registrations.csv"), views.registrations_csv, name="registrations_csv"),
    path(
        _("<int:pk>/registrations/<int:registration_pk>/cancel/"),
        views.registration_cancel,
        name="registration_cancel",
    ),
    path(_("<int:pk>/check-in/"), views.checkin, name="checkin"),
    path(_("<int:pk>/check-in/code/"), views.checkin_code, name="checkin_code"),
    path(_("<int:pk>/check-in/undo/"), views.checkin_undo, name="checkin_undo"),
    path(_("<int:pk>/feedback/"), views.feedback_summary, name="feedback_summary"),
    path(_("series/<slug:slug>/feedback/"), views.series_feedback, name="series_feedback"),
]
