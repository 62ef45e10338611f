"""The knowledge base's indicators of the yearly report, on a small last year worked out by hand."""

from datetime import date, datetime

import pytest
from django.utils import timezone, translation

from sammen.core.tests.factories import department
from sammen.core.workdays import COPENHAGEN
from sammen.knowledge.models import EntryVersion, Kind, Status
from sammen.knowledge.tests.factories import consultant
from sammen.knowledge.tests.test_figures import entry
from sammen.reporting.indicators import Period, get

pytestmark = pytest.mark.django_db

KEYS = (
    "knowledge.entries_published",
    "knowledge.entries_updated",
    "knowledge.entries_out_of_date",
    "knowledge.consultants",
)
A = EntryVersion.Action


def last_year() -> int:
    return timezone.localdate().year - 1


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, tzinfo=COPENHAGEN)


def measure(key: str, year: int | None = None):
    return get(key).measure(Period.year(year or last_year()))


@pytest.fixture
def year() -> None:
    """A method published in February and edited in May; a guide published the year before whose
    review date passed in June; one consultant in TMF."""
    y = last_year()
    entry(
        Kind.METHOD,
        [
            (at(y, 2, 1), A.PUBLISHED, Status.PUBLISHED, date(y + 1, 2, 1)),
            (at(y, 5, 1), A.EDITED, Status.PUBLISHED, date(y + 1, 2, 1)),
        ],
    )
    entry(Kind.GUIDE, [(at(y - 1, 6, 1), A.PUBLISHED, Status.PUBLISHED, date(y, 6, 1))])
    consultant("TMF")


def test_entries_published_updated_and_out_of_date_by_kind(year):
    with translation.override("en"):
        published = measure("knowledge.entries_published")
        updated = measure("knowledge.entries_updated")
        stale = measure("knowledge.entries_out_of_date")
    assert published.value == 1
    assert dict(published.breakdown) == {
        "Inspiration": 0,
        "Guide": 0,
        "Method or tool": 1,
        "Dialogue example": 0,
    }
    assert updated.value == 1
    assert dict(updated.breakdown)["Method or tool"] == 1
    assert stale.value == 1
    assert dict(stale.breakdown)["Guide"] == 1
    assert stale.note == "of 2 published entries"
    assert get("knowledge.entries_out_of_date").higher_is_better is False


def test_consultants_per_department(year):
    result = measure("knowledge.consultants")
    assert result.value == 1
    assert dict(result.breakdown)[department("TMF").name] == 1
    assert dict(result.breakdown)[department("BUF").name] == 0
    assert result.note  # the date they were counted on


def test_an_empty_year_has_no_data(year):
    for key in KEYS:
        assert not measure(key, last_year() - 5).has_data, key
