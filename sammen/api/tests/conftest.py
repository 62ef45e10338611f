"""Every API response a test fetches through `api_get` is checked against the OpenAPI schema."""

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from sammen.api.schema import openapi_schema

SCHEMA_URI = "urn:sammen:openapi"
# The OpenAPI path of each view, to find the documented response.
PATHS = {
    "opportunity_list": "/opportunities",
    "opportunity_detail": "/opportunities/{id}",
    "idea_list": "/ideas",
    "idea_detail": "/ideas/{reference}",
    "channel_list": "/channels",
    "district_list": "/districts",
    "department_list": "/departments",
    "topic_list": "/topics",
    "principle_list": "/principles",
}


def schema() -> dict:
    return openapi_schema(server_url="http://testserver/api/v1")


def assert_matches_schema(response, spec: dict | None = None) -> None:
    """The response is documented for its path and status, and its body fits the documented schema."""
    spec = spec or schema()
    path = PATHS[response.resolver_match.url_name]
    documented = spec["paths"][path]["get"]["responses"]
    assert str(response.status_code) in documented, f"{response.status_code} is not documented"
    media = documented[str(response.status_code)]["content"]["application/json"]
    ref = media["schema"]["$ref"]
    registry = Registry().with_resource(
        SCHEMA_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    validator = jsonschema.Draft202012Validator(
        {"$ref": SCHEMA_URI + ref},
        registry=registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    validator.validate(response.json())


@pytest.fixture
def api_get(client):
    """GET an API address; the answer is JSON, open to any origin, and fits the schema."""
    spec = schema()

    def get(path: str, data: dict | None = None, **kwargs):
        response = client.get(path, data, **kwargs)
        assert response["Content-Type"] == "application/json"
        assert response["Access-Control-Allow-Origin"] == "*"
        assert_matches_schema(response, spec)
        return response

    return get
