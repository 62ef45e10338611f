"""The public idea board, the public idea page, following by e-mail and the sitemap."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sammen.core.models import MailLog
from sammen.core.tests.factories import district, topic
from sammen.ideas import services
from sammen.ideas.models import ErasureRecord, Follower, Idea
from sammen.ideas.privacy import idea_anonymise
from sammen.ideas.states import Outcome, State
from sammen.ideas.tests.factories import coordinator_user, idea_in, submitted_idea

pytestmark = pytest.mark.django_db

# Personal data the factories' ideas carry; none of it may reach a public page.
NAME, EMAIL, PHONE, ADDRESS = "Karen Hansen", "karen@example.org", "+45 12 34 56 78", "Søgade 7"


@pytest.fixture
def coordinator():
    return coordinator_user()


def published(state: str, coordinator, **changes) -> Idea:
    """An idea in `state` whose submitter agreed to publication and gave a phone and address."""
    idea = idea_in(state, coordinator=coordinator)
    # The consent is the citizen's choice at submission; the factory walks the default path.
    Idea.objects.filter(pk=idea.pk).update(
        consent_publish=True, phone=PHONE, address=ADDRESS, **changes
    )
    idea.refresh_from_db()
    return idea


def board(client, query: str = "") -> str:
    response = client.get(reverse("ideas:board") + query)
    assert response.status_code == 200
    return response.content.decode()


# --- the board -----------------------------------------------------------------------------------


def test_the_board_lists_public_ideas_and_never_personal_data(client, coordinator):
    shown = published(State.IN_PROGRESS, coordinator)
    shown.districts.set([district(3)])
    html = board(client)
    assert shown.title in html
    assert reverse("ideas:detail", args=[shown.reference]) in html
    assert district(3).name in html
    assert "TMF" in html or shown.lead_department.name in html
    for personal in (NAME, EMAIL, PHONE, ADDRESS, shown.tracking_token):
        assert personal not in html


def test_the_board_leaves_out_unpublished_unconfirmed_spam_duplicate_and_anonymised(
    client, coordinator
):
    private = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    Idea.objects.filter(pk=private.pk).update(title="Privat idé")
    unconfirmed = submitted_idea(title="Ubekræftet idé", consent_publish=True)
    spam = published(State.RECEIVED, coordinator, title="Spam-idé")
    services.idea_transition(idea=spam, to_state=State.CLOSED, by=coordinator, outcome=Outcome.SPAM)
    shown = published(State.RECEIVED, coordinator, title="Synlig idé")
    duplicate = published(State.RECEIVED, coordinator, title="Dublet-idé")
    services.idea_transition(
        idea=duplicate,
        to_state=State.CLOSED,
        by=coordinator,
        outcome=Outcome.DUPLICATE,
        duplicate_of=shown,
        public_message="Den findes allerede.",
    )
    erased = published(State.ANSWERED, coordinator, title="Anonymiseret idé")
    idea_anonymise(idea=erased, reason=ErasureRecord.Reason.CITIZEN_REQUEST)

    html = board(client)
    assert "Synlig idé" in html
    for hidden in ("Privat idé", "Ubekræftet idé", "Spam-idé", "Dublet-idé", "Anonymiseret idé"):
        assert hidden not in html
    assert unconfirmed.reference is None
    for idea in (private, spam, duplicate):
        idea.refresh_from_db()
        response = client.get(reverse("ideas:detail", args=[idea.reference]))
        assert response.status_code == 404


def test_the_board_filters_by_district_topic_stage_and_words(client, coordinator):
    bench = published(State.IN_PROGRESS, coordinator, title="Bænke ved søerne")
    bench.districts.set([district(3)])
    bench.topics.set([topic("trafik")])
    garden = published(State.ANSWERED, coordinator, title="Byhave i gården")
    garden.districts.set([district(5)])

    html = board(client, f"?district={district(3).slug}")
    assert bench.title in html and garden.title not in html
    html = board(client, "?topic=trafik")
    assert bench.title in html and garden.title not in html
    html = board(client, "?state=answered")
    assert garden.title in html and bench.title not in html
    html = board(client, "?state=open")
    assert bench.title in html and garden.title not in html


def test_the_board_searches_danish_words(client, coordinator):
    services_idea = published(State.IN_PROGRESS, coordinator)  # "Bænke langs Søerne"
    other = services.idea_confirm(
        idea=submitted_idea(
            title="Byhave", description="Grøntsager i gården.", consent_publish=True
        )
    )
    html = board(client, "?q=b%C3%A6nk")
    assert reverse("ideas:detail", args=[services_idea.reference]) in html
    assert reverse("ideas:detail", args=[other.reference]) not in html


def test_the_board_shows_the_newest_first_and_paginates(client, coordinator):
    ideas = [published(State.RECEIVED, coordinator) for _ in range(21)]
    html = board(client)
    first = html.index(reverse("ideas:detail", args=[ideas[-1].reference]))
    second = html.index(reverse("ideas:detail", args=[ideas[-2].reference]))
    assert first < second
    assert reverse("ideas:detail", args=[ideas[0].reference]) not in html
    assert reverse("ideas:detail", args=[ideas[0].reference]) in board(client, "?page=2")


def test_unknown_filters_and_pages_explain_themselves(client, coordinator):
    published(State.RECEIVED, coordinator)
    assert "unknown" in board(client, "?district=atlantis").lower() or "ukendt" in board(
        client, "?district=atlantis"
    )
    response = client.get(reverse("ideas:board") + "?page=9")
    assert response.status_code == 200
    assert response.context["problem"]
    assert response.context["ideas"] == []


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    _count.last = response  # type: ignore[attr-defined]
    return len(queries)


def received(**submit) -> Idea:
    """A confirmed public idea, the cheapest way (the query-count tests make fifty)."""
    return services.idea_confirm(idea=submitted_idea(consent_publish=True, **submit))


@pytest.mark.parametrize("filtered", [False, True])
def test_the_board_runs_the_same_queries_with_5_and_50_ideas(client, coordinator, filtered):
    def make(count: int) -> None:
        for n in range(count):
            idea = received()
            idea.districts.set([district(1 + n % 10), district(1)])
            idea.topics.set([topic("trafik")])
        published(State.CLOSED, coordinator).topics.set([topic("trafik")])

    url = reverse("ideas:board")
    if filtered:
        url += f"?q=b%C3%A6nke&state=open&topic=trafik&district={district(1).slug}"
    make(5)
    few = _count(client, url)
    assert len(_count.last.context["ideas"]) >= 5
    make(45)
    assert _count(client, url) == few


def test_the_idea_page_runs_the_same_queries_with_few_and_many_messages(client, coordinator):
    idea = published(State.IN_PROGRESS, coordinator)
    url = reverse("ideas:detail", args=[idea.reference])
    few = _count(client, url)
    for n in range(30):
        services.idea_add_message(idea=idea, by=coordinator, public_message=f"Nyt {n}.")
    assert _count(client, url) == few


# --- the public idea page ------------------------------------------------------------------------


def test_the_idea_page_shows_the_case_and_public_messages_but_no_notes(client, coordinator):
    idea = published(State.IN_PROGRESS, coordinator, help_needed=["place", "funding"])
    services.idea_add_message(
        idea=idea,
        by=coordinator,
        public_message="Vi har talt med Park og Natur.",
        internal_note="Intern: budgettet er opbrugt.",
    )
    response = client.get(reverse("ideas:detail", args=[idea.reference]))
    html = response.content.decode()
    assert idea.title in html and idea.description in html
    assert "Vi har talt med Park og Natur." in html
    assert "Intern: budgettet er opbrugt." not in html
    assert idea.lead_department.name in html
    assert str(response.context["help_needed"][0]) in html
    for personal in (NAME, EMAIL, PHONE, ADDRESS, idea.tracking_token):
        assert personal not in html
    assert coordinator.get_full_name() not in html


def test_a_closed_idea_shows_its_outcome(client, coordinator):
    idea = published(State.CLOSED, coordinator)
    html = client.get(reverse("ideas:detail", args=[idea.reference])).content.decode()
    assert str(Outcome.REALISED.label) in html
    assert "Bænkene kommer til foråret." in html


# --- following -----------------------------------------------------------------------------------


def _follow(client, idea: Idea, email: str = "nabo@example.org", **extra):
    return client.post(reverse("ideas:follow", args=[idea.reference]), {"email": email, **extra})


def test_following_is_double_opt_in(client, coordinator, django_capture_on_commit_callbacks):
    idea = published(State.IN_PROGRESS, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _follow(client, idea)
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas:follow_sent", args=[idea.reference])
    follower = Follower.objects.get()
    assert follower.confirmed_at is None and follower.email == "nabo@example.org"
    row = MailLog.objects.get(key=f"follower:{follower.pk}:confirm")
    assert row.template == "ideas.follow_confirm" and row.context == {"follower": follower.pk}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nabo@example.org"]
    confirm_url = reverse("ideas:follow_confirm", args=[follower.token])
    assert confirm_url in message.body
    assert reverse("ideas:unfollow", args=[follower.token]) in message.body
    assert "nabo@example.org" not in response["Location"]

    # Opening the link (as a mail scanner would) confirms nothing; the button does.
    page = client.get(confirm_url)
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    follower.refresh_from_db()
    assert follower.confirmed_at is None
    assert client.post(confirm_url).status_code == 200
    follower.refresh_from_db()
    assert follower.confirmed_at is not None


def test_asking_again_answers_the_same_and_sends_nothing_more(
    client, coordinator, django_capture_on_commit_callbacks
):
    idea = published(State.IN_PROGRESS, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        first = _follow(client, idea)
        second = _follow(client, idea, email="nabo@EXAMPLE.org")
    assert first["Location"] == second["Location"]
    assert Follower.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_follow_form_keeps_what_was_typed_and_names_the_field(client, coordinator):
    idea = published(State.IN_PROGRESS, coordinator)
    response = _follow(client, idea, email="nabo@")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="nabo@"' in html
    assert 'href="#id_email"' in html
    assert not Follower.objects.exists()


def test_the_honeypot_and_the_rate_limit_refuse(client, coordinator):
    idea = published(State.IN_PROGRESS, coordinator)
    assert _follow(client, idea, website="http://spam.example").status_code == 400
    assert not Follower.objects.exists()
    for _attempt in range(3):
        assert _follow(client, idea, email="same@example.org").status_code == 302
    assert _follow(client, idea, email="same@example.org").status_code == 429


def test_a_non_public_idea_cannot_be_followed(client, coordinator):
    idea = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    assert _follow(client, idea).status_code == 404
    assert not Follower.objects.exists()


def test_stopping_is_one_click_and_deletes_the_address(client, coordinator):
    idea = published(State.IN_PROGRESS, coordinator)
    _follow(client, idea)
    follower = Follower.objects.get()
    url = reverse("ideas:unfollow", args=[follower.token])
    page = client.get(url)
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    assert Follower.objects.exists()
    # A mail client's one-click POST carries no CSRF token (RFC 8058).
    client.handler.enforce_csrf_checks = True
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Follower.objects.exists()
    assert client.post(url).status_code == 200  # a second click is harmless
    assert client.get(url).status_code == 404


def test_wrong_follow_tokens_give_the_neutral_page(client):
    for name in ("ideas:follow_confirm", "ideas:unfollow"):
        response = client.get(reverse(name, args=["no-such-token"]))
        assert response.status_code == 404
        assert response["Cache-Control"] == "private, no-store"


# --- the sitemap ---------------------------------------------------------------------------------


def test_the_sitemap_lists_the_board_and_public_ideas_only(client, coordinator, settings):
    from django.contrib.sitemaps.views import sitemap
    from django.test import RequestFactory

    from sammen.ideas.sitemaps import IDEAS_SITEMAPS

    shown = published(State.IN_PROGRESS, coordinator)
    hidden = idea_in(State.IN_PROGRESS, coordinator=coordinator)
    response = sitemap(RequestFactory().get("/sitemap.xml"), sitemaps=IDEAS_SITEMAPS)
    xml = response.render().content.decode()
    assert reverse("ideas:board") in xml
    assert reverse("ideas:detail", args=[shown.reference]) in xml
    assert hidden.reference not in xml
    assert re.search(r"<lastmod>\d{4}-\d{2}-\d{2}", xml)
