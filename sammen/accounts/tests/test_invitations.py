"""Administrators invite staff by e-mail; the link sets the password and the second factor once."""

import re
import time

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from sammen.accounts import services
from sammen.accounts.models import Role, RoleAssignment, User
from sammen.accounts.testing import current_code, verified_login
from sammen.core.tests.factories import UserFactory, department

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "sommer-paa-amager-2031"


@pytest.fixture(autouse=True)
def danish():
    with translation.override("da"):
        yield


@pytest.fixture
def admin_client():
    admin = UserFactory(first_name="Ali", last_name="Amini")
    RoleAssignment.objects.create(user=admin, role=Role.ADMINISTRATOR)
    return verified_login(Client(), admin)


def _invite(admin_client, **overrides):
    data = {
        "first_name": "Nanna",
        "last_name": "Nygaard",
        "email": "Nanna.Nygaard@tmf.kk.dk",
        "departments": [department("TMF").pk],
        "consultant_for": [department("KFF").pk],
        "roles": ["coordinator"],
    }
    data.update(overrides)
    return admin_client.post(reverse("accounts:user_invite"), data)


def _link() -> str:
    text = mail.outbox[-1].body
    return re.search(r"https?://\S+/personale/\S+/", text).group(0)


def test_an_administrator_invites_with_departments_and_roles(admin_client):
    response = _invite(admin_client)
    user = User.objects.get(email="nanna.nygaard@tmf.kk.dk")
    assert response["Location"] == reverse("accounts:user_edit", kwargs={"pk": user.pk})
    assert user.username == "nanna.nygaard@tmf.kk.dk"
    assert not user.has_usable_password()
    assert set(user.departments.values_list("abbreviation", flat=True)) == {"TMF", "KFF"}
    assert set(user.role_assignments.values_list("role", "department__abbreviation")) == {
        ("consultant", "KFF"),
        ("coordinator", None),
    }
    message = mail.outbox[-1]
    assert message.to == ["nanna.nygaard@tmf.kk.dk"]
    assert "Ali Amini" in message.body
    assert "7 dage" in message.body


def test_the_invitation_link_sets_the_password_then_the_authenticator(admin_client):
    _invite(admin_client)
    link = _link()
    client = Client()
    page = client.get(link).content.decode()
    assert "Velkommen, Nanna Nygaard" in page

    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:enrol"))
    user = User.objects.get(email="nanna.nygaard@tmf.kk.dk")
    assert user.check_password(NEW_PASSWORD)
    # Logged in with the password only: no staff page until the app is set up.
    assert client.get("/personale/").status_code == 302
    client.get(response["Location"])
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("accounts:enrol"), {"token": current_code(device), "next": "/personale/"})
    assert client.get("/personale/").status_code == 200

    # Used: the link does not work a second time.
    response = Client().get(link)
    assert response.status_code == 410
    assert "Linket til invitationen kan ikke bruges" in response.content.decode()


def test_a_weak_or_mismatched_password_is_refused_and_the_link_still_works(admin_client):
    _invite(admin_client)
    link = _link()
    client = Client()
    response = client.post(link, {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert "Der er et problem" in response.content.decode()
    response = client.post(link, {"password1": NEW_PASSWORD, "password2": "noget-andet-helt"})
    assert "De to adgangskoder er ikke ens." in response.content.decode()
    assert not User.objects.get(email="nanna.nygaard@tmf.kk.dk").has_usable_password()
    assert client.get(link).status_code == 200


def test_an_expired_link_is_refused(admin_client):
    _invite(admin_client)
    user = User.objects.get(email="nanna.nygaard@tmf.kk.dk")
    valid = services.invitation_token(user)

    class EightDaysAgo(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 8 * 24 * 3600)

    payload = signing.loads(valid, salt="sammen.accounts.invitation")
    expired = EightDaysAgo(salt="sammen.accounts.invitation").sign_object(payload)
    response = Client().get(reverse("accounts:invitation", args=[expired]))
    assert response.status_code == 410
    assert Client().get(reverse("accounts:invitation", args=[valid])).status_code == 200


def test_a_tampered_or_replaced_link_is_refused(admin_client):
    _invite(admin_client)
    user = User.objects.get(email="nanna.nygaard@tmf.kk.dk")
    first = _link()
    assert Client().get(first[:-3] + "xx/").status_code == 410
    admin_client.post(reverse("accounts:user_invitation_resend", kwargs={"pk": user.pk}))
    assert Client().get(first).status_code == 410
    assert Client().get(_link()).status_code == 200


def test_a_deactivated_invitee_cannot_use_the_link(admin_client):
    _invite(admin_client)
    user = User.objects.get(email="nanna.nygaard@tmf.kk.dk")
    admin_client.post(reverse("accounts:user_deactivate", kwargs={"pk": user.pk}))
    assert Client().get(_link()).status_code == 410


def test_an_email_address_already_in_use_is_refused(admin_client):
    UserFactory(email="nanna.nygaard@tmf.kk.dk")
    response = _invite(admin_client)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="#id_email">' in page
    assert 'value="Nygaard"' in page
    assert User.objects.filter(email__iexact="nanna.nygaard@tmf.kk.dk").count() == 1
    assert not mail.outbox


def test_an_administrator_changes_departments_and_roles(admin_client):
    user = UserFactory(departments=[department("TMF")])
    RoleAssignment.objects.create(user=user, role=Role.STEERING)
    response = admin_client.post(
        reverse("accounts:user_edit", kwargs={"pk": user.pk}),
        {
            "first_name": "Mette",
            "last_name": "Jensen",
            "email": user.email,
            "departments": [department("BUF").pk],
            "consultant_for": [],
            "roles": ["administrator"],
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert list(user.departments.values_list("abbreviation", flat=True)) == ["BUF"]
    assert list(user.role_assignments.values_list("role", flat=True)) == ["administrator"]
    assert user.is_staff  # administrators may use the Django admin


def test_deactivation_ends_an_open_session_at_once(admin_client):
    user = UserFactory(departments=[department("TMF")])
    staff_client = verified_login(Client(), user)
    assert staff_client.get("/personale/").status_code == 200

    admin_client.post(reverse("accounts:user_deactivate", kwargs={"pk": user.pk}))

    response = staff_client.get("/personale/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    # And the password no longer logs in.
    Client().post(
        reverse("accounts:login"), {"username": user.username, "password": "korrekt-hest-batteri"}
    )
    admin_client.post(reverse("accounts:user_reactivate", kwargs={"pk": user.pk}))
    user.refresh_from_db()
    assert user.is_active


def test_administrators_cannot_deactivate_themselves(admin_client):
    me = admin_client.get("/personale/").wsgi_request.user
    admin_client.post(reverse("accounts:user_deactivate", kwargs={"pk": me.pk}))
    me.refresh_from_db()
    assert me.is_active


def test_the_user_list_runs_the_same_queries_for_5_and_50_users(admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(n: int) -> int:
        User.objects.exclude(role_assignments__role=Role.ADMINISTRATOR).delete()
        for _ in range(n):
            user = UserFactory(departments=[department("TMF"), department("KFF")])
            RoleAssignment.objects.create(
                user=user, role=Role.CONSULTANT, department=department("TMF")
            )
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(reverse("accounts:user_list"))
        assert response.status_code == 200
        return len(queries)

    assert count(5) == count(50)
