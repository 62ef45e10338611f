"""The short survey after an event: who may answer, recording the answer, and the summaries.

A participant answers once, through the link in the feedback mail (the registration's token). The
survey opens when the event starts and is for registrations holding a seat (confirmed); the mail
goes to those checked in (`jobs.request_feedback`), but someone who was there without being
checked in and has the link may answer too.

What the participant writes in their own words ("what you will use", "anything else") is read by
the organisers only, as the mail promises: `event_feedback_summary` (with the "will use" answers)
and `event_feedback_comments` are for the organiser's page; `series_feedback_summary` holds
numbers only and may be shown to any member of staff.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.core.models import Principle
from sammen.events.models import Event, Feedback, Registration, Series

RATINGS = (1, 2, 3, 4, 5)


class AlreadyAnswered(Exception):
    """The registration's feedback was given before; the answer stands."""


def feedback_refusal(registration: Registration, now: datetime | None = None) -> str | None:
    """Why this registration may not answer the survey now, or None when it may.

    An earlier answer is not a refusal here: the page thanks the person instead (see
    `has_answered`)."""
    now = now or timezone.now()
    event = registration.event
    if event.cancelled_at:
        return str(_("The event was cancelled, so there is nothing to evaluate."))
    if registration.status != Registration.Status.CONFIRMED:
        return str(_("Only participants who had a seat at the event can answer the survey."))
    if now < event.starts_at:
        return str(_("The survey opens when the event begins."))
    return None


def has_answered(registration: Registration) -> bool:
    return Feedback.objects.filter(registration=registration).exists()


def give_feedback(
    *,
    registration: Registration,
    rating: int,
    will_use: str = "",
    principle: Principle | None = None,
    comment: str = "",
    now: datetime | None = None,
) -> Feedback:
    """Record the participant's answer. Refused (ValidationError) when the survey is not open to
    them; `AlreadyAnswered` when they answered before (also when two answers race: the
    registration's one-to-one row decides)."""
    now = now or timezone.now()
    refusal = feedback_refusal(registration, now)
    if refusal:
        raise ValidationError(refusal, code="closed")
    if rating not in RATINGS:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")}, code="rating")
    answer = Feedback(
        registration=registration,
        event_id=registration.event_id,
        rating=rating,
        will_use=will_use.strip(),
        principle=principle,
        comment=comment.strip(),
        created_at=now,
    )
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError as error:
        raise AlreadyAnswered from error
    return answer


# --- Summaries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrincipleCount:
    principle: Principle
    count: int


@dataclass(frozen=True)
class FeedbackSummary:
    """The answers of one event (or of a whole series): how many, the average rating (None without
    answers), how many gave each rating 1-5, and how often each principle was named."""

    count: int
    average: float | None
    distribution: dict[int, int]
    principles: tuple[PrincipleCount, ...]
    will_use: tuple[str, ...] = ()

    @property
    def distribution_rows(self) -> list[tuple[int, int, int]]:
        """(rating, count, percent of the answers), 5 first, for a table or bars."""
        return [
            (rating, n, round(100 * n / self.count) if self.count else 0)
            for rating, n in sorted(self.distribution.items(), reverse=True)
        ]


def _summary(answers, principles: list[Principle], *, with_will_use: bool) -> FeedbackSummary:
    """Two queries (three with the "will use" answers), whatever the number of answers."""
    ratings = dict(answers.order_by().values_list("rating").annotate(n=Count("pk")))
    named = dict(
        answers.filter(principle__isnull=False)
        .order_by()
        .values_list("principle_id")
        .annotate(n=Count("pk"))
    )
    count = sum(ratings.values())
    total = sum(rating * n for rating, n in ratings.items())
    will_use: tuple[str, ...] = ()
    if with_will_use:
        will_use = tuple(
            answers.exclude(will_use="")
            .order_by("created_at", "pk")
            .values_list("will_use", flat=True)
        )
    return FeedbackSummary(
        count=count,
        average=round(total / count, 2) if count else None,
        distribution={rating: ratings.get(rating, 0) for rating in RATINGS},
        principles=tuple(
            PrincipleCount(principle=p, count=named[p.pk]) for p in principles if p.pk in named
        ),
        will_use=will_use,
    )


def event_feedback_summary(event: Event) -> FeedbackSummary:
    """The event's answers in numbers, with the "will use" answers (for the organisers' page)."""
    return _summary(
        Feedback.objects.filter(event=event), list(Principle.objects.all()), with_will_use=True
    )


def event_feedback_comments(event: Event) -> list[str]:
    """The "anything else" answers, oldest first, without names: for the organisers only."""
    return list(
        Feedback.objects.filter(event=event)
        .exclude(comment="")
        .order_by("created_at", "pk")
        .values_list("comment", flat=True)
    )


@dataclass(frozen=True)
class EditionFeedback:
    """One event of a series: its answers counted and averaged."""

    event: Event
    count: int
    average: float | None


@dataclass(frozen=True)
class SeriesFeedback:
    series: Series
    editions: tuple[EditionFeedback, ...]
    overall: FeedbackSummary


def series_feedback_summary(series: Series, now: datetime | None = None) -> SeriesFeedback:
    """Per edition that has begun (cancelled ones left out) and overall, in numbers only, so it
    can be shown to any member of staff. Four queries, whatever the number of editions."""
    now = now or timezone.now()
    editions = list(
        series.events.filter(starts_at__lte=now, cancelled_at__isnull=True)
        .select_related("principle")
        .annotate(
            answers=Count("feedback"),
            average_rating=Avg("feedback__rating"),
        )
        .order_by("starts_at", "pk")
    )
    overall = _summary(
        Feedback.objects.filter(event__in=[e.pk for e in editions]),
        list(Principle.objects.all()),
        with_will_use=False,
    )
    return SeriesFeedback(
        series=series,
        editions=tuple(
            EditionFeedback(
                event=e,
                count=e.answers,
                average=round(float(e.average_rating), 2) if e.answers else None,
            )
            for e in editions
        ),
        overall=overall,
    )


def answered_count(event: Event) -> dict[str, int]:
    """How many were asked (checked in) and how many answered: the response rate's parts."""
    return Registration.objects.filter(event=event).aggregate(
        asked=Count("pk", filter=Q(checked_in_at__isnull=False)),
        answered=Count("feedback"),
    )
