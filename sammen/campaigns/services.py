"""Writes to poster campaigns by staff: the campaign, its placements, and importing placements
from the poster company's spreadsheet.

Each write runs in one transaction and validates the model with `full_clean()`, so a refused change
leaves nothing half-saved. The import is all-or-nothing: every line of the file is checked first
and the placements are created only when no line is wrong; otherwise the caller gets every wrong
line with its number and what is wrong, to correct in the spreadsheet and upload again.

Every placement gets its own random short code (its `/k/<code>` link). Codes are drawn at random
and uniqueness is the database's to enforce, so a collision (rare: 31^5 codes) is met by drawing
new codes and trying again.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from sammen.campaigns.models import Campaign, Placement, new_short_code
from sammen.core.models import District

if TYPE_CHECKING:
    from sammen.accounts.models import User

# The fields the campaign form writes (the M2M fields are set after saving).
CAMPAIGN_FIELDS = (
    "year",
    "theme_da",
    "theme_en",
    "message_da",
    "message_en",
    "intro_da",
    "intro_en",
    "starts_on",
    "ends_on",
    "is_published",
)
# The landing page shows the featured opportunities as cards; more than this drowns the message.
MAX_FEATURED = 6
# How often new short codes are drawn before giving up (each try collides with odds ~n/31^5).
CODE_ATTEMPTS = 5

# A poster company's list for a whole city is a few hundred lines: a few kB.
IMPORT_MAX_SIZE = 512 * 1024
IMPORT_MAX_ROWS = 2000


# --- campaigns -----------------------------------------------------------------------------------


def validate_period(*, year: int | None, starts_on: date | None, ends_on: date | None) -> None:
    """The period must make sense: it ends on or after its first day, and the campaign of a year
    starts in that year (shared with the form, so the page says the same as the service)."""
    errors: dict[str, Any] = {}
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The last day must be on or after the first day.")
    if year and starts_on and starts_on.year != year:
        errors["starts_on"] = _("The campaign of %(year)s must start in %(year)s.") % {"year": year}
    if errors:
        raise ValidationError(errors)


def _save_campaign(campaign: Campaign, data: Mapping[str, Any]) -> Campaign:
    for name in CAMPAIGN_FIELDS:
        if name in data:
            setattr(campaign, name, data[name])
    validate_period(year=campaign.year, starts_on=campaign.starts_on, ends_on=campaign.ends_on)
    featured = list(data.get("featured_opportunities") or [])
    if len(featured) > MAX_FEATURED:
        raise ValidationError(
            {
                "featured_opportunities": _("Choose at most %(count)s opportunities.")
                % {"count": MAX_FEATURED}
            }
        )
    campaign.full_clean()
    campaign.save()
    if "featured_opportunities" in data:
        campaign.featured_opportunities.set(featured)
    if "channels" in data:
        campaign.channels.set(list(data["channels"] or []))
    return campaign


@transaction.atomic
def campaign_create(*, by: "User | None", data: Mapping[str, Any]) -> Campaign:
    """A new campaign from the form's cleaned data."""
    return _save_campaign(Campaign(created_by=by), data)


@transaction.atomic
def campaign_update(*, campaign: Campaign, data: Mapping[str, Any]) -> Campaign:
    """Change a campaign. The placements and their short links stay as they are."""
    return _save_campaign(campaign, data)


# --- placements ----------------------------------------------------------------------------------


def free_short_codes(count: int) -> list[str]:
    """`count` distinct random codes not in the database at the time of asking."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = {new_short_code() for _ in range(count - len(codes))} - codes
        taken = set(Placement.objects.filter(code__in=wanted).values_list("code", flat=True))
        codes |= wanted - taken
    return list(codes)


def _insert_with_codes(placements: list[Placement]) -> list[Placement]:
    """Insert the placements with fresh short codes, drawing again if another write took one of
    the codes between checking and inserting (the unique index says so)."""
    for attempt in range(CODE_ATTEMPTS):
        for placement, code in zip(placements, free_short_codes(len(placements)), strict=True):
            placement.code = code
        try:
            with transaction.atomic():
                return Placement.objects.bulk_create(placements)
        except IntegrityError:
            taken = Placement.objects.filter(code__in=[p.code for p in placements]).exists()
            if not taken or attempt == CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _site_code_taken(campaign: Campaign, site_code: str, exclude_pk: int | None = None) -> bool:
    return (
        Placement.objects.filter(campaign=campaign, site_code__iexact=site_code)
        .exclude(pk=exclude_pk)
        .exists()
    )


SITE_CODE_TAKEN = _("The campaign already has a placement with this site code.")


@transaction.atomic
def placement_create(
    *, campaign: Campaign, site_code: str, address: str, district: District | None
) -> Placement:
    """One new poster site with its own short code."""
    placement = Placement(
        campaign=campaign, site_code=site_code.strip(), address=address.strip(), district=district
    )
    placement.full_clean(exclude=["code"], validate_unique=False)
    if _site_code_taken(campaign, placement.site_code):
        raise ValidationError({"site_code": SITE_CODE_TAKEN})
    return _insert_with_codes([placement])[0]


@transaction.atomic
def placement_update(
    *, placement: Placement, site_code: str, address: str, district: District | None
) -> Placement:
    """Correct a poster site. Its short code never changes: it is printed on the poster."""
    placement.site_code = site_code.strip()
    placement.address = address.strip()
    placement.district = district
    placement.full_clean(validate_unique=False)
    if _site_code_taken(placement.campaign, placement.site_code, exclude_pk=placement.pk):
        raise ValidationError({"site_code": SITE_CODE_TAKEN})
    placement.save()
    return placement


@transaction.atomic
def placement_delete(*, placement: Placement) -> None:
    """Remove a poster site that was never visited. One with counted visits stays: its visits are
    part of the campaign's results, and its poster may already hang in the street."""
    if placement.reach.filter(visits__gt=0).exists():
        raise ValidationError(
            _("This placement has counted visits, which are part of the results. It stays.")
        )
    placement.delete()


# --- importing placements from CSV ---------------------------------------------------------------

# Recognised column names (compared without case, accents, spaces or punctuation).
HEADER_NAMES = {
    "site_code": {
        "sitecode",
        "site",
        "plakatsted",
        "plakatstedkode",
        "stedkode",
        "standernummer",
        "standnummer",
        "soejlenummer",
        "sojlenummer",
        "nummer",
        "kode",
        "code",
        "id",
    },
    "address": {"address", "adresse", "placering", "location"},
    "district": {"district", "bydel", "bydelsnummer", "districtnumber"},
}
SITE_CODE_MAX = Placement._meta.get_field("site_code").max_length
ADDRESS_MAX = Placement._meta.get_field("address").max_length


@dataclass(frozen=True)
class ImportRow:
    line: int
    site_code: str
    address: str
    district: District | None


@dataclass
class ImportResult:
    """What came of an import: the created placements, or every wrong line and nothing created.

    `problems` are (line number or None for the file as a whole, message) pairs in file order."""

    created: list[Placement] = field(default_factory=list)
    problems: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _key(text: str) -> str:
    """A column or district name reduced to lower-case letters and digits (æ/ø/å spelled out)."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode())


def _districts() -> dict[str, District]:
    """Every way a line may name a district: its number 1-10 or its name (Vesterbro/Kongens
    Enghave also with a dash, as the city's open data writes it)."""
    found: dict[str, District] = {}
    for district in District.objects.all():
        found[str(district.number)] = district
        found[_key(district.name)] = district
    return found


def _decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise ValueError(_("The file is not a CSV text file."))
    try:
        # utf-8-sig drops the byte order mark Excel writes before "CSV UTF-8" files.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            _(
                "The file is not in UTF-8. In Excel, save it as “CSV UTF-8 (comma delimited)” "
                "and upload it again."
            )
        ) from error


def _delimiter(text: str) -> str:
    """`;` (Danish Excel) or `,`, whichever the header line uses; the sniffer decides when it can."""
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=";,").delimiter
    except csv.Error:
        return ";" if header.count(";") >= header.count(",") else ","


def _columns(header: list[str]) -> dict[str, int]:
    """Which column holds what, from the header's names; raises ValueError when it is not one."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _key(name)
        for what, names in HEADER_NAMES.items():
            if key in names and what not in columns:
                columns[what] = index
    if "site_code" not in columns or "address" not in columns:
        raise ValueError(
            _(
                "The first line must name the columns: site code, address and (optionally) "
                "district, for example “Plakatsted;Adresse;Bydel”."
            )
        )
    return columns


def read_placements(raw: bytes, *, campaign: Campaign) -> tuple[list[ImportRow], list]:
    """Parse and check a CSV file of placements without writing anything.

    Returns the good rows and the problems; the file is good only when there are no problems.
    A line number is the line in the file as a spreadsheet shows it (the header is line 1)."""
    problems: list[tuple[int | None, str]] = []
    if len(raw) > IMPORT_MAX_SIZE:
        return [], [
            (
                None,
                _("The file is larger than %(size)s.") % {"size": filesizeformat(IMPORT_MAX_SIZE)},
            )
        ]
    try:
        text = _decode(raw)
    except ValueError as error:
        return [], [(None, str(error.args[0]))]
    if not text.strip():
        return [], [(None, str(_("The file is empty.")))]

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader)
        columns = _columns(header)
    except ValueError as error:
        return [], [(1, str(error.args[0]))]
    except csv.Error:
        return [], [(1, str(_("The line could not be read as CSV.")))]

    districts = _districts()
    existing = {
        code.casefold(): code
        for code in Placement.objects.filter(campaign=campaign).values_list("site_code", flat=True)
    }
    seen: dict[str, int] = {}
    rows: list[ImportRow] = []
    width = len(header)
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # blank lines (Excel adds some at the end) are no placements
            if len(rows) + len(problems) >= IMPORT_MAX_ROWS:
                problems.append(
                    (line, str(_("More than %(count)s lines.") % {"count": IMPORT_MAX_ROWS}))
                )
                break
            wrong = _check_line(cells, width, columns, districts)
            if wrong:
                problems.append((line, " ".join(str(w) for w in wrong)))
                continue
            site_code = cells[columns["site_code"]].strip()
            key = site_code.casefold()
            if key in seen:
                problems.append(
                    (
                        line,
                        str(
                            _("The site code %(code)s is also on line %(line)s.")
                            % {"code": site_code, "line": seen[key]}
                        ),
                    )
                )
                continue
            seen[key] = line
            if key in existing:
                problems.append(
                    (
                        line,
                        str(
                            _("The campaign already has a placement with site code %(code)s.")
                            % {"code": existing[key]}
                        ),
                    )
                )
                continue
            district_text = cells[columns["district"]].strip() if "district" in columns else ""
            rows.append(
                ImportRow(
                    line=line,
                    site_code=site_code,
                    address=cells[columns["address"]].strip(),
                    district=districts.get(_key(district_text)) if district_text else None,
                )
            )
    except csv.Error:
        problems.append((reader.line_num, str(_("The line could not be read as CSV."))))
    if not rows and not problems:
        problems.append((None, str(_("The file has no placements below its header line."))))
    return rows, problems


def _check_line(
    cells: list[str], width: int, columns: dict[str, int], districts: Mapping[str, District]
) -> list[Any]:
    """What is wrong with one line, in the user's language (empty when nothing is)."""
    if len(cells) != width:
        return [
            _("The line has %(found)s columns; the header has %(expected)s.")
            % {"found": len(cells), "expected": width}
        ]
    wrong: list[Any] = []
    site_code = cells[columns["site_code"]].strip()
    address = cells[columns["address"]].strip()
    if not site_code:
        wrong.append(_("The site code is missing."))
    elif len(site_code) > SITE_CODE_MAX:
        wrong.append(_("The site code is longer than %(max)s characters.") % {"max": SITE_CODE_MAX})
    if not address:
        wrong.append(_("The address is missing."))
    elif len(address) > ADDRESS_MAX:
        wrong.append(_("The address is longer than %(max)s characters.") % {"max": ADDRESS_MAX})
    if "district" in columns:
        district = cells[columns["district"]].strip()
        if district and _key(district) not in districts:
            wrong.append(
                _("“%(district)s” is not a district: write its name or number (1-10).")
                % {"district": district}
            )
    return wrong


@transaction.atomic
def import_placements(*, campaign: Campaign, raw: bytes) -> ImportResult:
    """Create the file's placements, all or none (see `read_placements` for what is checked)."""
    rows, problems = read_placements(raw, campaign=campaign)
    if problems:
        return ImportResult(problems=problems)
    placements = [
        Placement(campaign=campaign, site_code=r.site_code, address=r.address, district=r.district)
        for r in rows
    ]
    return ImportResult(created=_insert_with_codes(placements))
