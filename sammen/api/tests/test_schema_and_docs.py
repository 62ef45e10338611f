"""The OpenAPI schema is valid, describes every endpoint, and the docs page explains the open data."""

import jsonschema
import pytest
from django.urls import get_resolver, resolve, reverse
from django.utils import translation
from openapi_spec_validator import validate

from sammen.api import urls as api_urls
from sammen.api.schema import example_opportunity_list
from sammen.api.tests.conftest import PATHS, assert_matches_schema, schema

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi():
    validate(schema())


def test_schema_is_served_with_this_servers_address(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["openapi"] == "3.1.0"
    assert body["servers"] == [{"url": "http://testserver/api/v1"}]
    validate(body)


def test_every_data_endpoint_is_in_the_schema():
    names = {p.name for p in api_urls.urlpatterns} - {"docs", "schema", "unknown"}
    assert names == set(PATHS)
    assert set(schema()["paths"]) == set(PATHS.values())
    # and the documented paths are the real ones
    examples = {"id": ("pk", 1), "reference": ("reference", "IDE-2026-00042")}
    for name, path in PATHS.items():
        kwargs, expected = {}, path
        for parameter, (kwarg, value) in examples.items():
            if f"{{{parameter}}}" in path:
                kwargs[kwarg] = value
                expected = expected.replace(f"{{{parameter}}}", str(value))
        assert reverse(f"api:{name}", kwargs=kwargs or None) == "/api/v1" + expected


def test_the_docs_example_fits_the_schema(client):
    class Example:
        status_code = 200
        resolver_match = get_resolver().resolve("/api/v1/opportunities")

        @staticmethod
        def json():
            return example_opportunity_list("http://testserver/api/v1", "http://testserver")

    assert_matches_schema(Example)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_docs_example_links_to_real_addresses(client, lang):
    """The example shows the addresses the API really gives, whatever language the page is in."""
    html = client.get(reverse("api:docs"), {"lang": lang}).content.decode()
    (row,) = example_opportunity_list("http://testserver/api/v1", "http://testserver")["results"]
    assert row["calendar_url"] in html
    for language, address, view in (
        ("da", row["url"]["da"], "opportunity_detail"),
        ("en", row["url"]["en"], "opportunity_detail"),
        ("da", row["calendar_url"], "opportunity_ical"),
    ):
        with translation.override(language):
            assert resolve(address.removeprefix("http://testserver")).url_name == view


def test_schema_check_catches_a_body_that_does_not_fit(client):
    response = client.get("/api/v1/departments")
    response.json = lambda: {"count": "seven", "results": []}
    with pytest.raises(jsonschema.ValidationError):
        assert_matches_schema(response)


def test_docs_page_explains_feeds_api_and_licence(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    for expected in (
        reverse("participation:opportunities_ical"),
        reverse("participation:opportunities_atom"),
        reverse("participation:opportunities_csv"),
        reverse("api:schema"),
        "/api/v1/opportunities",
        "CC BY 4.0",
        'type="text/calendar"',
        'type="application/atom+xml"',
    ):
        assert expected in html


def test_docs_page_is_linked_from_the_footer_and_switches_language(client):
    html = client.get(reverse("api:docs") + "?lang=en").content.decode()
    assert '<html lang="en"' in html
    assert f'href="{reverse("api:docs")}"' in html
    assert 'href="/api/v1/?lang=da"' in html
    assert 'href="/en/opportunities/calendar.ics"' in html
