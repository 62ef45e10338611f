"""Demo staff accounts, one per role, for trying the site (`make run`). Never in production."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from sammen.accounts.models import Role, RoleAssignment, User
from sammen.core.models import Department

# Printed by `manage.py demo_banner`; published on purpose, so only for demo installations.
ROLE_PASSWORD = "sammen-rolle-kbh"  # noqa: S105 (a published demo password)

# (username, first name, last name, role, department of a consultant, what the banner says)
ROLE_ACCOUNTS = [
    ("konsulent", "Kirsten", "Kofoed", Role.CONSULTANT, "TMF", "dialogue consultant, TMF"),
    ("koordinator", "Kasper", "Krogh", Role.COORDINATOR, None, "coordinator"),
    ("styregruppe", "Susanne", "Storm", Role.STEERING, None, "steering group"),
    ("administrator", "Ali", "Amini", Role.ADMINISTRATOR, None, "administrator (role)"),
]


@transaction.atomic
def role_accounts_create() -> list[User]:
    """One demo user per role (department staff are the per-department accounts). Idempotent."""
    departments = {d.abbreviation: d for d in Department.objects.all()}
    password = make_password(ROLE_PASSWORD)
    users = []
    for username, first, last, role, abbreviation, _what in ROLE_ACCOUNTS:
        department = departments.get(abbreviation) if abbreviation else None
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}.demo@kk.dk",
                "password": password,
                "is_staff": role == Role.ADMINISTRATOR,
            },
        )
        if created:
            if department is not None:
                user.departments.add(department)
            RoleAssignment.objects.create(user=user, role=role, department=department)
        users.append(user)
    return users


def role_demo_accounts() -> list[tuple[str, str, str]]:
    """(username, password, what it is) for the role accounts that exist, for the banner."""
    existing = set(
        User.objects.filter(username__in=[row[0] for row in ROLE_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    return [
        (username, ROLE_PASSWORD, what)
        for username, _f, _l, _r, _d, what in ROLE_ACCOUNTS
        if username in existing
    ]
