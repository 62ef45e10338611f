"""The state table: every allowed move works, every other is refused, and no sequence of attempts
breaks the invariants of issue §2 (generated from states.TRANSITIONS, not written out by hand)."""

import itertools
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sammen.core.tests.factories import department
from sammen.ideas import services
from sammen.ideas.models import Idea, TimelineEntry
from sammen.ideas.states import OWNED_STATES, TRANSITIONS, Outcome, State, next_states
from sammen.ideas.tests.factories import coordinator_user, idea_in, submitted_idea
from sammen.participation.tests.factories import channel

pytestmark = pytest.mark.django_db

ALL_PAIRS = list(itertools.product(State, State))


def complete_details(from_state: State, to_state: State, coordinator) -> dict[str, Any]:
    """Everything a move could require, so that only the table decides."""
    details: dict[str, Any] = {
        "public_message": "Tak for din idé.",
        "internal_note": "Begrundelse.",
    }
    if from_state == State.RECEIVED and to_state in OWNED_STATES:
        details.update(lead_department=department("TMF"), coordinator=coordinator)
    if to_state == State.CLOSED:
        if from_state == State.RECEIVED:
            details.update(outcome=Outcome.SPAM, coordinator=coordinator)
        else:
            details.update(outcome=Outcome.REALISED)
    return details


@pytest.mark.parametrize(("from_state", "to_state"), sorted(TRANSITIONS))
def test_every_allowed_transition_works(from_state, to_state):
    coordinator = coordinator_user()
    idea = idea_in(from_state, coordinator=coordinator)
    by = None if from_state == State.AWAITING_CONFIRMATION else coordinator
    moved = services.idea_transition(
        idea=idea,
        to_state=to_state,
        by=by,
        **complete_details(from_state, to_state, coordinator),
    )
    assert moved.state == to_state
    last = moved.timeline.last()
    assert (last.from_state, last.to_state) == (from_state, to_state)


@pytest.mark.parametrize(("from_state", "to_state"), [p for p in ALL_PAIRS if p not in TRANSITIONS])
def test_every_other_transition_is_refused(from_state, to_state):
    coordinator = coordinator_user()
    idea = idea_in(from_state, coordinator=coordinator)
    entries = idea.timeline.count()
    by = None if from_state == State.AWAITING_CONFIRMATION else coordinator
    with pytest.raises(ValidationError) as refused:
        services.idea_transition(
            idea=idea,
            to_state=to_state,
            by=by,
            **complete_details(from_state, to_state, coordinator),
        )
    assert refused.value.code == "transition_not_allowed"
    with translation.override("en"):
        assert f"from “{from_state.label}” to “{to_state.label}”" in refused.value.messages[0]
    idea.refresh_from_db()
    assert idea.state == from_state
    assert idea.timeline.count() == entries


def test_next_states_follow_the_table():
    for state in State:
        assert {(state, s) for s in next_states(state)} == {t for t in TRANSITIONS if t[0] == state}


def test_only_the_citizen_confirms_and_only_staff_move_on():
    coordinator = coordinator_user()
    idea = submitted_idea()
    with pytest.raises(ValidationError):
        services.idea_transition(idea=idea, to_state=State.RECEIVED, by=coordinator)
    idea = services.idea_confirm(idea=idea)
    with pytest.raises(ValidationError):
        services.idea_transition(
            idea=idea,
            to_state=State.TRIAGED,
            by=None,
            lead_department=department("TMF"),
            coordinator=coordinator,
        )


def test_triage_needs_a_lead_department_and_a_coordinator():
    coordinator = coordinator_user()
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.idea_transition(idea=idea, to_state=State.TRIAGED, by=coordinator)
    assert "lead_department" in refused.value.message_dict
    plain_staff = coordinator_user()
    plain_staff.role_assignments.all().delete()
    with pytest.raises(ValidationError) as refused:
        services.idea_transition(
            idea=idea,
            to_state=State.TRIAGED,
            by=plain_staff,
            lead_department=department("TMF"),
            coordinator=plain_staff,
        )
    assert "coordinator" in refused.value.message_dict


def test_a_coordinator_triaging_becomes_the_coordinator_by_default():
    coordinator = coordinator_user()
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    idea = services.idea_transition(
        idea=idea, to_state=State.TRIAGED, by=coordinator, lead_department=department("KFF")
    )
    assert idea.coordinator == coordinator
    assert idea.acknowledged_at is not None


def test_not_possible_needs_a_reason_and_an_alternative():
    coordinator = coordinator_user()
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.idea_transition(
            idea=idea,
            to_state=State.CLOSED,
            by=coordinator,
            outcome=Outcome.NOT_POSSIBLE,
            public_message="Det kan vi desværre ikke.",
            outcome_alternatives="  \n ",
        )
    assert set(refused.value.message_dict) >= {"outcome_reason", "outcome_alternatives"}
    closed = services.idea_transition(
        idea=idea,
        to_state=State.CLOSED,
        by=coordinator,
        outcome=Outcome.NOT_POSSIBLE,
        public_message="Det kan vi desværre ikke.",
        outcome_reason="Arealet er fredet.",
        outcome_alternatives="Søg Nørrebro Lokaludvalgs pulje",
    )
    assert closed.alternatives == ["Søg Nørrebro Lokaludvalgs pulje"]


def test_referred_needs_a_channel_or_an_opportunity():
    from sammen.participation.tests.factories import OpportunityFactory

    coordinator = coordinator_user()
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.idea_transition(
            idea=idea,
            to_state=State.CLOSED,
            by=coordinator,
            outcome=Outcome.REFERRED,
            public_message="Brug høringen.",
        )
    assert "referred_channel" in refused.value.message_dict
    opportunity = OpportunityFactory()
    closed = services.idea_transition(
        idea=idea,
        to_state=State.CLOSED,
        by=coordinator,
        outcome=Outcome.REFERRED,
        referred_opportunity=opportunity,
        public_message="Brug høringen.",
    )
    assert closed.referred_channel == opportunity.channel
    assert closed.lead_department is None  # referred straight from triage


def test_before_triage_only_referral_spam_or_duplicate_close_an_idea():
    coordinator = coordinator_user()
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.idea_transition(
            idea=idea,
            to_state=State.CLOSED,
            by=coordinator,
            outcome=Outcome.REALISED,
            public_message="Klaret.",
        )
    assert "outcome" in refused.value.message_dict


def test_closing_needs_an_outcome_and_a_message_except_for_spam():
    coordinator = coordinator_user()
    idea = idea_in(State.ANSWERED, coordinator=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.idea_transition(idea=idea, to_state=State.CLOSED, by=coordinator)
    assert "outcome" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.idea_transition(
            idea=idea, to_state=State.CLOSED, by=coordinator, outcome=Outcome.DUPLICATE
        )
    assert "public_message" in refused.value.message_dict
    spam = services.idea_transition(
        idea=idea_in(State.RECEIVED, coordinator=coordinator),
        to_state=State.CLOSED,
        by=coordinator,
        outcome=Outcome.SPAM,
    )
    assert spam.outcome == Outcome.SPAM


def test_an_outcome_is_only_given_when_closing():
    coordinator = coordinator_user()
    idea = idea_in(State.TRIAGED, coordinator=coordinator)
    with pytest.raises(ValidationError):
        services.idea_transition(
            idea=idea, to_state=State.IN_PROGRESS, by=coordinator, outcome=Outcome.REALISED
        )


def test_reopening_needs_a_reason_and_clears_the_outcome():
    coordinator = coordinator_user()
    idea = idea_in(State.CLOSED, coordinator=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.idea_transition(idea=idea, to_state=State.IN_PROGRESS, by=coordinator)
    assert "internal_note" in refused.value.message_dict
    reopened = services.idea_transition(
        idea=idea,
        to_state=State.IN_PROGRESS,
        by=coordinator,
        internal_note="Borgeren har sendt nye oplysninger.",
    )
    assert (reopened.outcome, reopened.closed_at) == ("", None)
    entry = reopened.timeline.last()
    assert entry.kind == TimelineEntry.Kind.REOPENED
    assert entry.details["previous_outcome"] == Outcome.REALISED


def test_reopening_spam_needs_a_lead_department():
    coordinator = coordinator_user()
    spam = services.idea_transition(
        idea=idea_in(State.RECEIVED, coordinator=coordinator),
        to_state=State.CLOSED,
        by=coordinator,
        outcome=Outcome.SPAM,
    )
    with pytest.raises(ValidationError) as refused:
        services.idea_transition(
            idea=spam, to_state=State.IN_PROGRESS, by=coordinator, internal_note="Fejl."
        )
    assert "lead_department" in refused.value.message_dict
    reopened = services.idea_transition(
        idea=spam,
        to_state=State.IN_PROGRESS,
        by=coordinator,
        internal_note="Ikke spam alligevel.",
        lead_department=department("BUF"),
    )
    assert reopened.lead_department == department("BUF")


def test_the_lead_department_changes_only_by_handover():
    coordinator = coordinator_user()
    idea = idea_in(State.CLOSED, coordinator=coordinator)
    with pytest.raises(ValidationError) as refused:
        services.idea_transition(
            idea=idea,
            to_state=State.IN_PROGRESS,
            by=coordinator,
            internal_note="Videre.",
            lead_department=department("BUF"),
        )
    assert "lead_department" in refused.value.message_dict


# --- Property-based: random sequences of attempted moves never break the invariants. ---

attempts = st.lists(
    st.fixed_dictionaries(
        {
            "to_state": st.sampled_from(list(State)),
            "outcome": st.sampled_from([None, *Outcome]),
            "lead": st.booleans(),
            "coordinator": st.booleans(),
            "public_message": st.sampled_from(["", "Besked til borgeren."]),
            "internal_note": st.sampled_from(["", "Intern note."]),
            "reason": st.booleans(),
            "referral": st.booleans(),
            "citizen": st.booleans(),
        }
    ),
    min_size=1,
    max_size=12,
)


def assert_invariants(idea: Idea, before_state: str, before_entries: int, moved: bool) -> None:
    if idea.state in OWNED_STATES:
        assert idea.lead_department_id is not None
        assert idea.coordinator_id is not None
    if idea.state == State.CLOSED:
        assert idea.outcome
        assert idea.closed_at is not None
        assert idea.coordinator_id is not None
    else:
        assert idea.outcome == ""
    assert (idea.clock_paused_since is not None) == (idea.state == State.WAITING_FOR_CITIZEN)
    if idea.state != State.AWAITING_CONFIRMATION:
        assert idea.reference and idea.answer_due and idea.acknowledge_due
    entries = idea.timeline.count()
    if moved:
        assert entries == before_entries + 1
        last = idea.timeline.last()
        assert (last.from_state, last.to_state) == (before_state, idea.state)
        if before_state == State.CLOSED:
            assert last.kind == TimelineEntry.Kind.REOPENED
            assert last.internal_note
    else:
        assert idea.state == before_state
        assert entries == before_entries


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(start=st.sampled_from(list(State)), sequence=attempts)
def test_no_sequence_of_attempts_breaks_the_invariants(start, sequence):
    with transaction.atomic():
        coordinator = coordinator_user()
        idea = idea_in(start, coordinator=coordinator)
        hearing = channel()
        for attempt in sequence:
            before_state, before_entries = idea.state, idea.timeline.count()
            details: dict[str, Any] = {}
            if attempt["lead"]:
                details["lead_department"] = department("TMF")
            if attempt["coordinator"]:
                details["coordinator"] = coordinator
            if attempt["outcome"] is not None:
                details["outcome"] = attempt["outcome"]
                if attempt["reason"]:
                    details["outcome_reason"] = "Begrundelse."
                    details["outcome_alternatives"] = "Et alternativ"
                if attempt["referral"]:
                    details["referred_channel"] = hearing
            try:
                idea = services.idea_transition(
                    idea=idea,
                    to_state=attempt["to_state"],
                    by=None if attempt["citizen"] else coordinator,
                    public_message=attempt["public_message"],
                    internal_note=attempt["internal_note"],
                    **details,
                )
                moved = True
            except ValidationError:
                moved = False
            idea = Idea.objects.get(pk=idea.pk)
            assert_invariants(idea, before_state, before_entries, moved)
        transaction.set_rollback(True)
