"""Browser tests: Debian's Chromium driven by Playwright, against the live test server.

Playwright never downloads a browser here: we start the `chromium` on the PATH (or the one named by
CHROMIUM_PATH). Where none is installed the tests are skipped with a reason, except when
REQUIRE_BROWSER is set (CI sets it), where a missing browser is a failure.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse the
# ORM calls the tests make around it. The live server itself runs in its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser() -> Iterator:
    path = chromium_path()
    if not path:
        message = "Chromium not found: install Debian's `chromium` or set CHROMIUM_PATH."
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)  # justified: browser tests need a browser; CI sets REQUIRE_BROWSER
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=path, args=CHROMIUM_FLAGS, headless=True
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    # No outside requests, ever: everything the site needs is served by the live server.
    context.route(
        "**/*",
        lambda route: (
            route.abort()
            if not route.request.url.startswith(("http://localhost", "http://127.0.0.1"))
            else route.continue_()
        ),
    )
    instance = context.new_page()
    yield instance
    context.close()


def run_axe(page) -> list[dict]:
    """The WCAG 2.0/2.1 A and AA violations axe-core finds on the current page."""
    if not AXE_PATH.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does).")
    page.add_script_tag(path=str(AXE_PATH))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return "\n".join(lines)
