"""Personal data: the export, erasure on request, and the retention job."""

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sammen.core.mailing import queue_mail
from sammen.core.models import MailLog
from sammen.core.tests.factories import district, topic
from sammen.ideas import privacy, services
from sammen.ideas.following import FOLLOW_CONFIRMATION_VALID_FOR
from sammen.ideas.models import Attachment, ErasureRecord, Follower, Idea, TimelineEntry
from sammen.ideas.states import State
from sammen.ideas.tests.factories import coordinator_user, idea_in, submitted_idea

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE, ADDRESS = "Karen Hansen", "karen@example.org", "+45 12 34 56 78", "Søgade 7"
NOTE = "Intern: borgeren har ringet tre gange."


@pytest.fixture
def coordinator():
    return coordinator_user()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def full_idea(coordinator, state: str = State.IN_PROGRESS) -> Idea:
    """An idea with every kind of personal data: contact details, address, a file, a follower,
    a mail logged to the submitter, a public message and an internal note."""
    idea = idea_in(state, coordinator=coordinator)
    Idea.objects.filter(pk=idea.pk).update(phone=PHONE, address=ADDRESS, consent_publish=True)
    idea.refresh_from_db()
    idea.districts.set([district(3)])
    idea.topics.set([topic("trafik")])
    Attachment.objects.create(
        idea=idea,
        file=SimpleUploadedFile("skitse.pdf", b"%PDF-1.4 skitse"),
        original_name="skitse.pdf",
        content_type="application/pdf",
        size=15,
    )
    Follower.objects.create(idea=idea, email="nabo@example.org", confirmed_at=timezone.now())
    queue_mail(
        key=f"idea:{idea.pk}:test",
        template="ideas.follow_confirm",
        recipient=EMAIL,
        context={"follower": 0},
    )
    if state not in (State.CLOSED,):
        services.idea_add_message(
            idea=idea, by=coordinator, public_message="Vi ser på det.", internal_note=NOTE
        )
    return idea


# --- export --------------------------------------------------------------------------------------


def test_the_export_holds_everything_about_the_submitter_but_no_internal_notes(coordinator):
    idea = full_idea(coordinator)
    data = privacy.personal_data_export(idea)
    assert data["reference"] == idea.reference
    assert data["contact_details"] == {
        "name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "language": "da",
    }
    assert data["consents"] == {"may_be_contacted": True, "may_be_published": True}
    assert data["idea"]["title"] == idea.title
    assert data["idea"]["address"] == ADDRESS
    assert data["idea"]["districts"] == [district(3).name]
    assert data["idea"]["topics"] == [topic("trafik").name]
    assert data["attachments"] == [
        {
            "name": "skitse.pdf",
            "content_type": "application/pdf",
            "size_bytes": 15,
            "uploaded_at": data["attachments"][0]["uploaded_at"],
        }
    ]
    assert any(entry["message"] == "Vi ser på det." for entry in data["timeline"])
    mails = data["emails_sent_to_you"]
    assert "ideas.follow_confirm" in [row["template"] for row in mails]
    assert len(mails) == MailLog.objects.filter(recipient=EMAIL).count()
    assert all(set(row) == {"template", "queued_at", "sent_at", "status"} for row in mails)
    assert set(data["survey"]) == {"sent_at", "got_a_clear_answer", "felt_heard", "answered_at"}
    text = json.dumps(data, ensure_ascii=False)
    assert NOTE not in text
    assert idea.tracking_token not in text
    assert "nabo@example.org" not in text  # a follower is someone else


def test_the_export_view_downloads_json_named_after_the_reference(client, coordinator):
    idea = full_idea(coordinator)
    response = client.get(reverse("ideas:export", args=[idea.tracking_token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == f'attachment; filename="{idea.reference}.json"'
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["contact_details"]["email"] == EMAIL
    assert NOTE not in response.content.decode()


# --- erasure -------------------------------------------------------------------------------------


def test_erasure_anonymises_and_keeps_the_case_facts(
    coordinator, django_capture_on_commit_callbacks
):
    idea = full_idea(coordinator)
    before = Idea.objects.get(pk=idea.pk)
    stored = Path(Attachment.objects.get(idea=idea).file.path)
    assert stored.exists()
    messages = list(idea.timeline.values_list("public_message", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        record = privacy.idea_anonymise(idea=idea, reason=ErasureRecord.Reason.CITIZEN_REQUEST)

    after = Idea.objects.get(pk=idea.pk)
    assert after.contact_name == privacy.ANONYMISED_NAME
    assert after.email == f"anonymised-{idea.pk}@anonymised.invalid"
    assert after.phone == "" and after.address == ""
    assert not after.consent_contact and not after.consent_publish
    assert after.anonymised_at is not None
    assert after.tracking_token != before.tracking_token
    # The case's facts stay.
    for field in (
        "reference",
        "title",
        "description",
        "state",
        "outcome",
        "lead_department_id",
        "coordinator_id",
        "confirmed_at",
        "answer_due",
        "language",
    ):
        assert getattr(after, field) == getattr(before, field)
    assert list(after.districts.all()) == [district(3)]
    assert list(after.timeline.values_list("public_message", flat=True)) == messages
    # Files, followers and the address in the mail log go.
    assert not Attachment.objects.filter(idea=idea).exists()
    assert not stored.exists()
    assert not Follower.objects.filter(idea=idea).exists()
    assert not MailLog.objects.filter(recipient__iexact=EMAIL).exists()
    assert MailLog.objects.filter(key=f"idea:{idea.pk}:test", recipient="").exists()
    # The record names what was erased, never the data.
    assert record.reference == idea.reference
    assert record.reason == ErasureRecord.Reason.CITIZEN_REQUEST
    assert set(record.fields) == {
        "contact_name",
        "email",
        "phone",
        "address",
        "consent_contact",
        "consent_publish",
        "attachments",
    }
    assert record.attachments_deleted == 1 and record.followers_deleted == 1
    stored_record = json.dumps(list(ErasureRecord.objects.values()), default=str)
    for personal in (NAME, EMAIL, PHONE, ADDRESS, "nabo@example.org", "skitse.pdf"):
        assert personal not in stored_record
    # Nothing personal was written to the timeline either.
    timeline = json.dumps(list(TimelineEntry.objects.filter(idea=idea).values()), default=str)
    for personal in (NAME, EMAIL, PHONE, ADDRESS):
        assert personal not in timeline


def test_erasing_twice_writes_one_record(coordinator):
    idea = full_idea(coordinator)
    first = privacy.idea_anonymise(idea=idea, reason=ErasureRecord.Reason.CITIZEN_REQUEST)
    second = privacy.idea_anonymise(idea=idea, reason=ErasureRecord.Reason.RETENTION)
    assert first == second
    assert ErasureRecord.objects.count() == 1


def test_an_erased_open_idea_can_still_be_handled(coordinator):
    idea = full_idea(coordinator)
    privacy.idea_anonymise(idea=idea, reason=ErasureRecord.Reason.CITIZEN_REQUEST)
    idea = services.idea_transition(
        idea=idea, to_state=State.ANSWERED, by=coordinator, public_message="Svar."
    )
    assert idea.state == State.ANSWERED
    assert privacy.contact_address(idea) == ""


def test_a_failed_erasure_deletes_no_file(coordinator, django_capture_on_commit_callbacks):
    idea = full_idea(coordinator)
    stored = Path(Attachment.objects.get(idea=idea).file.path)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        privacy.idea_anonymise(idea=idea, reason="not-a-reason")
    assert stored.exists()
    idea.refresh_from_db()
    assert idea.anonymised_at is None and idea.email == EMAIL
    assert Attachment.objects.filter(idea=idea).exists()


def test_the_erase_page_explains_then_erases_with_the_box_ticked(
    client, coordinator, django_capture_on_commit_callbacks
):
    idea = full_idea(coordinator)
    erase_url = reverse("ideas:erase", args=[idea.tracking_token])
    page = client.get(erase_url)
    assert page.status_code == 200 and page.context["is_open"]
    refused = client.post(erase_url, {})
    assert refused.status_code == 400
    assert 'href="#id_confirm"' in refused.content.decode()
    idea.refresh_from_db()
    assert idea.anonymised_at is None

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(erase_url, {"confirm": "on"})
    assert done.status_code == 302 and done["Location"] == reverse("ideas:erased")
    assert idea.tracking_token not in done["Location"]
    assert client.get(done["Location"]).status_code == 200
    # The old link is dead everywhere.
    for name in ("ideas:track", "ideas:export", "ideas:contact", "ideas:erase"):
        assert client.get(reverse(name, args=[idea.tracking_token])).status_code == 404
    assert ErasureRecord.objects.get().reason == ErasureRecord.Reason.CITIZEN_REQUEST


# --- the retention job ---------------------------------------------------------------------------


def test_the_retention_job_picks_only_closed_ideas_past_the_period(coordinator, settings):
    settings.IDEAS_RETENTION_MONTHS = 24
    now = timezone.now()
    old_closed = idea_in(State.CLOSED, coordinator=coordinator, now=now - timedelta(days=25 * 31))
    recent_closed = idea_in(State.CLOSED, coordinator=coordinator, now=now - timedelta(days=300))
    old_open = idea_in(State.IN_PROGRESS, coordinator=coordinator, now=now - timedelta(days=900))

    assert privacy.anonymise_expired(now=now) == 1
    for idea, erased in ((old_closed, True), (recent_closed, False), (old_open, False)):
        idea.refresh_from_db()
        assert (idea.anonymised_at is not None) is erased
    record = ErasureRecord.objects.get()
    assert record.idea_id == old_closed.pk and record.reason == ErasureRecord.Reason.RETENTION
    assert privacy.anonymise_expired(now=now) == 0  # nothing left: runs any number of times


def test_the_retention_period_is_a_setting(coordinator, settings):
    now = timezone.now()
    idea = idea_in(State.CLOSED, coordinator=coordinator, now=now - timedelta(days=100))
    settings.IDEAS_RETENTION_MONTHS = 4
    assert privacy.anonymise_expired(now=now) == 0
    settings.IDEAS_RETENTION_MONTHS = 3
    assert privacy.anonymise_expired(now=now) == 1
    idea.refresh_from_db()
    assert idea.anonymised_at is not None


def test_ideas_never_confirmed_are_deleted_a_week_after_the_link_expired(
    coordinator, settings, django_capture_on_commit_callbacks
):
    settings.IDEAS_CONFIRMATION_HOURS = 72
    now = timezone.now()
    stale = submitted_idea(now=now - timedelta(hours=72) - timedelta(days=7, minutes=1))
    fresh = submitted_idea(now=now - timedelta(days=5))
    confirmed = idea_in(State.RECEIVED, coordinator=coordinator, now=now - timedelta(days=30))
    item = Attachment.objects.create(
        idea=stale,
        file=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        original_name="a.pdf",
        content_type="application/pdf",
        size=8,
    )
    path = Path(item.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy.delete_unconfirmed(now=now) == 1
    assert not Idea.objects.filter(pk=stale.pk).exists()
    assert not path.exists()
    assert Idea.objects.filter(pk__in=[fresh.pk, confirmed.pk]).count() == 2
    assert not ErasureRecord.objects.exists()


def test_the_daily_command_prints_counts_only(coordinator):
    now = timezone.now()
    idea = idea_in(State.CLOSED, coordinator=coordinator, now=now - timedelta(days=800))
    Follower.objects.create(
        idea=idea, email="glemt@example.org", created_at=now - FOLLOW_CONFIRMATION_VALID_FOR * 2
    )
    out = StringIO()
    call_command("anonymise_ideas", stdout=out)
    output = out.getvalue()
    assert "1" in output
    idea.refresh_from_db()
    assert idea.anonymised_at is not None
    for personal in (NAME, EMAIL, "glemt@example.org", idea.reference, idea.title):
        assert personal not in output


def test_correcting_contact_details_validates_and_records_nothing(coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    entries = idea.timeline.count()
    with pytest.raises(ValidationError):
        privacy.contact_details_update(
            idea=idea, contact_name="Karen", email="ikke-en-adresse", phone="", language="da"
        )
    saved = privacy.contact_details_update(
        idea=idea,
        contact_name=" Karen Holm ",
        email="karen.holm@example.org",
        phone="",
        language="en",
    )
    assert saved.contact_name == "Karen Holm" and saved.language == "en"
    assert idea.timeline.count() == entries
