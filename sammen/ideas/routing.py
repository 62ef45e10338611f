"""A suggestion of the lead department for a new idea, for the coordinator triaging it.

The suggestion is advice shown beside the triage form with its reason, never applied by itself
(issue §2). Two sources, in this order:

1. The ideas routed in the past. Each department is described by the Danish stems of the ideas it
   led (title and description, as `Idea.search_stems` holds them: the same `sammen.core.search`
   stemmer the full-text search uses). The new idea is compared with each department by tf-idf
   weighted cosine similarity: a word most past ideas share ("københavn", "borger") weighs little,
   a word only one department's ideas use ("skolegård") weighs much. Only the newest
   HISTORY_LIMIT triaged ideas are read, as plain values, so the page stays fast as the years go.
2. When the history says nothing convincing: the idea's topics against the topics of each
   department's published opportunities.

Nothing is suggested unless one department is clearly ahead: a coordinator is better served by no
suggestion than by a coin toss.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import ngettext

from sammen.core.models import Department
from sammen.core.search import stem, words
from sammen.ideas.models import Idea
from sammen.participation.selectors import public_opportunities

# How many past ideas are read: the newest triaged ones. Enough to learn each department's words,
# few enough to read on every triage page.
HISTORY_LIMIT = 2000
# A department is suggested from history only with this cosine similarity (0..1) or more,
MIN_SIMILARITY = 0.12
# with at least this many different words in common with its past ideas,
MIN_SHARED_STEMS = 2
# and this far ahead of the next department (best ≥ runner-up × MIN_LEAD).
MIN_LEAD = 1.25
# How many of the shared words the reason names.
REASON_WORDS = 3


@dataclass(frozen=True)
class Suggestion:
    """A department to suggest as lead, why (a sentence for the coordinator) and how strongly:
    `score` is 0..1, the cosine similarity to the department's past ideas, or (from topics) the
    department's share of the published opportunities on the idea's topics."""

    department: Department
    reason: str
    score: float


def suggest_lead_department(idea: Idea) -> Suggestion | None:
    """The likely lead department of `idea`, or None when nothing is convincing."""
    return _from_history(idea) or _from_topics(idea)


def _idea_stems(idea: Idea) -> set[str]:
    return set((idea.search_stems or "").split())


def _surface_words(idea: Idea) -> dict[str, str]:
    """Each stem of the idea's text with the first word of the text that has it, for the reason
    (the coordinator reads "bænke", not the stem "bænk")."""
    surface: dict[str, str] = {}
    for word in words(f"{idea.title} {idea.description}"):
        surface.setdefault(stem(word), word)
    return surface


def _from_history(idea: Idea) -> Suggestion | None:
    own = _idea_stems(idea)
    if not own:
        return None
    rows = (
        Idea.objects.filter(lead_department__isnull=False, acknowledged_at__isnull=False)
        .exclude(pk=idea.pk)
        .exclude(search_stems="")
        .order_by("-acknowledged_at", "-pk")
        .values_list("lead_department_id", "search_stems")[:HISTORY_LIMIT]
    )
    documents = [(department_id, set(text.split())) for department_id, text in rows]
    if not documents:
        return None

    # Document frequency over the history, smoothed so a word every idea shares still counts a
    # little (and a history of one idea can still speak).
    total = len(documents)
    frequency: Counter[str] = Counter()
    for _department, document in documents:
        frequency.update(document)

    def idf(word: str) -> float:
        return math.log((1 + total) / (1 + frequency[word])) + 1

    # Each department's profile: how many of its ideas use each word, weighted by idf.
    profiles: dict[int, Counter[str]] = defaultdict(Counter)
    led: Counter[int] = Counter()
    for department_id, document in documents:
        profiles[department_id].update(document)
        led[department_id] += 1

    query = {word: idf(word) for word in own}
    query_norm = math.sqrt(sum(w * w for w in query.values()))
    scored: list[tuple[float, int, list[str]]] = []
    for department_id, counts in profiles.items():
        vector = {word: count * idf(word) for word, count in counts.items()}
        norm = math.sqrt(sum(w * w for w in vector.values()))
        shared = [word for word in own if word in vector]
        if not shared or not norm:
            continue
        similarity = sum(query[word] * vector[word] for word in shared) / (query_norm * norm)
        # The shared words that weigh most for this department, for the reason.
        shared.sort(key=lambda word: (-query[word] * vector[word], word))
        scored.append((similarity, department_id, shared))
    if not scored:
        return None
    scored.sort(key=lambda row: (-row[0], row[1]))
    best, department_id, shared = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best < MIN_SIMILARITY or len(shared) < MIN_SHARED_STEMS or best < runner_up * MIN_LEAD:
        return None

    department = Department.objects.get(pk=department_id)
    surface = _surface_words(idea)
    named = [f"“{surface.get(word, word)}”" for word in shared[:REASON_WORDS]]
    matching = sum(
        1 for dep, document in documents if dep == department_id and document & set(shared)
    )
    reason = ngettext(
        "%(count)d earlier idea led by %(department)s uses the same words, such as %(words)s.",
        "%(count)d earlier ideas led by %(department)s use the same words, such as %(words)s.",
        matching,
    ) % {"count": matching, "department": department.name, "words": ", ".join(named)}
    return Suggestion(department=department, reason=reason, score=round(best, 3))


def _from_topics(idea: Idea) -> Suggestion | None:
    """The department with the most published opportunities on the idea's topics, if one leads."""
    topics = list(idea.topics.all())
    if not topics:
        return None
    rows = list(
        public_opportunities()
        .filter(topics__in=topics, departments__isnull=False)
        .values("departments")
        .annotate(matches=Count("pk", distinct=True))
        .order_by("-matches", "departments")
    )
    if not rows:
        return None
    best = rows[0]["matches"]
    if len(rows) > 1 and rows[1]["matches"] >= best:
        return None
    department = Department.objects.get(pk=rows[0]["departments"])
    names = ", ".join(f"“{topic.name}”" for topic in topics)
    reason = ngettext(
        "%(department)s has %(count)d published opportunity on the idea's topics (%(topics)s).",
        "%(department)s has %(count)d published opportunities on the idea's topics (%(topics)s).",
        best,
    ) % {"department": department.name, "count": best, "topics": names}
    # The department's share of the matching opportunities (0..1).
    share = best / sum(row["matches"] for row in rows)
    return Suggestion(department=department, reason=reason, score=round(share, 3))
