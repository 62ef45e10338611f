"""Attachments: checked by content, size-limited, nothing half-saved, served only to staff."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory
from sammen.knowledge.models import Attachment, Status
from sammen.knowledge.tests.factories import make_entry
from sammen.knowledge.uploads import MAX_SIZE

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 64


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def entry(owner):
    return make_entry(owner=owner)


def upload(client, entry, name: str, content: bytes):
    return client.post(
        reverse("knowledge:attachment_upload", kwargs={"pk": entry.pk}),
        {"file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("rapport.pdf", PDF, "application/pdf"),
        ("kort.png", PNG, "image/png"),
        (
            "dialogplan.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("referat.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_an_allowed_file_is_attached(client, owner, entry, media, name, content, content_type):
    verified_login(client, owner)
    response = upload(client, entry, name, content)
    assert response.status_code == 302
    attachment = Attachment.objects.get(entry=entry)
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("falsk.pdf", b"Dette er bare tekst, ikke en PDF."),
        ("program.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100),
        ("side.pdf", b"<html><script>alert(1)</script></html>"),
        ("billede.png", b"PNG image, honestly" + b"\x00" * 10),
        ("arkiv.docx", _zip({"noget.txt": b"hej"})),
        ("tegning.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("tom.pdf", b""),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_saved(
    client, owner, entry, media, name, content
):
    verified_login(client, owner)
    response = upload(client, entry, name, content)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_the_refusal_names_what_is_allowed(client, owner, entry):
    verified_login(client, owner)
    response = upload(client, entry, "falsk.pdf", b"not a pdf at all")
    assert "PDF" in response.context["form"].errors["file"][0]


def test_a_file_over_the_limit_is_refused_with_the_limit_named(client, owner, entry, media):
    verified_login(client, owner)
    response = upload(client, entry, "stor.pdf", PDF + b"0" * (MAX_SIZE + 1 - len(PDF)))
    assert response.status_code == 200
    assert "10" in response.context["form"].errors["file"][0]
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_a_failed_database_write_leaves_no_file(owner, entry, media, monkeypatch):
    from sammen.knowledge import services

    def broken_full_clean(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(Attachment, "full_clean", broken_full_clean)
    with pytest.raises(RuntimeError):
        services.attachment_add(entry=entry, by=owner, upload=SimpleUploadedFile("r.pdf", PDF))
    assert stored_files(media) == []
    assert not Attachment.objects.exists()


def _attached(client, owner, entry, name="rapport.pdf", content=PDF) -> Attachment:
    verified_login(client, owner)
    upload(client, entry, name, content)
    client.logout()
    return Attachment.objects.get(entry=entry)


def test_staff_download_with_content_disposition_and_nosniff(client, owner, entry):
    attachment = _attached(client, owner, entry, "dialogplan.docx", DOCX)
    verified_login(client, UserFactory())
    response = client.get(
        reverse(
            "knowledge:attachment_download", kwargs={"pk": entry.pk, "attachment_pk": attachment.pk}
        )
    )
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "dialogplan.docx" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == DOCX


def test_a_pdf_is_shown_inline_with_its_real_type(client, owner, entry):
    attachment = _attached(client, owner, entry)
    verified_login(client, UserFactory())
    response = client.get(
        reverse(
            "knowledge:attachment_download", kwargs={"pk": entry.pk, "attachment_pk": attachment.pk}
        )
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")


def test_anonymous_visitors_cannot_download(client, owner, entry):
    attachment = _attached(client, owner, entry)
    response = client.get(
        reverse(
            "knowledge:attachment_download", kwargs={"pk": entry.pk, "attachment_pk": attachment.pk}
        )
    )
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_drafts_attachment_is_hidden_from_other_staff(client, owner):
    entry = make_entry(owner=owner, status=Status.DRAFT)
    attachment = _attached(client, owner, entry)
    verified_login(client, UserFactory())
    response = client.get(
        reverse(
            "knowledge:attachment_download", kwargs={"pk": entry.pk, "attachment_pk": attachment.pk}
        )
    )
    assert response.status_code == 404


def test_an_attachment_is_only_found_under_its_own_entry(client, owner, entry):
    attachment = _attached(client, owner, entry)
    other = make_entry(title="Andet", owner=owner)
    verified_login(client, owner)
    response = client.get(
        reverse(
            "knowledge:attachment_download", kwargs={"pk": other.pk, "attachment_pk": attachment.pk}
        )
    )
    assert response.status_code == 404


def test_removing_an_attachment_deletes_its_file(client, owner, entry, media):
    attachment = _attached(client, owner, entry)
    verified_login(client, owner)
    with pytest.MonkeyPatch.context():
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(
                reverse(
                    "knowledge:attachment_delete",
                    kwargs={"pk": entry.pk, "attachment_pk": attachment.pk},
                )
            )
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_the_public_page_never_shows_attachments(client, owner, media):
    from sammen.knowledge.models import Kind

    entry = make_entry(owner=owner, kind=Kind.EXAMPLE, is_public=True, title="Skatepark")
    attachment = _attached(client, owner, entry)
    response = client.get(entry.get_public_url())
    assert response.status_code == 200
    assert attachment.name.encode() not in response.content
    assert b"attachments" not in response.content
