"""Sending an idea: the three steps, abuse protection, confirming by the e-mail link, the receipt,
and re-sending the tracking links."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from sammen.core.abuse import RateLimit
from sammen.core.models import MailLog
from sammen.core.tests.factories import district, topic
from sammen.ideas import services
from sammen.ideas.forms_submit import SESSION_KEY, masked_email
from sammen.ideas.models import Attachment, Idea
from sammen.ideas.states import State
from sammen.ideas.tests.factories import submitted_idea
from sammen.ideas.tests.test_submit_uploads import png_upload
from sammen.ideas.views import submit as views
from sammen.participation.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

ADDRESS = "Karen.Hansen@Example.DK"
TITLE = "Bænke langs Søerne"
DESCRIPTION = "Flere bænke langs Sortedams Sø, så ældre kan hvile på turen rundt om søen."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """A client whose requests run what they queue on commit (the mail tasks), as in production:
    the test's own transaction never commits."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


def url(name: str, *args, language: str = "en") -> str:
    """The English page: messages are asserted in English, so these tests do not depend on the
    state of the Danish catalogue (its completeness is checked by the translation tests)."""
    with translation.override(language):
        return reverse(f"ideas:{name}", args=args)


def idea_step(**fields) -> dict:
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "districts": [district(3).slug],
        "address": "",
        "topics": [topic().slug],
        "help_needed": ["place", "permission"],
        **fields,
    }


def about_step(**fields) -> dict:
    return {
        "submitter_kind": "person",
        "contact_name": "Karen Hansen",
        "email": ADDRESS,
        "phone": "12 34 56 78",
        "language": "en",
        "consent_publish": "on",
        **fields,
    }


def fill_steps(client, *, idea: dict | None = None, about: dict | None = None) -> None:
    response = client.post(url("submit"), idea or idea_step())
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(url("submit_about"), about or about_step())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == url("submit_summary")


def send(client, **fields):
    return client.post(url("submit_summary"), {"consent_contact": "on", **fields})


def link_in(message) -> str:
    return re.search(r"https?://\S+/(?:bekraeft|confirm)/\S+/", message.body).group(0)


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


# --- the steps ----------------------------------------------------------------------------------


def test_step_one_refuses_too_long_text_and_keeps_what_was_typed(client):
    response = client.post(url("submit"), idea_step(title="B" * 201))
    assert response.status_code == 400
    page = response.content.decode()
    assert "The title can be at most 200 characters (it has 201)." in page
    assert DESCRIPTION in page  # the other fields are kept
    assert 'value="' + "B" * 201 + '"' in page
    assert 'href="#id_title"' in page  # the error summary links to the field


def test_every_text_field_has_a_size_limit(client):
    response = client.post(
        url("submit"), idea_step(description="x" * 5001, address="y" * 201, districts=[])
    )
    page = response.content.decode()
    assert "The description can be at most 5000 characters (it has 5001)." in page
    assert "The address can be at most 200 characters (it has 201)." in page
    fill_steps(client)
    response = client.post(url("submit_about"), about_step(contact_name="n" * 201, phone="1" * 41))
    page = response.content.decode()
    assert response.status_code == 400
    assert "The name can be at most 200 characters (it has 201)." in page
    assert "The phone number can be at most 40 characters (it has 41)." in page


def test_where_is_required_and_the_whole_city_excludes_the_rest(client):
    response = client.post(url("submit"), idea_step(districts=[], address=""))
    assert response.status_code == 400
    assert "Choose where the idea is" in response.content.decode()
    response = client.post(url("submit"), idea_step(districts=["whole-city", district(3).slug]))
    assert response.status_code == 400
    assert "Choose either the whole city" in response.content.decode()
    # An address alone is enough, and so is the whole city alone.
    assert (
        client.post(url("submit"), idea_step(districts=[], address="Jagtvej 69")).status_code == 302
    )
    assert client.post(url("submit"), idea_step(districts=["whole-city"])).status_code == 302


def test_help_needed_is_required(client):
    response = client.post(url("submit"), idea_step(help_needed=[]))
    assert response.status_code == 400
    assert "Choose at least one kind of help." in response.content.decode()


def test_step_two_keeps_input_and_checks_email_and_phone(client):
    fill_steps(client)
    response = client.post(url("submit_about"), about_step(email="karen@", phone="ring til mig"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write the e-mail address in the form name@example.dk." in page
    assert "Write the phone number with digits" in page
    assert 'value="Karen Hansen"' in page


def test_later_steps_need_the_earlier_ones(client):
    response = client.get(url("submit_about"))
    assert response.status_code == 302 and response["Location"] == url("submit")
    client.post(url("submit"), idea_step())
    response = client.get(url("submit_summary"))
    assert response.status_code == 302 and response["Location"] == url("submit_about")


def test_change_links_return_to_the_summary_with_what_was_typed(client):
    fill_steps(client)
    page = client.get(url("submit_summary")).content.decode()
    assert f'href="{url("submit")}?change=1#id_title"' in page
    page = client.get(url("submit") + "?change=1").content.decode()
    assert f'value="{TITLE}"' in page and 'name="to_summary"' in page
    response = client.post(url("submit"), idea_step(title="Bænke ved Peblinge Sø", to_summary="1"))
    assert response["Location"] == url("submit_summary")
    assert "Bænke ved Peblinge Sø" in client.get(url("submit_summary")).content.decode()


def test_summary_shows_everything_and_the_privacy_notice(client, settings):
    fill_steps(client)
    response = client.get(url("submit_summary"))
    page = response.content.decode()
    assert response.status_code == 200
    for text in (TITLE, DESCRIPTION[:40], district(3).name, topic().name, "Permission"):
        assert text in page
    assert ADDRESS.split("@")[0] in page and "12 34 56 78" in page
    assert "How we handle your personal data" in page
    assert f"for {settings.IDEAS_RETENTION_MONTHS} months" in page
    assert settings.CONTACT_EMAIL in page
    with translation.override("en"):
        assert f'href="{reverse("core:privacy")}"' in page
    assert 'name="consent_contact"' in page and 'name="website"' in page
    assert 'enctype="multipart/form-data"' in page


def test_consent_to_be_contacted_is_required_and_files_must_be_chosen_again(client):
    fill_steps(client)
    response = client.post(url("submit_summary"), {"attachments": [png_upload()]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tick the box to agree that we may contact you." in page
    assert "choose your attachments again" in page
    assert TITLE in page  # the draft is kept
    assert not Idea.objects.exists()


# --- sending, confirming, the receipt ------------------------------------------------------------


def test_the_whole_journey_from_the_first_step_to_the_receipt(client, settings):
    fill_steps(client)
    response = send(client, attachments=[png_upload("skitse.png")])
    assert response.status_code == 302 and response["Location"] == url("submit_sent")

    idea = Idea.objects.get()
    assert idea.state == State.AWAITING_CONFIRMATION and idea.reference is None
    assert idea.title == TITLE and idea.email == "Karen.Hansen@example.dk"
    assert idea.consent_contact and idea.consent_publish
    assert list(idea.districts.all()) == [district(3)]
    assert idea.help_needed == ["place", "permission"]
    attachment = Attachment.objects.get(idea=idea)
    assert attachment.original_name == "skitse.png" and attachment.content_type == "image/png"
    assert "skitse" not in attachment.file.name and attachment.file.name.endswith(".png")
    assert SESSION_KEY not in client.session  # the draft is gone

    page = client.get(url("submit_sent")).content.decode()
    assert masked_email(idea.email) in page and idea.email not in page

    [confirmation] = mail.outbox
    assert confirmation.to == [idea.email]
    link = link_in(confirmation)
    assert link.startswith(settings.SITE_URL)
    assert idea.tracking_token in link
    assert MailLog.objects.get(key=f"idea:{idea.pk}:confirm").status == MailLog.Status.SENT

    # Opening the link (as a mail scanner would) confirms nothing.
    response = client.get(path_of(link))
    assert response.status_code == 200
    assert "Send my idea" in response.content.decode()
    idea.refresh_from_db()
    assert idea.state == State.AWAITING_CONFIRMATION

    response = client.post(path_of(link))
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.state == State.RECEIVED and idea.reference
    receipt_page = client.get(path_of(link)).content.decode()
    assert idea.reference in receipt_page
    answer_due = timezone.localtime(idea.answer_due)
    with translation.override("en"):
        assert date_format(answer_due, "DATE_FORMAT") in receipt_page
    assert idea.tracking_token in receipt_page
    assert settings.CONTACT_EMAIL in receipt_page

    assert len(mail.outbox) == 2
    receipt = mail.outbox[1]
    assert idea.reference in receipt.subject and idea.reference in receipt.body
    with translation.override("en"):
        assert date_format(answer_due, "DATE_FORMAT") in receipt.body
    assert f"{settings.SITE_URL}/en/ideas/" in receipt.body and idea.tracking_token in receipt.body

    # Following the link again shows the receipt again and sends no second receipt.
    assert client.post(path_of(link)).status_code == 302
    assert idea.reference in client.get(path_of(link)).content.decode()
    assert len(mail.outbox) == 2


def test_mails_are_in_the_citizens_language_not_the_pages(client):
    fill_steps(client, about=about_step(language="da"))
    send(client)
    [confirmation] = mail.outbox
    assert "/en/" not in confirmation.body
    with translation.override("da"):
        from django.utils.translation import gettext

        assert confirmation.subject == gettext("Confirm your e-mail address to send your idea")


def test_expired_link_says_the_idea_was_not_sent(client, settings):
    idea = submitted_idea(
        now=timezone.now() - timedelta(hours=settings.IDEAS_CONFIRMATION_HOURS + 1)
    )
    for method in (client.get, client.post):
        response = method(url("confirm", idea.tracking_token))
        assert response.status_code == 410
        page = response.content.decode()
        assert "Your idea was not sent to the municipality." in page
        assert f'href="{url("submit")}"' in page
    idea.refresh_from_db()
    assert idea.state == State.AWAITING_CONFIRMATION
    assert not mail.outbox


def test_unknown_token_is_a_neutral_404(client):
    response = client.get(url("confirm", "x" * 43))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert client.post(url("confirm", "x" * 43)).status_code == 404


def test_a_failed_send_leaves_nothing_behind(client, monkeypatch, tmp_path):
    fill_steps(client)

    def refuse(**kwargs):
        raise RuntimeError("the mail queue is down")

    monkeypatch.setattr("sammen.ideas.submission.queue_mail", refuse)
    with pytest.raises(RuntimeError):
        send(client, attachments=[png_upload()])
    assert not Idea.objects.exists() and not Attachment.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


# --- abuse ---------------------------------------------------------------------------------------


def test_honeypot_refuses_and_keeps_the_draft(client):
    fill_steps(client)
    response = send(client, website="http://spam.example")
    assert response.status_code == 400
    assert "We could not send your idea" in response.content.decode()
    assert not Idea.objects.exists() and not mail.outbox
    assert SESSION_KEY in client.session
    assert send(client).status_code == 302  # a person sending again succeeds


def test_rate_limit_per_address(client, monkeypatch):
    monkeypatch.setattr(views, "SUBMIT_PER_ADDRESS", RateLimit("t:address", 2, timedelta(days=1)))
    for _ in range(2):
        fill_steps(client)
        assert send(client).status_code == 302
    fill_steps(client)
    response = send(client)
    assert response.status_code == 429
    assert "wait an hour" in response.content.decode()
    assert TITLE in response.content.decode()
    assert Idea.objects.count() == 2
    # Another address from the same computer is not held back.
    fill_steps(client, about=about_step(email="anden@example.dk"))
    assert send(client).status_code == 302


def test_rate_limit_per_ip(client, monkeypatch):
    monkeypatch.setattr(views, "SUBMIT_PER_IP", RateLimit("t:ip", 1, timedelta(hours=1)))
    fill_steps(client)
    assert send(client).status_code == 302
    fill_steps(client, about=about_step(email="anden@example.dk"))
    assert send(client).status_code == 429
    assert Idea.objects.count() == 1


# --- similar opportunities and ideas -------------------------------------------------------------


def test_summary_suggests_similar_opportunities_and_public_ideas(client):
    opportunity = OpportunityFactory(title="Høring om nye bænke ved Søerne")
    public = services.idea_confirm(
        idea=submitted_idea(title="Bænke ved Søerne til ældre", consent_publish=True)
    )
    private = services.idea_confirm(
        idea=submitted_idea(title="Bænke ved Søerne", consent_publish=False)
    )
    fill_steps(client)
    page = client.get(url("submit_summary")).content.decode()
    assert "Is something like it already happening?" in page
    assert f'href="{opportunity.get_absolute_url()}"' in page
    assert public.title in page and public.reference in page
    assert private.reference not in page


def _public_ideas(count: int) -> None:
    for n in range(count):
        services.idea_confirm(
            idea=submitted_idea(title=f"Bænke ved Søerne nr. {n}", consent_publish=True)
        )


@pytest.mark.parametrize("language", ["da", "en"])
def test_summary_query_count_does_not_grow(client, language):
    def queries(rows: int) -> int:
        _public_ideas(rows)
        for n in range(rows):
            OpportunityFactory(title=f"Høring om bænke ved Søerne {n}")
        with CaptureQueriesContext(connection) as context:
            assert client.get(url("submit_summary", language=language)).status_code == 200
        return len(context.captured_queries)

    fill_steps(client)
    few = queries(5)
    many = queries(45)
    assert few == many


# --- re-sending the tracking links ---------------------------------------------------------------


def test_resend_link_mails_the_links_of_confirmed_ideas(client):
    first = services.idea_confirm(idea=submitted_idea(email="karen@example.org"))
    second = services.idea_confirm(idea=submitted_idea(email="Karen@Example.org", title="Træer"))
    unconfirmed = submitted_idea(email="karen@example.org", title="Ubekræftet")
    response = client.post(url("resend_link"), {"email": "KAREN@example.org"})
    assert response.status_code == 200
    [message] = mail.outbox
    assert message.to == ["Karen@Example.org"]  # the address as confirmed
    for idea in (first, second):
        assert idea.reference in message.body
        assert idea.tracking_token in message.body
    assert unconfirmed.tracking_token not in message.body
    # Asking again within the hour sends nothing more.
    client.post(url("resend_link"), {"email": "karen@example.org"})
    assert len(mail.outbox) == 1
    assert "karen" not in MailLog.objects.get().key.lower()


def test_resend_link_never_reveals_whether_an_address_is_known(client):
    services.idea_confirm(idea=submitted_idea(email="karen@example.org"))
    known = client.post(url("resend_link"), {"email": "karen@example.org"})
    unknown = client.post(url("resend_link"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200

    def main(response) -> str:
        page = response.content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    assert main(known) == main(unknown)
    assert len(mail.outbox) == 1


def test_resend_link_honeypot_and_rate_limit(client, monkeypatch):
    services.idea_confirm(idea=submitted_idea(email="karen@example.org"))
    response = client.post(url("resend_link"), {"email": "karen@example.org", "website": "x"})
    assert response.status_code == 400 and not mail.outbox
    assert 'value="karen@example.org"' in response.content.decode()
    monkeypatch.setattr(views, "LINKS_PER_ADDRESS", RateLimit("t:links", 1, timedelta(hours=1)))
    assert client.post(url("resend_link"), {"email": "karen@example.org"}).status_code == 200
    response = client.post(url("resend_link"), {"email": "karen@example.org"})
    assert response.status_code == 429
    assert 'value="karen@example.org"' in response.content.decode()


def test_resend_link_validates_the_address(client):
    response = client.post(url("resend_link"), {"email": "ikke-en-adresse"})
    assert response.status_code == 400
    assert "Write the e-mail address in the form name@example.dk." in response.content.decode()
