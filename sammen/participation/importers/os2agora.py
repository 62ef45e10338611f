"""Import hearings from the city's hearing portal "Bliv hørt" (an OS2agora installation).

The portal answers `GET {base}/api/hearing?PageIndex=n&PageSize=m` with a JSON:API document:
`data[]` holds objects of type `hearing` (attributes `startDate`, `deadline`; relationships
`hearingStatus` and `contents`), `included[]` the statuses and the text contents they point to. A
content's `field` says what the text is; OS2agora numbers the field types 1 title, 2 summary,
3 body information, 4 conclusion. An empty `data` ends the list.

Transactions: each hearing is written in its own transaction, so one hearing the database refuses
cannot undo the others, and a long run never holds locks for long. Marking hearings as withdrawn is
the dangerous step — a hearing missing from a *partial* read has not disappeared — so it runs only
after every page has been read and understood, and never when the source suddenly lists nothing.
"""

import html
import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from sammen.core.models import Department
from sammen.participation import search
from sammen.participation.models import Channel, Opportunity, OpportunityChange

logger = logging.getLogger("sammen.import")

CHANNEL_SLUG = "hoering"
DEFAULT_DEPARTMENT = "TMF"  # hearings carry no department in the known shape; most are TMF's
PAGE_SIZE = 50
MAX_PAGES = 500  # 25,000 hearings: far beyond the portal's size; stops a source that never ends
MAX_RESPONSE_BYTES = 20 * 1024 * 1024

# OS2agora's field types (Api/Models/Enums/FieldType.cs).
FIELD_TITLE, FIELD_SUMMARY, FIELD_BODY, FIELD_CONCLUSION = "1", "2", "3", "4"

# Statuses the public may see. Oprettet and Kladde are drafts and are never imported.
UPCOMING = "Afventer startdato"
PUBLIC_STATUSES = {UPCOMING, "Aktiv", "Afventer konklusion", "Konkluderet"}
CONCLUDED = "Konkluderet"

# The fields the importer owns; anything else (departments, districts, topics) staff may refine.
IMPORTED_FIELDS = [
    "title",
    "slug",
    "summary",
    "body",
    "start_at",
    "deadline",
    "contact_name",
    "contact_email",
    "contact_phone",
    "external_url",
    "participation_url",
    "outcome",
    "outcome_published_at",
    "is_published",
    "published_at",
    "withdrawn_at",
]

# (page index, page size) -> the raw body of the answer; raises SourceError when it cannot.
Fetcher = Callable[[int, int], bytes]


class SourceError(Exception):
    """The source could not be read or did not answer in the known shape."""


@dataclass
class Hearing:
    """One hearing as the source describes it, already checked."""

    external_id: str
    status: str
    title: str
    summary: str = ""
    body: str = ""
    conclusion: str = ""
    start_at: datetime | None = None
    deadline: datetime | None = None
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # drafts: not for the public
    failed: int = 0  # hearings the source describes in a way we cannot use
    withdrawn: int = 0
    pages: int = 0
    complete: bool = False  # every page read and understood
    errors: list[str] = field(default_factory=list)


# --- reading the source ------------------------------------------------------------------------


def http_fetcher(base_url: str, *, timeout: float = 20.0, user_agent: str | None = None) -> Fetcher:
    """A fetcher reading the portal over HTTP(S) with the standard library."""
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SourceError(f"The hearing portal address must be http(s)://…, not {base_url!r}.")
    endpoint = base_url.rstrip("/") + "/api/hearing"
    agent = user_agent or f"SammenOmByen-hearing-import (+{settings.SITE_URL})"

    def fetch(page_index: int, page_size: int) -> bytes:
        query = urllib.parse.urlencode({"PageIndex": page_index, "PageSize": page_size})
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            f"{endpoint}?{query}",
            headers={"User-Agent": agent, "Accept": "application/vnd.api+json, application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                body = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise SourceError(f"page {page_index}: HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise SourceError(f"page {page_index}: cannot connect ({reason})") from exc
        if len(body) > MAX_RESPONSE_BYTES:
            raise SourceError(f"page {page_index}: answer larger than {MAX_RESPONSE_BYTES} bytes")
        return body

    return fetch


def parse_page(raw: bytes, *, page_index: int = 1) -> tuple[list[Hearing], set[str]]:
    """The usable hearings of one page, and the ids of every hearing the page lists.

    Raises SourceError when the page as a whole is not in the known shape. A single hearing the
    importer cannot use is logged and left out of the first result but kept in the second, so it is
    never taken for a hearing that disappeared.
    """
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"page {page_index}: not JSON ({exc.__class__.__name__})") from exc
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise SourceError(f"page {page_index}: no `data` list")
    included = document.get("included") or []
    if not isinstance(included, list):
        raise SourceError(f"page {page_index}: `included` is not a list")

    by_key: dict[tuple[str, str], dict] = {}
    for item in included:
        if isinstance(item, dict) and "type" in item and "id" in item:
            by_key[(str(item["type"]), str(item["id"]))] = item

    hearings: list[Hearing] = []
    listed: set[str] = set()
    for item in document["data"]:
        if not isinstance(item, dict) or item.get("type") != "hearing" or "id" not in item:
            logger.warning("os2agora page %s: ignored an entry that is not a hearing", page_index)
            continue
        external_id = str(item["id"])
        listed.add(external_id)
        try:
            hearings.append(_hearing(item, by_key))
        except ValueError as exc:
            logger.warning("os2agora hearing %s: not imported: %s", external_id, exc)
    return hearings, listed


def _related(item: dict, name: str) -> list[tuple[str, str]]:
    data = ((item.get("relationships") or {}).get(name) or {}).get("data")
    if data is None:
        return []
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return []
    return [
        (str(ref.get("type")), str(ref.get("id")))
        for ref in data
        if isinstance(ref, dict) and "id" in ref
    ]


def _hearing(item: dict, by_key: dict[tuple[str, str], dict]) -> Hearing:
    attributes = item.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise ValueError("attributes are not an object")

    statuses = [by_key.get(key) for key in _related(item, "hearingStatus")]
    status_names = [
        str((s.get("attributes") or {}).get("name", "")) for s in statuses if s is not None
    ]
    if not status_names or not status_names[0]:
        raise ValueError("no status")
    status = status_names[0].strip()

    texts: dict[str, list[str]] = {}
    for key in _related(item, "contents"):
        content = by_key.get(key)
        if content is None:
            continue
        content_attributes = content.get("attributes") or {}
        text = content_attributes.get("textContent")
        if text is None:
            text = content_attributes.get("content")  # the attribute's name in older versions
        if not isinstance(text, str) or not text.strip():
            continue  # files and images carry no text
        field_ids = _related(content, "field")
        if not field_ids:
            continue
        field_type = _field_type(field_ids[0], by_key)
        texts.setdefault(field_type, []).append(text)

    title = _plain(" ".join(texts.get(FIELD_TITLE, [])))
    if not title:
        raise ValueError("no title")
    body = "\n\n".join(_plain(t) for t in texts.get(FIELD_BODY, []))
    summary = _plain(" ".join(texts.get(FIELD_SUMMARY, [])))

    start_at = _datetime(attributes.get("startDate"), "startDate")
    deadline = _datetime(attributes.get("deadline"), "deadline")
    if start_at and deadline and deadline < start_at:
        raise ValueError("deadline before start")

    return Hearing(
        external_id=str(item["id"]),
        status=status,
        title=_shorten(title, 200),
        summary=_shorten(summary or body or title, 500),
        body=body,
        conclusion="\n\n".join(_plain(t) for t in texts.get(FIELD_CONCLUSION, [])),
        start_at=start_at,
        deadline=deadline,
        contact_name=_text_attribute(attributes, "contactPersonName", 200),
        contact_email=_email_attribute(attributes, "contactPersonEmail"),
        contact_phone=_text_attribute(attributes, "contactPersonPhoneNumber", 40),
    )


def _field_type(field_key: tuple[str, str], by_key: dict[tuple[str, str], dict]) -> str:
    """A field's type: through its included fieldType where the source sends one, else its id."""
    field_item = by_key.get(field_key)
    if field_item is not None:
        types = _related(field_item, "fieldType")
        if types:
            return types[0][1]
    return field_key[1]


def _datetime(value: Any, name: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} is not a date")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{name} is not an ISO 8601 date: {value[:40]!r}") from None
    if parsed.tzinfo is None:  # the API speaks UTC
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _text_attribute(attributes: dict, name: str, limit: int) -> str:
    value = attributes.get(name)
    return _shorten(value.strip(), limit) if isinstance(value, str) else ""


def _email_attribute(attributes: dict, name: str) -> str:
    value = _text_attribute(attributes, name, 254)
    return value if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) else ""


class _TextExtractor(HTMLParser):
    BREAKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _plain(text: str) -> str:
    """Plain text with paragraphs: the portal's texts may be HTML; we render our own markup."""
    if "<" in text and ">" in text:
        extractor = _TextExtractor()
        extractor.feed(text)
        extractor.close()
        text = "".join(extractor.parts)
    else:
        text = html.unescape(text)
    lines = [" ".join(line.split()) for line in text.replace("\r", "").split("\n")]
    paragraphs = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", paragraphs).strip()


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split()) if limit <= 500 else text
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def read_all(fetch: Fetcher, *, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES):
    """Yield (page index, hearings, listed ids) for each page until the source's list ends.

    Raises SourceError on a page that cannot be read, on a page that repeats the previous one
    (a source ignoring PageIndex would otherwise loop) and when the list does not end in time.
    """
    previous: set[str] | None = None
    for page_index in range(1, max_pages + 1):
        hearings, listed = parse_page(fetch(page_index, page_size), page_index=page_index)
        if not listed:
            return
        if listed == previous:
            raise SourceError(f"page {page_index} repeats page {page_index - 1}")
        previous = listed
        yield page_index, hearings, listed
    raise SourceError(f"the list did not end within {max_pages} pages")


# --- writing -----------------------------------------------------------------------------------


def hearings_import(
    *,
    fetch: Fetcher,
    department: str = DEFAULT_DEPARTMENT,
    page_size: int = PAGE_SIZE,
    max_pages: int = MAX_PAGES,
    now: datetime | None = None,
) -> ImportReport:
    """Create or update an opportunity for each public hearing; withdraw those that disappeared.

    Idempotent: running it again with the same answers changes nothing and writes no change rows.
    """
    now = now or timezone.now()
    report = ImportReport()
    channel = Channel.objects.get(slug=CHANNEL_SLUG)
    owner = Department.objects.get(abbreviation=department)
    seen: set[str] = set()
    # Listed hearings that are not drafts, including those we could not use: never withdrawn.
    keep: set[str] = set()
    try:
        for page_index, hearings, listed in read_all(
            fetch, page_size=page_size, max_pages=max_pages
        ):
            report.pages = page_index
            seen |= listed
            usable = {h.external_id for h in hearings}
            report.failed += len(listed - usable)
            keep |= listed - usable
            for hearing in hearings:
                if hearing.status not in PUBLIC_STATUSES:
                    report.skipped += 1  # a draft; withdrawn below if it was public before
                    continue
                keep.add(hearing.external_id)
                try:
                    outcome = _upsert(hearing, channel=channel, owner=owner, now=now)
                except ValidationError as exc:
                    # Field names only: the values may hold a person's e-mail address.
                    report.failed += 1
                    logger.error(
                        "os2agora hearing %s: not saved, invalid %s",
                        hearing.external_id,
                        ", ".join(sorted(getattr(exc, "message_dict", {}) or ["value"])),
                    )
                    continue
                except DatabaseError as exc:
                    report.failed += 1
                    logger.error(
                        "os2agora hearing %s: not saved: %s",
                        hearing.external_id,
                        exc.__class__.__name__,
                    )
                    continue
                setattr(report, outcome, getattr(report, outcome) + 1)
    except SourceError as exc:
        report.errors.append(str(exc))
        logger.error("os2agora import stopped, nothing withdrawn: %s", exc)
        return report

    report.complete = True
    if not seen and Opportunity.objects.filter(source=Opportunity.Source.OS2AGORA).exists():
        logger.warning("os2agora lists no hearings at all; nothing withdrawn (a broken source?)")
    else:
        report.withdrawn = _withdraw_missing(keep=keep, now=now)
    logger.info(
        "os2agora import: %s pages, %s created, %s updated, %s unchanged, %s drafts skipped, "
        "%s failed, %s withdrawn",
        report.pages,
        report.created,
        report.updated,
        report.unchanged,
        report.skipped,
        report.failed,
        report.withdrawn,
    )
    return report


def _values(hearing: Hearing, *, existing: Opportunity | None, now: datetime) -> dict[str, Any]:
    outcome = hearing.conclusion if hearing.status == CONCLUDED else ""
    if outcome:
        unchanged_outcome = existing is not None and existing.outcome_published_at is not None
        outcome_at = existing.outcome_published_at if unchanged_outcome else now
    else:
        outcome_at = None
    public_url = f"{settings.OS2AGORA_PUBLIC_URL.rstrip('/')}/hearing/{hearing.external_id}"
    return {
        "title": hearing.title,
        "slug": _slug(hearing.title),
        "summary": hearing.summary,
        "body": hearing.body,
        "start_at": hearing.start_at,
        "deadline": hearing.deadline,
        "contact_name": hearing.contact_name,
        "contact_email": hearing.contact_email,
        "contact_phone": hearing.contact_phone,
        "external_url": public_url,
        "participation_url": public_url,
        "outcome": outcome,
        "outcome_published_at": outcome_at,
        # Staff may hide an imported hearing; a later import respects that.
        "is_published": existing.is_published if existing else True,
        "published_at": existing.published_at if existing and existing.published_at else now,
        "withdrawn_at": None,
    }


def _slug(title: str) -> str:
    danish = title.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    danish = danish.replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa")
    return slugify(danish)[:200].strip("-") or "hoering"


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and len(value) > 300:
        return value[:299] + "…"
    return value


@transaction.atomic
def _upsert(hearing: Hearing, *, channel: Channel, owner: Department, now: datetime) -> str:
    existing = (
        Opportunity.objects.select_for_update()
        .filter(source=Opportunity.Source.OS2AGORA, external_id=hearing.external_id)
        .first()
    )
    values = _values(hearing, existing=existing, now=now)
    if existing is None:
        opportunity = Opportunity(
            channel=channel,
            source=Opportunity.Source.OS2AGORA,
            external_id=hearing.external_id,
            language="da",
            **values,
        )
        changes = {name: [None, _json(value)] for name, value in values.items() if value}
        outcome = "created"
    else:
        opportunity = existing
        changes = {
            name: [_json(getattr(existing, name)), _json(value)]
            for name, value in values.items()
            if getattr(existing, name) != value
        }
        if not changes:
            return "unchanged"
        for name, value in values.items():
            setattr(opportunity, name, value)
        outcome = "updated"
    opportunity.search_stems = search.stems_for(
        title=opportunity.title, summary=opportunity.summary, body=opportunity.body
    )
    opportunity.full_clean(exclude=["departments", "districts", "topics", "principles"])
    opportunity.save()
    if existing is None:
        opportunity.departments.set([owner])
    OpportunityChange.objects.create(
        opportunity=opportunity, at=now, by=None, action="imported", changes=changes
    )
    return outcome


@transaction.atomic
def _withdraw_missing(*, keep: set[str], now: datetime) -> int:
    """Mark imported hearings the complete read no longer listed as withdrawn by the source."""
    gone = list(
        Opportunity.objects.select_for_update()
        .filter(source=Opportunity.Source.OS2AGORA, withdrawn_at__isnull=True)
        .exclude(external_id__in=keep)
    )
    for opportunity in gone:
        opportunity.withdrawn_at = now
        opportunity.save(update_fields=["withdrawn_at", "updated_at"])
        OpportunityChange.objects.create(
            opportunity=opportunity,
            at=now,
            by=None,
            action="withdrawn",
            changes={"withdrawn_at": [None, now.isoformat()]},
        )
        logger.info("os2agora hearing %s: withdrawn by the source", opportunity.external_id)
    return len(gone)
