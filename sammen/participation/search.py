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
matched with FTS5 MATCH, every term in double quotes. The querying itself is shared with the
knowledge base: `sammen.core.search.full_text_filter`. Ranking is FTS5's bm25; the title's stems are
stored twice so that, as on PostgreSQL, a title match outranks a body match.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from sammen.core.search import full_text_filter, stems

PG_INDEX = "opportunity_search_danish"
FTS_TABLE = "participation_opportunity_fts"


def stems_for(*, title: str, summary: str, body: str) -> str:
    """The Danish stems of an opportunity's text, for `Opportunity.search_stems`.

    The title comes twice: SQLite's bm25 has no column weights here, so repetition gives the title
    the weight PostgreSQL gives it with setweight 'A'.
    """
    title_stems = stems(title)
    return " ".join([*title_stems, *title_stems, *stems(summary), *stems(body)])


def search_opportunities(qs: QuerySet, query: str, *, rank: bool, then: Sequence[Any]) -> QuerySet:
    """Opportunities in `qs` matching every word of `query`; see the module docstring."""
    return full_text_filter(qs, query, fts_table=FTS_TABLE, rank=rank, then=then)
