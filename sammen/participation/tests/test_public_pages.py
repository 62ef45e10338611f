"""The public pages of Få indflydelse: front page, list with filters, opportunity, channels, districts."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from sammen.core.models import District, Venue
from sammen.core.tests.factories import department, district, principle, topic
from sammen.participation.models import Channel
from sammen.participation.search import stems_for
from sammen.participation.tests.factories import OpportunityFactory, channel

pytestmark = pytest.mark.django_db

LIST = "participation:opportunity_list"


@pytest.fixture(autouse=True)
def danish():
    """Start each test in Danish: a request under /en/ leaves English active in the thread."""
    with translation.override("da"):
        yield


def _list(client, **params):
    return client.get(reverse(LIST), params)


def _titles(response) -> set[str]:
    return {o.title for o in response.context["opportunities"]}


def _catalogue(n: int) -> None:
    """n opportunities of every kind a page shows: local, whole city, closing soon, outcome, …"""
    now = timezone.now()
    venue = Venue.objects.filter(district__number=3).first()
    for i in range(n):
        kind = i % 5
        if kind == 0:
            OpportunityFactory(districts=[district(3)], topics=[topic()], principles=[principle()])
        elif kind == 1:
            OpportunityFactory(deadline=now + timedelta(days=3))
        elif kind == 2:
            OpportunityFactory(
                districts=[district(3)],
                deadline=now - timedelta(days=5),
                outcome="Planen blev vedtaget med ændringer.",
                outcome_published_at=now - timedelta(days=1),
            )
        elif kind == 3:
            OpportunityFactory(
                channel=channel("borgermoede"),
                deadline=None,
                start_at=now + timedelta(days=2),
                end_at=now + timedelta(days=2, hours=2),
                venue=venue,
                districts=[district(3), district(2)],
                topics=[topic()],
            )
        else:
            OpportunityFactory(
                start_at=now + timedelta(days=5),
                deadline=now + timedelta(days=40),
                departments=[department("KFF"), department("TMF")],
            )


# --- a fixed number of queries -------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES = [
    lambda: reverse("participation:home"),
    lambda: reverse(LIST),
    lambda: reverse(LIST) + "?district=noerrebro&topic=trafik&status=open&status=outcome",
    lambda: reverse(LIST) + "?q=lokalplan&sort=newest",
    lambda: reverse("participation:channel_list"),
    lambda: reverse("participation:channel_detail", kwargs={"slug": "hoering"}),
    lambda: reverse("participation:district_list"),
    lambda: reverse("participation:district_detail", kwargs={"slug": "noerrebro"}),
    lambda: _first_meeting().get_absolute_url(),
]


def _first_meeting():
    from sammen.participation.models import Opportunity

    return Opportunity.objects.filter(channel__slug="borgermoede").order_by("pk").first()


@pytest.mark.parametrize("page", range(len(PAGES)))
def test_every_page_runs_the_same_number_of_queries_with_5_and_50_opportunities(client, page):
    _catalogue(5)
    url = PAGES[page]()
    client.get(url)  # warm caches (the district map) so both counts measure the same work
    with_5 = _queries(client, url)
    _catalogue(45)
    assert _queries(client, url) == with_5


# --- the front page ------------------------------------------------------------------------------


def test_front_page_shows_what_is_open_closing_soon_and_what_came_of_it(client):
    _catalogue(5)
    response = client.get(reverse("participation:home"))
    assert response.status_code == 200
    assert response.context["closing_soon"]
    assert response.context["outcomes"][0].outcome
    assert response.context["open_now"]
    html = response.content.decode()
    for d in District.objects.all():
        assert reverse("participation:district_detail", kwargs={"slug": d.slug}) in html
    assert reverse("participation:subscribe") in html
    assert f'action="{reverse(LIST)}"' in html


def test_front_page_counts_open_opportunities_per_channel(client):
    _catalogue(5)
    response = client.get(reverse("participation:home"))
    counts = {c.slug: c.open_count for c in response.context["channels"]}
    assert counts["borgermoede"] == 1
    assert counts["workshop"] == 0
    assert next(c.slug for c in response.context["channels"]) == "hoering"


# --- the list: filters ---------------------------------------------------------------------------


@pytest.fixture
def two():
    """A: Nørrebro hearing (TMF, traffic, principle 3). B: whole-city meeting (KFF, another topic)."""
    a = OpportunityFactory(
        title="A lokalplan",
        body="Nye træer i skolegården.",
        districts=[district(3)],
        topics=[topic("trafik")],
        principles=[principle(3)],
    )
    other_topic = topic_other()
    b = OpportunityFactory(
        title="B borgermøde",
        channel=channel("borgermoede"),
        departments=[department("KFF")],
        topics=[other_topic],
        principles=[principle(5)],
        body="Et møde om byens budget.",
    )
    for o in (a, b):  # the search index of SQLite reads these stems (see search.py)
        o.search_stems = stems_for(title=o.title, summary=o.summary, body=o.body)
        o.save(update_fields=["search_stems"])
    return a, b, other_topic


def topic_other():
    from sammen.core.models import Topic

    return Topic.objects.exclude(slug="trafik").order_by("slug").first()


@pytest.mark.parametrize(
    "params",
    [
        {"channel": "hoering"},
        {"district": "noerrebro"},
        {"department": "tmf"},
        {"topic": "trafik"},
        {"principle": "tydelig"},
        {"q": "skolegårde"},
    ],
)
def test_each_filter_narrows_the_list(client, two, params):
    assert _titles(_list(client)) == {"A lokalplan", "B borgermøde"}
    assert _titles(_list(client, **params)) == {"A lokalplan"}


def test_whole_city_means_no_district(client, two):
    assert _titles(_list(client, district="hele-byen")) == {"B borgermøde"}
    assert _titles(_list(client, district=["hele-byen", "noerrebro"])) == {
        "A lokalplan",
        "B borgermøde",
    }


def test_without_a_status_the_list_shows_open_and_upcoming_only(client):
    now = timezone.now()
    OpportunityFactory(title="Åben")
    OpportunityFactory(title="Kommende", start_at=now + timedelta(days=3))
    OpportunityFactory(title="Lukket", deadline=now - timedelta(days=1))
    assert _titles(_list(client)) == {"Åben", "Kommende"}
    assert _titles(_list(client, status="closed")) == {"Lukket"}


def test_closes_within_7_days(client):
    OpportunityFactory(title="Snart", deadline=timezone.now() + timedelta(days=2))
    OpportunityFactory(title="Senere")
    assert _titles(_list(client, closing_soon="on")) == {"Snart"}


@pytest.mark.parametrize(
    "params",
    [
        {"channel": "findes-ikke"},
        {"district": "atlantis"},
        {"department": "xyz"},
        {"topic": "ukendt"},
        {"principle": "nul"},
        {"status": "maybe"},
        {"sort": "random"},
    ],
)
def test_unknown_filter_values_give_an_empty_list_with_a_message(client, two, params):
    response = _list(client, **params)
    assert response.status_code == 200
    assert response.context["opportunities"] == []
    assert response.context["problem"]
    assert "error-summary" in response.content.decode()
    assert '<meta name="robots" content="noindex' in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99"])
def test_impossible_page_numbers_give_an_empty_list_with_a_message(client, two, page):
    response = _list(client, page=page)
    assert response.status_code == 200
    assert response.context["opportunities"] == []
    assert response.context["problem"]


def test_the_list_is_paginated_by_20_with_the_total(client):
    for _ in range(25):
        OpportunityFactory()
    first = _list(client)
    assert len(first.context["opportunities"]) == 20
    assert first.context["result_count"] == 25
    assert "25" in first.content.decode()
    second = _list(client, page=2)
    assert len(second.context["opportunities"]) == 5
    assert "?page=2" in first.content.decode()


def test_sort_by_deadline_or_newest(client):
    now = timezone.now()
    late = OpportunityFactory(deadline=now + timedelta(days=30), published_at=now)
    early = OpportunityFactory(
        deadline=now + timedelta(days=10), published_at=now - timedelta(days=5)
    )
    assert list(_list(client).context["opportunities"]) == [early, late]
    assert list(_list(client, sort="newest").context["opportunities"]) == [late, early]


def test_active_filters_are_tags_that_remove_themselves(client, two):
    response = _list(client, district="noerrebro", topic="trafik")
    tags = {t["text"]: t["url"] for t in response.context["active_filters"]}
    assert any("Nørrebro" in text for text in tags)
    removal = next(url for text, url in tags.items() if "Nørrebro" in text)
    assert "district=" not in removal
    assert "topic=trafik" in removal


def test_the_list_announces_its_feeds_with_its_filters(client, two):
    html = _list(client, district="noerrebro").content.decode()
    ical = reverse("participation:opportunities_ical")
    atom = reverse("participation:opportunities_atom")
    assert re.search(
        rf'<link rel="alternate" type="text/calendar" href="{ical}\?[^"]*district=noerrebro', html
    )
    assert re.search(
        rf'<link rel="alternate" type="application/atom\+xml" href="{atom}\?[^"]*district=noerrebro',
        html,
    )
    assert reverse("participation:opportunities_csv") + "?" in html


def test_the_list_works_as_a_plain_get_form(client, two):
    html = _list(client).content.decode()
    form = re.search(r'<form method="get" action="([^"]+)"[^>]*id="filters"', html)
    assert form and form.group(1) == reverse(LIST)
    assert 'type="submit"' in html
    assert 'name="district" value="hele-byen"' in html


def test_htmx_gets_only_the_results_and_an_announcement(client, two):
    response = client.get(
        reverse(LIST), {"district": "noerrebro"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="results"' in html
    assert 'id="results-status" hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in response["Vary"]
    full = _list(client, district="noerrebro").content.decode()
    assert "<html" in full and 'hx-push-url="true"' in full


# --- one opportunity -----------------------------------------------------------------------------


def test_a_wrong_or_missing_slug_redirects_permanently(client):
    opportunity = OpportunityFactory()
    wrong = reverse(
        "participation:opportunity_detail", kwargs={"pk": opportunity.pk, "slug": "forkert"}
    )
    short = reverse("participation:opportunity_detail_short", kwargs={"pk": opportunity.pk})
    for url in (wrong, short):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == opportunity.get_absolute_url()


def test_unpublished_opportunities_are_not_found(client):
    opportunity = OpportunityFactory(is_published=False)
    assert client.get(opportunity.get_absolute_url()).status_code == 404


def test_a_withdrawn_opportunity_says_so_and_offers_no_way_to_take_part(client):
    opportunity = OpportunityFactory(
        withdrawn_at=timezone.now(), participation_url="https://blivhoert.kk.dk/x"
    )
    response = client.get(opportunity.get_absolute_url())
    assert response.status_code == 200
    assert response.context["is_withdrawn"]
    html = response.content.decode()
    assert "https://blivhoert.kk.dk/x" not in html
    assert "noindex" in html


def test_the_opportunity_page_shows_everything_a_citizen_needs(client):
    venue = Venue.objects.filter(district__number=3, website__gt="").first()
    opportunity = OpportunityFactory(
        districts=[district(3)],
        topics=[topic()],
        principles=[principle(3)],
        venue=venue,
        contact_phone="33 66 33 66",
        participation_url="https://example.dk/svar",
        body="Første afsnit.\n\nAndet afsnit med <b>fed</b>.",
        outcome="Planen blev vedtaget.",
        outcome_published_at=timezone.now(),
    )
    html = client.get(opportunity.get_absolute_url()).content.decode()
    assert "<p>Første afsnit.</p>" in html
    assert "&lt;b&gt;fed&lt;/b&gt;" in html and "<b>fed</b>" not in html
    assert venue.name in html and venue.website in html
    assert "mailto:lokalplaner@tmf.kk.dk" in html
    assert "tel:33663366" in html
    assert "Planen blev vedtaget." in html
    assert (
        reverse(
            "participation:opportunity_ical",
            kwargs={"pk": opportunity.pk, "slug": opportunity.slug},
        )
        in html
    )
    assert reverse("participation:subscribe") + "?district=noerrebro&amp;topic=trafik" in html
    assert 'lang="da"' in html


def _json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_the_opportunity_page_has_event_structured_data(client):
    venue = Venue.objects.filter(district__number=3).first()
    opportunity = OpportunityFactory(
        channel=channel("borgermoede"),
        title="Møde </script><script>alert(1)</script>",
        venue=venue,
        start_at=timezone.now() + timedelta(days=2),
        end_at=timezone.now() + timedelta(days=2, hours=2),
        deadline=None,
    )
    data = _json_ld(client.get(opportunity.get_absolute_url()).content.decode())
    assert data["@type"] == "Event"
    assert data["name"] == opportunity.title
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"]["streetAddress"] == venue.address
    assert data["organizer"][0]["name"] == "Teknik- og Miljøforvaltningen"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["url"].endswith(opportunity.get_absolute_url())
    assert "startDate" in data and "endDate" in data


def test_an_online_opportunity_has_a_virtual_location(client):
    opportunity = OpportunityFactory(online_url="https://meet.example.dk/abc")
    data = _json_ld(client.get(opportunity.get_absolute_url()).content.decode())
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.dk/abc"}


# --- English -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,kwargs,text",
    [
        ("participation:home", {}, "Get involved in Copenhagen"),
        (LIST, {}, "Opportunities to influence the city"),
        ("participation:channel_list", {}, "Ways to take part"),
        ("participation:district_list", {}, "Copenhagen's ten districts"),
        ("participation:district_detail", {"slug": "noerrebro"}, "For the whole city"),
    ],
)
def test_english_pages_speak_english_and_link_to_the_danish_page(client, name, kwargs, text):
    with translation.override("en"):
        url = reverse(name, kwargs=kwargs)
    with translation.override("da"):
        danish = reverse(name, kwargs=kwargs)
    assert url.startswith("/en/")
    response = client.get(url)
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert text in html
    links = {code: link for code, link, _label in response.context["language_links"]}
    assert links["da"] == danish
    assert f'href="{danish}"' in html


def test_channel_texts_follow_the_language(client):
    hearing = Channel.objects.get(slug="hoering")
    assert hearing.description_da and hearing.description_en
    with translation.override("en"):
        url = reverse("participation:channel_detail", kwargs={"slug": "hoering"})
    assert escape(hearing.description_en) in client.get(url).content.decode()
    with translation.override("da"):
        danish = client.get(reverse("participation:channel_detail", kwargs={"slug": "hoering"}))
    assert '<html lang="da"' in danish.content.decode()
    assert escape(hearing.description_da) in danish.content.decode()


# --- channels and districts ----------------------------------------------------------------------


def test_every_channel_has_its_texts_and_a_page(client):
    response = client.get(reverse("participation:channel_list"))
    assert len(response.context["channels"]) == Channel.objects.count() == 11
    for c in Channel.objects.all():
        assert c.description_da and c.description_en and c.who_da and c.how_en, c.slug
        assert client.get(c.get_absolute_url()).status_code == 200


def test_a_channel_page_lists_only_what_is_open_or_upcoming_in_it(client):
    OpportunityFactory(title="Åben høring")
    OpportunityFactory(title="Lukket høring", deadline=timezone.now() - timedelta(days=1))
    OpportunityFactory(title="Møde", channel=channel("borgermoede"))
    response = client.get(reverse("participation:channel_detail", kwargs={"slug": "hoering"}))
    assert {o.title for o in response.context["opportunities"]} == {"Åben høring"}
    assert (
        client.get(
            reverse("participation:channel_detail", kwargs={"slug": "findes-ikke"})
        ).status_code
        == 404
    )


def test_a_district_page_separates_local_and_whole_city_opportunities(client):
    OpportunityFactory(title="Lokal", districts=[district(3)])
    OpportunityFactory(title="Hele byen")
    OpportunityFactory(title="Østerbro", districts=[district(2)])
    response = client.get(reverse("participation:district_detail", kwargs={"slug": "noerrebro"}))
    assert {o.title for o in response.context["local"]} == {"Lokal"}
    assert {o.title for o in response.context["whole_city"]} == {"Hele byen"}
    html = response.content.decode()
    assert "Nørrebro Lokaludvalg" in html
    assert "district-map__area--current" in html
    assert '<svg viewBox="0 0 400 340"' in html and "<title id=" in html


def test_an_unknown_district_is_not_found(client):
    assert (
        client.get(
            reverse("participation:district_detail", kwargs={"slug": "atlantis"})
        ).status_code
        == 404
    )


def test_the_district_list_links_every_district_in_the_map_and_as_text(client):
    html = client.get(reverse("participation:district_list")).content.decode()
    for d in District.objects.all():
        url = reverse("participation:district_detail", kwargs={"slug": d.slug})
        assert html.count(f'href="{url}"') == 2, d.slug


def test_pages_have_one_h1_and_breadcrumbs_below_the_front_page(client):
    opportunity = OpportunityFactory()
    for url in [
        reverse(LIST),
        opportunity.get_absolute_url(),
        reverse("participation:channel_list"),
        reverse("participation:channel_detail", kwargs={"slug": "hoering"}),
        reverse("participation:district_list"),
        reverse("participation:district_detail", kwargs={"slug": "noerrebro"}),
    ]:
        html = client.get(url).content.decode()
        assert html.count("<h1") == 1, url
        assert 'class="breadcrumbs"' in html, url
