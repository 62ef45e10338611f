"""Who hears of each change to an idea: the citizen, the followers of a public idea and staff.

The services queue the mails (MailLog rows) in their transaction; these tests read the rows, then
send them with `mailing.deliver` to see each mail as it goes out.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from sammen.accounts.models import Role, RoleAssignment, User
from sammen.core.mailing import deliver
from sammen.core.models import MailLog
from sammen.core.tests.factories import UserFactory, department
from sammen.ideas import services
from sammen.ideas.models import Follower, Idea, TimelineEntry
from sammen.ideas.states import Outcome, State
from sammen.ideas.tests.factories import coordinator_user, staff_user, submitted_idea
from sammen.participation.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

EMAIL = "karen@example.org"
PHONE = "+45 12 34 56 78"
NAME = "Karen Hansen"


def consultant(abbreviation: str, **kwargs) -> User:
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(
        user=user, role=Role.CONSULTANT, department=department(abbreviation)
    )
    return user


def received(**kwargs) -> Idea:
    data = {"email": EMAIL, "phone": PHONE, "contact_name": NAME, **kwargs}
    idea = submitted_idea(now=timezone.now() - timedelta(hours=1), **data)
    return services.idea_confirm(idea=idea)


def entry_rows(idea: Idea) -> dict[str, MailLog]:
    """This idea's mails about timeline entries, by key with the idea's part cut off."""
    prefix = f"idea:{idea.pk}:entry:"
    rows = {
        row.key.removeprefix(prefix).split(":", 1)[1]: row
        for row in MailLog.objects.filter(key__startswith=prefix)
    }
    assert len(rows) == MailLog.objects.filter(key__startswith=prefix).count(), "several entries"
    return rows


def send(rows) -> dict[str, EmailMessage]:
    """Send queued rows now, as the worker would; the message each produced, by recipient."""
    sent = {}
    for row in sorted(rows, key=lambda r: r.pk):
        before = len(mail.outbox)
        assert deliver(row.pk) == MailLog.Status.SENT, (row.key, row.last_error)
        sent[row.recipient] = mail.outbox[before]
    return sent


def in_language(language: str, msgid: str, **params) -> str:
    """`msgid` as the mails render it in `language` (gettext of the code's own msgid), with
    `params` filled in; lazy values (choice labels) are translated in that language too."""
    with translation.override(language):
        text = gettext(msgid)
        return text % params if params else text


def start_of(language: str, msgid: str) -> str:
    """The fixed start of a translated text, up to its first placeholder."""
    start = in_language(language, msgid).partition("%(")[0]
    assert start.strip(), msgid
    return start


def date_in(language: str, moment) -> str:
    """A deadline as the mails give it: the Copenhagen date, in `language`."""
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def link_to(token: str, body: str) -> str:
    """The one link in a mail that carries `token` (the routes belong to the citizen pages)."""
    links = [word for word in body.split() if token in word]
    assert len(links) == 1, links
    return links[0]


@pytest.fixture
def people() -> SimpleNamespace:
    return SimpleNamespace(
        coordinator=coordinator_user(first_name="Camilla", last_name="Krogh"),
        handler=staff_user("TMF", first_name="Henrik", last_name="Holm"),
        tmf=consultant("TMF", first_name="Tove"),
        kff=consultant("KFF", first_name="Kaj"),
    )


def triage(idea: Idea, people: SimpleNamespace, **details) -> Idea:
    return services.idea_transition(
        idea=idea,
        to_state=State.TRIAGED,
        by=people.coordinator,
        lead_department=department("TMF"),
        coordinator=people.coordinator,
        **details,
    )


# --- Submitting and confirming ---------------------------------------------------------------


def test_submitting_and_confirming_send_nothing_from_here(people):
    idea = received()
    assert entry_rows(idea) == {}  # the submit mails (confirmation link, receipt) are elsewhere


# --- Triage ----------------------------------------------------------------------------------


def test_triage_with_a_handler_tells_the_citizen_the_handler_and_involved_departments(people):
    idea = triage(
        received(), people, handler=people.handler, involved_departments=[department("KFF")]
    )
    rows = entry_rows(idea)
    assert set(rows) == {"citizen", f"staff:{people.handler.pk}", f"staff:{people.kff.pk}"}
    assert rows["citizen"].recipient == EMAIL
    assert rows["citizen"].language == "da"
    assert rows[f"staff:{people.handler.pk}"].context["reason"] == "assigned"
    assert rows[f"staff:{people.kff.pk}"].context["reason"] == "involved"

    sent = send(rows.values())
    citizen = sent[EMAIL]
    language = rows["citizen"].language
    assert citizen.subject == in_language(
        language,
        "Your idea %(reference)s is now with %(department)s",
        reference=idea.reference,
        department="Teknik- og Miljøforvaltningen",
    )
    assert (
        in_language(language, "Your contact person is %(handler)s.", handler="Henrik Holm")
        in citizen.body
    )
    assert f"{settings.SITE_URL}/" in link_to(idea.tracking_token, citizen.body)
    assert (  # the answer deadline
        in_language(
            language,
            "You will hear from us no later than %(deadline)s.",
            deadline=date_in(language, idea.answer_due),
        )
        in citizen.body
    )
    staff_language = rows[f"staff:{people.handler.pk}"].language
    assert sent[people.handler.email].subject == in_language(
        staff_language, "%(reference)s is assigned to you", reference=idea.reference
    )
    assert (
        in_language(
            rows[f"staff:{people.kff.pk}"].language,
            "%(department)s is involved in the idea %(reference)s “%(title)s”, which "
            "%(lead_department)s leads. You can add notes and messages on the case page.",
            department="Kultur- og Fritidsforvaltningen",
            reference=idea.reference,
            title=idea.title,
            lead_department="Teknik- og Miljøforvaltningen",
        )
        in sent[people.kff.email].body
    )
    assert f"/{idea.pk}/" in sent[people.handler.email].body  # the case page


def test_triage_without_a_handler_tells_the_lead_departments_consultants(people):
    idea = triage(received(), people)
    rows = entry_rows(idea)
    assert set(rows) == {"citizen", f"staff:{people.tmf.pk}"}
    assert rows[f"staff:{people.tmf.pk}"].context["reason"] == "lead"
    sent = send(rows.values())
    assert (
        in_language(
            rows[f"staff:{people.tmf.pk}"].language,
            "%(department)s is the lead department for the idea %(reference)s "
            "“%(title)s”. No handler has been named yet: name one on the case page.",
            department="Teknik- og Miljøforvaltningen",
            reference=idea.reference,
            title=idea.title,
        )
        in sent[people.tmf.email].body
    )
    contact_person = start_of(rows["citizen"].language, "Your contact person is %(handler)s.")
    assert contact_person not in sent[EMAIL].body


def test_the_person_who_made_the_change_is_not_told_about_it(people):
    handler_and_coordinator = coordinator_user()
    handler_and_coordinator.departments.set([department("TMF")])
    idea = services.idea_transition(
        idea=received(),
        to_state=State.TRIAGED,
        by=handler_and_coordinator,
        lead_department=department("TMF"),
        coordinator=handler_and_coordinator,
        handler=handler_and_coordinator,
    )
    assert set(entry_rows(idea)) == {"citizen"}


# --- Messages, questions, answers ------------------------------------------------------------


def test_a_public_message_goes_to_the_citizen_and_an_internal_note_to_nobody(people):
    idea = triage(received(), people, handler=people.handler)
    MailLog.objects.all().delete()
    services.idea_add_message(idea=idea, by=people.handler, internal_note="Ring til vejafdelingen.")
    assert entry_rows(idea) == {}
    services.idea_add_message(idea=idea, by=people.handler, public_message="Vi kigger på stedet.")
    rows = entry_rows(idea)
    assert set(rows) == {"citizen"}
    message = send(rows.values())[EMAIL]
    assert message.subject == in_language(
        rows["citizen"].language, "News about your idea %(reference)s", reference=idea.reference
    )
    assert "Vi kigger på stedet." in message.body
    assert "Ring til" not in message.body


def test_a_question_to_the_citizen_says_the_clock_is_paused_and_gives_no_deadline(people):
    idea = triage(received(), people, handler=people.handler)
    MailLog.objects.all().delete()
    services.idea_transition(
        idea=idea,
        to_state=State.WAITING_FOR_CITIZEN,
        by=people.handler,
        public_message="Hvilken sø tænker du på?",
    )
    rows = entry_rows(idea)
    language = rows["citizen"].language
    message = send(rows.values())[EMAIL]
    assert message.subject == in_language(
        language, "A question about your idea %(reference)s", reference=idea.reference
    )
    assert "Hvilken sø tænker du på?" in message.body
    assert (
        in_language(
            language,
            "We need to hear from you before we can go on with your idea “%(title)s”. "
            "Until you answer, the deadline for our answer is paused.",
            title=idea.title,
        )
        in message.body
    )
    assert (
        start_of(language, "You will hear from us no later than %(deadline)s.") not in message.body
    )


def test_the_answer_and_a_closing_with_reason_and_alternatives(people):
    idea = triage(received(), people, handler=people.handler)
    MailLog.objects.all().delete()
    idea = services.idea_transition(
        idea=idea, to_state=State.ANSWERED, by=people.handler, public_message="Vi har svaret."
    )
    row = entry_rows(idea)["citizen"]
    language = row.language
    answer = send([row])[EMAIL]
    assert answer.subject == in_language(
        language, "An answer to your idea %(reference)s", reference=idea.reference
    )
    assert in_language(language, "Our answer:") + "\nVi har svaret." in answer.body
    no_later_than = start_of(language, "You will hear from us no later than %(deadline)s.")
    assert no_later_than not in answer.body  # answered: no deadline left
    MailLog.objects.all().delete()
    services.idea_transition(
        idea=idea,
        to_state=State.CLOSED,
        by=people.handler,
        outcome=Outcome.NOT_POSSIBLE,
        outcome_reason="Der er ikke plads på stien.",
        outcome_alternatives="Søg puljen for byrum\nTal med lokaludvalget",
        public_message="Desværre kan vi ikke sætte bænke op.",
    )
    closing = send(entry_rows(idea).values())[EMAIL]
    assert closing.subject == in_language(
        language, "Your idea %(reference)s has been closed", reference=idea.reference
    )
    assert (
        in_language(language, "Outcome: %(outcome)s", outcome=Outcome.NOT_POSSIBLE.label)
        in closing.body
    )
    assert (
        in_language(language, "Reason: %(reason)s", reason="Der er ikke plads på stien.")
        in closing.body
    )
    assert "- Søg puljen for byrum\n- Tal med lokaludvalget" in closing.body


def test_a_referral_links_to_the_opportunity(people):
    opportunity = OpportunityFactory(title="Lokalplan for Søerne")
    idea = services.idea_transition(
        idea=received(),
        to_state=State.CLOSED,
        by=people.coordinator,
        outcome=Outcome.REFERRED,
        referred_opportunity=opportunity,
        public_message="Giv dit input i høringen.",
    )
    rows = entry_rows(idea)
    message = send(rows.values())[EMAIL]
    assert (
        in_language(
            rows["citizen"].language,
            "Your idea can go on here: %(target)s",
            target="Lokalplan for Søerne",
        )
        in message.body
    )
    assert opportunity.get_absolute_url() in message.body


def test_spam_is_never_answered_and_followers_hear_nothing(people):
    idea = received(consent_publish=True)
    Follower.objects.create(idea=idea, email="nabo@example.org", confirmed_at=timezone.now())
    idea = services.idea_transition(
        idea=idea, to_state=State.CLOSED, by=people.coordinator, outcome=Outcome.SPAM
    )
    assert entry_rows(idea) == {}


def test_reopening_tells_the_citizen(people):
    idea = triage(received(), people, handler=people.handler)
    idea = services.idea_transition(
        idea=idea,
        to_state=State.CLOSED,
        by=people.handler,
        outcome=Outcome.REALISED,
        public_message="Bænkene kommer.",
    )
    MailLog.objects.all().delete()
    services.idea_transition(
        idea=idea, to_state=State.IN_PROGRESS, by=people.handler, internal_note="Ny leverandør."
    )
    rows = entry_rows(idea)
    message = send(rows.values())[EMAIL]
    assert message.subject == in_language(
        rows["citizen"].language,
        "Your idea %(reference)s has been opened again",
        reference=idea.reference,
    )
    assert "Ny leverandør" not in message.body


def test_a_plain_move_to_in_progress_is_not_mailed_to_the_citizen(people):
    idea = triage(received(), people, handler=people.handler)
    MailLog.objects.all().delete()
    services.idea_transition(idea=idea, to_state=State.IN_PROGRESS, by=people.handler)
    assert entry_rows(idea) == {}


# --- The citizen's language and anonymisation ------------------------------------------------


def test_the_citizen_is_written_to_in_english_and_staff_in_danish(people):
    idea = triage(received(language="en"), people, handler=people.handler)
    rows = entry_rows(idea)
    assert rows["citizen"].language == "en"
    assert rows[f"staff:{people.handler.pk}"].language == "da"
    sent = send(rows.values())
    citizen = sent[EMAIL]
    assert citizen.subject == (
        f"Your idea {idea.reference} is now with Technical and Environmental Administration"
    )
    assert link_to(idea.tracking_token, citizen.body).startswith(f"{settings.SITE_URL}/en/")
    assert "/en/" not in sent[people.handler.email].body


def test_no_mail_to_the_citizen_after_anonymisation(people):
    idea = triage(received(), people, handler=people.handler)
    queued_before = entry_rows(idea)["citizen"]
    Idea.objects.filter(pk=idea.pk).update(anonymised_at=timezone.now(), consent_contact=False)
    idea.refresh_from_db()
    services.idea_add_message(idea=idea, by=people.handler, public_message="Vi er i gang.")
    latest = TimelineEntry.objects.filter(idea=idea).last()
    assert not MailLog.objects.filter(key__startswith=f"idea:{idea.pk}:entry:{latest.pk}:").exists()
    # A mail queued before the erasure is cancelled when it is built, never sent.
    assert deliver(queued_before.pk) == MailLog.Status.CANCELLED
    assert [m for m in mail.outbox if EMAIL in m.to] == []


# --- Followers -------------------------------------------------------------------------------


def test_confirmed_followers_of_a_public_idea_hear_of_state_changes_and_messages(people):
    idea = received(consent_publish=True)
    follower = Follower.objects.create(
        idea=idea, email="nabo@example.org", language="en", confirmed_at=timezone.now()
    )
    Follower.objects.create(idea=idea, email="ubekraeftet@example.org")  # not confirmed
    idea = triage(idea, people, handler=people.handler)
    rows = entry_rows(idea)
    assert rows[f"follower:{follower.pk}"].recipient == "nabo@example.org"
    assert rows[f"follower:{follower.pk}"].language == "en"
    assert not any(row.recipient == "ubekraeftet@example.org" for row in rows.values())
    message = send([rows[f"follower:{follower.pk}"]])["nabo@example.org"]
    unfollow = link_to(follower.token, message.body)
    assert unfollow.startswith(f"{settings.SITE_URL}/en/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{unfollow}>"
    assert "Status: Triaged" in message.body
    assert EMAIL not in message.body and NAME not in message.body

    MailLog.objects.all().delete()
    services.idea_add_message(idea=idea, by=people.handler, internal_note="Kun internt.")
    services.idea_assign(idea=idea, by=people.coordinator, handler=None)
    assert not MailLog.objects.filter(key__contains=":follower:").exists()
    services.idea_add_message(idea=idea, by=people.handler, public_message="Vi er i gang.")
    assert MailLog.objects.filter(key__contains=f":follower:{follower.pk}").count() == 1


def test_followers_of_an_idea_that_is_not_public_hear_nothing(people):
    idea = received(consent_publish=False)
    Follower.objects.create(idea=idea, email="nabo@example.org", confirmed_at=timezone.now())
    idea = triage(idea, people)
    assert not MailLog.objects.filter(key__contains=":follower:").exists()


# --- Assignments and handovers ---------------------------------------------------------------


def test_naming_a_handler_tells_the_handler_and_the_citizen_once(people):
    idea = triage(received(), people)
    MailLog.objects.all().delete()
    idea = services.idea_assign(idea=idea, by=people.coordinator, handler=people.handler)
    rows = entry_rows(idea)
    assert set(rows) == {"citizen", f"staff:{people.handler.pk}"}
    sent = send(rows.values())
    assert (
        in_language(
            rows["citizen"].language, "Your contact person is %(handler)s.", handler="Henrik Holm"
        )
        in sent[EMAIL].body
    )
    MailLog.objects.all().delete()
    # The same handler again, with a department now involved: only that department hears.
    services.idea_assign(
        idea=idea,
        by=people.coordinator,
        handler=people.handler,
        involved_departments=[department("KFF")],
    )
    assert set(entry_rows(idea)) == {f"staff:{people.kff.pk}"}


def test_a_handover_asks_the_receiving_department_and_answers_the_requester(people):
    idea = triage(received(), people, handler=people.handler)
    MailLog.objects.all().delete()
    handover = services.idea_hand_over(
        idea=idea, to_department=department("KFF"), by=people.handler, note="Det er kultur."
    )
    rows = entry_rows(idea)
    assert set(rows) == {f"staff:{people.kff.pk}"}  # not the citizen: the lead has not changed
    staff_language = rows[f"staff:{people.kff.pk}"].language
    request = send(rows.values())[people.kff.email]
    assert request.subject == in_language(
        staff_language,
        "A handover to %(department)s to accept: %(reference)s",
        department="Kultur- og Fritidsforvaltningen",
        reference=idea.reference,
    )
    assert (
        in_language(
            staff_language,
            "%(from_department)s asks %(department)s to take over the idea %(reference)s "
            "“%(title)s”. Accept or return it by %(handover_due)s.",
            from_department="Teknik- og Miljøforvaltningen",
            department="Kultur- og Fritidsforvaltningen",
            reference=idea.reference,
            title=idea.title,
            handover_due=date_in(staff_language, handover.due_at),
        )
        in request.body
    )

    MailLog.objects.all().delete()
    receiver = staff_user("KFF", first_name="Kirsten", last_name="Krag")
    services.idea_accept_handover(handover=handover, by=people.kff, handler=receiver)
    rows = entry_rows(idea)
    assert set(rows) == {"citizen", f"staff:{people.handler.pk}", f"staff:{receiver.pk}"}
    assert rows[f"staff:{people.handler.pk}"].context["reason"] == "handover_accepted"
    assert rows[f"staff:{receiver.pk}"].context["reason"] == "assigned"
    language = rows["citizen"].language
    citizen = send([rows["citizen"]])[EMAIL]
    assert (
        in_language(
            language,
            "Your idea has been handed over to %(department)s, which handles it from now on.",
            department="Kultur- og Fritidsforvaltningen",
        )
        in citizen.body
    )
    assert (
        in_language(language, "Your contact person is %(handler)s.", handler="Kirsten Krag")
        in citizen.body
    )


def test_a_returned_handover_tells_the_requester_only(people):
    idea = triage(received(), people, handler=people.handler)
    handover = services.idea_hand_over(
        idea=idea, to_department=department("KFF"), by=people.handler, note="Det er kultur."
    )
    MailLog.objects.all().delete()
    services.idea_return_handover(handover=handover, by=people.kff, note="Det er trafik.")
    rows = entry_rows(idea)
    assert set(rows) == {f"staff:{people.handler.pk}"}
    message = send(rows.values())[people.handler.email]
    assert message.subject == in_language(
        rows[f"staff:{people.handler.pk}"].language,
        "%(department)s returned the handover of %(reference)s",
        department="Kultur- og Fritidsforvaltningen",
        reference=idea.reference,
    )


# --- Staff mails never carry the citizen's contact details -----------------------------------


def test_no_staff_mail_contains_the_citizens_contact_details(people):
    idea = triage(received(consent_publish=True), people, involved_departments=[department("KFF")])
    idea = services.idea_assign(idea=idea, by=people.coordinator, handler=people.handler)
    handover = services.idea_hand_over(
        idea=idea, to_department=department("KFF"), by=people.handler, note="Kultur."
    )
    services.idea_return_handover(handover=handover, by=people.kff, note="Nej tak.")
    handover = services.idea_hand_over(
        idea=idea, to_department=department("KFF"), by=people.handler, note="Kultur."
    )
    services.idea_accept_handover(handover=handover, by=people.kff)
    staff_rows = MailLog.objects.filter(key__contains=":staff:")
    assert {row.context["reason"] for row in staff_rows} == {
        "assigned",
        "lead",
        "involved",
        "handover_requested",
        "handover_accepted",
        "handover_returned",
    }
    for row in staff_rows:
        before = len(mail.outbox)
        assert deliver(row.pk) == MailLog.Status.SENT
        message = mail.outbox[before]
        for personal in (EMAIL, PHONE, NAME):
            assert personal not in message.subject and personal not in message.body
