"""Taking one more open idea to an existing, upcoming solution lab from the lab's page: the
search, the choice, what happens on success, each refusal (with the search kept and nothing
saved), who may, and a page that costs the same queries however many ideas there are to choose."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.testing import verified_login
from sammen.core.models import MailLog
from sammen.events import labs
from sammen.events.models import Event, LabIdea, Registration
from sammen.events.tests import test_labs
from sammen.events.tests.test_labs import consultant, create_lab, open_idea, public_messages
from sammen.events.tests.test_labs_pages import triaged_idea
from sammen.ideas.models import TimelineEntry
from sammen.ideas.states import State
from sammen.ideas.tests.factories import idea_in, staff_user

pytestmark = pytest.mark.django_db

Status = Registration.Status

# The lab tests' fixtures, as they are: English texts, and a coordinator.
english = test_labs.english
coordinator = test_labs.coordinator


@pytest.fixture
def lab(coordinator):
    """An upcoming lab with one idea, and the coordinator logged in."""
    return create_lab(coordinator, [open_idea(coordinator)])


def lab_url(lab: Event) -> str:
    return reverse("events_staff:lab", args=[lab.pk])


def add_url(lab: Event) -> str:
    return reverse("events_staff:lab_add_idea", args=[lab.pk])


def snapshot(lab: Event) -> tuple[int, int, int]:
    """What a refused attempt must leave as it was."""
    return (
        LabIdea.objects.filter(event=lab).count(),
        lab.registrations.count(),
        TimelineEntry.objects.count(),
    )


# --- success -------------------------------------------------------------------------------------


def test_a_coordinator_takes_another_idea_to_the_lab(client, coordinator, lab):
    idea = open_idea(coordinator, lead="BUF")
    helper = consultant("BUF")
    MailLog.objects.all().delete()
    verified_login(client, coordinator)

    page = client.get(lab_url(lab)).content.decode()
    assert "Take another idea to this lab" in page
    assert f'action="{add_url(lab)}"' in page
    assert f'id="add-idea-{idea.pk}"' in page
    already = lab.lab_ideas.get().idea
    assert f'id="add-idea-{already.pk}"' not in page

    response = client.post(add_url(lab), {"q": "", "idea": idea.pk, "action": "add"})
    assert response.status_code == 302
    assert response["Location"] == lab_url(lab)
    assert LabIdea.objects.filter(event=lab, idea=idea).exists()
    # The idea's timeline tells the citizen, who is invited with the lab's invitation.
    assert public_messages(idea)[-1].startswith("Your idea will be worked on at a solution lab")
    invitation = lab.registrations.get(idea=idea)
    assert (invitation.status, invitation.email) == (Status.PENDING, idea.email)
    assert MailLog.objects.filter(template=labs.CITIZEN_INVITATION, recipient=idea.email).exists()
    # The new idea's department is invited as staff.
    assert MailLog.objects.filter(template=labs.STAFF_INVITATION, recipient=helper.email).exists()

    page = client.get(response["Location"]).content.decode()
    assert f"{idea.reference} is taken to the solution lab. The citizen is invited" in page
    assert idea.title in page
    assert f'id="add-idea-{idea.pk}"' not in page


def test_a_citizen_who_may_not_be_contacted_is_told_but_not_invited(client, coordinator, lab):
    idea = open_idea(coordinator, consent_contact=False)
    verified_login(client, coordinator)
    response = client.post(add_url(lab), {"idea": idea.pk, "action": "add"}, follow=True)
    assert "they may not be contacted, so they are not invited" in response.content.decode()
    assert LabIdea.objects.filter(event=lab, idea=idea).exists()
    assert not lab.registrations.filter(idea=idea).exists()


def test_searching_lists_matches_and_keeps_the_choice(client, coordinator, lab):
    benches = triaged_idea(coordinator, "Bænke ved Utterslev Mose", "TMF")
    garden = triaged_idea(coordinator, "Byhave ved Nørrebroparken", "BUF")
    verified_login(client, coordinator)
    response = client.post(add_url(lab), {"q": "byhave", "idea": benches.pk, "action": "search"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="byhave"' in page
    assert f'id="add-idea-{garden.pk}"' in page
    assert f'value="{benches.pk}" id="add-idea-{benches.pk}" checked' in page
    assert "There is a problem" not in page
    assert not LabIdea.objects.filter(idea__in=[benches, garden]).exists()


# --- refusals ------------------------------------------------------------------------------------


def test_no_idea_chosen_is_refused_with_the_search_kept(client, coordinator, lab):
    verified_login(client, coordinator)
    before = snapshot(lab)
    response = client.post(add_url(lab), {"q": "bænke ved søen", "action": "add"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'href="#add-idea"' in page
    assert "Choose an idea." in page
    assert 'value="bænke ved søen"' in page
    assert snapshot(lab) == before


@pytest.mark.parametrize("how", ["closed", "anonymised"])
def test_an_idea_that_is_not_open_is_refused(client, coordinator, lab, how):
    if how == "closed":
        idea = idea_in(State.CLOSED, coordinator=coordinator)
    else:
        idea = open_idea(coordinator, anonymised_at=timezone.now())
    verified_login(client, coordinator)
    before = snapshot(lab)
    response = client.post(add_url(lab), {"q": "bænke", "idea": idea.pk, "action": "add"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Only open ideas can be taken to a solution lab." in page
    assert 'value="bænke"' in page
    assert snapshot(lab) == before


def test_an_idea_already_in_the_lab_is_refused(client, coordinator, lab):
    idea = lab.lab_ideas.get().idea
    verified_login(client, coordinator)
    before = snapshot(lab)
    response = client.post(add_url(lab), {"q": "søerne", "idea": idea.pk, "action": "add"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "The idea is already in this solution lab." in page
    assert 'value="søerne"' in page
    assert snapshot(lab) == before


def test_a_lab_that_has_started_takes_no_more_ideas(client, coordinator, lab):
    idea = open_idea(coordinator)
    verified_login(client, coordinator)
    started = timezone.now() - timedelta(hours=1)
    Event.objects.filter(pk=lab.pk).update(starts_at=started, ends_at=started + timedelta(hours=3))
    # The page no longer offers it …
    assert "Take another idea to this lab" not in client.get(lab_url(lab)).content.decode()
    # … and a form sent from an old page is refused, saying why, with the search kept.
    before = snapshot(lab)
    response = client.post(add_url(lab), {"q": "bænke", "idea": idea.pk, "action": "add"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "The solution lab has started; ideas can only be added before it starts." in page
    assert 'value="bænke"' in page
    assert snapshot(lab) == before


def test_a_cancelled_lab_takes_no_more_ideas(client, coordinator, lab):
    idea = open_idea(coordinator)
    Event.objects.filter(pk=lab.pk).update(cancelled_at=timezone.now())
    verified_login(client, coordinator)
    assert "Take another idea to this lab" not in client.get(lab_url(lab)).content.decode()
    response = client.post(add_url(lab), {"idea": idea.pk, "action": "add"})
    assert response.status_code == 400
    assert "The solution lab has been cancelled." in response.content.decode()
    assert not LabIdea.objects.filter(idea=idea).exists()


def test_a_refusal_is_in_the_users_language(client, coordinator, lab):
    idea = lab.lab_ideas.get().idea
    verified_login(client, coordinator)
    with translation.override("da"):
        url = reverse("events_staff:lab_add_idea", args=[lab.pk])
    response = client.post(url, {"q": "søerne", "idea": idea.pk, "action": "add"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Idéen er allerede med i dette løsningslaboratorium." in page
    assert "The idea is already in this solution lab." not in page
    assert 'value="søerne"' in page


# --- who may -------------------------------------------------------------------------------------


def test_department_staff_without_triage_may_not(client, coordinator, lab):
    idea = open_idea(coordinator)
    verified_login(client, staff_user("TMF"))
    response = client.post(add_url(lab), {"idea": idea.pk, "action": "add"})
    assert response.status_code == 403
    assert not LabIdea.objects.filter(idea=idea).exists()


def test_an_organiser_without_triage_sees_no_add_section_and_may_not(client, coordinator, lab):
    organiser = consultant("TMF")
    Event.objects.filter(pk=lab.pk).update(organiser=organiser)
    idea = open_idea(coordinator)
    verified_login(client, organiser)
    response = client.get(lab_url(lab))
    assert response.status_code == 200
    assert "Take another idea to this lab" not in response.content.decode()
    assert client.post(add_url(lab), {"idea": idea.pk, "action": "add"}).status_code == 403
    assert not LabIdea.objects.filter(idea=idea).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, coordinator, lab):
    response = client.post(add_url(lab), {"idea": lab.lab_ideas.get().idea_id})
    assert response.status_code == 302
    assert client.get(add_url(lab)).status_code in (302, 405)


def test_only_post(client, coordinator, lab):
    verified_login(client, coordinator)
    assert client.get(add_url(lab)).status_code == 405


# --- queries -------------------------------------------------------------------------------------


def test_the_lab_page_runs_the_same_queries_for_2_and_10_ideas_to_choose(client, coordinator, lab):
    verified_login(client, coordinator)

    def count(expected: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(lab_url(lab))
        assert response.content.decode().count('name="idea"') == expected
        return len(captured)

    leads = ("TMF", "BUF", "KFF", "SOF")
    for n in range(2):
        open_idea(coordinator, lead=leads[n % 4])
    two = count(2)
    for n in range(8):
        open_idea(coordinator, lead=leads[n % 4])
    assert count(10) == two

    # The search runs a fixed number of queries too.
    def searched() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.post(add_url(lab), {"q": "bænke", "action": "search"})
        return len(captured)

    ten = searched()
    for n in range(5):
        open_idea(coordinator, lead=leads[n % 4])
    assert searched() == ten
