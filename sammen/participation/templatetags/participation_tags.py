"""Template helpers for the public catalogue: status badges, dates in Copenhagen time, JSON-LD."""

import json
from datetime import datetime
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sammen.participation.models import Opportunity, OpportunityStatus

register = template.Library()

# DKFDS badge variants; a closed opportunity gets the neutral badge.
_BADGE = {
    OpportunityStatus.UPCOMING: "badge-info",
    OpportunityStatus.OPEN: "badge-success",
    OpportunityStatus.CLOSING_SOON: "badge-warning",
    OpportunityStatus.CLOSED: "",
    OpportunityStatus.OUTCOME_PUBLISHED: "badge-info",
}

# The characters that could end a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def status_badge(context: template.Context, opportunity: Opportunity) -> SafeString:
    """The status as a DKFDS badge, computed at the moment the page is rendered (`now`)."""
    now = context.get("now") or timezone.now()
    if opportunity.withdrawn_at:
        return format_html('<span class="badge badge-error">{}</span>', _("Withdrawn"))
    status = opportunity.status_at(now)
    css = _BADGE[status]
    return format_html('<span class="badge{}">{}</span>', f" {css}" if css else "", status.label)


def _day(value: datetime) -> str:
    return date_format(timezone.localtime(value), "DATE_FORMAT")


def _time(value: datetime) -> str:
    return time_format(timezone.localtime(value), "TIME_FORMAT")


@register.filter
def when(value: datetime | None) -> str:
    """A moment as date and time in Copenhagen, in the active language: "3. marts 2026 kl. 17:00"."""
    if not value:
        return ""
    return _("%(date)s at %(time)s") % {"date": _day(value), "time": _time(value)}


@register.simple_tag
def date_range(start: datetime | None, end: datetime | None) -> str:
    """Start and end in Copenhagen time, naming the day once when both fall on the same day."""
    if not start and not end:
        return ""
    if start and not end:
        return when(start)
    if end and not start:
        return _("until %(moment)s") % {"moment": when(end)}
    assert start and end
    if timezone.localtime(start).date() == timezone.localtime(end).date():
        return _("%(date)s, %(start)s–%(end)s") % {
            "date": _day(start),
            "start": _time(start),
            "end": _time(end),
        }
    return _("%(start)s to %(end)s") % {"start": when(start), "end": when(end)}


@register.simple_tag
def json_ld(data: dict[str, Any]) -> SafeString:
    """Structured data in a script element; `<`, `>` and `&` are escaped so text cannot break out."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)
