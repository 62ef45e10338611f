"""The staff dashboards of ideas under /personale/ideer/.

- `dashboard` (ideas.view_dashboard), the landing page for every member of staff: one of the
  user's departments at a time (a picker when there are several; coordinators may pick any
  department), with its figures, the handovers it must accept or return, and its open ideas.
- `coordination` (ideas.triage): the triage queue, the figures of every department and every
  missed deadline.

Thin views: the figures and lists come from `sammen.ideas.dashboards`; each page runs a fixed
number of queries whatever the number of ideas. Links to the case page are resolved in the
templates with `{% url ... as %}`, so these pages render before the case page exists.
"""

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from sammen.accounts.permissions import has_permission, permission_required
from sammen.core.models import Department
from sammen.ideas import dashboards, rules, selectors

PAGE_SIZE = 25


class DashboardFilterForm(forms.Form):
    """Which department to show and whether to show only the user's own ideas (GET).

    The department defaults to the user's first; a coordinator outside every department has no
    default and is asked to choose.
    """

    department = forms.TypedChoiceField(
        label=pgettext_lazy("filter label", "Department"),
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose one of the departments listed.")},
    )
    mine = forms.BooleanField(label=_("Only ideas I handle"), required=False)

    def __init__(
        self, data: Any, *, departments: list[Department], default: Department | None
    ) -> None:
        if default is not None and not data.get("department"):
            data = data.copy()
            data["department"] = str(default.pk)
        super().__init__(data)
        field = self.fields["department"]
        field.choices = [(d.pk, f"{d.name} ({d.abbreviation})") for d in departments]
        if default is None:
            field.required = False
            field.choices = [("", _("Choose a department")), *field.choices]


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(
        request,
        template,
        {"noindex": True, "can_triage": has_permission(request.user, "ideas.triage"), **context},
    )


@permission_required("ideas.view_dashboard")
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """A department's open ideas, figures and handovers; the user's first department by default."""
    user = request.user
    now = timezone.now()
    own_ids = rules.staff_department_ids(user)
    coordinator = rules.is_coordinator(user)
    departments = list(
        Department.objects.all() if coordinator else Department.objects.filter(pk__in=own_ids)
    )
    if not departments:
        return _render(request, "ideas/staff/dashboards/dashboard.html", {"no_department": True})

    own = [d for d in departments if d.pk in own_ids]
    default = own[0] if own else None
    form = DashboardFilterForm(request.GET, departments=departments, default=default)
    valid = form.is_valid()
    chosen = form.cleaned_data["department"] if valid else None
    mine = valid and form.cleaned_data["mine"]
    department = next((d for d in departments if d.pk == chosen), default)

    shown_ids = {d.pk for d in own} | ({department.pk} if department else set())
    figures = {f.department.pk: f for f in dashboards.department_figures(shown_ids, now=now)}
    context: dict[str, Any] = {
        "form": form,
        "picker": len(departments) > 1,
        "department": department,
        "mine": mine,
        # A summary of all the user's departments, when there is more than one.
        "own_figures": [figures[d.pk] for d in own] if len(own) > 1 else [],
    }
    if department is not None:
        page_obj = Paginator(
            dashboards.department_ideas(department.pk, now=now, handler=user if mine else None),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
        context.update(
            figures=figures[department.pk],
            handovers=[
                (h, dashboards.deadline_status(h.due_at, now))
                for h in dashboards.department_handovers(department.pk)
            ],
            page_obj=page_obj,
            rows=dashboards.idea_rows(page_obj, department.pk, now),
        )
    return _render(request, "ideas/staff/dashboards/dashboard.html", context)


@permission_required("ideas.triage")
@require_safe
def coordination(request: HttpRequest) -> HttpResponse:
    """The coordinators' overview: the triage queue, every department and every missed deadline."""
    now = timezone.now()
    queue = Paginator(selectors.ideas_awaiting_triage(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render(
        request,
        "ideas/staff/dashboards/coordination.html",
        {
            "queue": queue,
            "queue_rows": [
                (idea, dashboards.deadline_status(idea.acknowledge_due, now)) for idea in queue
            ],
            "figures": dashboards.department_figures(now=now),
            "overdue": dashboards.overdue_overview(now=now),
            "crumbs": [
                (gettext("Ideas in my departments"), reverse("ideas_staff:dashboard")),
                (gettext("Coordination and triage"), ""),
            ],
        },
    )
