"""The yearly report's figures, on a handcrafted April 2025 whose answers were worked out by hand.

Easter 2025: Maundy Thursday 17 April, Good Friday 18, Easter Monday 21 are days off. Ascension
Day is 29 May, Grundlovsdag 5 June, Whit Monday 9 June.
"""

import json
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sammen.core.tests.factories import department
from sammen.core.workdays import COPENHAGEN
from sammen.ideas import services
from sammen.ideas.figures import idea_figures
from sammen.ideas.models import Idea
from sammen.ideas.states import Outcome, State
from sammen.ideas.tests.factories import coordinator_user, staff_user, submitted_idea
from sammen.participation.tests.factories import channel

pytestmark = pytest.mark.django_db

APRIL = (date(2025, 4, 1), date(2025, 4, 30))
LATER = datetime(2025, 9, 1, 12, tzinfo=COPENHAGEN)


def cph(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=COPENHAGEN)


def confirmed(at: datetime, title: str) -> Idea:
    idea = submitted_idea(title=title, now=at)
    return services.idea_confirm(idea=idea, now=at)


def triage(idea: Idea, at: datetime, coordinator, lead: str, **kwargs) -> Idea:
    return services.idea_transition(
        idea=idea,
        to_state=State.TRIAGED,
        by=coordinator,
        coordinator=coordinator,
        lead_department=department(lead),
        now=at,
        **kwargs,
    )


@pytest.fixture
def april(settings) -> dict[str, Idea]:
    """Six ideas confirmed in April 2025 (A-E, H) and two just outside it (F, G)."""
    settings.IDEAS_ACKNOWLEDGE_WORKING_DAYS = 2
    settings.IDEAS_ANSWER_WORKING_DAYS = 20
    coordinator = coordinator_user()
    tmf, buf, kff, sof = (staff_user(a) for a in ("TMF", "BUF", "KFF", "SOF"))

    # A: confirmed Tuesday before Easter, acknowledged the next day (due Tuesday 22 after Easter),
    # answered on 23 April: 3 working days (16, 22, 23), not 6. A handover is returned. Closed.
    a = triage(confirmed(cph(4, 15), "A"), cph(4, 16), coordinator, "TMF")
    handover = services.idea_hand_over(
        idea=a, to_department=department("KFF"), by=tmf, note="Kultur?", now=cph(4, 16, 14)
    )
    services.idea_return_handover(handover=handover, by=kff, note="Nej.", now=cph(4, 22))
    a = services.idea_transition(
        idea=a, to_state=State.ANSWERED, by=tmf, public_message="Ja.", now=cph(4, 23)
    )
    a = services.idea_transition(
        idea=a,
        to_state=State.CLOSED,
        by=tmf,
        outcome=Outcome.REALISED,
        public_message="Gjort.",
        now=cph(4, 24),
    )
    Idea.objects.filter(pk=a.pk).update(
        survey_sent_at=cph(5, 22),
        survey_answered_at=cph(5, 23),
        survey_clear_answer=True,
        survey_felt_heard=False,
    )

    # B: acknowledged late (due 3 April, triaged 7 April), handed over to SOF and accepted,
    # answered 14 May after its deadline of 2 May: 28 working days. Still open (answered).
    b = triage(confirmed(cph(4, 1), "B"), cph(4, 7), coordinator, "BUF")
    handover = services.idea_hand_over(
        idea=b, to_department=department("SOF"), by=buf, note="Socialt.", now=cph(4, 8)
    )
    services.idea_accept_handover(handover=handover, by=sof, handler=sof, now=cph(4, 9))
    services.idea_transition(
        idea=b, to_state=State.ANSWERED, by=sof, public_message="Svar.", now=cph(5, 14)
    )

    # C: spam, closed at triage the next day: acknowledged in time, left out of the answers.
    services.idea_transition(
        idea=confirmed(cph(4, 10), "C"),
        to_state=State.CLOSED,
        by=coordinator,
        coordinator=coordinator,
        outcome=Outcome.SPAM,
        now=cph(4, 11),
    )

    # D: confirmed Monday 28 April and never touched: late on both deadlines; its answer was due
    # 26 May, and twice the answer period ran out at the end of 26 June: stalled after that.
    confirmed(cph(4, 28), "D")

    # E: acknowledged in time, then waiting for the citizen ever since (its clock stands still),
    # with a handover to TMF still pending.
    e = triage(confirmed(cph(4, 22), "E"), cph(4, 23), coordinator, "KFF")
    e = services.idea_transition(
        idea=e, to_state=State.WAITING_FOR_CITIZEN, by=kff, public_message="Hvor?", now=cph(4, 25)
    )
    services.idea_hand_over(
        idea=e, to_department=department("TMF"), by=kff, note="Trafik.", now=cph(4, 28)
    )

    # H: confirmed late on the last evening of April (Copenhagen time; 21:30 UTC), referred to a
    # channel at triage on 2 May: acknowledged and answered in 2 working days. Asked, no answer.
    h = services.idea_transition(
        idea=confirmed(cph(4, 30, 23, 30), "H"),
        to_state=State.CLOSED,
        by=coordinator,
        coordinator=coordinator,
        outcome=Outcome.REFERRED,
        referred_channel=channel("pulje"),
        public_message="Søg puljen.",
        now=cph(5, 2),
    )
    Idea.objects.filter(pk=h.pk).update(survey_sent_at=cph(6, 1))

    # Outside April: F on 31 March, G just after midnight on 1 May (still 30 April in UTC).
    confirmed(cph(3, 31), "F")
    confirmed(cph(5, 1, 0, 30), "G")
    return {i.title: i for i in Idea.objects.all()}


def test_received_and_by_outcome(april):
    figures = idea_figures(*APRIL, now=LATER)
    assert figures.has_data
    assert figures.received == 6
    assert figures.still_open == 3  # B, D, E
    assert figures.by_outcome == {
        "realised": 1,
        "referred": 1,
        "solution_lab": 0,
        "not_possible": 0,
        "spam": 1,
        "duplicate": 0,
    }


def test_by_lead_department_after_handovers(april):
    figures = idea_figures(*APRIL, now=LATER)
    rows = {
        row.abbreviation: (row.received, row.answered, row.closed) for row in figures.by_department
    }
    assert set(rows) == {"ØKF", "KFF", "BUF", "SUF", "SOF", "TMF", "BIF"}
    assert rows["TMF"] == (1, 1, 1)  # A: its handover was returned
    assert rows["SOF"] == (1, 1, 0)  # B: handed over from BUF
    assert rows["KFF"] == (1, 0, 0)  # E: its handover to TMF is pending
    assert rows["BUF"] == rows["ØKF"] == rows["SUF"] == rows["BIF"] == (0, 0, 0)
    without = figures.without_lead_department
    # C (spam: not an answer), D (untouched), H (referred at triage).
    assert (without.received, without.answered, without.closed) == (3, 1, 2)


def test_deadlines_and_the_median_across_easter(april):
    figures = idea_figures(*APRIL, now=LATER)
    # A, C, E, H in time; B and D late.
    assert (
        figures.acknowledged_within_deadline.count,
        figures.acknowledged_within_deadline.of,
    ) == (
        4,
        6,
    )
    # A and H in time; B late; D never answered; C is spam, E waits for the citizen.
    assert figures.answered_within_deadline.count == 2
    assert figures.answered_within_deadline.of == 4
    assert figures.answered_within_deadline.value == 0.5
    # A 3 (Easter is off), B 28, H 2.
    assert figures.median_working_days_to_first_answer == 3.0


def test_handovers(april):
    handovers = idea_figures(*APRIL, now=LATER).handovers
    assert (handovers.requested, handovers.accepted, handovers.returned, handovers.pending) == (
        3,
        1,
        1,
        1,
    )


@pytest.mark.parametrize(
    ("now", "stalled"),
    [
        (datetime(2025, 6, 26, 23, 0, tzinfo=COPENHAGEN), 0),
        (datetime(2025, 6, 27, 9, 0, tzinfo=COPENHAGEN), 1),
    ],
    ids=["on the last day", "the day after"],
)
def test_dead_ends_are_ideas_left_for_twice_the_answer_period(april, now, stalled):
    dead_ends = idea_figures(*APRIL, now=now).dead_ends
    assert dead_ends.closed_without_outcome == 0
    assert dead_ends.stalled == stalled
    assert dead_ends.total == stalled


def test_a_deadline_not_yet_passed_is_not_judged(april):
    only_d = (date(2025, 4, 28), date(2025, 4, 28))
    # On 20 May D's acknowledgement (due 30 April) is late, its answer (due 26 May) not yet.
    in_may = idea_figures(*only_d, now=cph(5, 20))
    assert (in_may.acknowledged_within_deadline.count, in_may.acknowledged_within_deadline.of) == (
        0,
        1,
    )
    assert in_may.answered_within_deadline.of == 0
    assert in_may.answered_within_deadline.value is None
    assert idea_figures(*only_d, now=LATER).answered_within_deadline.of == 1


def test_satisfaction(april):
    satisfaction = idea_figures(*APRIL, now=LATER).satisfaction
    assert satisfaction.asked == 2
    assert satisfaction.answered == 1
    assert (satisfaction.clear_answer_yes, satisfaction.clear_answer_no) == (1, 0)
    assert (satisfaction.felt_heard_yes, satisfaction.felt_heard_no) == (0, 1)


def test_the_period_is_in_copenhagen_dates(april):
    assert idea_figures(date(2025, 3, 31), date(2025, 3, 31), now=LATER).received == 1  # F
    may_day = idea_figures(date(2025, 5, 1), date(2025, 5, 1), now=LATER)
    assert may_day.received == 1  # G, not H
    assert idea_figures(date(2025, 3, 1), date(2025, 5, 31), now=LATER).received == 8


def test_a_period_without_ideas_says_so():
    figures = idea_figures(date(2024, 1, 1), date(2024, 12, 31))
    assert not figures.has_data
    assert figures.received == 0
    assert figures.acknowledged_within_deadline.value is None
    assert figures.median_working_days_to_first_answer is None
    assert figures.as_dict()["answered_within_deadline"] == {"count": 0, "of": 0, "share": None}


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends before"):
        idea_figures(date(2025, 5, 1), date(2025, 4, 1))


def test_the_figures_are_plain_json(april):
    data = idea_figures(*APRIL, now=LATER).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["start"] == "2025-04-01" and data["end"] == "2025-04-30"
    assert data["has_data"] is True
    assert data["dead_ends"] == {"closed_without_outcome": 0, "stalled": 1, "total": 1}
    assert data["acknowledged_within_deadline"]["share"] == pytest.approx(4 / 6)
    assert {row["abbreviation"] for row in data["by_department"]} >= {"TMF", "SOF"}


def test_a_fixed_number_of_queries(april):
    with CaptureQueriesContext(connection) as few:
        idea_figures(*APRIL, now=LATER)
    coordinator = coordinator_user()
    for day in range(2, 30):
        idea = confirmed(cph(4, day, 9), f"Ekstra {day}")
        triage(idea, cph(4, day, 11), coordinator, "BIF")
    with CaptureQueriesContext(connection) as many:
        figures = idea_figures(*APRIL, now=LATER)
    assert figures.received == 6 + 28
    assert len(few) == len(many) == 3
