"""Print-ready posters of a campaign: one PDF page per placement, in A3 or A1.

Each page is the trim size plus 3 mm bleed on every side (`@page { bleed: 3mm }`: the PDF's
MediaBox is the trim size + 6 mm, its TrimBox the trim size, with crop marks in the bleed), and the
background colour runs into the bleed so nothing white shows when the printer cuts. On the poster:
the campaign's message (Danish: the posters hang in Copenhagen's streets), a short text pointing to
Få indflydelse, the placement's QR code with its quiet zone, the same short link in text for those
who type it, and the poster site's code small in a corner so the poster company hangs each poster
on its own column (each has its own link, so the visits are counted per column).

All posters of a campaign are one HTML document rendered once (WeasyPrint's cost is mostly per
document, not per page), so a printer's file of 200 posters takes seconds, not minutes. The A1
poster is the A3 design at twice the size: every measure below is given for A3 and scaled.

The design system's typeface (IBM Plex Sans, shipped with DKFDS and found through the static files
finders) is embedded; where the front-end files are not built, DejaVu Sans stands in.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from sammen.campaigns.models import Campaign, Placement


@dataclass(frozen=True)
class PosterSize:
    key: str
    label: str
    width_mm: int
    height_mm: int
    scale: float  # of the A3 measures


POSTER_SIZES = {
    "a3": PosterSize("a3", "A3", 297, 420, 1.0),
    "a1": PosterSize("a1", "A1", 594, 841, 2.0),
}
BLEED_MM = 3

# The design system's colours (DKFDS, borger.dk theme): the dark green of its primary colour as the
# background (white text on it has a contrast of 7.6:1), its warning yellow as the accent.
COLOURS = {"background": "#3c5c22", "text": "#ffffff", "accent": "#febb30", "ink": "#1a1a1a"}

# Measures on an A3 poster, in millimetres unless named pt (A1 doubles them).
A3_MEASURES = {
    "margin": 20,
    "kicker_pt": 24,
    "intro_pt": 26,
    "panel_height": 148,
    "panel_padding": 10,
    "qr": 128,
    "scan_pt": 26,
    "call_pt": 40,
    "link_pt": 30,
    "host_pt": 18,
    "site_pt": 9,
    "site_inset": 7,
    "rule": 2,
}

A3_POSTER_WIDTH = 297
PT_MM = 25.4 / 72
# The headline's room on A3 between the sender's lines and the text above the QR code, its line
# height, and IBM Plex Sans Bold's average character width (in em, rounded up).
HEADLINE_HEIGHT_MM = 128
HEADLINE_LINE_HEIGHT = 1.04
BOLD_CHAR_EM = 0.56
HEADLINE_MAX_PT = 120
HEADLINE_MIN_PT = 40
# Printed before the short link (the template writes the same words).
LINK_LEAD = "Eller gå til "

FONT_FILES = {
    400: "vendor/dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Regular.ttf",
    600: "vendor/dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-SemiBold.ttf",
    700: "vendor/dkfds/fonts/IBMPlexSans/complete/ttf/IBMPlexSans-Bold.ttf",
}


def font_faces() -> dict[int, str]:
    """IBM Plex Sans by weight, as file URLs for WeasyPrint; empty where it is not installed."""
    found = {}
    for weight, path in FONT_FILES.items():
        located = finders.find(path)
        if located:
            found[weight] = Path(located).resolve().as_uri()
    return found


def _lines(words: list[str], per_line: float) -> int:
    """How many lines the words take when at most `per_line` characters fit on a line."""
    lines, used = 1, 0
    for word in words:
        needed = len(word) if used == 0 else used + 1 + len(word)
        if needed <= per_line or used == 0:
            used = needed
        else:
            lines, used = lines + 1, len(word)
    return lines


def headline_pt(message: str) -> int:
    """The headline's size on A3: as large as fits the space above the QR code, up to 120 pt (a
    short message is read from across the street). Words are not hyphenated, so the longest word
    must fit on a line too. Estimated from the bold face's average character width, with margin."""
    words = message.split() or [""]
    width = A3_POSTER_WIDTH - 2 * A3_MEASURES["margin"]
    for pt in range(HEADLINE_MAX_PT, HEADLINE_MIN_PT, -4):
        em_mm = pt * PT_MM
        per_line = width / (em_mm * BOLD_CHAR_EM)
        if max(len(w) for w in words) > per_line:
            continue
        if _lines(words, per_line) * em_mm * HEADLINE_LINE_HEIGHT <= HEADLINE_HEIGHT_MM:
            return pt
    return HEADLINE_MIN_PT


def link_pt(line: str, width_mm: float) -> float:
    """The short link's size on A3: 30 pt, smaller where a long host would not fit on one line
    (IBM Plex Sans averages about 0.6 em a character)."""
    return min(A3_MEASURES["link_pt"], round(width_mm / (len(line) * 0.6) / PT_MM, 1))


def short_link_host() -> str:
    """The site's address as people type it: no scheme, no "www.", no trailing slash."""
    host = settings.SITE_URL.split("//", 1)[-1].rstrip("/")
    return host.removeprefix("www.")


def short_link_url(placement: Placement) -> str:
    return settings.SITE_URL + placement.short_path()


def short_link_text(placement: Placement) -> str:
    """The short link as printed under the QR code, e.g. "sammenombyen.kk.dk/k/ab3x9"."""
    return short_link_host() + placement.short_path()


def qr_svg(url: str, *, dark: str = "#000000", pixels: int | None = None) -> SafeString:
    """The QR code as inline SVG: error correction Q (a quarter of the code may be dirty or torn
    and it still reads) and the standard quiet zone of four modules. Sized by its container, or
    `pixels` per module (for a page on screen)."""
    svg = segno.make(url, error="q", micro=False).svg_inline(
        scale=pixels or 1, border=4, dark=dark, light="#ffffff", omitsize=pixels is None
    )
    return mark_safe(svg)  # noqa: S308 (generated by segno from our own URL)


def poster_html(campaign: Campaign, placements: Sequence[Placement], size: PosterSize) -> str:
    """The HTML of the posters, one page each (also what the tests and the preview look at)."""
    width = A3_POSTER_WIDTH - 2 * A3_MEASURES["margin"]
    measures = dict(A3_MEASURES)
    measures["headline_pt"] = headline_pt(campaign.message_da)
    measures["link_pt"] = link_pt(LINK_LEAD + short_link_host() + "/k/xxxxx", width)
    # Numbers written for CSS here, not by the template: a Danish page would print "2,5mm".
    css = {
        key: f"{value * size.scale:.2f}".rstrip("0").rstrip(".") for key, value in measures.items()
    }
    pages = [
        {
            "placement": placement,
            "qr": qr_svg(short_link_url(placement), dark=COLOURS["ink"]),
            "short_link": short_link_text(placement),
        }
        for placement in placements
    ]
    return render_to_string(
        "campaigns/posters/posters.html",
        {
            "campaign": campaign,
            "pages": pages,
            "size": size,
            "bleed_mm": BLEED_MM,
            "m": css,
            "colours": COLOURS,
            "fonts": font_faces(),
            "host": short_link_host(),
        },
    )


def posters_pdf(campaign: Campaign, placements: Sequence[Placement], size: PosterSize) -> bytes:
    """The posters as one PDF, one page per placement, in the order given."""
    html = poster_html(campaign, placements, size)
    from weasyprint import HTML  # imported when used: it loads Pango and its stylesheets

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def poster_filename(
    campaign: Campaign, size: PosterSize, placement: Placement | None = None
) -> str:
    if placement is None:
        return f"plakater-{campaign.year}-{size.key}.pdf"
    site = "".join(c if c.isalnum() or c in "-_" else "-" for c in placement.site_code)
    return f"plakat-{campaign.year}-{site}-{size.key}.pdf"
