"""A coordinator organises every event (events.organise), also the public events of departments
they do not belong to. Saving such an event must work, and its entry in Få indflydelse's
catalogue must follow the event, although the catalogue's own rule lets only members of the
entry's departments write it from the catalogue's pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory, department, principle
from sammen.events import services
from sammen.events.forms import EventForm
from sammen.events.models import Audience, Event, Kind
from sammen.participation import rules as participation_rules
from sammen.participation.models import OpportunityChange
from sammen.participation.selectors import public_opportunities

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def event_data(**overrides):
    start = timezone.now() + timedelta(days=20)
    data = {
        "kind": Kind.CITIZEN_EVENT,
        "audience": Audience.PUBLIC,
        "title": "Borgermøde om Åboulevarden",
        "summary": "Kom og hør om planerne for Åboulevarden, og sig din mening.",
        "description": "Vi viser skitserne og lytter.",
        "series": None,
        "principle": principle(2),
        "venue": None,
        "location": "Nørrebrohallen, Bragesgade 5",
        "accessibility": "Niveaufri adgang.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "registration_opens_at": None,
        "registration_closes_at": None,
        "department": department("TMF"),
        "capacity": 60,
    }
    data.update(overrides)
    return data


@pytest.fixture
def published():
    """A public event of TMF, published to the catalogue by its organiser, a member of TMF."""
    organiser = UserFactory(departments=[department("TMF")])
    RoleAssignment.objects.create(
        user=organiser, role=Role.CONSULTANT, department=department("TMF")
    )
    event = services.event_create(by=organiser, data=event_data())
    return services.event_publish(event=event, by=organiser)


@pytest.fixture
def outside_coordinator():
    """A central coordinator who belongs to BUF, not to the event's department."""
    user = UserFactory(departments=[department("BUF")])
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    return user


def test_the_catalogue_rule_itself_stays_with_the_departments(published, outside_coordinator):
    """The premise: on the catalogue's own pages the coordinator may not write TMF's entry."""
    assert not participation_rules.can_edit_opportunity(outside_coordinator, published.opportunity)


def test_a_coordinator_outside_the_department_saves_a_public_event(published, outside_coordinator):
    saved = services.event_update(
        event=published,
        by=outside_coordinator,
        data=event_data(title="Borgermøde om Åboulevarden og Søerne", capacity=80),
    )
    assert (saved.title, saved.capacity) == ("Borgermøde om Åboulevarden og Søerne", 80)
    [entry] = public_opportunities().filter(event=saved)
    assert entry.title == "Borgermøde om Åboulevarden og Søerne"
    assert list(entry.departments.all()) == [department("TMF")]
    # The entry is written in the name of the event's organiser, who may write TMF's entries.
    change = OpportunityChange.objects.filter(opportunity=entry).latest("pk")
    assert change.action == OpportunityChange.Action.UPDATED
    assert change.by == published.organiser
    assert "title" in change.changes
    # The catalogue's own rule is unchanged.
    assert not participation_rules.can_edit_opportunity(outside_coordinator, entry)


def test_an_entry_is_not_moved_to_a_department_nobody_involved_belongs_to(
    published, outside_coordinator
):
    with pytest.raises(ValidationError) as refused:
        services.event_update(
            event=published, by=outside_coordinator, data=event_data(department=department("SOF"))
        )
    assert "department" in refused.value.error_dict
    published.refresh_from_db()
    assert published.department == department("TMF")
    assert list(published.opportunity.departments.all()) == [department("TMF")]


def test_a_member_of_the_department_who_does_not_organise_the_event_cannot_change_it(published):
    """Writing the catalogue entry is not organising the event: the events rule decides."""
    colleague = UserFactory(departments=[department("TMF")])
    assert participation_rules.can_edit_opportunity(colleague, published.opportunity)
    with pytest.raises(PermissionDenied):
        services.event_update(event=published, by=colleague, data=event_data(title="Andet"))
    assert Event.objects.get(pk=published.pk).title == "Borgermøde om Åboulevarden"


def test_saving_from_the_edit_page_works_for_the_coordinator(
    client, published, outside_coordinator
):
    verified_login(client, outside_coordinator)
    data = {
        name: ("" if value is None else getattr(value, "pk", value))
        for name, value in EventForm.initial_for(published).items()
    }
    for name in ("starts_at", "ends_at"):
        data[name] = timezone.localtime(getattr(published, name)).strftime("%Y-%m-%dT%H:%M")
    data["summary"] = "Kom og hør om de nye planer, og sig din mening."
    response = client.post(reverse("events_staff:edit", args=[published.pk]), data)
    assert response.status_code == 302
    event = Event.objects.get(pk=published.pk)
    assert event.summary == "Kom og hør om de nye planer, og sig din mening."
    assert event.opportunity.summary == event.summary


def test_creating_an_entry_for_another_department_is_still_refused(outside_coordinator):
    """The first publication makes a new catalogue entry in TMF's name: that stays with TMF."""
    event = services.event_create(by=outside_coordinator, data=event_data())
    with pytest.raises(ValidationError) as refused:
        services.event_publish(event=event, by=outside_coordinator)
    assert "department" in refused.value.error_dict
