"""Checking the files a citizen sends with an idea: by content, not by name.

An idea may carry up to `Attachment.MAX_PER_IDEA` (5) files, each a PDF, JPEG or PNG of at most
MAX_SIZE (10 MB). The type is read from the file's first bytes with the `filetype` package (as
`sammen.knowledge.uploads` does for staff attachments, with a narrower list: a citizen's case needs
no office documents, and images and PDFs are what staff can open safely). A text file named
`.pdf`, a renamed executable or an image type we do not accept is refused with a message that
names the file, so the citizen knows which one to replace. The stored file gets a random name
(`models.attachment_path`) with the extension of the detected type, never the uploader's.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sammen.ideas.models import Attachment

MAX_SIZE = 10 * 1024 * 1024
MAX_FILES = Attachment.MAX_PER_IDEA
# MIME type (as read from the first bytes) → the extension the stored file gets.
ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# How much of the start of a file `filetype` needs to recognise these types.
HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    """An uploaded file whose content was checked, with what we will store about it."""

    upload: UploadedFile
    original_name: str
    content_type: str
    extension: str
    size: int


def display_name(upload: UploadedFile) -> str:
    """The file's own name without any folder part, cut to fit `Attachment.original_name`."""
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (name or "fil")[:200]


def check_attachment(upload: UploadedFile) -> CheckedUpload:
    """What the file really is; a ValidationError naming the file when it may not be sent."""
    name = display_name(upload)
    size = upload.size or 0
    if size > MAX_SIZE:
        raise ValidationError(
            _("“%(name)s” is %(size)s. Each file can be at most %(limit)s."),
            code="too_large",
            params={"name": name, "size": filesizeformat(size), "limit": filesizeformat(MAX_SIZE)},
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": name})
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("“%(name)s” is not a PDF, JPEG or PNG file. Only these types can be sent."),
            code="type",
            params={"name": name},
        )
    return CheckedUpload(
        upload=upload,
        original_name=name,
        content_type=kind.mime,
        extension=ALLOWED_TYPES[kind.mime],
        size=size,
    )


def check_attachments(uploads: Sequence[UploadedFile]) -> list[CheckedUpload]:
    """Check every file; one ValidationError listing every problem (too many, and each bad file)."""
    errors: list[ValidationError] = []
    if len(uploads) > MAX_FILES:
        errors.append(
            ValidationError(
                ngettext(
                    "You can send at most %(max)d file; you chose %(count)d.",
                    "You can send at most %(max)d files; you chose %(count)d.",
                    MAX_FILES,
                ),
                code="too_many",
                params={"max": MAX_FILES, "count": len(uploads)},
            )
        )
    checked: list[CheckedUpload] = []
    for upload in uploads:
        try:
            checked.append(check_attachment(upload))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return checked
