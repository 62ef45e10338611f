"""Plain functions turning models into the JSON of the open data API (see schema.py).

The API answers the same whatever the visitor's language: names come in both languages
(`{"da": …, "en": …}`, English falling back to Danish where no translation was written), and
public pages are linked in both. Times are ISO 8601 in UTC (`2026-03-01T16:00:00Z`).
"""

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from sammen.core.models import Department, District, LocalCommittee, Principle, Topic
from sammen.ideas.models import Idea, TimelineEntry
from sammen.participation.models import Channel, Opportunity

LANGUAGES = ("da", "en")


def utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def bilingual(obj: object, field: str = "name") -> dict[str, str]:
    danish = getattr(obj, f"{field}_da")
    return {"da": danish, "en": getattr(obj, f"{field}_en") or danish}


def page_urls(
    request: HttpRequest, name: str, kwargs: dict[str, Any] | None = None, query: str = ""
) -> dict[str, str]:
    """The absolute address of a public page in each language (paths are translated)."""
    urls = {}
    for code in LANGUAGES:
        with translation.override(code):
            path = reverse(name, kwargs=kwargs)
        urls[code] = request.build_absolute_uri(path + (f"?{query}" if query else ""))
    return urls


def api_url(request: HttpRequest, name: str, query: dict[str, str] | None = None, **kwargs) -> str:  # type: ignore[no-untyped-def]
    path = reverse(f"api:{name}", kwargs=kwargs or None)
    return request.build_absolute_uri(path + (f"?{urlencode(query)}" if query else ""))


def _list_page_urls(request: HttpRequest, parameter: str, value: str) -> dict[str, str]:
    return page_urls(request, "participation:opportunity_list", query=urlencode({parameter: value}))


def channel_ref(channel: Channel) -> dict[str, Any]:
    return {"slug": channel.slug, "name": bilingual(channel)}


def department_ref(department: Department) -> dict[str, Any]:
    return {
        "slug": department.slug,
        "abbreviation": department.abbreviation,
        "name": bilingual(department),
    }


def district_ref(district: District) -> dict[str, Any]:
    return {"number": district.number, "slug": district.slug, "name": district.name}


def topic_ref(topic: Topic) -> dict[str, Any]:
    return {"slug": topic.slug, "name": bilingual(topic)}


def principle_ref(principle: Principle) -> dict[str, Any]:
    return {"number": principle.number, "slug": principle.slug, "name": bilingual(principle)}


def venue_data(opportunity: Opportunity) -> dict[str, Any] | None:
    venue = opportunity.venue
    if venue is None:
        return None
    return {
        "name": venue.name,
        "address": venue.address,
        "postcode": venue.postcode,
        "city": venue.city,
        "latitude": venue.latitude,
        "longitude": venue.longitude,
    }


def opportunity_data(
    opportunity: Opportunity, request: HttpRequest, now: datetime, *, detail: bool = False
) -> dict[str, Any]:
    """An opportunity as in the list; `detail` adds the long texts and the contact."""
    page_kwargs = {"pk": opportunity.pk, "slug": opportunity.slug or "-"}
    districts = list(opportunity.districts.all())
    data: dict[str, Any] = {
        "id": opportunity.pk,
        "api_url": api_url(request, "opportunity_detail", pk=opportunity.pk),
        "url": page_urls(request, "participation:opportunity_detail", page_kwargs),
        "calendar_url": page_urls(request, "participation:opportunity_ical", page_kwargs)["da"],
        "title": opportunity.title,
        "summary": opportunity.summary,
        "language": opportunity.language,
        "channel": channel_ref(opportunity.channel),
        "status": opportunity.status_at(now).value,
        "departments": [department_ref(d) for d in opportunity.departments.all()],
        "districts": [district_ref(d) for d in districts],
        "whole_city": not districts,
        "topics": [topic_ref(t) for t in opportunity.topics.all()],
        "principles": [principle_ref(p) for p in opportunity.principles.all()],
        "start_at": utc(opportunity.start_at),
        "end_at": utc(opportunity.end_at),
        "deadline": utc(opportunity.deadline),
        "closes_at": utc(opportunity.closes_at),
        "venue": venue_data(opportunity),
        "location": opportunity.location,
        "online_url": opportunity.online_url or None,
        "participation_url": opportunity.participation_url or None,
        "source": {
            "system": opportunity.source,
            "url": opportunity.external_url or None,
        },
        "published_at": utc(opportunity.published_at),
        "updated_at": utc(opportunity.updated_at),
        "outcome_published_at": utc(opportunity.outcome_published_at),
    }
    if detail:
        data.update(
            {
                "body": opportunity.body,
                "accessibility": opportunity.accessibility,
                "outcome": opportunity.outcome if opportunity.outcome_published_at else "",
                "contact": {
                    "name": opportunity.contact_name,
                    "email": opportunity.contact_email,
                    "phone": opportunity.contact_phone,
                },
            }
        )
    return data


def channel_data(channel: Channel, request: HttpRequest) -> dict[str, Any]:
    return {
        **channel_ref(channel),
        "description": bilingual(channel, "description"),
        "who": bilingual(channel, "who"),
        "how": bilingual(channel, "how"),
        "run_by": bilingual(channel, "run_by"),
        "response_time": bilingual(channel, "response_time"),
        "website": channel.url or None,
        "open_count": channel.open_count,  # type: ignore[attr-defined]  (channels_with_counts)
        "url": page_urls(request, "participation:channel_detail", {"slug": channel.slug}),
        "opportunities_api_url": api_url(request, "opportunity_list", {"channel": channel.slug}),
    }


def local_committee_data(committee: LocalCommittee) -> dict[str, Any]:
    return {"slug": committee.slug, "name": committee.name, "website": committee.website or None}


def district_data(
    district: District, request: HttpRequest, *, geometry: bool = False
) -> dict[str, Any]:
    data = {
        **district_ref(district),
        "description": district.description,
        "area_m2": district.area_m2,
        "local_committees": [local_committee_data(c) for c in district.local_committees.all()],
        "url": page_urls(request, "participation:district_detail", {"slug": district.slug}),
        "opportunities_api_url": api_url(request, "opportunity_list", {"district": district.slug}),
    }
    if geometry:
        data["geometry"] = district.geometry
    return data


def department_data(department: Department, request: HttpRequest) -> dict[str, Any]:
    return {
        **department_ref(department),
        "url": _list_page_urls(request, "department", department.slug),
        "opportunities_api_url": api_url(
            request, "opportunity_list", {"department": department.slug}
        ),
    }


def topic_data(topic: Topic, request: HttpRequest) -> dict[str, Any]:
    return {
        **topic_ref(topic),
        "url": _list_page_urls(request, "topic", topic.slug),
        "opportunities_api_url": api_url(request, "opportunity_list", {"topic": topic.slug}),
    }


def principle_data(principle: Principle, request: HttpRequest) -> dict[str, Any]:
    return {
        **principle_ref(principle),
        "summary": bilingual(principle, "summary"),
        "url": _list_page_urls(request, "principle", principle.slug),
        "opportunities_api_url": api_url(
            request, "opportunity_list", {"principle": principle.slug}
        ),
    }


def _opportunity_ref(
    opportunity: Opportunity | None, request: HttpRequest
) -> dict[str, Any] | None:
    """A referral target, if the public may see it: a draft's title is not news yet."""
    if opportunity is None or not opportunity.is_published or opportunity.withdrawn_at:
        return None
    return {
        "id": opportunity.pk,
        "title": opportunity.title,
        "api_url": api_url(request, "opportunity_detail", pk=opportunity.pk),
    }


def idea_data(
    idea: Idea,
    request: HttpRequest,
    *,
    timeline: list[TimelineEntry] | None = None,
) -> dict[str, Any]:
    """A public idea (see sammen/api/ideas.py for which and why); with `timeline`, the detail.

    No personal data: neither the submitter's name, e-mail, phone or address, nor attachments,
    internal notes or the names of staff. `updated_at` is the last change to the idea or to its
    public timeline (`last_public_change_at`, annotated by sammen.api.ideas.with_related).
    """
    districts = list(idea.districts.all())
    last_entry = getattr(idea, "last_public_change_at", None)
    updated = max(idea.updated_at, last_entry) if last_entry else idea.updated_at
    data: dict[str, Any] = {
        "reference": idea.reference,
        "api_url": api_url(request, "idea_detail", reference=idea.reference),
        "url": page_urls(request, "ideas:detail", {"reference": idea.reference}),
        "title": idea.title,
        "description": idea.description,
        "districts": [district_ref(d) for d in districts],
        "whole_city": not districts and not idea.address,
        "topics": [topic_ref(t) for t in idea.topics.all()],
        "help_needed": list(idea.help_needed),
        "submitter_kind": idea.submitter_kind,
        "state": idea.state,
        "outcome": idea.outcome or None,
        "outcome_reason": idea.outcome_reason,
        "alternatives": idea.alternatives,
        "referred_channel": channel_ref(idea.referred_channel) if idea.referred_channel else None,
        "referred_opportunity": _opportunity_ref(idea.referred_opportunity, request),
        "lead_department": (department_ref(idea.lead_department) if idea.lead_department else None),
        "involved_departments": [department_ref(d) for d in idea.involved_departments.all()],
        "confirmed_at": utc(idea.confirmed_at),
        "closed_at": utc(idea.closed_at),
        "updated_at": utc(updated),
    }
    if timeline is not None:
        data["timeline"] = [
            {"at": utc(entry.at), "state": entry.to_state, "message": entry.public_message}
            for entry in timeline
        ]
    return data
