"""What the public and the citizen see of an idea: the public idea board's selectors, the state in
plain words, and the next deadline on the citizen's tracking page.

Public means (issue §4): the submitter agreed to publication (`consent_publish`), the address was
confirmed (so the idea entered the queue and has a reference), and it was not closed as spam or as
a duplicate. An anonymised idea is never public: erasure withdraws the consent to publish (see
`sammen.ideas.privacy.idea_anonymise`). Personal data (name, e-mail, phone, address, attachments)
is never shown on a public page.

Every selector returns a queryset with a fixed number of queries whatever the number of ideas:
districts and topics are prefetched, the lead department joined.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sammen.core.models import District, Topic
from sammen.core.workdays import working_days_between
from sammen.ideas.models import Idea
from sammen.ideas.search import search_ideas
from sammen.ideas.states import OWNED_STATES, Outcome, State

# Closed with these outcomes, an idea is not shown: spam is nobody's idea, and a duplicate's
# content is the other idea's.
HIDDEN_OUTCOMES = (Outcome.SPAM, Outcome.DUPLICATE)

# Not needed by a public page: personal data and the search index's stems. (Deferring is for
# speed; what keeps personal data off public pages is that their templates never name it, which
# the tests check.)
NOT_PUBLIC_FIELDS = (
    "contact_name",
    "email",
    "phone",
    "address",
    "tracking_token",
    "search_stems",
)


class PublicState:
    """The three stages a visitor of the board can filter by."""

    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"

    choices = [
        (OPEN, _("Being handled")),
        (ANSWERED, _("Answered")),
        (CLOSED, _("Closed")),
    ]
    states = {
        OPEN: [State.RECEIVED, *sorted(OWNED_STATES - {State.ANSWERED})],
        ANSWERED: [State.ANSWERED],
        CLOSED: [State.CLOSED],
    }

    @classmethod
    def of(cls, state: str) -> str:
        if state == State.CLOSED:
            return cls.CLOSED
        if state == State.ANSWERED:
            return cls.ANSWERED
        return cls.OPEN

    @classmethod
    def label(cls, state: str) -> str:
        return str(dict(cls.choices)[cls.of(state)])


# The state in plain words for the citizen, with what it means for them (the tracking page).
STATE_TEXT: dict[str, tuple[Promise, Promise]] = {
    State.AWAITING_CONFIRMATION: (
        _("Waiting for you to confirm your e-mail address"),
        _(
            "Open the link in the e-mail we sent you. Until you do, nobody at the municipality "
            "sees your idea."
        ),
    ),
    State.RECEIVED: (
        _("Received"),
        _(
            "Your idea is in the queue. A coordinator is finding the department that should "
            "handle it."
        ),
    ),
    State.TRIAGED: (
        _("Sent to a department"),
        _("A department has taken your idea and will look at it."),
    ),
    State.IN_PROGRESS: (
        _("Being handled"),
        _("The department is working on your idea."),
    ),
    State.WAITING_FOR_CITIZEN: (
        _("Waiting for your reply"),
        _(
            "The department has asked you a question (see the messages below). The deadline "
            "stands still until you reply."
        ),
    ),
    State.ANSWERED: (
        _("Answered"),
        _(
            "The department has answered you (see the messages below). The case is closed when "
            "it is finished."
        ),
    ),
    State.CLOSED: (
        _("Closed"),
        _("The case is finished. You can read the outcome below."),
    ),
}


# --- the board -------------------------------------------------------------------------------


def public_q() -> Q:
    return (
        Q(consent_publish=True, confirmed_at__isnull=False, anonymised_at__isnull=True)
        & ~Q(state=State.AWAITING_CONFIRMATION)
        & ~Q(outcome__in=HIDDEN_OUTCOMES)
    )


def _districts() -> Prefetch:
    """Districts without their large boundaries, which no idea page needs."""
    return Prefetch("districts", queryset=District.objects.only("id", "name", "slug", "number"))


def _topics() -> Prefetch:
    return Prefetch("topics", queryset=Topic.objects.only("id", "name_da", "name_en", "slug"))


def public_ideas() -> QuerySet[Idea]:
    """Every idea the public may see, newest first, with what a card shows (fixed queries)."""
    return (
        Idea.objects.filter(public_q())
        .defer(*NOT_PUBLIC_FIELDS)
        .select_related("lead_department")
        .prefetch_related(_districts(), _topics())
        .order_by("-confirmed_at", "-pk")
    )


def filter_public_ideas(
    qs: QuerySet[Idea],
    *,
    districts: list[District] | None = None,
    topics: list[Topic] | None = None,
    stages: list[str] | None = None,
    query: str = "",
) -> QuerySet[Idea]:
    """The board's filters: any of the districts, any of the topics, any of the stages
    (PublicState), and every word of the search query (Danish full text). Newest first."""
    if districts:
        through = Idea.districts.through.objects.filter(district__in=districts)
        qs = qs.filter(pk__in=through.values("idea_id"))
    if topics:
        through = Idea.topics.through.objects.filter(topic__in=topics)
        qs = qs.filter(pk__in=through.values("idea_id"))
    if stages:
        states = [s for stage in stages for s in PublicState.states[stage]]
        qs = qs.filter(state__in=states)
    if query.strip():
        qs = search_ideas(qs, query, rank=False, then=("-confirmed_at", "-pk"))
    return qs


def public_idea(reference: str) -> Idea | None:
    """One public idea by its reference, with its referral targets; None when not public."""
    return (
        public_ideas()
        .select_related("referred_channel", "referred_opportunity")
        .filter(reference=reference)
        .first()
    )


# --- the tracking page's deadline -------------------------------------------------------------


@dataclass(frozen=True)
class NextDeadline:
    """The next date the citizen will hear from the municipality by."""

    kind: str  # "acknowledge" or "answer"
    due: datetime
    working_days_left: int
    overdue: bool
    paused: bool  # waiting for the citizen: the clock stands still


def next_deadline(idea: Idea, *, now: datetime | None = None) -> NextDeadline | None:
    """The acknowledgement deadline until a coordinator has acted on the idea, then the answer
    deadline until the first answer; None when neither is due (unconfirmed, answered, closed).

    While the idea waits for the citizen the answer deadline is paused: when the citizen replies
    the services move it on by the working days it stood still, so the date shown is the earliest
    it can be.
    """
    now = now or timezone.now()
    if idea.state == State.RECEIVED and idea.acknowledged_at is None and idea.acknowledge_due:
        kind, due = "acknowledge", idea.acknowledge_due
    elif idea.state in OWNED_STATES and idea.first_answered_at is None and idea.answer_due:
        kind, due = "answer", idea.answer_due
    else:
        return None
    paused = idea.state == State.WAITING_FOR_CITIZEN
    return NextDeadline(
        kind=kind,
        due=due,
        working_days_left=working_days_between(now, due),
        overdue=due < now and not paused,
        paused=paused,
    )
