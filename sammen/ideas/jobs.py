"""The scheduled jobs of ideas: deadline reminders, the coordinators' daily digest and the survey.

Plain functions the management commands call (`send_idea_reminders`, `send_idea_surveys`; the
escalation is in `escalation.py`). Each is safe to run twice, and by several workers at once:
reminders and digests are queued under a unique mail key per day and person, and the survey
claims its idea with a conditional UPDATE in the transaction that queues the mail. The mails are
built in `notifications.py`.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from sammen.core.mailing import queue_mail
from sammen.core.models import Department
from sammen.core.workdays import add_working_days, end_of_day, is_working_day, local_date
from sammen.ideas import notifications, selectors
from sammen.ideas.models import Idea
from sammen.ideas.notifications import CLOCK_RUNNING_STATES
from sammen.ideas.states import Outcome, State

# How many ideas and handovers the digest lists by name; the rest are counted.
DIGEST_LIST_SIZE = 25
# Closed ideas the citizen is not asked about: nobody handled them as ideas.
NO_SURVEY_OUTCOMES = (Outcome.SPAM, Outcome.DUPLICATE)


def remind_deadlines_tomorrow(now: datetime | None = None) -> int:
    """On a working day, remind the handler (or, with none, the lead department's consultants)
    of every unanswered idea whose answer deadline is the next working day. Returns the number
    of mails queued; a second run the same day queues none (key per idea, deadline and person)."""
    now = now or timezone.now()
    today = local_date(now)
    if not is_working_day(today):
        return 0
    ideas = (
        Idea.objects.filter(
            state__in=sorted(CLOCK_RUNNING_STATES),
            first_answered_at__isnull=True,
            answer_due__gt=end_of_day(today),
            answer_due__lte=add_working_days(now, 1),
        )
        .select_related("handler")
        .order_by("pk")
    )
    queued = 0
    for idea in ideas:
        due = local_date(idea.answer_due).isoformat()
        if idea.handler is not None and idea.handler.is_active:
            users = [idea.handler]
        else:
            users = notifications.department_consultants(idea.lead_department_id)
        queued += notifications.queue_staff_mails(
            key=f"idea:{idea.pk}:reminder:{due}",
            template=notifications.REMINDER,
            users=users,
            context={"idea": idea.pk, "due": due},
        )
    return queued


# --- The coordinators' daily digest ----------------------------------------------------------


@dataclass
class DigestIdea:
    reference: str
    title: str
    due: datetime
    overdue: bool


@dataclass
class DigestHandover:
    reference: str
    from_department: str
    to_department: str
    due: datetime
    overdue: bool


@dataclass
class CoordinatorDigest:
    """What the coordinators need to know today; names in the active language."""

    untriaged: list[DigestIdea] = field(default_factory=list)
    untriaged_count: int = 0
    overdue: list[tuple[str, int]] = field(default_factory=list)  # (lead department, count)
    handovers: list[DigestHandover] = field(default_factory=list)
    handovers_count: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.untriaged_count or self.overdue or self.handovers_count)

    @property
    def untriaged_more(self) -> int:
        return self.untriaged_count - len(self.untriaged)

    @property
    def handovers_more(self) -> int:
        return self.handovers_count - len(self.handovers)


def coordinator_digest(now: datetime | None = None) -> CoordinatorDigest:
    """The triage queue (oldest first), unanswered overdue ideas by lead department, and pending
    handovers (oldest deadline first). A fixed number of queries whatever the number of ideas."""
    now = now or timezone.now()
    queue = selectors.ideas_awaiting_triage()
    untriaged = [
        DigestIdea(i.reference or "", i.title, i.acknowledge_due, i.acknowledge_due < now)
        for i in queue.only("reference", "title", "acknowledge_due")[:DIGEST_LIST_SIZE]
    ]
    counts = dict(
        selectors.ideas_overdue_answer(now)
        .values_list("lead_department")
        .annotate(n=Count("pk"))
        .order_by()
    )
    departments = Department.objects.filter(pk__in=counts)
    overdue = sorted(((d.name, counts[d.pk]) for d in departments), key=lambda pair: pair[0])
    pending = selectors.handovers_pending().order_by("due_at", "pk")
    handovers = [
        DigestHandover(
            h.idea.reference or "",
            h.from_department.name,
            h.to_department.name,
            h.due_at,
            h.due_at < now,
        )
        for h in pending[:DIGEST_LIST_SIZE]
    ]
    return CoordinatorDigest(
        untriaged=untriaged,
        untriaged_count=queue.count() if len(untriaged) == DIGEST_LIST_SIZE else len(untriaged),
        overdue=overdue,
        handovers=handovers,
        handovers_count=(pending.count() if len(handovers) == DIGEST_LIST_SIZE else len(handovers)),
    )


def send_coordinator_digests(now: datetime | None = None) -> int:
    """Queue today's digest for every coordinator, on working days and only when there is
    something to tell. One mail per coordinator per day (key `ideas-digest:<date>:<user pk>`);
    returns the number queued. The mail is built from the situation when it is sent."""
    now = now or timezone.now()
    today = local_date(now)
    if not is_working_day(today) or coordinator_digest(now).is_empty:
        return 0
    queued = 0
    for user in notifications.coordinators():
        row = queue_mail(
            key=f"ideas-digest:{today.isoformat()}:{user.pk}",
            template=notifications.DIGEST,
            recipient=user.email,
            language=settings.LANGUAGE_CODE,
            context={"user": user.pk, "date": today.isoformat()},
        )
        queued += row is not None
    return queued


# --- The survey ------------------------------------------------------------------------------


def survey_after() -> timedelta:
    return timedelta(days=settings.IDEAS_SURVEY_AFTER_DAYS)


def ideas_due_a_survey(now: datetime | None = None) -> list[int]:
    """Ideas closed IDEAS_SURVEY_AFTER_DAYS ago or more whose citizen has not been asked yet and
    may be: consent to be contacted, not anonymised, not spam or a duplicate."""
    now = now or timezone.now()
    return list(
        Idea.objects.filter(
            state=State.CLOSED,
            closed_at__lte=now - survey_after(),
            survey_sent_at__isnull=True,
            anonymised_at__isnull=True,
            consent_contact=True,
        )
        .exclude(outcome__in=NO_SURVEY_OUTCOMES)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def send_surveys(now: datetime | None = None) -> int:
    """Ask each due citizen the two questions, once: the idea is claimed by setting
    `survey_sent_at` with a conditional UPDATE in the transaction that queues the mail, so a
    second run or a second worker finds nothing to claim. Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for idea_id in ideas_due_a_survey(now):
        with transaction.atomic():
            claimed = Idea.objects.filter(
                pk=idea_id, state=State.CLOSED, survey_sent_at__isnull=True
            ).update(survey_sent_at=now)
            if not claimed:
                continue
            idea = Idea.objects.only("email", "language").get(pk=idea_id)
            queue_mail(
                key=f"idea:{idea_id}:survey",
                template=notifications.SURVEY,
                recipient=idea.email,
                language=idea.language,
                context={"idea": idea_id},
            )
            sent += 1
    return sent
