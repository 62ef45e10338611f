"""The citizen's private pages: the tracking page, attachments, contact details and the survey."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sammen.core.tests.factories import department
from sammen.ideas import services
from sammen.ideas.models import Attachment, Idea
from sammen.ideas.states import Outcome, State
from sammen.ideas.survey import survey_url
from sammen.ideas.tests.factories import coordinator_user, idea_in, staff_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def coordinator():
    return coordinator_user()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def attach(idea: Idea, name: str = "skitse.pdf", content: bytes = PDF) -> Attachment:
    return Attachment.objects.create(
        idea=idea,
        file=SimpleUploadedFile(name, content),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
    )


def url(name: str, idea_or_token, *args) -> str:
    token = idea_or_token if isinstance(idea_or_token, str) else idea_or_token.tracking_token
    return reverse(name, args=[token, *args])


def assert_private(response) -> None:
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]


# --- every token page: right and wrong token -----------------------------------------------------


@pytest.mark.parametrize("name", ["ideas:track", "ideas:export", "ideas:contact", "ideas:erase"])
def test_a_wrong_token_gives_the_same_neutral_404(client, coordinator, name):
    idea_in(State.IN_PROGRESS, coordinator=coordinator)
    response = client.get(url(name, "x" * 43))
    assert response.status_code == 404
    assert_private(response)
    html = response.content.decode()
    assert "Karen" not in html
    assert '<meta name="robots" content="noindex' in html
    assert client.get(url(name, "x" * 100)).status_code == 404


@pytest.mark.parametrize("name", ["ideas:track", "ideas:export", "ideas:contact", "ideas:erase"])
def test_the_right_token_opens_the_page_privately(client, coordinator, name):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    response = client.get(url(name, idea))
    assert response.status_code == 200
    assert_private(response)


def test_the_attachment_needs_the_right_token_and_its_own_idea(client, coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    other = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    item = attach(idea)
    foreign = attach(other, name="andet.pdf")

    response = client.get(url("ideas:attachment", idea, item.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "skitse.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert_private(response)

    assert client.get(url("ideas:attachment", "x" * 43, item.pk)).status_code == 404
    assert client.get(url("ideas:attachment", idea, foreign.pk)).status_code == 404
    assert client.get(url("ideas:attachment", other, item.pk)).status_code == 404


def test_a_missing_file_is_a_404_not_an_error(client, coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    item = attach(idea)
    item.file.storage.delete(item.file.name)
    assert client.get(url("ideas:attachment", idea, item.pk)).status_code == 404


# --- the tracking page ---------------------------------------------------------------------------


def test_the_tracking_page_shows_state_owner_deadline_and_public_messages(client, coordinator):
    handler = staff_user("TMF", first_name="Ole", last_name="Sørensen")
    idea = idea_in(State.TRIAGED, coordinator=coordinator)
    idea = services.idea_assign(idea=idea, by=coordinator, handler=handler)
    services.idea_add_message(
        idea=idea,
        by=coordinator,
        public_message="Tak for ideen. Vi ser på den.",
        internal_note="Intern: ring til Park og Natur.",
    )
    attach(idea)
    response = client.get(url("ideas:track", idea))
    html = response.content.decode()
    assert idea.reference in html and idea.title in html
    assert str(response.context["state_label"]) in html
    assert department("TMF").name in html
    assert "Ole Sørensen" in html
    deadline = response.context["deadline"]
    assert deadline.kind == "answer" and not deadline.paused and not deadline.overdue
    assert deadline.working_days_left > 0
    assert timezone.localtime(idea.answer_due).strftime("%Y") in html
    assert "Tak for ideen. Vi ser på den." in html
    assert "Intern: ring til Park og Natur." not in html
    assert url("ideas:attachment", idea, idea.attachments.get().pk) in html
    for name in ("ideas:export", "ideas:contact", "ideas:erase"):
        assert url(name, idea) in html


def test_an_unassigned_idea_says_so_and_shows_the_acknowledgement_deadline(client, coordinator):
    idea = idea_in(State.RECEIVED, coordinator=coordinator)
    response = client.get(url("ideas:track", idea))
    assert response.context["deadline"].kind == "acknowledge"
    assert response.context["idea"].lead_department_id is None
    assert str(response.context["state_meaning"]) in response.content.decode()


def test_waiting_for_the_citizen_pauses_the_deadline(client, coordinator):
    idea = idea_in(State.WAITING_FOR_CITIZEN, coordinator=coordinator)
    response = client.get(url("ideas:track", idea))
    deadline = response.context["deadline"]
    assert deadline.paused and not deadline.overdue


def test_an_overdue_deadline_says_so(client, coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator, now=timezone.now() - timedelta(60))
    response = client.get(url("ideas:track", idea))
    assert response.context["deadline"].overdue


def test_a_closed_idea_shows_the_outcome_with_reason_and_alternatives(client, coordinator):
    idea = idea_in(State.ANSWERED, coordinator=coordinator)
    idea = services.idea_transition(
        idea=idea,
        to_state=State.CLOSED,
        by=coordinator,
        outcome=Outcome.NOT_POSSIBLE,
        outcome_reason="Søerne er fredede.",
        outcome_alternatives="Søg Nørrebro Lokaludvalgs pulje\nTal med Sø-laug",
        public_message="Vi kan desværre ikke.",
    )
    html = client.get(url("ideas:track", idea)).content.decode()
    assert str(Outcome.NOT_POSSIBLE.label) in html
    assert "Søerne er fredede." in html
    assert "<li>Søg Nørrebro Lokaludvalgs pulje</li>" in html
    assert "<li>Tal med Sø-laug</li>" in html


def test_the_tracking_page_runs_the_same_queries_with_few_and_many_rows(client, coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    attach(idea)
    services.idea_add_message(idea=idea, by=coordinator, public_message="Første.")
    page = url("ideas:track", idea)
    client.get(page)
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    for n in range(4):
        attach(idea, name=f"bilag{n}.pdf")
    for n in range(30):
        services.idea_add_message(idea=idea, by=coordinator, public_message=f"Besked {n}.")
    with CaptureQueriesContext(connection) as many:
        response = client.get(page)
    assert len(response.context["timeline"]) == 31
    assert len(many) == len(few)


# --- contact details -----------------------------------------------------------------------------


def test_correcting_contact_details_saves_them_and_writes_no_timeline(client, coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    entries = idea.timeline.count()
    response = client.post(
        url("ideas:contact", idea),
        {
            "contact_name": "Karen Holm",
            "email": "karen.holm@example.org",
            "phone": "+45 33 66 33 66",
            "language": "en",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("ideas:track", idea)
    idea.refresh_from_db()
    assert (idea.contact_name, idea.email, idea.phone, idea.language) == (
        "Karen Holm",
        "karen.holm@example.org",
        "+45 33 66 33 66",
        "en",
    )
    assert idea.timeline.count() == entries


def test_bad_contact_details_keep_the_input_name_the_field_and_save_nothing(client, coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    response = client.post(
        url("ideas:contact", idea),
        {"contact_name": "Karen Holm", "email": "karen@", "phone": "ring mig", "language": "da"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Karen Holm"' in html and 'value="karen@"' in html and 'value="ring mig"' in html
    assert 'href="#id_email"' in html and 'href="#id_phone"' in html
    idea.refresh_from_db()
    assert idea.contact_name == "Karen Hansen" and idea.email == "karen@example.org"


# --- the survey ----------------------------------------------------------------------------------


def surveyed(coordinator) -> Idea:
    idea = idea_in(State.CLOSED, coordinator=coordinator)
    # The survey mail is the notifications' job; here it was sent.
    Idea.objects.filter(pk=idea.pk).update(survey_sent_at=timezone.now())
    idea.refresh_from_db()
    return idea


def test_one_click_records_an_answer_and_offers_the_other_question(client, coordinator):
    idea = surveyed(coordinator)
    response = client.get(url("ideas:survey", idea) + "?question=clear&answer=yes")
    assert response.status_code == 200
    assert_private(response)
    idea.refresh_from_db()
    assert idea.survey_clear_answer is True and idea.survey_felt_heard is None
    assert idea.survey_answered_at is not None
    html = response.content.decode()
    assert "question=heard&amp;answer=yes" in html and "question=heard&amp;answer=no" in html

    client.get(url("ideas:survey", idea) + "?question=heard&answer=no")
    client.get(url("ideas:survey", idea) + "?question=clear&answer=no")  # a change of mind
    idea.refresh_from_db()
    assert idea.survey_clear_answer is False and idea.survey_felt_heard is False


@pytest.mark.parametrize(
    "query", ["", "?question=clear", "?question=maybe&answer=yes", "?question=clear&answer=ja"]
)
def test_a_broken_survey_link_is_a_clear_400(client, coordinator, query):
    idea = surveyed(coordinator)
    response = client.get(url("ideas:survey", idea) + query)
    assert response.status_code == 400
    assert response.context["problem"]
    idea.refresh_from_db()
    assert idea.survey_answered_at is None


def test_the_survey_needs_a_closed_idea_with_a_sent_survey_and_the_right_token(client, coordinator):
    not_sent = idea_in(State.CLOSED, coordinator=coordinator)
    still_open = idea_in(State.ANSWERED, coordinator=coordinator)
    Idea.objects.filter(pk=still_open.pk).update(survey_sent_at=timezone.now())
    for idea in (not_sent, still_open):
        response = client.get(url("ideas:survey", idea) + "?question=clear&answer=yes")
        assert response.status_code == 404
        idea.refresh_from_db()
        assert idea.survey_clear_answer is None
    wrong = client.get(url("ideas:survey", "x" * 43) + "?question=clear&answer=yes")
    assert wrong.status_code == 404


def test_the_survey_url_builder_makes_the_link_the_view_reads(client, coordinator, settings):
    idea = surveyed(coordinator)
    link = urlsplit(survey_url(idea, "heard", "yes"))
    assert f"{link.scheme}://{link.netloc}" == settings.SITE_URL
    assert client.get(f"{link.path}?{link.query}").status_code == 200
    idea.refresh_from_db()
    assert idea.survey_felt_heard is True
