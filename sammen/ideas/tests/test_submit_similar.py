"""Suggestions before sending: opportunities and public ideas that look like the new idea, found
by Danish full-text search (the same results on SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sammen.ideas import services, similar
from sammen.ideas.states import Outcome, State
from sammen.ideas.tests.factories import coordinator_user, submitted_idea
from sammen.participation.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def public_idea(title: str, **kwargs):
    return services.idea_confirm(idea=submitted_idea(title=title, consent_publish=True, **kwargs))


def test_words_come_from_the_title_then_the_start_of_the_text():
    words = similar.similarity_words("Bænke og træer på Nørrebro", "Vi vil have flere bænke " * 100)
    assert words[:3] == ["bænke", "træer", "nørrebro"]
    assert "og" not in words and "på" not in words and len(words) <= similar.MAX_WORDS
    assert similar.similarity_words("Ny", "") == []
    text = "x " * 400 + "legeplads"
    assert "legeplads" not in similar.similarity_words("Bænke", text)


def test_opportunities_with_more_words_in_common_come_first_and_current_before_closed():
    now = timezone.now()
    closed = OpportunityFactory(
        title="Bænke ved Søerne",
        start_at=now - timedelta(days=30),
        deadline=now - timedelta(days=1),
    )
    current = OpportunityFactory(title="Bænke ved Søerne og i parken")
    weaker = OpportunityFactory(title="Nye bænke i byen", body="", summary="Om byens møbler.")
    OpportunityFactory(title="Cykelstier på Amager", body="", summary="Om cykler.")
    OpportunityFactory(title="Bænke ved Søerne", is_published=False)
    found = similar.similar_opportunities("Bænk ved søerne", "")
    assert found == [current, closed, weaker]
    # "bænk", "ved" and "søerne" (in any form) against "bænke" only.
    assert [o.similarity for o in found] == [3, 3, 1]


def test_danish_forms_match():
    opportunity = OpportunityFactory(
        title="Legepladser i Valby", body="", summary="Om legepladserne."
    )
    assert similar.similar_opportunities("Ny legeplads", "") == [opportunity]


def test_only_public_ideas_are_suggested():
    shown = public_idea("Bænke ved Søerne")
    second = public_idea("Bænke ved Søerne", email="a@example.org")
    submitted_idea(title="Bænke ved Søerne", consent_publish=True)  # not confirmed
    services.idea_confirm(idea=submitted_idea(title="Bænke ved Søerne", consent_publish=False))
    spam = public_idea("Bænke ved Søerne spam")
    services.idea_transition(
        idea=spam, to_state=State.CLOSED, by=coordinator_user(), outcome=Outcome.SPAM
    )
    found = similar.similar_ideas("Bænke ved Søerne", "")
    assert set(found) == {shown, second}
    assert spam not in found
    assert all(idea.consent_publish and idea.state == State.RECEIVED for idea in found)
    assert similar.similar_ideas("Bænke ved Søerne", "", exclude=shown.pk)[0] != shown


def test_nothing_to_search_for_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert similar.similar_opportunities("og på i", "") == []
        assert similar.similar_ideas("", "") == []


@pytest.mark.parametrize("rows", [3, 30])
def test_one_query_each_whatever_the_number_of_rows_or_words(rows, django_assert_num_queries):
    for n in range(rows):
        OpportunityFactory(title=f"Høring om bænke ved Søerne {n}")
        public_idea(f"Bænke ved Søerne {n}")
    title, text = "Bænke ved Søerne til ældre borgere", "Hvile på turen rundt om søen i parken"
    with django_assert_num_queries(1):
        opportunities = similar.similar_opportunities(title, text)
    with django_assert_num_queries(1):
        ideas = similar.similar_ideas(title, text)
    assert len(opportunities) == len(ideas) == min(rows, similar.LIMIT)
    # The channel is read with the opportunity: showing it costs nothing more.
    with django_assert_num_queries(0):
        [o.channel.name for o in opportunities]
