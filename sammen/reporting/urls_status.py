"""The steering group's pages of the status report under /personale/rapport/ (Danish slugs
through gettext): the home, a year, a task's status for a year, the tasks, a year's targets.

A task's page is `<year>/<task key>/`, so it comes last: the report's pages (`<year>/rapport/`,
included first in `reporting/urls.py`) and the targets match before it, and an unknown key is a
404 in the view.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from sammen.reporting import views_status as views

urlpatterns = [
    path("", views.index, name="index"),
    path(_("tasks/"), views.tasks_edit, name="tasks"),
    path("<int:year>/", views.year_detail, name="year"),
    path(_("<int:year>/targets/"), views.targets_edit, name="targets"),
    path("<int:year>/<slug:task>/", views.entry_edit, name="entry"),
]
