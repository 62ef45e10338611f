"""Loading the municipality's reference data from the files in core/data.

Idempotent: records are matched on their natural keys (number, abbreviation, slug), names are
brought up to date, and nothing an administrator added is deleted. Text an administrator wrote
(descriptions, accessibility) is only filled in when empty.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from sammen.core import geo
from sammen.core.models import Department, District, LocalCommittee, Principle, Topic, Venue

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[kind] = bucket.get(kind, 0) + 1


def _read(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@transaction.atomic
def load_reference_data() -> LoadReport:
    report = LoadReport()
    reference = _read("reference.json")

    for item in reference["principles"]:
        _, created = Principle.objects.update_or_create(
            number=item["number"],
            defaults={"slug": item["slug"], "name_da": item["name_da"], "name_en": item["name_en"]},
            create_defaults={
                "slug": item["slug"],
                "name_da": item["name_da"],
                "name_en": item["name_en"],
                "summary_da": item["summary_da"],
                "summary_en": item["summary_en"],
            },
        )
        report.count("principles", created)

    for item in reference["departments"]:
        _, created = Department.objects.update_or_create(
            abbreviation=item["abbr"],
            defaults={
                "slug": slugify(item["abbr"].replace("Ø", "oe")),
                "name_da": item["name_da"],
                "name_en": item["name_en"],
                "email_domain": item["email_domain"],
            },
        )
        report.count("departments", created)

    polygons = {
        feature["properties"]["bydel_nr"]: feature
        for feature in _read("kk_bydele.geojson")["features"]
    }
    for item in reference["districts"]:
        feature = polygons.get(item["bydel_nr"], {})
        _, created = District.objects.update_or_create(
            number=item["bydel_nr"],
            defaults={
                "name": item["name"],
                "slug": slugify(
                    item["name"].replace("/", " ").replace("ø", "oe").replace("Ø", "Oe")
                ),
                "geometry": feature.get("geometry"),
                "area_m2": feature.get("properties", {}).get("areal_m2"),
            },
        )
        report.count("districts", created)

    districts = {d.number: d for d in District.objects.all()}
    for item in reference["local_committees"]:
        name = item["name"]
        _, created = LocalCommittee.objects.update_or_create(
            name=name,
            defaults={
                "slug": slugify(name.replace("ø", "oe").replace("Ø", "Oe")),
                "district": districts[item["bydel_nr"]],
            },
        )
        report.count("local committees", created)

    for item in _read("topics.json")["topics"]:
        _, created = Topic.objects.update_or_create(
            slug=item["slug"], defaults={"name_da": item["name_da"], "name_en": item["name_en"]}
        )
        report.count("topics", created)

    for filename, kind in (
        ("kk_kulturhuse.geojson", Venue.Kind.CULTURAL_CENTRE),
        ("kk_biblioteker.geojson", Venue.Kind.LIBRARY),
    ):
        for feature in _read(filename)["features"]:
            props = feature["properties"]
            lon, lat = feature["geometry"]["coordinates"][0]
            district = next(
                (
                    d
                    for d in districts.values()
                    if d.geometry and geo.contains(d.geometry, lon, lat)
                ),
                None,
            )
            _, created = Venue.objects.update_or_create(
                name=props["navn"].strip(),
                address=(props.get("adresse") or "").strip(),
                defaults={
                    "kind": kind,
                    "postcode": (props.get("post_nr") or "").strip(),
                    "city": (props.get("postdistrikt") or "").strip(),
                    "district": district,
                    "latitude": lat,
                    "longitude": lon,
                    "website": (props.get("link") or "").strip(),
                    "email": (props.get("e_mail") or "").strip(),
                },
            )
            report.count("venues", created)

    # Channels belong to the participation app; it loads its own part of reference.json.
    from sammen.participation.reference import load_channels

    for created in load_channels(reference["channels"]):
        report.count("channels", created)
    return report
