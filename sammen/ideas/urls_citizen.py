"""The citizen's private pages (by the tracking token) and the public idea board, in the `ideas`
namespace. Danish slugs through gettext; the app is mounted at "ideer/" ("/en/ideas/")."""

from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from sammen.ideas.views import board, citizen


class ReferenceConverter:
    """An idea's reference, e.g. IDE-2026-00042. Only that shape matches, so the public idea page
    never swallows another single-segment address of the app (such as the submission steps)."""

    regex = r"IDE-[0-9]{4}-[0-9]{5,}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "idea_reference")

urlpatterns = [
    path("", board.board, name="board"),
    path("<idea_reference:reference>/", board.detail, name="detail"),
    path(_("<idea_reference:reference>/follow/"), board.follow, name="follow"),
    path(_("<idea_reference:reference>/follow/sent/"), board.follow_sent, name="follow_sent"),
    path(_("follow/confirm/<str:token>/"), board.follow_confirm, name="follow_confirm"),
    path(_("follow/stop/<str:token>/"), board.unfollow, name="unfollow"),
    path(_("track/<str:token>/"), citizen.track, name="track"),
    path(_("track/<str:token>/attachments/<int:pk>/"), citizen.attachment, name="attachment"),
    path(_("track/<str:token>/data/"), citizen.export, name="export"),
    path(_("track/<str:token>/contact-details/"), citizen.contact, name="contact"),
    path(_("track/<str:token>/erase/"), citizen.erase, name="erase"),
    path(_("track/<str:token>/survey/"), citizen.survey, name="survey"),
    path(_("erased/"), citizen.erased, name="erased"),
]
