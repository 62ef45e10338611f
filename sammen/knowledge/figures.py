"""The figures about the knowledge base that the yearly report needs, for any period.

`knowledge_figures(start, end)` looks at the period from `start` to `end` (both included,
Copenhagen dates). Every save and status change of an entry writes an `EntryVersion` with the
entry's status and review date at that moment, so what the knowledge base looked like at the end
of a past period can be read back from the versions, not guessed from how the entries stand now.
A report that must not change is frozen by storing `KnowledgeFigures.as_dict()`.

Definitions (each a plain reading of the model's fields, so they can be checked by hand):
- published, by kind: entries FIRST published in the period (`Entry.published_at`, which a
  later re-publication does not move). An entry archived or unpublished since still counts: it
  was published in the period. Deleted entries are gone and cannot be counted.
- updated, by kind: entries whose published text was changed in the period: an edit or a restore
  saved while the entry was published, or a re-publication (publishing again an entry that had
  been published before, usually after it was taken back to draft and rewritten). Each entry
  counts once however often it changed; an entry first published in the period counts as updated
  too when it was changed after that. "Reviewed and still current" changes no text and is counted
  apart, in `reviewed`.
- out of date at the end, by kind: entries that at the end of the period were published and past
  their review date (the review date fell before the day after the period), each as its latest
  version before the end recorded it. For a period that has not ended yet, "the end" is now, and
  the figure is what the site shows as out of date today. `published_at_end` is the number of
  entries published at that moment, what the share out of date is taken of. An entry first
  published by then that has no version from that time (its dates were set outside the services,
  in the admin or by an import) is taken as it stands now.
- consultants per department: the active users with the dialogue-consultant role for each
  department, AS THEY ARE WHEN THE FIGURES ARE COMPUTED. Role assignments keep no history, so the
  consultants of a past period cannot be known; freezing the report keeps the figure of the day
  it was made. A consultant for two departments counts under each; `consultants` counts people.
- has_data: whether any entry had been published by the end of the period, so a report can say
  "no data" for a time before the knowledge base existed rather than show zeros.

Six queries whatever the number of entries and versions: the entries published by the end, the
versions that changed a published entry in the period, each entry's latest version before the
end, the entries published by the end without one, the consultants and the departments.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from sammen.accounts.models import Role, RoleAssignment
from sammen.core.models import Department
from sammen.core.workdays import COPENHAGEN
from sammen.knowledge.models import Entry, EntryVersion, Kind, Status

_CHANGED = (EntryVersion.Action.EDITED, EntryVersion.Action.RESTORED)


@dataclass(frozen=True)
class DepartmentConsultants:
    abbreviation: str
    name: str
    consultants: int


@dataclass(frozen=True)
class KnowledgeFigures:
    """The figures of one period; see the module's docstring for what each one means."""

    start: date
    end: date
    computed_at: datetime
    ever_published: int
    published_by_kind: dict[str, int]
    updated_by_kind: dict[str, int]
    reviewed_by_kind: dict[str, int]
    out_of_date_by_kind: dict[str, int]
    published_at_end_by_kind: dict[str, int]
    consultants: int
    consultants_by_department: tuple[DepartmentConsultants, ...]

    @property
    def published(self) -> int:
        return sum(self.published_by_kind.values())

    @property
    def updated(self) -> int:
        return sum(self.updated_by_kind.values())

    @property
    def reviewed(self) -> int:
        return sum(self.reviewed_by_kind.values())

    @property
    def out_of_date(self) -> int:
        return sum(self.out_of_date_by_kind.values())

    @property
    def published_at_end(self) -> int:
        return sum(self.published_at_end_by_kind.values())

    @property
    def has_data(self) -> bool:
        return self.ever_published > 0

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON types only (dates and times as ISO 8601), for a frozen yearly report."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "computed_at": self.computed_at.isoformat(),
            "has_data": self.has_data,
            "ever_published": self.ever_published,
            "published": self.published,
            "published_by_kind": dict(self.published_by_kind),
            "updated": self.updated,
            "updated_by_kind": dict(self.updated_by_kind),
            "reviewed": self.reviewed,
            "reviewed_by_kind": dict(self.reviewed_by_kind),
            "out_of_date": self.out_of_date,
            "out_of_date_by_kind": dict(self.out_of_date_by_kind),
            "published_at_end": self.published_at_end,
            "published_at_end_by_kind": dict(self.published_at_end_by_kind),
            "consultants": self.consultants,
            "consultants_by_department": [asdict(row) for row in self.consultants_by_department],
        }


def _period(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in Copenhagen, as aware datetimes."""
    if end < start:
        raise ValueError("the period ends before it starts")
    return (
        datetime.combine(start, time.min, tzinfo=COPENHAGEN),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=COPENHAGEN),
    )


def _by_kind(pairs: list[tuple[str, int]]) -> dict[str, int]:
    """Every kind, 0 included, from (kind, count) pairs."""
    counts = {kind.value: 0 for kind in Kind}
    for kind, n in pairs:
        counts[kind] = counts.get(kind, 0) + n
    return counts


def knowledge_figures(start: date, end: date, *, now: datetime | None = None) -> KnowledgeFigures:
    """The figures for the period from `start` to `end` (Copenhagen dates, inclusive)."""
    now = now or timezone.now()
    since, until = _period(start, end)
    at_end = min(until, now)
    # Out of date on the first day after the period (or today): the review date is before it.
    first_day_after = timezone.localtime(at_end, COPENHAGEN).date()

    entries = list(
        Entry.objects.filter(published_at__lt=until)
        .order_by()
        .values("kind")
        .annotate(total=Count("pk"), in_period=Count("pk", filter=Q(published_at__gte=since)))
    )

    earlier_publication = EntryVersion.objects.filter(
        entry_id=OuterRef("entry_id"),
        action=EntryVersion.Action.PUBLISHED,
        number__lt=OuterRef("number"),
    )
    changes = list(
        EntryVersion.objects.filter(at__gte=since, at__lt=until, status=Status.PUBLISHED)
        .alias(republished=Exists(earlier_publication))
        .filter(
            Q(action__in=_CHANGED)
            | Q(action=EntryVersion.Action.REVIEWED)
            | Q(action=EntryVersion.Action.PUBLISHED, republished=True)
        )
        .order_by()
        .values_list("entry_id", "entry__kind", "action")
        .distinct()
    )

    latest = (
        EntryVersion.objects.filter(entry_id=OuterRef("pk"), at__lt=at_end)
        .order_by("-number")
        .values("pk")[:1]
    )
    states = list(
        EntryVersion.objects.filter(
            pk__in=Entry.objects.annotate(last=Subquery(latest))
            .filter(last__isnull=False)
            .values("last")
        )
        .annotate(review_due=KeyTextTransform("review_due", "content"))
        .order_by()
        .values_list("entry__kind", "status", "review_due")
    )

    # Entries first published by then with no version that early (their dates were set outside
    # the services, e.g. in the admin or an import): as they stand now, the best there is.
    unversioned = list(
        Entry.objects.filter(published_at__lt=at_end)
        .annotate(last=Subquery(latest))
        .filter(last__isnull=True)
        .order_by()
        .values_list("kind", "status", "review_due")
    )
    states += [(kind, status, due and due.isoformat()) for kind, status, due in unversioned]

    roles = list(
        RoleAssignment.objects.filter(role=Role.CONSULTANT, user__is_active=True)
        .order_by()
        .values_list("department_id", "user_id")
    )
    departments = list(Department.objects.only("abbreviation", "name_da", "name_en"))

    updated: dict[str, set[int]] = {kind.value: set() for kind in Kind}
    reviewed: dict[str, set[int]] = {kind.value: set() for kind in Kind}
    for entry_id, kind, action in changes:
        target = reviewed if action == EntryVersion.Action.REVIEWED else updated
        target.setdefault(kind, set()).add(entry_id)
    published_at_end = [kind for kind, status, _due in states if status == Status.PUBLISHED]
    out_of_date = [
        kind
        for kind, status, due in states
        if status == Status.PUBLISHED and due and date.fromisoformat(due) < first_day_after
    ]
    per_department: dict[int, set[int]] = {}
    for department_id, user_id in roles:
        per_department.setdefault(department_id, set()).add(user_id)

    return KnowledgeFigures(
        start=start,
        end=end,
        computed_at=now,
        ever_published=sum(row["total"] for row in entries),
        published_by_kind=_by_kind([(row["kind"], row["in_period"]) for row in entries]),
        updated_by_kind={kind: len(ids) for kind, ids in updated.items()},
        reviewed_by_kind={kind: len(ids) for kind, ids in reviewed.items()},
        out_of_date_by_kind=_by_kind([(kind, 1) for kind in out_of_date]),
        published_at_end_by_kind=_by_kind([(kind, 1) for kind in published_at_end]),
        consultants=len({user_id for _department, user_id in roles}),
        consultants_by_department=tuple(
            DepartmentConsultants(
                abbreviation=d.abbreviation,
                name=d.name,
                consultants=len(per_department.get(d.pk, ())),
            )
            for d in departments
        ),
    )
