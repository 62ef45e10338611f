"""Staff pages for running poster campaigns under /personale/kampagner/ (Danish slugs through
gettext): the list, a campaign's form and page, its placements, the CSV import and the posters."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.campaigns import views_manage as views

urlpatterns = [
    path("", views.index, name="index"),
    path(_("new/"), views.create, name="create"),
    path("<int:year>/", views.detail, name="detail"),
    path(_("<int:year>/edit/"), views.edit, name="edit"),
    path(_("<int:year>/placements/new/"), views.placement_create, name="placement_create"),
    path(_("<int:year>/placements/import/"), views.placement_import, name="placement_import"),
    path(_("<int:year>/placements/<int:pk>/"), views.placement_edit, name="placement_edit"),
    path(
        _("<int:year>/placements/<int:pk>/delete/"),
        views.placement_delete,
        name="placement_delete",
    ),
    path(
        _("<int:year>/placements/<int:pk>/poster-<slug:size>.pdf"),
        views.poster,
        name="poster",
    ),
    path(_("<int:year>/posters-<slug:size>.pdf"), views.posters_all, name="posters"),
]
