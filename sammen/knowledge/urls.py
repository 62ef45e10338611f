"""Staff pages of the knowledge site, mounted at /personale/viden/. Paths are translated."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.home, name="home"),
    path(_("entries/"), views.entry_list, name="entry_list"),
    path(_("entries/new/"), views.entry_create, name="entry_create"),
    path(_("entries/<int:pk>/"), views.entry_detail, name="entry_detail"),
    path(_("entries/<int:pk>/edit/"), views.entry_edit, name="entry_edit"),
    path(_("entries/<int:pk>/status/"), views.entry_transition, name="entry_transition"),
    path(_("entries/<int:pk>/reviewed/"), views.entry_mark_reviewed, name="entry_mark_reviewed"),
    path(_("entries/<int:pk>/history/"), views.entry_history, name="entry_history"),
    path(_("entries/<int:pk>/history/<int:number>/"), views.entry_version, name="entry_version"),
    path(
        _("entries/<int:pk>/history/<int:number>/restore/"),
        views.entry_restore,
        name="entry_restore",
    ),
    path(_("entries/<int:pk>/attachments/"), views.attachment_upload, name="attachment_upload"),
    path(
        _("entries/<int:pk>/attachments/<int:attachment_pk>/"),
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        _("entries/<int:pk>/attachments/<int:attachment_pk>/delete/"),
        views.attachment_delete,
        name="attachment_delete",
    ),
    path(_("principles/"), views.principle_list, name="principle_list"),
    path(_("principles/<slug:slug>/"), views.principle_detail, name="principle_detail"),
    path(_("out-of-date/"), views.stale_list, name="stale_list"),
    path(_("review/"), views.review_list, name="review_list"),
    path(_("consultants/"), views.consultant_list, name="consultant_list"),
    path(_("consultants/profile/"), views.profile_edit, name="profile_edit"),
    path(_("consultants/<slug:slug>/ask/"), views.consultant_ask, name="consultant_ask"),
]
