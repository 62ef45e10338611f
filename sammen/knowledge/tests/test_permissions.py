"""The permission matrix of the knowledge site: every staff page and action, every persona.

Personas (issue 4, part 3): anonymous, staff without a role, consultant of another department,
consultant of the entry's department, coordinator, administrator, deactivated user. The entry
belongs to TMF and is owned by a separate author, so "owner" rights never hide a role's rights.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from sammen.accounts.models import Role
from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory
from sammen.knowledge.models import Status
from sammen.knowledge.tests.factories import central, consultant, make_entry

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "staff",
    "other_consultant",
    "consultant",
    "coordinator",
    "administrator",
    "deactivated",
]


@pytest.fixture(autouse=True)
def danish():
    with translation.override("da"):
        yield


def persona(name: str):
    return {
        "anonymous": lambda: None,
        "staff": lambda: UserFactory(),
        "other_consultant": lambda: consultant("BUF"),
        "consultant": lambda: consultant("TMF"),
        "coordinator": lambda: central(Role.COORDINATOR),
        "administrator": lambda: central(Role.ADMINISTRATOR),
        "deactivated": lambda: consultant("TMF", is_active=False),
    }[name]()


def login(client, who):
    if who is not None:
        verified_login(client, who)
    return client


OK, LOGIN, FORBIDDEN, NOT_FOUND = "ok", "login", "forbidden", "not found"


def outcome(response) -> str:
    if response.status_code in (200, 302) and reverse("accounts:login") in response.get(
        "Location", ""
    ):
        return LOGIN
    return {200: OK, 302: OK, 403: FORBIDDEN, 404: NOT_FOUND}.get(
        response.status_code, str(response.status_code)
    )


# (page name, expected per persona in PERSONAS order). Anonymous and deactivated users are always
# sent to the login page.
READ_ALL = [LOGIN, OK, OK, OK, OK, OK, LOGIN]
REVIEWERS = [LOGIN, FORBIDDEN, OK, OK, OK, OK, LOGIN]
EDITORS_OF_TMF = [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK, LOGIN]
CONSULTANTS_AND_ADMINS = [LOGIN, FORBIDDEN, OK, OK, FORBIDDEN, OK, LOGIN]


def _pages(published, draft):
    p, d = published.pk, draft.pk
    return [
        ("home", reverse("knowledge:home"), READ_ALL),
        ("list", reverse("knowledge:entry_list"), READ_ALL),
        ("search", reverse("knowledge:entry_list") + "?q=unge", READ_ALL),
        ("detail", reverse("knowledge:entry_detail", kwargs={"pk": p}), READ_ALL),
        ("new", reverse("knowledge:entry_create"), READ_ALL),
        ("principles", reverse("knowledge:principle_list"), READ_ALL),
        (
            "principle",
            reverse("knowledge:principle_detail", kwargs={"slug": "mangfoldig"}),
            READ_ALL,
        ),
        ("consultants", reverse("knowledge:consultant_list"), READ_ALL),
        ("ask", reverse("knowledge:consultant_ask", kwargs={"slug": "tmf"}), READ_ALL),
        ("edit", reverse("knowledge:entry_edit", kwargs={"pk": p}), EDITORS_OF_TMF),
        ("history", reverse("knowledge:entry_history", kwargs={"pk": p}), EDITORS_OF_TMF),
        (
            "version",
            reverse("knowledge:entry_version", kwargs={"pk": p, "number": 1}),
            EDITORS_OF_TMF,
        ),
        ("attachments", reverse("knowledge:attachment_upload", kwargs={"pk": p}), EDITORS_OF_TMF),
        ("stale", reverse("knowledge:stale_list"), REVIEWERS),
        ("review", reverse("knowledge:review_list"), REVIEWERS),
        ("profile", reverse("knowledge:profile_edit"), CONSULTANTS_AND_ADMINS),
        # A draft is hidden (404) from whoever may not change it.
        (
            "draft",
            reverse("knowledge:entry_detail", kwargs={"pk": d}),
            [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, LOGIN],
        ),
    ]


@pytest.mark.parametrize("who", range(len(PERSONAS)), ids=PERSONAS)
def test_every_staff_page_answers_each_persona_as_declared(client, who):
    author = UserFactory()
    published = make_entry(owner=author, title="Walk-and-talk med unge")
    draft = make_entry(owner=author, title="Kladde", status=Status.DRAFT)
    login(client, persona(PERSONAS[who]))
    failures = []
    for name, url, expected in _pages(published, draft):
        got = outcome(client.get(url))
        if got != expected[who]:
            failures.append(f"{name}: expected {expected[who]}, got {got}")
    assert not failures, failures


# Actions (POST): who may do them, on a TMF entry owned by someone else.
ACTIONS = {
    # name: (setup status, post data builder, expected per persona, how to see it happened)
    "submit": (Status.DRAFT, {"to": "in_review"}, [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, LOGIN]),
    "publish": (
        Status.IN_REVIEW,
        {"to": "published"},
        [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, LOGIN],
    ),
    "unpublish": (
        Status.PUBLISHED,
        {"to": "draft"},
        [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK, LOGIN],
    ),
    "archive": (
        Status.PUBLISHED,
        {"to": "archived"},
        [LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK, LOGIN],
    ),
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("who", range(len(PERSONAS)), ids=PERSONAS)
def test_status_actions_follow_the_rules(client, action, who):
    status, data, expected = ACTIONS[action]
    entry = make_entry(owner=UserFactory(), status=status)
    login(client, persona(PERSONAS[who]))
    response = client.post(reverse("knowledge:entry_transition", kwargs={"pk": entry.pk}), data)
    assert outcome(response) == expected[who]
    entry.refresh_from_db()
    assert (entry.status == data["to"]) == (expected[who] == OK)


@pytest.mark.parametrize("who", range(len(PERSONAS)), ids=PERSONAS)
def test_marking_reviewed_and_restoring_follow_the_rules(client, who):
    entry = make_entry(owner=UserFactory())
    login(client, persona(PERSONAS[who]))
    expected = EDITORS_OF_TMF[who]
    reviewed = client.post(reverse("knowledge:entry_mark_reviewed", kwargs={"pk": entry.pk}))
    restored = client.post(reverse("knowledge:entry_restore", kwargs={"pk": entry.pk, "number": 1}))
    assert outcome(reviewed) == expected
    assert outcome(restored) == expected
    assert entry.versions.count() == (3 if expected == OK else 1)


# Every persona that can own an entry (an anonymous visitor owns nothing).
OWNERS = [name for name in PERSONAS if name != "anonymous"]


@pytest.mark.parametrize("who", OWNERS)
def test_the_owner_without_a_role_may_edit_their_own_entry(client, who):
    """Whatever else a persona may do, it may edit an entry it owns (unless it cannot log in)."""
    user = persona(who)
    entry = make_entry(owner=user, departments=[])
    login(client, user)
    response = client.get(reverse("knowledge:entry_edit", kwargs={"pk": entry.pk}))
    assert outcome(response) == (LOGIN if who == "deactivated" else OK)


def test_an_untagged_entry_is_reviewed_by_every_consultant(client):
    entry = make_entry(owner=UserFactory(), status=Status.IN_REVIEW, departments=[])
    login(client, consultant("BIF"))
    client.post(reverse("knowledge:entry_transition", kwargs={"pk": entry.pk}), {"to": "published"})
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED


def test_every_view_of_the_app_declares_a_permission():
    from django.urls import get_resolver

    from sammen.knowledge import urls

    for pattern in urls.urlpatterns:
        assert getattr(pattern.callback, "permission_name", None), pattern.name
    assert get_resolver()  # the URLconf loads


def test_staff_pages_are_not_indexed_or_cached(client):
    login(client, UserFactory())
    response = client.get(reverse("knowledge:home"))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert b'<meta name="robots" content="noindex, nofollow">' in response.content
