"""Danish full-text search over opportunities.

The same cases run on whichever database the suite runs on: SQLite with `make test`, PostgreSQL in
CI. Only the index-usage test is PostgreSQL's and the FTS5 integrity test SQLite's.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sammen.participation.models import Opportunity
from sammen.participation.search import PG_INDEX, search_opportunities, stems_for
from sammen.participation.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

NEUTRAL_SUMMARY = "Kommunen vil gerne høre din mening."


def make(title: str, *, summary: str = NEUTRAL_SUMMARY, body: str = "", **kwargs) -> Opportunity:
    """An opportunity written the way every service writes one: with its stems."""
    return OpportunityFactory(
        title=title,
        summary=summary,
        body=body,
        search_stems=stems_for(title=title, summary=summary, body=body),
        **kwargs,
    )


def titles(query: str, *, rank: bool = False, then: tuple = ("pk",)) -> list[str]:
    qs = search_opportunities(Opportunity.objects.all(), query, rank=rank, then=then)
    return [o.title for o in qs]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("cykelsti", "Nye cykelstier på Amager"),
        ("skole", "Skolens nye legeplads"),
        ("lokalplan", "Forslag til lokalplanen for Valby"),
        ("børn", "Børnene får mere plads"),
        ("legeplads", "Nye legepladser i Sydhavnen"),
        ("legepladser", "En legeplads i Sydhavnen"),
        ("legepladsen", "Legepladserne i Sydhavnen"),
        ("by", "Byens rum"),
        ("byen", "En grøn by"),
        ("træ", "Flere træer langs gaden"),
        ("cykel", "Parkering for cykler"),
        ("cykler", "Hvor står din cykel?"),
        ("høring", "Høringerne om trafikken"),
        ("Nørrebro", "Nørrebros nye bibliotek"),
        ("CYKELSTI", "cykelstien"),
        ("skole børn", "Børnene på skolen"),
        ("skole og børn", "Børn i skolerne"),
        ("københavns havn", "Havnen i København"),
    ],
)
def test_a_danish_word_finds_its_other_forms(query, text):
    make(text)
    make("Ny belysning på Rådhuspladsen")

    assert titles(query) == [text]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        # A fixed list of endings, not a prefix search: "park" is not "parkering".
        ("park", "Parkering ved stationen"),
        ("plan", "Planter på taget"),
        ("by", "Byggeri på Amager"),
        # Every word of the query must be found.
        ("skole børn", "Skolens lærere"),
    ],
)
def test_a_word_does_not_find_other_words_that_merely_start_alike(query, text):
    make(text)

    assert titles(query) == []


def test_words_in_the_summary_and_the_body_are_found():
    make("Trafik i Valby", summary="Vi planlægger nye cykelstier.")
    make("Ny plads", body="Pladsen får en legeplads og bænke.")
    make("Ingen af dem")

    assert titles("cykelsti") == ["Trafik i Valby"]
    assert titles("legepladser") == ["Ny plads"]


def test_search_narrows_the_given_queryset():
    make("Cykelstier i Valby", is_published=True)
    make("Cykelstier på Amager", is_published=False)

    qs = search_opportunities(
        Opportunity.objects.filter(is_published=True), "cykelsti", rank=True, then=["pk"]
    )

    assert [o.title for o in qs] == ["Cykelstier i Valby"]
    assert qs.count() == 1


def test_ranked_results_can_be_counted_sliced_and_used_in_a_subquery():
    for n in range(3):
        make(f"Cykelstier etape {n}")
    make("Ny belysning på Rådhuspladsen")
    ranked = search_opportunities(Opportunity.objects.all(), "cykelsti", rank=True, then=["pk"])

    assert ranked.count() == 3
    assert len(ranked[1:3]) == 2
    assert Opportunity.objects.filter(pk__in=ranked).count() == 3
    assert Opportunity.objects.exclude(pk__in=ranked).get().title == "Ny belysning på Rådhuspladsen"


def test_stems_for_gives_the_stems_of_the_text_with_the_title_twice():
    assert stems_for(title="Skolens gård", summary="Børnene og byen", body="Nye træer.") == (
        "skol gård skol gård børn byen nye træer"
    )


def test_ranked_results_put_a_title_match_before_a_body_match():
    body_match = make("Trafik i Valby", body="Vi bygger en ny cykelsti langs Vigerslevvej.")
    title_match = make("Ny cykelsti langs Vigerslevvej", body="Trafikken får mere plads.")
    make("Ny belysning på Rådhuspladsen")
    assert body_match.pk < title_match.pk

    assert titles("cykelsti", rank=True) == [title_match.title, body_match.title]
    ranked = search_opportunities(Opportunity.objects.all(), "cykelsti", rank=True, then=["pk"])
    assert ranked[0].search_rank > ranked[1].search_rank


def test_equal_ranks_are_ordered_by_the_fallback():
    first = make("Cykelstier i Valby")
    second = make("Cykelstier i Ørestad")

    assert titles("cykelsti", rank=True, then=("-pk",)) == [second.title, first.title]
    assert titles("cykelsti", rank=True, then=("pk",)) == [first.title, second.title]


def test_unranked_results_follow_the_given_ordering_only():
    title_match = make("Ny cykelsti langs Vigerslevvej")
    body_match = make("Trafik i Valby", body="Vi bygger en ny cykelsti.")

    assert titles("cykelsti", then=("-pk",)) == [body_match.title, title_match.title]
    assert titles("cykelsti", then=("title",)) == [title_match.title, body_match.title]


@pytest.mark.parametrize("query", ["og", "og i det", "!!! ???", "  ", "", "AND OR NOT", '"" * -'])
def test_a_query_without_searchable_words_finds_nothing(query):
    make("Og så videre")
    make("Cykelstier i Valby")

    assert titles(query) == []
    assert titles(query, rank=True) == []


@pytest.mark.parametrize(
    "query",
    [
        '"cykelsti"',
        '"cykelsti',
        "cykelsti'",
        "cykelsti AND",
        "AND cykelsti",
        "cykelsti OR",
        "-cykelsti",
        "cykelsti*",
        "*cykelsti*",
        "NEAR(cykelsti)",
        "NEAR(cykelsti cykelsti)",
        "(cykelsti",
        "cykelsti)",
        "cykelsti:*",
        "cykelsti & !",
        "cykelsti | ",
        "cykelsti <-> ",
        "{cykelsti}",
        "^cykelsti",
        "cykelsti\\",
        "cykelsti\x00",
        "cykelsti " + "og " * 3500,
        "cykelsti " + "x" * 10_000,
        "cykelsti " * 1250,
    ],
)
def test_quotes_operators_and_long_queries_are_read_as_plain_words(query):
    make("Nye cykelstier på Amager")
    make("Ny belysning på Rådhuspladsen")

    assert titles(query) == ["Nye cykelstier på Amager"]
    assert titles(query, rank=True) == ["Nye cykelstier på Amager"]


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "ø" * 10_000,
        " ".join(f"ord{n}" for n in range(2_000)),
        # The most a query can hold: MAX_QUERY_WORDS long words, each widened to all its forms.
        " ".join(f"lokalplan{letter * 40}" for letter in "abcdefghijklmnopqrstuvwxyzæøå" * 2),
        "\ud800\udfff",
        "🚲 🌳",
        "北京",
        "* ( ) : ^ \" ' - + ~ < > | & !",
        "NEAR/3",
        # Read as the words "search", "stems", "cykelsti", "drop", "table", "1", …: none is
        # syntax, and no opportunity has all of them.
        "search_stems:cykelsti",
        "title:cykelsti",
        "cykelsti; DROP TABLE participation_opportunity; --",
        "cykelsti' OR '1'='1",
    ],
)
def test_any_query_gives_a_result_and_never_an_error(query):
    make("Nye cykelstier på Amager")

    assert titles(query) == []
    assert titles(query, rank=True) == []
    assert titles("cykelsti") == ["Nye cykelstier på Amager"]


def test_an_updated_opportunity_is_found_by_its_new_words_only():
    opportunity = make("Nye cykelstier på Amager")

    opportunity.title = "Ny legeplads i Valby"
    opportunity.search_stems = stems_for(
        title=opportunity.title, summary=opportunity.summary, body=opportunity.body
    )
    opportunity.save()

    assert titles("legeplads") == ["Ny legeplads i Valby"]
    assert titles("cykelsti") == []


def test_a_queryset_update_is_found_by_its_new_words_only():
    make("Nye cykelstier på Amager")
    title = "Ny legeplads i Valby"

    Opportunity.objects.update(
        title=title, search_stems=stems_for(title=title, summary=NEUTRAL_SUMMARY, body="")
    )

    assert titles("legeplads") == [title]
    assert titles("cykelsti") == []


def test_bulk_created_opportunities_are_found():
    template = make("Skabelon")
    rows = []
    for n in range(3):
        title = f"Cykelstier etape {n}"
        rows.append(
            Opportunity(
                channel=template.channel,
                title=title,
                summary=NEUTRAL_SUMMARY,
                search_stems=stems_for(title=title, summary=NEUTRAL_SUMMARY, body=""),
            )
        )
    Opportunity.objects.bulk_create(rows)

    assert titles("cykelsti") == ["Cykelstier etape 0", "Cykelstier etape 1", "Cykelstier etape 2"]


def test_deleted_opportunities_vanish_from_the_results():
    kept = make("Cykelstier i Valby")
    gone = make("Cykelstier på Amager")
    make("Cykelstier i Brønshøj")

    gone.delete()
    Opportunity.objects.filter(title="Cykelstier i Brønshøj").delete()

    assert titles("cykelsti") == [kept.title]
    assert titles("cykelsti", rank=True) == [kept.title]


def test_a_search_is_one_query_however_many_match():
    def count(n: int) -> int:
        Opportunity.objects.all().delete()
        for i in range(n):
            make(f"Cykelstier etape {i}")
        with CaptureQueriesContext(connection) as queries:
            results = list(
                search_opportunities(Opportunity.objects.all(), "cykelsti", rank=True, then=["pk"])
            )
        assert len(results) == n
        return len(queries)

    assert count(5) == count(50) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The GIN index exists on PostgreSQL only; SQLite searches its FTS5 table.",
)
def test_the_postgresql_search_uses_the_gin_index():
    make("Nye cykelstier på Amager")
    qs = search_opportunities(Opportunity.objects.all(), "cykelsti skole", rank=True, then=["pk"])

    with connection.cursor() as cursor:
        # A handful of rows is cheaper to scan; forbid that to see whether the index fits at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = qs.explain()

    assert PG_INDEX in plan, plan


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="The FTS5 table and its triggers exist on SQLite only.",
)
def test_the_sqlite_index_follows_inserts_updates_and_deletes():
    kept = make("Nye cykelstier på Amager")
    changed = make("Ny legeplads")
    gone = make("Ny belysning")
    changed.title = "Ny legeplads og bænke"
    changed.search_stems = stems_for(title=changed.title, summary=changed.summary, body="")
    changed.save()
    gone.delete()
    kept.save()

    with connection.cursor() as cursor:
        # Compares the index with the stems in participation_opportunity; raises on any mismatch.
        # If this fails, a migration rebuilt the table and dropped the triggers: see 0002.
        cursor.execute(
            "INSERT INTO participation_opportunity_fts (participation_opportunity_fts, rank)"
            " VALUES ('integrity-check', 1)"
        )
