"""Reads for the event pages. Every list runs a fixed number of queries whatever its length: related
rows are joined or prefetched (one query per relation) and seat counts come in one query for all
events of a page (`registration.registration_counts`)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from sammen.accounts.permissions import has_permission
from sammen.core.models import Principle
from sammen.events.models import Audience, Event, Material, ProgrammeItem, Series, Speaker, Stand
from sammen.events.registration import registration_counts, registration_refusal
from sammen.events.rules import organises_every_event
from sammen.knowledge.models import Entry

# A list page shows at most this many events per tab (newest past first, soonest upcoming first).
LIST_SIZE = 100


def visible_events(*, staff: bool) -> QuerySet[Event]:
    """Published events one may see: public ones for everyone, staff-only ones for staff."""
    qs = Event.objects.filter(is_published=True)
    if not staff:
        qs = qs.filter(audience=Audience.PUBLIC)
    return qs


def with_card_related(qs: QuerySet[Event]) -> QuerySet[Event]:
    """What an event card shows: venue, principle and series (joined, not one query each)."""
    return qs.select_related("venue", "principle", "series")


def upcoming(qs: QuerySet[Event], now: datetime) -> QuerySet[Event]:
    return qs.filter(ends_at__gt=now).order_by("starts_at", "pk")


def past(qs: QuerySet[Event], now: datetime) -> QuerySet[Event]:
    return qs.filter(ends_at__lte=now).order_by("-starts_at", "-pk")


def event_for_page(slug: str, user: Any, *, staff: bool) -> Event:
    """The event of a public page: published and public for everyone; staff-only events only for
    logged-in staff (`staff`: logged in with the second factor); unpublished ones only for those
    who organise them. Otherwise a 404, so the page does not reveal that an event exists."""
    event = (
        Event.objects.select_related("venue", "principle", "series", "department")
        .filter(slug=slug)
        .first()
    )
    if event is None:
        raise Http404
    if not event.is_published and not (staff and has_permission(user, "events.organise", event)):
        raise Http404
    if not event.is_public and not staff:
        raise Http404
    return event


@dataclass(frozen=True)
class Seats:
    """What a page says about seats: free seats (None: no limit), taken, waiting, and whether (and
    why not) one can register now."""

    capacity: int | None
    confirmed: int
    waitlisted: int
    refusal: str | None

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)

    @property
    def full(self) -> bool:
        return self.left == 0

    @property
    def is_open(self) -> bool:
        return self.refusal is None


def seats_for(events: list[Event], now: datetime) -> dict[int, Seats]:
    """Seats of many events in one query."""
    counts = registration_counts(events)
    return {
        event.pk: Seats(
            capacity=event.capacity,
            confirmed=counts[event.pk]["confirmed"],
            waitlisted=counts[event.pk]["waitlisted"],
            refusal=registration_refusal(event, now),
        )
        for event in events
    }


def with_seats(events: list[Event], now: datetime) -> list[Event]:
    """The events with `.seats` set (one query for all)."""
    seats = seats_for(events, now)
    for event in events:
        event.seats = seats[event.pk]  # type: ignore[attr-defined]
    return events


def programme(event: Event, *, staff: bool) -> list[ProgrammeItem]:
    """The programme with its speakers and practice examples (one query per relation). The public
    sees only published knowledge entries; staff see every linked entry."""
    examples = Entry.objects.only("pk", "title", "slug", "status", "is_public", "kind")
    if not staff:
        examples = examples.filter(status="published")
    return list(
        event.programme.prefetch_related(
            Prefetch("speakers", queryset=Speaker.objects.order_by("name")),
            Prefetch("examples", queryset=examples.order_by("title")),
        ).order_by("starts_at", "room", "pk")
    )


def materials(event: Event) -> list[Material]:
    return list(event.materials.order_by("added_at", "pk"))


def approved_stands(event: Event) -> list[Stand]:
    """The marketplace for visitors: approved stands in floor-plan order."""
    return list(
        event.stands.filter(status=Stand.Status.APPROVED)
        .select_related("department")
        .order_by("position", "title", "pk")
    )


def stands_for_organiser(event: Event) -> dict[str, list[Stand]]:
    """Every stand of the event by status: requests first, in the order they came."""
    rows = list(
        event.stands.select_related("department", "requested_by").order_by("requested_at", "pk")
    )
    grouped: dict[str, list[Stand]] = {status: [] for status in Stand.Status.values}
    for stand in rows:
        grouped[stand.status].append(stand)
    grouped[Stand.Status.APPROVED].sort(key=lambda s: (s.position, s.title, s.pk))
    return grouped


def staff_events(user: Any) -> QuerySet[Event]:
    """The staff list: every event for coordinators and administrators, one's own otherwise."""
    qs = Event.objects.select_related("venue", "series", "department")
    if organises_every_event(user):
        return qs
    return qs.filter(organiser=user)


@dataclass(frozen=True)
class PrincipleCoverage:
    principle: Principle
    editions: list[Event]

    @property
    def covered(self) -> bool:
        return bool(self.editions)


def series_editions(series: Series, *, staff: bool) -> list[Event]:
    """The editions of a series one may see, in date order."""
    return list(
        with_card_related(visible_events(staff=staff).filter(series=series)).order_by(
            "starts_at", "pk"
        )
    )


def principle_coverage(editions: list[Event], now: datetime) -> list[PrincipleCoverage]:
    """For each of the five principles, the editions held so far that focused on it (not the
    cancelled ones, not the ones still to come): what the series has covered and what not yet."""
    held = [e for e in editions if e.starts_at <= now and e.cancelled_at is None]
    return [
        PrincipleCoverage(p, [e for e in held if e.principle_id == p.pk])
        for p in Principle.objects.order_by("number")
    ]
