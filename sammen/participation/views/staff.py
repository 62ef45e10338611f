"""Staff pages for publishing opportunities, under /personale/.

Thin views: each page checks one named permission (`permission_required`, which also asks for a
verified second factor), and every opportunity is fetched through `get_opportunity_for_staff`,
which asks the same named permission for the object (declared in `rules`); another department's opportunity is a 404, so its existence is not revealed
(the same answer as for an id that does not exist). Writes go through `services`. The middleware
adds noindex and no-store headers to every page under /personale/.
"""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sammen.accounts.permissions import has_permission, permission_required
from sammen.participation import rules, services
from sammen.participation.models import Opportunity, OpportunityChange, OpportunityStatus
from sammen.participation.selectors import status_q, with_related
from sammen.participation.staff_forms import COPENHAGEN, OpportunityForm, OutcomeForm

PAGE_SIZE = 25
# How many rows the "closed without an outcome" box shows; the tab lists them all.
MISSING_OUTCOME_BOX = 5
# The edit page shows the newest changes; older ones stay in the database and the admin.
HISTORY_LIMIT = 50


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    # Staff pages are never indexed: the header comes from the middleware, the meta tag from here.
    return render(request, template, {"noindex": True, **context})


def get_opportunity_for_staff(
    request: HttpRequest,
    pk: int,
    *,
    permission: str = "participation.change_opportunity",
) -> Opportunity:
    """The opportunity, if the user holds the named permission for it; 404 otherwise (also for
    other departments)."""
    opportunity = get_object_or_404(
        Opportunity.objects.select_related("channel", "venue").prefetch_related("departments"),
        pk=pk,
    )
    if not has_permission(request.user, permission, opportunity):
        raise Http404
    return opportunity


def _add_errors(form: Form, error: ValidationError) -> None:
    """Put a service's validation errors on the form: on their field if it has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _dashboard_lists(now: datetime) -> dict[str, tuple[Any, Q, list[Any]]]:
    """The dashboard's tabs: label, filter and order. "Closed" is the status from the dates."""
    closed = status_q(OpportunityStatus.CLOSED, now)
    outcome = status_q(OpportunityStatus.OUTCOME_PUBLISHED, now)
    published = Q(is_published=True)
    return {
        "all": (_("All"), Q(), ["-updated_at", "-pk"]),
        "drafts": (_("Drafts"), Q(is_published=False), ["-updated_at", "-pk"]),
        "published": (
            _("Published and not closed"),
            published & ~closed & ~outcome,
            ["closes_at", "pk"],
        ),
        "closed": (_("Closed"), published & (closed | outcome), ["-closes_at", "-pk"]),
        "missing_outcome": (
            _("Closed without an outcome"),
            published & closed,
            ["closes_at", "pk"],
        ),
    }


@permission_required("participation.view_dashboard")
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """My departments' opportunities by state, and those still waiting for their outcome."""
    now = timezone.now()
    mine = rules.opportunities_editable_by(request.user)
    lists = _dashboard_lists(now)
    counts = mine.aggregate(
        **{key: Count("pk", filter=q) for key, (_label, q, _order) in lists.items()}
    )
    show = request.GET.get("show", "all")
    if show not in lists:
        show = "all"
    _label, q, order = lists[show]
    page_obj = Paginator(with_related(mine.filter(q)).order_by(*order), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    missing_outcome: QuerySet[Opportunity] | list[Opportunity] = []
    if counts["missing_outcome"] and show != "missing_outcome":
        _l, missing_q, missing_order = lists["missing_outcome"]
        missing_outcome = list(
            mine.filter(missing_q).order_by(*missing_order)[:MISSING_OUTCOME_BOX]
        )
    tabs = [
        {"key": key, "label": label, "count": counts[key], "current": key == show}
        for key, (label, _q, _o) in lists.items()
    ]
    return _render(
        request,
        "participation/staff/dashboard.html",
        {
            "tabs": tabs,
            "show": show,
            "show_label": lists[show][0],
            "page_obj": page_obj,
            "missing_outcome": missing_outcome,
            "missing_outcome_count": counts["missing_outcome"],
            "can_create": has_permission(request.user, "participation.create_opportunity"),
            "now": now,
        },
    )


@permission_required("participation.create_opportunity")
@require_http_methods(["GET", "POST"])
def opportunity_create(request: HttpRequest) -> HttpResponse:
    form = OpportunityForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            opportunity = services.opportunity_create(by=request.user, data=form.service_data())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, gettext("The opportunity is saved as a draft."))
            return redirect("participation_staff:opportunity_preview", pk=opportunity.pk)
    return _render(
        request, "participation/staff/opportunity_form.html", {"form": form, "opportunity": None}
    )


@permission_required("participation.change_opportunity")
@require_http_methods(["GET", "POST"])
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity_for_staff(request, pk)
    form = OpportunityForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        opportunity=opportunity,
    )
    if form.is_bound and form.is_valid():
        try:
            services.opportunity_update(
                opportunity=opportunity, by=request.user, data=form.service_data()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, gettext("Your changes are saved."))
            return redirect("participation_staff:opportunity_preview", pk=opportunity.pk)
    return _render(
        request,
        "participation/staff/opportunity_form.html",
        {"form": form, "opportunity": opportunity, "history": change_history(opportunity)},
    )


@permission_required("participation.change_opportunity")
@require_GET
def opportunity_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The opportunity as the public will see it, clearly marked as a preview."""
    opportunity = get_opportunity_for_staff(request, pk)
    opportunity = with_related(Opportunity.objects.filter(pk=opportunity.pk)).get()
    return _render(
        request,
        "participation/staff/opportunity_preview.html",
        {
            "opportunity": opportunity,
            "outcome_allowed": services.outcome_allowed(opportunity, timezone.now()),
        },
    )


@permission_required("participation.publish_opportunity")
@require_POST
def opportunity_publish(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity_for_staff(
        request, pk, permission="participation.publish_opportunity"
    )
    try:
        services.opportunity_publish(opportunity=opportunity, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("participation_staff:opportunity_edit", pk=opportunity.pk)
    messages.success(request, gettext("The opportunity is published."))
    return redirect("participation_staff:opportunity_preview", pk=opportunity.pk)


@permission_required("participation.publish_opportunity")
@require_POST
def opportunity_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity_for_staff(
        request, pk, permission="participation.publish_opportunity"
    )
    services.opportunity_unpublish(opportunity=opportunity, by=request.user)
    messages.success(request, gettext("The opportunity is no longer published."))
    return redirect("participation_staff:opportunity_preview", pk=opportunity.pk)


@permission_required("participation.set_outcome")
@require_http_methods(["GET", "POST"])
def opportunity_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Report what came of it; possible once the opportunity has closed (see services)."""
    opportunity = get_opportunity_for_staff(request, pk, permission="participation.set_outcome")
    form = OutcomeForm(
        request.POST if request.method == "POST" else None,
        initial={"outcome": opportunity.outcome},
    )
    if form.is_bound and form.is_valid():
        try:
            services.opportunity_set_outcome(
                opportunity=opportunity, by=request.user, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, gettext("The outcome is saved."))
            return redirect("participation_staff:opportunity_preview", pk=opportunity.pk)
    return _render(
        request,
        "participation/staff/opportunity_outcome.html",
        {
            "form": form,
            "opportunity": opportunity,
            "outcome_allowed": services.outcome_allowed(opportunity, timezone.now()),
        },
    )


def _field_label(name: str) -> str:
    try:
        return str(Opportunity._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


_DATE_FIELDS = {
    "start_at",
    "end_at",
    "deadline",
    "published_at",
    "outcome_published_at",
    "withdrawn_at",
}


def _display(name: str, value: Any) -> str:
    """A history value as staff read it: dates in Copenhagen time, lists joined, empty as a dash."""
    if value in (None, "", []):
        return "–"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if name in _DATE_FIELDS:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return timezone.localtime(moment, COPENHAGEN).strftime("%d-%m-%Y %H:%M")
    return str(value)


def change_history(opportunity: Opportunity) -> list[dict[str, Any]]:
    """The newest changes with readable field names and values, for the edit page."""
    changes = OpportunityChange.objects.filter(opportunity=opportunity).select_related("by")
    return [
        {
            "at": change.at,
            "by": change.by,
            "action": change.get_action_display(),
            "fields": [
                {
                    "label": _field_label(name),
                    "before": _display(name, values[0] if len(values) > 0 else None),
                    "after": _display(name, values[1] if len(values) > 1 else None),
                }
                for name, values in (change.changes or {}).items()
                if isinstance(values, list)
            ],
        }
        for change in changes[:HISTORY_LIMIT]
    ]
