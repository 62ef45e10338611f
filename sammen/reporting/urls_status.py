"""The steering group's pages of the status report under /personale/rapport/ (Danish slugs
through gettext): the home, a year, a task's status for a year, the tasks, a year's targets.

A task's page is `<year>/<task key>/`. Other pages of the report live under `<year>/<word>/` too,
so the task part only matches the key of an existing task (`TaskKeyConverter`): any other word
falls through to the next pattern, whatever the order the patterns are included in.
"""

from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from sammen.reporting import views_status as views
from sammen.reporting.models import Task


class TaskKeyConverter:
    """A task key in a URL: matches only the key of an existing task (one query)."""

    regex = r"[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        if not Task.objects.filter(key=value).exists():
            raise ValueError(value)  # not a task: let the next pattern try
        return value

    def to_url(self, value: object) -> str:
        return str(getattr(value, "key", value))


register_converter(TaskKeyConverter, "task_key")

urlpatterns = [
    path("", views.index, name="index"),
    path(_("tasks/"), views.tasks_edit, name="tasks"),
    path("<int:year>/", views.year_detail, name="year"),
    path(_("<int:year>/targets/"), views.targets_edit, name="targets"),
    path("<int:year>/<task_key:task>/", views.entry_edit, name="entry"),
]
