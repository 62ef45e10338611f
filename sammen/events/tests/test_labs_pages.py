"""The staff pages of solution labs: creating one from ideas, the lab's page with its agreement
forms, who may see them, and the link from an idea's case page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory, department
from sammen.core.workdays import local_date
from sammen.events import labs
from sammen.events.models import Event, Kind, LabAgreement
from sammen.ideas import services
from sammen.ideas.models import Idea
from sammen.ideas.states import State
from sammen.ideas.tests.factories import coordinator_user, idea_in, staff_user, submitted_idea

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def coordinator():
    return coordinator_user()


def open_idea(coordinator, *, lead="TMF", state=State.IN_PROGRESS):
    idea = idea_in(state, coordinator=coordinator, lead=lead)
    Idea.objects.filter(pk=idea.pk).update(email=f"borger{idea.pk}@example.org")
    return Idea.objects.get(pk=idea.pk)


def triaged_idea(coordinator, title: str, lead: str) -> Idea:
    """An idea with its own title and text, as the search indexes them."""
    idea = submitted_idea(title=title, description=f"{title}: det ville gøre kvarteret bedre.")
    idea = services.idea_confirm(idea=idea)
    return services.idea_transition(
        idea=idea,
        to_state=State.TRIAGED,
        by=coordinator,
        lead_department=department(lead),
        coordinator=coordinator,
    )


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(ideas, **overrides) -> dict:
    start = timezone.now() + timedelta(days=21)
    data = {
        "ideas": [idea.pk for idea in ideas],
        "q": "",
        "title": "Løsningslaboratorium om byrum",
        "summary": "Vi arbejder sammen om idéerne.",
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=3)),
        "location": "Rådhuset",
        "capacity": "30",
        "action": "create",
    }
    data.update(overrides)
    return data


def make_lab(coordinator, ideas):
    start = timezone.now() + timedelta(days=21)
    return labs.lab_create(
        by=coordinator,
        ideas=ideas,
        title="Løsningslaboratorium om byrum",
        summary="Vi arbejder sammen om idéerne.",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        location="Rådhuset",
    )


# --- who may ------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, coordinator):
    lab = make_lab(coordinator, [open_idea(coordinator)])
    for url in (reverse("events_staff:lab_create"), reverse("events_staff:lab", args=[lab.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"] or "log-ind" in response["Location"]


def test_staff_who_are_not_coordinators_may_not(client, coordinator):
    lab = make_lab(coordinator, [open_idea(coordinator)])
    verified_login(client, staff_user("TMF"))
    assert client.get(reverse("events_staff:lab_create")).status_code == 403
    assert client.get(reverse("events_staff:lab", args=[lab.pk])).status_code == 403
    url = reverse("events_staff:lab_agreement", args=[lab.pk, lab.lab_ideas.get().idea_id])
    assert client.post(url, {}).status_code == 403
    assert not LabAgreement.objects.exists()


def test_coordinators_may_and_other_events_are_not_labs(client, coordinator):
    lab = make_lab(coordinator, [open_idea(coordinator)])
    verified_login(client, coordinator_user())
    assert client.get(reverse("events_staff:lab_create")).status_code == 200
    assert client.get(reverse("events_staff:lab", args=[lab.pk])).status_code == 200
    Event.objects.filter(pk=lab.pk).update(kind=Kind.CONFERENCE)
    assert client.get(reverse("events_staff:lab", args=[lab.pk])).status_code == 404


# --- creating ------------------------------------------------------------------------------------


def test_the_create_page_ticks_the_ideas_from_the_case_page_and_searches(client, coordinator):
    benches = triaged_idea(coordinator, "Bænke langs Søerne", "TMF")
    garden = triaged_idea(coordinator, "Byhave ved Nørrebroparken", "BUF")
    closed = idea_in(State.CLOSED, coordinator=coordinator)
    verified_login(client, coordinator)
    page = client.get(reverse("events_staff:lab_create") + f"?ideas={benches.pk}").content.decode()
    assert f'value="{benches.pk}" id="idea-{benches.pk}" checked' in page
    assert f'id="idea-{garden.pk}"' in page and f'id="idea-{garden.pk}" checked' not in page
    assert f'id="idea-{closed.pk}"' not in page
    # Searching keeps what was typed and ticked, and lists the matches.
    response = client.post(
        reverse("events_staff:lab_create"),
        form_data([benches], q="byhave", action="search", title="Mit laboratorium"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="idea-{benches.pk}" checked' in page and f'id="idea-{garden.pk}"' in page
    assert 'value="Mit laboratorium"' in page
    assert "There is a problem" not in page
    assert not Event.objects.exists()


def test_creating_a_lab_keeps_the_input_when_something_is_wrong(client, coordinator):
    idea = open_idea(coordinator)
    verified_login(client, coordinator)
    response = client.post(
        reverse("events_staff:lab_create"),
        form_data([idea], location="", starts_at=local(timezone.now() - timedelta(days=1))),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose a venue or write where the lab is." in page
    assert "The lab must be in the future" in page
    assert 'value="Løsningslaboratorium om byrum"' in page
    assert f'id="idea-{idea.pk}" checked' in page
    response = client.post(reverse("events_staff:lab_create"), form_data([]))
    assert response.status_code == 400
    assert "Choose at least one idea." in response.content.decode()
    assert not Event.objects.exists()


def test_creating_a_lab_goes_to_its_page(client, coordinator):
    first, second = open_idea(coordinator), open_idea(coordinator, lead="BUF")
    verified_login(client, coordinator)
    response = client.post(reverse("events_staff:lab_create"), form_data([first, second]))
    lab = Event.objects.get(kind=Kind.SOLUTION_LAB)
    assert response.status_code == 302
    assert response["Location"] == reverse("events_staff:lab", args=[lab.pk])
    assert lab.capacity == 30
    page = client.get(response["Location"]).content.decode()
    assert first.title in page and second.title in page
    assert "Invited, no answer yet" in page
    assert first.email not in page
    assert department("BUF").name in page


# --- the lab's page ------------------------------------------------------------------------------


def test_an_agreement_is_recorded_from_the_lab_page(client, coordinator):
    idea = open_idea(coordinator)
    lab = make_lab(coordinator, [idea])
    owner = staff_user("TMF", first_name="Ane", last_name="Holm")
    verified_login(client, coordinator)
    url = reverse("events_staff:lab_agreement", args=[lab.pk, idea.pk])
    prefix = f"agreement-{idea.pk}"
    data = {
        f"{prefix}-text": "TMF sætter tre bænke op.",
        f"{prefix}-owner_department": department("BUF").pk,
        f"{prefix}-owner_user": owner.pk,
        f"{prefix}-follow_up_on": (local_date(timezone.now()) - timedelta(days=1)).isoformat(),
    }
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert f"The named owner must work in {department('BUF').name}." in page
    assert "The follow-up date cannot be in the past." in page
    assert "TMF sætter tre bænke op." in page
    assert not LabAgreement.objects.exists()

    data[f"{prefix}-owner_department"] = department("TMF").pk
    data[f"{prefix}-follow_up_on"] = (local_date(timezone.now()) + timedelta(days=30)).isoformat()
    response = client.post(url, data)
    assert response.status_code == 302
    agreement = LabAgreement.objects.get()
    assert (agreement.owner_user, agreement.created_by) == (owner, coordinator)
    page = client.get(reverse("events_staff:lab", args=[lab.pk])).content.decode()
    assert "TMF sætter tre bænke op." in page and "Ane Holm" in page


def test_the_lab_page_runs_the_same_queries_for_5_and_20_ideas(client, coordinator):
    verified_login(client, coordinator)
    first = [open_idea(coordinator, lead=lead) for lead in ("TMF", "BUF", "KFF", "TMF", "SOF")]
    lab = make_lab(coordinator, first)

    def count() -> int:
        items = list(lab.lab_ideas.select_related("idea"))
        for item in items:
            if not item.idea.lab_agreements.exists():
                labs.agreement_record(
                    event=lab,
                    idea=item.idea,
                    text="Aftale",
                    owner_department=department("TMF"),
                    owner_user=staff_user("TMF"),
                    follow_up_on=local_date(timezone.now()),
                    by=coordinator,
                )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("events_staff:lab", args=[lab.pk])).status_code == 200
        return len(captured)

    five = count()
    for n in range(15):
        idea = open_idea(coordinator, lead=("TMF", "BUF", "KFF")[n % 3])
        services.idea_assign(
            idea=idea,
            by=coordinator,
            handler=staff_user(idea.lead_department.abbreviation),
            involved_departments=[department("SOF")],
        )
        labs.lab_add_idea(event=lab, idea=Idea.objects.get(pk=idea.pk), by=coordinator)
    assert lab.lab_ideas.count() == 20
    assert count() == five


# --- the case page -------------------------------------------------------------------------------


def test_the_case_page_takes_an_idea_to_a_lab_and_lists_its_labs(client, coordinator):
    idea = open_idea(coordinator)
    verified_login(client, coordinator)
    page = client.get(reverse("ideas_staff:detail", args=[idea.pk])).content.decode()
    assert f"{reverse('events_staff:lab_create')}?ideas={idea.pk}" in page
    lab = make_lab(coordinator, [idea])
    page = client.get(reverse("ideas_staff:detail", args=[idea.pk])).content.decode()
    assert reverse("events_staff:lab", args=[lab.pk]) in page
    # Staff of the lead department see the lab, but only coordinators take ideas to labs.
    member = staff_user("TMF")
    verified_login(client, member)
    page = client.get(reverse("ideas_staff:detail", args=[idea.pk])).content.decode()
    assert lab.title in page
    assert reverse("events_staff:lab_create") not in page


def test_a_consultant_organising_nothing_cannot_open_a_lab(client, coordinator):
    lab = make_lab(coordinator, [open_idea(coordinator)])
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.CONSULTANT, department=department("TMF"))
    verified_login(client, user)
    assert client.get(reverse("events_staff:lab", args=[lab.pk])).status_code == 403
