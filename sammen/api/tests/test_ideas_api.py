"""Public ideas in the API: which are shown, what is never shown, filters, timeline, query counts."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.core.tests.factories import department, district, topic
from sammen.ideas import services
from sammen.ideas.models import HelpNeeded, Idea, SubmitterKind
from sammen.ideas.states import Outcome, State
from sammen.ideas.tests.factories import coordinator_user, staff_user, submitted_idea
from sammen.participation.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/ideas"


def detail(reference: str) -> str:
    return f"{LIST}/{reference}"


@pytest.fixture
def coordinator():
    return coordinator_user(first_name="Kasper", last_name="Koordinatorsen")


@pytest.fixture
def handler():
    return staff_user("TMF", first_name="Henrik", last_name="Handlersen")


def make_idea(
    coordinator,
    state: str = State.RECEIVED,
    *,
    publish: bool = True,
    lead: str = "TMF",
    handler=None,
    now=None,
    outcome: str = Outcome.REALISED,
    **submit,
) -> Idea:
    """A published (unless told otherwise) idea brought to `state` through the services."""
    now = now or timezone.now() - timedelta(days=1)
    data = {"consent_publish": publish, **submit}
    idea = submitted_idea(now=now - timedelta(hours=1), **data)
    if state == State.AWAITING_CONFIRMATION:
        return idea
    idea = services.idea_confirm(idea=idea, now=now)
    if state == State.RECEIVED:
        return idea
    if state == State.CLOSED and outcome in (Outcome.SPAM, Outcome.DUPLICATE, Outcome.REFERRED):
        details = {"outcome": outcome}
        if outcome == Outcome.REFERRED:
            details["referred_opportunity"] = OpportunityFactory()
        return services.idea_transition(
            idea=idea,
            to_state=State.CLOSED,
            by=coordinator,
            coordinator=coordinator,
            public_message="" if outcome == Outcome.SPAM else "Se den anden sag.",
            now=now,
            **details,
        )
    idea = services.idea_transition(
        idea=idea,
        to_state=State.TRIAGED,
        by=coordinator,
        lead_department=department(lead),
        coordinator=coordinator,
        handler=handler,
        now=now,
    )
    if state == State.TRIAGED:
        return idea
    if state == State.WAITING_FOR_CITIZEN:
        return services.idea_transition(
            idea=idea,
            to_state=State.WAITING_FOR_CITIZEN,
            by=coordinator,
            public_message="Hvor præcis tænker du?",
            now=now,
        )
    idea = services.idea_transition(idea=idea, to_state=State.IN_PROGRESS, by=coordinator, now=now)
    if state == State.IN_PROGRESS:
        return idea
    idea = services.idea_transition(
        idea=idea, to_state=State.ANSWERED, by=coordinator, public_message="Svar.", now=now
    )
    if state == State.ANSWERED:
        return idea
    details = {"outcome": outcome}
    if outcome == Outcome.NOT_POSSIBLE:
        details |= {
            "outcome_reason": "Pladsen er fredet.",
            "outcome_alternatives": "Søg lokalpuljen\nSpørg lokaludvalget",
        }
    return services.idea_transition(
        idea=idea,
        to_state=State.CLOSED,
        by=coordinator,
        public_message="Sådan endte det.",
        now=now,
        **details,
    )


def references(response) -> set[str]:
    return {row["reference"] for row in response.json()["results"]}


# --- which ideas are public -----------------------------------------------------------------------


def test_only_confirmed_published_ideas_that_are_not_spam_or_duplicates_are_listed(
    api_get, coordinator
):
    shown = {
        make_idea(coordinator, State.RECEIVED).reference,
        make_idea(coordinator, State.IN_PROGRESS).reference,
        make_idea(coordinator, State.CLOSED, outcome=Outcome.REFERRED).reference,
        make_idea(coordinator, State.CLOSED, outcome=Outcome.NOT_POSSIBLE).reference,
    }
    make_idea(coordinator, State.AWAITING_CONFIRMATION)
    make_idea(coordinator, State.IN_PROGRESS, publish=False)
    make_idea(coordinator, State.CLOSED, outcome=Outcome.SPAM)
    make_idea(coordinator, State.CLOSED, outcome=Outcome.DUPLICATE)

    body = api_get(LIST).json()
    assert body["count"] == 4
    assert references(api_get(LIST)) == shown


@pytest.mark.parametrize(
    ("publish", "outcome", "confirmed"),
    [(False, Outcome.REALISED, True), (True, Outcome.SPAM, True), (True, None, False)],
    ids=["not published", "spam", "unconfirmed"],
)
def test_the_detail_of_a_hidden_idea_is_404(api_get, coordinator, publish, outcome, confirmed):
    if not confirmed:
        idea = make_idea(coordinator, State.AWAITING_CONFIRMATION)
        # An unconfirmed idea has no reference: try the next one it would get.
        reference = f"IDE-{timezone.now().year}-00001"
    else:
        idea = make_idea(coordinator, State.CLOSED, publish=publish, outcome=outcome)
        reference = idea.reference
    response = api_get(detail(reference))
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert Idea.objects.filter(pk=idea.pk).exists()


def test_an_unknown_reference_is_404(api_get):
    assert api_get(detail("IDE-1999-99999")).status_code == 404


def test_an_anonymised_idea_leaves_the_api_with_the_board(api_get, coordinator):
    idea = make_idea(coordinator, State.CLOSED, title="Frugttræer i Fælledparken")
    kept = make_idea(coordinator, State.CLOSED)
    # Anonymisation withdraws the consent too (sammen.ideas.privacy); the date alone is enough.
    Idea.objects.filter(pk=idea.pk).update(anonymised_at=timezone.now())
    assert api_get(detail(idea.reference)).status_code == 404
    assert references(api_get(LIST)) == {kept.reference}


# --- what an idea shows, and what it never shows --------------------------------------------------


def test_an_idea_shows_its_public_facts_and_links(api_get, coordinator, handler):
    idea = make_idea(
        coordinator,
        State.IN_PROGRESS,
        handler=handler,
        title="Legeplads i Enghaveparken",
        description="En legeplads for de mindste ved Enghaveparken.",
        districts=[district(4)],
        topics=[topic("boern-unge")],
        help_needed=[HelpNeeded.PLACE, HelpNeeded.FUNDING],
        submitter_kind=SubmitterKind.ASSOCIATION,
    )
    services.idea_assign(
        idea=idea, by=coordinator, handler=handler, involved_departments=[department("KFF")]
    )
    (row,) = api_get(LIST).json()["results"]
    assert row["reference"] == idea.reference
    assert row["api_url"] == f"http://testserver{detail(idea.reference)}"
    with translation.override("da"):
        page = reverse("ideas:detail", args=[idea.reference])
    assert row["url"]["da"] == "http://testserver" + page
    assert set(row["url"]) == {"da", "en"}
    assert row["title"] == "Legeplads i Enghaveparken"
    assert row["description"] == "En legeplads for de mindste ved Enghaveparken."
    assert row["districts"] == [{"number": 4, "slug": district(4).slug, "name": district(4).name}]
    assert row["whole_city"] is False
    assert [t["slug"] for t in row["topics"]] == ["boern-unge"]
    assert row["help_needed"] == ["place", "funding"]
    assert row["submitter_kind"] == "association"
    assert row["state"] == "in_progress"
    assert row["outcome"] is None
    assert row["lead_department"]["abbreviation"] == "TMF"
    assert [d["abbreviation"] for d in row["involved_departments"]] == ["KFF"]
    assert row["confirmed_at"].endswith("Z")
    assert row["closed_at"] is None
    assert "timeline" not in row


def test_no_personal_data_notes_or_staff_names_anywhere(api_get, coordinator, handler):
    idea = make_idea(
        coordinator,
        State.TRIAGED,
        handler=handler,
        contact_name="Karen Hemmelighansen",
        email="karen.hemmelig@example.org",
        phone="+45 12 34 56 78",
        address="Hemmeligvej 12, 2200 København N",
    )
    services.idea_add_message(
        idea=idea, by=handler, internal_note="Ring til borgeren om den interne sag."
    )
    receiver = staff_user("KFF", first_name="Ruth", last_name="Modtagersen")
    handover = services.idea_hand_over(
        idea=idea, to_department=department("KFF"), by=handler, note="Overdragelsesnote."
    )
    services.idea_accept_handover(handover=handover, by=receiver, handler=receiver)

    for path in (LIST, detail(idea.reference)):
        text = api_get(path).content.decode()
        for secret in (
            "Hemmelighansen",
            "karen.hemmelig",
            "12 34 56 78",
            "Hemmeligvej",
            idea.tracking_token,
            "interne sag",
            "Overdragelsesnote",
            "Handlersen",
            "Koordinatorsen",
            "Modtagersen",
        ):
            assert secret not in text, (path, secret)


def test_the_detail_has_the_public_timeline_of_states_and_messages(api_get, coordinator, handler):
    idea = make_idea(coordinator, State.TRIAGED, handler=handler)
    services.idea_add_message(idea=idea, by=handler, public_message="Vi kigger på det.")
    services.idea_add_message(idea=idea, by=handler, internal_note="Kun til os.")
    services.idea_hand_over(idea=idea, to_department=department("KFF"), by=handler, note="Jeres?")
    services.idea_transition(
        idea=idea, to_state=State.WAITING_FOR_CITIZEN, by=handler, public_message="Hvor?"
    )

    body = api_get(detail(idea.reference)).json()
    assert [(e["state"], e["message"]) for e in body["timeline"]] == [
        ("received", ""),
        ("triaged", ""),
        ("triaged", "Vi kigger på det."),
        ("waiting_for_citizen", "Hvor?"),
    ]
    assert all(e["at"].endswith("Z") for e in body["timeline"])
    assert body["state"] == "waiting_for_citizen"


def test_a_closed_idea_shows_how_it_ended(api_get, coordinator):
    not_possible = make_idea(coordinator, State.CLOSED, outcome=Outcome.NOT_POSSIBLE)
    row = api_get(detail(not_possible.reference)).json()
    assert row["outcome"] == "not_possible"
    assert row["outcome_reason"] == "Pladsen er fredet."
    assert row["alternatives"] == ["Søg lokalpuljen", "Spørg lokaludvalget"]
    assert row["closed_at"].endswith("Z")
    assert row["timeline"][-1] == {
        "at": row["closed_at"],
        "state": "closed",
        "message": "Sådan endte det.",
    }


def test_a_referral_names_the_opportunity_only_while_it_is_published(api_get, coordinator):
    idea = make_idea(coordinator, State.CLOSED, outcome=Outcome.REFERRED)
    opportunity = idea.referred_opportunity
    row = api_get(detail(idea.reference)).json()
    assert row["lead_department"] is None
    assert row["referred_channel"]["slug"] == opportunity.channel.slug
    assert row["referred_opportunity"] == {
        "id": opportunity.pk,
        "title": opportunity.title,
        "api_url": f"http://testserver/api/v1/opportunities/{opportunity.pk}",
    }
    opportunity.is_published = False
    opportunity.save(update_fields=["is_published"])
    cache.clear()
    assert api_get(detail(idea.reference)).json()["referred_opportunity"] is None


# --- filters and paging ---------------------------------------------------------------------------


@pytest.fixture
def three_ideas(coordinator):
    return {
        "Bænke": make_idea(
            coordinator,
            State.IN_PROGRESS,
            title="Bænke langs Søerne",
            description="Flere bænke ved Sortedams Sø.",
            districts=[district(3)],
            topics=[topic("groen-by")],
        ),
        "Skole": make_idea(
            coordinator,
            State.CLOSED,
            lead="BUF",
            title="Skolehave på Amager",
            description="En skolehave til eleverne.",
            districts=[district(9)],
            topics=[topic("skole")],
        ),
        "By": make_idea(
            coordinator,
            State.RECEIVED,
            title="Gratis cykelværksteder",
            description="Cykelværksteder i hele byen.",
            topics=[topic("trafik")],
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"district": "noerrebro"}, {"Bænke"}),
        ({"district": "hele-byen"}, {"By"}),
        ({"district": ["hele-byen", "noerrebro"]}, {"Bænke", "By"}),
        ({"topic": "skole"}, {"Skole"}),
        ({"topic": ["skole", "trafik"]}, {"Skole", "By"}),
        ({"lead_department": "buf"}, {"Skole"}),
        ({"state": "received"}, {"By"}),
        ({"state": ["received", "in_progress"]}, {"Bænke", "By"}),
        ({"outcome": "realised"}, {"Skole"}),
        ({"q": "bænkene"}, {"Bænke"}),
        ({}, {"Bænke", "Skole", "By"}),
    ],
)
def test_the_list_filters(api_get, three_ideas, query, expected):
    by_reference = {idea.reference: name for name, idea in three_ideas.items()}
    assert {by_reference[r] for r in references(api_get(LIST, query))} == expected


def test_a_whole_city_idea_has_no_district_and_no_place(api_get, coordinator):
    make_idea(coordinator, address="Rådhuspladsen 1")
    (row,) = api_get(LIST).json()["results"]
    assert row["districts"] == []
    assert row["whole_city"] is False
    assert api_get(LIST, {"district": "hele-byen"}).json()["count"] == 0


def test_updated_since_finds_ideas_with_a_new_public_message(api_get, coordinator, handler):
    old = timezone.now() - timedelta(days=30)
    quiet = make_idea(coordinator, State.TRIAGED, now=old)
    talked_to = make_idea(coordinator, State.TRIAGED, now=old, handler=handler)
    noted = make_idea(coordinator, State.TRIAGED, now=old, handler=handler)
    Idea.objects.update(updated_at=old)  # as if nothing was saved since
    since = timezone.now() - timedelta(days=1)
    services.idea_add_message(idea=talked_to, by=handler, public_message="Nyt fra os.")
    services.idea_add_message(idea=noted, by=handler, internal_note="Kun en note.")
    Idea.objects.update(updated_at=old)

    body = api_get(LIST, {"updated_since": since.isoformat().replace("+00:00", "Z")}).json()
    assert references_of(body) == {talked_to.reference}
    (row,) = body["results"]
    assert row["updated_at"] >= since.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert api_get(LIST, {"updated_since": "2000-01-01"}).json()["count"] == 3
    assert quiet.reference in references(api_get(LIST, {"updated_since": "2000-01-01"}))


def references_of(body: dict) -> set[str]:
    return {row["reference"] for row in body["results"]}


def test_the_list_pages_newest_first(api_get, coordinator):
    now = timezone.now()
    made = [make_idea(coordinator, now=now - timedelta(days=10 - i)) for i in range(5)]
    first = api_get(LIST, {"page_size": 2}).json()
    assert first["count"] == 5
    assert [r["reference"] for r in first["results"]] == [made[4].reference, made[3].reference]
    assert first["previous"] is None
    assert "page=2" in first["next"] and "page_size=2" in first["next"]
    last = api_get(LIST, {"page_size": 2, "page": 3}).json()
    assert [r["reference"] for r in last["results"]] == [made[0].reference]
    assert last["next"] is None


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"district": "atlantis"}, "district"),
        ({"topic": "nope"}, "topic"),
        ({"lead_department": "xyz"}, "lead_department"),
        ({"state": "awaiting_confirmation"}, "state"),
        ({"outcome": "spam"}, "outcome"),
        ({"updated_since": "last tuesday"}, "updated_since"),
        ({"department": "tmf"}, "department"),
        ({"page": "2"}, "page"),
        ({"page_size": "101"}, "page_size"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(api_get, coordinator, query, parameter):
    make_idea(coordinator)
    response = api_get(LIST, query)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_the_detail_takes_no_parameters(api_get, coordinator):
    idea = make_idea(coordinator)
    response = api_get(detail(idea.reference), {"expand": "contact"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "expand"


# --- query counts ---------------------------------------------------------------------------------


def _query_count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_list_and_detail_run_the_same_number_of_queries_for_5_and_50(client, coordinator):
    handler = staff_user("TMF")
    kff = department("KFF")

    def make(n: int) -> None:
        for i in range(n):
            idea = make_idea(
                coordinator,
                State.CLOSED if i % 3 == 0 else State.IN_PROGRESS,
                handler=handler,
                outcome=Outcome.REALISED,
                districts=[district(3), district(i % 10 + 1)],
                topics=[topic("trafik")],
            )
            if i % 3:
                services.idea_assign(
                    idea=idea, by=coordinator, handler=handler, involved_departments=[kff]
                )
                services.idea_add_message(idea=idea, by=handler, public_message="Nyt.")

    paths = [
        LIST,
        LIST + "?district=noerrebro&district=hele-byen&topic=trafik&page_size=100",
        LIST + "?updated_since=2000-01-01&lead_department=tmf&state=in_progress",
    ]
    make(5)
    reference = Idea.objects.filter(state=State.IN_PROGRESS).first().reference
    few = []
    for path in [*paths, detail(reference)]:
        cache.clear()
        few.append((_query_count(client, path), _query_count(client, path)))
    make(45)
    many = []
    for path in [*paths, detail(reference)]:
        cache.clear()
        many.append((_query_count(client, path), _query_count(client, path)))
    assert few == many
