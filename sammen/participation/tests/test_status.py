"""Opportunity.status_at (Python) and selectors.status_q (SQL) must name the same status.

The status is never stored; pages compute it in Python and lists filter it in SQL. A grid of date
combinations around every boundary (start, end, deadline, the 7-day "closing soon" edge, outcome)
is written to the database and both answers are compared row by row.
"""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from sammen.participation.models import CLOSING_SOON_DAYS, Opportunity, OpportunityStatus
from sammen.participation.selectors import current_q, status_q
from sammen.participation.tests.factories import channel

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
SOON = timedelta(days=CLOSING_SOON_DAYS)
SECOND = timedelta(seconds=1)

STARTS = [None, NOW - timedelta(days=10), NOW, NOW + timedelta(days=2)]
ENDS = [None, NOW - timedelta(days=1), NOW + timedelta(days=3)]
DEADLINES = [
    None,
    NOW - timedelta(days=1),
    NOW,
    NOW + SECOND,
    NOW + SOON - SECOND,
    NOW + SOON,
    NOW + SOON + SECOND,
    NOW + timedelta(days=30),
]
OUTCOMES = [None, NOW - timedelta(days=1)]


@pytest.fixture
def grid(db) -> list[Opportunity]:
    hearing = channel("hoering")
    rows = [
        Opportunity(
            channel=hearing,
            title=f"Mulighed {n}",
            slug=f"mulighed-{n}",
            summary="Til test af status.",
            start_at=start,
            end_at=end,
            deadline=deadline,
            outcome="Det kom der ud af." if outcome else "",
            outcome_published_at=outcome,
            is_published=True,
        )
        for n, (start, end, deadline, outcome) in enumerate(
            itertools.product(STARTS, ENDS, DEADLINES, OUTCOMES)
        )
        # The database refuses an end before the start.
        if not (start and end and end < start)
    ]
    Opportunity.objects.bulk_create(rows)
    return list(Opportunity.objects.filter(title__startswith="Mulighed "))


def _sql(status: str) -> set[int]:
    return set(Opportunity.objects.filter(status_q(status, NOW)).values_list("pk", flat=True))


def _python(rows: list[Opportunity], *statuses: OpportunityStatus) -> set[int]:
    return {row.pk for row in rows if row.status_at(NOW) in statuses}


def test_the_grid_covers_every_status(grid):
    seen = {row.status_at(NOW) for row in grid}
    assert seen == set(OpportunityStatus)


@pytest.mark.parametrize(
    "status",
    [
        OpportunityStatus.UPCOMING,
        OpportunityStatus.CLOSING_SOON,
        OpportunityStatus.CLOSED,
        OpportunityStatus.OUTCOME_PUBLISHED,
    ],
)
def test_sql_and_python_agree_on_each_status(grid, status):
    assert _sql(status) == _python(grid, status)


def test_the_open_filter_includes_those_closing_soon(grid):
    # Both can be taken part in now; "closing soon" is a sharper view of "open".
    assert _sql(OpportunityStatus.OPEN) == _python(
        grid, OpportunityStatus.OPEN, OpportunityStatus.CLOSING_SOON
    )


def test_current_means_upcoming_or_open(grid):
    current = set(Opportunity.objects.filter(current_q(NOW)).values_list("pk", flat=True))
    assert current == _python(
        grid,
        OpportunityStatus.UPCOMING,
        OpportunityStatus.OPEN,
        OpportunityStatus.CLOSING_SOON,
    )


def test_closing_soon_ends_exactly_seven_days_ahead(grid):
    by_deadline = {
        row.deadline: row.status_at(NOW)
        for row in grid
        if row.start_at is None and row.end_at is None and not row.outcome_published_at
    }
    assert by_deadline[NOW + SOON] == OpportunityStatus.CLOSING_SOON
    assert by_deadline[NOW + SOON + SECOND] == OpportunityStatus.OPEN
    assert by_deadline[NOW] == OpportunityStatus.CLOSED
    assert by_deadline[NOW + SECOND] == OpportunityStatus.CLOSING_SOON


def test_every_row_has_exactly_one_status_in_sql(grid):
    partitions = [
        _sql(OpportunityStatus.UPCOMING),
        _sql(OpportunityStatus.OPEN) - _sql(OpportunityStatus.CLOSING_SOON),
        _sql(OpportunityStatus.CLOSING_SOON),
        _sql(OpportunityStatus.CLOSED),
        _sql(OpportunityStatus.OUTCOME_PUBLISHED),
    ]
    assert sum(len(p) for p in partitions) == len(grid)
    assert set().union(*partitions) == {row.pk for row in grid}
