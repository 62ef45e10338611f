"""The scheduled jobs: reminders the working day before a deadline, the coordinators' daily
digest and the survey after closing; each safe to run twice."""

import io
import re
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext

from sammen.accounts.models import Role, RoleAssignment, User
from sammen.core.mailing import deliver
from sammen.core.models import MailLog
from sammen.core.tests.factories import UserFactory, department
from sammen.core.workdays import COPENHAGEN, is_working_day, local_date
from sammen.ideas import jobs, services
from sammen.ideas.jobs import remind_deadlines_tomorrow, send_coordinator_digests, send_surveys
from sammen.ideas.models import Idea
from sammen.ideas.states import Outcome, State
from sammen.ideas.tests.factories import coordinator_user, idea_in, staff_user, submitted_idea

pytestmark = pytest.mark.django_db

EMAIL = "karen@example.org"
PHONE = "+45 12 34 56 78"
NAME = "Karen Hansen"


def cph(month: int, day: int, hour: int = 7, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=COPENHAGEN)


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


def confirmed(now: datetime, **kwargs) -> Idea:
    data = {"email": EMAIL, "phone": PHONE, "contact_name": NAME, **kwargs}
    idea = submitted_idea(now=now - timedelta(hours=1), **data)
    return services.idea_confirm(idea=idea, now=now)


def triaged(now: datetime, people, handler: User | None = None, **kwargs) -> Idea:
    return services.idea_transition(
        idea=confirmed(now, **kwargs),
        to_state=State.TRIAGED,
        by=people.coordinator,
        lead_department=department("TMF"),
        coordinator=people.coordinator,
        handler=handler,
        now=now,
    )


def in_language(language: str, msgid: str, **params) -> str:
    """`msgid` as the mails render it in `language` (gettext of the code's own msgid), with
    `params` filled in."""
    with translation.override(language):
        text = gettext(msgid)
        return text % params if params else text


def in_language_n(language: str, singular: str, plural: str, count: int, **params) -> str:
    """A plural text (blocktranslate count counter=...) as the mails render it in `language`."""
    with translation.override(language):
        return ngettext(singular, plural, count) % {"counter": count, **params}


def date_in(language: str, moment) -> str:
    """A deadline as the mails give it: the Copenhagen date, in `language`."""
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def sent(row: MailLog):
    before = len(mail.outbox)
    assert deliver(row.pk) == MailLog.Status.SENT, row.last_error
    message = mail.outbox[before]
    if row.language == "da" and row.recipient != EMAIL:  # staff: never the citizen's details
        for personal in (EMAIL, PHONE, NAME):
            assert personal not in message.body
    return message


# --- Reminders -------------------------------------------------------------------------------


@pytest.fixture
def two_days_to_answer(settings):
    # Confirmed on Tuesday 31 March 2026, the answer is due at the end of Tuesday 7 April:
    # Wednesday 1 April is the first working day, then Easter (2-6 April) is off.
    settings.IDEAS_ANSWER_WORKING_DAYS = 2


def reminders() -> list[MailLog]:
    return list(MailLog.objects.filter(template="ideas.notify_reminder").order_by("pk"))


def test_the_handler_is_reminded_the_working_day_before_the_deadline_once(
    people, two_days_to_answer
):
    idea = triaged(cph(3, 31, 12), people, handler=people.handler)
    assert idea.answer_due == datetime(2026, 4, 7, 23, 59, 59, tzinfo=COPENHAGEN)
    assert remind_deadlines_tomorrow(cph(3, 31, 13)) == 0
    assert remind_deadlines_tomorrow(cph(4, 1)) == 1  # the working day before, across Easter
    assert remind_deadlines_tomorrow(cph(4, 1, 15)) == 0
    assert remind_deadlines_tomorrow(cph(4, 2)) == 0  # Maundy Thursday: no job on a holiday
    assert remind_deadlines_tomorrow(cph(4, 7)) == 0  # due today: too late for "tomorrow"
    [row] = reminders()
    assert row.recipient == people.handler.email
    assert row.key == f"idea:{idea.pk}:reminder:2026-04-07:staff:{people.handler.pk}"
    message = sent(row)
    assert message.subject == in_language(
        row.language,
        "Reminder: the answer to %(reference)s is due %(date)s",
        reference=idea.reference,
        date=date_in(row.language, idea.answer_due),
    )


def test_without_a_handler_the_consultants_are_reminded(people, two_days_to_answer):
    triaged(cph(3, 31, 12), people)
    assert remind_deadlines_tomorrow(cph(4, 1)) == 1
    assert [row.recipient for row in reminders()] == [people.tmf.email]


def test_no_reminder_while_waiting_for_the_citizen_or_after_the_answer(people, two_days_to_answer):
    waiting = triaged(cph(3, 31, 12), people, handler=people.handler)
    services.idea_transition(
        idea=waiting,
        to_state=State.WAITING_FOR_CITIZEN,
        by=people.handler,
        public_message="Hvor?",
        now=cph(3, 31, 13),
    )
    answered = triaged(cph(3, 31, 12), people, handler=people.handler)
    services.idea_transition(
        idea=answered,
        to_state=State.ANSWERED,
        by=people.handler,
        public_message="Svar.",
        now=cph(3, 31, 13),
    )
    assert remind_deadlines_tomorrow(cph(4, 1)) == 0


def test_a_reminder_for_an_idea_answered_before_it_was_sent_is_cancelled(
    people, two_days_to_answer
):
    idea = triaged(cph(3, 31, 12), people, handler=people.handler)
    remind_deadlines_tomorrow(cph(4, 1))
    services.idea_transition(
        idea=idea,
        to_state=State.ANSWERED,
        by=people.handler,
        public_message="Svar.",
        now=cph(4, 1, 8),
    )
    assert deliver(reminders()[0].pk) == MailLog.Status.CANCELLED


# --- The coordinators' digest ----------------------------------------------------------------


def next_working_morning() -> datetime:
    """07:00 on the first working day from today on (the digest content is built at send time,
    from the real clock, so the ideas are made relative to it)."""
    day = local_date(timezone.now())
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 7, tzinfo=COPENHAGEN)


def digests() -> list[MailLog]:
    return list(MailLog.objects.filter(template="ideas.notify_digest").order_by("pk"))


def test_no_digest_when_there_is_nothing_to_say(people):
    assert send_coordinator_digests(next_working_morning()) == 0
    assert digests() == []


def test_one_digest_per_coordinator_per_working_day(people):
    now = timezone.now()
    untriaged = confirmed(now - timedelta(hours=2))
    overdue = triaged(now - timedelta(days=60), people, handler=people.handler)
    handed = triaged(now - timedelta(days=1), people, handler=people.handler)
    services.idea_hand_over(
        idea=handed, to_department=department("KFF"), by=people.handler, note="Kultur."
    )
    morning = next_working_morning()
    assert send_coordinator_digests(morning) == 2
    assert send_coordinator_digests(morning + timedelta(hours=3)) == 0
    rows = digests()
    assert {row.recipient for row in rows} == {
        people.coordinator.email,
        people.other_coordinator.email,
    }
    day = local_date(morning).isoformat()
    assert {row.key for row in rows} == {
        f"ideas-digest:{day}:{people.coordinator.pk}",
        f"ideas-digest:{day}:{people.other_coordinator.pk}",
    }
    language = rows[0].language
    body = sent(rows[0]).body
    assert (
        in_language_n(
            language, "%(counter)s idea waits for triage:", "%(counter)s ideas wait for triage:", 1
        )
        in body
    )
    acknowledge_by = in_language(
        language, "acknowledge by %(due)s", due=date_in(language, untriaged.acknowledge_due)
    )
    assert f"- {untriaged.reference} {untriaged.title} ({acknowledge_by})" in body
    assert "- Teknik- og Miljøforvaltningen: 1" in body
    assert (
        f"- {handed.reference}: Teknik- og Miljøforvaltningen → Kultur- og Fritidsforvaltningen"
        in body
    )
    assert overdue.reference not in body  # counted per department, not listed

    # The next working day, a new digest.
    next_day = local_date(morning) + timedelta(days=1)
    while not is_working_day(next_day):
        next_day += timedelta(days=1)
    later = datetime(next_day.year, next_day.month, next_day.day, 7, tzinfo=COPENHAGEN)
    assert send_coordinator_digests(later) == 2


def test_no_digest_on_a_weekend_or_holiday(people):
    confirmed(timezone.now() - timedelta(hours=2))
    assert send_coordinator_digests(cph(12, 25, year=2026)) == 0  # Christmas Day
    assert send_coordinator_digests(cph(11, 28, year=2026)) == 0  # a Saturday


def test_the_digest_lists_a_limited_number_and_counts_the_rest(people, monkeypatch):
    monkeypatch.setattr(jobs, "DIGEST_LIST_SIZE", 2)
    for _ in range(3):
        confirmed(timezone.now() - timedelta(hours=2))
    digest = jobs.coordinator_digest()
    assert (len(digest.untriaged), digest.untriaged_count, digest.untriaged_more) == (2, 3, 1)


def test_the_digest_takes_the_same_queries_for_few_and_many_ideas(
    people, django_assert_max_num_queries
):
    def make(count: int) -> None:
        for _ in range(count):
            confirmed(timezone.now() - timedelta(hours=2))
            idea = triaged(timezone.now() - timedelta(days=60), people)
            services.idea_hand_over(
                idea=idea, to_department=department("KFF"), by=people.handler, note="Kultur."
            )

    make(2)
    with CaptureQueriesContext(connection) as few:
        jobs.coordinator_digest()
    make(8)
    with django_assert_max_num_queries(len(few)):
        digest = jobs.coordinator_digest()
    assert (digest.untriaged_count, digest.handovers_count) == (10, 10)


# --- The survey ------------------------------------------------------------------------------


def closed_idea(people, at: datetime, **changes) -> Idea:
    idea = idea_in(State.CLOSED, coordinator=people.coordinator, now=at)
    if changes:
        Idea.objects.filter(pk=idea.pk).update(**changes)
        idea.refresh_from_db()
    return idea


def test_the_survey_goes_out_once_four_weeks_after_closing(people):
    closed_at = cph(3, 2, 12)
    idea = closed_idea(people, closed_at)
    assert send_surveys(closed_at + timedelta(days=27)) == 0
    assert send_surveys(closed_at + timedelta(days=28, minutes=1)) == 1
    assert send_surveys(closed_at + timedelta(days=29)) == 0
    idea.refresh_from_db()
    assert idea.survey_sent_at == closed_at + timedelta(days=28, minutes=1)
    row = MailLog.objects.get(template="ideas.notify_survey")
    assert (row.key, row.recipient) == (f"idea:{idea.pk}:survey", "karen@example.org")
    body = sent(row).body
    assert in_language(row.language, "Did you get a clear answer?") in body
    assert in_language(row.language, "Did you feel heard?") in body
    for question in ("clear", "heard"):
        for answer in ("yes", "no"):
            query = f"?question={question}&answer={answer}"
            assert [
                word
                for word in body.split()
                if word.endswith(query) and idea.tracking_token in word
            ], query


def test_the_survey_is_in_the_citizens_language(people):
    idea = closed_idea(people, cph(3, 2, 12), language="en")
    send_surveys(cph(4, 2))
    message = sent(MailLog.objects.get(template="ideas.notify_survey"))
    assert message.subject == f"Two questions about your idea {idea.reference}"


@pytest.mark.parametrize(
    "changes",
    [
        {"outcome": Outcome.DUPLICATE},
        {"outcome": Outcome.SPAM},
        {"anonymised_at": cph(3, 10)},
        {"consent_contact": False},
    ],
    ids=["duplicate", "spam", "anonymised", "no-consent"],
)
def test_no_survey_for_spam_duplicates_anonymised_or_without_consent(people, changes):
    closed_idea(people, cph(3, 2, 12), **changes)
    assert send_surveys(cph(4, 2)) == 0
    assert not MailLog.objects.filter(template="ideas.notify_survey").exists()


def test_the_claim_and_the_mail_are_one_transaction(people, monkeypatch):
    idea = closed_idea(people, cph(3, 2, 12))

    def refuse(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(jobs, "queue_mail", refuse)
    with pytest.raises(RuntimeError):
        send_surveys(cph(4, 2))
    idea.refresh_from_db()
    assert idea.survey_sent_at is None  # not claimed: the next run asks again


# --- The commands ----------------------------------------------------------------------------


def test_the_commands_print_counts_and_no_addresses(people):
    closed_idea(people, timezone.now() - timedelta(days=40))
    out = io.StringIO()
    call_command("send_idea_surveys", stdout=out)
    assert out.getvalue() == "Queued 1 survey(s).\n"
    out = io.StringIO()
    call_command("send_idea_reminders", stdout=out)
    assert re.fullmatch(r"Queued \d+ reminder\(s\) and \d+ digest\(s\)\.\n", out.getvalue())
