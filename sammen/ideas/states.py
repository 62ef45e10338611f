"""The life of an idea as data: its states, its closing outcomes and the transitions allowed.

Nothing but `services.idea_transition` (and the services built on it) changes an idea's state,
and it refuses every move that is not in TRANSITIONS. The table is the single source of truth:
the tests generate "every allowed move works, every other is refused" from it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting confirmation")
    RECEIVED = "received", _("Received")
    TRIAGED = "triaged", _("Triaged")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_FOR_CITIZEN = "waiting_for_citizen", _("Waiting for the citizen")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    REALISED = "realised", _("Realised or supported")
    REFERRED = "referred", _("Referred to a channel")
    SOLUTION_LAB = "solution_lab", _("Taken to a solution lab")
    NOT_POSSIBLE = "not_possible", _("Not possible")
    SPAM = "spam", _("Spam")
    DUPLICATE = "duplicate", _("Duplicate")


# States in which the idea is owned: exactly one lead department and one coordinator (issue §2).
OWNED_STATES = frozenset(
    {State.TRIAGED, State.IN_PROGRESS, State.WAITING_FOR_CITIZEN, State.ANSWERED}
)
# States in which the idea is being handled and can be handed over to another department.
OPEN_STATES = frozenset({State.RECEIVED}) | OWNED_STATES

# Outcomes a coordinator may give straight from triage, before any department owns the idea.
TRIAGE_OUTCOMES = frozenset({Outcome.REFERRED, Outcome.SPAM, Outcome.DUPLICATE})
# Outcomes that are a department's answer, so the idea must have had a lead department.
DEPARTMENT_OUTCOMES = frozenset(Outcome) - TRIAGE_OUTCOMES
# Every outcome but spam is explained to the citizen (a spammer is told nothing).
OUTCOMES_WITHOUT_MESSAGE = frozenset({Outcome.SPAM})

# The allowed moves. Confirmation is the citizen's (by e-mail link); every other move is staff's.
TRANSITIONS: frozenset[tuple[State, State]] = frozenset(
    {
        (State.AWAITING_CONFIRMATION, State.RECEIVED),
        (State.RECEIVED, State.TRIAGED),
        (State.RECEIVED, State.CLOSED),  # referred, spam or duplicate, straight from triage
        (State.TRIAGED, State.IN_PROGRESS),
        (State.TRIAGED, State.WAITING_FOR_CITIZEN),
        (State.TRIAGED, State.ANSWERED),
        (State.TRIAGED, State.CLOSED),
        (State.IN_PROGRESS, State.WAITING_FOR_CITIZEN),
        (State.IN_PROGRESS, State.ANSWERED),
        (State.IN_PROGRESS, State.CLOSED),
        (State.WAITING_FOR_CITIZEN, State.IN_PROGRESS),  # the citizen replied: the clock runs again
        (State.WAITING_FOR_CITIZEN, State.CLOSED),  # the citizen never replied
        (State.ANSWERED, State.IN_PROGRESS),  # a follow-up
        (State.ANSWERED, State.WAITING_FOR_CITIZEN),
        (State.ANSWERED, State.CLOSED),
        (State.CLOSED, State.IN_PROGRESS),  # re-opening: only with a reason (services)
    }
)

# Moves only the citizen (or the system acting on the citizen's link) makes; `by` is None.
CITIZEN_TRANSITIONS = frozenset({(State.AWAITING_CONFIRMATION, State.RECEIVED)})


def is_allowed(from_state: str, to_state: str) -> bool:
    return (from_state, to_state) in TRANSITIONS


def next_states(from_state: str) -> list[State]:
    """The states an idea may move to from `from_state`, in the order of State (for buttons)."""
    return [s for s in State if (from_state, s) in TRANSITIONS]
