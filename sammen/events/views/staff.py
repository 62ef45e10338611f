"""Staff pages of events under /personale/arrangementer/: the list, creating and editing an event
(publish, unpublish, cancel), its programme and speakers, the marketplace's stands, and materials.

Thin views: each is decorated with the named permission it needs (`permission_required`: login,
second factor, then the rule); an event is fetched through `get_event_for_staff`, which asks the
object-level rule (404 for an unknown event, 403 for one the user does not organise). Writes go
through `sammen.events.services`; their ValidationErrors are shown on the form with what was typed.
The staff-pages middleware adds noindex and no-store headers under /personale/.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sammen.accounts.permissions import has_permission, permission_required
from sammen.events import selectors, services
from sammen.events.forms import (
    EventForm,
    MaterialForm,
    ProgrammeItemForm,
    SpeakerForm,
    StandDecisionForm,
    StandRequestForm,
)
from sammen.events.models import Event, Kind, Material, ProgrammeItem, Stand
from sammen.events.rules import organises_every_event

PAGE_SIZE = 25


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Every staff page of events: the menu's "new event" link where the user may create one."""
    return render(
        request,
        template,
        {
            "noindex": True,
            "can_create_event": has_permission(request.user, "events.create"),
            **context,
        },
        status=status,
    )


def _crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Events"), reverse("events_staff:list")), *trail]


def _event_crumbs(event: Event, current: str) -> list[tuple[str, str]]:
    return _crumbs((event.title, reverse("events_staff:edit", args=[event.pk])), (current, ""))


def _add_errors(form: Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def get_event_for_staff(
    request: HttpRequest, pk: int, *, permission: str = "events.organise"
) -> Event:
    """The event (404 when unknown) if the user may do `permission` with it (403 otherwise)."""
    event = get_object_or_404(
        Event.objects.select_related("venue", "series", "department", "principle", "opportunity"),
        pk=pk,
    )
    if not has_permission(request.user, permission, event):
        raise PermissionDenied(permission)
    return event


# --- the list ------------------------------------------------------------------------------------


@permission_required("events.view")
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    """The events I organise (every event for coordinators), newest first, with seats taken."""
    now = timezone.now()
    qs = selectors.staff_events(request.user).order_by("-starts_at", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.with_seats(list(page.object_list), now)
    return _render(
        request,
        "events/staff/list.html",
        {
            "page_obj": page,
            "events": page.object_list,
            "now": now,
            "all_events": organises_every_event(request.user),
            "crumbs": [(_("Events"), "")],
        },
    )


# --- creating and editing ------------------------------------------------------------------------


@permission_required("events.create")
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, initial={"audience": "staff"})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The event is created as a draft. Add the programme, then publish it."),
            )
            return redirect("events_staff:edit", pk=event.pk)
    return _render(
        request,
        "events/staff/form.html",
        {"form": form, "event": None, "crumbs": _crumbs((_("New event"), ""))},
        status=400 if form.is_bound else 200,
    )


@permission_required("events.view")
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_staff(request, pk)
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events_staff:edit", pk=event.pk)
    return _render(
        request,
        "events/staff/form.html",
        {
            "form": form,
            "event": event,
            "seats": selectors.seats_for([event], timezone.now())[event.pk],
            "active_tab": "edit",
            "crumbs": _crumbs((event.title, "")),
        },
        status=400 if form.is_bound else 200,
    )


def _state_change(request: HttpRequest, pk: int, change: Any, done: str) -> HttpResponse:
    event = get_event_for_staff(request, pk)
    try:
        change(event=event, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("events_staff:edit", pk=event.pk)


@permission_required("events.view")
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _state_change(request, pk, services.event_publish, _("The event is published."))


@permission_required("events.view")
@require_POST
def event_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    return _state_change(
        request, pk, services.event_unpublish, _("The event is hidden from the public again.")
    )


@permission_required("events.view")
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _state_change(request, pk, services.event_cancel, _("The event is cancelled."))


# --- programme -----------------------------------------------------------------------------------


def _item_initial(item: ProgrammeItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "starts_at": item.starts_at,
        "ends_at": item.ends_at,
        "room": item.room,
        "description": item.description,
        "speakers": list(item.speakers.all()),
        "examples": list(item.examples.all()),
    }


@permission_required("events.view")
@require_http_methods(["GET", "POST"])
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme: its items (times, rooms, speakers, practice examples), a form to add an
    item, and a form to add a speaker. `?item=<id>` edits an item instead of adding one."""
    event = get_event_for_staff(request, pk)
    item = None
    if request.GET.get("item") or request.POST.get("item"):
        item = get_object_or_404(
            ProgrammeItem, pk=request.GET.get("item") or request.POST.get("item"), event=event
        )
    action = request.POST.get("action", "item")
    item_form = ProgrammeItemForm(
        request.POST if action == "item" and request.method == "POST" else None,
        initial=_item_initial(item) if item else {"starts_at": event.starts_at},
        prefix="item",
    )
    speaker_form = SpeakerForm(request.POST if action == "speaker" else None, prefix="speaker")
    if request.method == "POST":
        bound = item_form if action == "item" else speaker_form
        if bound.is_valid():
            try:
                if action == "item":
                    services.programme_item_save(
                        event=event, by=request.user, data=bound.cleaned_data, item=item
                    )
                    messages.success(request, _("The programme is saved."))
                else:
                    speaker = services.speaker_create(
                        by=request.user, event=event, data=bound.cleaned_data
                    )
                    messages.success(
                        request,
                        _("%(name)s is added to the speakers.") % {"name": speaker.name},
                    )
            except ValidationError as error:
                _add_errors(bound, error)
            else:
                return redirect("events_staff:programme", pk=event.pk)
    return _render(
        request,
        "events/staff/programme.html",
        {
            "event": event,
            "items": selectors.programme(event, staff=True),
            "item": item,
            "item_form": item_form,
            "speaker_form": speaker_form,
            "active_tab": "programme",
            "crumbs": _event_crumbs(event, _("Programme")),
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required("events.view")
@require_POST
def programme_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    event = get_event_for_staff(request, pk)
    item = get_object_or_404(ProgrammeItem, pk=item_pk, event=event)
    services.programme_item_delete(item=item, by=request.user)
    messages.success(request, _("The item is removed from the programme."))
    return redirect("events_staff:programme", pk=event.pk)


# --- the marketplace -----------------------------------------------------------------------------


def _conference(event: Event) -> None:
    if event.kind != Kind.CONFERENCE:
        raise Http404


@permission_required("events.view")
@require_http_methods(["GET", "POST"])
def stands(request: HttpRequest, pk: int) -> HttpResponse:
    """Requests for stands to approve (with a position on the floor plan) or decline, and the
    stands given so far. A POST decides the stand named by `stand`."""
    event = get_event_for_staff(request, pk)
    _conference(event)
    bound_stand, bound_form = None, None
    if request.method == "POST":
        bound_stand = get_object_or_404(Stand, pk=request.POST.get("stand"), event=event)
        bound_form = StandDecisionForm(request.POST, prefix=f"stand{bound_stand.pk}")
        if bound_form.is_valid():
            data = bound_form.cleaned_data
            try:
                if data["decision"] == StandDecisionForm.APPROVE:
                    decided = services.stand_approve(
                        stand=bound_stand,
                        by=request.user,
                        position=data["position"],
                        note=data["note"],
                    )
                    messages.success(
                        request,
                        _("%(title)s is approved at position %(position)s.")
                        % {"title": decided.title, "position": decided.position},
                    )
                else:
                    decided = services.stand_decline(
                        stand=bound_stand, by=request.user, note=data["note"]
                    )
                    messages.success(
                        request, _("%(title)s is declined.") % {"title": decided.title}
                    )
            except ValidationError as error:
                _add_errors(bound_form, error)
            else:
                return redirect("events_staff:stands", pk=event.pk)
    grouped = selectors.stands_for_organiser(event)
    for group in grouped.values():
        for stand in group:
            if bound_stand is not None and stand.pk == bound_stand.pk:
                stand.form = bound_form  # type: ignore[attr-defined]
            else:
                stand.form = StandDecisionForm(  # type: ignore[attr-defined]
                    prefix=f"stand{stand.pk}",
                    initial={
                        "decision": StandDecisionForm.APPROVE,
                        "position": stand.position,
                        "note": stand.decision_note,
                    },
                )
    return _render(
        request,
        "events/staff/stands.html",
        {
            "event": event,
            "requested": grouped[Stand.Status.REQUESTED],
            "approved": grouped[Stand.Status.APPROVED],
            "declined": grouped[Stand.Status.DECLINED],
            "active_tab": "stands",
            "crumbs": _event_crumbs(event, _("Stands")),
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required("events.view")
@require_http_methods(["GET", "POST"])
def stand_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Any member of staff asks for a stand in a conference's marketplace."""
    event = get_event_for_staff(request, pk, permission="events.view")
    _conference(event)
    form = StandRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.stand_request(event=event, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Your request is sent. The organiser will decide and give it a place.")
            )
            return redirect(event)
    return _render(
        request,
        "events/staff/stand_request.html",
        {
            "event": event,
            "form": form,
            "crumbs": _crumbs((event.title, event.get_absolute_url()), (_("Request a stand"), "")),
        },
        status=400 if form.is_bound else 200,
    )


# --- materials -----------------------------------------------------------------------------------


@permission_required("events.view")
@require_http_methods(["GET", "POST"])
def materials(request: HttpRequest, pk: int) -> HttpResponse:
    """Slides, notes and links, shown on the event page once the event is over."""
    event = get_event_for_staff(request, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.material_add(
                event=event,
                by=request.user,
                title=data["title"],
                upload=data["file"],
                url=data["url"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The material is added."))
            return redirect("events_staff:materials", pk=event.pk)
    return _render(
        request,
        "events/staff/materials.html",
        {
            "event": event,
            "form": form,
            "materials": selectors.materials(event),
            "active_tab": "materials",
            "crumbs": _event_crumbs(event, _("Materials")),
        },
        status=400 if form.is_bound else 200,
    )


@permission_required("events.view")
@require_POST
def material_delete(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    event = get_event_for_staff(request, pk)
    material = get_object_or_404(Material, pk=material_pk, event=event)
    services.material_delete(material=material, by=request.user)
    messages.success(request, _("The material is removed."))
    return redirect("events_staff:materials", pk=event.pk)
