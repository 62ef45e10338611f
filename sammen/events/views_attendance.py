"""Attendance pages: the organiser's registrations (and CSV), the check-in desk, the survey and the
feedback summaries.

Thin views. Each staff page asks for a verified login of any member of staff
(`permission_required("events.view")`) and then the named permission for the event
(`events.organise`, `events.check_in`): another member of staff may know the event exists (staff
see every staff event) but gets 403. Every change to a registration goes through
`sammen.events.registration`, every answer through `sammen.events.feedback`.

The survey is reached by the registration's token (the link in the mail), so that page is never
cached, indexed or passed on as a referrer, and an unknown token gets one neutral 404 page.
"""

import csv
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sammen.accounts.permissions import has_permission, permission_required
from sammen.events import feedback as feedback_services
from sammen.events import registration as services
from sammen.events.forms_attendance import CheckinSearchForm, FeedbackForm, TicketCodeForm
from sammen.events.models import Event, Registration, Series

Status = Registration.Status

# The check-in desk lists at most this many names for a search; a longer list means "type more".
SEARCH_RESULTS = 15
# The check-ins shown with an "undo" button: the last few, where a mistake is noticed.
RECENT_CHECK_INS = 5
# The order of the registrations list: seats first, then the waitlist in its order.
STATUS_ORDER = {Status.CONFIRMED: 0, Status.WAITLISTED: 1, Status.PENDING: 2, Status.CANCELLED: 3}
# Cells a spreadsheet would run as a formula ("=HYPERLINK(...)"): prefixed with an apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _url(name: str, *args: Any) -> str:
    """The address of a page, or "" while the page is not there (built by another part)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _staff_crumbs(event: Event | None, current: str) -> list[tuple[str, str]]:
    """Events > the event > this page; a step whose page is missing is left out."""
    crumbs = [(_("Events"), _url("events_staff:list"))]
    if event is not None:
        crumbs.append((event.title, _url("events_staff:edit", event.pk)))
    return [(label, url) for label, url in crumbs if url] + [(current, "")]


def _event_for(request: HttpRequest, pk: int, permission: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("series", "principle"), pk=pk)
    if not has_permission(request.user, permission, event):
        raise PermissionDenied(permission)
    return event


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"noindex": True, **context})


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M") if moment else ""


def _posted_registration(request: HttpRequest, event: Event) -> Registration:
    """The registration named by the form's "registration" field, if it is of this event."""
    value = request.POST.get("registration", "")
    if not value.isdigit():
        raise Http404
    return get_object_or_404(event.registrations, pk=int(value))


def _first_message(error: ValidationError) -> str:
    return next(iter(error.messages), "")


# --- Registrations ---------------------------------------------------------------------------


def _registrations(event: Event) -> list[Registration]:
    """All registrations of the event in the order of the list: seats, waitlist (in its order),
    awaiting confirmation, cancelled. One query."""
    rows = list(event.registrations.select_related("department"))
    rows.sort(
        key=lambda r: (
            STATUS_ORDER.get(r.status, 9),
            r.waitlisted_at or r.created_at if r.status == Status.WAITLISTED else r.created_at,
            r.pk,
        )
    )
    position = 0
    for row in rows:
        if row.status == Status.WAITLISTED:
            position += 1
            row.waitlist_position = position
    return rows


def _counts(rows: Iterable[Registration]) -> dict[str, int]:
    counts = dict.fromkeys(["confirmed", "waitlisted", "pending", "cancelled", "checked_in"], 0)
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
        if row.checked_in_at is not None:
            counts["checked_in"] += 1
    return counts


def _per_department(rows: Iterable[Registration]) -> list[dict[str, Any]]:
    """Registrations (not cancelled) per department, largest first; those without one last."""
    table: dict[int | None, dict[str, Any]] = {}
    for row in rows:
        if row.status == Status.CANCELLED:
            continue
        key = row.department_id
        if key not in table:
            table[key] = {
                "department": row.department,
                "confirmed": 0,
                "waitlisted": 0,
                "pending": 0,
                "checked_in": 0,
            }
        table[key][row.status] += 1
        if row.checked_in_at is not None:
            table[key]["checked_in"] += 1
    named = sorted(
        (v for k, v in table.items() if k is not None),
        key=lambda v: (-v["confirmed"], v["department"].name),
    )
    return named + ([table[None]] if None in table else [])


@permission_required("events.view")
@require_safe
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    """Who is coming: the counts, registrations per department, and everyone with their status
    and needs (until they are erased after the event)."""
    event = _event_for(request, pk, "events.organise")
    rows = _registrations(event)
    return _render(
        request,
        "events/attendance/registrations.html",
        {
            "event": event,
            "rows": rows,
            "counts": _counts(rows),
            "per_department": _per_department(rows),
            "can_cancel": timezone.now() < event.ends_at,
            "crumbs": _staff_crumbs(event, _("Registrations")),
            "section": "registrations",
        },
    )


def _safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a value starting like a formula gets an apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@permission_required("events.view")
@require_safe
def registrations_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The registrations as a CSV file for Danish Excel: UTF-8 with a byte order mark,
    semicolon-separated, one header row."""
    event = _event_for(request, pk, "events.organise")
    writer = csv.writer(_Echo(), delimiter=";")
    header = [
        _("Name"),
        _("E-mail"),
        pgettext("column heading", "Department"),
        _("Status"),
        _("Registered"),
        _("Checked in"),
        _("Needs"),
    ]
    lines = [writer.writerow(header)]
    for row in _registrations(event):
        lines.append(
            writer.writerow(
                [
                    _safe_cell(value)
                    for value in (
                        row.name,
                        row.email,
                        row.department.name if row.department else "",
                        row.get_status_display(),
                        _local(row.created_at),
                        _local(row.checked_in_at),
                        row.needs,
                    )
                ]
            )
        )
    response = HttpResponse("\ufeff" + "".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tilmeldinger-{event.pk}.csv"'
    return response


@permission_required("events.view")
@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    """Cancel someone's registration on their behalf (they get the cancellation mail, and a freed
    seat goes to the waitlist). A page that asks first, then a POST."""
    event = _event_for(request, pk, "events.organise")
    registration = get_object_or_404(event.registrations, pk=registration_pk)
    back = reverse("events_staff:registrations", args=[event.pk])
    if request.method == "POST":
        try:
            services.cancel(registration=registration)
        except ValidationError as error:
            messages.error(request, _first_message(error))
        else:
            messages.success(
                request,
                _("The registration of %(name)s is cancelled.") % {"name": registration.name},
            )
        return redirect(back)
    return _render(
        request,
        "events/attendance/registration_cancel.html",
        {
            "event": event,
            "registration": registration,
            "back_url": back,
            "crumbs": _staff_crumbs(event, _("Cancel a registration")),
        },
    )


# --- Check-in --------------------------------------------------------------------------------


def _checkin_counts(event: Event) -> dict[str, int]:
    return event.registrations.aggregate(
        seats=Count("pk", filter=Q(status=Status.CONFIRMED)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )


def _checkin_page(
    request: HttpRequest,
    event: Event,
    *,
    code_form: TicketCodeForm | None = None,
) -> HttpResponse:
    search_form = CheckinSearchForm(request.GET or None)
    words = search_form.words()
    results: list[Registration] = []
    if words:
        matches = event.registrations.exclude(status=Status.CANCELLED)
        for word in words:
            matches = matches.filter(name__icontains=word)
        results = list(matches.order_by("name", "pk")[: SEARCH_RESULTS + 1])
    recent = list(
        event.registrations.filter(checked_in_at__isnull=False).order_by("-checked_in_at", "-pk")[
            :RECENT_CHECK_INS
        ]
    )
    return _render(
        request,
        "events/attendance/checkin.html",
        {
            "event": event,
            "search_form": search_form,
            "query": " ".join(words),
            "results": results[:SEARCH_RESULTS],
            "more_results": len(results) > SEARCH_RESULTS,
            "code_form": code_form or TicketCodeForm(),
            "recent": recent,
            "counts": _checkin_counts(event),
            "crumbs": _staff_crumbs(event, _("Check-in")),
            "section": "checkin",
        },
    )


def _check_in_and_report(request: HttpRequest, event: Event, registration: Registration) -> None:
    """Check the person in and say so in a message with the count; or say why not."""
    was_checked_in = registration.checked_in_at
    try:
        current = services.check_in(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, _first_message(error))
        return
    counts = _checkin_counts(event)
    tally = _("%(checked_in)s of %(seats)s checked in.") % counts
    if was_checked_in:
        messages.warning(
            request,
            _("%(name)s was already checked in at %(time)s.")
            % {"name": current.name, "time": timezone.localtime(was_checked_in).strftime("%H:%M")}
            + " "
            + tally,
        )
    else:
        messages.success(
            request, _("%(name)s is checked in.") % {"name": current.name} + " " + tally
        )


@permission_required("events.view")
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk: search by name (GET q) with a "Check in" button per person (POST registration),
    and the ticket code field (posted to `checkin_code`). Every check-in is one POST and a
    redirect back to an empty search, ready for the next person."""
    event = _event_for(request, pk, "events.check_in")
    if request.method == "POST":
        registration = _posted_registration(request, event)
        _check_in_and_report(request, event, registration)
        return redirect("events_staff:checkin", pk=event.pk)
    return _checkin_page(request, event)


@permission_required("events.view")
@require_POST
def checkin_code(request: HttpRequest, pk: int) -> HttpResponse:
    """Check in by the ticket code, typed or scanned. A code that is unknown or for another
    event is shown on the form with what was typed."""
    event = _event_for(request, pk, "events.check_in")
    form = TicketCodeForm(request.POST)
    if form.is_valid():
        try:
            registration = services.find_ticket(event, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            # Checked in or refused (no seat), the message says which: back to the desk.
            _check_in_and_report(request, event, registration)
            return redirect("events_staff:checkin", pk=event.pk)
    return _checkin_page(request, event, code_form=form)


@permission_required("events.view")
@require_POST
def checkin_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a check-in made by mistake."""
    event = _event_for(request, pk, "events.check_in")
    registration = _posted_registration(request, event)
    services.undo_check_in(registration=registration)
    messages.success(
        request,
        _("The check-in of %(name)s is undone.") % {"name": registration.name}
        + " "
        + _("%(checked_in)s of %(seats)s checked in.") % _checkin_counts(event),
    )
    return redirect("events_staff:checkin", pk=event.pk)


# --- Feedback --------------------------------------------------------------------------------


def _private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Headers of a page whose address holds the registration's token."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _public_crumbs(event: Event | None, current: str) -> list[tuple[str, str]]:
    crumbs = [(_("Events"), _url("events:list"))]
    if event is not None and event.is_published:
        crumbs.append((event.title, _url("events:detail", event.slug)))
    return [(label, url) for label, url in crumbs if url] + [(current, "")]


@_private
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    """The survey after the event: once per registration; a second visit is thanked."""
    registration = (
        Registration.objects.select_related("event", "event__principle").filter(token=token).first()
    )
    if registration is None:
        return render(
            request,
            "events/attendance/feedback_invalid.html",
            {"noindex": True, "crumbs": _public_crumbs(None, _("Link not valid"))},
            status=404,
        )
    event = registration.event
    context: dict[str, Any] = {
        "noindex": True,
        "event": event,
        "crumbs": _public_crumbs(event, _("Evaluation")),
        "event_url": _url("events:detail", event.slug) if event.is_published else "",
    }
    if feedback_services.has_answered(registration):
        return render(request, "events/attendance/feedback_thanks.html", context)
    refusal = feedback_services.feedback_refusal(registration)
    if refusal:
        return render(
            request, "events/attendance/feedback_closed.html", {**context, "refusal": refusal}
        )
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_services.give_feedback(registration=registration, **form.cleaned_data)
        except feedback_services.AlreadyAnswered:
            # Sent twice at the same moment (a double click): the first answer stands.
            return redirect("events:feedback", token=registration.token)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you for your answer."))
            return redirect("events:feedback", token=registration.token)
    return render(request, "events/attendance/feedback.html", {**context, "form": form})


@permission_required("events.view")
@require_safe
def feedback_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The event's answers for its organisers, with what participants wrote in their own words."""
    event = _event_for(request, pk, "events.organise")
    return _render(
        request,
        "events/attendance/feedback_summary.html",
        {
            "event": event,
            "summary": feedback_services.event_feedback_summary(event),
            "comments": feedback_services.event_feedback_comments(event),
            "asked": feedback_services.answered_count(event),
            "crumbs": _staff_crumbs(event, _("Evaluation")),
            "section": "feedback",
        },
    )


@permission_required("events.view")
@require_safe
def series_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    """A series' answers per edition and overall, in numbers: for every member of staff."""
    series = get_object_or_404(Series, slug=slug)
    summary = feedback_services.series_feedback_summary(series)
    return _render(
        request,
        "events/attendance/series_feedback.html",
        {
            "series": series,
            "summary": summary,
            "editions": [
                (
                    edition,
                    _url("events_staff:feedback_summary", edition.event.pk)
                    if has_permission(request.user, "events.organise", edition.event)
                    else "",
                )
                for edition in summary.editions
            ],
            "crumbs": _staff_crumbs(None, _("Evaluation of %(series)s") % {"series": series}),
        },
    )
