"""Danish full-text search over knowledge entries: the public catalogue's machinery, for entries.

The same design as sammen/participation/search.py (read its docstring for the reasons) over the
table `knowledge_entry`:

- PostgreSQL: a hidden column `search_document` with the weighted `danish` tsvector of the title
  (A), summary (B) and every other text field (C), kept by a trigger and indexed with GIN
  (migration 0002). Queries are matched with `@@` and ranked with `ts_rank`.
- SQLite: an FTS5 table `knowledge_entry_fts` over `Entry.search_stems`, kept in step by triggers.
  `search_stems` is written by `services` on every save (`stems_for_entry`).

Query words are chosen and widened by `sammen.core.search.query_words`, so "unge" finds "ung",
"unges" and "unge" on both databases.
"""

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

# The long text fields that are searched with the body (weight C on PostgreSQL). Migration 0002's
# trigger lists the same columns: change both together.
TEXT_FIELDS = (
    "body",
    "purpose",
    "when_to_use",
    "steps",
    "participant_kind",
    "pitfalls",
    "reached",
    "outcome",
    "lessons",
)


def stems_for_entry(entry: Any) -> str:
    """The Danish stems of an entry's text, for `Entry.search_stems` (the title counts twice, as
    weight A does on PostgreSQL)."""
    title_stems = stems(entry.title)
    rest = [word for field in TEXT_FIELDS for word in stems(getattr(entry, field, "") or "")]
    return " ".join([*title_stems, *title_stems, *stems(entry.summary), *rest])


def search_entries(qs: QuerySet, query: str, *, rank: bool = True) -> QuerySet:
    """Entries in `qs` with every word of `query` in some Danish form, best matches first when
    `rank` (then newest). A query with no searchable word finds nothing."""
    words = query_words(query)
    if not words:
        return qs.none()
    then = ("-published_at", "-pk")
    if connections[qs.db].vendor == "postgresql":
        document = _SearchDocument()
        tsquery = _pg_query(words)
        qs = qs.alias(search_document=document).filter(search_document=tsquery)
        if rank:
            return qs.annotate(search_rank=SearchRank(document, tsquery)).order_by(
                F("search_rank").desc(), *then
            )
        return qs.order_by(*then)
    match = _fts_match(words)
    qs = qs.filter(
        pk__in=RawSQL(
            "SELECT rowid FROM knowledge_entry_fts WHERE knowledge_entry_fts MATCH %s", (match,)
        )
    )
    if rank:
        return qs.annotate(search_rank=_Bm25(match)).order_by(F("search_rank").desc(), *then)
    return qs.order_by(*then)


class _SearchDocument(Expression):
    """The hidden `knowledge_entry.search_document` column, following its table's alias."""

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
        return (
            f"{compiler.quote_name(self.alias)}.{connection.ops.quote_name('search_document')}",
            [],
        )


def _pg_query(words: list[QueryWord]) -> SearchQuery | CombinedSearchQuery:
    """Every word (AND), each in any of its forms (OR); plainto_tsquery, so no syntax injection."""
    result = None
    for word in words:
        alternatives = None
        for form in word.forms:
            one = SearchQuery(form, config="danish", search_type="plain")
            alternatives = one if alternatives is None else alternatives | one
        result = alternatives if result is None else result & alternatives
    return result


def _fts_match(words: list[QueryWord]) -> str:
    def quoted(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    return " AND ".join("(" + " OR ".join(quoted(s) for s in word.stems) + ")" for word in words)


class _Bm25(Func):
    """-bm25 of a row for an FTS5 query (higher is better), ranked once in a materialised CTE."""

    template = (
        "(WITH fts_rank AS MATERIALIZED ("
        "SELECT rowid AS rid, bm25(knowledge_entry_fts) AS r"
        " FROM knowledge_entry_fts WHERE knowledge_entry_fts MATCH %%s"
        ") SELECT -r FROM fts_rank WHERE rid = %(expressions)s)"
    )
    output_field = FloatField()

    def __init__(self, match: str) -> None:
        super().__init__(F("pk"))
        self.match = match

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql, (self.match, *params)
