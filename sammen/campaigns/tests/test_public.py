"""The public side of a poster campaign: the short link, the landing page and the conversions
counted for the poster a visitor came from, without a cookie or anything stored about them."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.campaigns.models import DailyReach
from sammen.campaigns.reach import normalise_code, today
from sammen.campaigns.tests.factories import CampaignFactory, PlacementFactory
from sammen.core.tests.factories import UserFactory
from sammen.ideas.models import Idea
from sammen.ideas.tests.test_submit import about_step, idea_step
from sammen.participation.models import Subscription
from sammen.participation.tests.factories import OpportunityFactory, channel

pytestmark = pytest.mark.django_db

CODE = "ab3cd"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The subscribe and idea forms count requests in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def placement():
    campaign = CampaignFactory(
        featured_opportunities=[OpportunityFactory(title="Lokalplan for Nørrebroparken")],
        channels=[channel("hoering")],
    )
    return PlacementFactory(campaign=campaign, code=CODE)


def landing_url(year: int, language: str = "da") -> str:
    with translation.override(language):
        return reverse("campaigns:landing", args=[year])


def url(name: str, language: str = "da") -> str:
    with translation.override(language):
        return reverse(name)


def visits() -> list[tuple[str, int, int, int]]:
    return list(
        DailyReach.objects.values_list("placement__code", "visits", "subscriptions", "ideas")
    )


def assert_no_cookie(response) -> None:
    assert not response.cookies, response.cookies
    assert "Set-Cookie" not in response.headers


# --- the short link ----------------------------------------------------------------------------


def test_a_known_code_counts_one_visit_and_redirects_to_the_landing_page(client, placement):
    response = client.get(f"/k/{CODE}")
    assert response.status_code == 302
    assert response["Location"] == f"{landing_url(placement.campaign.year)}?k={CODE}"
    assert "no-store" in response["Cache-Control"]
    assert_no_cookie(response)
    assert visits() == [(CODE, 1, 0, 0)]
    assert DailyReach.objects.get().day == today()


def test_a_code_typed_in_capitals_is_the_same_poster(client, placement):
    response = client.get(f"/k/{CODE.upper()}")
    assert response["Location"].endswith(f"?k={CODE}")
    assert visits() == [(CODE, 1, 0, 0)]


def test_an_english_browser_lands_on_the_english_page(client, placement):
    response = client.get(f"/k/{CODE}", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == f"{landing_url(placement.campaign.year, 'en')}?k={CODE}"
    assert response["Location"].startswith("/en/campaign/")


def test_head_and_other_methods_count_nothing(client, placement):
    response = client.head(f"/k/{CODE}")
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    assert client.post(f"/k/{CODE}").status_code == 405
    assert client.options(f"/k/{CODE}").status_code == 405
    assert not DailyReach.objects.exists()


def test_an_unpublished_landing_page_sends_the_visitor_to_get_involved(client, placement):
    placement.campaign.is_published = False
    placement.campaign.save()
    response = client.get(f"/k/{CODE}")
    assert response["Location"] == f"{url('participation:home')}?k={CODE}"
    assert visits() == [(CODE, 1, 0, 0)]


@pytest.mark.parametrize("code", ["22222", "ab0cd", "abcdefghijk", "%3Cscript%3E"])
def test_an_unknown_code_shows_a_friendly_page_and_counts_nothing(client, placement, code):
    response = client.get(f"/k/{code}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
    assert_no_cookie(response)
    page = response.content.decode()
    assert "We do not know this poster link" in page
    assert f'href="{url("participation:home", "en")}"' in page
    assert f'href="{url("ideas:submit", "en")}"' in page
    assert '<meta name="robots" content="noindex' in page
    assert not DailyReach.objects.exists()


def test_nothing_about_the_visitor_is_stored(client, placement):
    client.get(
        f"/k/{CODE}",
        REMOTE_ADDR="192.0.2.44",
        HTTP_USER_AGENT="Mozilla/5.0 (Telefon) Særlig-Browser/1.0",
    )
    with connection.cursor() as cursor:
        dump = []
        for table in connection.introspection.table_names(cursor):
            if table.startswith(("campaigns_", "django_session")):
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the schema)
                dump.extend(cursor.fetchall())
    text = repr(dump)
    assert "192.0.2.44" not in text and "Særlig-Browser" not in text
    assert DailyReach.objects.count() == 1  # one counter row, no per-visit row


# --- the landing page --------------------------------------------------------------------------


def test_the_landing_page_in_danish_and_english(client, placement):
    year = placement.campaign.year
    page = client.get(landing_url(year)).content.decode()
    assert "Har du en idé til din bydel? Få indflydelse." in page
    assert "Kommunen vil gerne høre fra dig." in page
    assert "Lokalplan for Nørrebroparken" in page
    assert channel("hoering").name_da in page
    assert f'href="{url("participation:home")}"' in page

    response = client.get(landing_url(year, "en"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Got an idea for your neighbourhood? Have your say." in page
    assert "The City wants to hear from you." in page
    assert "Subscribe by e-mail" in page and "Send an idea" in page
    assert channel("hoering").name_en in page
    assert_no_cookie(response)


def test_links_carry_the_posters_code_only_when_it_is_known(client, placement):
    year = placement.campaign.year
    page = client.get(f"{landing_url(year)}?k={CODE}").content.decode()
    assert f'href="{url("participation:subscribe")}?campaign={CODE}"' in page
    assert f'href="{url("ideas:submit")}?campaign={CODE}"' in page

    for unknown in ("22222", "<b>x</b>", ""):
        page = client.get(landing_url(year), {"k": unknown}).content.decode()
        assert "campaign=" not in page
        assert f'href="{url("participation:subscribe")}"' in page


def test_only_published_public_opportunities_are_featured(client, placement):
    placement.campaign.featured_opportunities.add(
        OpportunityFactory(title="Kladde til en høring", is_published=False)
    )
    page = client.get(landing_url(placement.campaign.year)).content.decode()
    assert "Lokalplan for Nørrebroparken" in page
    assert "Kladde til en høring" not in page


def test_an_unpublished_landing_page_is_a_404_except_for_a_preview_by_staff(client, placement):
    campaign = placement.campaign
    campaign.is_published = False
    campaign.save()
    assert client.get(landing_url(campaign.year)).status_code == 404
    assert client.get(landing_url(campaign.year + 1)).status_code == 404  # no such campaign

    consultant = UserFactory()
    RoleAssignment.objects.create(user=consultant, role=Role.STEERING)
    assert verified_login(Client(), consultant).get(landing_url(campaign.year)).status_code == 404

    coordinator = UserFactory()
    RoleAssignment.objects.create(user=coordinator, role=Role.COORDINATOR)
    staff = verified_login(Client(), coordinator)
    response = staff.get(landing_url(campaign.year, "en"))
    assert response.status_code == 200
    assert "Preview – not published" in response.content.decode()
    # Without the second factor, no preview.
    unverified = Client()
    unverified.force_login(coordinator)
    assert unverified.get(landing_url(campaign.year)).status_code == 404


def test_a_published_page_shows_no_preview_notice_to_staff(placement):
    coordinator = UserFactory()
    RoleAssignment.objects.create(user=coordinator, role=Role.COORDINATOR)
    staff = verified_login(Client(), coordinator)
    page = staff.get(landing_url(placement.campaign.year, "en")).content.decode()
    assert "Preview – not published" not in page


def test_the_current_campaign_is_the_newest_published_one(client):
    assert client.get(url("campaigns:current")).status_code == 404
    old = CampaignFactory(year=2022)
    CampaignFactory(year=2023)
    CampaignFactory(year=2024, is_published=False)
    response = client.get(url("campaigns:current"))
    assert response.status_code == 302
    assert response["Location"] == landing_url(2023)
    assert old.get_absolute_url() == "/kampagne/2022/"
    with translation.override("en"):
        assert old.get_absolute_url() == "/en/campaign/2022/"


def test_the_landing_page_runs_a_fixed_number_of_queries(client, placement):
    campaign = placement.campaign
    target = f"{landing_url(campaign.year)}?k={CODE}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(target).status_code == 200
        return len(context.captured_queries)

    small = queries()
    campaign.featured_opportunities.add(*OpportunityFactory.create_batch(8))
    campaign.channels.add(channel("borgermoede"), channel("lokaludvalg"))
    assert queries() == small
    assert small <= 8


# --- conversions -------------------------------------------------------------------------------


def test_a_subscription_from_a_poster_counts_for_that_poster_and_keeps_no_code(client, placement):
    landing = client.get(client.get(f"/k/{CODE}")["Location"]).content.decode()
    subscribe = re.search(r'href="([^"]*\?campaign=[^"]*)"', landing).group(1)
    page = client.get(subscribe.replace("&amp;", "&")).content.decode()
    assert f'name="campaign" value="{CODE}"' in page
    response = client.post(
        url("participation:subscribe"),
        {
            "email": "borger@example.dk",
            "district": ["noerrebro"],
            "language": "da",
            "campaign": CODE,
        },
    )
    assert response.status_code == 302
    assert visits() == [(CODE, 1, 1, 0)]
    assert Subscription.objects.count() == 1
    assert CODE not in repr(Subscription.objects.values().get())
    assert_no_cookie(response)


def idea_journey(client, code: str) -> list:
    """Send an idea from the first step, carrying `code`; returns each step's redirect."""
    carried = normalise_code(code)  # a well-formed code travels on, known or not
    query = f"?campaign={code}" if code else ""
    page = client.get(url("ideas:submit", "en") + query).content.decode()
    assert (f'name="campaign" value="{code}"' in page) == bool(carried)
    hidden = {"campaign": code} if code else {}
    redirects = [
        client.post(url("ideas:submit", "en"), {**idea_step(), **hidden}),
        client.post(url("ideas:submit_about", "en"), {**about_step(), **hidden}),
    ]
    summary = client.get(redirects[-1]["Location"]).content.decode()
    assert (f'name="campaign" value="{code}"' in summary) == bool(carried)
    assert (f"?change=1&amp;campaign={code}#id_title" in summary) == bool(carried)
    redirects.append(
        client.post(url("ideas:submit_summary", "en"), {"consent_contact": "on", **hidden})
    )
    return redirects


def test_an_idea_from_a_poster_counts_once_and_stores_no_code(
    client, placement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, second, sent = idea_journey(client, CODE)
    assert first["Location"] == f"{url('ideas:submit_about', 'en')}?campaign={CODE}"
    assert second["Location"] == f"{url('ideas:submit_summary', 'en')}?campaign={CODE}"
    assert sent["Location"] == url("ideas:submit_sent", "en")
    assert visits() == [(CODE, 0, 0, 1)]

    # Posting the summary again (a double click, the back button) sends and counts nothing more.
    again = client.post(
        url("ideas:submit_summary", "en"), {"consent_contact": "on", "campaign": CODE}
    )
    assert again.status_code == 302
    assert Idea.objects.count() == 1
    assert visits() == [(CODE, 0, 0, 1)]

    idea = Idea.objects.get()
    assert not [f.name for f in Idea._meta.get_fields() if "campaign" in f.name]
    assert CODE not in repr(Idea.objects.values().get(pk=idea.pk))
    assert CODE not in repr(dict(client.session.items()))


@pytest.mark.parametrize("code", ["", "22222", "ab0cd"])
def test_an_idea_with_an_invalid_or_unknown_code_counts_nothing(client, placement, code):
    *_steps, sent = idea_journey(client, code)
    assert sent.status_code == 302
    assert Idea.objects.count() == 1
    assert not DailyReach.objects.exists()


# --- what the visitor is told, and where search engines look ------------------------------------


def test_the_privacy_notice_says_what_is_counted(client):
    with translation.override("en"):
        page = client.get(reverse("core:privacy")).content.decode()
    section = page[page.index('id="posters"') :]
    section = section[: section.index("<h2", 10)]
    assert "one counter per poster and day" in section
    assert "subscribe or send an idea after arriving from a poster" in section
    assert "short code in the page address" in section
    assert "no cookie" in section and "no IP address" in section
    assert "no information about your browser" in section
    assert "nothing about the poster is stored with your subscription or your idea" in section


def test_the_sitemap_lists_published_landing_pages_in_both_languages(placement):
    from django.contrib.sites.requests import RequestSite
    from django.test import RequestFactory

    from sammen.campaigns.sitemaps import CampaignSitemap

    CampaignFactory(year=placement.campaign.year - 1, is_published=False)
    site = RequestSite(RequestFactory().get("/"))
    paths = {urlsplit(row["location"]).path for row in CampaignSitemap().get_urls(site=site)}
    year = placement.campaign.year
    assert paths == {landing_url(year), landing_url(year, "en")}


def test_a_campaign_that_is_over_says_so_and_points_to_what_is_open_now(client, placement):
    campaign = placement.campaign
    campaign.ends_on = today() - timedelta(days=1)
    campaign.starts_on = min(campaign.starts_on, campaign.ends_on)
    campaign.save()
    with translation.override("en"):
        page = client.get(landing_url(campaign.year, "en")).content.decode()
    assert "The campaign is over" in page and "What the campaign featured" in page

    campaign.ends_on = today()
    campaign.save()
    with translation.override("en"):
        page = client.get(landing_url(campaign.year, "en")).content.decode()
    assert "The campaign is over" not in page and "Have your say on this" in page
