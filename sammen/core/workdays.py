"""Danish working days: the calendar every staff deadline is counted in (DESIGN §5, "Time").

A working day is a weekday (Monday-Friday) that is neither a Danish public holiday nor one of the
days the municipality treats as a day off.

- Public holidays come from the `holidays` package (`country_holidays("DK")`): New Year's Day,
  Maundy Thursday, Good Friday, Easter Sunday and Monday, Ascension Day, Whit Sunday and Monday,
  Christmas Day and Boxing Day, and Store Bededag up to 2023 only (the Folketing abolished it as a
  holiday from 2024, and the package follows the law).
- The package does not count Constitution Day (Grundlovsdag, 5 June), Christmas Eve (24 December)
  or New Year's Eve (31 December) as public holidays, yet the municipality's offices are closed on
  them by agreement, so a deadline must not fall on them either. They are listed in
  DEFAULT_EXTRA_DAYS_OFF and can be changed with the setting `WORKING_DAYS_EXTRA_DAYS_OFF`, a list
  of (month, day) pairs. 1 May (the package's optional "Arbejdernes kampdag") is deliberately not a
  day off: it is not one for the municipality as a whole.

Deadlines are counted in Copenhagen local dates and fall at the end of the working day
(23:59:59 Europe/Copenhagen), returned as timezone-aware datetimes (stored in UTC by Django).
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

# Days off by agreement in the municipality that are not public holidays by law: Grundlovsdag,
# Christmas Eve and New Year's Eve (month, day).
DEFAULT_EXTRA_DAYS_OFF: tuple[tuple[int, int], ...] = ((6, 5), (12, 24), (12, 31))

# The last second of a working day: a deadline "within 2 working days" may be met until then.
END_OF_WORKING_DAY = time(23, 59, 59)

# A deadline that counts more working days than this is a programming error, not a calendar.
_MAX_DAYS = 3650


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DK", years=year))


def _extra_days_off() -> tuple[tuple[int, int], ...]:
    return tuple(
        tuple(pair)
        for pair in getattr(settings, "WORKING_DAYS_EXTRA_DAYS_OFF", DEFAULT_EXTRA_DAYS_OFF)
    )


def is_working_day(day: date) -> bool:
    """Whether staff work on this (Copenhagen) date: a weekday, not a holiday, not a day off."""
    if isinstance(day, datetime):
        raise TypeError("is_working_day takes a date; use local_date() on a datetime first")
    if day.weekday() >= 5:
        return False
    if day in _public_holidays(day.year):
        return False
    return (day.month, day.day) not in _extra_days_off()


def local_date(moment: datetime) -> date:
    """The Copenhagen calendar date of an aware datetime (naive ones are refused)."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no place in a deadline; use an aware one")
    return moment.astimezone(COPENHAGEN).date()


def end_of_day(day: date) -> datetime:
    """23:59:59 Copenhagen time on this date, timezone-aware."""
    return datetime.combine(day, END_OF_WORKING_DAY, tzinfo=COPENHAGEN)


def add_working_days(start: datetime, days: int) -> datetime:
    """The deadline `days` working days after `start`: the end of that working day in Copenhagen.

    The day of `start` itself never counts, whatever the hour: an idea confirmed on Monday at
    08:00 or at 22:00 with 2 working days is due at the end of Wednesday, and one confirmed on a
    Friday evening at the end of Tuesday. With 0 days the deadline is the end of `start`'s own day
    when that is a working day, otherwise the end of the next working day.
    """
    if days < 0 or days > _MAX_DAYS:
        raise ValueError(f"days must be between 0 and {_MAX_DAYS}")
    day = local_date(start)
    if days == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return end_of_day(day)
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return end_of_day(day)


def working_days_between(start: datetime, end: datetime) -> int:
    """How many working days lie after `start`'s date up to and including `end`'s date.

    Counted the same way as add_working_days, so that
    `working_days_between(s, add_working_days(s, n)) == n`. Zero when `end` is on the same day as
    or before `start`. Used to extend a deadline by the working days its clock was stopped.
    """
    first, last = local_date(start), local_date(end)
    count = 0
    day = first + timedelta(days=1)
    while day <= last:
        if is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count
