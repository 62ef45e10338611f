"""Lockout after repeated failures (django-axes): per account, per IP address, and for codes."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sammen.accounts.testing import authenticator_for, current_code
from sammen.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hest-batteri"
LIMIT = 5  # settings.AXES_FAILURE_LIMIT


@pytest.fixture(autouse=True)
def danish():
    with translation.override("da"):
        yield


@pytest.fixture
def staff():
    return UserFactory(username="mette", email="mette@tmf.kk.dk")


def _login(client, username, password, ip="10.0.0.1", path=None):
    return client.post(
        path or reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def _assert_locked_page(response, text="blokeret i 30 minutter"):
    assert response.status_code == 429
    page = response.content.decode()
    assert text in page
    assert '<main id="main-content"' in page  # the design system's page, not a bare 403
    assert response["Retry-After"] == "1800"


def test_five_wrong_passwords_lock_the_account_whatever_the_address(client, staff):
    for i in range(LIMIT - 1):
        assert _login(client, "mette", "forkert", ip=f"10.0.1.{i}").status_code == 200
    # The fifth failure, typed as the e-mail address: still the same account.
    _assert_locked_page(_login(client, "mette@tmf.kk.dk", "forkert", ip="10.0.1.9"))
    # Now even the right password from a fresh address is refused, with the message.
    response = _login(Client(), "mette", PASSWORD, ip="10.0.2.1")
    _assert_locked_page(response)
    assert "_auth_user_id" not in client.session


def test_five_failures_from_one_address_lock_the_address(client, staff):
    other = UserFactory(username="karen")
    for i in range(LIMIT):
        _login(client, f"ukendt{i}", "forkert", ip="10.0.0.7")
    _assert_locked_page(_login(Client(), "karen", PASSWORD, ip="10.0.0.7"))
    # The same account from another address is not locked.
    fresh = Client()
    response = _login(fresh, "karen", PASSWORD, ip="10.0.0.8")
    assert response.status_code == 302
    assert fresh.session["_auth_user_id"] == str(other.pk)


def test_the_lockout_message_is_in_the_visitors_language(staff):
    client = Client()
    english = "/en" + reverse("accounts:login")
    for _ in range(LIMIT):
        response = _login(client, "mette", "forkert", path=english)
    with translation.override("en"):
        _assert_locked_page(response, "logging in is blocked for 30 minutes")


def test_fewer_failures_than_the_limit_do_not_lock(client, staff):
    for _ in range(LIMIT - 1):
        _login(client, "mette", "forkert")
    assert _login(client, "mette", PASSWORD).status_code == 302


def test_wrong_codes_count_and_lock_the_account(client, staff):
    device = authenticator_for(staff)
    _login(client, "mette", PASSWORD)
    for _ in range(LIMIT - 1):
        response = client.post(
            reverse("accounts:verify"), {"token": "000000"}, REMOTE_ADDR="10.0.0.1"
        )
        assert response.status_code == 200
    response = client.post(reverse("accounts:verify"), {"token": "000000"}, REMOTE_ADDR="10.0.0.1")
    _assert_locked_page(response)
    # Logged out, and the password does not get back in while the lockout lasts.
    assert "_auth_user_id" not in client.session
    _assert_locked_page(_login(Client(), "mette", PASSWORD, ip="10.0.9.9"))
    assert current_code(device)  # the right code would not have helped either


def test_a_successful_login_forgets_earlier_failures(client, staff):
    device = authenticator_for(staff)
    for _ in range(LIMIT - 1):
        _login(client, "mette", "forkert")
    _login(client, "mette", PASSWORD)
    client.post(reverse("accounts:verify"), {"token": current_code(device)}, REMOTE_ADDR="10.0.0.1")
    client.post(reverse("accounts:logout"))
    for _ in range(LIMIT - 1):
        assert _login(client, "mette", "forkert").status_code == 200
    assert _login(client, "mette", PASSWORD).status_code == 302


def test_a_password_login_does_not_reset_failed_codes(client, staff):
    """Otherwise someone with the password could guess codes for ever, four at a time."""
    authenticator_for(staff)
    for _ in range(2):
        _login(client, "mette", PASSWORD)
        for _ in range(2):
            client.post(reverse("accounts:verify"), {"token": "000000"}, REMOTE_ADDR="10.0.0.1")
        client.post(reverse("accounts:logout"))
    _login(client, "mette", PASSWORD)
    response = client.post(reverse("accounts:verify"), {"token": "000000"}, REMOTE_ADDR="10.0.0.1")
    _assert_locked_page(response)
