"""The steering group's pages of the status report under /personale/rapport/: the reporting home
with its year selector, a year's status per task with financing, a task's status for a year, the
tasks themselves, and a year's targets.

Thin views: "reporting.view" to see, "reporting.edit" to change (`permission_required`: login,
second factor, then the rule). Reads and writes go through `sammen.reporting.services`; a
ValidationError from a service is shown on the form with what was typed.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sammen.accounts.permissions import has_permission, permission_required
from sammen.reporting import services
from sammen.reporting.forms import StatusEntryForm, TargetSheet, TaskForm, YearForm
from sammen.reporting.models import StatusEntry, Task


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "noindex": True,
            "can_edit": has_permission(request.user, "reporting.edit"),
            **context,
        },
        status=status,
    )


def _crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Status report"), reverse("reporting:index")), *trail]


def _year_crumbs(year: int, *trail: tuple[str, str]) -> list[tuple[str, str]]:
    return _crumbs((str(year), reverse("reporting:year", args=[year])), *trail)


def _checked_year(year: int) -> int:
    if not services.is_valid_year(year):
        raise Http404("no such year")
    return year


def _add_errors(form: Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


# --- the reporting home and a year ---------------------------------------------------------------


@permission_required("reporting.view")
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The years to work on and how far each has come; choosing a year opens it."""
    years = services.selectable_years()
    default = services.default_year()
    form = YearForm(request.GET or None, years=years, initial={"year": default})
    if form.is_bound and form.is_valid():
        return redirect("reporting:year", year=form.cleaned_data["year"])
    return _render(
        request,
        "reporting/index.html",
        {
            "form": form,
            "default_year": default,
            "summaries": services.year_summaries(years),
            "crumbs": [(_("Status report"), "")],
        },
        status=400 if form.is_bound else 200,
    )


@permission_required("reporting.view")
@require_safe
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    """The year's tasks in order, internal and external, with their lights and financing."""
    _checked_year(year)
    overview = services.year_overview(year)
    return _render(
        request,
        "reporting/year.html",
        {
            "year": year,
            "overview": overview,
            "summary": services.year_summaries([year])[0],
            "crumbs": _crumbs((str(year), "")),
        },
    )


# --- a task's status for a year ------------------------------------------------------------------


@permission_required("reporting.edit")
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, year: int, task: str) -> HttpResponse:
    """Write a task's status for a year; the first save creates it. With `?start_from=<year>`
    (the button beside an empty form), the form starts from that earlier entry's texts: shown,
    not saved."""
    _checked_year(year)
    task_obj = get_object_or_404(Task, key=task)
    entry = (
        StatusEntry.objects.filter(task=task_obj, year=year).select_related("updated_by").first()
    )
    earlier = None if entry else services.earlier_entry(task_obj, year)
    copied_from = None
    if entry is not None:
        initial = services.entry_values(entry)
    elif earlier is not None and request.GET.get("start_from") == str(earlier.year):
        initial = services.copied_values(earlier)
        copied_from = earlier.year
    else:
        initial = {}
    form = StatusEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.status_entry_save(
                task=task_obj, year=year, data=form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The status of “%(task)s” for %(year)s is saved.")
                % {"task": task_obj.title, "year": year},
            )
            return redirect("reporting:year", year=year)
    return _render(
        request,
        "reporting/entry_form.html",
        {
            "form": form,
            "task": task_obj,
            "year": year,
            "entry": entry,
            "earlier": earlier,
            "copied_from": copied_from,
            "crumbs": _year_crumbs(year, (task_obj.title, "")),
        },
        status=400 if form.is_bound else 200,
    )


# --- the tasks -----------------------------------------------------------------------------------


@permission_required("reporting.edit")
@require_http_methods(["GET", "POST"])
def tasks_edit(request: HttpRequest) -> HttpResponse:
    """Every task's titles, descriptions and whether it is active; saved all or nothing."""
    tasks = list(Task.objects.order_by("number"))
    data = request.POST if request.method == "POST" else None
    forms = [TaskForm(data, task=task) for task in tasks]
    if data is not None and all(form.is_valid() for form in forms):
        try:
            changed = services.tasks_save({form.task.pk: form.cleaned_data for form in forms})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if changed:
                messages.success(request, _("The tasks are saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("reporting:tasks")
    return _render(
        request,
        "reporting/tasks_form.html",
        {
            "forms": forms,
            "has_errors": any(form.errors for form in forms),
            "crumbs": _crumbs((_("Tasks"), "")),
        },
        status=400 if data is not None else 200,
    )


# --- targets -------------------------------------------------------------------------------------


@permission_required("reporting.edit")
@require_http_methods(["GET", "POST"])
def targets_edit(request: HttpRequest, year: int) -> HttpResponse:
    """A target for every registered indicator, grouped by task; empty means no target. With
    `?copy=1`, the form starts from last year's targets: shown, not saved until "Save"."""
    _checked_year(year)
    targets = services.targets_of([year, year - 1])
    copying = request.method == "GET" and request.GET.get("copy") == "1"
    tasks = {task.key: task for task in Task.objects.order_by("number")}
    sheet = TargetSheet(
        request.POST if request.method == "POST" else None,
        tasks=tasks,
        initial=targets[year - 1] if copying else targets[year],
    )
    if request.method == "POST" and sheet.is_valid():
        try:
            with transaction.atomic():
                changed = services.targets_save(year=year, values=sheet.values())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if changed:
                messages.success(request, _("The targets for %(year)s are saved.") % {"year": year})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("reporting:targets", year=year)
    return _render(
        request,
        "reporting/targets_form.html",
        {
            "year": year,
            "sheet": sheet,
            "copying": copying,
            "previous_count": len(targets[year - 1]),
            "crumbs": _year_crumbs(year, (_("Targets"), "")),
        },
        status=400 if request.method == "POST" else 200,
    )
