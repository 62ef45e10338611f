"""The staff case page of an idea (/personale/ideer/<pk>/) and every action on it.

Thin views. Every idea is fetched through `get_idea_for_staff`, which asks `ideas.view_idea` (an
idea the user may not see is a 404, the same answer as for an id that does not exist) and then the
action's named permission (403). Every write goes through `sammen.ideas.services`; a service's
ValidationError is put back on the form's fields and the case page is shown again with what was
typed. Each action posts to its own URL and, on success, redirects to the case page with a message.

The citizen's contact details are shown only after a deliberate POST, which logs the look first
(`access_log.record_access`); coordinators and administrators see who looked and when.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from sammen.accounts.models import User
from sammen.accounts.permissions import has_permission, permission_required
from sammen.core.models import Department
from sammen.ideas import access_log, routing, selectors, services
from sammen.ideas.models import (
    Attachment,
    ErasureRecord,
    Handover,
    HelpNeeded,
    Idea,
    TimelineEntry,
)
from sammen.ideas.rules import is_coordinator
from sammen.ideas.staff_forms import (
    ActionForm,
    AssignForm,
    HandoverDecisionForm,
    HandOverForm,
    MessageForm,
    TriageForm,
    display_name,
    labs_of,
    transition_form,
    triage_close_form,
)
from sammen.ideas.states import OPEN_STATES, OWNED_STATES, Outcome, State, next_states

ERASURES_PAGE_SIZE = 25
# The case page lists the newest looks at the personal data; the admin has them all.
ACCESS_LOG_LIMIT = 20


# --- fetching and checking -----------------------------------------------------------------------


def _case_queryset() -> Any:
    """The idea with everything the case page and the rules read, in a fixed number of queries.
    Ideas awaiting confirmation are nobody's yet (as in rules.ideas_visible_to)."""
    return (
        Idea.objects.exclude(state=State.AWAITING_CONFIRMATION)
        .select_related(
            "lead_department",
            "handler",
            "coordinator",
            "referred_channel",
            "referred_opportunity",
            "duplicate_of",
            "solution_lab",
        )
        .prefetch_related(
            "involved_departments",
            "topics",
            "districts",
            "attachments",
            Prefetch(
                "handovers",
                queryset=Handover.objects.select_related(
                    "from_department", "to_department", "requested_by", "decided_by"
                ),
            ),
        )
    )


def get_idea_for_staff(request: HttpRequest, pk: int, permission: str | None = None) -> Idea:
    """The idea if the user may see it (404 otherwise) and, if named, do `permission` (403)."""
    idea = get_object_or_404(_case_queryset(), pk=pk)
    if not has_permission(request.user, "ideas.view_idea", idea):
        raise Http404
    if permission is not None and not has_permission(request.user, permission, idea):
        raise PermissionDenied(permission)
    return idea


def pending_handover(idea: Idea) -> Handover | None:
    """The pending handover, read from the prefetched handovers."""
    return next((h for h in idea.handovers.all() if h.status == Handover.Status.PENDING), None)


def _add_errors(form: ActionForm, error: ValidationError) -> None:
    """Put a service's errors on the form: on the matching field, else on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(form.error_field(name), errors)


# --- what the case page shows --------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    label: str
    due: datetime | None
    met_at: datetime | None
    overdue: bool
    paused_since: datetime | None = None


def deadlines(idea: Idea, now: datetime) -> list[Deadline]:
    """The acknowledgement and first-answer deadlines with whether each is met, overdue or paused.
    Overdue agrees with selectors.ideas_overdue_*: waiting for the citizen stops the answer clock."""
    acknowledge_overdue = (
        idea.state == State.RECEIVED
        and idea.acknowledged_at is None
        and idea.acknowledge_due is not None
        and idea.acknowledge_due < now
    )
    answer_overdue = (
        idea.state in OWNED_STATES
        and idea.state != State.WAITING_FOR_CITIZEN
        and idea.first_answered_at is None
        and idea.answer_due is not None
        and idea.answer_due < now
    )
    return [
        Deadline(
            _("Acknowledgement"), idea.acknowledge_due, idea.acknowledged_at, acknowledge_overdue
        ),
        Deadline(
            _("First answer"),
            idea.answer_due,
            idea.first_answered_at,
            answer_overdue,
            idea.clock_paused_since,
        ),
    ]


@dataclass
class TimelineRow:
    entry: TimelineEntry
    by: str
    changes: list[str] = field(default_factory=list)


def _timeline(idea: Idea) -> list[TimelineRow]:
    """The staff timeline with the ids in each entry's details turned into names: three queries
    (entries, the departments, the people named), however long the timeline is."""
    entries = list(selectors.staff_timeline(idea))
    departments = {d.pk: d.name for d in Department.objects.all()}
    user_ids = {
        entry.details.get(key)
        for entry in entries
        for key in ("handler", "coordinator")
        if isinstance(entry.details.get(key), int)
    }
    users = {u.pk: display_name(u) for u in User.objects.filter(pk__in=user_ids)}

    def department(pk: Any) -> str:
        return departments.get(pk, "–")

    outcomes = dict(Outcome.choices)
    rows = []
    for entry in entries:
        details = entry.details or {}
        changes = []
        if "lead_department" in details:
            changes.append(_("Lead department: %s") % department(details["lead_department"]))
        if "from_department" in details:
            changes.append(_("From: %s") % department(details["from_department"]))
        if "to_department" in details:
            changes.append(_("To: %s") % department(details["to_department"]))
        if "involved_departments" in details:
            names = [department(pk) for pk in details["involved_departments"]]
            changes.append(_("Involved departments: %s") % (", ".join(names) or _("none")))
        if "coordinator" in details:
            changes.append(_("Coordinator: %s") % users.get(details["coordinator"], "–"))
        if "handler" in details:
            changes.append(_("Handler: %s") % users.get(details["handler"], _("none")))
        if details.get("outcome"):
            changes.append(_("Outcome: %s") % outcomes.get(details["outcome"], details["outcome"]))
        if details.get("previous_outcome"):
            previous = details["previous_outcome"]
            changes.append(_("Previous outcome: %s") % outcomes.get(previous, previous))
        if details.get("paused_working_days"):
            days = details["paused_working_days"]
            changes.append(
                ngettext(
                    "The clock stood still for %(days)d working day.",
                    "The clock stood still for %(days)d working days.",
                    days,
                )
                % {"days": days}
            )
        if entry.by is not None:
            by = display_name(entry.by)
        elif entry.kind in (TimelineEntry.Kind.SUBMITTED, TimelineEntry.Kind.CONFIRMED):
            by = _("The citizen")
        else:
            by = _("The system")
        rows.append(TimelineRow(entry=entry, by=by, changes=changes))
    return rows


@dataclass
class Action:
    """One form on the case page: where it posts, its heading, button and form."""

    key: str
    heading: str
    button: str
    url: str
    form: ActionForm
    open: bool = False
    intro: str = ""


def _transition_texts(idea: Idea, to_state: str) -> tuple[str, str]:
    if to_state == State.IN_PROGRESS and idea.state == State.CLOSED:
        return _("Re-open the idea"), _("Re-open")
    if to_state == State.IN_PROGRESS and idea.state == State.WAITING_FOR_CITIZEN:
        return _("The citizen has replied: carry on"), _("Carry on with the idea")
    if to_state == State.IN_PROGRESS:
        return _("Start the work"), _("Mark as in progress")
    if to_state == State.WAITING_FOR_CITIZEN:
        return _("Ask the citizen a question"), _("Send the question")
    if to_state == State.ANSWERED:
        return _("Answer the citizen"), _("Send the answer")
    return _("Close the idea"), _("Close the idea")


def _actions(request: HttpRequest, idea: Idea, bound: dict[str, ActionForm]) -> list[Action]:
    """The forms this user may use on this idea in its state; a bound form (with errors)
    replaces the empty one and is shown open."""
    user = request.user
    pk = idea.pk
    actions: list[Action] = []

    def add(
        key: str,
        heading: str,
        button: str,
        url: str,
        make: Callable[[], ActionForm],
        *,
        open_: bool = False,
    ) -> None:
        form = bound.get(key) or make()
        actions.append(Action(key, heading, button, url, form, open=open_ or key in bound))

    if idea.state == State.RECEIVED and has_permission(user, "ideas.triage"):
        suggested = request.GET.get("lead")
        initial = {"lead_department": suggested} if suggested and suggested.isdigit() else {}
        add(
            "triage",
            _("Triage: choose who handles the idea"),
            _("Triage the idea"),
            reverse("ideas_staff:triage", args=[pk]),
            lambda: TriageForm(idea=idea, user=user, initial=initial),
            open_=bool(initial),  # the coordinator chose to use the suggestion
        )
        add(
            "triage-close",
            _("Or close it now: referral, duplicate or spam"),
            _("Close the idea"),
            reverse("ideas_staff:triage_close", args=[pk]),
            lambda: triage_close_form(idea=idea, user=user),
        )
    handle = has_permission(user, "ideas.handle", idea)
    pending = pending_handover(idea)
    if handle and idea.state != State.RECEIVED:
        for to_state in next_states(idea.state):
            heading, button = _transition_texts(idea, to_state)
            add(
                f"to-{to_state}",
                heading,
                button,
                reverse("ideas_staff:transition", args=[pk, to_state]),
                lambda to_state=to_state: transition_form(idea, to_state),
            )
    if handle and idea.state in OWNED_STATES:
        add(
            "assign",
            _("Handler and involved departments"),
            _("Save the assignment"),
            reverse("ideas_staff:assign", args=[pk]),
            lambda: AssignForm(idea=idea),
        )
        if pending is None:
            add(
                "handover",
                _("Hand the idea over to another department"),
                _("Ask the department to take over"),
                reverse("ideas_staff:hand_over", args=[pk]),
                lambda: HandOverForm(idea=idea, working_days=services.handover_working_days()),
            )
    if has_permission(user, "ideas.add_message", idea):
        add(
            "message",
            _("Write to the citizen or add a note"),
            _("Save"),
            reverse("ideas_staff:message", args=[pk]),
            lambda: MessageForm(idea=idea),
        )
    return actions


@dataclass
class LabLink:
    title: str
    starts_at: datetime
    url: str


def _labs(request: HttpRequest, idea: Idea) -> list[LabLink]:
    """The solution labs the idea was taken to, linked to the lab's page for its organisers and
    to the event page for other staff."""
    links = []
    for lab in labs_of(idea):
        if has_permission(request.user, "events.organise", lab):
            url = reverse("events_staff:lab", args=[lab.pk])
        else:
            url = lab.get_absolute_url()
        links.append(LabLink(lab.title, lab.starts_at, url))
    return links


def _crumbs(idea: Idea | None = None, page: str = "") -> list[tuple[str, str]]:
    try:
        crumbs = [(_("Ideas in my departments"), reverse("ideas_staff:dashboard"))]
    except NoReverseMatch:  # the dashboards are another module's; the page works without them
        crumbs = []
    if idea is not None:
        crumbs.append((idea.reference or "", ""))
    if page:
        crumbs.append((page, ""))
    return crumbs


def _render_case(
    request: HttpRequest,
    idea: Idea,
    *,
    bound: dict[str, ActionForm] | None = None,
    contact_shown: bool = False,
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    now = timezone.now()
    pending = pending_handover(idea)
    decision_form = None
    if pending is not None and has_permission(user, "ideas.decide_handover", pending):
        decision_form = bound.get("decision") or HandoverDecisionForm(handover=pending)
    can_triage = has_permission(user, "ideas.triage")
    suggestion = None
    if idea.state == State.RECEIVED and can_triage:
        suggestion = routing.suggest_lead_department(idea)
    coordinator_view = is_coordinator(user)
    accesses = list(access_log.accesses_for(idea)[:ACCESS_LOG_LIMIT]) if coordinator_view else []
    for access in accesses:
        access.purpose_label = access_log.PURPOSES.get(access.purpose, access.purpose)
    help_labels = dict(HelpNeeded.choices)
    context = {
        "noindex": True,
        "idea": idea,
        "now": now,
        "deadlines": deadlines(idea, now),
        "help_needed": [help_labels.get(value, value) for value in idea.help_needed],
        "involved": list(idea.involved_departments.all()),
        "topics": list(idea.topics.all()),
        "districts": list(idea.districts.all()),
        "attachments": list(idea.attachments.all()),
        "pending": pending,
        "pending_overdue": pending is not None and pending.due_at < now,
        "decision_form": decision_form,
        "decision_open": "decision" in bound,
        "timeline": _timeline(idea),
        "actions": _actions(request, idea, bound),
        "bound_form": next(iter(bound.values()), None),
        "suggestion": suggestion,
        "can_triage": can_triage,
        "can_view_contact": has_permission(user, "ideas.view_contact_details", idea),
        "contact_shown": contact_shown,
        "show_access_log": coordinator_view,
        "labs": _labs(request, idea),
        "can_take_to_lab": (
            can_triage and idea.state in OPEN_STATES and idea.anonymised_at is None
        ),
        "accesses": accesses,
        "crumbs": _crumbs(idea),
    }
    return render(request, "ideas/staff/handling/detail.html", context)


# --- pages ---------------------------------------------------------------------------------------


@permission_required("ideas.view_dashboard")
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page: the idea, its deadlines, timeline and attachments, and the actions."""
    return _render_case(request, get_idea_for_staff(request, pk))


@permission_required("ideas.view_dashboard")
@require_POST
def contact_details(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the citizen's contact details, after logging the look (issue §5)."""
    idea = get_idea_for_staff(request, pk, "ideas.view_contact_details")
    if idea.anonymised_at is None:
        access_log.record_access(idea=idea, user=request.user)
    return _render_case(request, idea, contact_shown=True)


@permission_required("ideas.view_dashboard")
@require_safe
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A file sent with the idea, to staff who may see the idea; always as a download, never
    rendered in the browser, so a file cannot run as a page of this site. Each download is logged
    as a look at personal data."""
    idea = get_idea_for_staff(request, pk)
    item = get_object_or_404(Attachment, pk=attachment_pk, idea=idea)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    access_log.record_access(idea=idea, user=request.user, purpose=access_log.ATTACHMENT)
    response = FileResponse(
        handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@permission_required("ideas.view_erasures")
@require_safe
def erasures(request: HttpRequest) -> HttpResponse:
    """What was erased from which idea and when, never the erased data (issue §5)."""
    page_obj = Paginator(ErasureRecord.objects.order_by("-at", "-pk"), ERASURES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for record in page_obj.object_list:
        record.field_labels = [_field_label(name) for name in record.fields]
    return render(
        request,
        "ideas/staff/handling/erasures.html",
        {
            "noindex": True,
            "page_obj": page_obj,
            "records": page_obj.object_list,
            "can_triage": has_permission(request.user, "ideas.triage"),
            "crumbs": _crumbs(page=_("Erased personal data")),
        },
    )


def _field_label(name: str) -> str:
    """An erased field by its name in the interface ("e-mail", not "email")."""
    try:
        return str(Idea._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


# --- actions -------------------------------------------------------------------------------------


def _act(
    request: HttpRequest,
    idea: Idea,
    key: str,
    form: ActionForm,
    perform: Callable[[ActionForm], Any],
    success: Callable[[], str],
) -> HttpResponse:
    """Validate, call the service, and either redirect with a message or show the errors."""
    if form.is_valid():
        try:
            perform(form)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, success())
            return redirect("ideas_staff:detail", pk=idea.pk)
    return _render_case(request, idea, bound={key: form})


def _stale(request: HttpRequest, idea: Idea, text: str) -> HttpResponse:
    """The page the user acted on is out of date (someone else acted first): say so, change
    nothing, and show the idea as it is now."""
    messages.error(request, text)
    return redirect("ideas_staff:detail", pk=idea.pk)


def _state_label(idea: Idea) -> str:
    return str(State(idea.state).label)


def _already_triaged(request: HttpRequest, idea: Idea) -> HttpResponse:
    """Someone else triaged or closed the idea while this page was open."""
    return _stale(
        request,
        idea,
        _("The idea has already been triaged (it is now “%(state)s”). Nothing was changed.")
        % {"state": _state_label(idea)},
    )


@permission_required("ideas.view_dashboard")
@require_POST
def triage(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_idea_for_staff(request, pk, "ideas.triage")
    if idea.state != State.RECEIVED:
        return _already_triaged(request, idea)
    form = TriageForm(request.POST, idea=idea, user=request.user)
    return _act(
        request,
        idea,
        "triage",
        form,
        lambda f: services.idea_transition(idea=idea, by=request.user, **f.service_kwargs()),
        lambda: (
            _("The idea is triaged. %(department)s leads it.")
            % {"department": form.cleaned_data["lead_department"].name}
        ),
    )


@permission_required("ideas.view_dashboard")
@require_POST
def triage_close(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_idea_for_staff(request, pk, "ideas.triage")
    if idea.state != State.RECEIVED:
        return _already_triaged(request, idea)
    form = triage_close_form(request.POST, idea=idea, user=request.user)
    return _act(
        request,
        idea,
        "triage-close",
        form,
        lambda f: services.idea_transition(idea=idea, by=request.user, **f.service_kwargs()),
        lambda: _("The idea is closed."),
    )


@permission_required("ideas.view_dashboard")
@require_POST
def transition(request: HttpRequest, pk: int, to_state: str) -> HttpResponse:
    if to_state not in State.values:
        raise Http404
    idea = get_idea_for_staff(request, pk, "ideas.handle")
    allowed = next_states(idea.state) if idea.state != State.RECEIVED else []
    if to_state not in allowed:
        return _stale(
            request,
            idea,
            _("The idea is now “%(state)s” and cannot be moved to “%(to)s”. Nothing was changed.")
            % {"state": _state_label(idea), "to": State(to_state).label},
        )
    form = transition_form(idea, to_state, request.POST)
    return _act(
        request,
        idea,
        f"to-{to_state}",
        form,
        lambda f: services.idea_transition(idea=idea, by=request.user, **f.service_kwargs()),
        lambda: _("The idea is now “%(state)s”.") % {"state": State(to_state).label},
    )


@permission_required("ideas.view_dashboard")
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_idea_for_staff(request, pk, "ideas.handle")
    if idea.state not in OWNED_STATES:
        return _stale(
            request,
            idea,
            _("Only a triaged, open idea can be assigned. Nothing was changed."),
        )
    form = AssignForm(request.POST, idea=idea)
    return _act(
        request,
        idea,
        "assign",
        form,
        lambda f: services.idea_assign(idea=idea, by=request.user, **f.service_kwargs()),
        lambda: _("The assignment is saved."),
    )


@permission_required("ideas.view_dashboard")
@require_POST
def message(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_idea_for_staff(request, pk, "ideas.add_message")
    form = MessageForm(request.POST, idea=idea)

    def saved() -> str:
        if form.cleaned_data["public_message"].strip():
            return _("The message is sent to the citizen.")
        return _("The note is saved.")

    return _act(
        request,
        idea,
        "message",
        form,
        lambda f: services.idea_add_message(idea=idea, by=request.user, **f.service_kwargs()),
        saved,
    )


@permission_required("ideas.view_dashboard")
@require_POST
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_idea_for_staff(request, pk, "ideas.handle")
    if idea.state not in OWNED_STATES or pending_handover(idea) is not None:
        return _stale(
            request,
            idea,
            _("The idea cannot be handed over now: it is not open, or a handover is pending."),
        )
    form = HandOverForm(request.POST, idea=idea, working_days=services.handover_working_days())
    return _act(
        request,
        idea,
        "handover",
        form,
        lambda f: services.idea_hand_over(idea=idea, by=request.user, **f.service_kwargs()),
        lambda: (
            _("%(department)s is asked to take over the idea.")
            % {"department": form.cleaned_data["to_department"].name}
        ),
    )


def _after_return(request: HttpRequest, idea: Idea) -> HttpResponse:
    """After returning a handover the receiving department may no longer see the idea: back to
    the dashboard then, rather than to a page that is now a 404."""
    if has_permission(request.user, "ideas.view_idea", _case_queryset().get(pk=idea.pk)):
        return redirect("ideas_staff:detail", pk=idea.pk)
    try:
        return redirect("ideas_staff:dashboard")
    except NoReverseMatch:
        return redirect("participation_staff:dashboard")


@permission_required("ideas.view_dashboard")
@require_POST
def decide_handover(request: HttpRequest, pk: int, handover_pk: int) -> HttpResponse:
    idea = get_idea_for_staff(request, pk)
    handover = next((h for h in idea.handovers.all() if h.pk == handover_pk), None)
    if handover is None:
        raise Http404
    if handover.status != Handover.Status.PENDING:
        return _stale(request, idea, _("This handover has already been decided."))
    if not has_permission(request.user, "ideas.decide_handover", handover):
        raise PermissionDenied("ideas.decide_handover")
    form = HandoverDecisionForm(request.POST, handover=handover)
    if form.is_valid():
        try:
            if form.accepting:
                services.idea_accept_handover(
                    handover=handover, by=request.user, **form.service_kwargs()
                )
            else:
                services.idea_return_handover(
                    handover=handover, by=request.user, **form.service_kwargs()
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if form.accepting:
                messages.success(request, _("Your department now leads the idea."))
                return redirect("ideas_staff:detail", pk=idea.pk)
            messages.success(
                request,
                _("The idea is returned to %(department)s.")
                % {"department": handover.from_department.name},
            )
            return _after_return(request, idea)
    return _render_case(request, idea, bound={"decision": form})
