"""Markdown is rendered safely: known XSS payloads come out harmless (issue 4, part 3)."""

import pytest

from sammen.knowledge.rendering import render_markdown

# Each payload must not leave a script, an event handler, a javascript:/data:/vbscript: URL, an
# iframe/object/embed, an SVG, a style attribute or a form in the output.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](  javascript:alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[klik](vbscript:msgbox(1))",
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="&#106;avascript:alert(1)">klik</a>',
    '<a href="java\tscript:alert(1)">klik</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    '<a href="https://kk.dk" onclick="alert(1)">klik</a>',
    '<p onmouseover="alert(1)">x</p>',
    '<details open ontoggle="alert(1)">x</details>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="https://evil.example"><input name="password"></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>body{background:red}</style>",
    "![billede](https://evil.example/track.png)",
    '<img src="https://evil.example/x.png">',
    '"><script>alert(1)</script>',
    "<<script>alert(1)//<</script>",
    "<!--<script>alert(1)--></script>-->",
]

FORBIDDEN = [
    "<script",
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "ontoggle",
    "javascript:",
    "vbscript:",
    "data:",
    "<iframe",
    "<object",
    "<embed",
    "<svg",
    "style=",
    "<style",
    "<form",
    "<input",
    "<meta",
    "<base",
    "<link",
    "<img",
    "<math",
    "srcdoc",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_known_xss_payloads_are_rendered_harmless(payload):
    html = str(render_markdown(payload)).lower()
    for needle in FORBIDDEN:
        assert needle not in html, f"{needle!r} survived in {html!r}"


def test_ordinary_markdown_keeps_its_structure():
    html = str(
        render_markdown("# Overskrift\n\n**Fed** og *kursiv*\n\n- punkt\n\n[KK](https://kk.dk)")
    )
    assert "<h2>Overskrift</h2>" in html
    assert "<strong>Fed</strong>" in html
    assert "<em>kursiv</em>" in html
    assert "<li>punkt</li>" in html
    assert 'href="https://kk.dk"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_a_mailto_link_is_kept():
    assert 'href="mailto:dialog@kk.dk"' in str(render_markdown("[skriv](mailto:dialog@kk.dk)"))


def test_an_entry_page_shows_the_body_sanitised(client):
    """The filter is what the templates use: no template renders the body unfiltered."""
    from django.template import Context, Template

    html = Template("{% load knowledge_tags %}{{ body|markdown }}").render(
        Context({"body": "<script>alert(1)</script>**ok**"})
    )
    assert "<script" not in html and "<strong>ok</strong>" in html
