"""Danish full-text search over entries, on whichever database the suite runs on."""

import pytest
from django.db import connection

from sammen.knowledge.models import Entry, Status
from sammen.knowledge.search import search_entries
from sammen.knowledge.tests.factories import make_entry

pytestmark = pytest.mark.django_db


def titles(query: str) -> list[str]:
    return [e.title for e in search_entries(Entry.objects.all(), query)]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("unge", "Walk-and-talk med unges foreninger"),
        ("unge", "En ung stemme i byen"),
        ("ung", "Dialog med unge på Nørrebro"),
        ("ældre", "Hjemmebesøg hos de ældste borgere og ældres pårørende"),
        ("borgermøde", "Erfaringer fra borgermøderne"),
        ("legeplads", "Børn tegnede legepladserne"),
    ],
)
def test_a_danish_word_finds_its_other_forms(query, text):
    make_entry(title=text)
    make_entry(title="Budgettet for kulturhusene")
    assert titles(query) == [text]


def test_words_in_method_and_example_fields_are_searched():
    make_entry(title="Metode", pitfalls="Husk tolke til de ikke-dansktalende")
    make_entry(title="Eksempel", lessons="Skateparken blev bygget")
    assert titles("tolk") == ["Metode"]
    assert titles("skatepark") == ["Eksempel"]


def test_an_edit_updates_the_index():
    from sammen.core.tests.factories import UserFactory
    from sammen.knowledge import services

    owner = UserFactory()
    entry = make_entry(title="Fremtidsværksted", owner=owner)
    services.entry_update(entry=entry, by=owner, data={"title": "Borgersamling"})
    assert titles("fremtidsværksted") == []
    assert titles("borgersamling") == ["Borgersamling"]


def test_a_title_match_ranks_above_a_body_match():
    make_entry(title="Noget andet", body="Her nævnes cykelstier i teksten.")
    make_entry(title="Cykelstier i Valby")
    assert titles("cykelsti") == ["Cykelstier i Valby", "Noget andet"]


@pytest.mark.parametrize("query", ['" OR 1=1 --', "AND", "unge*", "(unge", "unge:", "'; DROP"])
def test_query_syntax_cannot_be_injected(query):
    make_entry(title="Dialog med unge")
    list(search_entries(Entry.objects.all(), query))  # no error


def test_a_query_of_only_stop_words_finds_nothing():
    make_entry(title="Og så videre")
    assert titles("og i") == []


def test_deleted_entries_leave_the_index():
    entry = make_entry(title="Pop-up-dialog")
    entry.delete()
    assert titles("pop") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO knowledge_entry_fts (knowledge_entry_fts) VALUES ('integrity-check')"
            )


def test_search_filters_within_the_given_queryset():
    make_entry(title="Dialog med unge", status=Status.DRAFT)
    assert [e.title for e in search_entries(Entry.objects.filter(status="published"), "unge")] == []
