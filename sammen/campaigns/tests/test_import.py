"""Importing placements from the poster company's CSV file: every line or none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.campaigns import services
from sammen.campaigns.models import Placement
from sammen.campaigns.tests.factories import CampaignFactory, PlacementFactory
from sammen.core.tests.factories import UserFactory, district

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return CampaignFactory()


def read(text: str, campaign, encoding: str = "utf-8"):
    with translation.override("en"):
        return services.read_placements(text.encode(encoding), campaign=campaign)


def test_a_danish_excel_file_with_semicolons_and_a_bom_is_read(campaign):
    text = (
        "Plakatsted;Adresse;Bydel\r\n"
        "NB-014;Nørrebrogade 52;Nørrebro\r\n"
        "IB-002;Rådhuspladsen 1;1\r\n"
        "VB-003;Enghave Plads;Vesterbro-Kongens Enghave\r\n"
        "AV-004;Englandsvej 200;\r\n"
        ";;\r\n"
    )
    rows, problems = read(text, campaign, encoding="utf-8-sig")
    assert problems == []
    assert [(r.line, r.site_code, r.address, r.district) for r in rows] == [
        (2, "NB-014", "Nørrebrogade 52", district(3)),
        (3, "IB-002", "Rådhuspladsen 1", district(1)),
        (4, "VB-003", "Enghave Plads", district(4)),
        (5, "AV-004", "Englandsvej 200", None),
    ]


def test_commas_quoted_addresses_any_column_order_and_no_district_column(campaign):
    text = 'address,site code\n"Nørrebrogade 52, 2200 København N",NB-014\n'
    rows, problems = read(text, campaign)
    assert problems == []
    assert (rows[0].site_code, rows[0].address, rows[0].district) == (
        "NB-014",
        "Nørrebrogade 52, 2200 København N",
        None,
    )


def test_every_wrong_line_is_named_with_its_number_and_what_is_wrong(campaign):
    PlacementFactory(campaign=campaign, site_code="IB-001")
    text = "\n".join(
        [
            "Plakatsted;Adresse;Bydel",
            "NB-014;Nørrebrogade 52;Nørrebro",
            ";Østerbrogade 75;2",  # 3: no site code
            "OE-001;;Østerbro",  # 4: no address
            "OE-002;Østerbrogade 1;Frederiksberg",  # 5: not a district of Copenhagen
            "OE-003;Østerbrogade 2;11",  # 6: no district 11
            "nb-014;Nørrebrogade 54;3",  # 7: twice in the file
            "IB-001;Rådhuspladsen 1;1",  # 8: already in the campaign
            "X" * 41 + ";Vesterbrogade 1;4",  # 9: too long
            "VB-001;Vesterbrogade 2",  # 10: a column short
            "VB-002;Vesterbrogade 3;4;ekstra",  # 11: a column too many
        ]
    )
    _rows, problems = read(text, campaign)
    assert problems == [
        (3, "The site code is missing."),
        (4, "The address is missing."),
        (5, "“Frederiksberg” is not a district: write its name or number (1-10)."),
        (6, "“11” is not a district: write its name or number (1-10)."),
        (7, "The site code nb-014 is also on line 2."),
        (8, "The campaign already has a placement with site code IB-001."),
        (9, "The site code is longer than 40 characters."),
        (10, "The line has 2 columns; the header has 3."),
        (11, "The line has 4 columns; the header has 3."),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"NB-014;N\xc3\xb8rrebrogade 52\n", (1, "The first line must name the columns")),
        ("Plakatsted;Adresse\nNB-014;Nørrebrogade 52\n".encode("cp1252"), (None, "not in UTF-8")),
        (b"%PDF-1.4\x00\x00binary", (None, "not a CSV text file")),
        (b"", (None, "The file is empty.")),
        (b"Plakatsted;Adresse\n\n", (None, "no placements below its header")),
    ],
)
def test_a_file_that_cannot_be_read_says_why(campaign, raw, expected):
    with translation.override("en"):
        rows, problems = services.read_placements(raw, campaign=campaign)
    assert rows == []
    assert len(problems) == 1
    assert problems[0][0] == expected[0]
    assert expected[1] in problems[0][1]


def test_a_file_over_the_limit_is_refused(campaign):
    raw = b"Plakatsted;Adresse\n" + b"A;B\n" * (services.IMPORT_MAX_SIZE // 4 + 1)
    rows, problems = services.read_placements(raw, campaign=campaign)
    assert rows == [] and problems[0][0] is None


def test_the_messages_are_in_the_users_language(campaign):
    raw = b"Plakatsted;Adresse\n;Amagerbrogade 2\n"
    for language in ("da", "en"):
        with translation.override(language):
            _rows, problems = services.read_placements(raw, campaign=campaign)
            assert problems == [(2, translation.gettext("The site code is missing."))]


def test_importing_creates_every_placement_with_its_own_short_code(campaign):
    text = "Plakatsted;Adresse;Bydel\n" + "".join(
        f"NB-{n:03d};Nørrebrogade {n};3\n" for n in range(1, 61)
    )
    result = services.import_placements(campaign=campaign, raw=text.encode())
    assert result.ok and len(result.created) == 60
    codes = set(Placement.objects.values_list("code", flat=True))
    assert len(codes) == 60


def test_one_bad_line_imports_nothing(campaign):
    text = "Plakatsted;Adresse\nNB-001;Nørrebrogade 1\nNB-002;\n"
    result = services.import_placements(campaign=campaign, raw=text.encode())
    assert not result.ok
    assert not Placement.objects.exists()


# --- the page ------------------------------------------------------------------------------------


@pytest.fixture
def coordinator(client):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR)
    verified_login(client, user)
    return user


def upload(text: str, name: str = "plakater.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def test_the_page_imports_a_good_file(client, coordinator, campaign):
    url = reverse("campaigns_staff:placement_import", args=[campaign.year])
    assert client.get(url).status_code == 200
    text = "Plakatsted;Adresse;Bydel\nNB-014;Nørrebrogade 52;3\nIB-002;Rådhuspladsen 1;1\n"
    response = client.post(url, {"file": upload(text)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("campaigns_staff:detail", args=[campaign.year])
    assert campaign.placements.count() == 2


def test_the_page_lists_every_bad_line_and_asks_for_the_file_again(client, coordinator, campaign):
    text = "Plakatsted;Adresse;Bydel\nNB-014;;3\nIB-002;Rådhuspladsen 1;Frederiksberg\n"
    with translation.override("en"):
        url = reverse("campaigns_staff:placement_import", args=[campaign.year])
        response = client.post(url, {"file": upload(text)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert "2 lines of plakater.csv are wrong" in page
    assert "choose the file again below" in page
    assert "Line 2:" in page and "The address is missing." in page
    assert "Line 3:" in page and "“Frederiksberg” is not a district" in page
    assert not Placement.objects.exists()


def test_the_page_refuses_a_missing_file(client, coordinator, campaign):
    url = reverse("campaigns_staff:placement_import", args=[campaign.year])
    response = client.post(url, {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
