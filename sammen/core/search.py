"""Danish words and stems for full-text search.

PostgreSQL stems Danish itself with its built-in `danish` text-search configuration. SQLite cannot,
so we stem in Python with PyStemmer's Snowball "danish" algorithm and the Snowball Danish stop-word
list, which are exactly what PostgreSQL's `danish` configuration uses: both databases agree on the
stem of a word, so one set of tests holds on both.

Snowball alone misses pairs a Copenhagener expects to match. It leaves short words alone ("by" and
"byen", "træ" and "træer") and reads a final s as a genitive, so "legeplads" becomes "legeplad"
while "legepladser" becomes "legeplads". Documents are therefore stemmed plainly, and each word of
a query is widened to the stems of its usual Danish inflections (`query_words`): singular and
plural, indefinite and definite, with and without the genitive s. The widening is a short, fixed
list of endings, not a prefix search, so "park" does not find "parkering".
"""

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import Stemmer
from django.contrib.postgres.search import (
    CombinedSearchQuery,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connections
from django.db.models import Expression, F, FloatField, Func, QuerySet
from django.db.models.expressions import RawSQL

# The Snowball Danish stop-word list, identical to PostgreSQL's tsearch_data/danish.stop.
DANISH_STOP_WORDS = frozenset(
    """
    og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om vi
    min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle
    vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne end dette mit også
    under have dig anden hende mine alt meget sit sine vor mod disse hvis din nogle hos blive mange
    ad bliver hendes været thi jer sådan
    """.split()  # noqa: SIM905 (kept in the layout of the Snowball list, easy to compare)
)

# No Danish word is this long; longer "words" are noise (PostgreSQL ignores those over 2047 bytes).
MAX_WORD_LENGTH = 60
# A query uses at most this many distinct words, so a pasted page cannot build a huge query.
MAX_QUERY_WORDS = 32

# Letters and digits; everything else (punctuation, quotes, operators, underscores) separates words.
_WORD = re.compile(r"[^\W_]+")
_VOWELS = frozenset("aeiouyæøå")
# Endings of Danish nouns (and adjectives): -e/-er plural, -en/-et definite, -ene/-erne definite
# plural, each with a genitive s. Used to widen a query word to the forms it should find.
_ENDINGS = ("e", "en", "et", "er", "ene", "erne", "s", "es", "ens", "ets", "ers", "enes", "ernes")
# Endings stripped from a query word to find its base ("byen" → "by", "legepladser" → "legeplads").
# A lone -e or -s is left to Snowball, which handles it well and would otherwise over-reach.
_STRIPPED = ("en", "et", "er", "ene", "erne", "ens", "ets", "ers", "enes", "ernes")

# Search-engine operators typed in capitals are dropped rather than searched for as words.
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})

_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    # PyStemmer objects are not thread-safe: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("danish")
    return stemmer


def words(text: str) -> list[str]:
    """The lower-case words of a text, in order: runs of letters and digits."""
    return _tokens((text or "").lower())


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text or "")
    return [w for w in _WORD.findall(text) if len(w) <= MAX_WORD_LENGTH]


def stem(word: str) -> str:
    """The Snowball Danish stem of one lower-case word."""
    return _stemmer().stemWord(word)


def stems(text: str) -> list[str]:
    """The stems of a text's words, stop words left out, in order (repeats kept for ranking)."""
    return _stemmer().stemWords([w for w in words(text) if w not in DANISH_STOP_WORDS])


@dataclass(frozen=True)
class QueryWord:
    """One word of a query and what it should find: any of `stems`.

    `forms` holds one spelled-out word per stem (forms[i] stems to stems[i]), for a database that
    stems the query itself (PostgreSQL), so its own stemmer decides, exactly as for its index.
    """

    word: str
    forms: tuple[str, ...]
    stems: tuple[str, ...]


def _bases(word: str) -> list[str]:
    """The word and the bases it may be an inflection of, each with its syncopated twin."""
    bases = [word]
    for ending in _STRIPPED:
        base = word.removesuffix(ending)
        if base != word and len(base) >= 2 and _VOWELS & set(base):
            bases.append(base)
    for base in list(bases):
        # Syncope: an unstressed -el loses its e before an ending ("cykel", "cykler", "cyklen").
        if len(base) >= 4 and base.endswith("el") and base[-3] not in _VOWELS:
            bases.append(base[:-2] + "l")
        elif len(base) >= 3 and base.endswith("l") and base[-2] not in _VOWELS:
            bases.append(base[:-1] + "el")
    return bases


def query_words(query: str) -> list[QueryWord]:
    """The searchable words of a user's query, each widened to its usual Danish inflections.

    Every word is required; there is no query syntax. Punctuation (quotes, -, *, parentheses,
    colons) separates words, and AND, OR, NOT and NEAR in capitals are dropped. Stop words,
    over-long words and duplicates are left out, and at most MAX_QUERY_WORDS words are kept. Words
    with digits are not inflected ("2025" stays "2025"). An empty list means the query has nothing
    to search for.
    """
    result: list[QueryWord] = []
    seen: set[str] = set()
    for token in _tokens(query):
        word = token.lower()
        if token in _OPERATORS or word in DANISH_STOP_WORDS or word in seen:
            continue
        seen.add(word)
        forms = [word]
        if word.isalpha():
            for base in _bases(word):
                forms.append(base)
                forms.extend(base + ending for ending in _ENDINGS)
        by_stem: dict[str, str] = {}
        for form in forms:
            if form not in DANISH_STOP_WORDS and len(form) <= MAX_WORD_LENGTH:
                by_stem.setdefault(stem(form), form)
        result.append(QueryWord(word, tuple(by_stem.values()), tuple(by_stem)))
        if len(result) == MAX_QUERY_WORDS:
            break
    return result


# Querying a table's full-text index -----------------------------------------------------------
#
# Each searchable table has the same two indexes, made by its app's migrations: on PostgreSQL a
# hidden tsvector column `search_document` kept by a trigger (GIN-indexed), on SQLite an FTS5 table
# `<table>_fts` over the row's `search_stems`, kept by triggers. `full_text_filter` queries either.

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def _table_name(name: str) -> str:
    """A table name goes into SQL as text, so it must be a plain identifier (never user input)."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a table name: {name!r}")
    return name


class SearchDocument(Expression):
    """The hidden `search_document` column of the queryset's table (not a model field).

    Like a column reference, it follows its table's alias, so it stays right in subqueries.
    """

    output_field = SearchVectorField()

    def __init__(self, alias: str | None = None) -> None:
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query=None, *args, **kwargs) -> "SearchDocument":
        return SearchDocument(query.get_initial_alias())

    def relabeled_clone(self, change_map: dict[str, str]) -> "SearchDocument":
        return SearchDocument(change_map.get(self.alias, self.alias))

    def get_group_by_cols(self) -> list["SearchDocument"]:
        return [self]

    def as_sql(self, compiler, connection) -> tuple[str, list]:  # type: ignore[override]
        table = compiler.quote_name(self.alias)
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def pg_query(words: list[QueryWord]) -> SearchQuery | CombinedSearchQuery:
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


def fts_match(words: list[QueryWord]) -> str:
    """An FTS5 query: every word (AND), each in any of its stems (OR), each stem a quoted string.

    Stems hold only letters and digits; doubling any quote is belt and braces.
    """

    def quoted(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    return " AND ".join("(" + " OR ".join(quoted(s) for s in word.stems) + ")" for word in words)


class Bm25(Func):
    """-bm25 of a row for an FTS5 query (higher is better, like ts_rank).

    The matches are ranked once in a MATERIALIZED common table expression and looked up per row.
    A plain correlated subquery would rerun the full-text query, bm25 statistics and all, for every
    row: seconds per search at 100,000 rows instead of milliseconds.
    """

    output_field = FloatField()

    def __init__(self, fts_table: str, match: str) -> None:
        super().__init__(F("pk"))
        fts_table = _table_name(fts_table)
        # The table name is checked to be a plain identifier; `match` goes in as a parameter.
        self.template = (
            f"(WITH fts_rank AS MATERIALIZED (SELECT rowid AS rid, bm25({fts_table}) AS r"  # noqa: S608
            f" FROM {fts_table} WHERE {fts_table} MATCH %%s"
            ") SELECT -r FROM fts_rank WHERE rid = %(expressions)s)"
        )
        self.match = match

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql, (self.match, *params)


def full_text_filter(
    qs: QuerySet, query: str, *, fts_table: str, rank: bool, then: Sequence[Any]
) -> QuerySet:
    """Rows of `qs` holding every word of `query` in some Danish form.

    With `rank`, the best matches first (annotated `search_rank`, higher is better) and `then`
    breaks ties; otherwise `then` is the whole order. A query with no searchable word finds nothing.
    `fts_table` names the SQLite FTS5 table (a constant of the calling app, never user input).
    """
    fts_table = _table_name(fts_table)
    words = query_words(query)
    if not words:
        return qs.none()
    if connections[qs.db].vendor == "postgresql":
        document = SearchDocument()
        tsquery = pg_query(words)
        qs = qs.alias(search_document=document).filter(search_document=tsquery)
        if rank:
            qs = qs.annotate(search_rank=SearchRank(document, tsquery))
    else:
        match = fts_match(words)
        # The only user-derived value, `match`, is a parameter.
        matching = RawSQL(f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s", (match,))  # noqa: S608,S611 (checked identifier; match is a parameter)
        qs = qs.filter(pk__in=matching)
        if rank:
            qs = qs.annotate(search_rank=Bm25(fts_table, match))
    if rank:
        return qs.order_by(F("search_rank").desc(), *then)
    return qs.order_by(*then)
