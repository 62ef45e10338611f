"""The Danish working-day calendar that staff deadlines are counted in."""

from datetime import UTC, date, datetime

import pytest

from sammen.core.workdays import (
    COPENHAGEN,
    add_working_days,
    is_working_day,
    working_days_between,
)


def cph(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=COPENHAGEN)


def due(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 23, 59, 59, tzinfo=COPENHAGEN)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),  # New Year's Day
        date(2026, 4, 2),  # Maundy Thursday
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 14),  # Ascension Day
        date(2026, 5, 25),  # Whit Monday
        date(2026, 6, 5),  # Grundlovsdag (day off by agreement)
        date(2026, 12, 24),  # Christmas Eve (day off by agreement)
        date(2026, 12, 25),  # Christmas Day
        date(2026, 12, 31),  # New Year's Eve (day off by agreement)
        date(2023, 5, 5),  # Store Bededag, still a holiday in 2023
        date(2026, 11, 28),  # a Saturday
        date(2026, 11, 29),  # a Sunday
    ],
)
def test_holidays_days_off_and_weekends_are_not_working_days(day):
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 4, 26),  # Store Bededag would have been here: abolished from 2024
        date(2026, 5, 1),  # 1 May is not a day off for the municipality as a whole
        date(2026, 11, 27),  # an ordinary Friday
        date(2026, 12, 23),
        date(2026, 12, 30),
    ],
)
def test_ordinary_weekdays_are_working_days(day):
    assert is_working_day(day)


def test_store_bededag_is_a_working_day_from_2024():
    # The fourth Friday after Easter: 5 May 2023 (a holiday), 16 May 2025 (an ordinary Friday).
    assert not is_working_day(date(2023, 5, 5))
    assert is_working_day(date(2025, 5, 16))
    assert add_working_days(cph(2025, 5, 15), 1) == due(2025, 5, 16)


def test_the_extra_days_off_follow_the_setting(settings):
    settings.WORKING_DAYS_EXTRA_DAYS_OFF = [(5, 1)]
    assert not is_working_day(date(2026, 5, 1))
    assert is_working_day(date(2026, 6, 5))


def test_a_submission_on_friday_evening_is_due_on_tuesday():
    assert add_working_days(cph(2026, 11, 27, 21, 30), 2) == due(2026, 12, 1)


def test_the_day_of_the_start_never_counts_whatever_the_hour():
    assert add_working_days(cph(2026, 11, 23, 0, 5), 2) == due(2026, 11, 25)
    assert add_working_days(cph(2026, 11, 23, 23, 55), 2) == due(2026, 11, 25)


def test_the_deadline_is_in_copenhagen_dates_not_utc():
    # 23:30 UTC on Friday is already Saturday in Copenhagen: Monday and Tuesday count.
    late_friday_utc = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert add_working_days(late_friday_utc, 1) == due(2026, 11, 30)
    assert add_working_days(late_friday_utc, 1).tzinfo is not None


def test_deadlines_skip_easter():
    # Confirmed on Wednesday 1 April 2026: Thursday, Friday, Monday of Easter are off.
    assert add_working_days(cph(2026, 4, 1), 1) == due(2026, 4, 7)
    assert add_working_days(cph(2026, 4, 1), 2) == due(2026, 4, 8)


def test_deadlines_skip_ascension_and_whit_monday():
    assert add_working_days(cph(2026, 5, 13), 1) == due(2026, 5, 15)
    assert add_working_days(cph(2026, 5, 22), 1) == due(2026, 5, 26)


def test_deadlines_skip_grundlovsdag():
    assert add_working_days(cph(2026, 6, 4), 1) == due(2026, 6, 8)


def test_deadlines_skip_christmas_and_new_year():
    # 23 Dec 2026 (Wednesday): 24, 25 off, weekend, 28, 29, 30 work, 31 and 1 Jan off.
    assert add_working_days(cph(2026, 12, 23), 1) == due(2026, 12, 28)
    assert add_working_days(cph(2026, 12, 23), 4) == due(2027, 1, 4)


def test_twenty_working_days_across_easter():
    # From Monday 30 March 2026: four days of Easter holidays stretch 20 working days to 30 April.
    assert add_working_days(cph(2026, 3, 30), 20) == due(2026, 4, 30)


def test_zero_days_is_the_end_of_the_day_or_of_the_next_working_day():
    assert add_working_days(cph(2026, 11, 26), 0) == due(2026, 11, 26)
    assert add_working_days(cph(2026, 11, 28), 0) == due(2026, 11, 30)


def test_negative_days_and_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_working_days(cph(2026, 11, 26), -1)
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 11, 26, 12, 0), 1)


def test_working_days_between_counts_days_after_the_start_up_to_the_end():
    assert working_days_between(cph(2026, 11, 23), cph(2026, 11, 23, 16)) == 0
    assert working_days_between(cph(2026, 11, 27, 18), cph(2026, 11, 30, 9)) == 1
    assert working_days_between(cph(2026, 12, 23), cph(2027, 1, 4)) == 4
    assert working_days_between(cph(2026, 11, 30), cph(2026, 11, 23)) == 0


@pytest.mark.parametrize("days", [1, 2, 5, 20, 60])
@pytest.mark.parametrize(
    "start", [cph(2026, 3, 27, 20), cph(2026, 12, 22, 9), cph(2023, 5, 4, 10), cph(2026, 6, 3)]
)
def test_working_days_between_undoes_add_working_days(start, days):
    assert working_days_between(start, add_working_days(start, days)) == days
