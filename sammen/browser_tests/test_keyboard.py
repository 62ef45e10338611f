"""The main journeys with the keyboard alone, with a visible focus on every stop."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_IS_VISIBLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== 'none';
    const box = el.getBoundingClientRect();
    return (outline || shadow) && box.width > 0 && box.height > 0;
}"""


@pytest.fixture
def demo(reference) -> None:
    call_command("seed_demo", "--seed", "7", "--parts", "catalogue", verbosity=0)


def tab_to(page, matches: str, *, limit: int = 250) -> None:
    """Press Tab until the focused element satisfies the JS predicate `matches(el)`, checking focus visibility."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_IS_VISIBLE), (
            f"focus not visible on {page.evaluate('document.activeElement.outerHTML.slice(0, 120)')}"
        )
        if page.evaluate(
            f"(() => {{ const el = document.activeElement; return ({matches})(el); }})()"
        ):
            return
    raise AssertionError(f"never reached an element matching {matches}")


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(live_server, page, demo):
    page.goto(live_server.url + reverse("participation:home"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skipnav')")
    assert page.evaluate(FOCUS_IS_VISIBLE)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_find_filter_and_open_an_opportunity_with_the_keyboard(live_server, page, demo):
    page.goto(live_server.url + reverse("participation:home"))
    list_path = reverse("participation:opportunity_list")
    tab_to(
        page,
        f"el => el.tagName === 'A' && el.closest('nav') && el.getAttribute('href') === '{list_path}'",
    )
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(list_path)))

    tab_to(page, "el => el.type === 'checkbox' && el.name === 'district'")
    # htmx refreshes the results as the box is ticked (and again on submit): wait for each answer.
    with page.expect_response(lambda r: "district=" in r.url):
        page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    tab_to(page, "el => el.type === 'submit' && el.form && el.form.method.toLowerCase() === 'get'")
    with page.expect_response(lambda r: "district=" in r.url):
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"district="))
    page.wait_for_timeout(100)  # let htmx settle the swapped results before tabbing into them

    tab_to(
        page,
        r"el => el.tagName === 'A' && /\/muligheder\/\d+\//.test(el.getAttribute('href') || '')",
    )
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/muligheder/\d+/"))
    assert page.locator("h1").count() == 1


def test_subscribe_with_the_keyboard(live_server, page, demo):
    page.goto(live_server.url + reverse("participation:subscribe"))
    tab_to(page, "el => el.name === 'email'")
    page.keyboard.type("borger@example.dk")
    tab_to(page, "el => el.type === 'checkbox' && el.name === 'district'")
    page.keyboard.press("Space")
    tab_to(page, "el => el.type === 'submit' && el.closest('main')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(reverse("participation:subscribe_sent"))))
