"""Reads for the knowledge site. Every list runs a fixed number of queries: related rows are
prefetched, one query per relation, whatever the number of entries."""

from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from sammen.accounts.models import Role, RoleAssignment, User
from sammen.core.models import Department
from sammen.core.search import stems
from sammen.knowledge.models import Entry, EntryTargetGroup, Kind, Status
from sammen.knowledge.search import search_entries

# How many related entries an entry page shows.
RELATED_SIZE = 5


def published_entries() -> QuerySet[Entry]:
    return Entry.objects.filter(status=Status.PUBLISHED)


def with_card_related(qs: QuerySet[Entry]) -> QuerySet[Entry]:
    """What an entry card shows: principles, departments and target groups."""
    return qs.prefetch_related("principles", "departments", "target_group_rows")


def public_examples() -> QuerySet[Entry]:
    """Dialogue examples shown on the public site as "what came of it"."""
    return Entry.objects.filter(is_public=True, status=Status.PUBLISHED, kind=Kind.EXAMPLE)


def filter_entries(qs: QuerySet[Entry], data: dict[str, Any]) -> QuerySet[Entry]:
    """Narrow by the list form's cleaned data. Within one filter any value matches (OR); across
    filters all must (AND). Tags are matched with EXISTS, so no row is repeated."""
    if data.get("kind"):
        qs = qs.filter(kind__in=data["kind"])
    for name in ("principles", "departments", "topics"):
        chosen = data.get(name[:-1])
        if chosen:
            through = Entry._meta.get_field(name).remote_field.through
            column = f"{Entry._meta.get_field(name).related_model._meta.model_name}_id"
            qs = qs.filter(
                Exists(
                    through.objects.filter(
                        entry_id=OuterRef("pk"), **{f"{column}__in": [c.pk for c in chosen]}
                    )
                )
            )
    if data.get("target_group"):
        qs = qs.filter(
            Exists(
                EntryTargetGroup.objects.filter(
                    entry_id=OuterRef("pk"), group__in=data["target_group"]
                )
            )
        )
    query = (data.get("q") or "").strip()
    if query:
        return search_entries(qs, query, rank=True)
    return qs.order_by("-published_at", "-pk")


def related_entries(entry: Entry, *, limit: int = RELATED_SIZE) -> list[Entry]:
    """Published entries sharing the most tags (principles, topics, departments) with this one."""
    principles = [p.pk for p in entry.principles.all()]
    topics = [t.pk for t in entry.topics.all()]
    departments = [d.pk for d in entry.departments.all()]
    if not (principles or topics or departments):
        return []
    qs = (
        published_entries()
        .exclude(pk=entry.pk)
        .filter(
            Q(principles__in=principles) | Q(topics__in=topics) | Q(departments__in=departments)
        )
        .values("pk")
        .annotate(
            shared=Count("principles", filter=Q(principles__in=principles), distinct=True)
            + Count("topics", filter=Q(topics__in=topics), distinct=True)
            + Count("departments", filter=Q(departments__in=departments), distinct=True)
        )
        .order_by("-shared", "-pk")[:limit]
    )
    order = [row["pk"] for row in qs]
    rows = {
        e.pk: e for e in Entry.objects.filter(pk__in=order).only("pk", "title", "kind", "summary")
    }
    return [rows[pk] for pk in order if pk in rows]


def stale_entries(today: date) -> QuerySet[Entry]:
    """Published entries whose review date has passed, the longest overdue first."""
    return (
        published_entries()
        .filter(review_due__lt=today)
        .select_related("owner")
        .prefetch_related("departments")
        .order_by("review_due", "pk")
    )


def entries_to_review(user: Any, *, consultant_departments: frozenset[int], central: bool):
    """Entries awaiting review that this user may review (their departments, or untagged ones)."""
    qs = Entry.objects.filter(status=Status.IN_REVIEW)
    if not central:
        through = Entry.departments.through
        mine = Exists(
            through.objects.filter(
                entry_id=OuterRef("pk"), department_id__in=consultant_departments
            )
        )
        untagged = ~Exists(through.objects.filter(entry_id=OuterRef("pk")))
        qs = qs.filter(mine | untagged)
    return qs.select_related("owner").prefetch_related("departments").order_by("updated_at", "pk")


def consultant_directory(*, query: str = "", department: Department | None = None) -> list[dict]:
    """Each department with its active dialogue consultants (and their profiles), in name order.

    `query` searches names, titles and areas of expertise by Danish stems, so "unge" finds a
    consultant for "ung" and "unges"; every word must match.
    """
    assignments = RoleAssignment.objects.filter(role=Role.CONSULTANT, user__is_active=True)
    if department is not None:
        assignments = assignments.filter(department=department)
    users = User.objects.filter(pk__in=assignments.values("user_id")).select_related(
        "consultant_profile"
    )
    for word_stem in dict.fromkeys(stems(query)):
        users = users.filter(consultant_profile__search_stems__contains=word_stem)
    by_pk = {u.pk: u for u in users.order_by("first_name", "last_name", "pk")}
    departments = Department.objects.order_by("name_da")
    if department is not None:
        departments = departments.filter(pk=department.pk)
    groups = {d.pk: {"department": d, "consultants": []} for d in departments}
    for user_id, department_id in assignments.order_by(
        "user__first_name", "user__last_name", "user_id"
    ).values_list("user_id", "department_id"):
        if user_id in by_pk and department_id in groups:
            groups[department_id]["consultants"].append(by_pk[user_id])
    return [g for g in groups.values() if g["consultants"] or not query]


def principle_entries(principle: Any, kind: str, limit: int) -> list[Entry]:
    return list(
        with_card_related(
            published_entries()
            .filter(kind=kind, principles=principle)
            .order_by("-published_at", "-pk")
        )[:limit]
    )


def prefetch_detail(qs: QuerySet[Entry]) -> QuerySet[Entry]:
    """Everything the entry page shows about an entry."""
    from sammen.participation.models import Opportunity

    return qs.select_related("owner", "district", "method_used", "best_principle").prefetch_related(
        "principles",
        "departments",
        "topics",
        "target_group_rows",
        "attachments",
        Prefetch("opportunities", queryset=Opportunity.objects.only("pk", "title", "slug")),
    )
