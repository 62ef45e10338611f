"""The rules of the steering group's side of the status report: which year to work on, the
overview of a year with its financing totals, and the writes (all or nothing)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sammen.core.tests.factories import UserFactory
from sammen.reporting import indicators, services
from sammen.reporting.models import (
    AnnualReport,
    Financing,
    StatusEntry,
    Target,
    TargetDirection,
    Task,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


def entry(key: str, year: int, **fields) -> StatusEntry:
    values = {"traffic_light": "green", "status_text": f"Status for {key}"}
    values.update(fields)
    return StatusEntry.objects.create(task=Task.objects.get(key=key), year=year, **values)


def some_indicator_key() -> str:
    return indicators.registered()[0].key


# --- years ---------------------------------------------------------------------------------------


def test_last_year_is_suggested_until_its_report_is_generated():
    assert services.default_year(TODAY) == 2025
    AnnualReport.objects.create(year=2024, snapshot={})  # an older year's report changes nothing
    assert services.default_year(TODAY) == 2025
    AnnualReport.objects.create(year=2025, snapshot={})
    assert services.default_year(TODAY) == 2026


def test_the_selectable_years_are_those_with_entries_or_targets_and_this_and_last_year():
    assert services.selectable_years(TODAY) == [2026, 2025]
    entry("campaign", 2022)
    Target.objects.create(
        indicator=some_indicator_key(), year=2021, direction="at_least", value=Decimal(1)
    )
    assert services.selectable_years(TODAY) == [2026, 2025, 2022, 2021]


def test_year_summaries_count_entries_targets_and_reports_per_year():
    entry("campaign", 2025)
    entry("ideas", 2025)
    Target.objects.create(
        indicator=some_indicator_key(), year=2025, direction="at_least", value=Decimal(1)
    )
    AnnualReport.objects.create(year=2025, snapshot={})
    AnnualReport.objects.create(year=2025, snapshot={})
    this, last = services.year_summaries([2026, 2025])
    assert (this.year, this.entries, this.targets, this.reports) == (2026, 0, 0, 0)
    assert (last.year, last.entries, last.targets, last.reports) == (2025, 2, 1, 2)
    assert last.last_report_at is not None


# --- money ---------------------------------------------------------------------------------------


def test_amounts_are_shown_danish_style_on_danish_pages():
    with translation.override("da"):
        assert services.format_dkk(1_250_000) == "1.250.000 kr."
        assert services.format_dkk(0) == "0 kr."
        assert services.format_dkk(None) == ""
    with translation.override("en"):
        assert services.format_dkk(350_000) == "DKK 350,000"


# --- the overview of a year ----------------------------------------------------------------------


def test_the_overview_lists_the_tasks_in_order_split_internal_and_external():
    entry("ideas", 2025, traffic_light="red")
    overview = services.year_overview(2025)
    assert [row.task.key for row in overview.internal] == ["conference", "competence", "knowledge"]
    assert [row.task.key for row in overview.external] == ["entry-point", "campaign", "ideas"]
    assert [row.task.number for row in overview.tasks] == [1, 2, 3, 4, 5, 6]
    assert overview.external[2].entry.traffic_light == "red"
    assert overview.written == 1


def test_the_financing_totals_count_requested_and_granted_only():
    entry("campaign", 2025, financing=Financing.REQUESTED, financing_need_dkk=350_000)
    entry("ideas", 2025, financing=Financing.REQUESTED, financing_need_dkk=50_000)
    entry("conference", 2025, financing=Financing.GRANTED, financing_need_dkk=200_000)
    entry("knowledge", 2025, financing=Financing.REFUSED, financing_need_dkk=150_000)
    entry("competence", 2024, financing=Financing.GRANTED, financing_need_dkk=999_000)
    overview = services.year_overview(2025)
    assert overview.requested_dkk == 400_000
    assert overview.granted_dkk == 200_000
    with translation.override("da"):
        assert overview.requested_display == "400.000 kr."


def test_an_inactive_task_is_left_out_unless_it_has_an_entry_for_the_year():
    Task.objects.filter(key="knowledge").update(is_active=False)
    assert "knowledge" not in [row.task.key for row in services.year_overview(2025).tasks]
    entry("knowledge", 2024)
    assert "knowledge" in [row.task.key for row in services.year_overview(2024).tasks]


def test_the_overview_runs_two_queries_whatever_the_data(django_assert_num_queries):
    with django_assert_num_queries(2):
        services.year_overview(2025)
    for key in ("conference", "competence", "knowledge", "entry-point", "campaign", "ideas"):
        entry(key, 2025, updated_by=UserFactory())
    with django_assert_num_queries(2):
        overview = services.year_overview(2025)
        assert [str(row.entry.updated_by) for row in overview.tasks]


# --- a task's status for a year ------------------------------------------------------------------


def _data(**changes):
    data = {
        "traffic_light": "yellow",
        "status_text": "Kampagnen kørte i fire uger.",
        "activities": "",
        "results": "",
        "narrative": "",
        "financing": Financing.NOT_NEEDED,
        "financing_need_dkk": None,
        "decisions_pending": "",
    }
    data.update(changes)
    return data


def test_the_first_save_creates_the_entry_and_the_next_updates_it():
    task = Task.objects.get(key="campaign")
    first, second = UserFactory(), UserFactory()
    created = services.status_entry_save(task=task, year=2025, data=_data(), by=first)
    assert (created.traffic_light, created.updated_by) == ("yellow", first)
    updated = services.status_entry_save(
        task=task,
        year=2025,
        data=_data(financing=Financing.REQUESTED, financing_need_dkk=350_000),
        by=second,
    )
    assert updated.pk == created.pk
    assert StatusEntry.objects.count() == 1
    updated.refresh_from_db()
    assert (updated.financing_need_dkk, updated.updated_by) == (350_000, second)


def test_a_requested_financing_without_an_amount_is_refused_and_nothing_saved():
    task = Task.objects.get(key="campaign")
    with pytest.raises(ValidationError):
        services.status_entry_save(
            task=task, year=2025, data=_data(financing=Financing.GRANTED), by=UserFactory()
        )
    assert not StatusEntry.objects.exists()


def test_the_earlier_entry_is_the_latest_before_the_year_and_its_copy_leaves_money_out():
    task = Task.objects.get(key="campaign")
    entry("campaign", 2023, status_text="old")
    entry(
        "campaign",
        2024,
        status_text="last year",
        financing=Financing.GRANTED,
        financing_need_dkk=300_000,
    )
    earlier = services.earlier_entry(task, 2025)
    assert earlier.year == 2024
    copied = services.copied_values(earlier)
    assert copied["status_text"] == "last year"
    assert "financing" not in copied and "financing_need_dkk" not in copied
    assert services.earlier_entry(task, 2023) is None


# --- the tasks -----------------------------------------------------------------------------------


def test_tasks_are_saved_all_or_nothing():
    conference, campaign = Task.objects.get(key="conference"), Task.objects.get(key="campaign")
    assert services.tasks_save({conference.pk: {"title_da": "Konferencen", "is_active": True}}) == 1
    conference.refresh_from_db()
    assert conference.title_da == "Konferencen"
    with pytest.raises(ValidationError):
        services.tasks_save(
            {
                conference.pk: {"title_da": "Ny titel"},
                campaign.pk: {"title_da": ""},  # a task needs a title
            }
        )
    conference.refresh_from_db()
    assert conference.title_da == "Konferencen"


# --- targets -------------------------------------------------------------------------------------


def test_targets_are_set_changed_and_removed():
    key = some_indicator_key()
    assert services.targets_save(year=2025, values={key: ("at_most", Decimal(3))}) == 1
    assert services.targets_save(year=2025, values={key: ("at_most", Decimal(3))}) == 0
    assert services.targets_save(year=2025, values={key: ("at_least", Decimal(4))}) == 1
    target = Target.objects.get(indicator=key, year=2025)
    assert (target.direction, target.value) == (TargetDirection.AT_LEAST, Decimal(4))
    assert services.targets_save(year=2025, values={key: ("at_least", None)}) == 1
    assert not Target.objects.exists()


def test_a_target_on_an_unknown_indicator_is_refused_and_nothing_saved():
    key = some_indicator_key()
    with pytest.raises(ValidationError):
        services.targets_save(
            year=2025,
            values={key: ("at_least", Decimal(1)), "no.such_indicator": ("at_least", Decimal(1))},
        )
    assert not Target.objects.exists()


def test_the_default_direction_follows_whether_more_is_better():
    worse = next(item for item in indicators.registered() if item.higher_is_better is False)
    better = next(item for item in indicators.registered() if item.higher_is_better is True)
    assert services.default_direction(worse) == TargetDirection.AT_MOST
    assert services.default_direction(better) == TargetDirection.AT_LEAST
