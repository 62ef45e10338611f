"""Markdown to safe HTML for knowledge entries.

Staff write Markdown; Markdown passes raw HTML through, so the HTML it produces is sanitised with
nh3 against a short allow-list: text structure, tables and links. No images (they would load from
anywhere), no iframes, no style or event attributes, and links only to http(s), mailto and tel.
Headings start at h2 (the entry's title is the page's h1), so a Markdown "#" becomes an h2.
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _shift_headings(html: str) -> str:
    # h1 → h2 … h3 → h4, deepest first so no heading is moved twice; h4 and below are sanitised away
    # to their text unless they land on an allowed level.
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    return html


def render_markdown(text: str) -> SafeString:
    """The text as sanitised HTML, safe to put in a page."""
    if not text:
        return mark_safe("")
    html = markdown.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    clean = nh3.clean(
        _shift_headings(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 (sanitised by nh3 just above)
