"""Counting a poster's reach: one counter per placement and day, nothing about who.

A visit through a short link adds one to `DailyReach.visits` of its placement for the Copenhagen
date; a subscription request or an idea sent by someone who arrived from a poster adds one to
`subscriptions` or `ideas`, found by the placement code that travelled in the page's URL and form.
No cookie, IP address, user agent or per-visit row is ever written.

Counting must be right when many people scan the same poster at once, on SQLite and PostgreSQL
alike: the counter is raised in the database (`SET n = n + 1`), never read and written back, and
the day's row is created on the first visit, with a retry when a parallel request created it a
moment before (the unique constraint decides, inside a savepoint so an outer transaction lives on).
"""

import re
from datetime import date
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from sammen.campaigns.models import SHORT_CODE_RE, DailyReach, Placement
from sammen.core.workdays import local_date

ConversionKind = Literal["subscription", "idea"]
# The kind of conversion and the counter it raises.
CONVERSION_COUNTERS: dict[str, str] = {"subscription": "subscriptions", "idea": "ideas"}

_CODE = re.compile(SHORT_CODE_RE)


def normalise_code(text: Any) -> str | None:
    """The short code as stored (trimmed, lower-case), or None when it cannot be one.

    People type codes from a poster, so "  AB3CD " is the code "ab3cd"; anything outside the
    alphabet or of another length is rejected before it reaches a query, a URL or a template.
    """
    if not isinstance(text, str):
        return None
    code = text.strip().lower()
    return code if _CODE.fullmatch(code) else None


def placement_for_code(text: Any) -> Placement | None:
    """The placement (with its campaign) a short code belongs to, or None if there is none."""
    code = normalise_code(text)
    if code is None:
        return None
    return Placement.objects.select_related("campaign").filter(code=code).first()


def today() -> date:
    """Counters are kept per Copenhagen date: a scan at 00:30 on a summer night is that day's."""
    return local_date(timezone.now())


def _increment(placement_id: int, day: date, counter: str) -> None:
    """Raise one counter of one placement and day by one, creating the day's row if needed."""
    rows = DailyReach.objects.filter(placement_id=placement_id, day=day)
    if rows.update(**{counter: F(counter) + 1}):
        return
    try:
        with transaction.atomic():
            DailyReach.objects.create(placement_id=placement_id, day=day, **{counter: 1})
    except IntegrityError:
        # Another request created the row between our update and insert: it exists now.
        rows.update(**{counter: F(counter) + 1})


def record_visit(placement: Placement, day: date | None = None) -> None:
    """Count one visit through the placement's short link (today, unless a day is given)."""
    _increment(placement.pk, day or today(), "visits")


def record_conversion(code: Any, kind: ConversionKind, day: date | None = None) -> bool:
    """Count a subscription or an idea that came from the poster with this code.

    An empty, malformed or unknown code is ignored silently (it came from a URL anyone can edit);
    the answer says whether anything was counted. An unknown `kind` is a programming error.
    """
    counter = CONVERSION_COUNTERS[kind]
    normalised = normalise_code(code)
    if normalised is None:
        return False
    placement_id = Placement.objects.filter(code=normalised).values_list("pk", flat=True).first()
    if placement_id is None:
        return False
    _increment(placement_id, day or today(), counter)
    return True
