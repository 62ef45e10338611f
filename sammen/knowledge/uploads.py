"""Checking an uploaded attachment by its content, not its name.

A file is accepted when its first bytes (its "magic number", read by the `filetype` package) say it
is a PDF, a PNG/JPEG/GIF/WebP image, or an office document, and it is at most MAX_SIZE. Office
documents are zip containers, so the zip is opened and must hold the parts its format requires
(`[Content_Types].xml` and `word/`, `xl/` or `ppt/` for Microsoft Office; a `mimetype` member naming
the format for OpenDocument): any other zip, a renamed executable or a text file claiming to be a
PDF is refused with a message that says what is allowed. The stored name gets the extension of the
detected type, never the uploader's.
"""

import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_SIZE = 10 * 1024 * 1024

# MIME type → extension, for the types read from the first bytes.
SIMPLE_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
}
# Microsoft Office (OOXML): the folder its main part lives in.
OOXML = {
    "word/": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
# Shown inline in the browser (the rest are downloaded).
INLINE_TYPES = frozenset(SIMPLE_TYPES)

NOT_ALLOWED = _(
    "The file must be a PDF, an image (PNG, JPEG, GIF or WebP) or an office document "
    "(Word, Excel, PowerPoint or OpenDocument)."
)


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int


def _office_type(upload: UploadedFile) -> tuple[str, str] | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in OPENDOCUMENT:
                    return mimetype, OPENDOCUMENT[mimetype]
                return None
            if "[Content_Types].xml" not in names:
                return None
            for folder, (extension, content_type) in OOXML.items():
                if any(name.startswith(folder) for name in names):
                    return content_type, extension
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def check_upload(upload: UploadedFile) -> CheckedFile:
    """What the file really is; ValidationError when it is too large or not an allowed type."""
    size = upload.size or 0
    if size > MAX_SIZE:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(MAX_SIZE)},
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in SIMPLE_TYPES:
        return CheckedFile(kind.mime, SIMPLE_TYPES[kind.mime], size)
    if head.startswith(b"PK\x03\x04"):
        office = _office_type(upload)
        if office:
            return CheckedFile(office[0], office[1], size)
    raise ValidationError(NOT_ALLOWED, code="type")
