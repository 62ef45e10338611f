"""Staff pages: permissions as a matrix, the publishing flow, validation, history, query counts."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory, department, district, topic
from sammen.participation.models import Opportunity, OpportunityChange, OpportunityStatus
from sammen.participation.selectors import public_opportunities
from sammen.participation.tests.factories import OpportunityFactory, channel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def danish():
    """Staff pages in Danish, the default: a request under /en/ leaves English active in the thread."""
    with translation.override("da"):
        yield


def url(name: str, **kwargs) -> str:
    return reverse(f"participation_staff:{name}", kwargs=kwargs)


@pytest.fixture
def tmf_staff():
    return UserFactory(departments=[department("TMF")])


@pytest.fixture
def tmf_client(client, tmf_staff):
    verified_login(client, tmf_staff)
    return client


def _closed(**kwargs) -> Opportunity:
    now = timezone.now()
    return OpportunityFactory(
        start_at=now - timedelta(days=30), deadline=now - timedelta(days=1), **kwargs
    )


def _form_data(**overrides) -> dict:
    data = {
        "channel": channel("borgermoede").pk,
        "title": "Borgermøde om Åboulevarden",
        "summary": "Kom og hør om planerne for Åboulevarden, og sig din mening.",
        "body": "Vi fortæller om planerne.\n\nDerefter taler vi sammen.",
        "language": "da",
        "departments": [department("TMF").pk],
        "districts": [district(3).pk],
        "topics": [topic().pk],
        "start_at": "2030-06-01T17:00",
        "end_at": "2030-06-01T19:00",
        "deadline": "",
        "venue": "",
        "location": "Nørrebrohallen, Bragesgade 5",
        "online_url": "",
        "accessibility": "Der er niveaufri adgang og teleslynge.",
        "participation_url": "",
        "contact_name": "Mette Jensen",
        "contact_email": "mette@tmf.kk.dk",
        "contact_phone": "",
    }
    data.update(overrides)
    return data


def _row_counts() -> tuple[int, ...]:
    return (
        Opportunity.objects.count(),
        OpportunityChange.objects.count(),
        Opportunity.departments.through.objects.count(),
        Opportunity.districts.through.objects.count(),
        Opportunity.topics.through.objects.count(),
    )


# --- Permissions: anonymous, staff of the department, staff of another, superuser -------------

PERSONAS = {
    "anonymous": None,
    "same_department": "TMF",
    "other_department": "KFF",
    "superuser": "superuser",
}
# Another department's opportunity is a 404: staff cannot learn which ids exist elsewhere.
EXPECTED = {
    "anonymous": "login",
    "same_department": "ok",
    "other_department": 404,
    "superuser": "ok",
}


def _client_for(persona: str) -> Client:
    client = Client()
    who = PERSONAS[persona]
    if who == "superuser":
        verified_login(client, UserFactory(is_superuser=True))
    elif who:
        verified_login(client, UserFactory(departments=[department(who)]))
    return client


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("opportunity_edit", "get"),
        ("opportunity_preview", "get"),
        ("opportunity_outcome", "get"),
        ("opportunity_publish", "post"),
        ("opportunity_unpublish", "post"),
    ],
)
def test_permission_matrix_for_one_opportunity(persona, name, method):
    opportunity = OpportunityFactory(departments=[department("TMF")])
    response = getattr(_client_for(persona), method)(url(name, pk=opportunity.pk))
    expected = EXPECTED[persona]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif expected == "ok":
        assert response.status_code == (200 if method == "get" else 302)
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix_for_the_dashboard(persona):
    opportunity = OpportunityFactory(title="Trafikhøring på Nørrebro")
    response = _client_for(persona).get(url("dashboard"))
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        return
    assert response.status_code == 200
    sees = opportunity.title in response.content.decode()
    assert sees is (EXPECTED[persona] == "ok")


def test_a_missing_opportunity_is_the_same_404_as_another_departments(tmf_client):
    assert tmf_client.get(url("opportunity_edit", pk=999999)).status_code == 404


def test_a_user_without_a_department_cannot_create(client):
    verified_login(client, UserFactory())
    assert client.get(url("opportunity_create")).status_code == 403
    response = client.get(url("dashboard"))
    assert "Du er endnu ikke medlem af en forvaltning" in response.content.decode()


def test_publishing_needs_post(tmf_client):
    opportunity = OpportunityFactory(is_published=False, published_at=None)
    response = tmf_client.get(url("opportunity_publish", pk=opportunity.pk))
    assert response.status_code == 405
    opportunity.refresh_from_db()
    assert not opportunity.is_published


def test_actions_are_csrf_protected(tmf_staff):
    client = Client(enforce_csrf_checks=True)
    verified_login(client, tmf_staff)
    opportunity = OpportunityFactory(is_published=False, published_at=None)
    response = client.post(url("opportunity_publish", pk=opportunity.pk))
    assert response.status_code == 403
    response = client.post(url("opportunity_create"), _form_data())
    assert response.status_code == 403
    opportunity.refresh_from_db()
    assert not opportunity.is_published
    assert Opportunity.objects.count() == 1


def test_staff_pages_are_not_indexed_nor_cached(tmf_client):
    response = tmf_client.get(url("dashboard"))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


# --- The publishing flow ------------------------------------------------------------------------


def test_create_preview_publish_unpublish(tmf_client, tmf_staff):
    response = tmf_client.post(url("opportunity_create"), _form_data())
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("opportunity_preview", pk=opportunity.pk)
    assert opportunity not in public_opportunities()
    assert opportunity.created_by == tmf_staff
    assert opportunity.slug == "borgermoede-om-aaboulevarden"

    preview = tmf_client.get(url("opportunity_preview", pk=opportunity.pk)).content.decode()
    assert "Forhåndsvisning – ikke offentliggjort" in preview
    assert "Borgermøde om Åboulevarden" in preview
    assert "Nørrebrohallen, Bragesgade 5" in preview
    assert "<p>Derefter taler vi sammen.</p>" in preview

    response = tmf_client.post(url("opportunity_publish", pk=opportunity.pk))
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity in public_opportunities()
    assert opportunity.published_at is not None
    preview = tmf_client.get(url("opportunity_preview", pk=opportunity.pk)).content.decode()
    assert "Forhåndsvisning – offentliggjort" in preview

    tmf_client.post(url("opportunity_unpublish", pk=opportunity.pk))
    assert opportunity not in public_opportunities()
    actions = set(OpportunityChange.objects.values_list("action", flat=True))
    assert actions == {"created", "published", "unpublished"}


def test_typed_times_are_copenhagen_time(tmf_client):
    # 1 June is summer time (UTC+2); 1 December is winter time (UTC+1).
    tmf_client.post(
        url("opportunity_create"),
        _form_data(start_at="2030-06-01T17:00", end_at="", deadline="2030-12-01T12:00"),
    )
    opportunity = Opportunity.objects.get()
    assert opportunity.start_at == datetime(2030, 6, 1, 15, 0, tzinfo=UTC)
    assert opportunity.deadline == datetime(2030, 12, 1, 11, 0, tzinfo=UTC)
    # And the edit form shows them as typed.
    page = tmf_client.get(url("opportunity_edit", pk=opportunity.pk)).content.decode()
    assert 'value="2030-06-01T17:00"' in page
    assert 'value="2030-12-01T12:00"' in page


def test_body_is_plain_text_and_never_html(tmf_client):
    tmf_client.post(
        url("opportunity_create"), _form_data(body='<script>alert("x")</script> **fed**')
    )
    opportunity = Opportunity.objects.get()
    preview = tmf_client.get(url("opportunity_preview", pk=opportunity.pk)).content.decode()
    assert '<script>alert("x")</script>' not in preview
    assert "&lt;script&gt;" in preview


# --- Bad input ----------------------------------------------------------------------------------


def test_a_failed_create_keeps_what_was_typed_and_saves_nothing(tmf_client):
    before = _row_counts()
    response = tmf_client.post(
        url("opportunity_create"),
        _form_data(end_at="2030-06-01T16:00", deadline="2030-05-01T12:00"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Der er et problem" in page
    assert "Sluttidspunktet skal ligge efter starttidspunktet." in page
    assert "Svarfristen kan ikke ligge før starttidspunktet." in page
    assert 'value="Borgermøde om Åboulevarden"' in page
    assert "Der er niveaufri adgang og teleslynge." in page
    assert 'value="2030-06-01T16:00"' in page
    assert _row_counts() == before


def test_a_venue_and_a_place_together_are_refused(tmf_client):
    from sammen.core.models import Venue

    response = tmf_client.post(
        url("opportunity_create"), _form_data(venue=Venue.objects.first().pk)
    )
    assert response.status_code == 200
    assert "ikke begge dele" in response.content.decode()
    assert not Opportunity.objects.exists()


def test_only_ones_own_departments_can_be_chosen(tmf_client):
    response = tmf_client.post(
        url("opportunity_create"), _form_data(departments=[department("KFF").pk])
    )
    assert response.status_code == 200
    # The error summary names the field and links to it.
    assert '<a href="#id_departments">Forvaltninger: ' in response.content.decode()
    assert not Opportunity.objects.exists()


def test_a_failed_edit_keeps_what_was_typed_and_changes_nothing(tmf_client):
    opportunity = OpportunityFactory(title="Før", districts=[district(3)])
    before = _row_counts()
    response = tmf_client.post(
        url("opportunity_edit", pk=opportunity.pk),
        _form_data(title="Efter", districts=[district(5).pk], summary=""),
    )
    assert response.status_code == 200
    assert 'value="Efter"' in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.title == "Før"
    assert list(opportunity.districts.all()) == [district(3)]
    assert _row_counts() == before


def test_editing_keeps_a_colleague_departments_share(tmf_client):
    opportunity = OpportunityFactory(departments=[department("TMF"), department("KFF")])
    response = tmf_client.post(
        url("opportunity_edit", pk=opportunity.pk), _form_data(title="Ny titel")
    )
    assert response.status_code == 302
    assert set(opportunity.departments.all()) == {department("TMF"), department("KFF")}


def test_the_edit_page_shows_who_changed_what(tmf_client, tmf_staff):
    opportunity = OpportunityFactory(title="Gammel titel")
    tmf_client.post(url("opportunity_edit", pk=opportunity.pk), _form_data(title="Ny titel"))
    change = OpportunityChange.objects.get(opportunity=opportunity)
    assert change.by == tmf_staff
    assert change.changes["title"] == ["Gammel titel", "Ny titel"]

    page = tmf_client.get(url("opportunity_edit", pk=opportunity.pk)).content.decode()
    assert "Ændringshistorik" in page
    assert str(tmf_staff) in page
    assert "Gammel titel → Ny titel" in page


# --- Outcome ------------------------------------------------------------------------------------


def test_outcome_flow_for_a_closed_opportunity(tmf_client):
    opportunity = _closed()
    response = tmf_client.post(
        url("opportunity_outcome", pk=opportunity.pk),
        {"outcome": "Borgerrepræsentationen vedtog planen med tre ændringer."},
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.OUTCOME_PUBLISHED
    assert opportunity.outcome_published_at is not None
    assert OpportunityChange.objects.get(opportunity=opportunity).action == "outcome"


def test_no_outcome_while_the_opportunity_is_open(tmf_client):
    opportunity = OpportunityFactory()
    page = tmf_client.get(url("opportunity_outcome", pk=opportunity.pk)).content.decode()
    assert "når muligheden er lukket" in page
    response = tmf_client.post(
        url("opportunity_outcome", pk=opportunity.pk), {"outcome": "For tidligt."}
    )
    assert response.status_code == 200
    assert "Der er et problem" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.outcome == ""
    assert not OpportunityChange.objects.exists()


def test_an_empty_outcome_names_the_field(tmf_client):
    opportunity = _closed()
    response = tmf_client.post(url("opportunity_outcome", pk=opportunity.pk), {"outcome": ""})
    assert response.status_code == 200
    assert "Skriv, hvad der kom ud af det." in response.content.decode()


# --- Dashboard ----------------------------------------------------------------------------------


def test_the_dashboard_lists_closed_opportunities_without_an_outcome(tmf_client):
    waiting = _closed(title="Lukket uden resultat")
    _closed(title="Lukket med resultat", outcome="Vedtaget.", outcome_published_at=timezone.now())
    OpportunityFactory(title="Stadig åben")
    _closed(title="Andens lukkede", departments=[department("KFF")])

    page = tmf_client.get(url("dashboard")).content.decode()
    box = page.split('id="missing-outcome-heading"')[1].split("</section>")[0]
    assert "Lukket uden resultat" in box
    assert url("opportunity_outcome", pk=waiting.pk) in box
    assert "Lukket med resultat" not in box
    assert "Stadig åben" not in box
    assert "Andens lukkede" not in page

    tab = tmf_client.get(url("dashboard"), {"show": "missing_outcome"}).content.decode()
    assert "Lukket uden resultat" in tab
    assert "Lukket med resultat" not in tab


# Titles that are no interface text, so a column heading or a tab cannot be mistaken for them.
DRAFT, PUBLISHED, CLOSED = "Sankt Hans Torv", "Israels Plads", "Enghave Parken"


@pytest.mark.parametrize(
    ("show", "seen", "unseen"),
    [
        ("drafts", DRAFT, PUBLISHED),
        ("published", PUBLISHED, DRAFT),
        ("closed", CLOSED, PUBLISHED),
    ],
)
def test_the_dashboard_tabs_filter(tmf_client, show, seen, unseen):
    OpportunityFactory(title=DRAFT, is_published=False, published_at=None)
    OpportunityFactory(title=PUBLISHED)
    _closed(title=CLOSED)
    page = tmf_client.get(url("dashboard"), {"show": show}).content.decode()
    table = page.split("<table")[1]
    assert seen in table
    assert unseen not in table


def test_an_unknown_tab_shows_everything(tmf_client):
    OpportunityFactory(title=PUBLISHED)
    response = tmf_client.get(url("dashboard"), {"show": "<nonsense>", "page": "x"})
    assert response.status_code == 200
    assert PUBLISHED in response.content.decode()


@pytest.mark.parametrize("show", ["all", "missing_outcome"])
def test_the_dashboard_runs_the_same_queries_for_5_and_50(tmf_staff, show):
    client = Client()
    verified_login(client, tmf_staff)

    def count(n: int) -> int:
        Opportunity.objects.all().delete()
        for i in range(n):
            if i % 2:
                _closed(districts=[district(3)], topics=[topic()])
            else:
                OpportunityFactory(departments=[department("TMF"), department("KFF")])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("dashboard"), {"show": show})
        assert response.status_code == 200
        return len(queries)

    assert count(5) == count(50)
