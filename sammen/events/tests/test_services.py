"""Services of events: dates, capacity through the registration rules, the one catalogue entry on
Få indflydelse, the programme, stands with positions, and materials checked by their content."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.core.tests.factories import UserFactory, department, principle
from sammen.events import services
from sammen.events.models import Audience, Event, Kind, Material, Registration, Stand
from sammen.events.tests.factories import EventFactory, staff_registration
from sammen.participation.models import Opportunity, OpportunityChange
from sammen.participation.search import search_opportunities
from sammen.participation.selectors import public_opportunities

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals are matched in English here; the Danish catalogue has its own test."""
    with translation.override("en"):
        yield


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def coordinator(*departments):
    user = UserFactory(departments=list(departments))
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    return user


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


def in_catalogue(event: Event) -> list[Opportunity]:
    return list(public_opportunities().filter(event=event))


# --- events and dates ----------------------------------------------------------------------------


def test_a_new_event_is_a_draft_with_a_unique_danish_slug():
    user = coordinator(department("TMF"))
    first = services.event_create(by=user, data=event_data())
    second = services.event_create(by=user, data=event_data())
    assert (first.slug, second.slug) == (
        "borgermoede-om-aaboulevarden",
        "borgermoede-om-aaboulevarden-2",
    )
    assert not first.is_published
    assert first.organiser == user
    assert first.opportunity is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": timezone.now() + timedelta(days=19)}, "ends_at"),
        ({"registration_closes_at": timezone.now() + timedelta(days=21)}, "registration_closes_at"),
        ({"registration_opens_at": timezone.now() + timedelta(days=25)}, "registration_opens_at"),
        ({"location": "", "venue": None}, "location"),
        ({"department": None}, "department"),
    ],
)
def test_bad_events_are_refused_naming_the_field_and_nothing_is_saved(overrides, field):
    with pytest.raises(ValidationError) as refused:
        services.event_create(by=coordinator(department("TMF")), data=event_data(**overrides))
    assert field in refused.value.error_dict
    assert not Event.objects.exists()


def test_only_those_who_may_create_events_can_create_them():
    with pytest.raises(PermissionDenied):
        services.event_create(by=UserFactory(), data=event_data())


def test_fewer_seats_than_are_taken_is_refused_and_more_seats_promote_the_waitlist():
    event = EventFactory(capacity=1)
    staff_registration(event)
    waiting = staff_registration(event)
    organiser = event.organiser
    data = event_data(audience=Audience.STAFF, kind=Kind.MORNING_MEETING, department=None)
    data["starts_at"], data["ends_at"] = event.starts_at, event.ends_at

    with pytest.raises(ValidationError) as refused:
        services.event_update(event=event, by=organiser, data={**data, "capacity": 0})
    assert "capacity" in refused.value.error_dict

    services.event_update(event=event, by=organiser, data={**data, "capacity": 2})
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


# --- Få indflydelse ------------------------------------------------------------------------------


def test_a_public_published_event_appears_in_the_catalogue_exactly_once():
    user = coordinator(department("TMF"))
    event = services.event_create(by=user, data=event_data())
    assert in_catalogue(event) == []

    event = services.event_publish(event=event, by=user)
    services.event_publish(event=event, by=user)  # a double click
    services.event_update(
        event=event, by=user, data=event_data(title="Borgermøde om Åboulevarden og Søerne")
    )

    [opportunity] = in_catalogue(event)
    assert Opportunity.objects.count() == 1
    assert opportunity.channel.slug == "borgermoede"
    assert opportunity.title == "Borgermøde om Åboulevarden og Søerne"
    assert opportunity.participation_url.endswith(event.get_absolute_url())
    assert list(opportunity.departments.all()) == [department("TMF")]
    assert list(opportunity.principles.all()) == [principle(2)]
    # The organiser is the catalogue's contact for the event.
    assert (opportunity.contact_name, opportunity.contact_email) == (
        user.get_full_name(),
        user.email,
    )
    event.refresh_from_db()
    assert (opportunity.start_at, opportunity.end_at) == (event.starts_at, event.ends_at)
    # Searchable like any opportunity, and its history says who did it.
    assert list(
        search_opportunities(public_opportunities(), "åboulevarden", rank=False, then=["pk"])
    ) == [opportunity]
    assert set(OpportunityChange.objects.values_list("action", flat=True)) == {
        "created",
        "published",
        "updated",
    }
    assert set(OpportunityChange.objects.values_list("by", flat=True)) == {user.pk}


def test_the_catalogue_entry_lies_in_the_district_of_its_venue():
    from sammen.core.models import Venue

    user = coordinator(department("TMF"))
    hall = Venue.objects.filter(district__isnull=False).select_related("district").first()
    event = services.event_create(by=user, data=event_data(venue=hall, location=""))
    event = services.event_publish(event=event, by=user)
    assert list(event.opportunity.districts.all()) == [hall.district]
    # A place typed by hand says nothing of the district: the entry is for the whole city.
    services.event_update(event=event, by=user, data=event_data())
    event.refresh_from_db()
    assert list(event.opportunity.districts.all()) == []


def test_a_lab_is_shown_as_a_workshop():
    user = coordinator(department("TMF"))
    event = services.event_create(by=user, data=event_data(kind=Kind.SOLUTION_LAB))
    event = services.event_publish(event=event, by=user)
    assert event.opportunity.channel.slug == "workshop"


def test_a_staff_event_never_appears_in_the_catalogue():
    user = coordinator(department("TMF"))
    event = services.event_create(
        by=user, data=event_data(audience=Audience.STAFF, kind=Kind.MORNING_MEETING)
    )
    services.event_publish(event=event, by=user)
    assert not Opportunity.objects.exists()


def test_unpublishing_cancelling_or_making_it_staff_only_withdraws_the_entry():
    user = coordinator(department("TMF"))
    event = services.event_publish(event=services.event_create(by=user, data=event_data()), by=user)
    services.event_unpublish(event=event, by=user)
    assert in_catalogue(event) == []
    event = services.event_publish(event=event, by=user)
    assert len(in_catalogue(event)) == 1

    services.event_update(event=event, by=user, data=event_data(audience=Audience.STAFF))
    assert in_catalogue(event) == []
    services.event_update(event=event, by=user, data=event_data())
    assert len(in_catalogue(event)) == 1

    services.event_cancel(event=event, by=user)
    assert in_catalogue(event) == []
    assert Opportunity.objects.count() == 1
    with pytest.raises(ValidationError, match="already been cancelled"):
        services.event_cancel(event=event, by=user)


def test_publishing_a_public_event_of_another_department_is_refused_clearly_and_changes_nothing():
    user = coordinator(department("BUF"))
    event = services.event_create(by=user, data=event_data())  # TMF's event
    with pytest.raises(ValidationError) as refused:
        services.event_publish(event=event, by=user)
    assert "department" in refused.value.error_dict
    event.refresh_from_db()
    assert not event.is_published
    assert not Opportunity.objects.exists()


# --- programme -----------------------------------------------------------------------------------


def test_a_programme_item_must_lie_within_the_event():
    event = EventFactory()
    data = {
        "title": "Velkomst",
        "description": "",
        "room": "Festsalen",
        "starts_at": event.starts_at - timedelta(minutes=30),
        "ends_at": event.starts_at + timedelta(minutes=10),
        "speakers": [],
        "examples": [],
    }
    with pytest.raises(ValidationError) as refused:
        services.programme_item_save(event=event, by=event.organiser, data=data)
    assert "starts_at" in refused.value.error_dict
    data["starts_at"] = event.starts_at
    speaker = services.speaker_create(by=event.organiser, event=event, data={"name": "Aisha Khan"})
    item = services.programme_item_save(
        event=event, by=event.organiser, data={**data, "speakers": [speaker]}
    )
    assert list(item.speakers.all()) == [speaker]


def test_only_organisers_change_the_programme():
    event = EventFactory()
    data = {"title": "Velkomst", "starts_at": event.starts_at, "ends_at": event.ends_at}
    with pytest.raises(PermissionDenied):
        services.programme_item_save(event=event, by=UserFactory(), data=data)


# --- stands --------------------------------------------------------------------------------------


def _stand(event, title="Borgerpanelet", by=None):
    by = by or UserFactory(departments=[department("TMF")])
    return services.stand_request(
        event=event,
        by=by,
        data={"title": title, "description": "Mød panelet.", "department": department("TMF")},
    )


def test_stands_are_requested_for_ones_own_department_and_only_at_conferences():
    conference = EventFactory(kind=Kind.CONFERENCE)
    stand = _stand(conference)
    assert stand.status == Stand.Status.REQUESTED
    with pytest.raises(ValidationError, match="own departments"):
        _stand(conference, by=UserFactory(departments=[department("BUF")]))
    with pytest.raises(ValidationError, match="conference"):
        _stand(EventFactory())


def test_a_position_is_given_once_and_a_second_stand_there_is_refused_clearly():
    conference = EventFactory(kind=Kind.CONFERENCE)
    first, second = _stand(conference), _stand(conference, "Bydelsplaner")
    services.stand_approve(stand=first, by=conference.organiser, position="a3")
    first.refresh_from_db()
    assert (first.status, first.position) == (Stand.Status.APPROVED, "A3")
    with pytest.raises(ValidationError, match="A3 is already given"):
        services.stand_approve(stand=second, by=conference.organiser, position="A3")
    second.refresh_from_db()
    assert second.status == Stand.Status.REQUESTED
    services.stand_decline(stand=first, by=conference.organiser, note="Pladsen bruges til kaffe.")
    services.stand_approve(stand=second, by=conference.organiser, position="A3")


# --- materials -----------------------------------------------------------------------------------


def test_materials_are_checked_by_their_content(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory()
    material = services.material_add(
        event=event,
        by=event.organiser,
        title="Slides",
        upload=SimpleUploadedFile("slides.exe", PDF, content_type="application/x-msdownload"),
    )
    assert material.content_type == "application/pdf"
    assert material.file.name.endswith(".pdf")
    with pytest.raises(ValidationError) as refused:
        services.material_add(
            event=event,
            by=event.organiser,
            title="Falsk",
            upload=SimpleUploadedFile("falsk.pdf", b"Bare tekst, ikke en PDF."),
        )
    assert "file" in refused.value.error_dict
    assert Material.objects.count() == 1
    stored = [path for path in (tmp_path / "events").rglob("*") if path.is_file()]
    assert len(stored) == 1  # the refused file left nothing behind
