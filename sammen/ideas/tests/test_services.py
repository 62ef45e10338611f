"""Submitting, confirming, deadlines, the stopped clock, handovers and the timeline."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sammen.core.tests.factories import department, district, topic
from sammen.core.workdays import COPENHAGEN
from sammen.ideas import selectors, services
from sammen.ideas.models import Handover, HelpNeeded, Idea, TimelineEntry, YearCounter
from sammen.ideas.states import Outcome, State
from sammen.ideas.tests.factories import coordinator_user, idea_in, staff_user, submitted_idea

pytestmark = pytest.mark.django_db


def cph(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=COPENHAGEN)


def end_of(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 23, 59, 59, tzinfo=COPENHAGEN)


def number(reference: str) -> int:
    return int(reference.rsplit("-", 1)[1])


# --- Submitting and confirming ---


def test_a_submitted_idea_waits_for_confirmation_without_a_reference():
    idea = submitted_idea(
        districts=[district(3)],
        topics=[topic()],
        help_needed=[HelpNeeded.PLACE, HelpNeeded.FUNDING, HelpNeeded.PLACE],
    )
    assert idea.state == State.AWAITING_CONFIRMATION
    assert idea.reference is None
    assert idea.help_needed == ["place", "funding"]
    assert len(idea.tracking_token) >= 40
    assert list(idea.timeline.values_list("kind", flat=True)) == [TimelineEntry.Kind.SUBMITTED]


def test_an_idea_without_consent_to_be_contacted_is_refused():
    with pytest.raises(ValidationError) as refused:
        submitted_idea(consent_contact=False)
    assert "consent_contact" in refused.value.message_dict
    assert not Idea.objects.exists()


def test_unknown_kinds_of_help_are_refused():
    with pytest.raises(ValidationError) as refused:
        submitted_idea(help_needed=["a pony"])
    assert "help_needed" in refused.value.message_dict


def test_confirming_gives_a_reference_and_the_deadlines():
    # Confirmed on Wednesday 23 December 2026: Christmas, the weekend and New Year are days off.
    idea = submitted_idea(now=cph(2026, 12, 23, 9))
    idea = services.idea_confirm(idea=idea, now=cph(2026, 12, 23, 10))
    assert idea.state == State.RECEIVED
    assert idea.reference.startswith("IDE-2026-")
    assert idea.confirmed_at == cph(2026, 12, 23, 10)
    assert idea.acknowledge_due == end_of(2026, 12, 29)
    # 20 working days: 28-30 December (3), then 4-26 January 2027 less weekends (17).
    assert idea.answer_due == end_of(2027, 1, 26)
    assert idea.timeline.last().kind == TimelineEntry.Kind.CONFIRMED


def test_deadlines_across_easter_and_grundlovsdag(settings):
    settings.IDEAS_ACKNOWLEDGE_WORKING_DAYS = 3
    settings.IDEAS_ANSWER_WORKING_DAYS = 10
    easter = services.idea_confirm(
        idea=submitted_idea(now=cph(2026, 4, 1, 8)), now=cph(2026, 4, 1, 20)
    )
    # Thursday, Friday and Monday of Easter are off: 7, 8, 9 April; then 10, 13-17, 20 April.
    assert easter.acknowledge_due == end_of(2026, 4, 9)
    assert easter.answer_due == end_of(2026, 4, 20)
    june = services.idea_confirm(idea=submitted_idea(now=cph(2026, 6, 4, 8)), now=cph(2026, 6, 4))
    assert june.acknowledge_due == end_of(2026, 6, 10)


def test_confirming_twice_changes_nothing():
    idea = services.idea_confirm(idea=submitted_idea())
    again = services.idea_confirm(idea=idea)
    assert again.reference == idea.reference
    assert again.timeline.filter(kind=TimelineEntry.Kind.CONFIRMED).count() == 1


def test_an_expired_confirmation_link_is_refused():
    idea = submitted_idea(now=cph(2026, 11, 23, 9))
    with pytest.raises(ValidationError):
        services.idea_confirm(idea=idea, now=cph(2026, 11, 26, 10))
    idea.refresh_from_db()
    assert idea.state == State.AWAITING_CONFIRMATION


# --- Reference numbers ---


def test_references_are_sequential_per_year_and_never_reused():
    first, second, third = (
        services.idea_confirm(idea=submitted_idea(now=cph(2026, 5, 4)), now=cph(2026, 5, 4))
        for _ in range(3)
    )
    assert [number(i.reference) for i in (second, third)] == [
        number(first.reference) + 1,
        number(first.reference) + 2,
    ]
    third_reference = third.reference
    third.delete()
    fourth = services.idea_confirm(idea=submitted_idea(now=cph(2026, 5, 4)), now=cph(2026, 5, 4))
    assert number(fourth.reference) == number(third_reference) + 1
    assert YearCounter.objects.get(year=2026).last_number == number(fourth.reference)


def test_the_reference_year_is_the_copenhagen_year():
    # 23:30 UTC on New Year's Eve is already 2027 in Copenhagen.
    moment = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    idea = services.idea_confirm(idea=submitted_idea(now=moment), now=moment)
    assert idea.reference == "IDE-2027-00001"
    other = services.idea_confirm(idea=submitted_idea(now=moment), now=moment)
    assert other.reference == "IDE-2027-00002"


# --- The clock ---


def test_waiting_for_the_citizen_stops_the_clock_and_resuming_extends_the_deadline():
    coordinator = coordinator_user()
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator, now=cph(2026, 11, 2))
    due = idea.answer_due
    # Waits from Monday 23 November to Thursday 26 November: three working days.
    waiting = services.idea_transition(
        idea=idea,
        to_state=State.WAITING_FOR_CITIZEN,
        by=coordinator,
        public_message="Hvilken bænk mener du?",
        now=cph(2026, 11, 23, 10),
    )
    assert waiting.clock_paused_since == cph(2026, 11, 23, 10)
    assert list(selectors.ideas_overdue_answer(now=cph(2026, 12, 30))) == []
    resumed = services.idea_transition(
        idea=waiting, to_state=State.IN_PROGRESS, by=coordinator, now=cph(2026, 11, 26, 15)
    )
    assert resumed.clock_paused_since is None
    assert due == end_of(2026, 11, 30)
    assert resumed.answer_due == end_of(2026, 12, 3)
    assert resumed.timeline.last().details["paused_working_days"] == 3


def test_a_wait_within_one_day_does_not_move_the_deadline():
    coordinator = coordinator_user()
    idea = idea_in(State.ANSWERED, coordinator=coordinator, now=cph(2026, 11, 2))
    waiting = services.idea_transition(
        idea=idea,
        to_state=State.WAITING_FOR_CITIZEN,
        by=coordinator,
        public_message="Et spørgsmål mere.",
        now=cph(2026, 11, 3, 9),
    )
    closed = services.idea_transition(
        idea=waiting,
        to_state=State.CLOSED,
        by=coordinator,
        outcome=Outcome.REALISED,
        public_message="Tak.",
        now=cph(2026, 11, 3, 15),
    )
    assert closed.answer_due == idea.answer_due
    assert closed.clock_paused_since is None


def test_overdue_selectors_find_late_ideas():
    coordinator = coordinator_user()
    received = idea_in(State.RECEIVED, coordinator=coordinator, now=cph(2026, 11, 2))
    triaged = idea_in(State.TRIAGED, coordinator=coordinator, now=cph(2026, 11, 2))
    assert list(selectors.ideas_overdue_acknowledgement(now=cph(2026, 11, 5))) == [received]
    assert list(selectors.ideas_overdue_answer(now=cph(2026, 12, 1))) == [triaged]
    assert list(selectors.ideas_awaiting_triage()) == [received]


# --- Handovers ---


def test_a_handover_changes_the_lead_only_when_accepted():
    coordinator = coordinator_user()
    handler = staff_user("TMF")
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator, now=cph(2026, 11, 20))
    idea = services.idea_assign(
        idea=idea, by=coordinator, handler=handler, now=cph(2026, 11, 20, 15)
    )
    handover = services.idea_hand_over(
        idea=idea,
        to_department=department("KFF"),
        by=handler,
        note="Det handler om kultur.",
        now=cph(2026, 11, 20, 16),
    )
    assert handover.due_at == end_of(2026, 11, 24)
    idea.refresh_from_db()
    assert idea.lead_department == department("TMF")
    assert list(selectors.handovers_overdue(now=cph(2026, 11, 25))) == [handover]

    new_handler = staff_user("KFF")
    services.idea_accept_handover(
        handover=handover, by=new_handler, handler=new_handler, now=cph(2026, 11, 23)
    )
    idea.refresh_from_db()
    assert idea.lead_department == department("KFF")
    assert idea.handler == new_handler
    assert idea.coordinator == coordinator
    assert list(idea.timeline.values_list("kind", flat=True))[-2:] == [
        TimelineEntry.Kind.HANDOVER_REQUESTED,
        TimelineEntry.Kind.HANDOVER_ACCEPTED,
    ]
    with pytest.raises(ValidationError):
        services.idea_return_handover(handover=handover, by=new_handler, note="For sent.")


def test_a_returned_handover_leaves_the_lead_and_needs_a_reason():
    coordinator = coordinator_user()
    idea = idea_in(State.TRIAGED, coordinator=coordinator)
    handover = services.idea_hand_over(
        idea=idea, to_department=department("BUF"), by=coordinator, note="Skoler?"
    )
    with pytest.raises(ValidationError):
        services.idea_return_handover(handover=handover, by=coordinator, note=" ")
    returned = services.idea_return_handover(
        handover=handover, by=coordinator, note="Ikke en skolesag."
    )
    assert returned.status == Handover.Status.RETURNED
    idea.refresh_from_db()
    assert idea.lead_department == department("TMF")
    assert idea.timeline.last().kind == TimelineEntry.Kind.HANDOVER_RETURNED


def test_a_handover_needs_a_note_another_department_and_no_other_pending():
    coordinator = coordinator_user()
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    with pytest.raises(ValidationError):
        services.idea_hand_over(idea=idea, to_department=department("KFF"), by=coordinator, note="")
    with pytest.raises(ValidationError):
        services.idea_hand_over(
            idea=idea, to_department=department("TMF"), by=coordinator, note="Til os selv."
        )
    services.idea_hand_over(idea=idea, to_department=department("KFF"), by=coordinator, note="A")
    with pytest.raises(ValidationError):
        services.idea_hand_over(
            idea=idea, to_department=department("BUF"), by=coordinator, note="B"
        )
    with pytest.raises(ValidationError) as refused:
        services.idea_transition(
            idea=idea,
            to_state=State.CLOSED,
            by=coordinator,
            outcome=Outcome.REALISED,
            public_message="Færdig.",
        )
    assert refused.value.error_dict["__all__"][0].code == "handover_pending"


def test_an_unconfirmed_idea_cannot_be_handed_over():
    coordinator = coordinator_user()
    with pytest.raises(ValidationError):
        services.idea_hand_over(
            idea=submitted_idea(), to_department=department("KFF"), by=coordinator, note="A"
        )


def test_the_handler_must_work_in_the_lead_department():
    coordinator = coordinator_user()
    idea = idea_in(State.TRIAGED, coordinator=coordinator)
    with pytest.raises(ValidationError):
        services.idea_assign(idea=idea, by=coordinator, handler=staff_user("BUF"))


# --- The timeline ---


def test_every_change_writes_one_timeline_entry():
    coordinator = coordinator_user()
    handler = staff_user("TMF")
    calls = 0
    idea = submitted_idea()
    calls += 1
    idea = services.idea_confirm(idea=idea)
    calls += 1
    idea = services.idea_transition(
        idea=idea,
        to_state=State.TRIAGED,
        by=coordinator,
        lead_department=department("TMF"),
        involved_departments=[department("KFF"), department("TMF")],
        handler=handler,
    )
    calls += 1
    services.idea_add_message(idea=idea, by=handler, public_message="Vi kigger på det.")
    calls += 1
    services.idea_assign(idea=idea, by=coordinator, handler=None, internal_note="Ferie.")
    calls += 1
    handover = services.idea_hand_over(
        idea=idea, to_department=department("KFF"), by=coordinator, note="KFF?"
    )
    calls += 1
    services.idea_accept_handover(handover=handover, by=coordinator)
    calls += 1
    idea = services.idea_transition(
        idea=idea, to_state=State.ANSWERED, by=coordinator, public_message="Svaret."
    )
    calls += 1
    assert idea.timeline.count() == calls
    assert list(idea.involved_departments.all()) == []  # KFF took the lead; TMF never involved
    assert [e.public_message for e in selectors.public_timeline(idea)] == [
        "Vi kigger på det.",
        "Svaret.",
    ]


def test_a_message_needs_some_text():
    coordinator = coordinator_user()
    idea = idea_in(State.TRIAGED, coordinator=coordinator)
    with pytest.raises(ValidationError):
        services.idea_add_message(idea=idea, by=coordinator)


# --- The database holds the invariants even against a stray update ---


@pytest.mark.parametrize(
    ("state", "changes"),
    [
        (State.RECEIVED, {"state": State.TRIAGED}),
        (State.TRIAGED, {"lead_department": None}),
        (State.TRIAGED, {"coordinator": None}),
        (State.IN_PROGRESS, {"state": State.CLOSED}),
        (State.CLOSED, {"outcome": ""}),
        (State.IN_PROGRESS, {"outcome": Outcome.REALISED}),
        (State.IN_PROGRESS, {"state": State.WAITING_FOR_CITIZEN}),
        (State.CLOSED, {"outcome": Outcome.NOT_POSSIBLE}),
        (State.CLOSED, {"outcome": Outcome.REFERRED}),
        (State.AWAITING_CONFIRMATION, {"state": State.RECEIVED}),
    ],
)
def test_the_database_refuses_rows_that_break_the_invariants(state, changes):
    idea = idea_in(state, coordinator=coordinator_user())
    with pytest.raises(IntegrityError), transaction.atomic():
        Idea.objects.filter(pk=idea.pk).update(**changes)


def test_the_tracking_token_finds_the_idea_and_nothing_else():
    idea = submitted_idea()
    assert selectors.idea_by_tracking_token(idea.tracking_token) == idea
    assert selectors.idea_by_tracking_token("x" * 43) is None
    assert selectors.idea_by_tracking_token("") is None
    assert idea.created_at + timedelta(hours=72) == services.confirmation_expires_at(idea)
