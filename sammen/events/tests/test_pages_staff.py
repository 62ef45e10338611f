"""The staff pages of events: the list, the form, publishing, programme, stands and materials."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory, department
from sammen.events.models import Audience, Event, Kind, Material, ProgrammeItem, Speaker, Stand
from sammen.events.tests.factories import EventFactory, staff_registration
from sammen.participation.selectors import public_opportunities

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def english():
    """The pages in English (their msgids); the Danish texts are in the PO fragment."""
    with translation.override("en"):
        yield


def coordinator(*departments):
    user = UserFactory(departments=list(departments))
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    return user


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(**overrides) -> dict:
    start = timezone.now() + timedelta(days=30)
    data = {
        "kind": Kind.CITIZEN_EVENT,
        "audience": Audience.PUBLIC,
        "title": "Borgermøde om Sankt Hans Torv",
        "summary": "Hvad skal torvet bruges til?",
        "description": "",
        "location": "Nørrebro Bibliotek",
        "accessibility": "",
        "department": department("TMF").pk,
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=2)),
        "capacity": "40",
        "registration_opens_at": "",
        "registration_closes_at": "",
    }
    data.update(overrides)
    return data


def test_the_list_shows_my_events_and_all_for_coordinators(client):
    mine = EventFactory(title="Mit arrangement")
    other = EventFactory(title="En kollegas arrangement")
    verified_login(client, mine.organiser)
    page = client.get(reverse("events_staff:list")).content.decode()
    assert mine.title in page
    assert other.title not in page
    verified_login(client, coordinator())
    page = client.get(reverse("events_staff:list")).content.decode()
    assert mine.title in page and other.title in page


def test_the_staff_list_runs_the_same_queries_for_5_and_50_events(client):
    verified_login(client, coordinator())

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("events_staff:list")).status_code == 200
        return len(captured)

    for _ in range(5):
        staff_registration(EventFactory())
    few = count()
    for _ in range(45):
        staff_registration(EventFactory())
    assert count() == few


def test_creating_an_event_then_publishing_it_puts_it_on_fa_indflydelse(client):
    user = coordinator(department("TMF"))
    verified_login(client, user)
    response = client.post(reverse("events_staff:create"), form_data())
    event = Event.objects.get()
    assert response["Location"] == reverse("events_staff:edit", args=[event.pk])
    assert event.capacity == 40
    assert not public_opportunities().exists()

    client.post(reverse("events_staff:publish", args=[event.pk]))
    [opportunity] = public_opportunities()
    assert opportunity.participation_url.endswith(event.get_absolute_url())
    page = client.get(reverse("events_staff:edit", args=[event.pk])).content.decode()
    assert opportunity.get_absolute_url() in page


def test_a_bad_form_names_the_fields_and_keeps_what_was_typed(client):
    verified_login(client, coordinator(department("TMF")))
    start = timezone.now() + timedelta(days=30)
    response = client.post(
        reverse("events_staff:create"),
        form_data(
            ends_at=local(start - timedelta(hours=1)),
            registration_closes_at=local(start + timedelta(days=1)),
            starts_at=local(start),
        ),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_ends_at"' in body
    assert 'href="#id_registration_closes_at"' in body
    assert 'value="Borgermøde om Sankt Hans Torv"' in body
    assert not Event.objects.exists()


def test_lowering_the_capacity_below_the_seats_taken_is_refused_on_the_field(client):
    event = EventFactory(capacity=2)
    staff_registration(event)
    staff_registration(event)
    verified_login(client, event.organiser)
    data = form_data(
        audience=Audience.STAFF,
        kind=Kind.MORNING_MEETING,
        department="",
        starts_at=local(event.starts_at),
        ends_at=local(event.ends_at),
        capacity="1",
    )
    response = client.post(reverse("events_staff:edit", args=[event.pk]), data)
    assert response.status_code == 400
    assert 'href="#id_capacity"' in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 2
    assert event.title != data["title"]  # nothing half-saved


def test_the_programme_page_adds_items_and_speakers(client):
    event = EventFactory(
        starts_at=timezone.now().replace(second=0, microsecond=0) + timedelta(days=9)
    )
    verified_login(client, event.organiser)
    url = reverse("events_staff:programme", args=[event.pk])
    response = client.post(
        url,
        {
            "action": "speaker",
            "speaker-name": "Aisha Khan",
            "speaker-organisation": "Roskilde Universitet",
        },
    )
    assert response.status_code == 302
    speaker = Speaker.objects.get()
    response = client.post(
        url,
        {
            "action": "item",
            "item-title": "Velkomst",
            "item-starts_at": local(event.starts_at),
            "item-ends_at": local(event.starts_at + timedelta(minutes=15)),
            "item-room": "Festsalen",
            "item-speakers": [speaker.pk],
        },
    )
    assert response.status_code == 302
    item = ProgrammeItem.objects.get()
    assert list(item.speakers.all()) == [speaker]
    bad = client.post(
        url,
        {
            "action": "item",
            "item-title": "For sent",
            "item-starts_at": local(event.ends_at + timedelta(hours=1)),
            "item-ends_at": local(event.ends_at + timedelta(hours=2)),
        },
    )
    assert bad.status_code == 400
    assert 'value="For sent"' in bad.content.decode()
    assert ProgrammeItem.objects.count() == 1


def test_stands_are_requested_by_staff_and_given_unique_positions(client):
    conference = EventFactory(kind=Kind.CONFERENCE)
    requester = UserFactory(departments=[department("TMF")])
    verified_login(client, requester)
    for title in ("Borgerpanelet", "Bydelsplaner"):
        response = client.post(
            reverse("events_staff:stand_request", args=[conference.pk]),
            {"title": title, "description": "Kom forbi.", "department": department("TMF").pk},
        )
        assert response.status_code == 302
    first, second = Stand.objects.order_by("pk")

    verified_login(client, conference.organiser)
    url = reverse("events_staff:stands", args=[conference.pk])
    approve = {"stand": first.pk, f"stand{first.pk}-decision": "approve"}
    client.post(url, {**approve, f"stand{first.pk}-position": "A1"})
    taken = client.post(
        url,
        {
            "stand": second.pk,
            f"stand{second.pk}-decision": "approve",
            f"stand{second.pk}-position": "a1",
        },
    )
    assert taken.status_code == 400
    assert "A1 is already given to another stand" in taken.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.position) == (Stand.Status.APPROVED, "A1")
    assert second.status == Stand.Status.REQUESTED


def test_materials_are_uploaded_checked_and_downloadable_after_the_event(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory(
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
    )
    verified_login(client, event.organiser)
    url = reverse("events_staff:materials", args=[event.pk])
    refused = client.post(
        url, {"title": "Falsk", "file": SimpleUploadedFile("x.pdf", b"tekst, ikke pdf")}
    )
    assert refused.status_code == 400
    assert 'value="Falsk"' in refused.content.decode()
    client.post(url, {"title": "Slides", "file": SimpleUploadedFile("slides.pdf", PDF)})
    material = Material.objects.get()
    download = client.get(reverse("events:material_download", args=[event.slug, material.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
