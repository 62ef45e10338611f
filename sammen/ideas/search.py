"""Danish full-text search over ideas (title and description), for the similar-ideas hint on the
submission form, the public idea board and the staff lists.

The same design as sammen/participation/search.py: on PostgreSQL the `search_document` tsvector
column kept by a trigger (migration 0003), on SQLite the FTS5 table `ideas_idea_fts` over
`Idea.search_stems`, which `services.idea_submit` writes. Queries go through
`sammen.core.search.full_text_filter`, so both databases find the same ideas.
"""

from typing import Any

from django.db.models import QuerySet

from sammen.core.search import full_text_filter, stems

FTS_TABLE = "ideas_idea_fts"


def stems_for(*, title: str, description: str) -> str:
    """The stems of an idea's text; the title twice, as weight A counts it on PostgreSQL."""
    title_stems = stems(title)
    return " ".join([*title_stems, *title_stems, *stems(description)])


def search_ideas(qs: QuerySet, query: str, *, rank: bool = True, then: Any = ("-pk",)) -> QuerySet:
    """Ideas in `qs` with every word of `query` in some Danish form, best first when `rank`."""
    return full_text_filter(qs, query, fts_table=FTS_TABLE, rank=rank, then=then)
