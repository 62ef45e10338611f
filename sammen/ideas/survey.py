"""The satisfaction survey four weeks after an idea is closed (issue §3): two questions, one click
each, from links in the survey mail to the tracking page's survey view.

One click records, on purpose: the issue asks for one click per question, and a page with a
button would lose most answers. The price is that a link-scanning mail filter (Safe Links, a virus
scanner) that opens every link could record an answer nobody gave. We accept it because the
answers only feed anonymous figures in the yearly report, never a decision about the citizen; a
scanner opens all four links, so the last one opened wins and the error is bounded to those few
mailboxes; and the citizen can always correct the answer by clicking again (a repeated click just
updates). The mail builder should list "yes" before "no" for each question so a scanner's order
is at least predictable.
"""

from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sammen.ideas.models import Idea
from sammen.ideas.states import State

CLEAR = "clear"
HEARD = "heard"
QUESTIONS = {
    CLEAR: ("survey_clear_answer", _("Did you get a clear answer?")),
    HEARD: ("survey_felt_heard", _("Did you feel heard?")),
}
ANSWERS = {"yes": True, "no": False}


def survey_open(idea: Idea) -> bool:
    """Only a closed idea whose survey mail was sent can be answered."""
    return idea.state == State.CLOSED and idea.survey_sent_at is not None


def survey_url(idea: Idea, question: str, answer: str) -> str:
    """The absolute one-click link for the survey mail, e.g. survey_url(idea, "clear", "yes")."""
    if question not in QUESTIONS or answer not in ANSWERS:
        raise ValueError(f"unknown survey question or answer: {question!r} {answer!r}")
    path = reverse("ideas:survey", args=[idea.tracking_token])
    return f"{settings.SITE_URL}{path}?{urlencode({'question': question, 'answer': answer})}"


def other_question(question: str) -> str:
    return HEARD if question == CLEAR else CLEAR


@transaction.atomic
def survey_answer(*, idea: Idea, question: str, answer: str, now: datetime | None = None) -> Idea:
    """Record one answer ("clear" or "heard", "yes" or "no"); a repeated click overwrites it.

    Raises ValidationError for an unknown question or answer, and when the survey is not open
    (the idea is not closed, or no survey was sent). Returns the idea as saved.
    """
    if question not in QUESTIONS or answer not in ANSWERS:
        raise ValidationError(_("The link is incomplete or changed."), code="invalid")
    now = now or timezone.now()
    current = Idea.objects.select_for_update().get(pk=idea.pk)
    if not survey_open(current):
        raise ValidationError(_("There is no survey to answer for this idea."), code="closed")
    field = QUESTIONS[question][0]
    setattr(current, field, ANSWERS[answer])
    current.survey_answered_at = now
    current.save(update_fields=[field, "survey_answered_at", "updated_at"])
    return current
