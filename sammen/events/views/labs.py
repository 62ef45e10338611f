"""Staff pages of solution labs under /personale/arrangementer/: creating a lab from open ideas,
and the lab's page with its ideas, the citizens' answers, the departments invited, the agreements,
a form per idea to record one, and (while the lab is upcoming) a form to take one more idea to it.

Thin views: creating a lab and taking an idea to one need `ideas.triage` (coordinators), the lab
page `events.organise` on the lab (its organiser, coordinators, administrators). Writes go through `sammen.events.labs`; their
ValidationErrors are shown on the form with what was typed. The citizen's e-mail address is never
shown: a name and whether they are coming is what the organiser needs.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sammen.accounts.permissions import has_permission, permission_required
from sammen.core.models import Department
from sammen.events import labs
from sammen.events.forms_labs import AddIdeaForm, AgreementForm, LabForm, department_members
from sammen.events.models import Event, Kind, LabAgreement, LabIdea, Registration
from sammen.events.views.staff import _add_errors, _crumbs, _render
from sammen.ideas.models import Idea
from sammen.ideas.notifications import citizen_reachable
from sammen.ideas.search import search_ideas

# How many ideas the create page lists at a time; the search box finds the rest.
CANDIDATES_SHOWN = 50

Status = Registration.Status


# --- creating a lab ------------------------------------------------------------------------------


def _selected_ids(values: list[str]) -> list[int]:
    """Idea ids from `?ideas=1,2` or the ticked boxes; anything else is ignored."""
    ids = []
    for value in values:
        for part in value.split(","):
            if part.strip().isdigit():
                ids.append(int(part.strip()))
    return list(dict.fromkeys(ids))


def _candidates(
    query: str, selected: list[int], base: QuerySet[Idea] | None = None
) -> tuple[list[Idea], int]:
    """The open ideas to tick: the ticked ones first, then the search's best matches (or the
    newest without a search), at most CANDIDATES_SHOWN; and how many open ideas there are.
    `base` narrows the open ideas (those not yet in a lab, for adding one to it)."""
    base = labs.ideas_for_labs() if base is None else base
    found: QuerySet[Idea] = search_ideas(base, query) if query.strip() else base
    shown = list(base.filter(pk__in=selected)) if selected else []
    shown_ids = {idea.pk for idea in shown}
    for idea in found[:CANDIDATES_SHOWN]:
        if idea.pk not in shown_ids:
            shown.append(idea)
            shown_ids.add(idea.pk)
    return shown, base.count()


def _render_create(
    request: HttpRequest, form: LabForm, query: str, selected: list[int], status: int = 200
) -> HttpResponse:
    candidates, total = _candidates(query, selected)
    return _render(
        request,
        "events/labs/create.html",
        {
            "form": form,
            "query": query,
            "selected": set(selected),
            "candidates": candidates,
            "total": total,
            "limited": len(candidates) < total,
            "crumbs": _crumbs((_("New solution lab"), "")),
        },
        status=status,
    )


@permission_required("ideas.triage")
@require_http_methods(["GET", "POST"])
def lab_create(request: HttpRequest) -> HttpResponse:
    """Choose open ideas (search to find them; `?ideas=1,2` ticks them from the case page), when
    and where; creating it invites the citizens and the departments."""
    if request.method == "GET":
        selected = _selected_ids(request.GET.getlist("ideas"))
        query = request.GET.get("q", "")[:200]
        form = LabForm(initial={"q": query})
        return _render_create(request, form, query, selected)
    selected = _selected_ids(request.POST.getlist("ideas"))
    query = request.POST.get("q", "")[:200]
    if request.POST.get("action") == "search":
        # Searching keeps everything typed and ticked, and says nothing is wrong yet.
        initial = {name: request.POST.get(name, "") for name in LabForm.base_fields}
        return _render_create(request, LabForm(initial=initial), query, selected)
    form = LabForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            event = labs.lab_create(
                by=request.user,
                ideas=data["ideas"],
                title=data["title"],
                summary=data["summary"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                venue=data["venue"],
                location=data["location"],
                capacity=data["capacity"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The solution lab is created. The citizens and the departments are invited, "
                    "and each idea's page tells the citizen."
                ),
            )
            return redirect("events_staff:lab", pk=event.pk)
    return _render_create(request, form, query, selected, status=400)


# --- the lab's page ------------------------------------------------------------------------------


def get_lab_for_staff(request: HttpRequest, pk: int) -> Event:
    """The lab (404 for an unknown event or one that is not a lab) if the user organises it."""
    event = get_object_or_404(
        Event.objects.select_related("venue", "organiser"), pk=pk, kind=Kind.SOLUTION_LAB
    )
    if not has_permission(request.user, "events.organise", event):
        raise PermissionDenied("events.organise")
    return event


@dataclass
class LabRow:
    """One idea on the lab's page."""

    item: LabIdea
    departments: list[Department]
    citizen: Registration | None
    citizen_label: str
    agreements: list[LabAgreement] = field(default_factory=list)
    form: AgreementForm | None = None
    open: bool = False

    @property
    def idea(self) -> Idea:
        return self.item.idea


def citizen_label(idea: Idea, registration: Registration | None) -> str:
    """Whether the citizen is coming, in words (never their address)."""
    if registration is None:
        if idea.anonymised_at is not None or not idea.consent_contact:
            return _("Not invited: may not be contacted")
        return _("Not invited")
    return {
        Status.PENDING: _("Invited, no answer yet"),
        Status.CONFIRMED: _("Coming"),
        Status.WAITLISTED: _("On the waitlist"),
        Status.CANCELLED: _("Cannot come"),
    }[Status(registration.status)]


def _add_section(request: HttpRequest, event: Event, form: AddIdeaForm | None) -> dict | None:
    """The context of "Take another idea to this lab": for coordinators while the lab is upcoming,
    and after a refused attempt (to say why, with the search kept). None when not shown."""
    upcoming = event.cancelled_at is None and event.starts_at > timezone.now()
    if form is None:
        if not (upcoming and has_permission(request.user, "ideas.triage")):
            return None
        form = AddIdeaForm(event=event)
    source = form.data if form.is_bound else form.initial
    query = str(source.get("q") or "")[:200]
    chosen = _selected_ids([str(source.get("idea") or "")])
    candidates, total = _candidates(
        query, chosen, base=labs.ideas_for_labs().exclude(labs__event=event)
    )
    return {
        "form": form,
        "query": query,
        "chosen": chosen[0] if chosen else None,
        "candidates": candidates,
        "total": total,
        "limited": len(candidates) < total,
    }


def _render_lab(
    request: HttpRequest,
    event: Event,
    *,
    bound: tuple[int, AgreementForm] | None = None,
    add_form: AddIdeaForm | None = None,
    status: int = 200,
) -> HttpResponse:
    items = labs.lab_ideas(event)
    registrations = labs.citizen_registrations(event, items)
    agreements = labs.agreements_by_idea(event)
    departments = list(Department.objects.all())
    members = department_members()
    can_record = event.cancelled_at is None
    rows = []
    for item in items:
        idea = item.idea
        lead = [idea.lead_department] if idea.lead_department else []
        row = LabRow(
            item=item,
            departments=lead + list(idea.involved_departments.all()),
            citizen=registrations.get(idea.pk),
            citizen_label=citizen_label(idea, registrations.get(idea.pk)),
            agreements=agreements.get(idea.pk, []),
        )
        if can_record:
            if bound is not None and bound[0] == idea.pk:
                row.form, row.open = bound[1], True
            else:
                row.form = AgreementForm(
                    prefix=f"agreement-{idea.pk}", departments=departments, members=members
                )
                row.form.initial = {"owner_department": idea.lead_department_id}
        rows.append(row)
    return _render(
        request,
        "events/labs/lab.html",
        {
            "event": event,
            "active_tab": "lab",
            "rows": rows,
            "departments": labs.lab_departments(items),
            "agreement_count": sum(len(r.agreements) for r in rows),
            "bound_form": bound[1] if bound else None,
            "can_add_ideas": has_permission(request.user, "ideas.triage"),
            "add": _add_section(request, event, add_form),
            "crumbs": _crumbs(
                (event.title, reverse("events_staff:edit", args=[event.pk])),
                (_("Solution lab"), ""),
            ),
        },
        status=status,
    )


@permission_required("events.view")
@require_safe
def lab(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_lab(request, get_lab_for_staff(request, pk))


@permission_required("events.view")
@require_POST
def agreement_create(request: HttpRequest, pk: int, idea_pk: int) -> HttpResponse:
    """Record one agreement about one of the lab's ideas; the citizen is told on its page."""
    event = get_lab_for_staff(request, pk)
    item = LabIdea.objects.select_related("idea").filter(event=event, idea_id=idea_pk).first()
    if item is None:
        raise Http404
    form = AgreementForm(
        request.POST,
        prefix=f"agreement-{idea_pk}",
        departments=list(Department.objects.all()),
        members=department_members(),
    )
    if form.is_valid():
        try:
            labs.agreement_record(
                event=event, idea=item.idea, by=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The agreement is recorded and shown to the citizen on the page of %(ref)s.")
                % {"ref": item.idea.reference},
            )
            return redirect("events_staff:lab", pk=event.pk)
    return _render_lab(request, event, bound=(idea_pk, form), status=400)


def _add_idea_errors(form: AddIdeaForm, error: ValidationError) -> None:
    """The service names its field "ideas" (as on the create page); here the field is "idea"."""
    if hasattr(error, "error_dict") and "ideas" in error.error_dict:
        form.add_error("idea", error.error_dict.pop("ideas"))
        if not error.error_dict:
            return
    _add_errors(form, error)


@permission_required("ideas.triage")
@require_POST
def lab_add_idea(request: HttpRequest, pk: int) -> HttpResponse:
    """Take one more open idea to an upcoming lab: the citizen is told on the idea's timeline and
    invited, the idea's departments are invited (by `labs.lab_add_idea`). The "Search" button only
    lists other ideas, keeping what was typed and chosen."""
    event = get_lab_for_staff(request, pk)
    if request.POST.get("action") == "search":
        initial = {"q": request.POST.get("q", "")[:200], "idea": request.POST.get("idea", "")}
        return _render_lab(request, event, add_form=AddIdeaForm(initial=initial, event=event))
    form = AddIdeaForm(request.POST, event=event)
    if form.is_valid():
        idea = form.cleaned_data["idea"]
        try:
            labs.lab_add_idea(event=event, idea=idea, by=request.user)
        except ValidationError as error:
            _add_idea_errors(form, error)
        else:
            if citizen_reachable(idea):
                done = _(
                    "%(ref)s is taken to the solution lab. The citizen is invited and told on the "
                    "idea's page, and the idea's departments are invited."
                )
            else:
                done = _(
                    "%(ref)s is taken to the solution lab. The citizen is told on the idea's page "
                    "(they may not be contacted, so they are not invited), and the idea's "
                    "departments are invited."
                )
            messages.success(request, done % {"ref": idea.reference})
            return redirect("events_staff:lab", pk=event.pk)
    return _render_lab(request, event, add_form=form, status=400)
