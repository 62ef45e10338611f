"""The yearly report's figures about the knowledge base, on a small 2025 worked out by hand.

Each entry's history is written as the services write it, one version per save, with the moment
moved to the day it stands for, so the figures must read the past from the versions.
"""

import json
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sammen.accounts.models import Role, RoleAssignment
from sammen.core.tests.factories import department
from sammen.core.workdays import COPENHAGEN
from sammen.knowledge.figures import knowledge_figures
from sammen.knowledge.models import Entry, EntryVersion, Kind, Status
from sammen.knowledge.tests.factories import consultant, make_entry

pytestmark = pytest.mark.django_db

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
NOW = datetime(2026, 2, 1, 12, 0, tzinfo=COPENHAGEN)

A = EntryVersion.Action
DRAFT, PUBLISHED, ARCHIVED = Status.DRAFT, Status.PUBLISHED, Status.ARCHIVED


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=COPENHAGEN)


def entry(kind: str, history: list[tuple[datetime, str, str, date | None]]) -> Entry:
    """An entry with the versions `history` lists: (when, action, status after, review date).

    The entry itself stands as the last version left it, first published at the first
    publication in the history.
    """
    first = next((when for when, action, _s, _d in history if action == A.PUBLISHED), None)
    _when, _action, status, due = history[-1]
    created = make_entry(
        kind=kind,
        status=status,
        published_at=first,
        review_due=due,
        last_reviewed_at=first,
    )
    created.versions.all().delete()
    for number, (when, action, status_after, review_due) in enumerate(history, start=1):
        version = EntryVersion.objects.create(
            entry=created,
            number=number,
            action=action,
            status=status_after,
            content={"review_due": review_due.isoformat() if review_due else None},
        )
        EntryVersion.objects.filter(pk=version.pk).update(at=when)
    return created


@pytest.fixture
def year() -> None:
    """Nine entries around 2025 (see each line); the figures are worked out below."""
    d = date
    # A, method: published 2024, edited in March 2025 while published; its review date passed
    # on 1 December 2025, so it was out of date at the end of the year.
    entry(
        Kind.METHOD,
        [
            (at(2024, 11, 1), A.CREATED, DRAFT, None),
            (at(2024, 12, 1), A.PUBLISHED, PUBLISHED, d(2025, 12, 1)),
            (at(2025, 3, 10), A.EDITED, PUBLISHED, d(2025, 12, 1)),
        ],
    )
    # B, guide: first published in the first hour of the year, edited in February. Review by
    # 1 January 2026: not yet past at the end of 2025.
    entry(
        Kind.GUIDE,
        [
            (at(2025, 1, 1, 0, 10), A.CREATED, DRAFT, None),
            (at(2025, 1, 1, 0, 20), A.PUBLISHED, PUBLISHED, d(2026, 1, 1)),
            (at(2025, 2, 1), A.EDITED, PUBLISHED, d(2026, 1, 1)),
        ],
    )
    # C, example: published in the last hour of the year, reviewed after it.
    entry(
        Kind.EXAMPLE,
        [
            (at(2025, 12, 31, 23, 0), A.CREATED, DRAFT, None),
            (at(2025, 12, 31, 23, 30), A.PUBLISHED, PUBLISHED, d(2026, 12, 31)),
            (at(2026, 1, 5), A.REVIEWED, PUBLISHED, d(2027, 1, 5)),
        ],
    )
    # D, inspiration: published at the first moment of 2026, so not in 2025 at all.
    entry(
        Kind.INSPIRATION,
        [
            (at(2025, 12, 31, 22, 0), A.CREATED, DRAFT, None),
            (at(2026, 1, 1, 0, 0), A.PUBLISHED, PUBLISHED, d(2027, 1, 1)),
        ],
    )
    # E, method: out of date since 2024, reviewed in June 2025: reviewed, not updated, current.
    entry(
        Kind.METHOD,
        [
            (at(2023, 1, 1), A.PUBLISHED, PUBLISHED, d(2024, 1, 1)),
            (at(2025, 6, 1), A.REVIEWED, PUBLISHED, d(2026, 6, 1)),
        ],
    )
    # F, guide: out of date, then archived in August: not published at the end.
    entry(
        Kind.GUIDE,
        [
            (at(2024, 5, 1), A.PUBLISHED, PUBLISHED, d(2025, 5, 1)),
            (at(2025, 8, 1), A.ARCHIVED, ARCHIVED, d(2025, 5, 1)),
        ],
    )
    # G, inspiration: taken back to draft, rewritten (as a draft: not counted) and published
    # again in April: one update.
    entry(
        Kind.INSPIRATION,
        [
            (at(2024, 1, 10), A.PUBLISHED, PUBLISHED, d(2025, 1, 10)),
            (at(2025, 4, 1), A.RETURNED, DRAFT, d(2025, 1, 10)),
            (at(2025, 4, 2), A.EDITED, DRAFT, d(2025, 1, 10)),
            (at(2025, 4, 3), A.PUBLISHED, PUBLISHED, d(2026, 4, 3)),
        ],
    )
    # H, guide: past its review date all through 2025 and reviewed only in January 2026. It is
    # current now, but was out of date at the end of 2025.
    entry(
        Kind.GUIDE,
        [
            (at(2024, 2, 1), A.PUBLISHED, PUBLISHED, d(2025, 2, 1)),
            (at(2026, 1, 10), A.REVIEWED, PUBLISHED, d(2027, 1, 10)),
        ],
    )
    # I, example: a draft edited in 2025, never published.
    entry(
        Kind.EXAMPLE,
        [
            (at(2025, 5, 1), A.CREATED, DRAFT, None),
            (at(2025, 5, 2), A.EDITED, DRAFT, None),
        ],
    )


def by_kind(**counts: int) -> dict[str, int]:
    return {kind.value: counts.get(kind.value, 0) for kind in Kind}


def test_entries_first_published_in_the_period(year):
    figures = knowledge_figures(*YEAR, now=NOW)
    assert figures.has_data
    # B on 1 January 00:20 and C on 31 December 23:30; D at midnight belongs to 2026.
    assert figures.published_by_kind == by_kind(guide=1, example=1)
    assert figures.published == 2
    assert figures.ever_published == 7  # A, B, C, E, F, G, H


def test_published_entries_changed_in_the_period(year):
    figures = knowledge_figures(*YEAR, now=NOW)
    # A and B edited while published, G published again; I's edit was to a draft.
    assert figures.updated_by_kind == by_kind(method=1, guide=1, inspiration=1)
    assert figures.updated == 3
    # E reviewed in 2025; C and H were reviewed in 2026.
    assert figures.reviewed_by_kind == by_kind(method=1)


def test_out_of_date_as_it_stood_at_the_end_of_the_period(year):
    figures = knowledge_figures(*YEAR, now=NOW)
    # A (review by 1 December 2025) and H (reviewed only in 2026). B's review date is the day
    # after the period; F was archived; D did not exist yet.
    assert figures.out_of_date_by_kind == by_kind(method=1, guide=1)
    assert figures.out_of_date == 2
    assert figures.published_at_end_by_kind == by_kind(method=2, guide=2, example=1, inspiration=1)
    assert figures.published_at_end == 6


def test_a_running_period_counts_what_is_out_of_date_today(year):
    figures = knowledge_figures(date(2026, 1, 1), date(2026, 12, 31), now=NOW)
    # On 1 February 2026: A (1 December) and B (1 January) are past their review date; H and C
    # were reviewed in January.
    assert figures.out_of_date_by_kind == by_kind(method=1, guide=1)
    assert figures.published_by_kind == by_kind(inspiration=1)  # D
    assert figures.reviewed_by_kind == by_kind(guide=1, example=1)  # H, C


def test_an_entry_without_versions_from_then_is_taken_as_it_stands_now():
    """Dates set outside the services (the admin, an import) leave no version from that time."""
    stale = make_entry(kind=Kind.GUIDE, published_at=at(2024, 3, 1), review_due=date(2025, 3, 1))
    EntryVersion.objects.filter(entry=stale).update(at=at(2026, 1, 20))
    current = make_entry(published_at=at(2024, 3, 1), review_due=date(2026, 3, 1))
    EntryVersion.objects.filter(entry=current).update(at=at(2026, 1, 20))

    figures = knowledge_figures(*YEAR, now=NOW)
    assert figures.out_of_date_by_kind == by_kind(guide=1)
    assert figures.published_at_end == 2


def test_consultants_per_department_as_they_are_now():
    consultant("TMF")
    consultant("TMF")
    serves_two = consultant("BUF")
    RoleAssignment.objects.create(user=serves_two, role=Role.CONSULTANT, department=department())
    consultant("KFF", is_active=False)
    make_entry(published_at=at(2025, 3, 1))

    figures = knowledge_figures(*YEAR, now=NOW)
    rows = {row.abbreviation: row.consultants for row in figures.consultants_by_department}
    assert rows["TMF"] == 3
    assert rows["BUF"] == 1
    assert rows["KFF"] == 0
    assert sum(rows.values()) == 4
    assert figures.consultants == 3  # people: the one serving two departments counts once


def test_as_dict_is_plain_json(year):
    data = knowledge_figures(*YEAR, now=NOW).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["has_data"] is True
    assert (data["published"], data["updated"], data["out_of_date"]) == (2, 3, 2)


def test_a_period_before_the_knowledge_base_has_no_data(year):
    figures = knowledge_figures(date(2020, 1, 1), date(2020, 12, 31), now=NOW)
    assert not figures.has_data
    assert figures.published == figures.updated == figures.out_of_date == 0


def test_a_period_that_ends_before_it_starts_is_an_error():
    with pytest.raises(ValueError):
        knowledge_figures(date(2025, 2, 1), date(2025, 1, 1))


def test_the_figures_cost_the_same_queries_for_few_and_many_entries():
    def queries(n: int) -> int:
        for i in range(n):
            entry(
                (Kind.METHOD, Kind.GUIDE)[i % 2],
                [
                    (at(2025, 2, 1 + i), A.PUBLISHED, PUBLISHED, date(2025, 6, 1)),
                    (at(2025, 3, 1 + i), A.EDITED, PUBLISHED, date(2025, 6, 1)),
                    (at(2025, 4, 1 + i), A.REVIEWED, PUBLISHED, date(2026, 4, 1)),
                ],
            )
            consultant(("TMF", "BUF")[i % 2])
        with CaptureQueriesContext(connection) as context:
            knowledge_figures(*YEAR, now=NOW)
        return len(context)

    assert queries(2) == queries(12) == 6
