"""The demo accounts: one per role, printed by `make run` (demo_banner)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from sammen.accounts.models import Role, RoleAssignment, User
from sammen.accounts.roles import is_administrator

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_user_per_role_and_the_banner_prints_them(capsys):
    call_command("seed_demo", "--opportunities", "5")
    roles = dict(RoleAssignment.objects.values_list("user__username", "role"))
    assert roles == {
        "konsulent": Role.CONSULTANT,
        "koordinator": Role.COORDINATOR,
        "styregruppe": Role.STEERING,
        "administrator": Role.ADMINISTRATOR,
    }
    consultant = User.objects.get(username="konsulent")
    assert list(consultant.departments.values_list("abbreviation", flat=True)) == ["TMF"]
    assert consultant.check_password("sammen-rolle-kbh")
    assert is_administrator(User.objects.get(username="administrator"))

    capsys.readouterr()
    call_command("demo_banner")
    out = capsys.readouterr().out
    for username in ["konsulent", "koordinator", "styregruppe", "administrator"]:
        assert username in out
    assert "sammen-rolle-kbh" in out


def test_seeding_again_adds_no_duplicate_role_users():
    call_command("seed_demo", "--opportunities", "1")
    call_command("seed_demo", "--opportunities", "1")
    assert User.objects.filter(username="konsulent").count() == 1
    assert RoleAssignment.objects.count() == 4


def test_staff_pages_are_not_in_the_sitemap(client):
    sitemap = client.get(reverse("sitemap")).content.decode()
    assert "/personale/" not in sitemap
