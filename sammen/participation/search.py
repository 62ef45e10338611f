"""Danish full-text search over opportunities, on PostgreSQL and on SQLite.

Two functions are public:

- `search_opportunities(qs, query, *, rank, then)` narrows a queryset to the opportunities whose
  title, summary or body contain every word of `query` in some Danish form ("cykelsti" finds
  "cykelstier", "skole" finds "skolens", "legeplads" finds "legepladser"). With `rank=True` the
  best matches come first (a word in the title counts more than one in the body) and `then` breaks
  ties; otherwise `then` is the whole ordering. Both databases annotate `search_rank` (higher is
  better) when ranking. Quotes, operators and other punctuation in `query` are read as spaces, so
  nothing a user types can change the query's syntax; see `sammen.core.search.query_words` for how
  words are chosen and widened. A query with no searchable word (only stop words such as "og",
  or only punctuation) finds nothing: an empty result says "no match" more honestly than the whole
  catalogue would.

- `stems_for(*, title, summary, body)` gives the value of `Opportunity.search_stems`. Whatever
  creates or changes an opportunity's title, summary or body (staff publishing, the importer, the
  demo seeder, also with `bulk_create`/`bulk_update`) sets `search_stems=stems_for(...)` in the same
  write. PostgreSQL does not need it, but the value is kept right on every database so a database
  can be switched without re-indexing.

PostgreSQL: the built-in `danish` text-search configuration over title (weight A), summary (B) and
body (C), stored by a trigger in the column `search_document` (not a model field) and indexed with
GIN (migration 0002 explains why a stored column). Every write through Django, `bulk_create` and
`update()` included, keeps it current without help. The query is matched with `@@` and ranked with
`ts_rank`.

SQLite: an FTS5 table `participation_opportunity_fts` with external content over
`participation_opportunity.search_stems`, kept in step by triggers (insert, update, delete), so
even `bulk_create` and raw deletes stay indexed. The query is stemmed in Python the same way and
matched with FTS5 MATCH, every term in double quotes. Ranking is FTS5's bm25; the title's stems are
stored twice so that, as on PostgreSQL, a title match outranks a body match.
"""

from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.search import (
    CombinedSearchQuery,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connections
from django.db.models import Expression, F, FloatField, Func, QuerySet
from django.db.models.expressions import RawSQL

from sammen.core.search import QueryWord, query_words, stems

PG_INDEX = "opportunity_search_danish"


def stems_for(*, title: str, summary: str, body: str) -> str:
    """The Danish stems of an opportunity's text, for `Opportunity.search_stems`.

    The title comes twice: SQLite's bm25 has no column weights here, so repetition gives the title
    the weight PostgreSQL gives it with setweight 'A'.
    """
    title_stems = stems(title)
    return " ".join([*title_stems, *title_stems, *stems(summary), *stems(body)])


def search_opportunities(qs: QuerySet, query: str, *, rank: bool, then: Sequence[Any]) -> QuerySet:
    """Opportunities in `qs` matching every word of `query`; see the module docstring."""
    words = query_words(query)
    if not words:
        return qs.none()
    if connections[qs.db].vendor == "postgresql":
        return _search_postgresql(qs, words, rank=rank, then=then)
    return _search_sqlite(qs, words, rank=rank, then=then)


# PostgreSQL ---------------------------------------------------------------------------------------


class _SearchDocument(Expression):
    """The hidden `participation_opportunity.search_document` column (not a model field).

    Like a column reference, it follows its table's alias, so it stays right in subqueries.
    """

    output_field = SearchVectorField()

    def __init__(self, alias: str | None = None) -> None:
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query=None, *args, **kwargs) -> "_SearchDocument":
        return _SearchDocument(query.get_initial_alias())

    def relabeled_clone(self, change_map: dict[str, str]) -> "_SearchDocument":
        return _SearchDocument(change_map.get(self.alias, self.alias))

    def get_group_by_cols(self) -> list["_SearchDocument"]:
        return [self]

    def as_sql(self, compiler, connection) -> tuple[str, list]:  # type: ignore[override]
        table = compiler.quote_name(self.alias)
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def _pg_query(words: list[QueryWord]) -> SearchQuery | CombinedSearchQuery:
    """Every word (AND), each in any of its forms (OR), stemmed by PostgreSQL itself.

    plainto_tsquery reads its argument as plain text, so no form can inject tsquery syntax.
    """
    result = None
    for word in words:
        alternatives = None
        for form in word.forms:
            one = SearchQuery(form, config="danish", search_type="plain")
            alternatives = one if alternatives is None else alternatives | one
        result = alternatives if result is None else result & alternatives
    return result


def _search_postgresql(
    qs: QuerySet, words: list[QueryWord], *, rank: bool, then: Sequence[Any]
) -> QuerySet:
    document = _SearchDocument()
    tsquery = _pg_query(words)
    qs = qs.alias(search_document=document).filter(search_document=tsquery)
    if rank:
        qs = qs.annotate(search_rank=SearchRank(document, tsquery))
        return qs.order_by(F("search_rank").desc(), *then)
    return qs.order_by(*then)


# SQLite -------------------------------------------------------------------------------------------


def _fts_match(words: list[QueryWord]) -> str:
    """An FTS5 query: every word (AND), each in any of its stems (OR), each stem a quoted string.

    Stems hold only letters and digits; doubling any quote is belt and braces.
    """

    def quoted(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    return " AND ".join("(" + " OR ".join(quoted(s) for s in word.stems) + ")" for word in words)


class _Bm25(Func):
    """-bm25 of a row for an FTS5 query (higher is better, like ts_rank).

    The matches are ranked once in a MATERIALIZED common table expression and looked up per row.
    A plain correlated subquery would rerun the full-text query, bm25 statistics and all, for every
    row: seconds per search at 100,000 rows instead of milliseconds.
    """

    template = (
        "(WITH fts_rank AS MATERIALIZED ("
        "SELECT rowid AS rid, bm25(participation_opportunity_fts) AS r"
        " FROM participation_opportunity_fts WHERE participation_opportunity_fts MATCH %%s"
        ") SELECT -r FROM fts_rank WHERE rid = %(expressions)s)"
    )
    output_field = FloatField()

    def __init__(self, match: str) -> None:
        super().__init__(F("pk"))
        self.match = match

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql, (self.match, *params)


def _search_sqlite(
    qs: QuerySet, words: list[QueryWord], *, rank: bool, then: Sequence[Any]
) -> QuerySet:
    match = _fts_match(words)
    # The only user-derived value, `match`, is a parameter.
    matching = RawSQL(
        "SELECT rowid FROM participation_opportunity_fts WHERE participation_opportunity_fts"
        " MATCH %s",
        (match,),
    )
    qs = qs.filter(pk__in=matching)
    if rank:
        qs = qs.annotate(search_rank=_Bm25(match))
        return qs.order_by(F("search_rank").desc(), *then)
    return qs.order_by(*then)
