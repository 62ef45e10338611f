"""The public, read-only JSON API: filters, paging, errors, CORS, and what is never shown."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.core.models import Venue
from sammen.core.tests.factories import department, district, principle, topic
from sammen.participation.models import Opportunity
from sammen.participation.search import stems_for
from sammen.participation.tests.factories import OpportunityFactory, channel

pytestmark = pytest.mark.django_db

LIST = "/api/v1/opportunities"


def titles(response) -> set[str]:
    return {row["title"] for row in response.json()["results"]}


def detail(pk: int) -> str:
    return f"/api/v1/opportunities/{pk}"


# --- the list -------------------------------------------------------------------------------------


def test_list_shows_published_opportunities_with_links_to_their_pages(api_get):
    opportunity = OpportunityFactory(districts=[district(3)], topics=[topic("trafik")])
    body = api_get(LIST).json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["id"] == opportunity.pk
    assert row["url"]["da"] == "http://testserver" + opportunity.get_absolute_url()
    assert row["url"]["en"].startswith("http://testserver/en/")
    assert row["api_url"] == "http://testserver" + detail(opportunity.pk)
    assert row["districts"] == [{"number": 3, "slug": "noerrebro", "name": "Nørrebro"}]
    assert row["whole_city"] is False
    assert row["status"] == "open"
    assert row["deadline"].endswith("Z")
    assert "body" not in row and "contact" not in row


def test_list_never_shows_unpublished_or_withdrawn(api_get):
    OpportunityFactory(title="Synlig")
    OpportunityFactory(title="Kladde", is_published=False)
    OpportunityFactory(title="Trukket tilbage", withdrawn_at=timezone.now())
    assert titles(api_get(LIST)) == {"Synlig"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"channel": "borgermoede"}, {"Møde"}),
        ({"channel": ["borgermoede", "pulje"]}, {"Møde", "Pulje"}),
        ({"district": "noerrebro"}, {"Møde"}),
        ({"district": "hele-byen"}, {"Høring", "Pulje"}),
        ({"district": ["hele-byen", "noerrebro"]}, {"Høring", "Møde", "Pulje"}),
        ({"department": "kff"}, {"Pulje"}),
        ({"topic": "trafik"}, {"Høring"}),
        ({"principle": "tydelig"}, {"Møde"}),
        ({"status": "closed"}, {"Pulje"}),
        ({"status": ["closed", "open"]}, {"Høring", "Møde", "Pulje"}),
        ({"closing_soon": "true"}, {"Høring"}),
        ({"closing_soon": "false"}, {"Høring", "Møde", "Pulje"}),
        ({"q": "cykelstier"}, {"Høring"}),
    ],
)
def test_list_filters_like_the_list_page(api_get, query, expected):
    now = timezone.now()
    OpportunityFactory(
        title="Høring",
        summary="Nye cykelstier på Amager.",
        deadline=now + timedelta(days=3),
        topics=[topic("trafik")],
    )
    OpportunityFactory(
        title="Møde",
        channel=channel("borgermoede"),
        districts=[district(3)],
        principles=[principle(3)],
    )
    OpportunityFactory(
        title="Pulje",
        channel=channel("pulje"),
        departments=[department("KFF")],
        start_at=now - timedelta(days=40),
        deadline=now - timedelta(days=1),
    )
    for opportunity in Opportunity.objects.all():
        # The search index reads these stems; whatever writes an opportunity sets them.
        opportunity.search_stems = stems_for(
            title=opportunity.title, summary=opportunity.summary, body=opportunity.body
        )
        opportunity.save(update_fields=["search_stems"])
    assert titles(api_get(LIST, query)) == expected


def test_list_sorts_by_deadline_or_newest(api_get):
    now = timezone.now()
    later = OpportunityFactory(deadline=now + timedelta(days=30), published_at=now)
    sooner = OpportunityFactory(
        deadline=now + timedelta(days=10), published_at=now - timedelta(days=5)
    )
    by_deadline = [row["id"] for row in api_get(LIST).json()["results"]]
    assert by_deadline == [sooner.pk, later.pk]
    newest = [row["id"] for row in api_get(LIST, {"sort": "newest"}).json()["results"]]
    assert newest == [later.pk, sooner.pk]


def test_list_pages_with_next_and_previous_keeping_the_filters(api_get):
    for _i in range(5):
        OpportunityFactory()
    first = api_get(LIST, {"channel": "hoering", "page_size": 2}).json()
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/opportunities?")
    assert "channel=hoering" in first["next"] and "page=2" in first["next"]
    last = api_get(first["next"].replace("page=2", "page=3")).json()
    assert len(last["results"]) == 1
    assert last["next"] is None
    assert "page=2" in last["previous"]
    ids = [r["id"] for r in first["results"]] + [r["id"] for r in last["results"]]
    assert len(set(ids)) == 3


def test_an_empty_list_is_one_page(api_get):
    body = api_get(LIST, {"page": 1}).json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"channel": "brevdue"}, "channel"),
        ({"district": "atlantis"}, "district"),
        ({"department": "xyz"}, "department"),
        ({"topic": "nope"}, "topic"),
        ({"principle": "6"}, "principle"),
        ({"status": "maybe"}, "status"),
        ({"sort": "random"}, "sort"),
        ({"closing_soon": "perhaps"}, "closing_soon"),
        ({"chanel": "hoering"}, "chanel"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page": "2"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "-1"}, "page_size"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(api_get, query, parameter):
    OpportunityFactory()
    response = api_get(LIST, query)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert body["parameter"] == parameter
    assert parameter in body["parameters"]


def test_page_size_of_100_is_allowed(api_get):
    assert api_get(LIST, {"page_size": 100}).status_code == 200


# --- one opportunity ------------------------------------------------------------------------------


def test_detail_adds_the_long_texts_and_the_contact(api_get):
    opportunity = OpportunityFactory(venue=Venue.objects.first(), accessibility="Trinfri adgang.")
    body = api_get(detail(opportunity.pk)).json()
    assert body["id"] == opportunity.pk
    assert body["body"] == opportunity.body
    assert body["accessibility"] == "Trinfri adgang."
    assert body["contact"]["email"] == opportunity.contact_email
    assert body["venue"]["address"] == opportunity.venue.address
    # The calendar file at its Danish address, like the page's "da" link (paths are translated).
    with translation.override("da"):
        calendar = reverse(
            "participation:opportunity_ical",
            kwargs={"pk": opportunity.pk, "slug": opportunity.slug},
        )
    assert body["calendar_url"] == "http://testserver" + calendar


def test_detail_hides_an_outcome_that_is_not_published(api_get):
    opportunity = OpportunityFactory(outcome="Udkast til svar.")
    assert api_get(detail(opportunity.pk)).json()["outcome"] == ""


@pytest.mark.parametrize(
    "hidden", [{"is_published": False}, {"withdrawn_at": timezone.now}], ids=["draft", "withdrawn"]
)
def test_detail_of_an_unpublished_or_withdrawn_opportunity_is_404(api_get, hidden):
    values = {k: v() if callable(v) else v for k, v in hidden.items()}
    opportunity = OpportunityFactory(**values)
    response = api_get(detail(opportunity.pk))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_detail_of_an_unknown_id_is_404_json(api_get):
    response = api_get(detail(999999))
    assert response.status_code == 404


def test_an_unknown_address_under_the_api_is_404_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_trailing_slash_is_redirected_to_the_endpoint(client):
    response = client.get("/api/v1/opportunities/?page=1")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/opportunities?page=1"


# --- reference data -------------------------------------------------------------------------------


def test_channels_link_to_their_pages_and_count_open_opportunities(api_get):
    OpportunityFactory()
    OpportunityFactory(is_published=False)
    body = api_get("/api/v1/channels").json()
    hearing = next(c for c in body["results"] if c["slug"] == "hoering")
    assert hearing["open_count"] == 1
    assert hearing["name"]["da"] == "Høring"
    assert hearing["url"]["da"] == "http://testserver" + reverse(
        "participation:channel_detail", kwargs={"slug": "hoering"}
    )
    assert hearing["opportunities_api_url"].endswith("/api/v1/opportunities?channel=hoering")


def test_districts_have_their_local_committees_and_geometry_on_request(api_get):
    body = api_get("/api/v1/districts").json()
    assert body["count"] == 10
    indre_by = body["results"][0]
    assert indre_by["number"] == 1
    assert {c["name"] for c in indre_by["local_committees"]} == {
        "Indre By Lokaludvalg",
        "Christianshavns Lokaludvalg",
    }
    assert "geometry" not in indre_by
    with_geometry = api_get("/api/v1/districts", {"geometry": "true"}).json()
    assert with_geometry["results"][3]["geometry"]["type"] == "MultiPolygon"


def test_districts_refuse_an_unclear_geometry_flag(api_get):
    response = api_get("/api/v1/districts", {"geometry": "please"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "geometry"


@pytest.mark.parametrize(
    ("path", "count"),
    [("/api/v1/departments", 7), ("/api/v1/principles", 5), ("/api/v1/topics", None)],
)
def test_reference_lists_are_complete(api_get, path, count):
    body = api_get(path).json()
    assert body["count"] == (count or len(body["results"]))
    assert all(row["url"]["da"].startswith("http://testserver/") for row in body["results"])


def test_reference_lists_refuse_unknown_parameters(api_get):
    response = api_get("/api/v1/departments", {"sort": "name"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "sort"


# --- HTTP behaviour -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [LIST, "/api/v1/channels", "/api/v1/openapi.json"])
def test_cors_preflight_is_answered(client, path):
    response = client.options(
        path,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "accept"
    assert "Access-Control-Allow-Credentials" not in response


def test_api_is_read_only(client):
    response = client.post(LIST, {})
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_api_sets_no_cookies(client):
    OpportunityFactory()
    response = client.get(LIST)
    assert not response.cookies


def test_unchanged_answer_is_304(client):
    OpportunityFactory()
    first = client.get(LIST)
    assert client.get(LIST, headers={"If-None-Match": first["ETag"]}).status_code == 304


def _query_count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _cold_and_warm_query_counts(client, path: str) -> tuple[int, int]:
    """Queries with nothing cached (counts are cached for a minute), then with the cache warm."""
    cache.clear()
    return _query_count(client, path), _query_count(client, path)


@pytest.mark.parametrize(
    "path",
    [
        LIST,
        LIST + "?district=noerrebro&district=hele-byen&topic=trafik&page_size=100",
        "/api/v1/channels",
        "/api/v1/districts",
        "/api/v1/departments",
        "/api/v1/topics",
        "/api/v1/principles",
    ],
)
def test_api_lists_run_the_same_number_of_queries_for_5_and_50(client, path):
    def make(n: int) -> None:
        for i in range(n):
            OpportunityFactory(
                districts=[district(3)] if i % 2 else [],
                topics=[topic("trafik")],
                principles=[principle(2)],
                venue=Venue.objects.first() if i % 3 else None,
            )

    make(5)
    few = _cold_and_warm_query_counts(client, path)
    make(45)
    many = _cold_and_warm_query_counts(client, path)
    assert few == many
