"""The print-ready posters: page count, page and trim size with bleed, and what is printed."""

import io
import time

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.campaigns import posters
from sammen.campaigns.tests.factories import CampaignFactory, PlacementFactory
from sammen.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre


def mm(value) -> float:
    return round(float(value) / MM, 1)


def box(page, name: str) -> tuple[float, float]:
    rect = getattr(page, name)
    return (mm(rect.width), mm(rect.height))


@pytest.fixture
def coordinator(client):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    verified_login(client, user)
    return user


@pytest.mark.parametrize(("size", "trim"), [("a3", (297.0, 420.0)), ("a1", (594.0, 841.0))])
def test_one_page_per_placement_at_trim_size_plus_3_mm_bleed(size, trim):
    campaign = CampaignFactory(message_da="Din by. Din stemme.")
    placements = PlacementFactory.create_batch(3, campaign=campaign)
    pdf = posters.posters_pdf(campaign, placements, posters.POSTER_SIZES[size])
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    for page, placement in zip(reader.pages, placements, strict=True):
        assert box(page, "mediabox") == (trim[0] + 6, trim[1] + 6)
        assert box(page, "trimbox") == trim
        assert box(page, "bleedbox") == (trim[0] + 6, trim[1] + 6)
        text = " ".join(page.extract_text().split())
        assert f"/k/{placement.code}" in text
        assert f"Plakatsted {placement.site_code}" in text
        assert "Din by. Din stemme." in text


@override_settings(SITE_URL="https://www.sammenombyen.kk.dk")
def test_the_short_link_is_printed_with_the_sites_host():
    placement = PlacementFactory()
    assert posters.short_link_text(placement) == f"sammenombyen.kk.dk/k/{placement.code}"
    pdf = posters.posters_pdf(placement.campaign, [placement], posters.POSTER_SIZES["a3"])
    text = "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert f"sammenombyen.kk.dk/k/{placement.code}" in text


def test_the_qr_code_holds_the_full_short_link_with_a_quiet_zone():
    placement = PlacementFactory()
    html = posters.poster_html(placement.campaign, [placement], posters.POSTER_SIZES["a3"])
    assert "<svg" in html
    # segno draws the modules as one path, offset by the quiet zone of four modules.
    assert 'viewBox="0 0 ' in html
    url = posters.short_link_url(placement)
    assert url == f"{settings.SITE_URL}/k/{placement.code}"


def test_the_design_systems_font_is_embedded_where_installed():
    faces = posters.font_faces()
    placement = PlacementFactory()
    pdf = posters.posters_pdf(placement.campaign, [placement], posters.POSTER_SIZES["a3"])
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    expected = "IBM-Plex-Sans" if faces else "DejaVu"
    assert any(expected in name for name in fonts), fonts


@pytest.mark.parametrize(
    ("message", "largest"),
    [("Sig det!", 120), ("Din by. Din stemme. Sig det, før det bliver besluttet.", 100)],
)
def test_a_short_message_is_printed_larger(message, largest):
    assert posters.headline_pt(message) <= largest
    assert posters.headline_pt("Sig det!") > posters.headline_pt("x " * 80)
    # Even the longest word fits across the poster, unhyphenated.
    assert posters.headline_pt("Københavnerdialogsundersøgelsen") < posters.headline_pt("Sig det!")


def test_two_hundred_posters_are_one_document_rendered_in_reasonable_time():
    campaign = CampaignFactory()
    placements = PlacementFactory.create_batch(200, campaign=campaign)
    started = time.monotonic()
    pdf = posters.posters_pdf(campaign, placements, posters.POSTER_SIZES["a3"])
    elapsed = time.monotonic() - started
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 200
    # About 0.05 s a page on a laptop; generous for a busy test machine.
    assert elapsed < 60


def test_the_posters_are_downloaded_as_pdf(client, coordinator):
    campaign = CampaignFactory()
    first, _second = PlacementFactory.create_batch(2, campaign=campaign)
    response = client.get(reverse("campaigns_staff:posters", args=[campaign.year, "a1"]))
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="plakater-{campaign.year}-a1.pdf"' in response["Content-Disposition"]
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 2
    response = client.get(reverse("campaigns_staff:poster", args=[campaign.year, first.pk, "a3"]))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert box(reader.pages[0], "trimbox") == (297.0, 420.0)
    assert f"plakat-{campaign.year}-{first.site_code}-a3.pdf" in response["Content-Disposition"]


def test_an_unknown_size_is_not_found(client, coordinator):
    placement = PlacementFactory()
    year = placement.campaign.year
    assert client.get(reverse("campaigns_staff:posters", args=[year, "a4"])).status_code == 404
    url = reverse("campaigns_staff:poster", args=[year, placement.pk, "b2"])
    assert client.get(url).status_code == 404


def test_a_campaign_without_placements_has_no_posters_yet(client, coordinator):
    campaign = CampaignFactory()
    response = client.get(reverse("campaigns_staff:posters", args=[campaign.year, "a3"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns_staff:detail", args=[campaign.year])
