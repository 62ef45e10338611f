"""The knowledge demo: consultants for every department and entries whose history is dated as it
happened, so the yearly report finds entries first published, edited and reviewed last year and
entries past their review date; the first few entries the year before last, to compare with."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from sammen.core.models import Department
from sammen.core.workdays import COPENHAGEN
from sammen.knowledge.demo import ENTRIES, knowledge_seed
from sammen.knowledge.figures import knowledge_figures
from sammen.knowledge.models import ConsultantProfile, Entry, EntryVersion, Status

pytestmark = pytest.mark.django_db

Action = EntryVersion.Action


def _last_year(now: datetime) -> tuple[datetime, datetime]:
    year = timezone.localdate(now).year - 1
    return (
        datetime(year, 1, 1, tzinfo=COPENHAGEN),
        datetime(year + 1, 1, 1, tzinfo=COPENHAGEN),
    )


@pytest.mark.parametrize("today", [None, (1, 15), (7, 1), (12, 20)])
def test_last_year_has_published_edited_and_overdue_entries(today):
    now = (
        timezone.now()
        if today is None
        else datetime(timezone.localdate().year, *today, 12, tzinfo=COPENHAGEN)
    )
    assert knowledge_seed(now=now) == len(ENTRIES)
    since, until = _last_year(now)
    published = Entry.objects.filter(status=Status.PUBLISHED)
    assert published.filter(published_at__gte=since, published_at__lt=until).count() >= 5
    edits = EntryVersion.objects.filter(action=Action.EDITED, at__gte=since, at__lt=until)
    assert edits.count() >= 2 and all(v.note for v in edits)
    assert published.filter(review_due__lt=timezone.localdate(now)).count() >= 3
    assert published.filter(review_due__gte=timezone.localdate(now)).exists()
    _the_year_before_last(now)
    # Every department has a dialogue consultant with a profile.
    assert set(
        ConsultantProfile.objects.values_list("user__departments__abbreviation", flat=True)
    ) >= set(Department.objects.values_list("abbreviation", flat=True))


def _the_year_before_last(now):
    """The first entries were published the year before last whatever the date, their versions
    dated then; the report on last year finds the two left unreviewed out of date at its end."""
    year = timezone.localdate(now).year - 2
    first = [item["title"] for item in ENTRIES if item.get("published_in")]
    assert len(first) >= 3
    assert all(
        e.published_at.astimezone(COPENHAGEN).year == year
        for e in Entry.objects.filter(title__in=first)
    )
    assert EntryVersion.objects.filter(
        entry__title__in=first, action=Action.PUBLISHED, at__year=year
    ).count() == len(first)
    before = knowledge_figures(date(year, 1, 1), date(year, 12, 31), now=now)
    last = knowledge_figures(date(year + 1, 1, 1), date(year + 1, 12, 31), now=now)
    assert before.has_data and before.published >= len(first) and before.out_of_date == 0
    assert last.out_of_date >= 2 and last.published_at_end > before.published_at_end


def test_each_history_is_in_order_and_in_the_past():
    now = timezone.now()
    knowledge_seed(now=now)
    for entry in Entry.objects.prefetch_related("versions"):
        versions = sorted(entry.versions.all(), key=lambda v: v.number)
        moments = [v.at for v in versions]
        assert moments == sorted(moments) and moments[-1] < now, entry.title
        assert entry.created_at == moments[0] and entry.updated_at == moments[-1]
        if entry.status == Status.PUBLISHED:
            first = next(v for v in versions if v.action == Action.PUBLISHED)
            assert entry.published_at == first.at
            assert entry.last_reviewed_at >= entry.published_at
            assert entry.review_due > timezone.localdate(entry.published_at)
            # The latest version recorded the review date the entry has.
            assert versions[-1].content["review_due"] == entry.review_due.isoformat()
        edits = [v for v in versions if v.action == Action.EDITED]
        for edit in edits:  # an edit added text that the published version did not have
            before = versions[versions.index(edit) - 1]
            assert len(str(edit.content)) > len(str(before.content))
    assert knowledge_seed(now=now) == 0
