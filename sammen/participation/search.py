"""Danish full-text search over opportunities (implemented by the search work; see README)."""

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet


def search_opportunities(qs: QuerySet, query: str, *, rank: bool, then: Sequence[Any]) -> QuerySet:
    words = [w for w in query.split() if w]
    q = Q()
    for word in words:
        q &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    return qs.filter(q).order_by(*then)
