"""Opportunities and public ideas that look like the idea a citizen is about to send (issue §1).

Before sending, the citizen sees running hearings, meetings, pools and other people's public
ideas about the same thing, so they can join one instead of starting a new case.

How "looks like" is decided: the Danish full-text search of each app (`search_opportunities`,
`search_ideas`) requires every word of a query, which is right for a search box but too strict
here: a title of five words rarely matches another title word for word. So the idea's title
words, then the first words of its text, are taken as up to MAX_WORDS separate queries; a row
matches when it holds any of them, and rows holding more of them come first. Each kind of result
is read in one SQL query whatever the number of words or rows (the words are subqueries of it),
so a page showing suggestions has a fixed number of queries.
"""

from collections.abc import Callable
from datetime import datetime

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from sammen.core.search import query_words
from sammen.ideas.models import Idea
from sammen.ideas.search import search_ideas
from sammen.ideas.states import Outcome, State
from sammen.participation.models import Opportunity
from sammen.participation.search import search_opportunities
from sammen.participation.selectors import closing_order, current_q, public_opportunities

# At most this many words make up the suggestion (title words first, then the text's).
MAX_WORDS = 6
# Only the start of the text is read: its first sentences say what the idea is about.
TEXT_START_CHARACTERS = 300
# How many suggestions of each kind a page shows.
LIMIT = 5


def similarity_words(title: str, description: str = "") -> list[str]:
    """The words to look for: the title's searchable words, then the text start's, no repeats.

    Stop words ("og", "på") are left out by `query_words`; so are words of one or two letters,
    which match too much to say anything about similarity.
    """
    chosen: list[str] = []
    for text in (title, (description or "")[:TEXT_START_CHARACTERS]):
        for word in query_words(text):
            if len(word.word) > 2 and word.word not in chosen:
                chosen.append(word.word)
            if len(chosen) == MAX_WORDS:
                return chosen
    return chosen


def public_ideas() -> QuerySet[Idea]:
    """Ideas anyone may see: the submitter agreed, the address was confirmed, and the idea was
    not closed as spam or as a duplicate of another."""
    return (
        Idea.objects.filter(consent_publish=True)
        .exclude(state=State.AWAITING_CONFIRMATION)
        .exclude(outcome__in=[Outcome.SPAM, Outcome.DUPLICATE])
    )


def _matching(qs: QuerySet, words: list[str], search: Callable[..., QuerySet]) -> QuerySet:
    """`qs` narrowed to rows holding any of `words`, annotated `similarity` (how many they hold)."""
    per_word = [search(qs, word, rank=False, then=["pk"]).values("pk") for word in words]
    union = per_word[0].union(*per_word[1:]) if len(per_word) > 1 else per_word[0]
    score = sum(
        (
            Case(When(pk__in=sub, then=Value(1)), default=Value(0), output_field=IntegerField())
            for sub in per_word
        ),
        start=Value(0, output_field=IntegerField()),
    )
    return qs.filter(pk__in=union).annotate(similarity=score)


def similar_opportunities(
    title: str, description: str = "", *, limit: int = LIMIT, now: datetime | None = None
) -> list[Opportunity]:
    """Public opportunities like the idea: the most words in common first, and among equals the
    ones one can still take part in (upcoming or open), soonest closing first. One query."""
    words = similarity_words(title, description)
    if not words:
        return []
    now = now or timezone.now()
    qs = _matching(public_opportunities(), words, search_opportunities)
    qs = qs.annotate(
        is_current=Case(When(current_q(now), then=Value(1)), default=Value(0)),
    ).select_related("channel")
    return list(qs.order_by("-similarity", "-is_current", *closing_order())[:limit])


def similar_ideas(
    title: str, description: str = "", *, limit: int = LIMIT, exclude: int | None = None
) -> list[Idea]:
    """Public ideas like the idea: the most words in common first, then the newest. One query.

    Only what a public page may show is read (never the contact fields)."""
    words = similarity_words(title, description)
    if not words:
        return []
    qs = public_ideas()
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    qs = _matching(qs, words, search_ideas)
    qs = qs.only("pk", "reference", "title", "description", "state", "outcome", "created_at")
    return list(qs.order_by("-similarity", "-created_at", "-pk")[:limit])
