"""The dashboards' figures and lists (sammen.ideas.dashboards) on a handcrafted set of ideas, at a
fixed moment: Monday 2 March 2026, 10:00 in Copenhagen (no public holiday near)."""

from datetime import datetime, timedelta

import pytest

from sammen.core.tests.factories import department
from sammen.core.workdays import COPENHAGEN
from sammen.ideas import dashboards, services
from sammen.ideas.states import Outcome, State
from sammen.ideas.tests.factories import coordinator_user, idea_in, staff_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=COPENHAGEN)


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=COPENHAGEN)


@pytest.fixture
def coordinator():
    return coordinator_user()


def answered(coordinator, *, confirmed: datetime, answered_at: datetime, lead: str = "TMF"):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator, lead=lead, now=confirmed)
    return services.idea_transition(
        idea=idea,
        to_state=State.ANSWERED,
        by=coordinator,
        public_message="Her er vores svar.",
        now=answered_at,
    )


@pytest.fixture
def ideas(coordinator):
    """Ideas whose figures at NOW are worked out by hand in the tests below."""
    made = {}
    # Confirmed 21 January: the answer was due 18 February, so it is late at NOW.
    made["late"] = idea_in(State.IN_PROGRESS, coordinator=coordinator, now=at(1, 21))
    # Led by BUF with TMF involved, late too (due 17 February).
    made["late_bud"] = services.idea_assign(
        idea=idea_in(State.IN_PROGRESS, coordinator=coordinator, lead="BUF", now=at(1, 20)),
        by=coordinator,
        involved_departments=[department("TMF")],
    )
    # Confirmed Wednesday 4 February: answer due Wednesday 4 March, this week.
    made["this_week"] = idea_in(State.IN_PROGRESS, coordinator=coordinator, now=at(2, 4))
    made["later"] = idea_in(State.TRIAGED, coordinator=coordinator, now=at(2, 27))
    # Its answer deadline passed while it waits for the citizen: paused, never late.
    made["waiting"] = idea_in(State.WAITING_FOR_CITIZEN, coordinator=coordinator, now=at(1, 21))
    # Answered after 5 working days (Monday to Monday); open, nothing more due.
    made["answered"] = answered(coordinator, confirmed=at(2, 2), answered_at=at(2, 9))
    # Answered after 9 working days (5 to 16 January), then closed: not open, but in the average.
    closed = answered(coordinator, confirmed=at(1, 5), answered_at=at(1, 16))
    made["closed"] = services.idea_transition(
        idea=closed,
        to_state=State.CLOSED,
        by=coordinator,
        outcome=Outcome.REALISED,
        public_message="Bænkene kommer.",
        now=at(1, 19),
    )
    # Spam closed by TMF the same day: no answer, left out of the average.
    made["spam"] = services.idea_transition(
        idea=idea_in(State.TRIAGED, coordinator=coordinator, now=at(2, 10)),
        to_state=State.CLOSED,
        by=coordinator,
        outcome=Outcome.SPAM,
        now=at(2, 10),
    )
    # Received Friday 20 February: acknowledgement due Tuesday 24 February, late; no department.
    made["untriaged_late"] = idea_in(State.RECEIVED, coordinator=coordinator, now=at(2, 20))
    made["untriaged"] = idea_in(State.RECEIVED, coordinator=coordinator, now=NOW)
    # Handed from TMF to KFF on 24 February, due 26 February: late. And one due 4 March.
    made["handover_late"] = idea_in(State.IN_PROGRESS, coordinator=coordinator, now=at(2, 23))
    made["handover_late_h"] = services.idea_hand_over(
        idea=made["handover_late"],
        to_department=department("KFF"),
        by=coordinator,
        note="Det handler om et kulturhus.",
        now=at(2, 24),
    )
    made["handover"] = idea_in(State.IN_PROGRESS, coordinator=coordinator, now=at(2, 26))
    made["handover_h"] = services.idea_hand_over(
        idea=made["handover"],
        to_department=department("KFF"),
        by=coordinator,
        note="Det handler om et bibliotek.",
        now=at(3, 2, 9),
    )
    return made


def figures_of(abbreviation: str) -> dashboards.DepartmentFigures:
    (figures,) = dashboards.department_figures([department(abbreviation).pk], now=NOW)
    return figures


def test_time_helpers():
    assert dashboards.end_of_week(NOW) == datetime(2026, 3, 9, 0, 0, tzinfo=COPENHAGEN)
    sunday_night = datetime(2026, 3, 8, 23, 30, tzinfo=COPENHAGEN)
    assert dashboards.end_of_week(sunday_night) == datetime(2026, 3, 9, tzinfo=COPENHAGEN)
    leap_day = datetime(2028, 2, 29, 12, tzinfo=COPENHAGEN)
    assert dashboards.year_before(leap_day) == datetime(2027, 2, 28, 12, tzinfo=COPENHAGEN)


def test_deadline_status():
    end_of_today = datetime(2026, 3, 2, 23, 59, 59, tzinfo=COPENHAGEN)
    today = dashboards.deadline_status(end_of_today, NOW)
    assert (today.overdue, today.working_days, today.hours_left) == (False, 0, 14)
    assert today.due_today
    wednesday = dashboards.deadline_status(end_of_today + timedelta(days=2), NOW)
    assert (wednesday.overdue, wednesday.working_days, wednesday.due_today) == (False, 2, False)
    # Due Thursday 26 February: Friday and Monday have passed since.
    late = dashboards.deadline_status(datetime(2026, 2, 26, 23, 59, 59, tzinfo=COPENHAGEN), NOW)
    assert (late.overdue, late.working_days) == (True, 2)
    paused = dashboards.deadline_status(end_of_today - timedelta(days=30), NOW, paused=True)
    assert paused.paused and not paused.overdue and paused.due is None
    assert dashboards.deadline_status(None, NOW) == dashboards.Deadline(due=None)


def test_department_figures(ideas):
    tmf = figures_of("TMF")
    # late, late_bud (involved), this_week, later, waiting, answered, handover_late, handover.
    assert tmf.open == 8
    assert tmf.overdue == 2  # late and late_bud; the waiting one is paused
    assert tmf.due_this_week == 1
    assert (tmf.handovers_pending, tmf.handovers_overdue) == (0, 0)
    # (5 + 9) / 2; the spam closed the same day is no answer.
    assert tmf.average == dashboards.Average(working_days=7.0, ideas=2)

    buf = figures_of("BUF")
    assert (buf.open, buf.overdue, buf.due_this_week, buf.average) == (1, 1, 0, None)

    kff = figures_of("KFF")
    assert (kff.open, kff.overdue, kff.handovers_pending, kff.handovers_overdue) == (0, 0, 2, 1)

    empty = figures_of("SOF")
    assert (empty.open, empty.overdue, empty.due_this_week, empty.handovers_pending) == (0, 0, 0, 0)


def test_all_departments_in_one_table(ideas, django_assert_num_queries):
    with django_assert_num_queries(2):
        figures = dashboards.department_figures(now=NOW)
    assert len(figures) == 7
    assert {f.department.abbreviation: f.open for f in figures if f.open} == {"TMF": 8, "BUF": 1}


def test_average_counts_only_the_last_twelve_months(coordinator):
    answered(coordinator, confirmed=at(1, 5), answered_at=at(1, 16))
    a_year_later = at(1, 17).replace(year=2027)
    assert dashboards.average_working_days_to_answer(now=at(3, 1)) != {}
    assert dashboards.average_working_days_to_answer(now=a_year_later) == {}


def test_department_list_late_first_then_by_deadline(ideas):
    rows = list(dashboards.department_ideas(department("TMF").pk, now=NOW))
    order = [idea.pk for idea in rows]
    expected = [
        # Late: by the idea's own deadline; the late handover has a later answer deadline.
        "late_bud",
        "late",
        "handover_late",
        # Then by the next deadline.
        "this_week",
        "handover",
        "later",
    ]
    assert order[:6] == [ideas[name].pk for name in expected]
    # Nothing due (paused, answered) last.
    assert set(order[6:]) == {ideas["waiting"].pk, ideas["answered"].pk}

    by_pk = {row.idea.pk: row for row in dashboards.idea_rows(rows, department("TMF").pk, NOW)}
    assert by_pk[ideas["late"].pk].overdue and by_pk[ideas["late"].pk].deadline.overdue
    assert by_pk[ideas["late"].pk].leads
    assert not by_pk[ideas["late_bud"].pk].leads
    waiting = by_pk[ideas["waiting"].pk]
    assert waiting.deadline.paused and not waiting.overdue
    late_handover = by_pk[ideas["handover_late"].pk]
    assert late_handover.overdue and not late_handover.deadline.overdue
    assert late_handover.handover.overdue
    assert by_pk[ideas["handover"].pk].handover == dashboards.Deadline(
        due=ideas["handover_h"].due_at, working_days=2
    )
    assert by_pk[ideas["answered"].pk].deadline.due is None


def test_department_list_of_one_handler(ideas, coordinator):
    handler = staff_user("TMF")
    services.idea_assign(idea=ideas["this_week"], by=coordinator, handler=handler)
    mine = dashboards.department_ideas(department("TMF").pk, now=NOW, handler=handler)
    assert [idea.pk for idea in mine] == [ideas["this_week"].pk]


def test_handovers_waiting_for_a_department(ideas):
    handovers = dashboards.department_handovers(department("KFF").pk)
    assert list(handovers) == [ideas["handover_late_h"], ideas["handover_h"]]
    assert not dashboards.department_handovers(department("TMF").pk).exists()


def test_overdue_overview(ideas):
    overview = dashboards.overdue_overview(now=NOW)
    groups = [
        (d.abbreviation if d else None, [(item.kind, item.idea.pk) for item in items])
        for d, items in overview.groups
    ]
    assert groups == [
        (None, [("acknowledge", ideas["untriaged_late"].pk)]),
        ("BUF", [("answer", ideas["late_bud"].pk)]),
        ("KFF", [("handover", ideas["handover_late"].pk)]),
        ("TMF", [("answer", ideas["late"].pk)]),
    ]
    assert overview.count == 4
    assert [item.handover for item in overview.handovers] == [ideas["handover_late_h"]]
    assert not overview.truncated
    assert all(item.deadline.overdue for _d, items in overview.groups for item in items)


def test_overdue_overview_says_when_it_cuts(ideas):
    assert dashboards.overdue_overview(now=NOW, limit=1).truncated
