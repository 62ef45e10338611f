"""Reads of ideas for the pages and jobs to come: each returns a queryset with a fixed number of
queries whatever the number of ideas (related rows are joined or prefetched here, not per row)."""

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from sammen.ideas.models import Handover, Idea, TimelineEntry
from sammen.ideas.states import OWNED_STATES, State


def idea_by_tracking_token(token: str) -> Idea | None:
    """The idea behind a citizen's private link, or None (never tell which tokens exist)."""
    if not token or len(token) > 64:
        return None
    return (
        Idea.objects.select_related("lead_department", "handler")
        .filter(tracking_token=token)
        .first()
    )


def ideas_awaiting_triage() -> QuerySet[Idea]:
    """The coordinators' queue: confirmed, untriaged ideas, oldest first."""
    return Idea.objects.filter(state=State.RECEIVED).order_by("confirmed_at", "pk")


def ideas_open() -> QuerySet[Idea]:
    return Idea.objects.filter(state__in=[State.RECEIVED, *OWNED_STATES])


def ideas_for_department(department_id: int) -> QuerySet[Idea]:
    """Open ideas a department leads or is involved in."""
    return (
        ideas_open()
        .filter(Q(lead_department_id=department_id) | Q(involved_departments=department_id))
        .distinct()
        .select_related("lead_department", "handler", "coordinator")
    )


def ideas_overdue_acknowledgement(now: datetime | None = None) -> QuerySet[Idea]:
    return Idea.objects.filter(state=State.RECEIVED, acknowledge_due__lt=now or timezone.now())


def ideas_overdue_answer(now: datetime | None = None) -> QuerySet[Idea]:
    """Owned ideas with no first answer after the answer deadline. An idea waiting for the
    citizen is not overdue: its clock stands still."""
    return Idea.objects.filter(
        state__in=[s for s in OWNED_STATES if s != State.WAITING_FOR_CITIZEN],
        first_answered_at__isnull=True,
        answer_due__lt=now or timezone.now(),
    )


def handovers_pending(department_id: int | None = None) -> QuerySet[Handover]:
    qs = Handover.objects.filter(status=Handover.Status.PENDING).select_related(
        "idea", "from_department", "to_department"
    )
    if department_id is not None:
        qs = qs.filter(to_department_id=department_id)
    return qs


def handovers_overdue(now: datetime | None = None) -> QuerySet[Handover]:
    return handovers_pending().filter(due_at__lt=now or timezone.now())


def public_timeline(idea: Idea) -> QuerySet[TimelineEntry]:
    """What the citizen sees: entries with a public message, never internal notes."""
    return (
        TimelineEntry.objects.filter(idea=idea)
        .exclude(public_message="")
        .only("at", "kind", "from_state", "to_state", "public_message")
    )


def staff_timeline(idea: Idea) -> QuerySet[TimelineEntry]:
    """Every entry, for staff allowed to see internal notes (the view checks who)."""
    return TimelineEntry.objects.filter(idea=idea).select_related("by")


def ideas_with_timeline(ids: list[int]) -> QuerySet[Idea]:
    return Idea.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("timeline", queryset=TimelineEntry.objects.select_related("by"))
    )
