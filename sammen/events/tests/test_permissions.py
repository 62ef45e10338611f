"""Who may open which event page: anonymous visitors, any member of staff, the organiser of the
event, a dialogue consultant and a coordinator; and the rules themselves."""

import pytest
from django.urls import reverse
from django.utils import translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.permissions import has_permission
from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory, department
from sammen.events.models import Audience, Kind
from sammen.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def person(kind: str, event):
    if kind == "organiser":
        return event.organiser
    user = UserFactory(departments=[department("TMF")])
    if kind == "coordinator":
        RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    if kind == "consultant":
        RoleAssignment.objects.create(user=user, role=Role.CONSULTANT, department=department("TMF"))
    return user


# page → the answer for (anonymous, staff, consultant, organiser, coordinator); "login" is a
# redirect to the login page.
EXPECTED = {
    "list": ("login", 200, 200, 200, 200),
    "create": ("login", 403, 200, 403, 200),
    "edit": ("login", 403, 403, 200, 200),
    "programme": ("login", 403, 403, 200, 200),
    "stands": ("login", 403, 403, 200, 200),
    "materials": ("login", 403, 403, 200, 200),
    "stand_request": ("login", 200, 200, 200, 200),
}
WHO = ("anonymous", "staff", "consultant", "organiser", "coordinator")


def _url(name: str, event) -> str:
    if name in ("list", "create"):
        return reverse(f"events_staff:{name}")
    return reverse(f"events_staff:{name}", args=[event.pk])


@pytest.mark.parametrize("page", EXPECTED)
@pytest.mark.parametrize("who", range(len(WHO)))
def test_staff_pages_answer_each_role(client, page, who):
    event = EventFactory(kind=Kind.CONFERENCE)
    if WHO[who] != "anonymous":
        verified_login(client, person(WHO[who], event))
    response = client.get(_url(page, event))
    expected = EXPECTED[page][who]
    if expected == "login":
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    else:
        assert response.status_code == expected


def test_staff_pages_of_an_unknown_event_are_a_404(client):
    verified_login(client, person("coordinator", None))
    assert client.get(reverse("events_staff:edit", args=[999999])).status_code == 404


def test_a_password_only_session_is_sent_to_the_second_factor(client):
    event = EventFactory()
    client.force_login(event.organiser)
    response = client.get(reverse("events_staff:edit", args=[event.pk]))
    assert response.status_code == 302
    assert reverse("accounts:verify") in response["Location"]
    # …and is not "staff" on the public pages either: a staff-only event stays hidden.
    assert client.get(reverse("events:detail", args=[event.slug])).status_code == 404


@pytest.mark.parametrize(
    ("action", "args"),
    [("publish", True), ("unpublish", True), ("cancel", True), ("programme_item_delete", 1)],
)
def test_state_changes_are_refused_to_staff_who_do_not_organise(client, action, args):
    event = EventFactory(is_published=False)
    verified_login(client, person("staff", event))
    url_args = [event.pk] if args is True else [event.pk, args]
    assert client.post(reverse(f"events_staff:{action}", args=url_args)).status_code == 403
    event.refresh_from_db()
    assert not event.is_published and event.cancelled_at is None


@pytest.mark.parametrize("who", WHO)
def test_public_pages_of_a_staff_event_are_for_staff_only(client, who):
    event = EventFactory(kind=Kind.CONFERENCE)
    if who != "anonymous":
        verified_login(client, person(who, event))
    expected = 404 if who == "anonymous" else 200
    assert client.get(reverse("events:detail", args=[event.slug])).status_code == expected
    assert client.get(reverse("events:marketplace", args=[event.slug])).status_code == expected


def test_public_events_are_for_everyone(client):
    event = EventFactory(audience=Audience.PUBLIC, kind=Kind.CITIZEN_EVENT)
    assert client.get(reverse("events:detail", args=[event.slug])).status_code == 200


def test_the_rules_say_what_the_pages_do():
    event = EventFactory()
    staff, organiser = person("staff", event), event.organiser
    coordinator, consultant = person("coordinator", event), person("consultant", event)
    assert has_permission(staff, "events.view")
    assert not has_permission(staff, "events.create")
    assert has_permission(consultant, "events.create")
    assert not has_permission(consultant, "events.organise", event)
    assert has_permission(organiser, "events.organise", event)
    assert has_permission(coordinator, "events.organise", event)
    assert has_permission(organiser, "events.check_in", event)
    assert not has_permission(staff, "events.check_in", event)
