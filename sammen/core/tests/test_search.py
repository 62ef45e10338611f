"""Danish words and stems: what the SQLite index stores and how a query is widened."""

import unicodedata

import pytest
from django.db import connection

from sammen.core.search import (
    DANISH_STOP_WORDS,
    MAX_QUERY_WORDS,
    MAX_WORD_LENGTH,
    query_words,
    stems,
    words,
)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Compares with PostgreSQL's own danish configuration, which SQLite does not have.",
)


def finds(query: str, text: str) -> bool:
    """Whether every word of the query matches a stem of the text (what both databases do)."""
    text_stems = set(stems(text))
    found = query_words(query)
    return bool(found) and all(set(word.stems) & text_stems for word in found)


def test_words_are_lower_case_runs_of_letters_and_digits():
    assert words('Børnenes "by" - Valby/Sydhavn: 2025! ÆØÅ_x') == [
        "børnenes",
        "by",
        "valby",
        "sydhavn",
        "2025",
        "æøå",
        "x",
    ]


def test_a_decomposed_letter_is_the_same_word_as_the_composed_one():
    decomposed = unicodedata.normalize("NFD", "Århus")
    assert decomposed != "Århus"

    assert words(decomposed) == words("Århus") == ["århus"]


def test_over_long_words_are_ignored():
    assert words("skole " + "a" * (MAX_WORD_LENGTH + 1)) == ["skole"]


def test_stems_leave_out_stop_words_and_keep_repeats():
    assert stems("Skolen og skolerne i byen") == ["skol", "skol", "byen"]
    assert stems("og i det at") == []


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("cykelsti", "cykelstier"),
        ("skole", "skolens"),
        ("lokalplan", "lokalplanen"),
        ("børn", "børnene"),
        ("legeplads", "legepladser"),
        ("legepladser", "legeplads"),
        ("by", "byens"),
        ("byen", "by"),
        ("træ", "træerne"),
        ("bro", "broer"),
        ("cykel", "cyklerne"),
        ("cykler", "cykel"),
        ("regel", "reglerne"),
        ("hal", "hallen"),
    ],
)
def test_a_query_word_finds_the_other_forms_of_the_word(query, text):
    assert finds(query, text)


@pytest.mark.parametrize(
    ("query", "text"),
    [("park", "parkering"), ("plan", "planter"), ("by", "byggeri"), ("sti", "stille")],
)
def test_a_query_word_does_not_find_longer_words(query, text):
    assert not finds(query, text)


def test_query_words_drop_stop_words_duplicates_and_capital_operators():
    found = query_words('skole OR "skole" AND børn og -byen* NEAR(NOT) not')

    assert [w.word for w in found] == ["skole", "børn", "byen", "not"]


def test_each_form_of_a_query_word_stems_to_its_stem():
    for word in query_words("legeplads byen cykel 2025"):
        assert [stems(form) for form in word.forms] == [[s] for s in word.stems]


def test_words_with_digits_are_not_inflected():
    (word,) = query_words("2025")

    assert word.forms == ("2025",)


def test_a_query_keeps_at_most_a_fixed_number_of_words():
    found = query_words(" ".join(f"ord{n}" for n in range(10_000)))

    assert len(found) == MAX_QUERY_WORDS


@pytest.mark.parametrize("query", ["", "   ", "og i det", "?!* ()", "AND OR", "\x00"])
def test_a_query_of_stop_words_or_punctuation_has_no_words(query):
    assert query_words(query) == []


@on_postgresql
@pytest.mark.django_db
def test_the_stop_words_are_postgresqls():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('danish', %s)::text", [" ".join(DANISH_STOP_WORDS)])
        assert cursor.fetchone()[0] == ""
        cursor.execute("SELECT to_tsvector('danish', 'sig sige ikke ikkes')::text")
        assert cursor.fetchone()[0] == "'ikk':4 'sig':2"


@on_postgresql
@pytest.mark.django_db
def test_the_stems_are_postgresqls():
    text = (
        "Forslag til lokalplanen for legepladserne ved Nørrebros skoler: børnene, cyklerne og "
        "træerne på kirkegårdens stier. Høringssvar om svømmehallen og idrætsforeningernes haller."
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT lexeme FROM unnest(to_tsvector('danish', %s))", [text])
        lexemes = {row[0] for row in cursor.fetchall()}

    assert set(stems(text)) == lexemes


def test_full_text_filter_refuses_a_table_name_that_is_not_a_plain_identifier():
    from sammen.core.search import full_text_filter
    from sammen.participation.models import Opportunity

    with pytest.raises(ValueError, match="not a table name"):
        full_text_filter(
            Opportunity.objects.all(), "cykelsti", fts_table="x; DROP TABLE y", rank=False, then=[]
        )
