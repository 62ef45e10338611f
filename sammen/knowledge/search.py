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

from django.db.models import QuerySet

from sammen.core.search import full_text_filter, stems

FTS_TABLE = "knowledge_entry_fts"

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
    return full_text_filter(
        qs, query, fts_table=FTS_TABLE, rank=rank, then=("-published_at", "-pk")
    )
