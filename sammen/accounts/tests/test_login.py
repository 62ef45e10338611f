"""Staff login: username or e-mail address and password, then the second factor."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sammen.accounts.testing import authenticator_for, current_code, verified_login
from sammen.core.tests.factories import UserFactory, department

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hest-batteri"  # the UserFactory's password


@pytest.fixture(autouse=True)
def danish():
    """The login page in Danish, the default: a request under /en/ leaves English active."""
    with translation.override("da"):
        yield


@pytest.fixture
def staff():
    return UserFactory(username="mette", departments=[department("TMF")])


def test_the_login_page_is_not_indexed_nor_cached(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert 'autocomplete="current-password"' in page


def test_logging_in_leads_to_the_code_and_then_the_dashboard(client, staff):
    device = authenticator_for(staff)
    dashboard = reverse("participation_staff:dashboard")
    response = client.post(reverse("accounts:login"), {"username": "mette", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:verify')}?next=%2Fpersonale%2F"
    # Password alone opens no staff page: it leads back to the code.
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))

    response = client.post(
        reverse("accounts:verify"), {"token": current_code(device), "next": dashboard}
    )
    assert response["Location"] == dashboard
    assert client.get(dashboard).status_code == 200


@pytest.mark.parametrize("login", ["mette", "METTE", "mette@tmf.kk.dk", "Mette@TMF.kk.dk"])
def test_staff_log_in_with_username_or_email_address(client, staff, login):
    response = client.post(reverse("accounts:login"), {"username": login, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_an_email_address_shared_by_two_accounts_logs_in_neither(client, staff):
    UserFactory(username="mette2", email="mette@tmf.kk.dk")
    client.post(reverse("accounts:login"), {"username": "mette@tmf.kk.dk", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    client.post(reverse("accounts:login"), {"username": "mette", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_a_wrong_password_keeps_the_username_and_says_what_is_wrong(client, staff):
    response = client.post(reverse("accounts:login"), {"username": "mette", "password": "forkert"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Der er et problem" in page
    assert 'value="mette"' in page
    assert "forkert" not in page
    assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_log_in(client):
    UserFactory(username="tidligere", is_active=False)
    client.post(reverse("accounts:login"), {"username": "tidligere", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_a_staff_page_sends_an_anonymous_visitor_to_login_and_back(client, staff):
    device = authenticator_for(staff)
    create = reverse("participation_staff:opportunity_create")
    response = client.get(create)
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith(reverse("accounts:login"))

    page = client.get(login_url).content.decode()
    assert f'name="next" value="{create}"' in page
    response = client.post(login_url, {"username": "mette", "password": PASSWORD, "next": create})
    assert response["Location"] == f"{reverse('accounts:verify')}?next={create.replace('/', '%2F')}"
    page = client.get(response["Location"]).content.decode()
    assert f'name="next" value="{create}"' in page
    response = client.post(
        reverse("accounts:verify"), {"token": current_code(device), "next": create}
    )
    assert response["Location"] == create


def test_login_refuses_to_redirect_to_another_site(client, staff):
    response = client.post(
        reverse("accounts:login"),
        {"username": "mette", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == f"{reverse('accounts:verify')}?next=%2Fpersonale%2F"


def test_login_is_csrf_protected(staff):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "mette", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_logging_out_takes_a_post(client, staff):
    verified_login(client, staff)
    assert client.get(reverse("participation_staff:dashboard")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("participation_staff:dashboard")).status_code == 302
