"""The second factor: enrolling an authenticator app, codes, recovery codes, and where it is asked."""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sammen.accounts.testing import authenticator_for, current_code, verified_login
from sammen.core.tests.factories import UserFactory, department

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hest-batteri"
DASHBOARD = "/personale/"


@pytest.fixture(autouse=True)
def danish():
    with translation.override("da"):
        yield


@pytest.fixture
def staff():
    return UserFactory(username="mette", departments=[department("TMF")])


def _password_login(client, username="mette"):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _enrol(client, user) -> list[str]:
    """Enrol through the pages; returns the recovery codes shown."""
    client.get(reverse("accounts:enrol"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(
        reverse("accounts:enrol"), {"token": current_code(device), "next": DASHBOARD}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)


def test_the_first_login_enrols_an_authenticator_with_a_qr_code_and_the_secret(client, staff):
    _password_login(client)
    response = client.get(reverse("accounts:verify"), {"next": DASHBOARD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:enrol"))

    page = client.get(response["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed
    assert "<svg" in page and 'role="img"' in page
    secret = re.search(r'<code class="totp-secret" translate="no">([A-Z2-7 ]+)</code>', page)
    assert secret and len(secret.group(1).replace(" ", "")) == 32
    # Reloading keeps the same secret, so a half-finished scan still works.
    assert secret.group(0) in client.get(reverse("accounts:enrol")).content.decode()
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_a_wrong_enrolment_code_is_refused_and_keeps_the_device_unconfirmed(client, staff):
    _password_login(client)
    client.get(reverse("accounts:enrol"))
    response = client.post(reverse("accounts:enrol"), {"token": "12345"})
    assert "Koden består af seks cifre" in response.content.decode()
    response = client.post(reverse("accounts:enrol"), {"token": "000000"})
    page = response.content.decode()
    assert "Der er et problem" in page
    assert "Koden er ikke rigtig" in page
    assert not TOTPDevice.objects.get(user=staff).confirmed
    assert client.get(DASHBOARD).status_code == 302


def test_enrolment_confirms_the_device_and_shows_ten_recovery_codes_once(client, staff):
    _password_login(client)
    codes = _enrol(client, staff)
    assert len(codes) == 10 == len(set(codes))
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert client.get(DASHBOARD).status_code == 200
    # Shown once: the page is gone on the next visit.
    response = client.get(reverse("accounts:recovery_codes"), {"next": DASHBOARD})
    assert response.status_code == 302


def test_a_recovery_code_logs_in_once(client, staff):
    _password_login(client)
    codes = _enrol(client, staff)
    client.post(reverse("accounts:logout"))

    _password_login(client)
    response = client.post(reverse("accounts:verify"), {"token": codes[0], "next": DASHBOARD})
    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200
    assert StaticToken.objects.filter(device__user=staff).count() == 9
    client.post(reverse("accounts:logout"))

    _password_login(client)
    response = client.post(reverse("accounts:verify"), {"token": codes[0].upper()})
    assert response.status_code == 200
    assert "Koden er ikke rigtig" in response.content.decode()
    assert client.get(DASHBOARD).status_code == 302
    # Another one still works, typed with spaces.
    response = client.post(reverse("accounts:verify"), {"token": f" {codes[1][:4]} {codes[1][4:]}"})
    assert response.status_code == 302
    assert client.get(DASHBOARD).status_code == 200


def test_a_wrong_code_is_refused_and_says_so(client, staff):
    authenticator_for(staff)
    _password_login(client)
    response = client.post(reverse("accounts:verify"), {"token": "000000"})
    assert response.status_code == 200
    assert "Koden er ikke rigtig" in response.content.decode()
    assert client.get(DASHBOARD).status_code == 302
    response = client.post(reverse("accounts:verify"), {"token": ""})
    assert "Skriv koden fra din godkendelsesapp." in response.content.decode()


def test_a_code_cannot_be_used_twice(client, staff):
    device = authenticator_for(staff)
    _password_login(client)
    code = current_code(device)
    assert client.post(reverse("accounts:verify"), {"token": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    _password_login(client)
    response = client.post(reverse("accounts:verify"), {"token": code})
    assert response.status_code == 200


def test_with_an_authenticator_a_password_cannot_enrol_a_new_one(client, staff):
    authenticator_for(staff)
    _password_login(client)
    response = client.get(reverse("accounts:enrol"))
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_an_administrator_reset_makes_the_next_login_enrol_again(client, staff):
    verified_login(client, staff)
    admin = UserFactory(is_superuser=True)
    admin_client = verified_login(type(client)(), admin)
    admin_client.post(reverse("accounts:user_second_factor_reset", kwargs={"pk": staff.pk}))
    assert not TOTPDevice.objects.filter(user=staff).exists()
    # The session verified by the removed device is no longer verified.
    assert client.get(DASHBOARD).status_code == 302
    client.post(reverse("accounts:logout"))
    _password_login(client)
    assert client.get(reverse("accounts:verify"))["Location"].startswith(reverse("accounts:enrol"))


def test_new_recovery_codes_replace_the_old_ones(client, staff):
    _password_login(client)
    old = _enrol(client, staff)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Du har 10 ubrugte gendannelseskoder." in page
    response = client.post(reverse("accounts:recovery_codes_new"))
    new = re.findall(
        r"<li><code>([a-z2-7]{8})</code></li>", client.get(response["Location"]).content.decode()
    )
    assert len(new) == 10 and not set(new) & set(old)
    assert set(
        StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)
    ) == set(new)


def test_the_django_admin_needs_the_second_factor_too(client):
    admin = UserFactory(is_superuser=True, is_staff=True, username="chef")
    authenticator_for(admin)
    _password_login(client, "chef")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"].startswith(reverse("accounts:verify"))
    verified_login(client, admin)
    assert client.get("/admin/").status_code == 200


def test_an_administrator_by_role_may_use_the_django_admin_for_users(client):
    from sammen.accounts.models import Role, RoleAssignment

    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.ADMINISTRATOR)
    verified_login(client, user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/participation/opportunity/").status_code == 403


@override_settings(STAFF_TWO_FACTOR_REQUIRED=False)
def test_with_two_factor_off_a_password_is_enough(client, staff):
    response = _password_login(client)
    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


@override_settings(STAFF_TWO_FACTOR_REQUIRED=False)
def test_check_deploy_warns_when_two_factor_is_off():
    with pytest.raises(SystemCheckError, match=r"accounts\.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")


def test_check_deploy_is_silent_about_two_factor_when_it_is_on(capsys):
    from sammen.accounts.checks import two_factor_is_on

    assert two_factor_is_on() == []
