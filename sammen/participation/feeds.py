"""Feeds of the public catalogue: iCalendar, Atom and CSV, each for any filtered list.

The feeds take exactly the GET parameters of the list page (OpportunityFilterForm) and go through
`filter_opportunities`, so a filter means the same on the page, in a calendar, a news reader, a
spreadsheet and the JSON API. Each feed is capped at FEED_LIMIT rows and runs a fixed number of
queries (`with_related`), whatever the size of the catalogue.

The list page announces the feeds for its own filters with `feed_links(request)`.
"""

import csv
import io
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit

import icalendar
from django.conf import settings
from django.db.models import Case, DateTimeField, F, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sammen.participation.forms import OpportunityFilterForm
from sammen.participation.models import Opportunity
from sammen.participation.selectors import filter_opportunities, public_opportunities, with_related

# A feed is a window, not a dump: at most this many rows. Which rows depends on the feed (see each
# builder). The JSON API pages through everything for those who need it all.
FEED_LIMIT = 500
# How often calendar apps should look again (RFC 7986 REFRESH-INTERVAL).
CALENDAR_REFRESH_HOURS = 6
# The year our tag: URIs were minted (RFC 4151); it must never change, or every entry id would.
TAG_YEAR = 2025
# Cells a spreadsheet would read as a formula (OWASP "CSV injection"), and the tab and carriage
# return some spreadsheets strip before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"
ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

# Query parameters that choose a page of the list rather than what is in it.
_NOT_A_FILTER = ("page", "page_size")


# --- shared by the feeds and the API -------------------------------------------------------------


def allow_any_origin(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Open data may be read from any web page: CORS `*` on GET and an answer to the preflight.

    No cookies are needed or accepted across origins (no Allow-Credentials), so `*` is safe.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = request.headers.get(
                "Access-Control-Request-Headers", "Accept, If-None-Match"
            )
            response["Access-Control-Max-Age"] = "86400"
            response["Allow"] = "GET, HEAD, OPTIONS"
        else:
            response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, X-Row-Limit, X-Truncated"
        return response

    return wrapper


def uid_host() -> str:
    """The host in UIDs and tag: ids: from SITE_URL, not the request, so ids stay stable."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def filter_query(request: HttpRequest) -> str:
    """The filter parameters of the request as a query string, without paging, in a fixed order.

    Sorted so one filter has one address, one calendar UID and one Atom id however it was written.
    """
    pairs = [
        (name, value)
        for name, values in request.GET.lists()
        if name not in _NOT_A_FILTER
        for value in values
    ]
    return urlencode(sorted(pairs))


def feed_links(request: HttpRequest) -> dict[str, str]:
    """The feeds of the list the visitor is looking at, carrying its filters.

    For the list page: `<link rel="alternate" type="text/calendar" href="{{ feeds.ical }}">` and the
    same for `atom`; `csv` for a download link; `webcal` to subscribe in a calendar app; `api`
    for the same list as JSON.
    """
    query = filter_query(request)
    suffix = f"?{query}" if query else ""
    ical = reverse("participation:opportunities_ical") + suffix
    return {
        "ical": ical,
        "webcal": "webcal://" + request.get_host() + ical,
        "atom": reverse("participation:opportunities_atom") + suffix,
        "csv": reverse("participation:opportunities_csv") + suffix,
        "api": reverse("api:opportunity_list") + suffix,
    }


def filtered_opportunities(request: HttpRequest) -> QuerySet[Opportunity]:
    """The public opportunities matching the request's filters; none when a filter is unknown.

    Unknown values give an empty feed rather than an error, like the list page: a calendar app
    that subscribed to a filter whose topic was later renamed shows nothing instead of breaking.
    """
    form = OpportunityFilterForm(request.GET)
    if not form.is_valid():
        return Opportunity.objects.none()
    return filter_opportunities(public_opportunities(), form.cleaned_data)


def _first_rows(qs: QuerySet[Opportunity], limit: int) -> tuple[list[Opportunity], bool]:
    """At most `limit` rows with their related data, and whether there were more."""
    rows = list(with_related(qs)[: limit + 1])
    return rows[:limit], len(rows) > limit


def _limit_headers(response: HttpResponse, truncated: bool) -> None:
    response["X-Row-Limit"] = str(FEED_LIMIT)
    if truncated:
        response["X-Truncated"] = "true"


def _local(value: datetime | None) -> str:
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def place(opportunity: Opportunity) -> str:
    """Where it happens, as one line: the venue with its address, the place written, or online."""
    if opportunity.venue:
        return ", ".join(
            part for part in (opportunity.venue.name, opportunity.venue.full_address) if part
        )
    if opportunity.location:
        return opportunity.location
    if opportunity.online_url:
        return _("Online")
    return ""


# --- iCalendar ----------------------------------------------------------------------------------


def event_times(opportunity: Opportunity) -> tuple[datetime, datetime | None, bool] | None:
    """(start, end, is_deadline) of the calendar event, or None when there is no date at all.

    The meeting itself when it has both a start and an end; otherwise the response deadline as a
    moment (an event without an end is instantaneous, RFC 5545 §3.6.1); otherwise the one date it has.
    """
    if opportunity.start_at and opportunity.end_at:
        return opportunity.start_at, opportunity.end_at, False
    if opportunity.deadline:
        return opportunity.deadline, None, True
    moment = opportunity.start_at or opportunity.end_at
    return (moment, None, False) if moment else None


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def ical_event(opportunity: Opportunity, request: HttpRequest) -> icalendar.Event | None:
    times = event_times(opportunity)
    if times is None:
        return None
    start, end, is_deadline = times
    url = absolute(request, opportunity.get_absolute_url())
    summary = (
        _("Deadline: %(title)s") % {"title": opportunity.title}
        if is_deadline
        else opportunity.title
    )
    lines = [opportunity.summary]
    if opportunity.deadline and not is_deadline:
        lines.append(_("Deadline: %(date)s") % {"date": _local(opportunity.deadline)})
    if opportunity.online_url:
        lines.append(_("Online: %(url)s") % {"url": opportunity.online_url})
    lines.append(url)
    event = icalendar.Event()
    event.add("uid", f"opportunity-{opportunity.pk}@{uid_host()}")
    # DTSTAMP is the last revision (the feed has no METHOD), so an unchanged event stays byte-equal
    # and calendar apps and ETags see no change.
    event.add("dtstamp", _utc(opportunity.updated_at))
    event.add("created", _utc(opportunity.created_at))
    event.add("last-modified", _utc(opportunity.updated_at))
    event.add("dtstart", _utc(start))
    if end:
        event.add("dtend", _utc(end))
    event.add("summary", summary)
    event.add("description", "\n\n".join(line for line in lines if line))
    event.add("url", url)
    event.add("categories", [opportunity.channel.name])
    event.add("class", "PUBLIC")
    # A deadline is a reminder, not time spent: it does not make the person busy.
    event.add("transp", "TRANSPARENT" if is_deadline else "OPAQUE")
    where = place(opportunity)
    if where:
        event.add("location", where)
    venue = opportunity.venue
    if venue and venue.latitude is not None and venue.longitude is not None:
        event.add("geo", (venue.latitude, venue.longitude))
    return event


def build_calendar(
    opportunities: Iterable[Opportunity], request: HttpRequest, *, name: str, uid_seed: str
) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.MUNICIPALITY_NAME}//Sammen om Byen//{get_language()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # RFC 7986 names plus the X-WR- names older clients (Outlook, Apple Calendar) still read.
    calendar.add("uid", str(uuid.uuid5(uuid.NAMESPACE_URL, f"{uid_host()}{uid_seed}")))
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(hours=CALENDAR_REFRESH_HOURS))
    calendar["refresh-interval"].params["VALUE"] = "DURATION"
    calendar.add("x-published-ttl", f"PT{CALENDAR_REFRESH_HOURS}H")
    for opportunity in opportunities:
        event = ical_event(opportunity, request)
        if event is not None:
            calendar.add_component(event)
    return calendar.to_ical()


def calendar_order(qs: QuerySet[Opportunity], now: datetime) -> QuerySet[Opportunity]:
    """For a capped calendar: what is still ahead, soonest first, then what just passed.

    Ordering by date alone would fill the cap with the oldest events once the catalogue grows, and
    a subscribed calendar would never show anything new.
    """
    past = Case(
        When(closes_at__lt=now, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    ahead = Case(When(closes_at__gte=now, then=F("closes_at")), output_field=DateTimeField())
    return qs.filter(closes_at__isnull=False).order_by(
        past, ahead.asc(nulls_last=True), F("closes_at").desc(), "pk"
    )


def opportunities_calendar(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows, truncated = _first_rows(calendar_order(filtered_opportunities(request), now), FEED_LIMIT)
    body = build_calendar(
        rows,
        request,
        name=f"{_('Get involved in Copenhagen')} – Sammen om Byen",
        uid_seed=f"/calendar?{filter_query(request)}",
    )
    response = HttpResponse(body, content_type=ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    _limit_headers(response, truncated)
    return response


def opportunity_calendar(request: HttpRequest, opportunity: Opportunity) -> HttpResponse | None:
    """One opportunity as a calendar file to open ("add to calendar"); None when it has no date."""
    if event_times(opportunity) is None:
        return None
    body = build_calendar(
        [opportunity],
        request,
        name=opportunity.title,
        uid_seed=f"/opportunity/{opportunity.pk}",
    )
    response = HttpResponse(body, content_type=ICAL_CONTENT_TYPE)
    filename = f"{opportunity.slug or opportunity.pk}.ics"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- Atom ---------------------------------------------------------------------------------------


def entry_id(opportunity: Opportunity) -> str:
    """A tag: URI (RFC 4151): the same in both languages and whatever the page's slug becomes."""
    return f"tag:{uid_host()},{TAG_YEAR}:opportunity-{opportunity.pk}"


def _entry_summary(opportunity: Opportunity) -> str:
    # The Atom summary is typed html: escape the plain text so it is shown as written.
    parts = [escape(opportunity.summary)]
    facts = []
    if opportunity.start_at:
        facts.append(_("Starts: %(date)s") % {"date": _local(opportunity.start_at)})
    if opportunity.deadline:
        facts.append(_("Deadline: %(date)s") % {"date": _local(opportunity.deadline)})
    where = place(opportunity)
    if where:
        facts.append(_("Place: %(place)s") % {"place": where})
    if facts:
        parts.append("<br>".join(escape(fact) for fact in facts))
    return "".join(f"<p>{part}</p>" for part in parts)


def opportunities_atom(request: HttpRequest) -> HttpResponse:
    """The newest opportunities (by first publication) matching the filters."""
    form = OpportunityFilterForm(request.GET)
    if form.is_valid():
        params = {**form.cleaned_data, "sort": OpportunityFilterForm.SORT_NEWEST}
        qs = filter_opportunities(public_opportunities(), params)
    else:
        qs = Opportunity.objects.none()
    rows, truncated = _first_rows(qs, FEED_LIMIT)
    query = filter_query(request)
    list_url = reverse("participation:opportunity_list") + (f"?{query}" if query else "")
    feed = Atom1Feed(
        title=f"{_('Get involved in Copenhagen')} – Sammen om Byen",
        link=absolute(request, list_url),
        description=_("New ways to influence the city."),
        language=get_language(),
        author_name=settings.MUNICIPALITY_NAME,
        feed_url=absolute(request, request.get_full_path()),
        feed_guid=f"tag:{uid_host()},{TAG_YEAR}:opportunities" + (f"?{query}" if query else ""),
    )
    for opportunity in rows:
        feed.add_item(
            title=opportunity.title,
            link=absolute(request, opportunity.get_absolute_url()),
            description=_entry_summary(opportunity),
            unique_id=entry_id(opportunity),
            pubdate=opportunity.published_at or opportunity.created_at,
            updateddate=opportunity.updated_at,
            categories=[opportunity.channel.name, *(t.name for t in opportunity.topics.all())],
        )
    response = HttpResponse(content_type=ATOM_CONTENT_TYPE)
    feed.write(response, "utf-8")
    _limit_headers(response, truncated)
    return response


# --- CSV ----------------------------------------------------------------------------------------


def safe_cell(value: object) -> object:
    """Neutralise text a spreadsheet would run as a formula by prefixing an apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_header() -> list[str]:
    return [
        _("id"),
        _("title"),
        _("channel"),
        _("status"),
        _("departments"),
        _("districts"),
        _("topics"),
        _("start"),
        _("end"),
        _("deadline"),
        _("place"),
        _("url"),
    ]


def csv_row(opportunity: Opportunity, request: HttpRequest, now: datetime) -> list[object]:
    districts = [d.name for d in opportunity.districts.all()]
    row: list[object] = [
        opportunity.pk,
        opportunity.title,
        opportunity.channel.name,
        opportunity.status_at(now).label,
        ", ".join(d.name for d in opportunity.departments.all()),
        ", ".join(districts) if districts else _("Whole city"),
        ", ".join(t.name for t in opportunity.topics.all()),
        _csv_time(opportunity.start_at),
        _csv_time(opportunity.end_at),
        _csv_time(opportunity.deadline),
        place(opportunity),
        absolute(request, opportunity.get_absolute_url()),
    ]
    return [safe_cell(cell) for cell in row]


def _csv_time(value: datetime | None) -> str:
    # Copenhagen time as "2026-03-01 17:00", which spreadsheets read as a date and time.
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def opportunities_csv(request: HttpRequest) -> HttpResponse:
    """The filtered list in the list's own order, for a spreadsheet.

    UTF-8 with a byte order mark, so Excel recognises the encoding (æ, ø, å), and `;` between
    fields, the list separator of Danish Excel (where `,` is the decimal comma): double-clicking the
    file opens it in columns. Other tools read it with `sep=";"`.
    """
    now = timezone.now()
    rows, truncated = _first_rows(filtered_opportunities(request), FEED_LIMIT)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_header())
    for opportunity in rows:
        writer.writerow(csv_row(opportunity, request, now))
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type=CSV_CONTENT_TYPE)
    filename = f"{_('opportunities')}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    _limit_headers(response, truncated)
    return response
