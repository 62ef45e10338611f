"""The organiser's registrations page and CSV, cancelling on someone's behalf, and the check-in
desk: what they show, what they refuse, who may use them and what they cost in queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.core.models import MailLog
from sammen.core.tests.factories import UserFactory, department
from sammen.events import registration as services
from sammen.events.models import Audience, Registration
from sammen.events.tests.factories import EventFactory, public_registration
from sammen.events.views_attendance import _safe_cell

pytestmark = pytest.mark.django_db
Status = Registration.Status


@pytest.fixture(autouse=True)
def english():
    """Assertions on English text: the Danish catalogue is merged from the PO fragment later."""
    with translation.override("en"):
        yield


@pytest.fixture
def organiser():
    return UserFactory(first_name="Olga", departments=[department("KFF")])


@pytest.fixture
def event(organiser):
    return EventFactory(organiser=organiser, capacity=3, title="Morgenbooster om tidlig dialog")


@pytest.fixture
def desk(organiser) -> Client:
    return verified_login(Client(), organiser)


def seat(event, *, first_name="Mette", abbreviation="TMF", needs=""):
    user = UserFactory(first_name=first_name, departments=[department(abbreviation)])
    return services.register_staff(event=event, user=user, needs=needs)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Registrations ---------------------------------------------------------------------------


def test_the_page_counts_seats_and_statuses_and_lists_everyone_with_needs(desk, event):
    first = seat(event, first_name="Anna", needs="Vegetar")
    seat(event, first_name="Bo", abbreviation="KFF")
    seat(event, first_name="Carl")
    waiting = seat(event, first_name="Dina")
    cancelled = seat(event, first_name="Erik")  # second on the waitlist
    services.cancel(registration=cancelled)
    services.check_in(registration=first, by=event.organiser)

    response = desk.get(reverse("events_staff:registrations", args=[event.pk]))

    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts["confirmed"], counts["waitlisted"], counts["cancelled"]) == (3, 1, 1)
    assert counts["checked_in"] == 1
    per_department = {
        row["department"].abbreviation if row["department"] else None: row
        for row in response.context["per_department"]
    }
    assert per_department["TMF"]["confirmed"] == 2
    assert per_department["TMF"]["waitlisted"] == 1
    assert per_department["TMF"]["checked_in"] == 1
    assert per_department["KFF"]["confirmed"] == 1
    rows = response.context["rows"]
    assert [r.status for r in rows] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.CANCELLED,
    ]
    assert rows[3].pk == waiting.pk and rows[3].waitlist_position == 1
    content = response.content.decode()
    assert "Vegetar" in content
    assert waiting.email in content
    assert reverse("events_staff:registrations_csv", args=[event.pk]) in content


def test_public_registrations_are_counted_without_a_department(desk, organiser):
    event = EventFactory(organiser=organiser, audience=Audience.PUBLIC)
    public_registration(event, 1)
    response = desk.get(reverse("events_staff:registrations", args=[event.pk]))
    assert response.context["per_department"] == [
        {"department": None, "confirmed": 1, "waitlisted": 0, "pending": 0, "checked_in": 0}
    ]
    assert "No department (the public)" in response.content.decode()


def test_after_the_erasure_the_page_says_the_needs_are_gone(desk, event):
    seat(event, needs="Glutenfri")
    later = event.ends_at + timedelta(hours=1)
    services.erase_needs_after_events(now=later)
    response = desk.get(reverse("events_staff:registrations", args=[event.pk]))
    content = response.content.decode()
    assert "Glutenfri" not in content
    assert "were deleted on" in content


def test_the_registrations_page_costs_the_same_queries_for_5_and_50(desk, organiser):
    def queries(n: int) -> int:
        event = EventFactory(organiser=organiser, capacity=None)
        for i in range(n):
            seat(event, abbreviation=("TMF", "KFF", "BUF")[i % 3])
        with CaptureQueriesContext(connection) as context:
            response = desk.get(reverse("events_staff:registrations", args=[event.pk]))
        assert response.status_code == 200
        assert len(response.context["rows"]) == n
        return len(context)

    assert queries(5) == queries(50)


# --- CSV -------------------------------------------------------------------------------------


def test_the_csv_is_utf8_with_bom_semicolons_and_a_header_for_danish_excel(desk, event):
    registration = seat(event, first_name="Søren", needs="Kørestol; ingen trapper")
    services.check_in(registration=registration, by=event.organiser)

    response = desk.get(reverse("events_staff:registrations_csv", args=[event.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="tilmeldinger-{event.pk}.csv"'
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Name",
        "E-mail",
        "Department",
        "Status",
        "Registered",
        "Checked in",
        "Needs",
    ]
    name, email, dept, status, registered, checked_in, needs = rows[1]
    assert name == registration.name and name.startswith("Søren")
    assert email == registration.email
    assert dept == department("TMF").name
    assert status == "Registered"
    assert registered == timezone.localtime(registration.created_at).strftime("%d.%m.%Y %H:%M")
    assert checked_in != ""
    assert needs == "Kørestol; ingen trapper"


def test_the_csv_guards_against_formula_injection(desk, event):
    services.register_staff(
        event=event,
        user=UserFactory(first_name='=HYPERLINK("http://x")', last_name="A"),
        needs="@SUM(1+1)",
    )
    services.register_staff(
        event=event, user=UserFactory(first_name="+45 1234", last_name="B"), needs="-2+3"
    )
    response = desk.get(reverse("events_staff:registrations_csv", args=[event.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == '\'=HYPERLINK("http://x") A'
    assert rows[1][6] == "'@SUM(1+1)"
    assert rows[2][0] == "'+45 1234 B"
    assert rows[2][6] == "'-2+3"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("Anna", "Anna"),
        ("a=b", "a=b"),
        (None, ""),
    ],
)
def test_safe_cell(value, expected):
    assert _safe_cell(value) == expected


# --- Cancelling on someone's behalf ----------------------------------------------------------


def test_the_organiser_cancels_for_someone_and_the_waitlist_moves_up(desk, event):
    seated = seat(event)
    seat(event)
    seat(event)
    waiting = seat(event)
    url = reverse("events_staff:registration_cancel", args=[event.pk, seated.pk])

    page = desk.get(url)
    assert page.status_code == 200
    assert seated.name in page.content.decode()
    seated.refresh_from_db()
    assert seated.status == Status.CONFIRMED  # asking changes nothing

    response = desk.post(url)
    assert response.status_code == 302
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.status == Status.CANCELLED
    assert waiting.status == Status.CONFIRMED
    assert MailLog.objects.filter(recipient=seated.email, template="events.cancelled").exists()
    assert MailLog.objects.filter(recipient=waiting.email, template="events.promoted").exists()

    again = desk.post(url, follow=True)
    assert "already been cancelled" in " ".join(messages_of(again))


def test_a_registration_of_another_event_cannot_be_cancelled_here(desk, event, organiser):
    other = seat(EventFactory(organiser=organiser))
    response = desk.post(reverse("events_staff:registration_cancel", args=[event.pk, other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Status.CONFIRMED


# --- Check-in --------------------------------------------------------------------------------


def test_search_by_name_lists_matches_with_a_check_in_button(desk, event):
    anna = seat(event, first_name="Anna Marie")
    seat(event, first_name="Bo")
    seat(event, first_name="Carl")
    waiting_anna = seat(event, first_name="Annabel")

    response = desk.get(reverse("events_staff:checkin", args=[event.pk]), {"q": "anna"})

    assert response.status_code == 200
    results = response.context["results"]
    assert {r.pk for r in results} == {anna.pk, waiting_anna.pk}
    content = response.content.decode()
    assert f'name="registration" value="{anna.pk}"' in content
    # On the waitlist: shown with the status, no button.
    assert f'name="registration" value="{waiting_anna.pk}"' not in content
    assert "On the waitlist" in content
    assert "0 of 3 checked in" in content


def test_search_with_every_word_and_nothing_found(desk, event):
    seat(event, first_name="Anna Marie")
    response = desk.get(reverse("events_staff:checkin", args=[event.pk]), {"q": "anna  jensen"})
    assert len(response.context["results"]) == 1
    response = desk.get(reverse("events_staff:checkin", args=[event.pk]), {"q": "Zacharias"})
    assert response.context["results"] == []
    assert "Nobody registered for this event has that name" in response.content.decode()


def test_an_empty_search_asks_for_a_name(desk, event):
    seat(event)
    response = desk.get(reverse("events_staff:checkin", args=[event.pk]), {"q": "  "})
    assert response.status_code == 200
    assert response.context["results"] == []
    assert "Type a name to search for." in response.content.decode()
    # Back from a check-in (no query at all): no error.
    page = desk.get(reverse("events_staff:checkin", args=[event.pk]))
    assert "Type a name to search for." not in page.content.decode()


def test_check_in_is_one_post_and_a_redirect_with_the_name_and_the_count(desk, event, organiser):
    anna = seat(event, first_name="Anna")
    seat(event)

    response = desk.post(
        reverse("events_staff:checkin", args=[event.pk]), {"registration": anna.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("events_staff:checkin", args=[event.pk])
    anna.refresh_from_db()
    assert anna.checked_in_at is not None
    assert anna.checked_in_by == organiser
    assert messages_of(response) == [f"{anna.name} is checked in. 1 of 2 checked in."]


def test_checking_in_twice_says_when_and_changes_nothing(desk, event):
    anna = seat(event)
    url = reverse("events_staff:checkin", args=[event.pk])
    desk.post(url, {"registration": anna.pk})
    anna.refresh_from_db()
    first = anna.checked_in_at

    response = desk.post(url, {"registration": anna.pk})

    anna.refresh_from_db()
    assert anna.checked_in_at == first
    message = messages_of(response)[-1]  # the first check-in's message was never shown
    assert "was already checked in" in message
    assert timezone.localtime(first).strftime("%H:%M") in message


def test_someone_on_the_waitlist_is_refused_at_the_desk(desk, event):
    for _ in range(3):
        seat(event)
    waiting = seat(event)
    response = desk.post(
        reverse("events_staff:checkin", args=[event.pk]), {"registration": waiting.pk}
    )
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None
    (message,) = messages_of(response)
    assert waiting.name in message and "On the waitlist" in message


def test_the_ticket_code_checks_in_typed_in_lower_case_with_spaces(desk, event):
    anna = seat(event)
    code = anna.ticket_code.lower()
    response = desk.post(
        reverse("events_staff:checkin_code", args=[event.pk]), {"code": f" {code[:4]} {code[4:]} "}
    )
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.checked_in_at is not None


def test_an_unknown_code_is_shown_on_the_form_with_what_was_typed(desk, event):
    seat(event)
    response = desk.post(
        reverse("events_staff:checkin_code", args=[event.pk]), {"code": "ZZZZ2222"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "No ticket has the code ZZZZ2222" in content
    assert 'value="ZZZZ2222"' in content
    assert 'aria-invalid="true"' in content
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_a_ticket_for_another_event_is_refused_and_named(desk, event, organiser):
    other_event = EventFactory(organiser=organiser, title="Netværksmøde om borgerbudgetter")
    other = seat(other_event)
    response = desk.post(
        reverse("events_staff:checkin_code", args=[event.pk]), {"code": other.ticket_code}
    )
    assert response.status_code == 200
    assert "Netværksmøde om borgerbudgetter" in response.content.decode()
    other.refresh_from_db()
    assert other.checked_in_at is None


def test_an_empty_code_is_refused_with_the_field_named(desk, event):
    response = desk.post(reverse("events_staff:checkin_code", args=[event.pk]), {"code": ""})
    assert response.status_code == 200
    assert 'href="#id_code"' in response.content.decode()


def test_undo_check_in(desk, event):
    anna = seat(event)
    services.check_in(registration=anna, by=event.organiser)
    page = desk.get(reverse("events_staff:checkin", args=[event.pk]))
    assert anna.name in page.content.decode()
    assert "1 of 1 checked in" in page.content.decode()

    response = desk.post(
        reverse("events_staff:checkin_undo", args=[event.pk]), {"registration": anna.pk}
    )

    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.checked_in_at is None and anna.checked_in_by is None
    assert "0 of 1 checked in" in messages_of(response)[0]


def test_the_desk_cannot_check_in_someone_of_another_event(desk, event, organiser):
    other = seat(EventFactory(organiser=organiser))
    for name in ("events_staff:checkin", "events_staff:checkin_undo"):
        response = desk.post(reverse(name, args=[event.pk]), {"registration": other.pk})
        assert response.status_code == 404
    for junk in ({}, {"registration": "abc"}, {"registration": "-1"}):
        assert desk.post(reverse("events_staff:checkin", args=[event.pk]), junk).status_code == 404
    other.refresh_from_db()
    assert other.checked_in_at is None


def test_the_scanner_is_progressive_enhancement(desk, event):
    content = desk.get(reverse("events_staff:checkin", args=[event.pk])).content.decode()
    assert "data-checkin-scanner hidden" in content
    assert 'src="/static/events/checkin.js" defer' in content
    # Without JavaScript the code field and the search still work: plain forms.
    assert f'action="{reverse("events_staff:checkin_code", args=[event.pk])}"' in content
    assert 'method="get"' in content


def test_the_check_in_page_costs_the_same_queries_for_5_and_50(desk, organiser):
    def queries(n: int) -> int:
        event = EventFactory(organiser=organiser, capacity=None)
        for i in range(n):
            registration = seat(event, first_name=f"Hanne {i}")
            if i % 2:
                services.check_in(registration=registration, by=organiser)
        with CaptureQueriesContext(connection) as context:
            response = desk.get(reverse("events_staff:checkin", args=[event.pk]), {"q": "hanne"})
        assert response.context["results"]
        return len(context)

    assert queries(5) == queries(50)


# --- Permissions -----------------------------------------------------------------------------


def _client(persona: str, event) -> Client:
    client = Client()
    if persona == "anonymous":
        return client
    if persona == "organiser":
        return verified_login(client, event.organiser)
    user = UserFactory(departments=[department("TMF")])
    if persona == "coordinator":
        RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    if persona == "consultant":
        RoleAssignment.objects.create(user=user, role=Role.CONSULTANT, department=department("TMF"))
    if persona == "password_only":
        client.force_login(user)
        return client
    return verified_login(client, user)


ORGANISER_PAGES = [
    ("events_staff:registrations", "get"),
    ("events_staff:registrations_csv", "get"),
    ("events_staff:registration_cancel", "get"),
    ("events_staff:registration_cancel", "post"),
    ("events_staff:checkin", "get"),
    ("events_staff:checkin", "post"),
    ("events_staff:checkin_code", "post"),
    ("events_staff:checkin_undo", "post"),
    ("events_staff:feedback_summary", "get"),
]
EXPECTED = {
    "anonymous": "login",
    "password_only": "verify",
    "staff": 403,
    "consultant": 403,
    "organiser": "ok",
    "coordinator": "ok",
}


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize(("name", "method"), ORGANISER_PAGES)
def test_only_the_organiser_and_coordinators_use_the_attendance_pages(name, method, persona):
    event = EventFactory()
    registration = seat(event)
    args = [event.pk, registration.pk] if name == "events_staff:registration_cancel" else [event.pk]
    data = {"registration": registration.pk, "code": registration.ticket_code}
    client = _client(persona, event)

    response = getattr(client, method)(reverse(name, args=args), data if method == "post" else {})

    expected = EXPECTED[persona]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif expected == "verify":
        assert response.status_code == 302 and reverse("accounts:verify") in response["Location"]
    elif expected == "ok":
        assert response.status_code in (200, 302)
        assert not response.get("Location", "").startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected
    registration.refresh_from_db()
    if expected != "ok":
        assert registration.checked_in_at is None
        assert registration.status == Status.CONFIRMED


def test_the_pages_of_an_unknown_event_are_404(desk):
    for name in ("events_staff:registrations", "events_staff:checkin"):
        assert desk.get(reverse(name, args=[999999])).status_code == 404
