import pytest
from django.db import DatabaseError

from sammen.core.models import Department, District, LocalCommittee, Principle, Venue
from sammen.core.reference import load_reference_data
from sammen.participation.models import Channel


@pytest.mark.django_db
def test_reference_data_is_complete():
    assert Principle.objects.count() == 5
    assert Department.objects.count() == 7
    assert District.objects.count() == 10
    assert LocalCommittee.objects.count() == 12
    assert Channel.objects.filter(slug="hoering").exists()
    assert District.objects.get(number=4).geometry["type"] == "MultiPolygon"


@pytest.mark.django_db
def test_loading_reference_data_twice_changes_nothing_an_administrator_wrote():
    district = District.objects.get(number=3)
    district.description = "Skrevet af en administrator."
    district.save()
    before = Venue.objects.count()
    load_reference_data()
    district.refresh_from_db()
    assert district.description == "Skrevet af en administrator."
    assert Venue.objects.count() == before


@pytest.mark.django_db
def test_venues_are_placed_in_their_district():
    # Nørrebro Bibliotek lies on Bragesgade in district 3 (Nørrebro).
    venue = Venue.objects.filter(name__icontains="Nørrebro Bibliotek").first()
    assert venue is not None
    assert venue.district.number == 3


@pytest.mark.django_db
def test_healthz_answers_200_with_a_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_without_a_database(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_robots_txt_keeps_crawlers_out_of_staff_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Disallow: /personale/" in response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_page_answers_404_in_the_design_system_in_danish(client):
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="skipnav"' in html
    assert "Vi kunne ikke finde siden" in html


@pytest.mark.django_db
def test_an_unknown_english_page_answers_404_in_english(client):
    response = client.get("/en/does-not-exist/")
    assert response.status_code == 404
    assert "We could not find the page" in response.content.decode()


def test_the_500_page_needs_neither_request_context_nor_database(rf):
    from sammen.core.views import server_error

    # No django_db mark: any database access here would raise.
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Der skete en fejl hos os" in html
    assert "Something went wrong on our side" in html


@pytest.mark.django_db
def test_staff_pages_are_never_indexed_or_cached_publicly(client):
    response = client.get("/personale/log-ind/")
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_page_without_access_answers_403_in_the_design_system(client):
    from sammen.accounts.testing import verified_login
    from sammen.core.tests.factories import UserFactory

    verified_login(client, UserFactory())  # staff without any role
    response = client.get("/personale/brugere/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="skipnav"' in html
    assert "Du har ikke adgang til denne side" in html
