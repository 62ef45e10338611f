"""Counting a poster's reach: the day's counters, raised in the database, nothing about who."""

import threading
from datetime import UTC, date, datetime

import pytest
from django.db import connection, connections, transaction
from django.db.models import QuerySet

from sammen.campaigns import reach
from sammen.campaigns.models import DailyReach
from sammen.campaigns.tests.factories import DailyReachFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def counters(placement) -> list[tuple[date, int, int, int]]:
    return list(
        DailyReach.objects.filter(placement=placement)
        .order_by("day")
        .values_list("day", "visits", "subscriptions", "ideas")
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ab3cd", "ab3cd"),
        ("  AB3CD\n", "ab3cd"),
        ("ab3c", None),  # too short
        ("ab3cde", None),  # too long
        ("ab0cd", None),  # 0 is not in the alphabet (it looks like o)
        ("abicd", None),  # nor is i
        ("ab cd", None),
        ("<scr>", None),
        ("", None),
        (None, None),
        (12345, None),
    ],
)
def test_normalise_code(text, expected):
    assert reach.normalise_code(text) == expected


def test_a_visit_creates_the_days_row_then_raises_it():
    placement = PlacementFactory()
    day = date(2025, 9, 3)
    reach.record_visit(placement, day)
    reach.record_visit(placement, day)
    reach.record_visit(placement, date(2025, 9, 4))
    assert counters(placement) == [(day, 2, 0, 0), (date(2025, 9, 4), 1, 0, 0)]


def test_the_day_is_the_copenhagen_date(monkeypatch):
    placement = PlacementFactory()
    # 22:30 UTC on 2 September is 00:30 on 3 September in Copenhagen (summer time).
    monkeypatch.setattr(reach.timezone, "now", lambda: datetime(2025, 9, 2, 22, 30, tzinfo=UTC))
    reach.record_visit(placement)
    assert counters(placement) == [(date(2025, 9, 3), 1, 0, 0)]


def test_conversions_raise_their_own_counter_of_the_poster_typed_code():
    placement = PlacementFactory(code="ab3cd")
    other = PlacementFactory()
    day = date(2025, 9, 3)
    DailyReachFactory(placement=placement, day=day, visits=5, subscriptions=1, ideas=0)
    assert reach.record_conversion(" AB3CD ", "subscription", day)
    assert reach.record_conversion("ab3cd", "idea", day)
    assert counters(placement) == [(day, 5, 2, 1)]
    assert counters(other) == []


@pytest.mark.parametrize("code", ["", None, "<script>", "ab3c", "22222"])
def test_an_invalid_or_unknown_code_is_ignored_silently(code):
    PlacementFactory(code="ab3cd")
    assert reach.record_conversion(code, "idea") is False
    assert not DailyReach.objects.exists()


def test_an_unknown_kind_is_a_programming_error():
    placement = PlacementFactory()
    with pytest.raises(KeyError):
        reach.record_conversion(placement.code, "visit")  # type: ignore[arg-type]


def test_a_lost_race_for_the_days_row_still_counts_and_keeps_the_outer_transaction(monkeypatch):
    """Another request creates the row between our update (no row yet) and our insert."""
    placement = PlacementFactory()
    day = date(2025, 9, 3)
    real_update = QuerySet.update
    rival = {"created": False}

    def update_then_a_rival_inserts(queryset, **kwargs):
        result = real_update(queryset, **kwargs)
        if queryset.model is DailyReach and not rival["created"]:
            rival["created"] = True
            DailyReach.objects.create(placement=placement, day=day, visits=1)
        return result

    monkeypatch.setattr(QuerySet, "update", update_then_a_rival_inserts)
    with transaction.atomic():
        reach.record_visit(placement, day)
        # The savepoint rolled back only the failed insert; the transaction is still usable.
        assert DailyReach.objects.count() == 1
    assert rival["created"]
    assert counters(placement) == [(day, 2, 0, 0)]


@pytest.mark.django_db(transaction=True)
def test_parallel_visits_are_all_counted():
    """Real concurrent requests, each on its own connection (skipped on in-memory SQLite, where
    threads cannot share the database)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Justified: threads cannot share an in-memory SQLite database. `.ci/run` runs the suite
        # on PostgreSQL too, where this test always runs; the single-connection race above
        # covers the retry on SQLite.
        pytest.skip("in-memory SQLite is private to one connection")
    placement = PlacementFactory()
    day = date(2025, 9, 3)
    workers, per_worker = 4, 10
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def visit() -> None:
        try:
            barrier.wait()
            for _ in range(per_worker):
                reach.record_visit(placement, day)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=visit) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert counters(placement) == [(day, workers * per_worker, 0, 0)]
