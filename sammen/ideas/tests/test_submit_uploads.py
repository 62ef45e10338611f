"""Attachments of an idea: accepted and refused by their content, never by their name."""

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from django.utils import translation

from sammen.ideas.models import Attachment, Idea
from sammen.ideas.uploads import MAX_SIZE, check_attachment, check_attachments


def png_bytes() -> bytes:
    """A real 1×1 PNG: signature, IHDR, one IDAT row, IEND, each chunk with its CRC."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    """A minimal real PDF: one empty page."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_upload(name: str = "skitse.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def test_real_png_and_pdf_are_accepted_by_content():
    png = check_attachment(png_upload("photo.png"))
    assert (png.content_type, png.extension, png.original_name) == ("image/png", "png", "photo.png")
    # The name does not decide: a PDF called .png is stored as what it is.
    pdf = check_attachment(SimpleUploadedFile("plan.png", pdf_bytes()))
    assert (pdf.content_type, pdf.extension) == ("application/pdf", "pdf")


def test_a_text_file_called_pdf_is_refused_naming_the_file():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        check_attachment(SimpleUploadedFile("budget.pdf", b"just some text, not a PDF at all"))
    assert error.value.messages == [
        "“budget.pdf” is not a PDF, JPEG or PNG file. Only these types can be sent."
    ]


def test_other_real_types_are_refused():
    gif = (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,"
    )
    zip_file = b"PK\x03\x04" + b"\x00" * 40
    for name, content in (
        ("a.gif", gif),
        ("b.docx", zip_file),
        ("c.exe", b"MZ\x90\x00" + b"\x00" * 60),
    ):
        with pytest.raises(ValidationError) as error:
            check_attachment(SimpleUploadedFile(name, content))
        assert error.value.code == "type"


def test_empty_and_too_large_files_are_refused():
    with pytest.raises(ValidationError) as error:
        check_attachment(SimpleUploadedFile("tom.pdf", b""))
    assert error.value.code == "empty"
    # A sparse temporary file: MAX_SIZE + 1 bytes on paper, nothing written but the PDF header.
    big = TemporaryUploadedFile("stor.pdf", "application/pdf", MAX_SIZE + 1, None)
    big.write(pdf_bytes())
    big.seek(MAX_SIZE)
    big.write(b"\n")
    big.seek(0)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        check_attachment(big)
    assert error.value.code == "too_large"
    assert (
        "“stor.pdf”" in error.value.messages[0]
        and "Each file can be at most 10.0\xa0MB." in error.value.messages[0]
    )
    big.close()


def test_a_file_of_exactly_the_limit_is_accepted():
    exact = TemporaryUploadedFile("plan.pdf", "application/pdf", MAX_SIZE, None)
    exact.write(pdf_bytes())
    exact.seek(MAX_SIZE - 1)
    exact.write(b"\n")
    exact.seek(0)
    assert check_attachment(exact).size == MAX_SIZE
    exact.close()


def test_six_files_are_refused_and_every_bad_file_is_named():
    uploads = [png_upload(f"{n}.png") for n in range(5)]
    assert len(check_attachments(uploads)) == 5
    uploads.append(SimpleUploadedFile("notes.pdf", b"text"))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        check_attachments(uploads)
    assert error.value.messages == [
        "You can send at most 5 files; you chose 6.",
        "“notes.pdf” is not a PDF, JPEG or PNG file. Only these types can be sent.",
    ]


@pytest.mark.django_db
def test_the_summary_page_refuses_bad_files_and_keeps_the_draft(client, settings, tmp_path):
    from sammen.ideas.tests.test_submit import fill_steps, url

    settings.MEDIA_ROOT = tmp_path
    fill_steps(client)
    files = [png_upload(f"{n}.png") for n in range(6)]
    response = client.post(url("submit_summary"), {"consent_contact": "on", "attachments": files})
    assert response.status_code == 400
    page = response.content.decode()
    assert "You can send at most 5 files; you chose 6." in page
    assert "choose your attachments again" in page
    assert "checked" in page  # the consent stays ticked
    response = client.post(
        url("submit_summary"),
        {"consent_contact": "on", "attachments": [SimpleUploadedFile("fake.pdf", b"hello")]},
    )
    assert response.status_code == 400
    assert "“fake.pdf” is not a PDF, JPEG or PNG file." in response.content.decode()
    assert not Idea.objects.exists()

    pdf = SimpleUploadedFile("plan.pdf", pdf_bytes())
    response = client.post(
        url("submit_summary"), {"consent_contact": "on", "attachments": [pdf, png_upload()]}
    )
    assert response.status_code == 302
    stored = Attachment.objects.order_by("pk")
    assert [a.content_type for a in stored] == ["application/pdf", "image/png"]
    assert all((tmp_path / a.file.name).is_file() for a in stored)
    with translation.override("en"):
        assert response["Location"] == reverse("ideas:submit_sent")
