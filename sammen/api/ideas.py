"""Citizen ideas in the open data API: which ideas are public, and the list's filters.

Public means what the public idea board means, from the same condition
(`sammen.ideas.board.public_q`): the submitter agreed to publication (`consent_publish`), the
e-mail address was confirmed (an idea awaiting confirmation has not entered the queue), it was
not closed as spam or as a duplicate, and it has not been anonymised (erasure withdraws the
consent to publish: the idea leaves the board and the API together).

Never in the API: the submitter's name, e-mail, phone and address, the attachments, the tracking
token, internal notes, handovers, and the names of the coordinator and the handler. The handler
is a member of staff acting in office, but the department answers for the idea, so the lead
department is what the API names.
"""

from typing import Any

from django import forms
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from sammen.core.models import Department, District, Topic
from sammen.ideas.board import public_q
from sammen.ideas.models import Idea, TimelineEntry
from sammen.ideas.search import search_ideas
from sammen.ideas.states import Outcome, State
from sammen.participation.forms import MAX_QUERY_LENGTH, DistrictChoiceField

# The states and outcomes a public idea can have (for the filters and the schema's enums).
PUBLIC_STATES = tuple(s for s in State if s != State.AWAITING_CONFIRMATION)
PUBLIC_OUTCOMES = tuple(o for o in Outcome if o not in (Outcome.SPAM, Outcome.DUPLICATE))
# Timeline entries that change the state are public facts even without a message to the citizen.
STATE_CHANGES = (
    TimelineEntry.Kind.CONFIRMED,
    TimelineEntry.Kind.TRANSITION,
    TimelineEntry.Kind.REOPENED,
)


def public_ideas() -> QuerySet[Idea]:
    """Ideas anyone may read: the public idea board's, no more and no fewer."""
    return Idea.objects.filter(public_q())


def public_entries() -> QuerySet[TimelineEntry]:
    """The public part of timelines: changes of state and messages to the citizen, never notes."""
    return TimelineEntry.objects.filter(Q(kind__in=STATE_CHANGES) | ~Q(public_message=""))


def with_related(qs: QuerySet[Idea]) -> QuerySet[Idea]:
    """What the API shows of each idea, in a fixed number of queries.

    `last_public_change_at` is the time of the idea's latest public timeline entry: a message
    to the citizen does not save the idea row, yet it is a change a reader of the API must see.
    """
    latest_entry = (
        public_entries().filter(idea=OuterRef("pk")).order_by("-at", "-pk").values("at")[:1]
    )
    return (
        qs.select_related("lead_department", "referred_channel", "referred_opportunity")
        .defer(
            # Personal data and internals: never read, so never at risk of being shown.
            "contact_name",
            "email",
            "phone",
            "tracking_token",
            "search_stems",
        )
        .prefetch_related(
            Prefetch("districts", queryset=District.objects.only("id", "name", "slug", "number")),
            "topics",
            "involved_departments",
        )
        .annotate(last_public_change_at=Subquery(latest_entry))
    )


def public_timeline(idea: Idea) -> QuerySet[TimelineEntry]:
    return (
        public_entries()
        .filter(idea=idea)
        .only("at", "kind", "to_state", "public_message")
        .order_by("at", "pk")
    )


class IdeaFilterForm(forms.Form):
    """The filters of /api/v1/ideas, with the same names and slugs as the opportunities' filters.
    Only the API reads it, and answers with the field's name, so the fields need no labels."""

    q = forms.CharField(required=False, strip=True)
    district = DistrictChoiceField(
        queryset=District.objects.defer("geometry", "description"),
        to_field_name="slug",
        required=False,
    )
    topic = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
    )
    lead_department = forms.ModelMultipleChoiceField(
        queryset=Department.objects.all(),
        to_field_name="slug",
        required=False,
    )
    state = forms.MultipleChoiceField(
        choices=[(s.value, s.label) for s in PUBLIC_STATES], required=False
    )
    outcome = forms.MultipleChoiceField(
        choices=[(o.value, o.label) for o in PUBLIC_OUTCOMES], required=False
    )
    updated_since = forms.DateTimeField(required=False)

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:MAX_QUERY_LENGTH]


def filter_ideas(qs: QuerySet[Idea], params: dict[str, Any]) -> QuerySet[Idea]:
    """Apply the cleaned data of an IdeaFilterForm; the newest ideas (by confirmation) first."""
    district = params.get("district") or {}
    if district.get("districts") or district.get("whole_city"):
        links = Idea.districts.through.objects
        q = Q()
        if district.get("districts"):
            q |= Q(pk__in=links.filter(district__in=district["districts"]).values("idea_id"))
        if district.get("whole_city"):
            # The whole city: no district and no address (Idea.whole_city).
            q |= ~Q(pk__in=links.values("idea_id")) & Q(address="")
        qs = qs.filter(q)
    if params.get("topic"):
        qs = qs.filter(
            pk__in=Idea.topics.through.objects.filter(topic__in=params["topic"]).values("idea_id")
        )
    if params.get("lead_department"):
        qs = qs.filter(lead_department__in=params["lead_department"])
    if params.get("state"):
        qs = qs.filter(state__in=params["state"])
    if params.get("outcome"):
        qs = qs.filter(outcome__in=params["outcome"])
    since = params.get("updated_since")
    if since is not None:
        changed = public_entries().filter(at__gte=since).values("idea_id")
        qs = qs.filter(Q(updated_at__gte=since) | Q(pk__in=changed))
    order = ("-confirmed_at", "-pk")
    if params.get("q"):
        return search_ideas(qs, params["q"], rank=False, then=order)
    return qs.order_by(*order)
