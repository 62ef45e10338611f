"""Staff pages of the generated report under /personale/rapport/: preparing a year's report (the
text per task, the introduction, a preview of the live figures), generating it, and reading the
generated versions as a web page, a PDF and a Word document.

Generating freezes everything in an `AnnualReport` (`sammen.reporting.report`); the reading pages
render from that snapshot alone, so they run the same few queries whatever the data, and a
report opened years later shows what the directors were shown.
"""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sammen.accounts.permissions import has_permission, permission_required
from sammen.reporting import documents, report
from sammen.reporting.forms import PrepareForm
from sammen.reporting.models import AnnualReport, StatusEntry, Task

PAGE_SIZE = 25


def _valid_year(year: int) -> int:
    if not report.is_reportable_year(year):
        raise Http404(_("There is no report for that year."))
    return year


def _crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Generated reports"), reverse("reporting:report_list")), *trail]


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "noindex": True,
            "can_edit_report": has_permission(request.user, "reporting.edit"),
            **context,
        },
        status=status,
    )


@permission_required("reporting.edit")
@require_http_methods(["GET", "POST"])
def report_prepare(request: HttpRequest, year: int) -> HttpResponse:
    """Write the text per task and the introduction, look at the figures, then generate."""
    _valid_year(year)
    entries = list(
        StatusEntry.objects.filter(year=year).select_related("task").order_by("task__number")
    )
    by_task = {entry.task_id: entry for entry in entries}
    tasks = [
        task for task in Task.objects.order_by("number") if task.is_active or task.pk in by_task
    ]
    form = PrepareForm(
        request.POST if request.method == "POST" else None,
        entries=entries,
        initial={"introduction": report.latest_introduction(year)},
    )
    if request.method == "POST":
        if form.is_valid():
            narratives = {
                entry: form.cleaned_data[name]
                for entry in entries
                if (name := PrepareForm.narrative_name(entry)) in request.POST
            }
            with transaction.atomic():
                report.save_narratives(narratives, by=request.user)
                generated = report.generate_report(
                    year, request.user, form.cleaned_data["introduction"]
                )
            messages.success(
                request,
                _("The report for %(year)s is generated. Download it as PDF or Word below.")
                % {"year": year},
            )
            return redirect("reporting:report_detail", pk=generated.pk)
        messages.error(request, _("The report was not generated. Correct the fields below."))
    rows = [
        {
            "task": task,
            "entry": by_task.get(task.pk),
            "field": form[PrepareForm.narrative_name(by_task[task.pk])]
            if task.pk in by_task
            else None,
        }
        for task in tasks
    ]
    preview = report.build_snapshot(year)
    return _render(
        request,
        "reporting/report_prepare.html",
        {
            "year": year,
            "form": form,
            "rows": rows,
            "preview": preview,
            "crumbs": _crumbs(
                (_("Prepare the report for %(year)s") % {"year": year}, ""),
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@permission_required("reporting.view")
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    """The generated reports, newest first (several versions of a year are all kept)."""
    reports = (
        AnnualReport.objects.defer("snapshot")
        .select_related("generated_by")
        .order_by("-generated_at", "-pk")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    this_year = report.today().year
    return _render(
        request,
        "reporting/report_list.html",
        {
            "page_obj": page,
            "reports": page.object_list,
            "prepare_years": [this_year - 1, this_year],
            "crumbs": [(_("Generated reports"), "")],
        },
    )


def _report(pk: int) -> AnnualReport:
    return get_object_or_404(AnnualReport.objects.select_related("generated_by"), pk=pk)


@permission_required("reporting.view")
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The frozen report as a web page, with the charts inline and their numbers as tables."""
    annual = _report(pk)
    return _render(
        request,
        "reporting/report_detail.html",
        {
            "report": annual,
            **documents.report_context(annual.snapshot),
            "crumbs": _crumbs((str(annual.year), "")),
        },
    )


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required("reporting.view")
@require_safe
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    annual = _report(pk)
    return _download(
        documents.render_pdf(annual), "application/pdf", documents.file_name(annual, "pdf")
    )


@permission_required("reporting.view")
@require_safe
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    annual = _report(pk)
    return _download(
        documents.render_docx(annual),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        documents.file_name(annual, "docx"),
    )
