"""Escalation of missed deadlines, step by step in Danish working days, and never twice."""

import io
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext

from sammen.accounts.models import Role, RoleAssignment, User
from sammen.core.mailing import deliver
from sammen.core.models import MailLog
from sammen.core.tests.factories import UserFactory, department
from sammen.core.workdays import COPENHAGEN
from sammen.ideas import escalation, services
from sammen.ideas.escalation import escalate_overdue, latest_escalation_levels
from sammen.ideas.models import Escalation, Idea
from sammen.ideas.states import State
from sammen.ideas.tests.factories import coordinator_user, staff_user, submitted_idea

pytestmark = pytest.mark.django_db

EMAIL = "karen@example.org"
PHONE = "+45 12 34 56 78"
NAME = "Karen Hansen"


def cph(month: int, day: int, hour: int = 8, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=COPENHAGEN)


def in_language(language: str, msgid: str, **params) -> str:
    """`msgid` as the mails render it in `language` (gettext of the code's own msgid), with
    `params` filled in."""
    with translation.override(language):
        text = gettext(msgid)
        return text % params if params else text


def consultant(abbreviation: str) -> User:
    user = UserFactory()
    RoleAssignment.objects.create(
        user=user, role=Role.CONSULTANT, department=department(abbreviation)
    )
    return user


@pytest.fixture
def people() -> SimpleNamespace:
    return SimpleNamespace(
        coordinator=coordinator_user(),
        other_coordinator=coordinator_user(),
        handler=staff_user("TMF"),
        tmf=consultant("TMF"),
        kff=consultant("KFF"),
    )


def confirmed(now: datetime) -> Idea:
    idea = submitted_idea(now=now - timedelta(hours=1), email=EMAIL, phone=PHONE, contact_name=NAME)
    return services.idea_confirm(idea=idea, now=now)


def triaged(now: datetime, people, handler: User | None = None) -> Idea:
    return services.idea_transition(
        idea=confirmed(now),
        to_state=State.TRIAGED,
        by=people.coordinator,
        lead_department=department("TMF"),
        coordinator=people.coordinator,
        handler=handler,
        now=now,
    )


def told(idea: Idea, level: int) -> set[str]:
    """The addresses the escalation mails of one step went to."""
    step = set(Escalation.objects.filter(idea=idea, level=level).values_list("pk", flat=True))
    return {
        row.recipient
        for row in MailLog.objects.filter(template="ideas.notify_escalation")
        if row.context["escalation"] in step
    }


def steps(idea: Idea) -> list[tuple[str, int]]:
    return list(idea.escalations.order_by("level").values_list("deadline", "level"))


@pytest.fixture
def one_day_to_answer(settings):
    # Confirmed on Tuesday 31 March 2026, the answer is due at the end of Wednesday 1 April; then
    # come Maundy Thursday, Good Friday, the weekend and Easter Monday.
    settings.IDEAS_ANSWER_WORKING_DAYS = 1


def test_a_missed_answer_goes_to_the_handler_then_the_consultants_then_the_coordinators(
    people, one_day_to_answer
):
    idea = triaged(cph(3, 31, 12), people, handler=people.handler)
    assert idea.answer_due == datetime(2026, 4, 1, 23, 59, 59, tzinfo=COPENHAGEN)
    MailLog.objects.all().delete()

    assert escalate_overdue(cph(4, 1, 23)) == 0  # not missed yet
    assert escalate_overdue(cph(4, 2, 0)) == 1  # Maundy Thursday, just after midnight
    assert steps(idea) == [("answer", 1)]
    assert told(idea, 1) == {people.handler.email}

    # One working day later is the end of Tuesday 7 April, after the Easter holidays.
    assert escalate_overdue(cph(4, 6, 20)) == 0
    assert escalate_overdue(cph(4, 7, 23)) == 0
    assert escalate_overdue(cph(4, 8, 0)) == 1
    assert told(idea, 2) == {people.tmf.email}

    assert escalate_overdue(cph(4, 8, 23)) == 0
    assert escalate_overdue(cph(4, 9, 0)) == 1
    assert told(idea, 3) == {people.coordinator.email, people.other_coordinator.email}

    # Never twice, however often the job runs.
    assert escalate_overdue(cph(4, 9, 1)) == 0
    assert escalate_overdue(cph(5, 20)) == 0
    assert steps(idea) == [("answer", 1), ("answer", 2), ("answer", 3)]
    assert MailLog.objects.filter(template="ideas.notify_escalation").count() == 4


def test_escalation_mails_say_what_was_missed_and_never_who_the_citizen_is(
    people, one_day_to_answer
):
    idea = triaged(cph(3, 31, 12), people, handler=people.handler)
    escalate_overdue(cph(4, 9))
    rows = MailLog.objects.filter(template="ideas.notify_escalation").order_by("pk")
    assert rows.count() == 4
    bodies = {}
    languages = {}
    for row in rows:
        before = len(mail.outbox)
        assert deliver(row.pk) == MailLog.Status.SENT, row.last_error
        message = mail.outbox[before]
        assert message.subject == in_language(
            row.language, "Deadline missed: %(reference)s", reference=idea.reference
        )
        for personal in (EMAIL, PHONE, NAME):
            assert personal not in message.body
        bodies[row.recipient] = message.body
        languages[row.recipient] = row.language
    handler, tmf, coordinator = people.handler.email, people.tmf.email, people.coordinator.email
    assert (
        in_language(languages[handler], "You get this because you handle the idea.")
        in (bodies[handler])
    )
    assert (
        in_language(
            languages[tmf],
            "You get this because you are a dialogue consultant for %(department)s.",
            department="Teknik- og Miljøforvaltningen",
        )
        in bodies[tmf]
    )
    assert (
        in_language(languages[coordinator], "You get this because you are a coordinator of ideas.")
        in bodies[coordinator]
    )
    assert f"/{idea.pk}/" in bodies[people.coordinator.email]


def test_without_a_handler_the_consultants_are_told_at_once(people, one_day_to_answer):
    idea = triaged(cph(3, 31, 12), people)
    assert escalate_overdue(cph(4, 2, 8)) == 1
    assert steps(idea) == [("answer", 2)]
    assert told(idea, 2) == {people.tmf.email}
    # A handler named afterwards is not sent the skipped first step.
    services.idea_assign(idea=idea, by=people.coordinator, handler=people.handler, now=cph(4, 2, 9))
    assert escalate_overdue(cph(4, 2, 10)) == 0
    assert escalate_overdue(cph(4, 9)) == 1
    assert steps(idea) == [("answer", 2), ("answer", 3)]


def test_a_department_without_consultants_falls_back_to_the_ideas_coordinator(
    people, one_day_to_answer
):
    RoleAssignment.objects.filter(role=Role.CONSULTANT).delete()
    idea = triaged(cph(3, 31, 12), people)
    assert escalate_overdue(cph(4, 2, 8)) == 1
    assert told(idea, 2) == {people.coordinator.email}


def test_an_idea_waiting_for_the_citizen_is_never_escalated(people, one_day_to_answer):
    idea = triaged(cph(3, 31, 12), people, handler=people.handler)
    idea = services.idea_transition(
        idea=idea,
        to_state=State.WAITING_FOR_CITIZEN,
        by=people.handler,
        public_message="Hvor præcis?",
        now=cph(4, 1, 10),
    )
    assert escalate_overdue(cph(4, 30)) == 0
    assert not Escalation.objects.exists()
    # The citizen answers on Thursday 30 April: the deadline moves on by the days it waited
    # (20 working days), and the new deadline has steps of its own.
    idea = services.idea_transition(
        idea=idea, to_state=State.IN_PROGRESS, by=people.handler, now=cph(4, 30, 10)
    )
    assert idea.answer_due > cph(4, 30, 10)
    assert escalate_overdue(cph(4, 30, 11)) == 0
    assert escalate_overdue(idea.answer_due + timedelta(minutes=1)) == 1
    assert list(idea.escalations.values_list("due_at", flat=True)) == [idea.answer_due]


def test_a_missed_acknowledgement_goes_to_the_coordinators_at_once(people):
    # Confirmed on Thursday 4 June 2026: Grundlovsdag and the weekend do not count, so the
    # acknowledgement is due at the end of Tuesday 9 June.
    idea = confirmed(cph(6, 4, 12))
    assert idea.acknowledge_due == datetime(2026, 6, 9, 23, 59, 59, tzinfo=COPENHAGEN)
    assert escalate_overdue(cph(6, 9, 23)) == 0
    assert escalate_overdue(cph(6, 10, 0)) == 1
    assert steps(idea) == [("acknowledge", 3)]
    assert told(idea, 3) == {people.coordinator.email, people.other_coordinator.email}
    assert escalate_overdue(cph(6, 11)) == 0


def test_an_undecided_handover_goes_to_the_receiving_consultants_then_the_coordinators(people):
    # Requested on Monday 21 December 2026: due at the end of Wednesday the 23rd; one working day
    # later is the end of Monday the 28th (Christmas Eve, Christmas Day and the weekend are off).
    idea = triaged(cph(12, 21, 9), people, handler=people.handler)
    handover = services.idea_hand_over(
        idea=idea,
        to_department=department("KFF"),
        by=people.handler,
        note="Kultur.",
        now=cph(12, 21, 12),
    )
    assert handover.due_at == datetime(2026, 12, 23, 23, 59, 59, tzinfo=COPENHAGEN)
    assert escalate_overdue(cph(12, 23, 23)) == 0
    assert escalate_overdue(cph(12, 24, 8)) == 1
    assert told(idea, 2) == {people.kff.email}
    assert escalate_overdue(cph(12, 28, 23)) == 0
    assert escalate_overdue(cph(12, 29, 8)) == 1
    assert told(idea, 3) == {people.coordinator.email, people.other_coordinator.email}
    assert set(idea.escalations.values_list("deadline", "department__abbreviation")) == {
        ("handover", "KFF")
    }
    assert escalate_overdue(cph(12, 30)) == 0


def test_a_second_worker_that_missed_the_first_ones_row_takes_no_step(
    people, one_day_to_answer, monkeypatch
):
    idea = triaged(cph(3, 31, 12), people, handler=people.handler)
    assert escalate_overdue(cph(4, 2)) == 1
    mails = MailLog.objects.count()
    # As if it had read the steps taken before the first worker committed: the insert is refused.
    monkeypatch.setattr(escalation, "_taken", lambda ideas: set())
    assert escalate_overdue(cph(4, 2, 9)) == 0
    assert steps(idea) == [("answer", 1)]
    assert MailLog.objects.count() == mails


def test_a_mail_about_a_deadline_met_meanwhile_is_cancelled(people, one_day_to_answer):
    idea = triaged(cph(3, 31, 12), people, handler=people.handler)
    escalate_overdue(cph(4, 2))
    row = MailLog.objects.get(template="ideas.notify_escalation")
    services.idea_transition(
        idea=idea,
        to_state=State.ANSWERED,
        by=people.handler,
        public_message="Svar.",
        now=cph(4, 2, 9),
    )
    assert deliver(row.pk) == MailLog.Status.CANCELLED


def test_latest_escalation_levels_for_the_dashboards(people, one_day_to_answer):
    late = triaged(cph(3, 31, 12), people, handler=people.handler)
    calm = triaged(cph(4, 7, 12), people, handler=people.handler)  # due at the end of 8 April
    # A step of an old deadline of the calm idea, since moved on: history, not counted.
    Escalation.objects.create(idea=calm, deadline="answer", due_at=cph(1, 5), level=3)
    escalate_overdue(cph(4, 8))
    assert latest_escalation_levels([late.pk, calm.pk]) == {late.pk: 2}
    assert list(escalation.escalated_ideas()) == [late]
    services.idea_transition(
        idea=late,
        to_state=State.ANSWERED,
        by=people.handler,
        public_message="Svar.",
        now=cph(4, 8, 9),
    )
    assert latest_escalation_levels([late.pk, calm.pk]) == {}
    assert latest_escalation_levels([]) == {}


def test_the_command_prints_counts_only(people):
    long_ago = datetime.now(tz=COPENHAGEN) - timedelta(days=60)
    triaged(long_ago, people)
    out = io.StringIO()
    call_command("escalate_ideas", stdout=out)
    assert out.getvalue() == "Took 2 escalation step(s).\n"  # consultants, then coordinators
    out = io.StringIO()
    call_command("escalate_ideas", stdout=out)
    assert out.getvalue() == "Took 0 escalation step(s).\n"
