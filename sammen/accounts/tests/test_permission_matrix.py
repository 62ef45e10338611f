"""Every staff page and action, for every kind of user: the permission matrix.

Personas: anonymous, staff without a role or department, department staff, a consultant of
another department, the department's consultant, coordinator, steering group, administrator, a
deactivated user, and a user who gave a password but no second factor yet.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.permissions import registered
from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory, department
from sammen.participation.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "no_role",
    "department_staff",
    "other_consultant",
    "consultant",
    "coordinator",
    "steering",
    "administrator",
    "deactivated",
    "password_only",
]
LOGIN, VERIFY = "login", "verify"


@pytest.fixture(autouse=True)
def danish():
    with translation.override("da"):
        yield


def _client_for(persona: str) -> Client:
    client = Client()
    if persona == "anonymous":
        return client
    user = UserFactory()
    if persona in {"department_staff", "consultant", "deactivated", "password_only"}:
        user.departments.set([department("TMF")])
    if persona == "consultant":
        RoleAssignment.objects.create(user=user, role=Role.CONSULTANT, department=department("TMF"))
    if persona == "other_consultant":
        user.departments.set([department("KFF")])
        RoleAssignment.objects.create(user=user, role=Role.CONSULTANT, department=department("KFF"))
    central = {"coordinator": Role.COORDINATOR, "steering": Role.STEERING}
    if persona in central:
        RoleAssignment.objects.create(user=user, role=central[persona])
    if persona == "administrator":
        RoleAssignment.objects.create(user=user, role=Role.ADMINISTRATOR)
    if persona == "password_only":
        client.force_login(user)
        return client
    verified_login(client, user)
    if persona == "deactivated":
        user.is_active = False
        user.save(update_fields=["is_active"])
    return client


EDITORS = {"department_staff", "consultant"}
IN_A_DEPARTMENT = EDITORS | {"other_consultant"}
ACTIVE_STAFF = set(PERSONAS) - {"anonymous", "deactivated", "password_only"}

# (url name, method, who may, what the others get among staff)
PAGES = [
    ("participation_staff:dashboard", "get", ACTIVE_STAFF, 403),
    ("participation_staff:opportunity_create", "get", IN_A_DEPARTMENT, 403),
    ("participation_staff:opportunity_edit", "get", EDITORS, "object"),
    ("participation_staff:opportunity_preview", "get", EDITORS, "object"),
    ("participation_staff:opportunity_outcome", "get", EDITORS, "object"),
    ("participation_staff:opportunity_publish", "post", EDITORS, "object"),
    ("participation_staff:opportunity_unpublish", "post", EDITORS, "object"),
    ("accounts:account", "get", ACTIVE_STAFF, 403),
    ("accounts:recovery_codes_new", "post", ACTIVE_STAFF, 403),
    ("accounts:user_list", "get", {"administrator"}, 403),
    ("accounts:user_invite", "get", {"administrator"}, 403),
    ("accounts:user_edit", "get", {"administrator"}, 403),
    ("accounts:user_deactivate", "post", {"administrator"}, 403),
    ("accounts:user_reactivate", "post", {"administrator"}, 403),
    ("accounts:user_second_factor_reset", "post", {"administrator"}, 403),
    ("accounts:user_invitation_resend", "post", {"administrator"}, 403),
]


def _url(name: str) -> str:
    if name.startswith("participation_staff:opportunity_") and not name.endswith("create"):
        return reverse(name, kwargs={"pk": OpportunityFactory(departments=[department("TMF")]).pk})
    if name.startswith("accounts:user_") and name not in {
        "accounts:user_list",
        "accounts:user_invite",
    }:
        return reverse(name, kwargs={"pk": UserFactory(departments=[department("TMF")]).pk})
    return reverse(name)


def _expected(persona: str, allowed: set[str], otherwise) -> object:
    if persona in {"anonymous", "deactivated"}:
        return LOGIN
    if persona == "password_only":
        return VERIFY
    if persona in allowed:
        return "ok"
    if otherwise == "object":
        # Page level: may the user edit opportunities at all? Object level: another department's
        # opportunity is a 404, so staff cannot learn which ids exist elsewhere.
        return 404 if persona in IN_A_DEPARTMENT else 403
    return otherwise


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "method", "allowed", "otherwise"), PAGES, ids=[p[0] for p in PAGES]
)
def test_permission_matrix(persona, name, method, allowed, otherwise):
    client = _client_for(persona)
    response = getattr(client, method)(_url(name))
    expected = _expected(persona, allowed, otherwise)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif expected == VERIFY:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:verify"))
    elif expected == "ok":
        assert response.status_code == (200 if method == "get" else 302)
    else:
        assert response.status_code == expected


# Pages that are part of logging in, so they cannot require being logged in.
SIGN_IN_PAGES = {
    "login",
    "logout",
    "verify",
    "enrol",
    "recovery_codes",
    "invitation",
    "oidc_start",
    "oidc_callback",
}


def _patterns(namespace: str) -> list[URLPattern]:
    resolver = get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            for inner in entry.url_patterns:
                if isinstance(inner, URLResolver) and inner.namespace == namespace:
                    found += [p for p in inner.url_patterns if isinstance(p, URLPattern)]
    return found


@pytest.mark.parametrize("namespace", ["participation_staff", "accounts"])
def test_every_staff_view_checks_one_named_permission_and_the_matrix_covers_it(namespace):
    covered = {name.split(":")[1] for name, *_ in PAGES if name.startswith(f"{namespace}:")}
    for pattern in _patterns(namespace):
        if pattern.name in SIGN_IN_PAGES:
            continue
        permission = getattr(pattern.callback, "permission_name", None)
        assert permission in registered(), pattern.name
        assert pattern.name in covered, pattern.name
