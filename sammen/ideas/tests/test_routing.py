"""The lead-department suggestion (routing.py): from past routed ideas, else from topics."""

import pytest
from django.utils import translation

from sammen.core.tests.factories import department, topic
from sammen.ideas import routing, services
from sammen.ideas.models import Idea
from sammen.ideas.states import State
from sammen.ideas.tests.factories import coordinator_user, submitted_idea
from sammen.participation.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def coordinator():
    return coordinator_user()


def received(title: str, description: str, **kwargs) -> Idea:
    return services.idea_confirm(
        idea=submitted_idea(title=title, description=description, **kwargs)
    )


def routed(coordinator, lead: str, title: str, description: str) -> Idea:
    return services.idea_transition(
        idea=received(title, description),
        to_state=State.TRIAGED,
        by=coordinator,
        lead_department=department(lead),
        coordinator=coordinator,
    )


@pytest.fixture
def history(coordinator):
    """Streets and bikes went to TMF, playgrounds and schools to BUF, libraries to KFF."""
    routed(coordinator, "TMF", "Cykelsti på Amagerbrogade", "En sikker cykelsti og færre biler.")
    routed(coordinator, "TMF", "Bedre cykelparkering", "Cykelparkering ved stationen og cykelsti.")
    routed(coordinator, "TMF", "Bump på vejen", "Fartbump så bilerne kører langsomt på vejen.")
    routed(coordinator, "BUF", "Legeplads ved skolen", "Skolegården mangler en legeplads.")
    routed(coordinator, "BUF", "Skolegård med træer", "Børnene vil have træer i skolegården.")
    routed(
        coordinator,
        "KFF",
        "Længere åbent på biblioteket",
        "Biblioteket bør holde åbent om aftenen.",
    )


def test_a_clear_history_suggests_the_department_that_led_similar_ideas(history):
    idea = received("Cykelsti til skolen", "En cykelsti langs vejen, så cyklerne er sikre.")
    suggestion = routing.suggest_lead_department(idea)
    assert suggestion is not None
    assert suggestion.department == department("TMF")
    assert 0 < suggestion.score <= 1
    assert "earlier ideas led by Technical and Environmental Administration" in suggestion.reason
    assert "“cykelsti”" in suggestion.reason


def test_each_department_is_suggested_for_its_own_kind_of_idea(history):
    playground = received("Ny legeplads", "En legeplads i skolegården til børnene.")
    library = received("Bibliotek om søndagen", "Biblioteket skal have åbent om søndagen.")
    assert routing.suggest_lead_department(playground).department == department("BUF")
    assert routing.suggest_lead_department(library).department == department("KFF")


def test_the_suggestion_is_never_applied(history):
    idea = received("Cykelsti til skolen", "En cykelsti langs vejen.")
    assert routing.suggest_lead_department(idea) is not None
    idea.refresh_from_db()
    assert (idea.state, idea.lead_department) == (State.RECEIVED, None)


def test_no_history_and_no_topics_suggests_nothing():
    idea = received("Cykelsti til skolen", "En cykelsti langs vejen.")
    assert routing.suggest_lead_department(idea) is None


def test_unrelated_words_suggest_nothing(history):
    idea = received("Kunst på muren", "Et maleri af en hval på gavlen.")
    assert routing.suggest_lead_department(idea) is None


def test_a_tie_between_departments_suggests_nothing(coordinator):
    routed(coordinator, "TMF", "Grønt tag", "Grønne tage på husene.")
    routed(coordinator, "KFF", "Grønt tag", "Grønne tage på husene.")
    idea = received("Grønt tag", "Grønne tage på husene.")
    assert routing.suggest_lead_department(idea) is None


def test_ideas_that_were_never_routed_teach_nothing(coordinator):
    received("Cykelsti på Amagerbrogade", "En sikker cykelsti.")  # received, not triaged
    idea = received("Cykelsti til skolen", "En cykelsti langs vejen.")
    assert routing.suggest_lead_department(idea) is None


def test_only_the_newest_history_is_read(coordinator, monkeypatch):
    routed(coordinator, "BUF", "Cykelsti langs havnen", "Cykelsti langs kajen.")
    routed(coordinator, "TMF", "Cykelsti langs havnen", "Cykelsti langs kajen.")
    idea = received("Cykelsti langs havnen", "Cykelsti langs kajen.")
    assert routing.suggest_lead_department(idea) is None  # a tie
    monkeypatch.setattr(routing, "HISTORY_LIMIT", 1)
    assert routing.suggest_lead_department(idea).department == department("TMF")


def test_without_history_the_topics_of_published_opportunities_decide():
    traffic = topic("trafik")
    OpportunityFactory(departments=[department("TMF")], topics=[traffic], is_published=True)
    OpportunityFactory(departments=[department("TMF")], topics=[traffic], is_published=True)
    OpportunityFactory(departments=[department("KFF")], topics=[traffic], is_published=True)
    # Unpublished opportunities do not count.
    for _n in range(3):
        OpportunityFactory(departments=[department("KFF")], topics=[traffic], is_published=False)
    idea = received("Noget helt nyt", "Uden fortid.", topics=[traffic])
    suggestion = routing.suggest_lead_department(idea)
    assert suggestion.department == department("TMF")
    assert "2 published opportunities" in suggestion.reason
    assert suggestion.score == pytest.approx(2 / 3, abs=0.001)


def test_topics_shared_equally_suggest_nothing():
    traffic = topic("trafik")
    OpportunityFactory(departments=[department("TMF")], topics=[traffic], is_published=True)
    OpportunityFactory(departments=[department("KFF")], topics=[traffic], is_published=True)
    idea = received("Noget helt nyt", "Uden fortid.", topics=[traffic])
    assert routing.suggest_lead_department(idea) is None
