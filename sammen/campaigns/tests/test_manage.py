"""The staff pages for running campaigns: the list, the campaign form, the campaign page with its
placements, adding, correcting and deleting a placement, and who may do it."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.campaigns import services
from sammen.campaigns.models import SHORT_CODE_ALPHABET, Campaign, Placement
from sammen.campaigns.tests.factories import (
    CampaignFactory,
    DailyReachFactory,
    PlacementFactory,
    last_year,
)
from sammen.core.tests.factories import UserFactory, department, district
from sammen.participation.tests.factories import OpportunityFactory, channel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The pages in English (their msgids); the Danish texts are in the PO fragment."""
    with translation.override("en"):
        yield


def user_with(role):
    user = UserFactory()
    # A dialogue consultant is one for a department; the central roles are for none.
    place = department("TMF") if role == Role.CONSULTANT else None
    RoleAssignment.objects.create(user=user, role=role, department=place)
    return user


@pytest.fixture
def coordinator(client):
    user = user_with(Role.COORDINATOR)
    verified_login(client, user)
    return user


def form_data(**overrides) -> dict:
    year = last_year()
    data = {
        "year": str(year),
        "theme_da": "Din by, din stemme",
        "theme_en": "Your city, your voice",
        "message_da": "Sig det, før det bliver besluttet.",
        "message_en": "Say it before it is decided.",
        "intro_da": "Kommunen vil gerne høre fra dig.",
        "intro_en": "",
        "starts_on": f"{year}-09-01",
        "ends_on": f"{year}-09-28",
        "channels": [channel("hoering").pk],
    }
    data.update(overrides)
    return data


# --- who may -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.COORDINATOR, 200),
        (Role.ADMINISTRATOR, 200),
        (Role.STEERING, 403),
        (Role.CONSULTANT, 403),
    ],
)
def test_only_coordinators_and_administrators_run_campaigns(client, role, status):
    campaign = CampaignFactory()
    verified_login(client, user_with(role))
    for url in (
        reverse("campaigns_staff:create"),
        reverse("campaigns_staff:detail", args=[campaign.year]),
        reverse("campaigns_staff:placement_import", args=[campaign.year]),
    ):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.COORDINATOR, 200), (Role.STEERING, 200), (Role.CONSULTANT, 403)],
)
def test_the_steering_group_sees_the_list_without_the_links_to_change_it(client, role, status):
    campaign = CampaignFactory()
    verified_login(client, user_with(role))
    response = client.get(reverse("campaigns_staff:index"))
    assert response.status_code == status
    if role == Role.STEERING:
        page = response.content.decode()
        assert reverse("campaigns_staff:results", args=[campaign.year]) in page
        assert reverse("campaigns_staff:edit", args=[campaign.year]) not in page
        assert reverse("campaigns_staff:create") not in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("campaigns_staff:index"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_an_unknown_year_is_not_found(client, coordinator):
    assert client.get(reverse("campaigns_staff:detail", args=[2019])).status_code == 404


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_each_campaign_with_its_number_of_placements(client, coordinator):
    campaign = CampaignFactory(theme_en="Your city, your voice")
    PlacementFactory.create_batch(3, campaign=campaign)
    CampaignFactory(year=campaign.year - 1, theme_en="Your district", is_published=False)
    page = client.get(reverse("campaigns_staff:index")).content.decode()
    assert "Your city, your voice" in page and "Your district" in page
    assert "Not published" in page
    assert reverse("campaigns_staff:detail", args=[campaign.year]) in page
    assert reverse("campaigns_staff:edit", args=[campaign.year]) in page
    assert reverse("campaigns_staff:results", args=[campaign.year]) in page
    assert campaign.get_absolute_url() in page
    assert "<td>3</td>" in page


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_runs_the_same_queries_for_2_and_12_campaigns(client, coordinator):
    year = last_year()
    for offset in range(2):
        PlacementFactory(campaign=CampaignFactory(year=year - offset))
    few = count_queries(client, reverse("campaigns_staff:index"))
    for offset in range(2, 12):
        PlacementFactory.create_batch(2, campaign=CampaignFactory(year=year - offset))
    assert count_queries(client, reverse("campaigns_staff:index")) == few


def test_the_campaign_page_runs_the_same_queries_for_2_and_40_placements(client, coordinator):
    campaign = CampaignFactory(featured_opportunities=[OpportunityFactory()])
    campaign.channels.set([channel("hoering")])
    for number in (1, 2):
        PlacementFactory(campaign=campaign, district=district(number))
    url = reverse("campaigns_staff:detail", args=[campaign.year])
    few = count_queries(client, url)
    for number in range(38):
        PlacementFactory(campaign=campaign, district=district(number % 10 + 1))
    DailyReachFactory(placement=campaign.placements.first())
    campaign.featured_opportunities.add(OpportunityFactory())
    assert count_queries(client, url) == few


# --- the campaign page ---------------------------------------------------------------------------


def test_the_campaign_page_lists_placements_with_full_short_links_and_qr_codes(client, coordinator):
    campaign = CampaignFactory()
    placement = PlacementFactory(
        campaign=campaign, site_code="NB-014", address="Nørrebrogade 52", district=district(3)
    )
    page = client.get(reverse("campaigns_staff:detail", args=[campaign.year])).content.decode()
    link = f"{settings.SITE_URL}/k/{placement.code}"
    assert "NB-014" in page and "Nørrebrogade 52" in page and "Nørrebro" in page
    assert f"<code>{link}</code>" in page
    assert f'aria-label="QR code of placement NB-014, leading to {link}"' in page
    assert "<svg" in page
    # The posters, the results (another page) and the landing page are a click away.
    assert reverse("campaigns_staff:posters", args=[campaign.year, "a3"]) in page
    assert reverse("campaigns_staff:posters", args=[campaign.year, "a1"]) in page
    assert reverse("campaigns_staff:poster", args=[campaign.year, placement.pk, "a1"]) in page
    assert reverse("campaigns_staff:results", args=[campaign.year]) in page
    assert campaign.get_absolute_url() in page


# --- creating and editing a campaign -------------------------------------------------------------


def test_a_coordinator_creates_a_campaign(client, coordinator):
    featured = OpportunityFactory(title="Lokalplan for Sankt Hans Torv")
    response = client.post(
        reverse("campaigns_staff:create"),
        form_data(featured_opportunities=[featured.pk], is_published="on"),
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns_staff:detail", args=[campaign.year])
    assert campaign.created_by == coordinator
    assert campaign.is_published
    assert campaign.message_da == "Sig det, før det bliver besluttet."
    assert list(campaign.featured_opportunities.all()) == [featured]
    assert list(campaign.channels.all()) == [channel("hoering")]


def test_only_published_opportunities_still_open_may_be_featured(client, coordinator):
    OpportunityFactory(title="Open and published")
    OpportunityFactory(title="A draft", is_published=False)
    OpportunityFactory(
        title="Closed long ago",
        start_at=timezone.now() - timedelta(days=400),
        deadline=timezone.now() - timedelta(days=300),
    )
    page = client.get(reverse("campaigns_staff:create")).content.decode()
    assert "Open and published" in page
    assert "A draft" not in page and "Closed long ago" not in page
    draft = OpportunityFactory(is_published=False)
    response = client.post(
        reverse("campaigns_staff:create"), form_data(featured_opportunities=[draft.pk])
    )
    assert response.status_code == 400
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"ends_on": "%(year)s-08-01"},
            "ends_on",
            "The last day must be on or after the first day.",
        ),
        (
            {"starts_on": "%(next)s-01-10", "ends_on": "%(next)s-01-30"},
            "starts_on",
            "must start in",
        ),
        ({"message_da": "x" * 161}, "message_da", "at most 160 characters"),
        ({"theme_da": ""}, "theme_da", "This field is required."),
        ({"starts_on": "1. september"}, "starts_on", "Enter a valid date."),
    ],
)
def test_a_wrong_campaign_is_refused_naming_the_field_and_keeping_the_text(
    client, coordinator, overrides, field, message
):
    year = last_year()
    values = {key: value % {"year": year, "next": year + 1} for key, value in overrides.items()}
    data = form_data(**values)
    response = client.post(reverse("campaigns_staff:create"), data)
    assert response.status_code == 400
    assert not Campaign.objects.exists()
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    page = response.content.decode()
    assert f'href="#id_{field}"' in page  # the error summary links to the field
    assert "Din by, din stemme" in page or field == "theme_da"  # what was typed is kept


def test_a_second_campaign_for_the_same_year_is_refused(client, coordinator):
    CampaignFactory()
    response = client.post(reverse("campaigns_staff:create"), form_data())
    assert response.status_code == 400
    assert f"There is already a campaign for {last_year()}." in response.content.decode()
    assert Campaign.objects.count() == 1


def test_featuring_more_than_six_is_refused(client, coordinator):
    chosen = [OpportunityFactory().pk for _ in range(services.MAX_FEATURED + 1)]
    response = client.post(
        reverse("campaigns_staff:create"), form_data(featured_opportunities=chosen)
    )
    assert response.status_code == 400
    assert "Choose at most 6 opportunities; you chose 7." in response.content.decode()


def test_editing_a_campaign_keeps_its_placements_and_may_change_the_year(client, coordinator):
    campaign = CampaignFactory()
    placement = PlacementFactory(campaign=campaign)
    url = reverse("campaigns_staff:edit", args=[campaign.year])
    page = client.get(url).content.decode()
    assert campaign.message_da in page
    new_year = campaign.year - 3
    response = client.post(
        url,
        form_data(
            year=str(new_year),
            starts_on=f"{new_year}-05-01",
            ends_on=f"{new_year}-05-28",
            message_da="Ny besked",
        ),
    )
    assert response["Location"] == reverse("campaigns_staff:detail", args=[new_year])
    campaign.refresh_from_db()
    assert (campaign.year, campaign.message_da) == (new_year, "Ny besked")
    assert list(campaign.placements.all()) == [placement]


def test_saving_a_campaign_under_its_own_year_is_allowed(client, coordinator):
    campaign = CampaignFactory()
    response = client.post(
        reverse("campaigns_staff:edit", args=[campaign.year]), form_data(theme_da="Nyt tema")
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.theme_da == "Nyt tema"


def test_the_service_checks_the_period_too():
    year = last_year()
    with pytest.raises(services.ValidationError) as error:
        services.campaign_create(
            by=None,
            data={
                "year": year,
                "theme_da": "Tema",
                "message_da": "Besked",
                "starts_on": date(year, 9, 10),
                "ends_on": date(year, 9, 1),
            },
        )
    assert "ends_on" in error.value.error_dict
    assert not Campaign.objects.exists()


# --- placements ----------------------------------------------------------------------------------


def test_adding_a_placement_gives_it_a_short_code(client, coordinator):
    campaign = CampaignFactory()
    response = client.post(
        reverse("campaigns_staff:placement_create", args=[campaign.year]),
        {"site_code": " OE-07 ", "address": "Østerbrogade 75", "district": district(2).pk},
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert placement.site_code == "OE-07"
    assert placement.district == district(2)
    assert len(placement.code) == 5 and set(placement.code) <= set(SHORT_CODE_ALPHABET)


def test_a_site_code_may_be_used_once_per_campaign(client, coordinator):
    campaign = CampaignFactory()
    PlacementFactory(campaign=campaign, site_code="NB-014")
    PlacementFactory(campaign=CampaignFactory(year=campaign.year - 1), site_code="NB-015")
    url = reverse("campaigns_staff:placement_create", args=[campaign.year])
    response = client.post(url, {"site_code": "nb-014", "address": "Nørrebrogade 1"})
    assert response.status_code == 400
    assert "The campaign already has a placement with this site code." in response.content.decode()
    assert 'value="nb-014"' in response.content.decode()
    # Another campaign's site codes are no obstacle.
    assert client.post(url, {"site_code": "NB-015", "address": "Nørrebrogade 1"}).status_code == 302


def test_a_short_code_collision_draws_a_new_code(monkeypatch):
    campaign = CampaignFactory()
    taken = PlacementFactory(campaign=campaign, site_code="A")
    draws = iter([taken.code, taken.code, "zzzzz"])
    # The first draws hit the code in use; the service keeps drawing until it finds a free one.
    monkeypatch.setattr(services, "new_short_code", lambda: next(draws))
    placement = services.placement_create(
        campaign=campaign, site_code="B", address="Vesterbrogade 1", district=None
    )
    assert placement.code == "zzzzz"


def test_correcting_a_placement_keeps_its_short_code(client, coordinator):
    placement = PlacementFactory(site_code="VB-1")
    code = placement.code
    url = reverse("campaigns_staff:placement_edit", args=[placement.campaign.year, placement.pk])
    assert code in client.get(url).content.decode()
    response = client.post(url, {"site_code": "VB-2", "address": "Enghave Plads", "district": ""})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.site_code, placement.address, placement.code) == (
        "VB-2",
        "Enghave Plads",
        code,
    )


def test_a_placement_of_another_campaign_is_not_found(client, coordinator):
    placement = PlacementFactory()
    other = CampaignFactory(year=placement.campaign.year - 1)
    url = reverse("campaigns_staff:placement_edit", args=[other.year, placement.pk])
    assert client.get(url).status_code == 404


def test_a_placement_without_visits_is_deleted(client, coordinator):
    placement = PlacementFactory()
    year = placement.campaign.year
    response = client.post(reverse("campaigns_staff:placement_delete", args=[year, placement.pk]))
    assert response["Location"] == reverse("campaigns_staff:detail", args=[year])
    assert not Placement.objects.exists()


def test_a_placement_with_counted_visits_stays(client, coordinator):
    reach = DailyReachFactory(visits=4)
    placement = reach.placement
    url = reverse("campaigns_staff:placement_delete", args=[placement.campaign.year, placement.pk])
    response = client.post(url, follow=True)
    assert Placement.objects.filter(pk=placement.pk).exists()
    assert "This placement has counted visits" in response.content.decode()
    assert client.get(url).status_code == 405


def test_a_code_taken_between_checking_and_saving_is_drawn_again(monkeypatch):
    campaign = CampaignFactory()
    taken = PlacementFactory(campaign=campaign, site_code="A")
    answers = iter([[taken.code], ["yyyyy"]])
    # As if another request saved the same code after this one checked it was free.
    monkeypatch.setattr(services, "free_short_codes", lambda count: next(answers))
    placement = services.placement_create(
        campaign=campaign, site_code="B", address="Vesterbrogade 1", district=None
    )
    assert placement.code == "yyyyy"
    assert campaign.placements.count() == 2
