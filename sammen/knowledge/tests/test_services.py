"""Writing, the status workflow, versions, review reminders and questions to consultants."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from sammen.accounts.models import Role
from sammen.core.tests.factories import UserFactory, department, principle
from sammen.knowledge import services
from sammen.knowledge.models import (
    ConsultantProfile,
    ConsultantQuestion,
    Entry,
    Kind,
    ReviewReminder,
    Status,
)
from sammen.knowledge.tests.factories import central, consultant, make_entry

pytestmark = pytest.mark.django_db


def _data(**overrides):
    data = {
        "title": "Pop-up-dialog på torvet",
        "summary": "En bod med kaffe og et kort.",
        "body": "Første tekst.",
        "purpose": "At nå mange.",
        "steps": "1. Stil boden op.",
        "departments": [department("TMF")],
        "principles": [principle(5)],
        "target_groups": ["young", "everyone"],
    }
    data.update(overrides)
    return data


def test_a_new_entry_is_a_draft_owned_by_its_author_with_a_first_version():
    author = UserFactory()
    entry = services.entry_create(by=author, kind=Kind.METHOD, data=_data())
    assert entry.status == Status.DRAFT
    assert entry.owner == author
    assert entry.versions.count() == 1
    assert sorted(entry.target_group_rows.values_list("group", flat=True)) == ["everyone", "young"]
    assert "dialog" in entry.search_stems


def test_every_save_writes_a_version_and_restore_brings_back_the_old_text_as_a_new_version():
    author = UserFactory()
    entry = services.entry_create(by=author, kind=Kind.METHOD, data=_data())
    services.entry_update(entry=entry, by=author, data=_data(body="Anden tekst.", principles=[]))
    assert entry.versions.count() == 2
    first = entry.versions.get(number=1)
    services.entry_restore(entry=entry, version=first, by=author)
    entry.refresh_from_db()
    assert entry.body == "Første tekst."
    assert list(entry.principles.all()) == [principle(5)]
    assert entry.versions.count() == 3
    assert entry.versions.get(number=3).action == "restored"
    # The text that was replaced is still in the history.
    assert entry.versions.get(number=2).content["body"] == "Anden tekst."


def test_the_workflow_refuses_a_move_not_in_the_table():
    entry = make_entry(status=Status.DRAFT)
    with pytest.raises(ValidationError):
        services.entry_transition(entry=entry, to=Status.ARCHIVED, by=central(Role.ADMINISTRATOR))


def test_an_author_without_a_role_can_send_for_review_but_not_publish():
    author = UserFactory()
    entry = make_entry(owner=author, status=Status.DRAFT)
    services.entry_transition(entry=entry, to=Status.IN_REVIEW, by=author)
    with pytest.raises(PermissionDenied):
        services.entry_transition(entry=entry, to=Status.PUBLISHED, by=author)


def test_a_consultant_publishes_and_the_review_date_is_a_year_ahead():
    entry = make_entry(status=Status.IN_REVIEW)
    services.entry_transition(entry=entry, to=Status.PUBLISHED, by=consultant("TMF"))
    today = timezone.localdate()
    assert entry.status == Status.PUBLISHED
    assert entry.published_at is not None
    assert entry.last_reviewed_at is not None
    assert entry.review_due == today + timedelta(days=365)


def test_a_consultant_of_another_department_cannot_publish():
    entry = make_entry(status=Status.IN_REVIEW, departments=[department("TMF")])
    with pytest.raises(PermissionDenied):
        services.entry_transition(entry=entry, to=Status.PUBLISHED, by=consultant("BUF"))


def test_an_example_without_an_outcome_cannot_be_published():
    entry = make_entry(kind=Kind.EXAMPLE, status=Status.IN_REVIEW, outcome="")
    with pytest.raises(ValidationError) as error:
        services.entry_transition(entry=entry, to=Status.PUBLISHED, by=consultant("TMF"))
    assert "outcome" in error.value.error_dict


def test_marking_as_reviewed_moves_the_review_date():
    owner = UserFactory()
    entry = make_entry(owner=owner, review_due=timezone.localdate() - timedelta(days=5))
    services.entry_mark_reviewed(entry=entry, by=owner)
    assert entry.review_due == timezone.localdate() + timedelta(days=365)
    assert entry.versions.filter(action="reviewed").exists()


def test_only_a_dialogue_example_can_be_public():
    author = UserFactory()
    entry = services.entry_create(by=author, kind=Kind.METHOD, data=_data(is_public=True))
    assert entry.is_public is False


# --- reminders -----------------------------------------------------------------------------------


def test_reminders_go_a_month_before_and_when_passed_and_never_twice():
    today = timezone.localdate()
    soon = make_entry(title="Snart", review_due=today + timedelta(days=20))
    late = make_entry(title="Forsinket", review_due=today - timedelta(days=3))
    make_entry(title="Langt ude", review_due=today + timedelta(days=200))
    make_entry(title="Kladde", status=Status.DRAFT, review_due=today - timedelta(days=3))
    assert services.review_reminders_send(today=today) == 2
    assert {m.to[0] for m in mail.outbox} == {soon.owner.email, late.owner.email}
    assert services.review_reminders_send(today=today) == 0
    assert len(mail.outbox) == 2
    # When the due-soon entry passes its date, the owner hears once more.
    assert services.review_reminders_send(today=today + timedelta(days=21)) == 1
    assert ReviewReminder.objects.filter(entry=soon).count() == 2


def test_a_new_review_date_starts_the_reminders_afresh():
    today = timezone.localdate()
    entry = make_entry(review_due=today - timedelta(days=1))
    services.review_reminders_send(today=today)
    Entry.objects.filter(pk=entry.pk).update(
        review_due=today - timedelta(days=0) + timedelta(days=10)
    )
    assert services.review_reminders_send(today=today) == 1


def test_the_command_sends_the_reminders(capsys):
    make_entry(review_due=timezone.localdate() - timedelta(days=1))
    call_command("send_review_reminders")
    call_command("send_review_reminders")
    assert len(mail.outbox) == 1
    assert "1 review reminders sent." in capsys.readouterr().out


def test_the_task_sends_the_reminders():
    from sammen.knowledge.tasks import send_review_reminders

    make_entry(review_due=timezone.localdate() - timedelta(days=1))
    result = send_review_reminders.enqueue()
    assert result.return_value == 1


# --- consultants ---------------------------------------------------------------------------------


def test_asking_sends_one_email_to_the_departments_consultants_and_logs_only_the_fact():
    first = consultant("BUF", email="yasmin@buf.kk.dk")
    second = consultant("BUF", email="bo@buf.kk.dk")
    ConsultantProfile.objects.create(user=second, email="bo.dialog@buf.kk.dk")
    consultant("TMF", email="tmf@tmf.kk.dk")
    consultant("BUF", email="gone@buf.kk.dk", is_active=False)
    asker = UserFactory(email="mette@tmf.kk.dk")
    services.consultants_ask(
        department=department("BUF"), by=asker, subject="Unge i Valby", message="Kan I hjælpe?"
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([first.email, "bo.dialog@buf.kk.dk"])
    assert message.extra_headers["Reply-To"] == "mette@tmf.kk.dk"
    assert "Kan I hjælpe?" in message.body
    question = ConsultantQuestion.objects.get()
    assert question.recipient_count == 2
    assert question.asked_by == asker
    # Only who, when, where and how many: no field holds the message or any address.
    assert {f.name for f in ConsultantQuestion._meta.get_fields()} == {
        "id", "department", "asked_by", "recipient_count", "asked_at"
    }  # fmt: skip


def test_asking_a_department_without_consultants_is_refused_and_sends_nothing():
    with pytest.raises(ValidationError):
        services.consultants_ask(
            department=department("BIF"), by=UserFactory(), subject="Hej", message="Hej"
        )
    assert mail.outbox == []
    assert not ConsultantQuestion.objects.exists()
