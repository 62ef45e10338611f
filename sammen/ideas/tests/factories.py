"""Ideas in any state, made through the services (never by writing rows), plus staff personas."""

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from sammen.accounts.models import Role, RoleAssignment, User
from sammen.core.tests.factories import UserFactory, department
from sammen.ideas import services
from sammen.ideas.models import Idea
from sammen.ideas.states import Outcome, State


def coordinator_user(**kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    return user


def staff_user(abbreviation: str = "TMF", **kwargs: Any) -> User:
    return UserFactory(departments=[department(abbreviation)], **kwargs)


def submitted_idea(*, now: datetime | None = None, **kwargs: Any) -> Idea:
    data: dict[str, Any] = {
        "title": "Bænke langs Søerne",
        "description": "Flere bænke langs Sortedams Sø, så ældre kan hvile på turen.",
        "contact_name": "Karen Hansen",
        "email": "karen@example.org",
        "consent_contact": True,
    }
    data.update(kwargs)
    return services.idea_submit(now=now, **data)


def idea_in(
    state: str,
    *,
    coordinator: User,
    lead: str = "TMF",
    now: datetime | None = None,
) -> Idea:
    """An idea brought to `state` along the usual path (closed: realised after an answer)."""
    now = now or timezone.now()
    idea = submitted_idea(now=now - timedelta(hours=1))
    if state == State.AWAITING_CONFIRMATION:
        return idea
    idea = services.idea_confirm(idea=idea, now=now)
    if state == State.RECEIVED:
        return idea
    idea = services.idea_transition(
        idea=idea,
        to_state=State.TRIAGED,
        by=coordinator,
        lead_department=department(lead),
        coordinator=coordinator,
        now=now,
    )
    if state == State.TRIAGED:
        return idea
    idea = services.idea_transition(idea=idea, to_state=State.IN_PROGRESS, by=coordinator, now=now)
    if state == State.IN_PROGRESS:
        return idea
    if state == State.WAITING_FOR_CITIZEN:
        return services.idea_transition(
            idea=idea,
            to_state=State.WAITING_FOR_CITIZEN,
            by=coordinator,
            public_message="Hvor præcis tænker du?",
            now=now,
        )
    idea = services.idea_transition(
        idea=idea, to_state=State.ANSWERED, by=coordinator, public_message="Svar.", now=now
    )
    if state == State.ANSWERED:
        return idea
    return services.idea_transition(
        idea=idea,
        to_state=State.CLOSED,
        by=coordinator,
        outcome=Outcome.REALISED,
        public_message="Bænkene kommer til foråret.",
        now=now,
    )
