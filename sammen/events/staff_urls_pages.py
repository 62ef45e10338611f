"""Staff pages of events under /personale/arrangementer/: the list, an event's form and its state
(publish, unpublish, cancel), programme, stands and materials (Danish slugs through gettext)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.events.views import staff

urlpatterns = [
    path("", staff.event_list, name="list"),
    path(_("new/"), staff.event_create, name="create"),
    path("<int:pk>/", staff.event_edit, name="edit"),
    path(_("<int:pk>/publish/"), staff.event_publish, name="publish"),
    path(_("<int:pk>/unpublish/"), staff.event_unpublish, name="unpublish"),
    path(_("<int:pk>/cancel/"), staff.event_cancel, name="cancel"),
    path(_("<int:pk>/programme/"), staff.programme, name="programme"),
    path(
        _("<int:pk>/programme/<int:item_pk>/delete/"),
        staff.programme_item_delete,
        name="programme_item_delete",
    ),
    path(_("<int:pk>/stands/"), staff.stands, name="stands"),
    path(_("<int:pk>/stands/request/"), staff.stand_request, name="stand_request"),
    path(_("<int:pk>/materials/"), staff.materials, name="materials"),
    path(
        _("<int:pk>/materials/<int:material_pk>/delete/"),
        staff.material_delete,
        name="material_delete",
    ),
]
