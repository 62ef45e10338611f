"""The pages: finding, writing, principles, directory, public examples; query counts pinned."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory, department, principle, topic
from sammen.knowledge.models import ConsultantProfile, Entry, EntryTargetGroup, Kind, Status
from sammen.knowledge.tests.factories import consultant, make_entry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def danish():
    with translation.override("da"):
        yield


@pytest.fixture
def staff_client(client):
    return verified_login(client, UserFactory())


def _many(count: int) -> None:
    for n in range(count):
        entry = make_entry(
            title=f"Dialog med unge {n}",
            kind=[Kind.METHOD, Kind.EXAMPLE, Kind.GUIDE][n % 3],
            principles=[principle(1 + n % 5), principle(5)],
            topics=[topic()],
            departments=[department("TMF"), department("BUF")],
            is_public=n % 3 == 1,
        )
        EntryTargetGroup.objects.create(entry=entry, group="young")


def _count(client, url: str) -> int:
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "knowledge:home",
        "knowledge:entry_list",
        "knowledge:entry_list?q=unge",
        "knowledge:entry_list?principle=mangfoldig&target_group=young",
        "knowledge:stale_list",
        "knowledge:review_list",
        "knowledge:consultant_list",
        "knowledge:principle_detail:mangfoldig",
        "knowledge_public:example_list",
    ],
)
def test_a_list_page_runs_the_same_queries_with_5_and_50_entries(client, url):
    name, _sep, query = url.partition("?")
    if name.count(":") == 2:
        name, slug = name.rsplit(":", 1)
        path = reverse(name, kwargs={"slug": slug})
    else:
        path = reverse(name)
    path = f"{path}?{query}" if query else path
    verified_login(client, consultant("TMF"))
    _many(5)
    few = _count(client, path)
    _many(45)
    for n in range(3):
        consultant(["BUF", "SOF", "BIF"][n])
    assert _count(client, path) == few


def test_searching_unge_finds_a_method_for_young_people(staff_client):
    make_entry(title="Walk-and-talk", summary="En metode til at inddrage unges viden om kvarteret.")
    make_entry(title="Hjemmebesøg hos ældre")
    response = staff_client.get(reverse("knowledge:entry_list") + "?q=unge&kind=method")
    assert [e.title for e in response.context["entries"]] == ["Walk-and-talk"]


def test_filters_combine_and_unknown_values_give_a_friendly_empty_result(staff_client):
    make_entry(title="Mangfoldig", principles=[principle(5)])
    make_entry(title="Tidlig", principles=[principle(2)])
    url = reverse("knowledge:entry_list")
    response = staff_client.get(url + "?principle=mangfoldig")
    assert [e.title for e in response.context["entries"]] == ["Mangfoldig"]
    response = staff_client.get(url + "?principle=findes-ikke&kind=nonsense")
    assert response.status_code == 200
    assert response.context["problem"]
    response = staff_client.get(url + "?page=999")
    assert response.status_code == 200


def test_drafts_are_not_listed(staff_client):
    make_entry(title="Kladde", status=Status.DRAFT)
    response = staff_client.get(reverse("knowledge:entry_list"))
    assert response.context["result_count"] == 0


def test_the_entry_page_shows_last_reviewed_related_entries_and_a_stale_warning(staff_client):
    entry = make_entry(
        title="Tryghedsvandring",
        principles=[principle(5)],
        review_due=timezone.localdate() - timedelta(days=1),
    )
    make_entry(title="Brobyggere", principles=[principle(5)])
    make_entry(title="Ingen fælles tags", principles=[principle(1)], departments=[])
    response = staff_client.get(entry.get_absolute_url())
    assert [e.title for e in response.context["related"]] == ["Brobyggere"]
    assert response.context["stale"] is True
    assert "Senest gennemgået".encode() in response.content or b"Last reviewed" in response.content


def test_writing_an_entry_through_the_form_and_seeing_its_history(client):
    author = UserFactory()
    verified_login(client, author)
    response = client.post(
        reverse("knowledge:entry_create"),
        {
            "kind": "method",
            "title": "Fremtidsværksted",
            "summary": "Kritik, fantasi og virkeliggørelse.",
            "body": "## Faser\n\n- Kritik",
            "principles": [principle(4).pk],
            "target_groups": ["residents"],
        },
    )
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert entry.owner == author and entry.status == Status.DRAFT
    edit = reverse("knowledge:entry_edit", kwargs={"pk": entry.pk})
    response = client.post(
        edit, {"kind": "method", "title": "Fremtidsværksted 2.0", "summary": "Ny."}
    )
    assert response.status_code == 302
    history = client.get(reverse("knowledge:entry_history", kwargs={"pk": entry.pk}))
    assert len(history.context["rows"]) == 2
    old = client.get(reverse("knowledge:entry_version", kwargs={"pk": entry.pk, "number": 1}))
    assert "Kritik, fantasi og virkeliggørelse." in old.content.decode()


def test_a_form_with_errors_names_the_field_and_keeps_the_input(staff_client):
    response = staff_client.post(
        reverse("knowledge:entry_create"),
        {
            "kind": "method",
            "title": "",
            "summary": "Min tekst bliver stående",
            "is_public": "on",
            "opportunity_refs": "ikke-et-tal",
            "period_start": "2024-05-01",
            "period_end": "2024-01-01",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"title", "is_public", "opportunity_refs", "period_end"} <= set(errors)
    assert "Min tekst bliver stående" in response.content.decode()
    assert not Entry.objects.exists()


def test_related_opportunities_are_linked_by_number_or_link(client):
    from sammen.participation.tests.factories import OpportunityFactory

    opportunity = OpportunityFactory()
    author = UserFactory()
    verified_login(client, author)
    client.post(
        reverse("knowledge:entry_create"),
        {
            "kind": "example",
            "title": "Høring om Nørrebrogade",
            "summary": "Sådan gik det.",
            "opportunity_refs": f"https://kk.dk{opportunity.get_absolute_url()}",
        },
    )
    entry = Entry.objects.get()
    assert list(entry.opportunities.all()) == [opportunity]
    response = client.get(entry.get_absolute_url())
    assert opportunity.title in response.content.decode()


def test_a_principle_page_shows_its_meaning_methods_and_examples(staff_client):
    make_entry(title="Metoden", kind=Kind.METHOD, principles=[principle(5)])
    make_entry(title="Eksemplet", kind=Kind.EXAMPLE, principles=[principle(5)])
    make_entry(title="Andet princip", kind=Kind.METHOD, principles=[principle(1)])
    response = staff_client.get(
        reverse("knowledge:principle_detail", kwargs={"slug": principle(5).slug})
    )
    assert [e.title for e in response.context["methods"]] == ["Metoden"]
    assert [e.title for e in response.context["examples"]] == ["Eksemplet"]
    assert principle(5).summary_da[:40] in response.content.decode()


def test_the_out_of_date_list_shows_published_entries_past_their_review_date(client):
    make_entry(title="Forældet", review_due=timezone.localdate() - timedelta(days=2))
    make_entry(title="Aktuel")
    verified_login(client, consultant("TMF"))
    response = client.get(reverse("knowledge:stale_list"))
    assert [e.title for e in response.context["page_obj"]] == ["Forældet"]


def test_the_directory_lists_consultants_by_department_and_finds_them_by_expertise(staff_client):
    yasmin = consultant("BUF", first_name="Yasmin", last_name="Yilmaz")
    ConsultantProfile.objects.create(
        user=yasmin, expertise="Ungeråd\nUnge i fritiden", search_stems="ungeråd ung fritid"
    )
    thomas = consultant("TMF", first_name="Thomas", last_name="Thygesen")
    ConsultantProfile.objects.create(user=thomas, expertise="Lokalplaner", search_stems="lokalplan")
    response = staff_client.get(reverse("knowledge:consultant_list") + "?q=unge")
    found = [u for g in response.context["groups"] for u in g["consultants"]]
    assert found == [yasmin]
    response = staff_client.get(reverse("knowledge:consultant_list"))
    groups = {g["department"].abbreviation: g["consultants"] for g in response.context["groups"]}
    assert groups["TMF"] == [thomas] and groups["BUF"] == [yasmin]


def test_asking_a_consultant_in_another_department(client):
    consultant("BIF", email="amira@bif.kk.dk")
    verified_login(client, consultant("TMF", email="kirsten@tmf.kk.dk"))
    url = reverse("knowledge:consultant_ask", kwargs={"slug": "bif"})
    response = client.post(url, {"subject": "", "message": "Hjælp"})
    assert "subject" in response.context["form"].errors
    response = client.post(url, {"subject": "Tolke", "message": "Hvordan booker I tolke?"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["amira@bif.kk.dk"]


def test_a_consultant_edits_their_own_profile(client):
    user = consultant("TMF")
    verified_login(client, user)
    response = client.post(
        reverse("knowledge:profile_edit"),
        {"title": "Konsulent", "phone": "33 66 00 00", "email": "", "expertise": "Unge"},
    )
    assert response.status_code == 302
    assert user.consultant_profile.expertise == "Unge"
    assert "ung" in user.consultant_profile.search_stems


# --- public ----------------------------------------------------------------------------------------


def test_only_published_public_examples_reach_the_public_site(client):
    shown = make_entry(title="Skatepark", kind=Kind.EXAMPLE, is_public=True, lessons="Lektie")
    make_entry(title="Intern", kind=Kind.EXAMPLE, is_public=False)
    hidden_draft = make_entry(
        title="Kladde", kind=Kind.EXAMPLE, is_public=True, status=Status.DRAFT
    )
    response = client.get(reverse("knowledge_public:example_list"))
    assert [e.title for e in response.context["page_obj"]] == ["Skatepark"]
    response = client.get(shown.get_public_url())
    assert response.status_code == 200
    assert shown.owner.get_full_name() not in response.content.decode()
    assert client.get(hidden_draft.get_public_url()).status_code == 404


def test_a_public_example_with_a_wrong_slug_redirects(client):
    entry = make_entry(title="Skatepark", kind=Kind.EXAMPLE, is_public=True, slug="skatepark")
    response = client.get(
        reverse("knowledge_public:example_detail", kwargs={"pk": entry.pk, "slug": "forkert"})
    )
    assert response.status_code == 301


def test_public_examples_are_in_the_sitemap_in_both_languages(client):
    entry = make_entry(title="Skatepark", kind=Kind.EXAMPLE, is_public=True, slug="skatepark")
    make_entry(title="Intern", kind=Kind.EXAMPLE, slug="intern")
    body = client.get("/sitemap.xml").content.decode()
    assert f"/erfaringer/{entry.pk}/skatepark/" in body
    assert f"/en/experiences/{entry.pk}/skatepark/" in body
    assert "/intern/" not in body
    assert "/personale/" not in body


def test_the_danish_paths_are_translated():
    assert reverse("knowledge:entry_list") == "/personale/viden/indhold/"
    assert reverse("knowledge:consultant_list") == "/personale/viden/konsulenter/"
    assert reverse("knowledge_public:example_list") == "/erfaringer/"
