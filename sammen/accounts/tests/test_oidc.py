"""Single sign-on by OpenID Connect, end to end against a real provider started here.

The provider is the npm package oidc-provider (tests/oidc_provider/provider.mjs) on 127.0.0.1; the
site runs for real (pytest-django's live_server) with mozilla-django-oidc's callback exchanging
the code and verifying the RS256-signed ID token with the provider's JWKS. The browser is played
by `requests`, submitting the provider's own login and consent forms. Skipped when Node.js is
not installed.
"""

import json
import os
import re
import shutil
import subprocess
import threading
from base64 import b32decode
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp

from sammen.accounts.models import Role, RoleAssignment, User
from sammen.accounts.oidc import apply_groups, parse_group_map
from sammen.core.tests.factories import UserFactory, department

PROVIDER_SCRIPT = Path(__file__).parent / "oidc_provider" / "provider.mjs"
CLIENT_ID = "sammen-test"
CLIENT_SECRET = "test-secret-for-the-local-provider-only-0123456789"
GROUP_MAP = "sg-tmf=dept:TMF,sg-koordinator=role:coordinator,sg-tmf-konsulent=role:consultant:TMF"
ACCOUNTS = {
    "mette": {
        "email": "Mette.Jensen@tmf.kk.dk",
        "given_name": "Mette",
        "family_name": "Jensen",
        "groups": ["sg-tmf", "sg-koordinator", "sg-andet"],
    },
    "ny": {
        "email": "ny.medarbejder@kk.dk",
        "given_name": "Nanna",
        "family_name": "Nygaard",
        "groups": ["sg-tmf-konsulent"],
    },
    "tidligere": {"email": "tidligere@kk.dk", "groups": []},
}
PROVIDER_START_SECONDS = 30


@pytest.fixture(autouse=True)
def danish():
    """The site's default language: the live server answers unprefixed URLs in Danish."""
    with translation.override("da"):
        yield


def _read_first_line(process: subprocess.Popen, timeout: float) -> str:
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return line[0] if line else ""


@pytest.fixture(scope="module")
def provider(live_server):
    """Start the provider for this module's tests; stop it afterwards whatever happens."""
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "Node.js is not installed: the single sign-on tests need it for oidc-provider"
    elif not (Path(settings.BASE_DIR) / "node_modules" / "oidc-provider").is_dir():
        missing = "oidc-provider is not installed: run `npm ci`"
    if missing:
        # Skipped on a developer's machine without Node.js; in CI (CI=true) a missing piece fails.
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)  # justified above: only where CI is unset; CI fails instead
    env = {
        "PATH": "",
        "OIDC_TEST_CLIENT_ID": CLIENT_ID,
        "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_TEST_REDIRECT_URI": f"{live_server.url}/personale/oidc/callback/",
        "OIDC_TEST_ACCOUNTS": json.dumps(ACCOUNTS),
    }
    process = subprocess.Popen(  # noqa: S603 (our own script)
        [node, str(PROVIDER_SCRIPT)],
        cwd=settings.BASE_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = _read_first_line(process, PROVIDER_START_SECONDS)
        if not line:
            pytest.fail("The OpenID Connect provider did not start (see provider.mjs).")
        issuer = json.loads(line)["issuer"]
        # It prints its address once it listens; check it answers before the first test.
        requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).raise_for_status()
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def sso(provider, reference, settings):
    """The site configured for single sign-on with the local provider, as the environment would."""
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = provider
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_GROUP_MAP = GROUP_MAP
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "sammen.accounts.oidc.OIDCBackend",
    ]
    # The live server speaks plain HTTP; `requests` would not send secure cookies back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return provider


def _form(page: str) -> tuple[str, dict[str, str]]:
    action = re.search(r'<form[^>]*action="([^"]+)"', page).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    return action.replace("&amp;", "&"), fields


def sso_login(live_server, login: str, next_path: str = "/personale/") -> requests.Response:
    """Click the SSO button, log in and consent at the provider; return the site's answer."""
    browser = requests.Session()
    response = browser.get(f"{live_server.url}/personale/oidc/start/?next={next_path}", timeout=20)
    assert "Sign-in" in response.text, response.text[:500]
    action, fields = _form(response.text)
    response = browser.post(
        urljoin(response.url, action),
        {**fields, "login": login, "password": "any"},
        timeout=20,
    )
    if 'name="prompt" value="consent"' in response.text:
        action, fields = _form(response.text)
        response = browser.post(urljoin(response.url, action), fields, timeout=20)
    response.browser = browser
    return response


def _logged_in_page(response: requests.Response, live_server, path="/personale/") -> str:
    page = response.browser.get(f"{live_server.url}{path}", timeout=20, allow_redirects=False)
    assert page.status_code == 200, page.headers.get("Location")
    return page.text


@pytest.mark.django_db(transaction=True)
def test_sso_logs_an_invited_user_in_and_asks_for_the_second_factor(sso, live_server):
    user = UserFactory(username="mette.j", email="mette.jensen@tmf.kk.dk")

    response = sso_login(live_server, "mette")

    # Logged in by the provider, which checked no second factor: our own step follows (enrolment).
    assert response.url.startswith(f"{live_server.url}{reverse('accounts:enrol')}"), response.url
    assert "otpauth" not in response.text
    secret = re.search(
        r'<code class="totp-secret" translate="no">([A-Z2-7 ]+)</code>', response.text
    )
    assert secret, response.text[:1000]
    key = b32decode(secret.group(1).replace(" ", ""))
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)
    browser = response.browser
    response = browser.post(
        response.url,
        {"csrfmiddlewaretoken": csrf, "token": f"{totp(key):06d}", "next": "/personale/"},
        headers={"Referer": response.url},
        timeout=20,
    )
    assert "<code>" in response.text  # the recovery codes
    page = browser.get(f"{live_server.url}/personale/", timeout=20).text
    assert f"Logget ind som {user}" in page

    # The provider's groups gave the department and the role (unknown groups are ignored).
    assert set(user.departments.values_list("abbreviation", flat=True)) == {"TMF"}
    assert set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == {
        Role.COORDINATOR
    }


@pytest.mark.django_db(transaction=True)
def test_a_trusted_provider_counts_as_the_second_factor(sso, live_server, settings):
    settings.OIDC_TRUST_PROVIDER_MFA = True
    user = UserFactory(email="mette.jensen@tmf.kk.dk")
    response = sso_login(live_server, "mette")
    assert response.url == f"{live_server.url}/personale/"
    assert response.status_code == 200
    assert f"Logget ind som {user}" in response.text


@pytest.mark.django_db(transaction=True)
def test_groups_replace_departments_and_roles_on_each_login(sso, live_server, settings):
    settings.OIDC_TRUST_PROVIDER_MFA = True
    user = UserFactory(email="mette.jensen@tmf.kk.dk", departments=[department("KFF")])
    RoleAssignment.objects.create(user=user, role=Role.STEERING)
    sso_login(live_server, "mette")
    assert set(user.departments.values_list("abbreviation", flat=True)) == {"TMF"}
    assert set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == {
        Role.COORDINATOR
    }


@pytest.mark.django_db(transaction=True)
def test_an_uninvited_user_is_refused_unless_creation_is_on(sso, live_server, settings):
    settings.OIDC_TRUST_PROVIDER_MFA = True
    response = sso_login(live_server, "ny")
    assert response.url.startswith(f"{live_server.url}/personale/log-ind/")
    assert "Fælles log-in loggede dig ikke ind." in response.text
    assert not User.objects.filter(email="ny.medarbejder@kk.dk").exists()

    settings.OIDC_CREATE_USER = True
    response = sso_login(live_server, "ny")
    assert response.url == f"{live_server.url}/personale/"
    user = User.objects.get(email="ny.medarbejder@kk.dk")
    assert user.username == "ny.medarbejder@kk.dk"
    assert not user.has_usable_password()
    assert RoleAssignment.objects.get(user=user).department == department("TMF")


@pytest.mark.django_db(transaction=True)
def test_a_deactivated_user_is_refused_and_loses_an_open_session(sso, live_server, settings):
    settings.OIDC_TRUST_PROVIDER_MFA = True
    user = UserFactory(email="tidligere@kk.dk")
    response = sso_login(live_server, "tidligere")
    _logged_in_page(response, live_server)

    User.objects.filter(pk=user.pk).update(is_active=False)
    page = response.browser.get(f"{live_server.url}/personale/", timeout=20, allow_redirects=False)
    assert page.status_code == 302
    assert "/personale/log-ind/" in page.headers["Location"]

    response = sso_login(live_server, "tidligere")
    assert response.url.startswith(f"{live_server.url}/personale/log-ind/")
    assert RoleAssignment.objects.filter(user=user).count() == 0


# --- without a provider -------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_configuration_there_is_no_sso_button_and_no_sso_pages(client):
    assert not settings.OIDC_ENABLED
    assert "sammen.accounts.oidc.OIDCBackend" not in settings.AUTHENTICATION_BACKENDS
    page = client.get("/personale/log-ind/").content.decode()
    assert "/personale/oidc/start/" not in page
    assert client.get("/personale/oidc/start/").status_code == 404
    assert client.get("/personale/oidc/callback/?code=x&state=y").status_code == 404


def test_the_group_map_is_read_and_bad_entries_are_named():
    rules = parse_group_map(GROUP_MAP)
    assert [(r.group, r.kind, r.role, r.department) for r in rules] == [
        ("sg-tmf", "dept", "", "TMF"),
        ("sg-koordinator", "role", "coordinator", ""),
        ("sg-tmf-konsulent", "role", "consultant", "TMF"),
    ]
    for bad in ["sg=role:king", "sg=role:consultant", "sg=role:coordinator:TMF", "=dept:TMF", "x"]:
        with pytest.raises(ValueError, match=re.escape(bad.split(",")[0][:2])):
            parse_group_map(bad)


@pytest.mark.django_db
def test_groups_make_a_consultant_a_member_of_the_department(settings):
    settings.OIDC_GROUP_MAP = GROUP_MAP
    user = UserFactory()
    apply_groups(user, {"sg-tmf-konsulent"})
    assert list(user.departments.all()) == [department("TMF")]
    assert RoleAssignment.objects.get(user=user).role == Role.CONSULTANT
    apply_groups(user, set())
    assert not user.departments.exists()
    assert not RoleAssignment.objects.filter(user=user).exists()
