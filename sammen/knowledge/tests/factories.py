"""Factories and personas for the knowledge site's tests."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from sammen.accounts.models import Role, RoleAssignment
from sammen.core.tests.factories import UserFactory, department
from sammen.knowledge.models import Entry, EntryVersion, Kind, Status
from sammen.knowledge.search import stems_for_entry


def make_entry(
    *,
    title: str = "Walk-and-talk med unge",
    kind: str = Kind.METHOD,
    status: str = Status.PUBLISHED,
    owner: Any = None,
    departments: list | None = None,
    principles: list | None = None,
    topics: list | None = None,
    **fields: Any,
) -> Entry:
    """An entry written as the services write one: with its stems and a first version."""
    fields.setdefault("summary", "En metode til dialog i lokalområdet.")
    if kind == Kind.METHOD:
        fields.setdefault("purpose", "At høre borgerne.")
        fields.setdefault("steps", "1. Planlæg\n2. Gå")
    if kind == Kind.EXAMPLE:
        fields.setdefault("outcome", "Pladsen blev ombygget.")
    if status == Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - timedelta(days=10))
        fields.setdefault("review_due", timezone.localdate() + timedelta(days=300))
        fields.setdefault("last_reviewed_at", fields["published_at"])
    fields.setdefault("slug", "x")
    entry = Entry(title=title, kind=kind, status=status, owner=owner or UserFactory(), **fields)
    entry.search_stems = stems_for_entry(entry)
    entry.save()
    entry.departments.set(departments if departments is not None else [department("TMF")])
    if principles:
        entry.principles.set(principles)
    if topics:
        entry.topics.set(topics)
    EntryVersion.objects.create(
        entry=entry,
        number=1,
        action=EntryVersion.Action.CREATED,
        status=status,
        content={"title": title, "summary": entry.summary, "body": entry.body},
    )
    return entry


def consultant(abbreviation: str = "TMF", **kwargs: Any) -> Any:
    user = UserFactory(departments=[department(abbreviation)], **kwargs)
    RoleAssignment.objects.create(
        user=user, role=Role.CONSULTANT, department=department(abbreviation)
    )
    return user


def central(role: str) -> Any:
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=role)
    return user
