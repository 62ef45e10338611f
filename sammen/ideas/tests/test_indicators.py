"""The ideas' indicators of the yearly report, on three ideas of last year worked out by hand."""

from datetime import datetime

import pytest
from django.utils import timezone, translation

from sammen.core.tests.factories import department
from sammen.core.workdays import COPENHAGEN, add_working_days
from sammen.ideas import services
from sammen.ideas.models import Idea
from sammen.ideas.states import Outcome, State
from sammen.ideas.tests.factories import coordinator_user, submitted_idea
from sammen.reporting.indicators import TASK_IDEAS, Period, get, registered

pytestmark = pytest.mark.django_db

KEYS = (
    "ideas.dead_ends",
    "ideas.received",
    "ideas.answered_within_deadline",
    "ideas.median_days_to_first_answer",
    "ideas.outcomes",
    "ideas.felt_heard",
    "ideas.clear_answer",
)


def last_year() -> int:
    return timezone.localdate().year - 1


def measure(key: str, year: int | None = None):
    return get(key).measure(Period.year(year or last_year()))


def triaged(at: datetime, coordinator) -> Idea:
    idea = services.idea_confirm(idea=submitted_idea(now=at), now=at)
    return services.idea_transition(
        idea=idea,
        to_state=State.TRIAGED,
        by=coordinator,
        coordinator=coordinator,
        lead_department=department("TMF"),
        now=at,
    )


def closed(at: datetime, working_days: int, outcome: str, coordinator) -> Idea:
    """Answered `working_days` after `at` and closed with `outcome` the same day."""
    answered_at = add_working_days(at, working_days).replace(hour=11)
    details = {}
    if outcome == Outcome.NOT_POSSIBLE:
        details = {"outcome_reason": "Pladsen er fredet.", "outcome_alternatives": "Søg puljen."}
    idea = services.idea_transition(
        idea=triaged(at, coordinator),
        to_state=State.ANSWERED,
        by=coordinator,
        public_message="Svar.",
        now=answered_at,
    )
    return services.idea_transition(
        idea=idea,
        to_state=State.CLOSED,
        by=coordinator,
        outcome=outcome,
        public_message="Afsluttet.",
        now=answered_at,
        **details,
    )


@pytest.fixture
def year(settings) -> None:
    """Three ideas received in March: answered in 2 working days (realised; the citizen felt
    heard and got a clear answer), in 30 (not possible; did not feel heard, skipped the other
    question) and never answered (stalled, long past twice the 20-day answer period)."""
    settings.IDEAS_ACKNOWLEDGE_WORKING_DAYS = 2
    settings.IDEAS_ANSWER_WORKING_DAYS = 20
    coordinator = coordinator_user()
    march = datetime(last_year(), 3, 3, 10, tzinfo=COPENHAGEN)
    fast = closed(march, 2, Outcome.REALISED, coordinator)
    slow = closed(march, 30, Outcome.NOT_POSSIBLE, coordinator)
    triaged(march, coordinator)
    survey = {
        "survey_sent_at": march.replace(month=6),
        "survey_answered_at": march.replace(month=6),
    }
    Idea.objects.filter(pk=fast.pk).update(
        **survey, survey_felt_heard=True, survey_clear_answer=True
    )
    Idea.objects.filter(pk=slow.pk).update(**survey, survey_felt_heard=False)


def test_dead_ends_come_first_and_must_be_zero(year):
    ideas = [i for i in registered() if i.task == TASK_IDEAS]
    assert ideas[0].key == "ideas.dead_ends"
    assert ideas[0].higher_is_better is False
    with translation.override("en"):
        assert "Must be zero" in str(ideas[0].description)
        result = measure("ideas.dead_ends")
    assert result.value == 1
    assert result.breakdown == (("Closed without an outcome", 0), ("Stalled without an answer", 1))


def test_received_and_answered_within_the_deadline(year):
    assert measure("ideas.received").value == 3
    with translation.override("en"):
        share = measure("ideas.answered_within_deadline")
    # Judged: both answered, and the stalled one (deadline passed); only the fast one in time.
    assert share.value == pytest.approx(1 / 3)
    assert share.note == "of 3 ideas"


def test_median_working_days_to_the_first_answer(year):
    result = measure("ideas.median_days_to_first_answer")
    assert result.value == 16.0
    assert get("ideas.median_days_to_first_answer").higher_is_better is False


def test_outcomes(year):
    with translation.override("en"):
        result = measure("ideas.outcomes")
    assert result.value == 2
    rows = dict(result.breakdown)
    assert rows["Realised or supported"] == 1
    assert rows["Not possible"] == 1
    assert rows["Spam"] == 0
    assert len(rows) == len(Outcome)


def test_satisfaction_of_those_who_answered_each_question(year):
    with translation.override("en"):
        heard = measure("ideas.felt_heard")
        clear = measure("ideas.clear_answer")
    assert (heard.value, heard.note) == (0.5, "of 2 answers")
    assert (clear.value, clear.note) == (1.0, "of 1 answer")


def test_nobody_answered_the_survey_is_no_data(settings):
    settings.IDEAS_ANSWER_WORKING_DAYS = 20
    coordinator = coordinator_user()
    closed(datetime(last_year(), 3, 3, 10, tzinfo=COPENHAGEN), 2, Outcome.REALISED, coordinator)
    assert measure("ideas.received").value == 1
    assert measure("ideas.dead_ends").value == 0
    assert not measure("ideas.felt_heard").has_data
    assert not measure("ideas.clear_answer").has_data


def test_an_empty_year_has_no_data(year):
    for key in KEYS:
        assert not measure(key, last_year() - 5).has_data, key
