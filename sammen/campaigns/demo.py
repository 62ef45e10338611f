"""Demo poster campaigns with counted reach (called by `manage.py seed_demo`, part "campaigns").

Three campaigns, relative to today (never a fixed year):

- Last year's: about 40 poster columns across the ten districts for four weeks in September, and
  the visits through their short links day by day, through the campaign and a tail of three weeks
  after it (the posters come down, a few linger, people scan photos of them).
- The year before's: a smaller first campaign, 24 columns for three weeks, to compare with.
- This year's: published, its four weeks just ended, with fewer days of data.

The numbers are invented but shaped like real ones: the columns at the big squares and stations
(Nørreport, Rådhuspladsen, Hovedbanegården, Nørrebros Runddel, Trianglen) are busy, the quiet
residential streets are not; weekdays beat weekends; the first days build up; after the campaign
the visits die away. A few percent of visits subscribe to news or send an idea, drawn per visit so
a conversion never outnumbers its visits. The addresses are real places in Copenhagen (each in its
district); the site codes are invented.

Idempotent-ish: a year that has a campaign already is left alone. Everything is written with
bulk_create, so seeding takes well under a second.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from sammen.accounts.models import User
from sammen.campaigns.models import Campaign, DailyReach, Placement
from sammen.campaigns.services import MAX_FEATURED, free_short_codes
from sammen.core.models import District
from sammen.core.workdays import local_date
from sammen.participation.models import Channel
from sammen.participation.selectors import public_opportunities

# The poster columns: (district number, site code prefix, address, how busy: 1 is a quiet street).
SITES: list[tuple[int, str, str, float]] = [
    (1, "IB", "Nørreport Station, Nørre Voldgade 13", 4.0),
    (1, "IB", "Rådhuspladsen ved Vesterbrogade", 3.6),
    (1, "IB", "Kongens Nytorv ved Magasin", 2.6),
    (1, "IB", "Gammeltorv, Nytorv 2", 1.8),
    (1, "IB", "Christianshavns Torv, Torvegade 45", 1.6),
    (1, "IB", "Israels Plads, Linnésgade", 1.3),
    (2, "OE", "Trianglen, Østerbrogade 75", 2.4),
    (2, "OE", "Østerbrogade 120 ved Sankt Jakobs Plads", 1.4),
    (2, "OE", "Nordre Frihavnsgade 20", 1.0),
    (2, "OE", "Strandboulevarden 90", 0.8),
    (3, "NB", "Nørrebros Runddel, Nørrebrogade 200", 2.8),
    (3, "NB", "Dronning Louises Bro, Nørrebrogade 2", 2.2),
    (3, "NB", "Blågårds Plads", 1.4),
    (3, "NB", "Sankt Hans Torv, Fælledvej", 1.3),
    (3, "NB", "Jagtvej 100 ved Assistens Kirkegård", 0.9),
    (4, "VB", "Hovedbanegården, Bernstorffsgade", 3.2),
    (4, "VB", "Enghave Plads, Vesterbrogade 115", 1.6),
    (4, "VB", "Halmtorvet ved Kødbyen", 1.2),
    (4, "VB", "Sydhavn Station, Sydhavnsgade", 1.0),
    (4, "VB", "Mozarts Plads", 0.8),
    (5, "VA", "Valby Station, Annexstræde", 1.8),
    (5, "VA", "Toftegårds Plads, Valby Langgade 2", 1.2),
    (5, "VA", "Valby Langgade 80", 0.8),
    (6, "VL", "Vanløse Station, Jernbane Allé 38", 1.5),
    (6, "VL", "Ålekistevej 100", 0.7),
    (6, "VL", "Vanløse Allé ved Kirkebjerg Torv", 0.6),
    (7, "BH", "Husum Torv, Frederikssundsvej 290", 1.1),
    (7, "BH", "Brønshøj Torv", 0.9),
    (7, "BH", "Tingbjerg, Skolesiden 4", 0.7),
    (8, "BB", "Nordvest, Frederikssundsvej 60", 1.2),
    (8, "BB", "Bispebjerg Station, Frederiksborgvej", 1.0),
    (8, "BB", "Emdrup Torv", 0.6),
    (8, "BB", "Tagensvej 180", 0.8),
    (9, "AOE", "Amagerbro Station, Amagerbrogade 2", 1.7),
    (9, "AOE", "Amagerbrogade 150", 1.2),
    (9, "AOE", "Holmbladsgade 70", 0.9),
    (9, "AOE", "Øresundsvej ved Lergravsparken", 0.7),
    (10, "AV", "Islands Brygge, Njalsgade 15", 1.5),
    (10, "AV", "Sundbyvester Plads", 1.0),
    (10, "AV", "Ørestad Station, Arne Jacobsens Allé", 1.3),
    (10, "AV", "Englandsvej 200", 0.6),
]

# Share of the week's mean on each weekday (Monday first): commuters and errands on weekdays.
WEEKDAY = [1.1, 1.15, 1.15, 1.1, 1.05, 0.8, 0.65]
SUBSCRIBE_RATE = 0.04
IDEA_RATE = 0.015


@dataclass(frozen=True)
class Plan:
    year: int
    theme_da: str
    theme_en: str
    message_da: str
    message_en: str
    intro_da: str
    intro_en: str
    starts_on: date
    ends_on: date
    sites: int  # how many of SITES, spread over the districts
    per_day: float  # visits a day at a quiet column in the campaign's full swing
    data_until: date  # the last day with counted visits


def _first_monday_of_september(year: int) -> date:
    day = date(year, 9, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def plans(today: date) -> list[Plan]:
    """The three demo campaigns, dated from today."""
    last = today.year - 1
    before = today.year - 2
    last_start = _first_monday_of_september(last)
    before_start = _first_monday_of_september(before)
    this_start = max(date(today.year, 1, 1), today - timedelta(days=30))
    this_end = max(this_start, today - timedelta(days=3))
    return [
        Plan(
            year=last,
            theme_da="Din by, din stemme",
            theme_en="Your city, your voice",
            message_da="Din by. Din stemme. Sig det, før det bliver besluttet.",
            message_en="Your city. Your voice. Say it before it is decided.",
            intro_da=(
                "Københavns Kommune vil gerne høre fra dig, før beslutningerne bliver truffet. "
                "Her er nogle af de høringer, møder og puljer, der er åbne lige nu.\n\n"
                "Du kan også sende os en idé til din bydel eller få besked, når der sker noget "
                "nyt der, hvor du bor."
            ),
            intro_en=(
                "The City of Copenhagen wants to hear from you before decisions are made. Here "
                "are some of the hearings, meetings and funding pools open right now.\n\n"
                "You can also send us an idea for your neighbourhood, or get news when something "
                "happens where you live."
            ),
            starts_on=last_start,
            ends_on=last_start + timedelta(days=27),
            sites=40,
            per_day=3.2,
            data_until=last_start + timedelta(days=27 + 21),
        ),
        Plan(
            year=before,
            theme_da="Få indflydelse på din bydel",
            theme_en="Have a say in your neighbourhood",
            message_da="Hvad skal der ske i din bydel? Få indflydelse.",
            message_en="What should happen in your neighbourhood? Have your say.",
            intro_da=(
                "Høringer, borgermøder og lokaludvalg: her kan du se, hvor du kan blande dig i, "
                "hvad der sker i din bydel."
            ),
            intro_en=(
                "Hearings, public meetings and local committees: see where you can have a say in "
                "what happens in your neighbourhood."
            ),
            starts_on=before_start,
            ends_on=before_start + timedelta(days=20),
            sites=24,
            per_day=2.1,
            data_until=before_start + timedelta(days=20 + 14),
        ),
        Plan(
            year=today.year,
            theme_da="Sammen om byen",
            theme_en="Shaping the city together",
            message_da="Byen bliver til sammen med dig. Se, hvor du kan være med.",
            message_en="The city is made together with you. See where you can take part.",
            intro_da=(
                "Fra lokalplaner til legepladser: på Få indflydelse finder du alle de måder, du "
                "kan være med til at forme København på."
            ),
            intro_en=(
                "From local plans to playgrounds: Få indflydelse shows every way you can help "
                "shape Copenhagen."
            ),
            starts_on=this_start,
            ends_on=this_end,
            sites=30,
            per_day=3.6,
            data_until=today - timedelta(days=1),
        ),
    ]


def _spread(count: int) -> list[tuple[int, str, str, float]]:
    """`count` sites with every district represented: the busiest of each first, then the rest
    by how busy they are."""
    by_district: dict[int, list] = {}
    for site in SITES:
        by_district.setdefault(site[0], []).append(site)
    first = [max(sites, key=lambda s: s[3]) for sites in by_district.values()]
    rest = sorted((s for s in SITES if s not in first), key=lambda s: -s[3])
    return sorted((first + rest)[:count], key=lambda s: (s[0], -s[3]))


def _conversions(rng: random.Random, visits: int, rate: float) -> int:
    return sum(1 for _ in range(visits) if rng.random() < rate)


def _day_factor(plan: Plan, day: date) -> float:
    """How much of a column's full-swing visits a day gets: build-up, weekday, decay after."""
    if day <= plan.ends_on:
        since_start = (day - plan.starts_on).days
        build_up = min(1.0, 0.45 + 0.2 * since_start)
        return build_up * WEEKDAY[day.weekday()]
    after = (day - plan.ends_on).days
    return 0.55 * (0.78**after) * WEEKDAY[day.weekday()]


def _reach(rng: random.Random, plan: Plan, placements: list[Placement], busy: list[float]):
    rows = []
    day = plan.starts_on
    while day <= plan.data_until:
        factor = _day_factor(plan, day)
        for placement, weight in zip(placements, busy, strict=True):
            mean = plan.per_day * weight * factor
            visits = max(0, round(rng.gauss(mean, mean**0.5)))
            if visits:
                rows.append(
                    DailyReach(
                        placement=placement,
                        day=day,
                        visits=visits,
                        subscriptions=_conversions(rng, visits, SUBSCRIBE_RATE),
                        ideas=_conversions(rng, visits, IDEA_RATE),
                    )
                )
        day += timedelta(days=1)
    return rows


@transaction.atomic
def _seed_campaign(plan: Plan, rng: random.Random, districts: dict[int, District]) -> Campaign:
    campaign = Campaign.objects.create(
        year=plan.year,
        theme_da=plan.theme_da,
        theme_en=plan.theme_en,
        message_da=plan.message_da,
        message_en=plan.message_en,
        intro_da=plan.intro_da,
        intro_en=plan.intro_en,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        is_published=True,
        created_by=User.objects.filter(username="koordinator").first(),
    )
    opportunities = list(public_opportunities().order_by("closes_at", "pk")[:20])
    campaign.featured_opportunities.set(
        rng.sample(opportunities, min(len(opportunities), MAX_FEATURED - 2))
    )
    campaign.channels.set(
        Channel.objects.filter(slug__in=["hoering", "borgermoede", "lokaludvalg", "pulje"])
    )
    sites = _spread(plan.sites)
    numbers: dict[str, int] = {}
    placements = []
    for (district, prefix, address, _busy), code in zip(
        sites, free_short_codes(len(sites)), strict=True
    ):
        numbers[prefix] = numbers.get(prefix, 0) + 1
        placements.append(
            Placement(
                campaign=campaign,
                code=code,
                site_code=f"{prefix}-{plan.year % 100:02d}{numbers[prefix]:02d}",
                address=address,
                district=districts.get(district),
            )
        )
    placements = Placement.objects.bulk_create(placements)
    # Each column's own luck (the side of the street, the light at night) on top of its place.
    busy = [site[3] * rng.uniform(0.8, 1.2) for site in sites]
    DailyReach.objects.bulk_create(_reach(rng, plan, placements, busy), batch_size=1000)
    return campaign


def campaigns_seed(seed: int) -> int:
    """Add the demo campaigns whose year has none yet; returns how many were created."""
    rng = random.Random(seed)  # noqa: S311 (demo content, not security)
    today = local_date(timezone.now())
    districts = {d.number: d for d in District.objects.all()}
    taken = set(Campaign.objects.values_list("year", flat=True))
    created = 0
    for plan in plans(today):
        if plan.year in taken:
            continue
        _seed_campaign(plan, rng, districts)
        created += 1
    return created
