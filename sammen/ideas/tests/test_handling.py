"""The staff case page of an idea and every action on it (views/handling.py).

Who may do what is walked in test_permission_matrix.py; here: what each page shows, that each
action changes the idea through the services, and that bad input is refused on the page with a
Danish message and the typed text kept.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory, department, topic
from sammen.ideas import services
from sammen.ideas.models import (
    Attachment,
    ErasureRecord,
    Handover,
    Idea,
    PersonalDataAccess,
    TimelineEntry,
)
from sammen.ideas.states import Outcome, State
from sammen.ideas.tests.factories import coordinator_user, idea_in, staff_user, submitted_idea
from sammen.participation.tests.factories import OpportunityFactory, channel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The English pages: the Danish catalogue is compiled from every helper's fragment later, so
    the assertions are on the msgids (test_translations checks that each has Danish)."""
    with translation.override("en"):
        yield


@pytest.fixture
def coordinator():
    return coordinator_user(first_name="Kirsten", last_name="Koordinator")


def login(user) -> Client:
    return verified_login(Client(), user)


def detail_url(idea: Idea) -> str:
    return reverse("ideas_staff:detail", args=[idea.pk])


def fresh(idea: Idea) -> Idea:
    return Idea.objects.get(pk=idea.pk)


def page(response) -> str:
    return response.content.decode()


# --- the case page -------------------------------------------------------------------------------


def test_the_case_page_shows_the_idea_and_marks_internal_notes(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    idea.topics.set([topic()])
    services.idea_add_message(
        idea=idea, by=coordinator, public_message="Vi kigger på det.", internal_note="Ring til Park"
    )
    response = login(staff_user("TMF")).get(detail_url(idea))
    assert response.status_code == 200
    html = page(response)
    assert idea.reference in html
    assert "Bænke langs Søerne" in html
    assert "Technical and Environmental Administration" in html
    assert "In progress" in html
    assert topic().name in html
    assert "Vi kigger på det." in html
    assert "Ring til Park" in html
    assert "Internal note, only for staff:" in html
    # The contact details stay behind the button.
    assert "karen@example.org" not in html
    assert "Karen Hansen" not in html
    assert "Show contact details" in html


def test_an_overdue_answer_stands_out_in_words(coordinator):
    idea = idea_in(
        State.IN_PROGRESS, coordinator=coordinator, now=timezone.now() - timedelta(days=60)
    )
    html = page(login(coordinator).get(detail_url(idea)))
    assert "Overdue: the deadline for “First answer” was" in html


def test_waiting_for_the_citizen_shows_the_clock_paused(coordinator):
    idea = idea_in(State.WAITING_FOR_CITIZEN, coordinator=coordinator)
    html = page(login(coordinator).get(detail_url(idea)))
    assert "Paused: waiting for the citizen since" in html
    assert "Overdue" not in html


def test_an_unconfirmed_idea_has_no_case_page(coordinator):
    idea = submitted_idea()
    assert login(coordinator).get(detail_url(idea)).status_code == 404


def test_the_case_page_runs_a_fixed_number_of_queries(coordinator):
    def count(entries: int) -> int:
        idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
        for n in range(entries):
            services.idea_add_message(
                idea=idea, by=coordinator, public_message=f"Besked {n}", internal_note=f"Note {n}"
            )
        client = login(coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(detail_url(idea))
        assert response.status_code == 200
        assert page(response).count("Besked ") >= entries
        return len(queries)

    assert count(5) == count(50)


# --- contact details and the access log ----------------------------------------------------------


def test_showing_the_contact_details_is_logged_first(coordinator):
    idea = idea_in(State.TRIAGED, coordinator=coordinator)
    handler = staff_user("TMF", first_name="Hanne", last_name="Handler")
    response = login(handler).post(reverse("ideas_staff:contact_details", args=[idea.pk]))
    assert response.status_code == 200
    html = page(response)
    assert "Karen Hansen" in html
    assert "karen@example.org" in html
    access = PersonalDataAccess.objects.get()
    assert (access.idea, access.user, access.purpose) == (idea, handler, "contact_details")
    # Department staff do not see the log; a coordinator sees who looked and when.
    assert "Who has looked at the personal data" not in html
    html = page(login(coordinator).get(detail_url(idea)))
    assert "Hanne Handler" in html
    assert "Contact details" in html


def test_the_contact_details_cannot_be_fetched_with_get(coordinator):
    idea = idea_in(State.TRIAGED, coordinator=coordinator)
    response = login(coordinator).get(reverse("ideas_staff:contact_details", args=[idea.pk]))
    assert response.status_code == 405
    assert not PersonalDataAccess.objects.exists()


def test_a_department_receiving_a_handover_sees_the_idea_but_not_the_contact(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    services.idea_hand_over(
        idea=idea, to_department=department("KFF"), by=coordinator, note="Kultur"
    )
    receiver = login(staff_user("KFF"))
    html = page(receiver.get(detail_url(idea)))
    assert "Show contact details" not in html
    response = receiver.post(reverse("ideas_staff:contact_details", args=[idea.pk]))
    assert response.status_code == 403
    assert not PersonalDataAccess.objects.exists()


# --- attachments ---------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _attachment(idea: Idea) -> Attachment:
    content = b"%PDF-1.4 en tegning af b\xc3\xa6nkene"
    return Attachment.objects.create(
        idea=idea,
        file=SimpleUploadedFile("tegning.pdf", content),
        original_name="tegning.pdf",
        content_type="application/pdf",
        size=len(content),
    )


def test_an_attachment_is_served_as_a_download_with_nosniff(coordinator, media):
    idea = idea_in(State.TRIAGED, coordinator=coordinator)
    item = _attachment(idea)
    client = login(staff_user("TMF"))
    assert "tegning.pdf" in page(client.get(detail_url(idea)))
    response = client.get(reverse("ideas_staff:attachment", args=[idea.pk, item.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert PersonalDataAccess.objects.get().purpose == "attachment"


def test_an_attachment_of_another_idea_is_not_found(coordinator, media):
    idea = idea_in(State.TRIAGED, coordinator=coordinator)
    other = idea_in(State.TRIAGED, coordinator=coordinator)
    item = _attachment(other)
    response = login(coordinator).get(reverse("ideas_staff:attachment", args=[idea.pk, item.pk]))
    assert response.status_code == 404


# --- triage --------------------------------------------------------------------------------------


def _triage(client: Client, idea: Idea, **data) -> object:
    return client.post(
        reverse("ideas_staff:triage", args=[idea.pk]), {f"triage-{k}": v for k, v in data.items()}
    )


def test_triage_sets_lead_handler_involved_and_coordinator(coordinator):
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    handler = staff_user("TMF")
    response = _triage(
        login(coordinator),
        idea,
        lead_department=department("TMF").pk,
        involved_departments=[department("KFF").pk, department("TMF").pk],
        handler=handler.pk,
        coordinator=coordinator.pk,
        public_message="Teknik- og Miljøforvaltningen ser på din idé.",
        internal_note="Passer med bænkeplanen",
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(idea)
    idea = fresh(idea)
    assert idea.state == State.TRIAGED
    assert (idea.lead_department, idea.handler, idea.coordinator) == (
        department("TMF"),
        handler,
        coordinator,
    )
    assert list(idea.involved_departments.all()) == [department("KFF")]
    entry = idea.timeline.last()
    assert entry.public_message.startswith("Teknik- og Miljøforvaltningen ser")
    assert entry.internal_note == "Passer med bænkeplanen"


def test_triage_refuses_a_handler_outside_the_lead_department_and_keeps_the_text(coordinator):
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    outsider = staff_user("KFF", first_name="Ole", last_name="Udenfor")
    response = _triage(
        login(coordinator),
        idea,
        lead_department=department("TMF").pk,
        handler=outsider.pk,
        coordinator=coordinator.pk,
        internal_note="Min note skal blive stående",
    )
    assert response.status_code == 200
    html = page(response)
    assert "Ole Udenfor does not work in Technical and Environmental Administration" in html
    assert "Min note skal blive stående" in html
    assert 'href="#id_triage-handler"' in html
    assert fresh(idea).state == State.RECEIVED


def test_triage_without_a_lead_department_names_the_field(coordinator):
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    response = _triage(login(coordinator), idea, coordinator=coordinator.pk)
    assert response.status_code == 200
    assert 'href="#id_triage-lead_department"' in page(response)
    assert fresh(idea).state == State.RECEIVED


def test_the_coordinator_choice_defaults_to_the_coordinator_triaging(coordinator):
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    html = page(login(coordinator).get(detail_url(idea)))
    assert f'<option value="{coordinator.pk}" selected>' in html


def test_an_administrator_must_name_a_coordinator_with_the_role(coordinator):
    admin = UserFactory()
    RoleAssignment.objects.create(user=admin, role=Role.ADMINISTRATOR)
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    response = _triage(
        login(admin), idea, lead_department=department("TMF").pk, coordinator=admin.pk
    )
    assert response.status_code == 200
    assert 'href="#id_triage-coordinator"' in page(response)


def test_triaging_twice_is_refused_without_a_change(coordinator):
    idea = idea_in(State.TRIAGED, coordinator=coordinator)
    client = login(coordinator)
    response = _triage(
        client, idea, lead_department=department("KFF").pk, coordinator=coordinator.pk
    )
    assert response.status_code == 302
    assert fresh(idea).lead_department == department("TMF")
    assert "has already been triaged" in page(client.get(response["Location"]))


def _close_from_triage(coordinator, idea: Idea, **data) -> object:
    data.setdefault("coordinator", coordinator.pk)
    return login(coordinator).post(
        reverse("ideas_staff:triage_close", args=[idea.pk]),
        {f"triage-close-{k}": v for k, v in data.items()},
    )


def test_spam_is_closed_without_a_message_to_the_citizen(coordinator):
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    response = _close_from_triage(
        coordinator, idea, outcome="spam", public_message="Det her læses aldrig"
    )
    assert response.status_code == 302
    idea = fresh(idea)
    assert (idea.state, idea.outcome) == (State.CLOSED, Outcome.SPAM)
    assert idea.timeline.last().public_message == ""


def test_a_duplicate_is_found_by_its_reference(coordinator):
    original = idea_in(State.TRIAGED, coordinator=coordinator)
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    response = _close_from_triage(
        coordinator,
        idea,
        outcome="duplicate",
        duplicate_reference=original.reference.lower(),
        public_message="Din idé er allerede under behandling.",
    )
    assert response.status_code == 302
    assert fresh(idea).duplicate_of == original


def test_an_unknown_duplicate_reference_is_refused_and_kept(coordinator):
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    response = _close_from_triage(
        coordinator,
        idea,
        outcome="duplicate",
        duplicate_reference="IDE-1999-00001",
        public_message="Dublet.",
    )
    assert response.status_code == 200
    html = page(response)
    assert "No other idea has the reference IDE-1999-00001." in html
    assert 'value="IDE-1999-00001"' in html
    assert fresh(idea).state == State.RECEIVED


def test_referring_to_an_opportunity_takes_its_channel(coordinator):
    opportunity = OpportunityFactory(departments=[department("TMF")], channel=channel("hoering"))
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    response = _close_from_triage(
        coordinator,
        idea,
        outcome="referred",
        referred_opportunity=opportunity.pk,
        public_message="Giv dit besyv med i høringen.",
    )
    assert response.status_code == 302
    idea = fresh(idea)
    assert (idea.outcome, idea.referred_opportunity, idea.referred_channel) == (
        Outcome.REFERRED,
        opportunity,
        opportunity.channel,
    )


def test_a_referral_needs_a_target(coordinator):
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    response = _close_from_triage(coordinator, idea, outcome="referred", public_message="Se her.")
    assert response.status_code == 200
    assert "Choose an opportunity or a channel." in page(response)


def test_a_department_outcome_cannot_be_given_at_triage(coordinator):
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    response = _close_from_triage(
        coordinator, idea, outcome="realised", public_message="Gennemført."
    )
    assert response.status_code == 200
    assert fresh(idea).state == State.RECEIVED


def test_the_suggestion_is_shown_but_never_preselected(coordinator):
    for title in ("Cykelsti på Amagerbrogade", "Cykelsti langs havnen", "Cykelsti ved skolen"):
        past = services.idea_confirm(
            idea=submitted_idea(title=title, description="Cykelsti og cykler")
        )
        services.idea_transition(
            idea=past,
            to_state=State.TRIAGED,
            by=coordinator,
            lead_department=department("TMF"),
            coordinator=coordinator,
        )
    idea = services.idea_confirm(
        idea=submitted_idea(title="Ny cykelsti", description="En cykelsti for cykler i Valby")
    )
    client = login(coordinator)
    html = page(client.get(detail_url(idea)))
    assert "Suggested lead department: Technical and Environmental Administration, because" in html
    tmf = department("TMF").pk
    assert f'<option value="{tmf}" selected>' not in html
    html = page(client.get(detail_url(idea), {"lead": tmf}))
    assert f'<option value="{tmf}" selected>' in html
    assert fresh(idea).lead_department is None


# --- changes of state ----------------------------------------------------------------------------


def _move(client: Client, idea: Idea, to_state: str, prefix: str | None = None, **data) -> object:
    prefix = prefix or f"to-{to_state}"
    return client.post(
        reverse("ideas_staff:transition", args=[idea.pk, to_state]),
        {f"{prefix}-{k}": v for k, v in data.items()},
    )


def test_the_lead_department_asks_the_citizen_and_the_clock_stops(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    response = _move(
        login(staff_user("TMF")),
        idea,
        State.WAITING_FOR_CITIZEN,
        public_message="Hvilken side af søen?",
    )
    assert response.status_code == 302
    idea = fresh(idea)
    assert idea.state == State.WAITING_FOR_CITIZEN
    assert idea.clock_paused_since is not None


def test_a_question_without_text_is_refused_on_its_field(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    response = _move(
        login(staff_user("TMF")),
        idea,
        State.WAITING_FOR_CITIZEN,
        public_message="",
        internal_note="Noten bliver stående",
    )
    assert response.status_code == 200
    html = page(response)
    assert 'href="#id_to-waiting_for_citizen-public_message"' in html
    assert "Noten bliver stående" in html
    assert '<details class="details mb-4" id="to-waiting_for_citizen" open>' in html
    assert fresh(idea).state == State.IN_PROGRESS


def test_answering_the_citizen(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    response = _move(
        login(staff_user("TMF")), idea, State.ANSWERED, public_message="Bænkene kommer i maj."
    )
    assert response.status_code == 302
    idea = fresh(idea)
    assert idea.state == State.ANSWERED
    assert idea.first_answered_at is not None


def test_not_possible_needs_a_reason_and_an_alternative(coordinator):
    idea = idea_in(State.ANSWERED, coordinator=coordinator)
    client = login(staff_user("TMF"))
    response = _move(
        client, idea, State.CLOSED, prefix="close", outcome="not_possible", public_message="Nej."
    )
    assert response.status_code == 200
    html = page(response)
    assert 'href="#id_close-outcome_reason"' in html
    assert 'href="#id_close-outcome_alternatives"' in html
    response = _move(
        client,
        idea,
        State.CLOSED,
        prefix="close",
        outcome="not_possible",
        public_message="Det kan desværre ikke lade sig gøre.",
        outcome_reason="Stien er for smal.",
        outcome_alternatives="Søg Lokaludvalgets pulje\nForeslå en anden placering",
    )
    assert response.status_code == 302
    idea = fresh(idea)
    assert (idea.state, idea.outcome) == (State.CLOSED, Outcome.NOT_POSSIBLE)
    assert idea.alternatives == ["Søg Lokaludvalgets pulje", "Foreslå en anden placering"]


def test_a_solution_lab_outcome_names_the_lab_the_idea_was_taken_to(coordinator):
    from sammen.events import labs

    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    client = login(coordinator)
    message = "Vi tager idéen med i et løsningslaboratorium i foråret."
    response = _move(
        client, idea, State.CLOSED, prefix="close", outcome="solution_lab", public_message=message
    )
    assert response.status_code == 200  # the case page again, with the error on the form
    assert "Choose the solution lab the idea was taken to" in page(response)
    assert fresh(idea).state == State.IN_PROGRESS

    start = timezone.now() + timedelta(days=20)
    lab = labs.lab_create(
        by=coordinator,
        ideas=[idea],
        title="Løsningslaboratorium om bænke",
        summary="Hvor skal bænkene stå?",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        location="Rådhuset",
    )
    assert lab.title in page(client.get(detail_url(idea)))
    response = _move(
        client,
        idea,
        State.CLOSED,
        prefix="close",
        outcome="solution_lab",
        public_message=message,
        solution_lab=lab.pk,
    )
    assert response.status_code == 302
    assert (fresh(idea).outcome, fresh(idea).solution_lab) == (Outcome.SOLUTION_LAB, lab)


def test_a_service_refusal_is_shown_on_the_form(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    services.idea_hand_over(
        idea=idea, to_department=department("KFF"), by=coordinator, note="Kultur"
    )
    response = _move(
        login(coordinator),
        idea,
        State.CLOSED,
        prefix="close",
        outcome="realised",
        public_message="Gennemført.",
    )
    assert response.status_code == 200
    assert "A handover is pending" in page(response)
    assert fresh(idea).state == State.IN_PROGRESS


def test_re_opening_needs_a_reason(coordinator):
    idea = idea_in(State.CLOSED, coordinator=coordinator)
    client = login(staff_user("TMF"))
    response = _move(client, idea, State.IN_PROGRESS, internal_note="")
    assert response.status_code == 200
    assert 'href="#id_to-in_progress-internal_note"' in page(response)
    assert fresh(idea).state == State.CLOSED
    response = _move(client, idea, State.IN_PROGRESS, internal_note="Borgeren har nye oplysninger")
    assert response.status_code == 302
    idea = fresh(idea)
    assert (idea.state, idea.outcome) == (State.IN_PROGRESS, "")
    assert idea.timeline.last().kind == TimelineEntry.Kind.REOPENED


def test_re_opening_an_idea_closed_at_triage_gives_it_a_lead(coordinator):
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    services.idea_transition(idea=idea, to_state=State.CLOSED, by=coordinator, outcome=Outcome.SPAM)
    response = _move(
        login(coordinator),
        idea,
        State.IN_PROGRESS,
        lead_department=department("SUF").pk,
        internal_note="Det var ikke spam",
    )
    assert response.status_code == 302
    assert fresh(idea).lead_department == department("SUF")


def test_a_move_the_table_does_not_allow_changes_nothing(coordinator):
    idea = idea_in(State.TRIAGED, coordinator=coordinator)
    client = login(coordinator)
    response = _move(client, idea, State.TRIAGED)
    assert response.status_code == 302
    assert "cannot be moved to" in page(client.get(response["Location"]))
    assert (
        client.post(reverse("ideas_staff:transition", args=[idea.pk, "flying"])).status_code == 404
    )


# --- assigning, messages, handovers --------------------------------------------------------------


def test_assigning_a_handler_and_involved_departments(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    handler = staff_user("TMF")
    response = login(staff_user("TMF")).post(
        reverse("ideas_staff:assign", args=[idea.pk]),
        {
            "assign-handler": handler.pk,
            "assign-involved_departments": [department("BUF").pk],
            "assign-internal_note": "Hanne tager den",
        },
    )
    assert response.status_code == 302
    idea = fresh(idea)
    assert idea.handler == handler
    assert list(idea.involved_departments.all()) == [department("BUF")]


def test_a_handler_from_another_department_is_not_a_choice(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    outsider = staff_user("KFF")
    response = login(coordinator).post(
        reverse("ideas_staff:assign", args=[idea.pk]), {"assign-handler": outsider.pk}
    )
    assert response.status_code == 200
    assert 'href="#id_assign-handler"' in page(response)
    assert fresh(idea).handler is None


def test_an_involved_department_adds_a_message_and_a_note(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    services.idea_assign(idea=idea, by=coordinator, involved_departments=[department("KFF")])
    client = login(staff_user("KFF"))
    response = client.post(
        reverse("ideas_staff:message", args=[idea.pk]),
        {"message-public_message": "Kultur er med.", "message-internal_note": "Vi har budget"},
    )
    assert response.status_code == 302
    entry = fresh(idea).timeline.last()
    assert (entry.kind, entry.public_message, entry.internal_note) == (
        TimelineEntry.Kind.MESSAGE,
        "Kultur er med.",
        "Vi har budget",
    )
    assert "The message is sent to the citizen." in page(client.get(response["Location"]))


def test_an_empty_message_is_refused(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    response = login(coordinator).post(reverse("ideas_staff:message", args=[idea.pk]), {})
    assert response.status_code == 200
    assert 'href="#id_message-public_message"' in page(response)
    assert fresh(idea).timeline.last().kind != TimelineEntry.Kind.MESSAGE


def test_a_handover_needs_a_note_and_keeps_the_lead_until_accepted(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    client = login(staff_user("TMF"))
    url = reverse("ideas_staff:hand_over", args=[idea.pk])
    response = client.post(url, {"handover-to_department": department("KFF").pk})
    assert response.status_code == 200
    assert 'href="#id_handover-note"' in page(response)
    response = client.post(
        url, {"handover-to_department": department("KFF").pk, "handover-note": "Det er kultur"}
    )
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert (handover.to_department, handover.status) == (department("KFF"), "pending")
    assert fresh(idea).lead_department == department("TMF")


def test_the_receiving_department_accepts_and_names_a_handler(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    handover = services.idea_hand_over(
        idea=idea, to_department=department("KFF"), by=coordinator, note="Kultur"
    )
    new_handler = staff_user("KFF")
    client = login(staff_user("KFF"))
    assert "Your department's answer" in page(client.get(detail_url(idea)))
    response = client.post(
        reverse("ideas_staff:decide_handover", args=[idea.pk, handover.pk]),
        {"decision-decision": "accept", "decision-handler": new_handler.pk},
    )
    assert response.status_code == 302
    idea = fresh(idea)
    assert (idea.lead_department, idea.handler) == (department("KFF"), new_handler)


def test_returning_a_handover_needs_a_reason_and_leaves_the_page(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    handover = services.idea_hand_over(
        idea=idea, to_department=department("KFF"), by=coordinator, note="Kultur"
    )
    client = login(staff_user("KFF"))
    url = reverse("ideas_staff:decide_handover", args=[idea.pk, handover.pk])
    response = client.post(url, {"decision-decision": "return"})
    assert response.status_code == 200
    assert 'href="#id_decision-note"' in page(response)
    response = client.post(url, {"decision-decision": "return", "decision-note": "Ikke vores"})
    assert response.status_code == 302
    # The department no longer sees the idea, so it is not sent to a page that is now a 404.
    assert response["Location"] != detail_url(idea)
    assert Handover.objects.get().status == Handover.Status.RETURNED
    assert fresh(idea).lead_department == department("TMF")


def test_a_decided_handover_cannot_be_decided_again(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    handover = services.idea_hand_over(
        idea=idea, to_department=department("KFF"), by=coordinator, note="Kultur"
    )
    services.idea_return_handover(handover=handover, by=coordinator, note="Nej")
    response = login(coordinator).post(
        reverse("ideas_staff:decide_handover", args=[idea.pk, handover.pk]),
        {"decision-decision": "accept"},
    )
    assert response.status_code == 302
    assert fresh(idea).lead_department == department("TMF")


# --- erasures ------------------------------------------------------------------------------------


def test_the_erasure_record_lists_what_was_erased_and_pages(coordinator):
    for n in range(30):
        ErasureRecord.objects.create(
            reference=f"IDE-2025-{n:05d}",
            reason=ErasureRecord.Reason.RETENTION,
            fields=["contact_name", "email", "phone"],
            attachments_deleted=n % 3,
        )
    client = login(coordinator)
    html = page(client.get(reverse("ideas_staff:erasures")))
    assert "IDE-2025-00029" in html
    assert "name, e-mail, phone" in html
    assert "IDE-2025-00000" not in html
    assert "IDE-2025-00000" in page(client.get(reverse("ideas_staff:erasures"), {"page": 2}))


def test_the_erasure_record_runs_a_fixed_number_of_queries(coordinator):
    client = login(coordinator)

    def count(rows: int) -> int:
        ErasureRecord.objects.all().delete()
        for n in range(rows):
            ErasureRecord.objects.create(
                reference=f"IDE-2025-{n:05d}",
                reason=ErasureRecord.Reason.CITIZEN_REQUEST,
                fields=["email"],
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("ideas_staff:erasures")).status_code == 200
        return len(queries)

    assert count(5) == count(50)


# --- admin ---------------------------------------------------------------------------------------


def test_the_admin_shows_ideas_read_only_without_personal_data(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    services.idea_add_message(idea=idea, by=coordinator, internal_note="Notat")
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = login(superuser)
    changelist = client.get(reverse("admin:ideas_idea_changelist"))
    assert changelist.status_code == 200
    assert idea.reference in page(changelist)
    change = client.get(reverse("admin:ideas_idea_change", args=[idea.pk]))
    assert change.status_code == 200
    html = page(change)
    assert "Notat" in html
    assert "karen@example.org" not in html
    assert "Karen Hansen" not in html
    assert idea.tracking_token not in html
    assert 'name="title"' not in html  # read-only
    for name in ("handover", "erasurerecord", "personaldataaccess"):
        assert client.get(reverse(f"admin:ideas_{name}_changelist")).status_code == 200
