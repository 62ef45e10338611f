"""The staff dashboards of ideas as pages: who may open them, which departments each user sees,
the empty states, and a number of queries that does not grow with the number of ideas.

Texts are compared through gettext, so the tests hold in Danish with or without the catalogue."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory, department
from sammen.ideas import services
from sammen.ideas.models import Handover, Idea
from sammen.ideas.states import State
from sammen.ideas.tests.factories import coordinator_user, idea_in, staff_user

pytestmark = pytest.mark.django_db

DASHBOARD = "ideas_staff:dashboard"
COORDINATION = "ideas_staff:coordination"


@pytest.fixture(autouse=True)
def danish():
    """Staff pages in Danish, the default."""
    with translation.override("da"):
        yield


@pytest.fixture
def coordinator():
    return coordinator_user()


def administrator():
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.ADMINISTRATOR)
    return user


def get(client, user, name, **params):
    if user is not None:
        verified_login(client, user)
    return client.get(reverse(name), params)


def html(response) -> str:
    return response.content.decode()


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "dashboard", "coordination"),
    [
        ("anonymous", 302, 302),
        ("staff", 200, 403),
        ("staff_without_department", 200, 403),
        ("coordinator", 200, 200),
        ("administrator", 200, 200),
    ],
)
def test_permissions(client, persona, dashboard, coordination):
    user = {
        "anonymous": lambda: None,
        "staff": lambda: staff_user("TMF"),
        "staff_without_department": UserFactory,
        "coordinator": coordinator_user,
        "administrator": administrator,
    }[persona]()
    if user is not None:
        verified_login(client, user)
    assert client.get(reverse(DASHBOARD)).status_code == dashboard
    assert client.get(reverse(COORDINATION)).status_code == coordination


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse(COORDINATION))
    assert response.status_code == 302
    assert reverse(COORDINATION) in response["Location"]


def test_password_alone_is_not_enough(client):
    client.force_login(coordinator_user())
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))


# --- the department dashboard --------------------------------------------------------------------


@pytest.fixture
def tmf_and_buf_ideas(coordinator):
    """A late TMF idea, a TMF idea waiting for the citizen, and a BUF idea."""
    past = timezone.now() - timedelta(days=60)
    return {
        "late": idea_in(State.IN_PROGRESS, coordinator=coordinator, now=past),
        "waiting": idea_in(State.WAITING_FOR_CITIZEN, coordinator=coordinator, now=past),
        "buf": idea_in(State.IN_PROGRESS, coordinator=coordinator, lead="BUF"),
    }


def test_staff_see_only_their_departments(client, tmf_and_buf_ideas):
    page = html(get(client, staff_user("TMF"), DASHBOARD))
    assert tmf_and_buf_ideas["late"].reference in page
    assert tmf_and_buf_ideas["waiting"].reference in page
    assert tmf_and_buf_ideas["buf"].reference not in page
    # Late: said in words beside the icon; waiting: paused, not late.
    assert gettext("Overdue") in page
    assert gettext("Paused") in page
    assert page.count('class="badge badge-error"') == 1


def test_staff_cannot_pick_another_department(client, tmf_and_buf_ideas):
    response = get(client, staff_user("TMF"), DASHBOARD, department=department("BUF").pk)
    assert response.status_code == 200
    page = html(response)
    assert gettext("Choose one of the departments listed.") in page
    assert tmf_and_buf_ideas["buf"].reference not in page
    assert tmf_and_buf_ideas["late"].reference in page


def test_staff_of_several_departments_pick_one(client, tmf_and_buf_ideas):
    user = UserFactory(departments=[department("TMF"), department("BUF")])
    page = html(get(client, user, DASHBOARD, department=department("BUF").pk))
    assert tmf_and_buf_ideas["buf"].reference in page
    assert tmf_and_buf_ideas["late"].reference not in page
    # The summary of both departments, each linking to its own list.
    assert f"?department={department('TMF').pk}" in page


def test_coordinator_picks_any_department(client, coordinator, tmf_and_buf_ideas):
    page = html(get(client, coordinator, DASHBOARD))
    assert gettext("Choose a department to see its ideas.") in page
    assert tmf_and_buf_ideas["late"].reference not in page

    page = html(client.get(reverse(DASHBOARD), {"department": department("BUF").pk}))
    assert tmf_and_buf_ideas["buf"].reference in page
    assert tmf_and_buf_ideas["late"].reference not in page


def test_only_ideas_i_handle(client, coordinator, tmf_and_buf_ideas):
    handler = staff_user("TMF")
    services.idea_assign(idea=tmf_and_buf_ideas["late"], by=coordinator, handler=handler)
    page = html(get(client, handler, DASHBOARD, mine="on"))
    assert tmf_and_buf_ideas["late"].reference in page
    assert tmf_and_buf_ideas["waiting"].reference not in page

    page = html(get(client, staff_user("TMF"), DASHBOARD, mine="on"))
    assert tmf_and_buf_ideas["late"].reference not in page


def test_handovers_waiting_for_the_department(client, coordinator, tmf_and_buf_ideas):
    services.idea_hand_over(
        idea=tmf_and_buf_ideas["buf"],
        to_department=department("TMF"),
        by=coordinator,
        note="Det er en vejsag.",
    )
    page = html(get(client, staff_user("TMF"), DASHBOARD))
    # Shown as a handover to answer, not as one of the department's ideas.
    assert page.count(tmf_and_buf_ideas["buf"].reference) == 1
    assert gettext("Handovers waiting for your answer") in page


def test_a_department_with_nothing(client):
    page = html(get(client, staff_user("SOF"), DASHBOARD))
    assert "Socialforvaltningen" in page
    assert "<table" not in page
    assert "badge-error" not in page


def test_staff_without_a_department_get_an_explanation(client):
    response = get(client, UserFactory(), DASHBOARD)
    assert response.status_code == 200
    assert "alert alert-info" in html(response)
    assert '<form method="get"' not in html(response)


# --- the coordinators' overview ----------------------------------------------------------------


def test_coordination_page(client, coordinator, tmf_and_buf_ideas):
    past = timezone.now() - timedelta(days=30)
    untriaged_late = idea_in(State.RECEIVED, coordinator=coordinator, now=past)
    untriaged = idea_in(State.RECEIVED, coordinator=coordinator)
    handover = services.idea_hand_over(
        idea=tmf_and_buf_ideas["late"],
        to_department=department("KFF"),
        by=coordinator,
        note="Det handler om et kulturhus.",
        now=past,
    )
    page = html(get(client, coordinator, COORDINATION))
    queue = page.split('id="queue-heading"')[1].split('id="departments-heading"')[0]
    # Oldest first, the late one marked in words.
    assert queue.index(untriaged_late.reference) < queue.index(untriaged.reference)
    assert queue.count(gettext("Overdue")) == 1
    departments = page.split('id="departments-heading"')[1].split('id="overdue-heading"')[0]
    assert departments.count("<tr>") == 7 + 1
    overdue = page.split('id="overdue-heading"')[1].split('id="handovers-heading"')[0]
    assert untriaged_late.reference in overdue
    assert tmf_and_buf_ideas["late"].reference in overdue
    assert tmf_and_buf_ideas["waiting"].reference not in overdue
    handovers = page.split('id="handovers-heading"')[1]
    assert handover.idea.reference in handovers


def test_coordination_page_when_all_is_well(client, coordinator):
    page = html(get(client, coordinator, COORDINATION))
    assert gettext("No ideas are waiting for triage.") in page
    assert gettext("No deadlines have been missed.") in page
    assert gettext("No handovers are past their deadline.") in page


# --- queries -------------------------------------------------------------------------------------


def make_ideas(coordinator, n: int) -> None:
    """`n` ideas of every kind the pages show: untriaged, late, waiting, handed over to TMF, and
    involving TMF. Through the services, in as few steps as each kind needs."""
    past = timezone.now() - timedelta(days=60)
    for i in range(n):
        kind = i % 5
        if kind == 0:
            idea_in(State.RECEIVED, coordinator=coordinator, now=past)
        elif kind == 1:
            idea_in(State.TRIAGED, coordinator=coordinator, now=past)
        elif kind == 2:
            idea_in(State.WAITING_FOR_CITIZEN, coordinator=coordinator)
        elif kind == 3:
            services.idea_hand_over(
                idea=idea_in(State.TRIAGED, coordinator=coordinator, lead="BUF", now=past),
                to_department=department("TMF"),
                by=coordinator,
                note="Det er en vejsag.",
                now=past,
            )
        else:
            services.idea_assign(
                idea=idea_in(State.TRIAGED, coordinator=coordinator, lead="BUF"),
                by=coordinator,
                involved_departments=[department("TMF")],
            )


@pytest.fixture
def constraints_left_to_the_database():
    """Creating 50 ideas through the services takes seconds, most of it Django re-checking each
    model's database constraints in Python before saving. The database checks the same
    constraints on every write, so the ideas made here still obey them."""
    with (
        mock.patch.object(Idea, "validate_constraints"),
        mock.patch.object(Handover, "validate_constraints"),
    ):
        yield


def test_queries_do_not_grow_with_the_ideas(coordinator, constraints_left_to_the_database):
    staff = verified_login(Client(), staff_user("TMF"))
    coordination = verified_login(Client(), coordinator)

    def count(client, name) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name))
        assert response.status_code == 200
        return len(queries)

    make_ideas(coordinator, 5)
    few = (count(staff, DASHBOARD), count(coordination, COORDINATION))
    make_ideas(coordinator, 45)
    # 50 ideas: the lists now run over more than one page.
    assert (count(staff, DASHBOARD), count(coordination, COORDINATION)) == few
