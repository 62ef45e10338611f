"""Public pages of events: the list, an event with its programme and registration, the pages
reached by the links in the mails (confirm, cancel, ticket), a series and a conference's
marketplace.

Thin views: what may be seen is decided in `selectors`, every registration change in
`sammen.events.registration`, whose ValidationError messages are shown as they are. Pages reached
by a token in the address (confirm, cancel, ticket) answer an unknown token with one neutral 404
page, and are never cached, indexed or given away as a referrer (`private_page`). Confirming and
cancelling happen on a POST from a button, never on the GET of the link: mail scanners open every
link in an e-mail.
"""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sammen.accounts.permissions import has_permission, is_active_staff
from sammen.accounts.twofactor import second_factor_satisfied
from sammen.core.abuse import RateLimit, client_ip, honeypot_filled
from sammen.events import registration, selectors
from sammen.events.forms import PublicRegistrationForm, StaffRegistrationForm
from sammen.events.models import Event, Kind, Material, Registration, Series
from sammen.knowledge.uploads import INLINE_TYPES

PAGE_SIZE = 20

# Each valid public registration sends an e-mail to someone: these stop the form being used to
# flood an inbox or fill an event with made-up names.
REGISTER_PER_IP = RateLimit("events-register:ip", limit=10, period=timedelta(hours=1))
REGISTER_PER_ADDRESS = RateLimit("events-register:address", limit=3, period=timedelta(hours=1))

Status = Registration.Status


def is_staff_visitor(request: HttpRequest) -> bool:
    """Logged-in staff who have given the second factor: they see staff events and register with
    one click."""
    return is_active_staff(request.user) and second_factor_satisfied(request)


def _crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Events"), reverse("events:list")), *trail]


def _add_errors(form: Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field where it names one, else above it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- the list ------------------------------------------------------------------------------------


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming events, soonest first; past ones under their own tab, newest first."""
    now = timezone.now()
    tab = "past" if request.GET.get("tab") == "past" else "upcoming"
    staff = is_staff_visitor(request)
    qs = selectors.with_card_related(selectors.visible_events(staff=staff))
    qs = selectors.past(qs, now) if tab == "past" else selectors.upcoming(qs, now)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.with_seats(list(page.object_list), now)
    return render(
        request,
        "events/list.html",
        {
            "page_obj": page,
            "events": page.object_list,
            "tab": tab,
            "staff": staff,
            "crumbs": [(_("Events"), "")],
        },
    )


# --- an event ------------------------------------------------------------------------------------


def _my_registration(request: HttpRequest, event: Event, staff: bool) -> Registration | None:
    if not staff:
        return None
    return (
        event.registrations.filter(user=request.user)
        .exclude(status=Status.CANCELLED)
        .order_by("-created_at")
        .first()
    )


def _render_detail(
    request: HttpRequest, event: Event, *, form: Form | None = None, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    staff = is_staff_visitor(request)
    seats = selectors.seats_for([event], now)[event.pk]
    mine = _my_registration(request, event, staff)
    can_organise = staff and has_permission(request.user, "events.organise", event)
    if form is None and mine is None and seats.is_open:
        if staff:
            form = StaffRegistrationForm()
        elif event.is_public:
            form = PublicRegistrationForm()
    is_over = event.ends_at <= now
    materials = selectors.materials(event) if is_over or can_organise else []
    has_stands = event.kind == Kind.CONFERENCE and event.stands.filter(status="approved").exists()
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "seats": seats,
            "programme": selectors.programme(event, staff=staff),
            "materials": materials,
            "is_over": is_over,
            "is_staff_visitor": staff,
            "can_organise": can_organise,
            "mine": mine,
            "form": form,
            "has_stands": has_stands,
            "noindex": not (event.is_public and event.is_published),
            "crumbs": _crumbs((event.title, "")),
        },
        status=status,
    )


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_for_page(slug, request.user, staff=is_staff_visitor(request))
    return _render_detail(request, event)


@require_POST
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: one click (needs optional). The public: name, e-mail and needs; the seat is taken
    when the address is confirmed by the link we send."""
    staff = is_staff_visitor(request)
    event = selectors.event_for_page(slug, request.user, staff=staff)
    if staff:
        return _register_staff(request, event)
    if not event.is_public:
        raise Http404
    return _register_public(request, event)


def _register_staff(request: HttpRequest, event: Event) -> HttpResponse:
    form = StaffRegistrationForm(request.POST)
    if form.is_valid():
        try:
            done = registration.register_staff(
                event=event, user=request.user, needs=form.cleaned_data["needs"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if done.status == Status.CONFIRMED:
                messages.success(
                    request, _("You are registered. Your ticket is on its way by e-mail.")
                )
            else:
                messages.info(
                    request,
                    _(
                        "The event is full, so you are on the waitlist. We write to you if a seat becomes free."
                    ),
                )
            return redirect(event)
    return _render_detail(request, event, form=form, status=400)


def _register_public(request: HttpRequest, event: Event) -> HttpResponse:
    form = PublicRegistrationForm(request.POST)
    status = 400
    if honeypot_filled(request.POST):
        # People never see the field; sending again with it empty succeeds.
        form.is_valid()
        form.add_error(
            None, _("We could not send your request. Please check the form and send it again.")
        )
    elif form.is_valid():
        data = form.cleaned_data
        # Counted only for valid requests (those that send an e-mail); the keys are never logged.
        allowed = REGISTER_PER_IP.attempt(client_ip(request)) and REGISTER_PER_ADDRESS.attempt(
            data["email"]
        )
        if not allowed:
            form.add_error(
                None,
                _("You have sent this form too many times. Please wait an hour and try again."),
            )
            status = 429
        else:
            try:
                registration.register_public(
                    event=event,
                    name=data["name"],
                    email=data["email"],
                    needs=data["needs"],
                    language=(get_language() or "da")[:2],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                hours = int(registration.CONFIRMATION_VALID.total_seconds() // 3600)
                messages.success(
                    request,
                    _(
                        "Thank you. We have sent you an e-mail: follow the link in it within "
                        "%(hours)s hours to confirm your registration."
                    )
                    % {"hours": hours},
                )
                return redirect(event)
    return _render_detail(request, event, form=form, status=status)


# --- the pages behind the links in the mails -----------------------------------------------------

TokenView = Callable[..., HttpResponse]


def private_page(view: TokenView) -> TokenView:
    """Headers of every page whose address holds a secret token: never cached, never indexed, and
    never handed to another site as the referrer."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _registration_for_token(token: str) -> Registration | None:
    return Registration.objects.select_related("event", "event__venue").filter(token=token).first()


def invalid_link(request: HttpRequest) -> HttpResponse:
    """The same page for every unknown token: mistyped, or a registration that lapsed."""
    return render(
        request,
        "events/invalid_link.html",
        {"noindex": True, "crumbs": _crumbs((_("Link not valid"), ""))},
        status=404,
    )


def _token_page(
    request: HttpRequest, template: str, reg: Registration, title: str, **extra: Any
) -> HttpResponse:
    status = extra.pop("status", 200)
    return render(
        request,
        template,
        {
            "registration": reg,
            "event": reg.event,
            "noindex": True,
            "crumbs": _crumbs((reg.event.title, reg.event.get_absolute_url()), (title, "")),
            **extra,
        },
        status=status,
    )


@private_page
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm the e-mail address: a seat, or the waitlist when the event is full. A second
    confirmation says the same as the first."""
    reg = _registration_for_token(token)
    if reg is None:
        return invalid_link(request)
    error = None
    if request.method == "POST":
        try:
            reg = registration.confirm_public(registration=reg)
        except ValidationError as refused:
            error = " ".join(refused.messages)
    return _token_page(
        request,
        "events/confirm.html",
        reg,
        _("Confirm your registration"),
        error=error,
        status=400 if error else 200,
    )


@private_page
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Cancel a registration; a freed seat goes to the first on the waitlist. Cancelling twice
    gives the service's clear message and changes nothing."""
    reg = _registration_for_token(token)
    if reg is None:
        return invalid_link(request)
    error = None
    done = False
    if request.method == "POST":
        try:
            reg = registration.cancel(registration=reg)
            done = True
        except ValidationError as refused:
            error = " ".join(refused.messages)
    elif reg.status == Status.CANCELLED:
        error = _("This registration has already been cancelled.")
    return _token_page(
        request,
        "events/cancel.html",
        reg,
        _("Cancel your registration"),
        error=error,
        done=done,
        is_over=reg.event.ends_at <= timezone.now(),
        status=400 if error and request.method == "POST" else 200,
    )


def ticket_svg(code: str) -> SafeString:
    """The ticket code as an inline SVG QR code (segno writes only its own markup)."""
    svg = segno.make(code, error="m").svg_inline(
        scale=6, dark="#000", light="#fff", border=4, omitsize=False
    )
    return mark_safe(svg)  # noqa: S308 (generated by segno from our own code)


@private_page
@require_safe
def ticket(request: HttpRequest, token: str) -> HttpResponse:
    """The ticket: the QR code to show at the door, the code in text to say or type, the facts."""
    reg = _registration_for_token(token)
    if reg is None:
        return invalid_link(request)
    qr = ticket_svg(reg.ticket_code) if reg.status == Status.CONFIRMED else None
    return _token_page(request, "events/ticket.html", reg, _("Your ticket"), qr=qr)


# --- series, marketplace, materials --------------------------------------------------------------


@require_safe
def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The editions of a series and which of the five principles they have covered, and when."""
    series = get_object_or_404(Series, slug=slug)
    staff = is_staff_visitor(request)
    editions = selectors.series_editions(series, staff=staff)
    if not editions:
        raise Http404
    now = timezone.now()
    coverage = selectors.principle_coverage(editions, now)
    return render(
        request,
        "events/series.html",
        {
            "series": series,
            "upcoming": [e for e in editions if e.ends_at > now],
            "past": [e for e in reversed(editions) if e.ends_at <= now],
            "coverage": coverage,
            "covered_count": sum(1 for c in coverage if c.covered),
            "crumbs": _crumbs((series.title, "")),
        },
    )


@require_safe
def marketplace(request: HttpRequest, slug: str) -> HttpResponse:
    """The conference's approved stands in floor-plan order, for visitors."""
    event = selectors.event_for_page(slug, request.user, staff=is_staff_visitor(request))
    if event.kind != Kind.CONFERENCE:
        raise Http404
    return render(
        request,
        "events/marketplace.html",
        {
            "event": event,
            "stands": selectors.approved_stands(event),
            "can_request": is_staff_visitor(request) and event.ends_at > timezone.now(),
            "noindex": not event.is_public,
            "crumbs": _crumbs((event.title, event.get_absolute_url()), (_("Marketplace"), "")),
        },
    )


@require_safe
def material_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A material's file: for whoever may see the event, once it is over (organisers at once)."""
    staff = is_staff_visitor(request)
    event = selectors.event_for_page(slug, request.user, staff=staff)
    material = get_object_or_404(Material, pk=pk, event=event)
    organiser = staff and has_permission(request.user, "events.organise", event)
    if not material.file or (event.ends_at > timezone.now() and not organiser):
        raise Http404
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    extension = material.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=material.content_type not in INLINE_TYPES,
        filename=f"{event.slug}-{material.pk}.{extension}",
        content_type=material.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    return response
