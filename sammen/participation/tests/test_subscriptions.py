"""Subscriptions by e-mail: double opt-in, the weekly digest, one-click unsubscribe and abuse."""

import io
import logging
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.campaigns.models import DailyReach
from sammen.campaigns.tests.factories import PlacementFactory
from sammen.core.tests.factories import district, topic
from sammen.participation.models import Subscription
from sammen.participation.subscriptions import (
    Choices,
    digest_build,
    digest_claim,
    subscription_confirm,
    subscription_request,
)
from sammen.participation.tasks import send_digest
from sammen.participation.tests.factories import OpportunityFactory, SubscriptionFactory, channel

pytestmark = pytest.mark.django_db

ADDRESS = "Mette.Borger@Example.DK"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The rate limits count in the cache, which outlives a test; every test starts from zero.
    cache.clear()
    yield
    cache.clear()


def subscribe_url(language: str = "da") -> str:
    with translation.override(language):
        return reverse("participation:subscribe")


def post_subscribe(client, *, language: str = "da", page_language: str = "da", **fields):
    data = {"email": ADDRESS, "district": ["noerrebro"], "language": language, **fields}
    return client.post(subscribe_url(page_language), data)


def new_opportunity(**fields):
    """Published yesterday, so it is new to every digest (the factory publishes 10 days ago)."""
    return OpportunityFactory(published_at=timezone.now() - timedelta(days=1), **fields)


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def confirm_link(message) -> str:
    """The link with a token that is not the unsubscribe link (whatever the language of the path)."""
    unsubscribe = unsubscribe_header_url(message)
    return next(
        link
        for link in links_in(message)
        if link != unsubscribe and re.search(r"/[A-Za-z0-9_-]{40,}/$", link)
    )


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def unsubscribe_header_url(message) -> str:
    return re.match(r"<([^>]+)>", message.extra_headers["List-Unsubscribe"]).group(1)


# --- the form ----------------------------------------------------------------------------------


def test_subscribe_page_prefills_the_district_from_the_query_string(client):
    response = client.get(subscribe_url(), {"district": "noerrebro", "topic": "trafik"})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'value="noerrebro"[^>]*checked', html)
    assert re.search(r'value="trafik"[^>]*checked', html)
    assert not re.search(r'value="valby"[^>]*checked', html)


def test_subscribe_page_ignores_unknown_values_in_the_query_string(client):
    response = client.get(subscribe_url(), {"district": "atlantis", "channel": "<script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"<input[^>]*checked", html) == re.findall(
        r'<input[^>]*name="language"[^>]*checked', html
    )


def test_subscribe_page_defaults_to_the_language_of_the_page(client):
    html = client.get(subscribe_url("en")).content.decode()
    assert re.search(r'name="language" value="en"[^>]*checked', html)


def test_subscribe_page_says_what_is_stored_and_links_the_privacy_notice(client):
    html = client.get(subscribe_url()).content.decode()
    assert reverse("core:privacy") in html
    assert 'name="website"' in html  # the honeypot


def test_subscribe_page_runs_the_same_queries_with_5_and_50_opportunities(client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(subscribe_url()).status_code == 200
        return len(queries)

    OpportunityFactory.create_batch(5)
    five = count()
    OpportunityFactory.create_batch(45)
    assert count() == five


def test_nothing_chosen_is_refused_with_a_message_and_keeps_what_was_typed(client):
    response = client.post(
        subscribe_url("en"), {"email": "typed@example.dk", "language": "en", "district": []}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose at least one district, topic or way to take part" in html
    assert 'value="typed@example.dk"' in html
    assert 'href="#id_district"' in html  # the error summary links to the field
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_a_bad_address_is_refused_and_the_choices_are_kept(client):
    response = client.post(
        subscribe_url("en"),
        {"email": "not-an-address", "language": "en", "district": ["valby"], "topic": ["trafik"]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="not-an-address"' in html
    assert re.search(r'value="valby"[^>]*checked', html)
    assert re.search(r'value="trafik"[^>]*checked', html)
    assert 'aria-invalid="true"' in html


def test_every_district_alone_subscribes_to_everything(client):
    response = post_subscribe(client, district=["hele-byen"])
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert Choices.of(subscription).is_everything


def test_every_district_wins_over_single_districts(client):
    post_subscribe(client, district=["hele-byen", "valby"], topic=["trafik"])
    subscription = Subscription.objects.get()
    assert list(subscription.districts.all()) == []
    assert list(subscription.topics.all()) == [topic("trafik")]


def test_campaign_code_counts_for_its_poster_and_is_not_kept(client):
    placement = PlacementFactory(code="ab3cd")
    html = client.get(subscribe_url() + "?campaign=ab3cd").content.decode()
    assert re.search(r'name="campaign" value="ab3cd"', html)

    post_subscribe(client, campaign=" AB3CD ")  # typed from a poster: trimmed, lower-cased
    post_subscribe(client, campaign="<script>", email="other@example.dk")
    post_subscribe(client, campaign="22222", email="third@example.dk")  # well-formed, unknown
    post_subscribe(client, campaign="ab3cd", email="not an address")  # invalid: not accepted

    assert Subscription.objects.count() == 3
    assert list(DailyReach.objects.values_list("placement", "subscriptions", "visits")) == [
        (placement.pk, 1, 0)
    ]
    assert "campaign_code" not in {field.name for field in Subscription._meta.get_fields()}


def test_a_refused_subscription_counts_nothing_for_the_poster(client):
    placement = PlacementFactory()
    response = post_subscribe(client, campaign=placement.code, website="http://spam.example")
    assert response.status_code == 400
    assert not DailyReach.objects.exists()


# --- double opt-in -----------------------------------------------------------------------------


def test_the_whole_journey_in_english(client, settings, caplog):
    caplog.set_level(logging.DEBUG)
    settings.SITE_URL = "https://sammen.example"
    response = post_subscribe(
        client, language="en", page_language="en", district=["noerrebro"], topic=["trafik"]
    )
    assert response.status_code == 302
    with translation.override("en"):
        assert response.url == reverse("participation:subscribe_sent")
    assert ADDRESS.lower() not in response.url.lower()
    sent_page = client.get(response.url)
    assert "Check your inbox" in sent_page.content.decode()

    # The confirmation e-mail: English, absolute links, text and HTML, one-click headers.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Mette.Borger@example.dk"]  # the domain is lower-cased
    assert message.subject == "Confirm your subscription"
    link = confirm_link(message)
    assert link.startswith("https://sammen.example/en/")
    assert 'lang="en"' in html_of(message)
    assert "Nørrebro" in message.body and "Traffic, cycling and streets" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_header_url(message).startswith("https://sammen.example/en/")

    # Opening the link (as a mail scanner would) does not confirm; the button does.
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    confirmed = client.post(path_of(link))
    assert confirmed.status_code == 200
    assert "Subscription confirmed" in confirmed.content.decode()
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    # The weekly digest tells about what matches, and nothing else.
    noerrebro_traffic = new_opportunity(
        title="Cykelsti på Nørrebrogade", districts=[district(3)], topics=[topic("trafik")]
    )
    whole_city_traffic = new_opportunity(title="Trafikplan for hele byen", topics=[topic("trafik")])
    valby_traffic = new_opportunity(
        title="Ny vej i Valby", districts=[district(5)], topics=[topic("trafik")]
    )
    noerrebro_culture = new_opportunity(
        title="Kulturhus på Nørrebro", districts=[district(3)], topics=[topic("kultur")]
    )
    mail.outbox.clear()
    send_digest.enqueue(subscription_id=subscription.pk)
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.subject == "New ways to influence your city"
    for text in (digest.body, html_of(digest)):
        assert noerrebro_traffic.title in text
        assert whole_city_traffic.title in text
        assert valby_traffic.title not in text
        assert noerrebro_culture.title not in text
    assert "https://sammen.example/en/" in digest.body

    # One-click unsubscribe from the mail client: a POST without cookies or CSRF token.
    unsubscribe = unsubscribe_header_url(digest)
    assert unsubscribe in digest.body
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        path_of(unsubscribe),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()

    # No e-mail address reached the log at any step.
    logged = "\n".join(record.getMessage() for record in caplog.records).lower()
    assert "mette.borger" not in logged


def test_confirmation_follows_the_chosen_language_not_the_page(client):
    post_subscribe(client, language="da", page_language="en")
    message = mail.outbox[0]
    assert 'lang="da"' in html_of(message)
    assert "/en/" not in confirm_link(message)
    assert "/en/" not in unsubscribe_header_url(message)


def test_confirmation_in_english_when_asked_on_a_danish_page(client):
    post_subscribe(client, language="en", page_language="da")
    message = mail.outbox[0]
    assert message.subject == "Confirm your subscription"
    assert "/en/" in confirm_link(message)


def test_confirming_twice_is_harmless(client):
    post_subscribe(client)
    link = path_of(confirm_link(mail.outbox[0]))
    assert client.post(link).status_code == 200
    first = Subscription.objects.get().confirmed_at
    assert client.post(link).status_code == 200
    assert client.get(link).status_code == 200
    assert Subscription.objects.get().confirmed_at == first


def test_an_unknown_token_gives_a_friendly_page(client):
    with translation.override("en"):
        url = reverse("participation:subscribe_confirm", kwargs={"token": "nope"})
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()


def test_a_confirmation_link_expires_after_7_days(client):
    subscription = SubscriptionFactory(confirmed_at=None)
    Subscription.objects.filter(pk=subscription.pk).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    url = reverse("participation:subscribe_confirm", kwargs={"token": subscription.token})
    assert client.post(url).status_code == 404
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_subscribing_again_does_not_reveal_that_the_address_subscribes(client):
    first = post_subscribe(client, email="new@example.dk")
    SubscriptionFactory(email=ADDRESS)
    again = post_subscribe(client)
    assert first.status_code == again.status_code == 302
    assert first.url == again.url


def test_confirming_again_replaces_the_choices_of_the_existing_subscription(client):
    existing = SubscriptionFactory(email="mette.borger@example.dk", language="da")
    existing.districts.set([district(5)])
    old_token = existing.token
    post_subscribe(client, district=["noerrebro"], topic=["trafik"], language="en")
    client.post(path_of(confirm_link(mail.outbox[0])))

    subscription = Subscription.objects.get()  # still one row for the address
    assert subscription.pk == existing.pk
    assert subscription.token == old_token  # the links in earlier e-mails keep working
    assert subscription.language == "en"
    assert list(subscription.districts.all()) == [district(3)]
    assert list(subscription.topics.all()) == [topic("trafik")]


def test_two_pending_requests_confirm_into_one_subscription():
    first = subscription_request(
        email=ADDRESS, language="da", districts=[district(3)], topics=[], channels=[]
    )
    second = subscription_request(
        email=ADDRESS, language="da", districts=[district(5)], topics=[], channels=[]
    )
    subscription_confirm(subscription=first)
    result = subscription_confirm(subscription=second)
    assert result.pk == first.pk
    assert Subscription.objects.count() == 1
    assert list(result.districts.all()) == [district(5)]


# --- abuse -------------------------------------------------------------------------------------


def test_a_filled_honeypot_is_refused_and_keeps_what_was_typed(client):
    response = post_subscribe(client, page_language="en", website="https://spam.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "We could not send your request" in html
    assert f'value="{ADDRESS.lower()}"' in html.lower()
    assert 'name="website" id="id_website" tabindex="-1" autocomplete="off">' in html  # emptied
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_more_than_5_requests_an_hour_from_one_address_are_refused(client):
    for n in range(5):
        assert post_subscribe(client, email=f"person{n}@example.dk").status_code == 302
    response = post_subscribe(client, email="person6@example.dk")
    assert response.status_code == 429
    html = response.content.decode()
    assert 'value="person6@example.dk"' in html
    assert "error-summary" in html
    assert len(mail.outbox) == 5
    # Another IP address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert post_subscribe(other, email="person7@example.dk").status_code == 302


def test_more_than_3_requests_an_hour_for_one_e_mail_address_are_refused():
    for n in range(3):
        ip_client = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert post_subscribe(ip_client, email="target@example.dk").status_code == 302
    response = post_subscribe(Client(REMOTE_ADDR="192.0.2.99"), email="TARGET@example.dk")
    assert response.status_code == 429
    assert len(mail.outbox) == 3


def test_invalid_requests_do_not_use_up_the_rate_limit(client):
    for _ in range(6):
        client.post(subscribe_url(), {"email": "oops", "language": "da"})
    assert post_subscribe(client).status_code == 302


# --- clean-up ----------------------------------------------------------------------------------


def test_unconfirmed_subscriptions_are_deleted_after_7_days():
    now = timezone.now()
    old_pending = SubscriptionFactory(confirmed_at=None)
    young_pending = SubscriptionFactory(confirmed_at=None)
    old_confirmed = SubscriptionFactory()
    Subscription.objects.filter(pk__in=[old_pending.pk, old_confirmed.pk]).update(
        created_at=now - timedelta(days=7, minutes=1)
    )
    Subscription.objects.filter(pk=young_pending.pk).update(created_at=now - timedelta(days=6))

    call_command("cleanup_subscriptions", stdout=io.StringIO())
    assert set(Subscription.objects.values_list("pk", flat=True)) == {
        young_pending.pk,
        old_confirmed.pk,
    }
    call_command("cleanup_subscriptions", stdout=io.StringIO())
    assert Subscription.objects.count() == 2


# --- the weekly digest -------------------------------------------------------------------------


def test_a_digest_is_not_sent_twice():
    subscription = SubscriptionFactory()
    new_opportunity()
    send_digest.enqueue(subscription_id=subscription.pk)
    send_digest.enqueue(subscription_id=subscription.pk)
    assert len(mail.outbox) == 1


def test_two_workers_that_read_the_same_row_claim_it_only_once():
    subscription = SubscriptionFactory(last_digest_at=timezone.now() - timedelta(days=7))
    previous = subscription.last_digest_at  # both workers read the row before either claims
    now = timezone.now()
    first = digest_claim(subscription_id=subscription.pk, previous=previous, now=now)
    second = digest_claim(
        subscription_id=subscription.pk, previous=previous, now=now + timedelta(seconds=1)
    )
    assert (first, second) == (True, False)


def test_send_digests_enqueues_only_due_subscriptions(capsys):
    new_opportunity()
    due = SubscriptionFactory(last_digest_at=timezone.now() - timedelta(days=7))
    SubscriptionFactory(last_digest_at=timezone.now() - timedelta(days=2))  # had one this week
    SubscriptionFactory(confirmed_at=None)  # never confirmed
    call_command("send_digests")
    assert [m.to for m in mail.outbox] == [[due.email]]
    assert "example.dk" not in capsys.readouterr().out
    call_command("send_digests")
    assert len(mail.outbox) == 1


def test_nothing_is_sent_when_nothing_matches():
    subscription = SubscriptionFactory()
    subscription.districts.set([district(5)])
    OpportunityFactory(districts=[district(3)])
    send_digest.enqueue(subscription_id=subscription.pk)
    assert mail.outbox == []


def test_nothing_is_sent_when_nothing_is_new_or_closing():
    subscription = SubscriptionFactory(last_digest_at=timezone.now() - timedelta(days=7))
    OpportunityFactory(published_at=timezone.now() - timedelta(days=30))  # old, closes in 20 days
    send_digest.enqueue(subscription_id=subscription.pk)
    assert mail.outbox == []


def test_digest_reminds_of_what_closes_soon_without_repeating_new_ones():
    now = timezone.now()
    subscription = SubscriptionFactory(last_digest_at=now - timedelta(days=7))
    closing = OpportunityFactory(
        title="Lukker snart",
        published_at=now - timedelta(days=30),
        deadline=now + timedelta(days=3),
    )
    new_and_closing = OpportunityFactory(
        title="Ny og lukker snart",
        published_at=now - timedelta(days=1),
        deadline=now + timedelta(days=2),
    )
    closed = OpportunityFactory(
        title="Allerede lukket",
        published_at=now - timedelta(days=1),
        start_at=now - timedelta(days=20),
        deadline=now - timedelta(days=1),
    )
    unpublished = OpportunityFactory(title="Kladde", is_published=False, published_at=None)
    digest = digest_build(choices=Choices.of(subscription), since=now - timedelta(days=7), now=now)
    assert digest.new == [new_and_closing]
    assert digest.closing_soon == [closing]
    assert closed not in digest.new and unpublished not in digest.new


def test_digest_matches_channels():
    subscription = SubscriptionFactory()
    subscription.channels.set([channel("borgermoede")])
    meeting = new_opportunity(channel=channel("borgermoede"))
    new_opportunity(channel=channel("hoering"))
    digest = digest_build(
        choices=Choices.of(subscription), since=timezone.now() - timedelta(days=7)
    )
    assert digest.new == [meeting]


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


def test_a_failed_send_keeps_the_subscription_due_for_the_next_run(settings):
    subscription = SubscriptionFactory(last_digest_at=None)
    new_opportunity()
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenBackend"}}
    result = send_digest.enqueue(subscription_id=subscription.pk)
    assert result.status == "FAILED"
    subscription.refresh_from_db()
    assert subscription.last_digest_at is None

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    send_digest.enqueue(subscription_id=subscription.pk)
    assert len(mail.outbox) == 1


def test_building_a_digest_runs_the_same_queries_with_5_and_50_opportunities():
    subscription = SubscriptionFactory()
    subscription.districts.set([district(3)])
    subscription.topics.set([topic("trafik")])
    since = timezone.now() - timedelta(days=7)
    recent = timezone.now() - timedelta(days=1)
    soon = timezone.now() + timedelta(days=3)

    def count() -> tuple[int, int]:
        fresh = Subscription.objects.get(pk=subscription.pk)
        with CaptureQueriesContext(connection) as queries:
            digest = digest_build(choices=Choices.of(fresh), since=since)
            for opportunity in digest.new + digest.closing_soon:
                _ = opportunity.channel.name, list(opportunity.districts.all())
        return len(queries), len(digest.new) + len(digest.closing_soon)

    def batch(size: int) -> None:
        matching = {"districts": [district(3)], "topics": [topic("trafik")]}
        OpportunityFactory.create_batch(size, published_at=recent, **matching)
        OpportunityFactory.create_batch(size, deadline=soon, **matching)

    batch(5)
    five, listed = count()
    assert listed == 10
    batch(45)
    fifty, listed = count()
    assert listed == 40  # 20 per section; the rest are a link away
    assert fifty == five


# --- unsubscribe -------------------------------------------------------------------------------


def test_opening_the_unsubscribe_link_asks_before_deleting(client):
    subscription = SubscriptionFactory()
    url = reverse("participation:unsubscribe", kwargs={"token": subscription.token})
    response = client.get(url)
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_the_unsubscribe_button_works_and_repeating_it_is_harmless():
    subscription = SubscriptionFactory()
    browser = Client(enforce_csrf_checks=True)
    url = reverse("participation:unsubscribe", kwargs={"token": subscription.token})
    assert browser.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscription.objects.exists()
    again = browser.post(url, {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200
    assert browser.get(url).status_code == 404


def test_the_confirmation_e_mail_can_delete_the_request_at_once(client):
    post_subscribe(client)
    message = mail.outbox[0]
    assert unsubscribe_header_url(message) in message.body
    client.post(path_of(unsubscribe_header_url(message)))
    assert not Subscription.objects.exists()
