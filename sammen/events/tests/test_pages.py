"""The public event pages: the list, an event with its programme, registration through the pages
(staff with one click, the public with the form, the confirmation link, the ticket, cancelling),
series and marketplace."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.testing import verified_login
from sammen.core.models import MailLog
from sammen.core.tests.factories import UserFactory, department, principle
from sammen.events import registration as registrations
from sammen.events.models import (
    Audience,
    Kind,
    Material,
    ProgrammeItem,
    Registration,
    Series,
    Speaker,
    Stand,
)
from sammen.events.tests.factories import EventFactory, public_registration, staff_registration
from sammen.knowledge.models import Kind as EntryKind
from sammen.knowledge.tests.factories import make_entry

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture(autouse=True)
def english():
    """The pages in English (their msgids), so the assertions do not wait for the Danish catalogue
    to be compiled; the Danish texts are in the PO fragment."""
    with translation.override("en"):
        yield


def public_event(**kwargs):
    kwargs.setdefault("audience", Audience.PUBLIC)
    kwargs.setdefault("kind", Kind.CITIZEN_EVENT)
    kwargs.setdefault("department", department("TMF"))
    return EventFactory(**kwargs)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def detail_url(event) -> str:
    return reverse("events:detail", args=[event.slug])


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_upcoming_public_events_and_past_ones_under_their_tab(client):
    coming = public_event(title="Borgermøde om Nørrebrogade")
    held = public_event(
        title="Borgermøde om Amagerbro",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
    )
    staff_only = EventFactory(title="Morgenbooster for personale")
    draft = public_event(title="Kladde til møde", is_published=False)

    upcoming_page = client.get(reverse("events:list")).content.decode()
    assert coming.title in upcoming_page
    assert held.title not in upcoming_page
    assert staff_only.title not in upcoming_page
    assert draft.title not in upcoming_page
    assert "80 seats left" in upcoming_page

    past_page = client.get(reverse("events:list") + "?tab=past").content.decode()
    assert held.title in past_page
    assert coming.title not in past_page


def test_staff_also_see_staff_events_in_the_list(client):
    staff_only = EventFactory(title="Morgenbooster for personale")
    verified_login(client, UserFactory())
    assert staff_only.title in client.get(reverse("events:list")).content.decode()


def test_the_list_runs_the_same_queries_for_5_and_50_events(client):
    for _ in range(5):
        staff_registration(public_event())
    few = queries(client, reverse("events:list"))
    for _ in range(45):
        staff_registration(public_event())
    assert queries(client, reverse("events:list")) == few


# --- an event ------------------------------------------------------------------------------------


def test_a_staff_event_is_a_404_for_the_public_and_shown_to_staff(client):
    event = EventFactory()
    assert client.get(detail_url(event)).status_code == 404
    verified_login(client, UserFactory())
    response = client.get(detail_url(event))
    assert response.status_code == 200
    assert "Register with one click" in response.content.decode()


def test_a_draft_is_a_404_except_for_its_organiser(client):
    event = public_event(is_published=False)
    assert client.get(detail_url(event)).status_code == 404
    verified_login(client, UserFactory())
    assert client.get(detail_url(event)).status_code == 404
    verified_login(client, event.organiser)
    assert client.get(detail_url(event)).status_code == 200


def test_the_page_shows_venue_accessibility_seats_and_window(client):
    event = public_event(
        accessibility="Niveaufri adgang og teleslynge.",
        capacity=2,
        registration_closes_at=timezone.now() + timedelta(days=10),
    )
    public_registration(event, 1)
    public_registration(event, 2)
    public_registration(event, 3)
    page = client.get(detail_url(event)).content.decode()
    assert "Niveaufri adgang og teleslynge." in page
    assert "Rådhuset, Festsalen" in page
    assert "1 on the waitlist" in page
    assert "Open until" in page
    assert "Join the waitlist" in page


def _programme(event, n: int, example) -> None:
    speaker = Speaker.objects.create(name="Aisha Khan", organisation="Roskilde Universitet")
    for i in range(n):
        item = ProgrammeItem.objects.create(
            event=event,
            title=f"Oplæg {i}",
            room=f"Lokale {i % 3}",
            starts_at=event.starts_at + timedelta(minutes=i),
            ends_at=event.starts_at + timedelta(minutes=i + 1),
        )
        item.speakers.add(speaker)
        item.examples.add(example)


def test_the_programme_shows_times_rooms_speakers_and_examples(client):
    event = public_event()
    example = make_entry(title="Dialog på Blågårds Plads", kind=EntryKind.EXAMPLE)
    _programme(event, 2, example)
    page = client.get(detail_url(event)).content.decode()
    start = timezone.localtime(event.starts_at).strftime("%H:%M")
    assert start in page
    assert "Lokale 1" in page
    assert "Aisha Khan (Roskilde Universitet)" in page
    assert "Dialog på Blågårds Plads" in page
    # The staff knowledge page is linked only for staff.
    assert example.get_absolute_url() not in page
    verified_login(client, UserFactory())
    assert example.get_absolute_url() in client.get(detail_url(event)).content.decode()


def test_an_event_page_runs_the_same_queries_for_5_and_50_programme_items(client):
    example = make_entry(title="Dialog på Blågårds Plads", kind=EntryKind.EXAMPLE)
    small, large = public_event(), public_event()
    _programme(small, 5, example)
    _programme(large, 50, example)
    assert queries(client, detail_url(small)) == queries(client, detail_url(large))
    verified_login(client, UserFactory())
    assert queries(client, detail_url(small)) == queries(client, detail_url(large))


def test_materials_are_shown_after_the_event(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = public_event()
    Material.objects.create(event=event, title="Slides fra mødet", url="https://example.org/s")
    assert "Slides fra mødet" not in client.get(detail_url(event)).content.decode()
    event.starts_at = timezone.now() - timedelta(days=1)
    event.ends_at = event.starts_at + timedelta(hours=2)
    event.save()
    assert "Slides fra mødet" in client.get(detail_url(event)).content.decode()


# --- registration --------------------------------------------------------------------------------


def test_staff_register_with_one_click_and_see_their_ticket_link(client):
    event = EventFactory(capacity=1)
    user = UserFactory()
    verified_login(client, user)
    response = client.post(reverse("events:register", args=[event.slug]), {"needs": "Vegetar"})
    assert response.status_code == 302
    mine = Registration.objects.get(event=event, user=user)
    assert mine.status == Status.CONFIRMED
    assert mine.needs == "Vegetar"
    assert MailLog.objects.filter(recipient=user.email, template="events.registered").exists()
    page = client.get(detail_url(event)).content.decode()
    assert reverse("events:ticket", args=[mine.token]) in page
    assert "You are registered" in page


def test_staff_registering_twice_see_the_services_message(client):
    event = EventFactory()
    user = UserFactory()
    verified_login(client, user)
    staff_registration(event)
    registrations.register_staff(event=event, user=user)
    # The page no longer offers the form; a second POST (say, from an old tab) is refused.
    response = client.post(reverse("events:register", args=[event.slug]), {"needs": ""})
    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    assert Registration.objects.filter(event=event, user=user).count() == 1


def test_the_public_journey_form_mail_confirm_ticket(client):
    event = public_event(capacity=5)
    response = client.post(
        reverse("events:register", args=[event.slug]),
        {"name": "Ida Nielsen", "email": "ida@example.org", "needs": "Kørestol"},
    )
    assert response.status_code == 302
    pending = Registration.objects.get(event=event)
    assert pending.status == Status.PENDING
    mail = MailLog.objects.get(recipient="ida@example.org")
    assert mail.template == "events.pending"
    assert "ida@example.org" not in response["Location"]

    confirm_url = reverse("events:confirm", args=[pending.token])
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert "Confirm my registration" in page.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING  # a GET (a mail scanner) changes nothing

    done = client.post(confirm_url)
    assert done.status_code == 200
    pending.refresh_from_db()
    assert pending.status == Status.CONFIRMED
    # Confirming again says the same and changes nothing.
    assert client.post(confirm_url).status_code == 200

    ticket = client.get(reverse("events:ticket", args=[pending.token]))
    body = ticket.content.decode()
    assert ticket.status_code == 200
    assert "<svg" in body
    assert pending.ticket_code in body
    assert ticket["Cache-Control"] == "private, no-store"
    assert ticket["Referrer-Policy"] == "same-origin"
    assert "noindex" in ticket["X-Robots-Tag"]


def test_bad_input_is_explained_and_what_was_typed_is_kept(client):
    event = public_event()
    response = client.post(
        reverse("events:register", args=[event.slug]),
        {"name": "Ida Nielsen", "email": "ida-at-example", "needs": "Glutenfri"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_email"' in body
    assert 'value="Ida Nielsen"' in body
    assert "Glutenfri" in body
    assert not Registration.objects.exists()


def test_the_same_address_twice_is_refused_on_the_email_field(client):
    event = public_event()
    public_registration(event, email="ida@example.org")
    response = client.post(
        reverse("events:register", args=[event.slug]),
        {"name": "Ida", "email": "IDA@example.org", "needs": ""},
    )
    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_registration_after_the_window_is_refused_with_the_reason(client):
    event = public_event(registration_closes_at=timezone.now() - timedelta(hours=1))
    response = client.post(
        reverse("events:register", args=[event.slug]),
        {"name": "Ida", "email": "ida@example.org", "needs": ""},
    )
    assert response.status_code == 400
    assert "has closed" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_honeypot_and_the_rate_limit_stop_floods(client):
    event = public_event()
    url = reverse("events:register", args=[event.slug])
    bot = client.post(url, {"name": "Bot", "email": "bot@example.org", "website": "spam"})
    assert bot.status_code == 400
    assert not Registration.objects.exists()
    for _attempt in range(3):
        Registration.objects.all().delete()
        client.post(url, {"name": "Ida", "email": "ida@example.org", "needs": ""})
    Registration.objects.all().delete()
    flood = client.post(url, {"name": "Ida", "email": "ida@example.org", "needs": ""})
    assert flood.status_code == 429
    assert not Registration.objects.exists()


def test_the_public_cannot_register_for_a_staff_event(client):
    event = EventFactory()
    response = client.post(
        reverse("events:register", args=[event.slug]),
        {"name": "Ida", "email": "ida@example.org", "needs": ""},
    )
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_cancelling_by_the_link_promotes_the_waitlist_and_twice_is_refused(client):
    event = public_event(capacity=1)
    seated = public_registration(event, 1)
    waiting = public_registration(event, 2)
    url = reverse("events:cancel", args=[seated.token])

    explain = client.get(url)
    assert explain.status_code == 200
    assert "Cancel my registration" in explain.content.decode()
    seated.refresh_from_db()
    assert seated.status == Status.CONFIRMED

    assert client.post(url).status_code == 200
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.status == Status.CANCELLED
    assert waiting.status == Status.CONFIRMED

    again = client.post(url)
    assert again.status_code == 400
    assert "already been cancelled" in again.content.decode()
    assert "already been cancelled" in client.get(url).content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


@pytest.mark.parametrize("name", ["events:confirm", "events:cancel", "events:ticket"])
def test_an_unknown_token_is_a_404_page(client, name):
    response = client.get(reverse(name, args=["ikke-et-token"]))
    assert response.status_code == 404
    assert "Link not valid" in response.content.decode()


# --- series and marketplace ----------------------------------------------------------------------


def test_the_series_page_shows_which_principles_are_covered_and_when(client):
    series = Series.objects.create(
        title="Morgenboostere", slug="morgenboostere", kind=Kind.MORNING_MEETING
    )
    held = EventFactory(
        series=series,
        principle=principle(1),
        title="Morgenbooster om kerneopgaven",
        starts_at=timezone.now() - timedelta(days=60),
        ends_at=timezone.now() - timedelta(days=60) + timedelta(hours=2),
    )
    EventFactory(series=series, principle=principle(2), title="Morgenbooster om tidlig dialog")
    url = reverse("events:series", args=[series.slug])
    assert client.get(url).status_code == 404  # staff-only editions: nothing for the public
    verified_login(client, UserFactory())
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "covered 1 of the five principles" in body
    assert held.title in body
    assert body.count("Not yet") == 4


def test_the_marketplace_lists_approved_stands_by_position(client):
    event = public_event(kind=Kind.CONFERENCE)
    requester = UserFactory()
    for title, status, position in [
        ("Bydelsplaner", Stand.Status.APPROVED, "B2"),
        ("Borgerpanelet", Stand.Status.APPROVED, "A1"),
        ("Ikke godkendt endnu", Stand.Status.REQUESTED, ""),
    ]:
        Stand.objects.create(
            event=event,
            title=title,
            description="Kom forbi.",
            department=department("TMF"),
            requested_by=requester,
            status=status,
            position=position,
        )
    body = client.get(reverse("events:marketplace", args=[event.slug])).content.decode()
    assert body.index("Borgerpanelet") < body.index("Bydelsplaner")
    assert "Ikke godkendt endnu" not in body
    other = public_event()
    assert client.get(reverse("events:marketplace", args=[other.slug])).status_code == 404
