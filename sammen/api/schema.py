"""The OpenAPI 3.1 description of the open data API, written by hand next to the views.

Hand-written so it says what we mean rather than what a generator guessed; the tests validate it
with openapi-spec-validator and check every API response in the suite against it, so it cannot
drift from the views without a test failing.
"""

from copy import deepcopy
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from sammen.api.ideas import PUBLIC_OUTCOMES, PUBLIC_STATES
from sammen.ideas.models import HelpNeeded, SubmitterKind
from sammen.participation.models import OpportunityStatus

API_VERSION = "1.0.0"

# The data is published under CC BY 4.0: anyone may reuse it, naming the municipality as source.
DATA_LICENCE = {
    "name": "CC BY 4.0",
    "identifier": "CC-BY-4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}

_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
_NULLABLE_URI = {"type": ["string", "null"], "format": "uri"}
_URI = {"type": "string", "format": "uri"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], *, required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


def _list_of(item: str) -> dict[str, Any]:
    return _object(
        {
            "count": {"type": "integer", "minimum": 0},
            "next": {**_NULLABLE_URI, "description": "The next page, or null on the last."},
            "previous": {
                **_NULLABLE_URI,
                "description": "The previous page, or null on the first.",
            },
            "results": {"type": "array", "items": _ref(item)},
        }
    )


def _slugs(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description + " Repeat the parameter for several values (OR).",
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
    }


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERROR_400 = _json(_ref("Error"), "A parameter is unknown or has a value that is not valid.")
_ERROR_404 = _json(_ref("Error"), "Nothing published has this id.")
_IDEA_404 = _json(_ref("Error"), "No public idea has this reference.")
_NO_PARAMETERS = "Takes no parameters; any parameter is answered with 400."

_SCHEMAS: dict[str, Any] = {
    "Bilingual": {
        **_object({"da": {"type": "string"}, "en": {"type": "string"}}),
        "description": "A text in Danish and English (English falls back to Danish).",
    },
    "PageUrls": {
        **_object({"da": _URI, "en": _URI}),
        "description": "A public web page in Danish and in English.",
    },
    "ChannelRef": _object({"slug": {"type": "string"}, "name": _ref("Bilingual")}),
    "DepartmentRef": _object(
        {
            "slug": {"type": "string"},
            "abbreviation": {"type": "string"},
            "name": _ref("Bilingual"),
        }
    ),
    "DistrictRef": _object(
        {
            "number": {"type": "integer", "minimum": 1},
            "slug": {"type": "string"},
            "name": {"type": "string"},
        }
    ),
    "TopicRef": _object({"slug": {"type": "string"}, "name": _ref("Bilingual")}),
    "PrincipleRef": _object(
        {
            "number": {"type": "integer", "minimum": 1, "maximum": 5},
            "slug": {"type": "string"},
            "name": _ref("Bilingual"),
        }
    ),
    "Venue": _object(
        {
            "name": {"type": "string"},
            "address": {"type": "string"},
            "postcode": {"type": "string"},
            "city": {"type": "string"},
            "latitude": {"type": ["number", "null"]},
            "longitude": {"type": ["number", "null"]},
        }
    ),
    "Opportunity": {
        **_object(
            {
                "id": {"type": "integer", "description": "Stable: never reused."},
                "api_url": _URI,
                "url": _ref("PageUrls"),
                "calendar_url": {**_URI, "description": "An iCalendar file of this one."},
                "title": {"type": "string"},
                "summary": {"type": "string"},
                "language": {"type": "string", "description": "The language of the text."},
                "channel": _ref("ChannelRef"),
                "status": {"type": "string", "enum": [s.value for s in OpportunityStatus]},
                "departments": {"type": "array", "items": _ref("DepartmentRef")},
                "districts": {"type": "array", "items": _ref("DistrictRef")},
                "whole_city": {
                    "type": "boolean",
                    "description": "True when it concerns the whole city (no district).",
                },
                "topics": {"type": "array", "items": _ref("TopicRef")},
                "principles": {"type": "array", "items": _ref("PrincipleRef")},
                "start_at": _NULLABLE_TIME,
                "end_at": _NULLABLE_TIME,
                "deadline": {**_NULLABLE_TIME, "description": "The last moment to respond."},
                "closes_at": {
                    **_NULLABLE_TIME,
                    "description": "The deadline, else the end, else the start.",
                },
                "venue": {"oneOf": [_ref("Venue"), {"type": "null"}]},
                "location": {"type": "string", "description": "A place not in the venue list."},
                "online_url": _NULLABLE_URI,
                "participation_url": {
                    **_NULLABLE_URI,
                    "description": "Where to respond, register or read more.",
                },
                "source": _object(
                    {
                        "system": {"type": "string", "enum": ["local", "os2agora"]},
                        "url": _NULLABLE_URI,
                    }
                ),
                "published_at": _NULLABLE_TIME,
                "updated_at": {"type": "string", "format": "date-time"},
                "outcome_published_at": _NULLABLE_TIME,
            }
        ),
        "additionalProperties": False,
    },
    "Channel": _object(
        {
            "slug": {"type": "string"},
            "name": _ref("Bilingual"),
            "description": _ref("Bilingual"),
            "who": _ref("Bilingual"),
            "how": _ref("Bilingual"),
            "run_by": _ref("Bilingual"),
            "response_time": _ref("Bilingual"),
            "website": _NULLABLE_URI,
            "open_count": {
                "type": "integer",
                "minimum": 0,
                "description": "How many of its opportunities one can take part in now.",
            },
            "url": _ref("PageUrls"),
            "opportunities_api_url": _URI,
        }
    ),
    "LocalCommittee": _object(
        {"slug": {"type": "string"}, "name": {"type": "string"}, "website": _NULLABLE_URI}
    ),
    "District": _object(
        {
            "number": {"type": "integer", "minimum": 1},
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "description": {"type": "string"},
            "area_m2": {"type": ["integer", "null"]},
            "local_committees": {"type": "array", "items": _ref("LocalCommittee")},
            "url": _ref("PageUrls"),
            "opportunities_api_url": _URI,
            "geometry": {
                "type": ["object", "null"],
                "description": "GeoJSON (EPSG:4326) boundary; only with geometry=true.",
            },
        },
        required=[
            "number",
            "slug",
            "name",
            "description",
            "area_m2",
            "local_committees",
            "url",
            "opportunities_api_url",
        ],
    ),
    "Department": _object(
        {
            "slug": {"type": "string"},
            "abbreviation": {"type": "string"},
            "name": _ref("Bilingual"),
            "url": {**_ref("PageUrls"), "description": "The list of its opportunities."},
            "opportunities_api_url": _URI,
        }
    ),
    "Topic": _object(
        {
            "slug": {"type": "string"},
            "name": _ref("Bilingual"),
            "url": _ref("PageUrls"),
            "opportunities_api_url": _URI,
        }
    ),
    "Principle": _object(
        {
            "number": {"type": "integer", "minimum": 1, "maximum": 5},
            "slug": {"type": "string"},
            "name": _ref("Bilingual"),
            "summary": _ref("Bilingual"),
            "url": _ref("PageUrls"),
            "opportunities_api_url": _URI,
        }
    ),
    "Error": _object(
        {
            "error": {
                "type": "string",
                "enum": ["invalid_parameter", "not_found", "method_not_allowed"],
            },
            "detail": {"type": "string", "description": "For people, in their language."},
            "parameter": {"type": "string", "description": "The first parameter in error."},
            "parameters": {
                "type": "object",
                "description": "Every parameter in error with what is wrong.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
        required=["error", "detail"],
    ),
}
_SCHEMAS["OpportunityRef"] = _object(
    {"id": {"type": "integer"}, "title": {"type": "string"}, "api_url": _URI}
)
_SCHEMAS["Idea"] = {
    **_object(
        {
            "reference": {
                "type": "string",
                "description": "Stable and never reused, e.g. IDE-2026-00042.",
            },
            "api_url": _URI,
            "url": {**_ref("PageUrls"), "description": "The idea's page on the public idea board."},
            "title": {"type": "string"},
            "description": {"type": "string", "description": "The idea in the citizen's words."},
            "districts": {"type": "array", "items": _ref("DistrictRef")},
            "whole_city": {
                "type": "boolean",
                "description": "True when it concerns the whole city (no district, no place).",
            },
            "topics": {"type": "array", "items": _ref("TopicRef")},
            "help_needed": {
                "type": "array",
                "items": {"type": "string", "enum": list(HelpNeeded.values)},
                "description": "What the citizen asks the municipality for.",
            },
            "submitter_kind": {"type": "string", "enum": list(SubmitterKind.values)},
            "state": {"type": "string", "enum": [s.value for s in PUBLIC_STATES]},
            "outcome": {
                "type": ["string", "null"],
                "enum": [*(o.value for o in PUBLIC_OUTCOMES), None],
                "description": "How the idea ended; null until it is closed.",
            },
            "outcome_reason": {
                "type": "string",
                "description": "Why, when it ended as not possible; otherwise usually empty.",
            },
            "alternatives": {
                "type": "array",
                "items": {"type": "string"},
                "description": "What the citizen can do instead, when it was not possible.",
            },
            "referred_channel": {
                "oneOf": [_ref("ChannelRef"), {"type": "null"}],
                "description": "The way to take part the idea was referred to.",
            },
            "referred_opportunity": {
                "oneOf": [_ref("OpportunityRef"), {"type": "null"}],
                "description": "The opportunity it was referred to, while that is published.",
            },
            "lead_department": {
                "oneOf": [_ref("DepartmentRef"), {"type": "null"}],
                "description": "The department that answers for the idea; null before triage.",
            },
            "involved_departments": {"type": "array", "items": _ref("DepartmentRef")},
            "confirmed_at": {
                "type": "string",
                "format": "date-time",
                "description": "When it entered the queue (the submitter confirmed the address).",
            },
            "closed_at": _NULLABLE_TIME,
            "updated_at": {
                "type": "string",
                "format": "date-time",
                "description": "The last change to the idea or its public timeline.",
            },
        }
    ),
    "additionalProperties": False,
}
_SCHEMAS["TimelineEntry"] = _object(
    {
        "at": {"type": "string", "format": "date-time"},
        "state": {
            "type": "string",
            "enum": [s.value for s in PUBLIC_STATES],
            "description": "The state after this entry.",
        },
        "message": {"type": "string", "description": "The message to the citizen, if any."},
    }
)
# The detail adds the public timeline: changes of state and messages to the citizen, oldest first.
_SCHEMAS["IdeaDetail"] = {
    **_object(
        {
            **_SCHEMAS["Idea"]["properties"],
            "timeline": {"type": "array", "items": _ref("TimelineEntry")},
        }
    ),
    "additionalProperties": False,
}
# The detail adds the long texts and the contact to the list's fields.
_SCHEMAS["OpportunityDetail"] = {
    **_object(
        {
            **_SCHEMAS["Opportunity"]["properties"],
            "body": {"type": "string", "description": "The description (Markdown)."},
            "accessibility": {"type": "string"},
            "outcome": {
                "type": "string",
                "description": "What came of it; empty until the outcome is published.",
            },
            "contact": _object(
                {
                    "name": {"type": "string"},
                    "email": {"type": "string"},
                    "phone": {"type": "string"},
                }
            ),
        }
    ),
    "additionalProperties": False,
}
for _name in ("Opportunity", "Idea", "Channel", "District", "Department", "Topic", "Principle"):
    _SCHEMAS[f"{_name}List"] = _list_of(_name)

_FILTERS: list[dict[str, Any]] = [
    {
        "name": "q",
        "in": "query",
        "description": "Words to search for in title, summary and description (Danish stemming).",
        "schema": {"type": "string", "maxLength": 200},
    },
    _slugs("channel", "Channel slug (see /channels)."),
    _slugs("district", "District slug (see /districts), or `hele-byen` for the whole city."),
    _slugs("department", "Department slug (see /departments)."),
    _slugs("topic", "Topic slug (see /topics)."),
    _slugs("principle", "Principle slug (see /principles)."),
    {
        **_slugs("status", "Status."),
        "schema": {
            "type": "array",
            "items": {"type": "string", "enum": [s.value for s in OpportunityStatus]},
        },
    },
    {
        "name": "closing_soon",
        "in": "query",
        "description": "Only those whose deadline is within 7 days.",
        "schema": {"type": "string", "enum": ["true", "false", "1", "0"]},
    },
    {
        "name": "sort",
        "in": "query",
        "description": "deadline (soonest first, the default), newest, or relevance (with q).",
        "schema": {"type": "string", "enum": ["deadline", "newest", "relevance"]},
    },
    {
        "name": "page",
        "in": "query",
        "description": "Page number, from 1. A page after the last is a 400.",
        "schema": {"type": "integer", "minimum": 1, "default": 1},
    },
    {
        "name": "page_size",
        "in": "query",
        "description": "Rows per page.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    },
]


_PAGING = _FILTERS[-2:]

_IDEA_FILTERS: list[dict[str, Any]] = [
    {
        "name": "q",
        "in": "query",
        "description": "Words to search for in title and description (Danish stemming).",
        "schema": {"type": "string", "maxLength": 200},
    },
    _slugs(
        "district",
        "District slug (see /districts), or `hele-byen` for ideas that concern the whole city.",
    ),
    _slugs("topic", "Topic slug (see /topics)."),
    _slugs("lead_department", "Slug of the lead department (see /departments)."),
    {
        **_slugs("state", "State."),
        "schema": {
            "type": "array",
            "items": {"type": "string", "enum": [s.value for s in PUBLIC_STATES]},
        },
    },
    {
        **_slugs("outcome", "How closed ideas ended."),
        "schema": {
            "type": "array",
            "items": {"type": "string", "enum": [o.value for o in PUBLIC_OUTCOMES]},
        },
    },
    {
        "name": "updated_since",
        "in": "query",
        "description": (
            "Only ideas that changed, or got a new entry in their public timeline, at or after "
            "this time: ISO 8601, e.g. `2026-03-01T00:00:00Z` or `2026-03-01` (a time without a "
            "zone is Copenhagen time)."
        ),
        "schema": {"type": "string"},
    },
    *_PAGING,
]


def _get(
    summary: str,
    schema_name: str,
    *,
    description: str = _NO_PARAMETERS,
    parameters: list[dict[str, Any]] | None = None,
    not_found: bool | dict[str, Any] = False,
    operation_id: str,
) -> dict[str, Any]:
    """One GET operation; `not_found` is True for the usual 404, or the 404 response itself."""
    responses: dict[str, Any] = {"200": _json(_ref(schema_name), "OK"), "400": _ERROR_400}
    if not_found:
        responses["404"] = _ERROR_404 if not_found is True else not_found
    operation: dict[str, Any] = {
        "summary": summary,
        "description": description,
        "operationId": operation_id,
        "responses": responses,
    }
    if parameters:
        operation["parameters"] = parameters
    return {"get": operation}


_PATHS: dict[str, Any] = {
    "/opportunities": _get(
        "Published opportunities, filtered and paginated",
        "OpportunityList",
        description=(
            "The same filters as the list page. Unknown parameters or values give 400 naming "
            "the parameter. Ordered by deadline unless `sort` says otherwise."
        ),
        parameters=_FILTERS,
        operation_id="listOpportunities",
    ),
    "/opportunities/{id}": _get(
        "One published opportunity",
        "OpportunityDetail",
        parameters=[{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        not_found=True,
        operation_id="getOpportunity",
    ),
    "/ideas": _get(
        "Public citizen ideas, filtered and paginated",
        "IdeaList",
        description=(
            "Ideas whose submitter agreed to publication, once the e-mail address is confirmed: "
            "the public idea board's. Never spam, duplicates or anonymised ideas (erasure "
            "withdraws the consent to publish), never personal data (no name, e-mail, phone, "
            "address or "
            "attachments, no internal notes, no names of staff: the lead department answers for "
            "the idea). Newest first. Unknown parameters or values give 400 naming the parameter."
        ),
        parameters=_IDEA_FILTERS,
        operation_id="listIdeas",
    ),
    "/ideas/{reference}": _get(
        "One public idea with its public timeline",
        "IdeaDetail",
        description=(
            "The timeline holds each change of state and each message to the citizen, oldest "
            "first; internal notes are never shown. " + _NO_PARAMETERS
        ),
        parameters=[
            {
                "name": "reference",
                "in": "path",
                "required": True,
                "schema": {"type": "string"},
                "example": "IDE-2026-00042",
            }
        ],
        not_found=_IDEA_404,
        operation_id="getIdea",
    ),
    "/channels": _get("The ways to take part", "ChannelList", operation_id="listChannels"),
    "/districts": _get(
        "The districts with their local committees",
        "DistrictList",
        description="The boundaries (GeoJSON) only with `geometry=true`.",
        parameters=[
            {
                "name": "geometry",
                "in": "query",
                "schema": {"type": "string", "enum": ["true", "false", "1", "0"]},
            }
        ],
        operation_id="listDistricts",
    ),
    "/departments": _get("The departments", "DepartmentList", operation_id="listDepartments"),
    "/topics": _get("The topics", "TopicList", operation_id="listTopics"),
    "/principles": _get(
        "The five principles of citizen dialogue", "PrincipleList", operation_id="listPrinciples"
    ),
}


def openapi_schema(*, server_url: str) -> dict[str, Any]:
    """The schema, with the address of the server answering (so "try it" tools work)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Sammen om Byen – open data",
            "version": API_VERSION,
            "summary": "Every published way to influence the city, and public citizen ideas, "
            "as open data.",
            "description": (
                "Read-only, no key, CORS open. Times in UTC (ISO 8601). Names in Danish and "
                f"English. Data by {settings.MUNICIPALITY_NAME} under {DATA_LICENCE['name']}."
            ),
            "license": {"name": DATA_LICENCE["name"], "identifier": DATA_LICENCE["identifier"]},
        },
        "servers": [{"url": server_url}],
        "paths": deepcopy(_PATHS),
        "components": {"schemas": deepcopy(_SCHEMAS)},
    }


def example_opportunity_list(server_url: str, site_url: str) -> dict[str, Any]:
    """A short, realistic answer of /opportunities, shown on the docs page (and tested).

    The page addresses are reversed in each language, as the API builds them, so the example
    shows real paths whatever language the docs page is read in (the paths are translated).
    """
    kwargs = {"pk": 812, "slug": "forslag-til-lokalplan-for-norrebrogade"}
    with translation.override("da"):
        page = site_url + reverse("participation:opportunity_detail", kwargs=kwargs)
        # Like the API, the calendar file's address is the Danish one.
        calendar = site_url + reverse("participation:opportunity_ical", kwargs=kwargs)
    with translation.override("en"):
        page_en = site_url + reverse("participation:opportunity_detail", kwargs=kwargs)
    return {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": 812,
                "api_url": f"{server_url}/opportunities/812",
                "url": {"da": page, "en": page_en},
                "calendar_url": calendar,
                "title": "Forslag til lokalplan for Nørrebrogade",
                "summary": "Kommunen vil gerne høre din mening om forslaget.",
                "language": "da",
                "channel": {
                    "slug": "hoering",
                    "name": {"da": "Høring", "en": "Public consultation"},
                },
                "status": "open",
                "departments": [
                    {
                        "slug": "tmf",
                        "abbreviation": "TMF",
                        "name": {
                            "da": "Teknik- og Miljøforvaltningen",
                            "en": "Technical and Environmental Administration",
                        },
                    }
                ],
                "districts": [{"number": 3, "slug": "noerrebro", "name": "Nørrebro"}],
                "whole_city": False,
                "topics": [{"slug": "trafik", "name": {"da": "Trafik", "en": "Traffic"}}],
                "principles": [],
                "start_at": "2026-03-02T08:00:00Z",
                "end_at": None,
                "deadline": "2026-03-30T21:59:00Z",
                "closes_at": "2026-03-30T21:59:00Z",
                "venue": None,
                "location": "",
                "online_url": None,
                "participation_url": "https://blivhoert.kk.dk/",
                "source": {"system": "os2agora", "url": "https://blivhoert.kk.dk/"},
                "published_at": "2026-03-02T08:00:00Z",
                "updated_at": "2026-03-02T08:00:00Z",
                "outcome_published_at": None,
            }
        ],
    }
