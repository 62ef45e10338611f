"""The demo status report: every task's status for last year and the year before (computed from
today), mixed traffic lights, financing that holds the rules, targets only on registered
indicators; fast, and added once."""

from datetime import date
from decimal import Decimal

import pytest

from sammen.accounts.demo import role_accounts_create
from sammen.reporting import indicators, services
from sammen.reporting.demo import TARGETS, reporting_seed
from sammen.reporting.models import Financing, StatusEntry, Target, Task

pytestmark = pytest.mark.django_db


def test_the_demo_writes_every_task_for_last_year_and_the_year_before(
    django_assert_max_num_queries,
):
    role_accounts_create()
    with django_assert_max_num_queries(9):  # one to find the six tasks there
        assert reporting_seed(seed=7) == 12
    last = services.current_year() - 1
    entries = StatusEntry.objects.select_related("task", "updated_by")
    assert sorted({e.year for e in entries}) == [last - 1, last]
    for year in (last - 1, last):
        assert {e.task.key for e in entries if e.year == year} == set(
            Task.objects.values_list("key", flat=True)
        )
    assert {e.traffic_light for e in entries if e.year == last} == {"green", "yellow", "red"}
    assert all(e.status_text and e.narrative and e.updated_by for e in entries)
    campaign = entries.get(task__key="campaign", year=last)
    assert (campaign.financing, campaign.financing_need_dkk) == (Financing.REQUESTED, 350_000)
    assert f"kampagnen i {last + 2}" in campaign.decisions_pending
    conference = entries.get(task__key="conference", year=last)
    assert (conference.financing, conference.financing_need_dkk) == (Financing.GRANTED, 200_000)
    for e in entries:
        e.full_clean()  # every rule of the model holds


def test_the_demo_sets_targets_only_on_registered_indicators_with_shares_as_fractions():
    reporting_seed(seed=7)
    last = services.current_year() - 1
    registered = {item.key: item for item in indicators.registered()}
    targets = list(Target.objects.all())
    assert targets
    assert {t.indicator for t in targets} <= set(registered)
    assert {t.year for t in targets} == {last - 1, last}
    dead_ends = Target.objects.get(indicator="ideas.dead_ends", year=last)
    assert (dead_ends.direction, dead_ends.value) == ("at_most", Decimal(0))
    answered = Target.objects.get(indicator="ideas.answered_within_deadline", year=last)
    assert (answered.direction, answered.value) == ("at_least", Decimal("0.90"))
    for target in targets:
        if registered[target.indicator].unit == "share":
            assert 0 <= target.value <= 1
        target.full_clean()
    # The list names no indicator twice.
    assert len({key for key, *_ in TARGETS}) == len(TARGETS)


def test_the_demo_follows_the_calendar_and_adds_nothing_twice():
    assert reporting_seed(seed=1, today=date(2031, 3, 1)) == 12
    assert set(StatusEntry.objects.values_list("year", flat=True)) == {2029, 2030}
    counts = (StatusEntry.objects.count(), Target.objects.count())
    assert reporting_seed(seed=1, today=date(2031, 3, 1)) == 0
    assert (StatusEntry.objects.count(), Target.objects.count()) == counts


def test_an_entry_written_by_hand_is_left_alone():
    last = services.current_year() - 1
    StatusEntry.objects.create(
        task=Task.objects.get(key="ideas"), year=last, traffic_light="green", status_text="Mine"
    )
    assert reporting_seed(seed=7) == 11
    assert StatusEntry.objects.get(task__key="ideas", year=last).status_text == "Mine"
