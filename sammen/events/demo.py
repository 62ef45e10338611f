"""Demo events: the conferences of the last two years with their marketplaces, the morning meetings on the
principles, and what is coming up (called by `manage.py seed_demo`).

`events_seed()` tells each event through the services, at its own time in the past (`now=`):
created and published by its organiser, its programme with speakers and the practice examples
presented (the knowledge demo's entries, where they exist), registrations inside the registration
window (a few cancel late and the waitlist is promoted), check-in at the door, the survey answers
after the event and the materials. So everything holds the rules it would hold in real life.

- Last year's internal conference "Københavnerdialog <year>": about 120 staff from all seven
  departments, nine in ten checked in, a marketplace of stands (approved with positions on the
  floor plan, two declined, one still waiting), feedback from about 60 participants. The year
  before's, the first, was smaller (about a hundred came, a stand from each department), so the
  yearly report on last year has a year to compare with (CONFERENCES).
- The morning meetings ("Morgenbooster"), a series of two a year, in June and November: four
  held so far, one per principle 1-4 (two of them last year, so the yearly report has them
  whatever the date), and the next (principle 5) open for registration with exactly one seat
  left, so the next person to register takes the last seat and the one after is waitlisted.
- Coming up: a network meeting for the dialogue consultants, and a public citizen meeting shown on
  Få indflydelse (through `services.sync_opportunity`, as publishing does).

The venues are real (core.Venue); the programmes, accessibility notes, guest speakers and
participants are invented. The participants are colleagues with `demo-…` usernames, e-mail
addresses marked `.demo` and unusable passwords (nobody can log in as them), and citizens at
example.org. The login accounts of
the demo (sammen.accounts.demo, sammen.participation.demo) attended the past events but are left
out of the next morning meeting, so whoever tries the site can take its last seat. Everything told
here happened (or was registered) before now: the mails it queued are logged as cancelled, so
nobody gets mail about it, and the jobs' timestamps (reminders sent, feedback requested, needs
erased) are set as the jobs would have set them.

Idempotent: an event whose title exists is left alone, colleagues are matched by username,
speakers by name and organisation, the series by slug.
"""

import importlib
import importlib.util
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import product

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sammen.accounts.demo import ROLE_ACCOUNTS, role_accounts_create
from sammen.accounts.models import Role, User
from sammen.core.models import Department, District, MailLog, Principle, Topic, Venue
from sammen.core.workdays import COPENHAGEN, is_working_day, local_date
from sammen.events import registration, services
from sammen.events.feedback import give_feedback
from sammen.events.models import Audience, Event, Kind, Registration, Series, Speaker, Stand
from sammen.knowledge.models import Entry
from sammen.participation import services as participation
from sammen.participation.demo import ADMIN_USERNAME, DEMO_STAFF, users_create

Status = Registration.Status

# --- the colleagues ------------------------------------------------------------------------------

FIRST_NAMES = [
    "Mette", "Hanne", "Camilla", "Line", "Louise", "Maria", "Sofie", "Julie", "Ida", "Emma",
    "Kirsten", "Susanne", "Helle", "Trine", "Signe", "Nanna", "Maja", "Cecilie", "Anne",
    "Marianne", "Birgitte", "Lene", "Rikke", "Sara", "Amalie", "Fatima", "Aisha", "Leyla",
    "Zainab", "Karoline", "Jens", "Peter", "Michael", "Lars", "Thomas", "Henrik", "Martin",
    "Jesper", "Anders", "Rasmus", "Morten", "Christian", "Jonas", "Frederik", "Mikkel", "Simon",
    "Nikolaj", "Jakob", "Ahmed", "Omar", "Hassan", "Emil", "Kristian", "Torben", "Ole", "Klaus",
]  # fmt: skip
LAST_NAMES = [
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen",
    "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen", "Frederiksen", "Laursen", "Schmidt",
    "Eriksen", "Bach", "Dam", "Juhl", "Vestergaard", "Skov", "Lauridsen", "Hussein", "Khan",
    "Ahmed", "Nguyen", "Kaya", "Özdemir", "Mahmoud",
]  # fmt: skip
# How many invented colleagues per department: roughly the departments' relative size.
COLLEAGUES = {"ØKF": 16, "KFF": 20, "BUF": 28, "SUF": 24, "SOF": 24, "TMF": 24, "BIF": 18}
# The pool is the same whatever the seed, so seeding again never adds a second set of colleagues.
POOL_SEED = "sammen-events-demo-colleagues"

# The accounts people log in with: they are kept out of the next morning meeting.
LOGIN_USERNAMES = frozenset(
    [row[0] for row in DEMO_STAFF] + [row[0] for row in ROLE_ACCOUNTS] + [ADMIN_USERNAME]
)


def _ascii(text: str) -> str:
    """A name as it is spelt in an address or a username: "Søren Özdemir" -> "soeren-oezdemir"."""
    text = text.lower()
    for danish, plain in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("ö", "oe"), ("ü", "ue")):
        text = text.replace(danish, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(ch for ch in word if ch.isalnum()) for word in text.split())


def colleagues_create() -> dict[str, list[User]]:
    """The invented colleagues who fill the events, by department abbreviation. Idempotent; bulk
    inserts (one unusable password for all: nobody logs in as them)."""
    rng = random.Random(POOL_SEED)  # noqa: S311 (demo content, not security)
    departments = {d.abbreviation: d for d in Department.objects.all()}
    names = rng.sample(list(product(FIRST_NAMES, LAST_NAMES)), sum(COLLEAGUES.values()))
    planned: list[tuple[str, str, str, Department]] = []
    for abbreviation, count in COLLEAGUES.items():
        for first, last in names[len(planned) : len(planned) + count]:
            username = f"demo-{_ascii(first)}-{_ascii(last)}"
            planned.append((username, first, last, departments[abbreviation]))
    existing = set(
        User.objects.filter(username__in=[p[0] for p in planned]).values_list("username", flat=True)
    )
    password = make_password(None)
    User.objects.bulk_create(
        [
            User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{_ascii(first)}.{_ascii(last)}.demo@{department.email_domain or 'kk.dk'}",
                password=password,
            )
            for username, first, last, department in planned
            if username not in existing
        ]
    )
    users = User.objects.in_bulk([p[0] for p in planned], field_name="username")
    User.departments.through.objects.bulk_create(
        [
            User.departments.through(user_id=users[username].pk, department_id=department.pk)
            for username, _first, _last, department in planned
            if username not in existing
        ]
    )
    pool: dict[str, list[User]] = {abbreviation: [] for abbreviation in COLLEAGUES}
    for username, _first, _last, department in planned:
        pool[department.abbreviation].append(users[username])
    return pool


# --- what is said: the survey answers ------------------------------------------------------------

RATING_WEIGHTS = {1: 1, 2: 4, 3: 16, 4: 46, 5: 33}

WILL_USE = {
    0: [
        "Kontakterne fra markedspladsen. Vi skal samarbejde med BIF om brobyggere i efteråret.",
        "At aftale med ledelsen, hvad borgerne reelt kan få indflydelse på, før vi inviterer.",
        "Jeg tager pop-up-dialogen på torvet med hjem til vores projekt i Nordvest.",
        "Skabelonen til tilbagemelding til deltagerne efter et møde.",
        "At holde møderne der, hvor folk allerede er, i stedet for på rådhuset.",
        "Dialogplanen på én side. Den bruger vi i vores næste projekt.",
        "Tjeklisten til tilgængelige møder; den sender jeg rundt i teamet.",
    ],
    1: [
        "At skrive dialog ind i projektplanen fra starten, med tid og penge til det.",
        "Jeg vil tage principperne op på vores næste ledermøde.",
        "Dialogplanen på én side som fast del af vores projektmodel.",
        "At vi deler erfaringer på tværs af forvaltningerne i stedet for at starte forfra.",
    ],
    2: [
        "At starte dialogen, før der ligger en tegning.",
        "Fremtidsværkstedet som første skridt i vores lokalplanproces.",
        "At spørge lokaludvalget tidligere, end vi plejer.",
        "At lave en tidslinje for dialogen fra idé til indvielse.",
    ],
    3: [
        "At sige tydeligt i invitationen, hvad der kan ændres, og hvad der ligger fast.",
        "Skabelonen til en god tilbagemelding, også når svaret er nej.",
        "At melde tilbage til deltagerne inden for en måned efter mødet.",
        "Jeg vil skrive formålet med dialogen øverst på alle vores høringssider.",
    ],
    4: [
        "Borgerbudget i lille skala i vores kulturhus.",
        "At lade de unge selv tegne forslagene, som på skateparken på Nørrebro.",
        "Flere korte, engagerende formater i stedet for lange borgermøder.",
        "At give deltagerne et ordentligt grundlag at sige noget på: tal, kort og eksempler.",
    ],
    5: [
        "At bruge tolke og brobyggere, når vi inviterer til møder i Tingbjerg.",
        "Tryghedsvandring på flere sprog i vores boligområde.",
        "At invitere dem, vi plejer ikke at høre fra, personligt.",
        "Telefonsamtaler med ældre, der ikke kommer til møderne.",
    ],
}

COMMENTS = {
    Kind.CONFERENCE.value: [
        "God blanding af oplæg og tid til at tale sammen.",
        "Workshoppen om unge var for kort. Giv den en halv time mere næste år.",
        "Det var svært at høre noget i lokale 2, når døren til foyeren stod åben.",
        "Markedspladsen var dagens højdepunkt.",
        "Gerne flere eksempler fra SUF og BIF næste gang.",
        "Der manglede vegetariske retter ved frokosten.",
        "Tak for en inspirerende dag.",
        "Jeg savnede noget om, hvordan vi får ledelsen med.",
        "Lidt for meget envejskommunikation i det første oplæg.",
        "Rart at møde kolleger fra de andre forvaltninger.",
    ],
    Kind.MORNING_MEETING.value: [
        "Kl. 8.30 er tidligt, men morgenmaden hjalp.",
        "Send gerne slides ud før mødet.",
        "Eksemplet fra praksis var det bedste. Mere af det.",
        "Godt format: kort, konkret og med tid til spørgsmål.",
        "Svært at finde lokalet. Sæt skilte op ved indgangen.",
        "Jeg vil gerne have haft mere tid til at tale med dem ved bordet.",
    ],
}


def _answer(
    rng: random.Random,
    kind: str,
    focus: int | None,
    principles: dict[int, Principle],
    ratings: dict[int, int] = RATING_WEIGHTS,
) -> dict:
    """One participant's answer: mostly 4s and 5s (`ratings`: how often each score); the
    principle it helped with is the edition's focus for most at a morning meeting, any
    principle at the conference."""
    rating = rng.choices(list(ratings), weights=list(ratings.values()))[0]
    number = focus if focus and rng.random() < 0.7 else rng.choice(list(principles))
    pool = WILL_USE[number] + (WILL_USE[0] if kind == Kind.CONFERENCE else [])
    return {
        "rating": rating,
        "principle": principles[number] if rng.random() < 0.9 else None,
        "will_use": rng.choice(pool) if rng.random() < 0.75 else "",
        "comment": rng.choice(COMMENTS[kind]) if rng.random() < 0.3 else "",
    }


# --- the content ---------------------------------------------------------------------------------

# key: (username of a member of staff or None for a guest, name, organisation, about)
SPEAKERS: dict[str, tuple[str | None, str, str, str]] = {
    "krogh": ("koordinator", "Kasper Krogh", "Økonomiforvaltningen",
              "Koordinator for københavnerdialog på tværs af forvaltningerne."),
    "kofoed": ("konsulent", "Kirsten Kofoed", "Teknik- og Miljøforvaltningen",
               "Dialogkonsulent med lokalplaner og byrum som speciale."),
    "mikkelsen": ("konsulent-okf", "Mads Mikkelsen", "Økonomiforvaltningen",
                  "Chefkonsulent i Center for Byudvikling; har stået for klimaborgersamlingen."),
    "lund": ("konsulent-kff", "Louise Lund", "Kultur- og Fritidsforvaltningen",
             "Specialkonsulent for kulturhuse og biblioteker."),
    "yilmaz": ("konsulent-buf", "Yasmin Yilmaz", "Børne- og Ungdomsforvaltningen",
               "Dialogkonsulent; arbejder med ungeråd, elevråd og forældredialog."),
    "holm": ("konsulent-suf", "Henrik Holm", "Sundheds- og Omsorgsforvaltningen",
             "Specialkonsulent for dialog med ældre borgere og pårørende."),
    "farah": ("konsulent-sof", "Fatima Farah", "Socialforvaltningen",
              "Arbejder med dialog i udsatte boligområder og med borgere med handicap."),
    "ahmadi": ("konsulent-bif", "Amira Ahmadi", "Beskæftigelses- og Integrationsforvaltningen",
               "Dialogkonsulent; har bygget brobyggerkorpset op i jobcentrene."),
    "riis": (None, "Jonas Riis", "Aarhus Kommune",
             "Projektleder for borgerbudgetter i Aarhus Kommune."),
    "bonde": (None, "Helle Bonde", "Valby Lokaludvalg",
              "Formand for Valby Lokaludvalg og medlem af klimaborgersamlingens følgegruppe."),
}  # fmt: skip


@dataclass(frozen=True)
class Item:
    """A programme item: local start and end ("HH:MM"), title, room, speakers (keys of SPEAKERS)
    and the practice examples presented (titles of knowledge entries)."""

    start: str
    end: str
    title: str
    description: str = ""
    room: str = ""
    speakers: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


CONFERENCE_PROGRAMME = (
    Item("08:30", "09:00", "Ankomst, kaffe og morgenbrød", room="Foyeren"),
    Item("09:00", "09:20", "Velkommen: Hvor er vi med københavnerdialogen?",
         "Status på de fem principper et år efter, og hvad vi har lært af borgernes idéer.",
         "Salen", ("krogh",)),
    Item("09:20", "10:00", "Borgerne tog ordet: klimaborgersamlingen om skybrud",
         "Hvad skete der, da 36 lodtrukne københavnere fik ansvar for en svær prioritering? Om "
         "mandat, tilbagemelding og det, der ikke gik som planlagt.",
         "Salen", ("mikkelsen", "bonde"), ("Klimaborgersamling om skybrudssikring",)),
    Item("10:15", "11:30", "Workshop: Tidlig dialog i lokalplaner",
         "Hvordan kommer borgerne med, før der ligger en tegning? Vi arbejder med jeres egne "
         "projekter.",
         "Lokale 1", ("kofoed",),
         ("Tidlig dialog: før tegningen", "Digital høring om cykelstier på Valby Langgade")),
    Item("10:15", "11:30", "Workshop: Unge som medborgere",
         "Metoder, der virker med unge: walk-and-talk, ungepaneler og at lade dem tegne selv.",
         "Lokale 2", ("yilmaz",),
         ("Unge tegnede den nye skatepark på Nørrebro", "Walk-and-talk med unge i nærområdet")),
    Item("10:15", "11:30", "Workshop: Når dialogen skal nå alle",
         "Tolke, brobyggere og møder de steder, hvor folk allerede er.",
         "Lokale 3", ("ahmadi", "farah"),
         ("Tryghedsvandring i Tingbjerg med beboere på fem sprog",
          "Dialog med tolk og brobyggere")),
    Item("11:30", "12:30", "Frokost og markedspladsen",
         "Mød projekterne fra alle syv forvaltninger på markedspladsen i foyeren.", "Foyeren"),
    Item("12:30", "13:15", "Sådan gør Aarhus: borgerbudgetter",
         "Erfaringer fra fire år med borgerbudgetter i Aarhus' lokalområder.",
         "Salen", ("riis",), ("Inspiration fra Aarhus: borgerbudgetter",)),
    Item("13:30", "14:45", "Workshop: Den gode tilbagemelding",
         "Vi skriver tilbagemeldinger sammen, også dem, hvor svaret er nej.",
         "Lokale 1", ("holm",), ("Sådan skriver du en god tilbagemelding",)),
    Item("13:30", "14:45", "Workshop: Budgetdialog i kulturhusene",
         "Hvordan kulturhusene lod brugerne prioritere en del af budgettet.",
         "Lokale 2", ("lund",), ("Budgetdialog i kulturhusene",)),
    Item("15:00", "15:30", "Opsamling og tak for i dag", room="Salen", speakers=("krogh",)),
)  # fmt: skip

# (position or "" , status, title, department, project, what visitors meet, organiser's note)
STANDS = [
    ("A1", "approved", "Københavnerforslag: fra idé til Borgerrepræsentationen", "ØKF",
     "Københavnerforslag", "Se, hvordan et forslag med 1.000 støtter bliver behandlet, og hør, "
     "hvad der skete med årets forslag.", ""),
    ("A2", "approved", "Kulturhusene som mødested", "KFF", "Budgetdialog i kulturhusene",
     "Prøv budgetspillet, som brugerne af kulturhusene prioriterede med.", ""),
    ("A3", "approved", "Ungepanelet", "BUF", "Ungepanel på Instagram og Snapchat",
     "Mød to af de unge fra panelet og se, hvilke spørgsmål der fik flest svar.", ""),
    ("A4", "approved", "Ældre med i indretningen", "SUF", "Aktivitetscenter på Amager",
     "Hør, hvordan ældre på Amager var med til at indrette deres nye aktivitetscenter.", ""),
    ("A5", "approved", "Naboskabsdialog i Urbanplanen", "SOF", "Naboskab i Urbanplanen",
     "Dialog om naboskab med beboerne i Urbanplanen: hvad vi gjorde, og hvad vi lærte.", ""),
    ("A6", "approved", "Skybrudssikring: spørg borgerne tidligt", "TMF", "Klimatilpasning",
     "Kort over de kommende skybrudsprojekter, og hvornår borgerne kan være med.", ""),
    ("B1", "approved", "Brobyggerne", "BIF", "Brobyggere i jobcentrene",
     "Mød brobyggerne, der hjælper med at nå borgere, der ikke taler dansk.", ""),
    ("B2", "approved", "Digitale høringer med kort", "TMF", "",
     "Prøv høringskortet, hvor borgerne sætter deres kommentarer direkte på kortet.", ""),
    ("B3", "approved", "Biblioteket som demokratisk mødested", "KFF", "",
     "Sådan bruger bibliotekerne deres rum til debatmøder og borgerdialog.", ""),
    ("B4", "approved", "Forældre og elever om ny skole i Sydhavnen", "BUF",
     "Ny skole i Sydhavnen", "Tegningerne, som forældre og elever var med til at ændre.", ""),
    ("B5", "approved", "Borgerpanelet", "ØKF", "",
     "Hvem svarer i borgerpanelet, og hvordan bruger forvaltningerne svarene?", ""),
    ("B6", "approved", "Tilgængelige byrum", "SOF",
     "Brugerråd for borgere med handicap",
     "Brugerrådet viser, hvad der gør et byrum tilgængeligt, og hvad der ikke gør.", ""),
    ("", "declined", "Sundhedsprofilen i tal", "SUF", "",
     "Resultaterne af den seneste sundhedsprofil for København.",
     "Tak for forslaget. Markedspladsen er i år for projekter med borgerdialog; kom gerne og "
     "fortæl om sundhedsprofilen på en morgenbooster."),
    ("", "declined", "Ny parkeringsstrategi", "TMF", "",
     "Forslagene til den nye parkeringsstrategi.",
     "Der er allerede to stande fra TMF. Kom gerne med på workshoppen om tidlig dialog."),
    ("", "requested", "Dialog med virksomheder", "BIF", "",
     "Hvordan jobcentrene inddrager virksomhederne i deres tilbud.", ""),
]  # fmt: skip


@dataclass(frozen=True)
class Conference:
    """The conference of one year, `years_ago` years before today's, held on the last Thursday
    of September: what it was about, where, its programme and marketplace, and how it went: how
    many registered (`asking`; more than `capacity` wait for a seat), how many cancelled in the
    last week, the share of the seated who came, and how many of them answered the survey
    with what scores."""

    years_ago: int
    summary: str
    description: str
    venue: str
    address: str  # when the venue is not in the reference data
    accessibility: str
    programme: tuple[Item, ...]
    stands: list[tuple]
    capacity: int
    asking: int
    cancelled: int
    rate: float
    answers: int
    ratings: dict[int, int] = field(default_factory=lambda: RATING_WEIGHTS)


FIRST_CONFERENCE_PROGRAMME = (
    Item("08:30", "09:00", "Ankomst, kaffe og morgenbrød", room="Foyeren"),
    Item("09:00", "09:30", "Velkommen: fem principper for bedre københavnerdialog",
         "Hvorfor kommunen har fået fælles principper for dialog med borgerne, og hvad de betyder "
         "for vores arbejde i alle syv forvaltninger.",
         "Salen", ("krogh",), ("Hvorfor dialog er en kerneopgave",)),
    Item("09:30", "10:15", "Hvem føler sig hørt? Borgerpanelet om dialog med kommunen",
         "Hvad svarede borgerpanelet om at blive inddraget, og hvem hører vi sjældent fra?",
         "Salen", ("mikkelsen",)),
    Item("10:30", "11:45", "Workshop: Møder, alle kan komme til",
         "Adgang, tolk, tidspunkter og invitationer: tjeklisten gennemgået med jeres egne "
         "møder.",
         "Lokale 1", ("farah",), ("Tilgængelige møder: tjekliste",)),
    Item("10:30", "11:45", "Workshop: Mød borgerne, hvor de er",
         "Pop-up-dialog på torve, i biblioteker og ved indkøbscentre: sådan planlægger I den.",
         "Lokale 2", ("kofoed",), ("Pop-up-dialog på torvet",)),
    Item("10:30", "11:45", "Workshop: Fremtidsværksted med børn og forældre",
         "Metoden prøvet på et projekt fra en af jeres forvaltninger.",
         "Lokale 3", ("yilmaz",), ("Fremtidsværksted",)),
    Item("11:45", "12:45", "Frokost og markedspladsen",
         "Projekter fra forvaltningerne viser, hvordan de har inddraget borgerne.", "Foyeren"),
    Item("12:45", "13:30", "Lokaludvalgene som samarbejdspartner",
         "Hvad lokaludvalgene kan gøre for en dialog, og hvornår de gerne vil spørges.",
         "Salen", ("bonde",), ("Samarbejde med lokaludvalgene",)),
    Item("13:45", "14:30", "Brobyggere: når dialogen skal nå alle",
         "Erfaringer fra jobcentrene med brobyggere, der taler borgernes sprog.",
         "Salen", ("ahmadi",), ("Dialog med tolk og brobyggere",)),
    Item("14:30", "15:00", "Opsamling: hvad gør vi det næste år?", room="Salen",
         speakers=("krogh",)),
)  # fmt: skip

CONFERENCES = (
    # The first, the year before last: smaller, in Valby, with a small marketplace.
    Conference(
        years_ago=2,
        summary="Den første konference om dialog med københavnerne: de fem principper, "
        "workshops og en lille markedsplads med projekter fra forvaltningerne.",
        description="En dag for alle, der arbejder med borgerdialog i Københavns Kommune. Vi "
        "præsenterer de fem principper for bedre københavnerdialog, hører, hvad borgerpanelet "
        "siger om at blive inddraget, og arbejder i workshops med tilgængelige møder, "
        "pop-up-dialog og fremtidsværksteder.\n\nI frokostpausen viser projekter fra "
        "forvaltningerne, hvordan de har inddraget borgerne.",
        venue="Valby Kulturhus",
        address="Valgårdsvej 4-8, 2500 Valby",
        accessibility="Niveaufri adgang fra Valgårdsvej, elevator til alle sale og "
        "handicaptoilet i stueetagen. Teleslynge i Salen. Giv besked ved tilmeldingen, hvis du "
        "har brug for tegnsprogstolk.",
        programme=FIRST_CONFERENCE_PROGRAMME,
        stands=STANDS[:7],  # one from each department
        capacity=110,
        asking=108,
        cancelled=5,
        rate=0.86,
        answers=44,
        ratings={1: 2, 2: 7, 3: 25, 4: 44, 5: 22},  # a first time: more 3s, fewer 5s
    ),
    Conference(
        years_ago=1,
        summary="Den årlige konference om dialog med københavnerne: oplæg, workshops og "
        "en markedsplads med projekter fra alle syv forvaltninger.",
        description="En dag for alle, der arbejder med borgerdialog i Københavns Kommune. "
        "Vi ser på, hvor langt vi er kommet med de fem principper, hører om klimaborger"
        "samlingen og borgerbudgetter i Aarhus og arbejder i workshops med tidlig dialog, "
        "unge og dialog, der når alle.\n\nI frokostpausen er der markedsplads i foyeren, hvor "
        "projekter fra alle forvaltninger viser, hvad de har gjort, og hvad de har lært.",
        venue="Kulturhuset Islands Brygge",
        address="Islands Brygge 18",
        accessibility="Niveaufri adgang fra Islands Brygge, elevator til alle etager, "
        "handicaptoilet i stueetagen og teleslynge i salen. Giv besked ved tilmeldingen, hvis "
        "du har brug for tegnsprogstolk.",
        programme=CONFERENCE_PROGRAMME,
        stands=STANDS,
        # 125 ask for 120 seats: five wait, and get a seat when seven cancel in the last week.
        capacity=120,
        asking=125,
        cancelled=7,
        rate=0.9,
        answers=61,
    ),
)

SERIES_SLUG = "morgenbooster"
NETWORK_TITLE = "Netværksmøde for dialogkonsulenter"
CITIZEN_TITLE = "Borgermøde: Sådan bliver Valby klar til skybrud"
MORNING_SEATS = 80


@dataclass(frozen=True)
class Edition:
    """One morning meeting: its principle, title, summary, when it is held, how many registered
    (a past edition), and its programme.

    `held` places a past edition in the calendar: (years before this one, month, day), the
    Tuesday on or before that day. The series meets in June and November, so last year always
    has two editions to report on, whatever the date today. With `held` None a past edition is
    the latest, `days` from today (negative) but after the one before it; the next edition is
    `days` ahead."""

    principle: int
    title: str
    summary: str
    days: int
    registrations: int = 0
    programme: tuple[Item, ...] = field(default=())
    held: tuple[int, int, int] | None = None


def _morning(talk: Item, example: Item) -> tuple[Item, ...]:
    return (
        Item("08:30", "08:45", "Morgenmad og kaffe", room="Store sal"),
        talk,
        example,
        Item("09:45", "10:00", "Spørgsmål og tak for i dag", room="Store sal"),
    )


EDITIONS = [
    Edition(1, "Morgenbooster: Dialog er en kerneopgave",
            "Hvad betyder det, at dialog er en del af hverdagens arbejde, og hvordan får vi tid "
            "og ledelse til det?", 0, 64, held=(2, 11, 25), programme=_morning(
                Item("08:45", "09:15", "Dialog er en kerneopgave, ikke et tilvalg",
                     "Om det første princip, og hvad det kræver af os som organisation.",
                     "Store sal", ("krogh",), ("Hvorfor dialog er en kerneopgave",)),
                Item("09:15", "09:45", "Praksis: dialogplanen på én side",
                     "Sådan planlægger ØKF dialogen i et projekt på én side.",
                     "Store sal", ("mikkelsen",), ("Dialogplan på én side",)),
            )),
    Edition(2, "Morgenbooster: Tidlig dialog – før tegningen",
            "Hvordan kommer borgerne med, mens der stadig er noget at ændre?", 0, 74,
            held=(1, 6, 12), programme=_morning(
                Item("08:45", "09:15", "Før tegningen: hvorfor tidlig dialog betaler sig",
                     "Erfaringer fra lokalplaner, hvor borgerne kom med før skitsen.",
                     "Store sal", ("kofoed",), ("Tidlig dialog: før tegningen",)),
                Item("09:15", "09:45", "Praksis: forældre og elever om ny skole i Sydhavnen",
                     "Hvad fremtidsværkstedet med forældre og elever ændrede i projektet.",
                     "Store sal", ("yilmaz",),
                     ("Forældre og elever om ny skole i Sydhavnen", "Fremtidsværksted")),
            )),
    Edition(3, "Morgenbooster: Tydelig dialog – sig, hvad der kan ændres",
            "Om at være klar på formål og rammer, og om at melde tilbage, også når svaret er "
            "nej.", 0, 55, held=(1, 11, 25), programme=_morning(
                Item("08:45", "09:15", "Rammerne først: hvad kan borgerne få indflydelse på?",
                     "Om at skrive formålet og det, der ligger fast, ind i invitationen.",
                     "Store sal", ("holm",), ("Sådan skriver du en god tilbagemelding",)),
                Item("09:15", "09:45", "Praksis: klimaborgersamlingens mandat",
                     "Sådan fik klimaborgersamlingen et klart mandat, og sådan blev der meldt "
                     "tilbage.",
                     "Store sal", ("mikkelsen", "bonde"),
                     ("Klimaborgersamling om skybrudssikring",)),
            )),
    Edition(4, "Morgenbooster: Engagerende dialog",
            "Nye måder at inddrage på, der giver deltagerne et godt grundlag og reel "
            "indflydelse.", -160, 61, programme=_morning(
                Item("08:45", "09:15", "Borgerbudgetter: erfaringer fra Aarhus",
                     "Hvad der skete, da borgerne fik en del af budgettet at prioritere.",
                     "Store sal", ("riis",), ("Inspiration fra Aarhus: borgerbudgetter",)),
                Item("09:15", "09:45", "Praksis: budgetdialog i kulturhusene",
                     "Budgetspillet i kulturhusene, og de unge, der tegnede en skatepark.",
                     "Store sal", ("lund",),
                     ("Budgetdialog i kulturhusene",
                      "Unge tegnede den nye skatepark på Nørrebro")),
            )),
]  # fmt: skip

NEXT_EDITION = Edition(
    5, "Morgenbooster: Mangfoldig dialog – ikke kun de vante stemmer",
    "Hvordan når dialogen de københavnere, vi sjældent hører fra?", 30,
    programme=_morning(
        Item("08:45", "09:15", "Hvem hører vi ikke fra?",
             "Om at nå en relevant mangfoldighed af københavnere, og om de stemmer, der plejer at "
             "fylde mest.",
             "Store sal", ("farah",), ("Tilgængelige møder: tjekliste",)),
        Item("09:15", "09:45", "Praksis: tryghedsvandring på fem sprog",
             "Beboere i Tingbjerg viste vej, med tolke og brobyggere.",
             "Store sal", ("ahmadi",),
             ("Tryghedsvandring i Tingbjerg med beboere på fem sprog",
              "Dialog med tolk og brobyggere")),
    ),
)  # fmt: skip

SERIES_DESCRIPTION = (
    "To gange om året mødes kolleger fra alle forvaltninger en morgen og folder et af de fem "
    "principper for københavnerdialog ud, med et oplæg, et eksempel fra praksis og tid til at "
    "tale sammen. Der er morgenmad fra kl. 8.30."
)
PRINCIPLES_URL = "https://www.kk.dk/politik/faa-indflydelse/bedre-koebenhavnerdialog"

CITIZENS = [
    "Birthe Madsen", "Oliver Winther", "Ida Thomsen", "Henrik Dahl", "Yusuf Demir",
    "Lone Sørensen", "Peter Kjær", "Sanne Vinther", "Jamal Haddad", "Grethe Lindholm",
    "Mikkel Brandt", "Asta Juul", "Carsten Mølgaard", "Nadia Rahimi", "Kim Bech",
    "Ulla Krog", "Tobias Friis", "Ayşe Demir",
]  # fmt: skip

NEEDS = [
    "Vegetar",
    "Glutenfri kost",
    "Jeg kommer i kørestol",
    "Laktosefri",
    "Har brug for teleslynge",
    "Veganer",
]


# --- telling it ----------------------------------------------------------------------------------


class _Cast:
    """Who organises and who takes part: the demo's accounts, the consultants and the colleagues."""

    def __init__(self) -> None:
        # The demo's login accounts, made when missing (their creation hashes passwords: slow).
        if User.objects.filter(username__in=LOGIN_USERNAMES).count() < len(LOGIN_USERNAMES):
            role_accounts_create()
            users_create()
        self.coordinator = User.objects.get(username="koordinator")
        self.consultant = User.objects.get(username="konsulent")  # TMF's dialogue consultant
        self.pool = colleagues_create()
        logins = User.objects.filter(username__in=[row[0] for row in DEMO_STAFF]).order_by("pk")
        self.logins = list(logins)
        self.consultants = list(
            User.objects.filter(
                role_assignments__role=Role.CONSULTANT, is_active=True, email__gt=""
            )
            .exclude(username__in=LOGIN_USERNAMES)
            .distinct()
            .order_by("username")
        )
        self.departments = {d.abbreviation: d for d in Department.objects.all()}
        self.principles = {p.number: p for p in Principle.objects.all()}

    def colleagues(self) -> list[User]:
        return [user for users in self.pool.values() for user in users]


def _at(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=COPENHAGEN)


def _holiday_season(day: date) -> bool:
    """July and Christmas to Epiphany: nobody holds meetings then."""
    return day.month == 7 or (day.month, day.day) >= (12, 18) or (day.month, day.day) <= (1, 6)


def _meeting_day(day: date, weekday: int, *, forward: bool) -> date:
    """The nearest `weekday` (0 Monday) on or after (forward) or on or before `day` that is a
    working day outside the holiday seasons."""
    step = 1 if forward else -1
    while day.weekday() != weekday or not is_working_day(day) or _holiday_season(day):
        day += timedelta(days=step)
    return day


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()


def _venue(name: str) -> Venue | None:
    return Venue.objects.filter(name=name).order_by("pk").first()


def _speaker(key: str, by: User, event: Event) -> Speaker:
    username, name, organisation, about = SPEAKERS[key]
    existing = Speaker.objects.filter(name=name, organisation=organisation).first()
    if existing:
        return existing
    user = User.objects.filter(username=username).first() if username else None
    return services.speaker_create(
        by=by,
        event=event,
        data={"user": user, "name": name, "organisation": organisation, "bio": about},
    )


def _programme(event: Event, by: User, items: tuple[Item, ...]) -> None:
    day = local_date(event.starts_at)
    entries = {e.title: e for e in Entry.objects.all().only("pk", "title")}
    for item in items:
        services.programme_item_save(
            event=event,
            by=by,
            data={
                "title": item.title,
                "description": item.description,
                "room": item.room,
                "starts_at": _at(day, item.start),
                "ends_at": _at(day, item.end),
                "speakers": [_speaker(key, by, event) for key in item.speakers],
                # The knowledge demo's entries, where they exist (not when it was not seeded).
                "examples": [entries[t] for t in item.examples if t in entries],
            },
        )


def _event(by: User, data: dict, *, created: datetime) -> Event:
    """Create and publish the event as its organiser; it was created when it was announced."""
    event = services.event_create(by=by, data=data)
    event = services.event_publish(event=event, by=by)
    Event.objects.filter(pk=event.pk).update(created_at=created, updated_at=created)
    event.refresh_from_db()
    return event


def _register(
    event: Event, people: list[User], rng: random.Random, *, until: datetime
) -> list[Registration]:
    """Each person registers once, at a moment inside the registration window before `until`,
    in order of time (so seats and the waitlist go first come, first served)."""
    opens = event.registration_opens_at
    moments = sorted(_between(rng, opens, until) for _person in people)
    registrations = []
    for person, moment in zip(people, moments, strict=True):
        needs = rng.choice(NEEDS) if rng.random() < 0.06 else ""
        registrations.append(
            registration.register_staff(event=event, user=person, needs=needs, now=moment)
        )
    return registrations


def _cancel(event: Event, rng: random.Random, count: int, end: datetime) -> None:
    """`count` of the seated cancel after the last registration and before `end`; a freed seat
    goes to the first on the waitlist."""
    seated = list(event.registrations.filter(status=Status.CONFIRMED).order_by("pk"))
    start = max(r.created_at for r in event.registrations.all()) + timedelta(minutes=5)
    moments = sorted(_between(rng, start, end) for _ in range(count))
    for moment, chosen in zip(moments, rng.sample(seated, count), strict=True):
        registration.cancel(registration=chosen, now=moment)


def _attend(event: Event, rng: random.Random, *, rate: float, by: User) -> list[Registration]:
    """Check in `rate` of the seated at the door, from half an hour before the start."""
    seated = list(event.registrations.filter(status=Status.CONFIRMED).order_by("pk"))
    came = rng.sample(seated, round(rate * len(seated)))
    opens = event.starts_at - timedelta(minutes=30)
    moments = sorted(_between(rng, opens, event.starts_at + timedelta(minutes=20)) for _ in came)
    for person, moment in zip(came, moments, strict=True):
        registration.check_in(registration=person, by=by, now=moment)
    return came


def _answers(
    event: Event,
    came: list[Registration],
    rng: random.Random,
    cast: _Cast,
    *,
    count: int,
    ratings: dict[int, int] = RATING_WEIGHTS,
) -> None:
    """`count` of those who came answer the survey in the days after the feedback request."""
    asked = event.ends_at + timedelta(minutes=40)
    focus = event.principle.number if event.principle_id else None
    for person in sorted(rng.sample(came, count), key=lambda r: r.pk):
        give_feedback(
            registration=person,
            now=_between(rng, asked, asked + timedelta(days=6)),
            **_answer(rng, event.kind, focus, cast.principles, ratings),
        )


def _held(event: Event) -> None:
    """What the jobs wrote: reminders two days before, the feedback request after the end."""
    Event.objects.filter(pk=event.pk).update(
        reminders_sent_at=event.starts_at - timedelta(hours=40),
        feedback_requested_at=event.ends_at + timedelta(minutes=40),
    )


def conference_title(now: datetime, years_ago: int = 1) -> str:
    """The conference of `years_ago` years before today's: "Københavnerdialog 2025" for last
    year's when seeded in 2026."""
    return f"Københavnerdialog {local_date(now).year - years_ago}"


def _conference(conference: "Conference", cast: _Cast, now: datetime, rng: random.Random) -> Event:
    year = local_date(now).year - conference.years_ago
    day = _meeting_day(date(year, 9, 30), 3, forward=False)  # the last Thursday of September
    by = cast.coordinator
    starts = _at(day, "08:30")
    venue = _venue(conference.venue)
    event = _event(
        by,
        {
            "kind": Kind.CONFERENCE,
            "audience": Audience.STAFF,
            "title": conference_title(now, conference.years_ago),
            "summary": conference.summary,
            "description": conference.description,
            "venue": venue,
            "location": "" if venue else f"{conference.venue}, {conference.address}",
            "accessibility": conference.accessibility,
            "starts_at": starts,
            "ends_at": _at(day, conference.programme[-1].end),
            "capacity": conference.capacity,
            "registration_opens_at": _at(day - timedelta(days=63), "09:00"),
            "registration_closes_at": _at(day - timedelta(days=7), "12:00"),
            "department": cast.departments["ØKF"],
        },
        created=_at(day - timedelta(days=70), "10:12"),
    )
    _programme(event, by, conference.programme)
    _stands(event, cast, rng, conference.stands)
    # More may ask than there are seats: they wait, and get a seat when others cancel in the
    # last week.
    people = list(cast.logins)
    colleagues = cast.colleagues()
    people += [users[0] for users in cast.pool.values()]  # every department is there
    rest = [u for u in colleagues if u not in people]
    people += rng.sample(rest, conference.asking - len(people))
    rng.shuffle(people)
    _register(event, people, rng, until=event.registration_closes_at)
    _cancel(event, rng, conference.cancelled, starts - timedelta(hours=15))
    came = _attend(event, rng, rate=conference.rate, by=by)
    _answers(event, came, rng, cast, count=conference.answers, ratings=conference.ratings)
    services.material_add(
        event=event,
        by=by,
        title="De fem principper for bedre københavnerdialog (kk.dk)",
        url=PRINCIPLES_URL,
        now=event.ends_at + timedelta(days=2),
    )
    _held(event)
    return event


def _stands(event: Event, cast: _Cast, rng: random.Random, stands: list[tuple]) -> None:
    """The marketplace: requested by colleagues in the weeks before, decided by the organiser."""
    first = event.registration_opens_at + timedelta(days=3)
    deadline = event.starts_at - timedelta(days=21)
    for n, (position, status, title, abbreviation, project, description, note) in enumerate(stands):
        requested = first + (deadline - first) * (n / len(stands))
        stand = services.stand_request(
            event=event,
            by=rng.choice(cast.pool[abbreviation]),
            data={
                "title": title,
                "description": description,
                "department": cast.departments[abbreviation],
                "project": project,
            },
            now=requested,
        )
        decided = requested + timedelta(days=rng.randint(2, 6))
        if status == Stand.Status.APPROVED:
            services.stand_approve(
                stand=stand, by=event.organiser, position=position, note=note, now=decided
            )
        elif status == Stand.Status.DECLINED:
            services.stand_decline(stand=stand, by=event.organiser, note=note, now=decided)


def _series() -> Series:
    series, _created = Series.objects.get_or_create(
        slug=SERIES_SLUG,
        defaults={
            "title": "Morgenbooster",
            "kind": Kind.MORNING_MEETING,
            "description": SERIES_DESCRIPTION,
        },
    )
    return series


def _morning_meeting_data(edition: Edition, cast: _Cast, day: date, opens: datetime) -> dict:
    venue = _venue("Hovedbiblioteket")
    principle = cast.principles[edition.principle]
    return {
        "kind": Kind.MORNING_MEETING,
        "audience": Audience.STAFF,
        "title": edition.title,
        "summary": edition.summary,
        "description": f"{principle.name_da}: {principle.summary_da}\n\n"
        "Morgenboosteren er for alle medarbejdere, der arbejder med borgerdialog. Et kort "
        "oplæg, et eksempel fra praksis og tid til at tale sammen ved bordene. Der er "
        "morgenmad fra kl. 8.30.",
        "series": _series(),
        "principle": principle,
        "venue": venue,
        "location": "" if venue else "Hovedbiblioteket, Krystalgade 15",
        "accessibility": "Niveaufri adgang fra Krystalgade og elevator til salen på 1. sal. "
        "Handicaptoilet på samme etage. Teleslynge i salen.",
        "starts_at": _at(day, "08:30"),
        "ends_at": _at(day, "10:00"),
        "capacity": MORNING_SEATS,
        "registration_opens_at": opens,
        "registration_closes_at": _at(day - timedelta(days=1), "12:00"),
        "department": cast.departments["ØKF"],
    }


def edition_days(now: datetime) -> list[date]:
    """The days of the past editions (EDITIONS, in order), each a Tuesday (see `Edition`)."""
    today = local_date(now)
    days: list[date] = []
    for edition in EDITIONS:
        if edition.held is not None:
            years, month, day = edition.held
            target = date(today.year - years, month, day)
        else:
            # The latest edition: `days` ago, but at least halfway from the one before to today
            # (early in the year that is last December, a year with three editions).
            target = today + timedelta(days=edition.days)
            if days:
                target = max(target, days[-1] + (today - days[-1]) / 2)
        days.append(_meeting_day(target, 1, forward=False))
    return days


def _morning_meeting(edition: Edition, cast: _Cast, now: datetime, rng: random.Random) -> Event:
    """A past edition: registered, a few cancel, most come, about half answer the survey."""
    day = edition_days(now)[EDITIONS.index(edition)]
    by = cast.coordinator
    opens = _at(day - timedelta(days=35), "09:00")
    event = _event(
        by, _morning_meeting_data(edition, cast, day, opens), created=opens - timedelta(days=4)
    )
    _programme(event, by, edition.programme)
    people = rng.sample(cast.logins, 3) + rng.sample(cast.colleagues(), edition.registrations - 3)
    rng.shuffle(people)
    _register(event, people, rng, until=event.registration_closes_at)
    _cancel(event, rng, rng.randint(2, 5), event.starts_at - timedelta(minutes=45))
    came = _attend(event, rng, rate=rng.uniform(0.82, 0.92), by=by)
    _answers(event, came, rng, cast, count=round(len(came) * rng.uniform(0.45, 0.6)))
    services.material_add(
        event=event,
        by=by,
        title="Principperne for københavnerdialog (kk.dk)",
        url=PRINCIPLES_URL,
        now=event.ends_at + timedelta(days=1),
    )
    _held(event)
    return event


def _next_morning_meeting(cast: _Cast, now: datetime, rng: random.Random) -> Event:
    """The next edition: registration open, one seat left (two who registered have cancelled)."""
    edition = NEXT_EDITION
    day = _meeting_day(local_date(now) + timedelta(days=edition.days), 1, forward=True)
    by = cast.coordinator
    opens = now - timedelta(days=14)
    event = _event(
        by, _morning_meeting_data(edition, cast, day, opens), created=opens - timedelta(days=4)
    )
    _programme(event, by, edition.programme)
    # One more than the seats: the last is waitlisted, promoted when the first cancels, and the
    # second cancellation leaves one seat free. No login account is among them.
    people = rng.sample(cast.colleagues(), MORNING_SEATS + 1)
    _register(event, people, rng, until=now - timedelta(hours=1))
    _cancel(event, rng, 2, now - timedelta(minutes=10))
    return event


def _network_meeting(cast: _Cast, now: datetime, rng: random.Random) -> Event:
    day = _meeting_day(local_date(now) + timedelta(days=12), 3, forward=True)  # Thursday
    by = cast.coordinator
    opens = now - timedelta(days=10)
    event = _event(
        by,
        {
            "kind": Kind.NETWORK_MEETING,
            "audience": Audience.STAFF,
            "title": NETWORK_TITLE,
            "summary": "Dialogkonsulenterne fra alle forvaltninger mødes om erfaringer, "
            "fælles værktøjer og årets konference.",
            "description": "Vi deler erfaringer fra projekterne siden sidst, ser på de idéer fra "
            "københavnerne, der går på tværs af forvaltningerne, og begynder planlægningen af "
            "næste års Københavnerdialog. Tag gerne et eksempel med fra din egen forvaltning.",
            "location": "Københavns Rådhus, Udvalgsværelse 1, Rådhuspladsen 1, 1599 København V",
            "accessibility": "Indgang med rampe fra Rådhuspladsen og elevator til 1. sal. "
            "Handicaptoilet ved Festsalen.",
            "starts_at": _at(day, "13:00"),
            "ends_at": _at(day, "15:30"),
            "capacity": 30,
            "registration_opens_at": opens,
            "registration_closes_at": _at(day - timedelta(days=2), "12:00"),
            "department": cast.departments["ØKF"],
        },
        created=opens - timedelta(days=1),
    )
    _programme(
        event,
        by,
        (
            Item("13:00", "13:45", "Nyt fra forvaltningerne", "En runde om bordet.", "",
                 ("krogh",)),
            Item("13:45", "14:45", "Idéer, der går på tværs",
                 "Vi ser på københavnernes idéer, der kræver flere forvaltninger, og på, hvordan "
                 "løsningslaboratorierne kan tage dem op.", "", ("kofoed",)),
            Item("15:00", "15:30", "Næste års konference", "Tema, talere og markedsplads."),
        ),
    )  # fmt: skip
    _register(event, list(cast.consultants), rng, until=now - timedelta(hours=2))
    return event


def _citizen_event(cast: _Cast, now: datetime, rng: random.Random) -> Event:
    """A public meeting, organised by TMF's consultant and shown on Få indflydelse."""
    day = _meeting_day(local_date(now) + timedelta(days=24), 2, forward=True)  # Wednesday
    by = cast.consultant
    venue = _venue("Valby Kulturhus")
    opens = now - timedelta(days=8)
    event = _event(
        by,
        {
            "kind": Kind.CITIZEN_EVENT,
            "audience": Audience.PUBLIC,
            "title": CITIZEN_TITLE,
            "summary": "Kom og se planerne for skybrudssikring i Valby, og fortæl os, hvor vandet "
            "står, når det regner kraftigt.",
            "description": "Når det regner meget på kort tid, skal vandet et sted hen. I de "
            "kommende år laver kommunen og HOFOR veje, pladser og grønne områder i Valby om, så "
            "de kan tage imod vandet.\n\nPå mødet viser vi de første skitser og beder om din "
            "viden: Hvor står vandet i dag? Hvilke steder bruger du, og hvad skal de kunne? Det, "
            "vi hører, bruger vi, når skitserne bliver til forslag. Vi fortæller på mødet, hvad "
            "der kan ændres, og hvad der ligger fast, og du får besked, når forslaget er klar.",
            "principle": cast.principles[2],
            "venue": venue,
            "location": "" if venue else "Valby Kulturhus, Valgårdsvej 4-8, 2500 Valby",
            "accessibility": "Niveaufri adgang og handicaptoilet. Teleslynge i salen. "
            "Tegnsprogstolk, hvis du giver besked senest en uge før.",
            "starts_at": _at(day, "19:00"),
            "ends_at": _at(day, "21:00"),
            "capacity": 100,
            "registration_opens_at": opens,
            "registration_closes_at": _at(day, "12:00"),
            "department": cast.departments["TMF"],
        },
        created=opens - timedelta(days=2),
    )
    _programme(
        event,
        by,
        (
            Item("19:00", "19:20", "Velkommen og hvad der ligger fast", room="Salen",
                 speakers=("kofoed",)),
            Item("19:20", "20:30", "Ved bordene: hvor står vandet?",
                 "Vi tegner på kort over Valby i små grupper.", "Salen",
                 examples=("Digital høring om cykelstier på Valby Langgade",)),
            Item("20:30", "21:00", "Det tager vi med os, og sådan hører du fra os",
                 room="Salen", speakers=("kofoed",)),
        ),
    )  # fmt: skip
    _complete_catalogue_entry(event, by)
    moments = sorted(_between(rng, opens, now - timedelta(hours=2)) for _ in CITIZENS)
    for n, (name, moment) in enumerate(zip(CITIZENS, moments, strict=True)):
        signed_up = registration.register_public(
            event=event,
            name=name,
            email=".".join(_ascii(part) for part in name.split()) + "@example.org",
            needs=rng.choice(NEEDS) if rng.random() < 0.1 else "",
            now=moment,
        )
        if n < len(CITIZENS) - 1:  # the last has not followed the link in the mail yet
            registration.confirm_public(
                registration=signed_up, now=moment + timedelta(minutes=rng.randint(2, 90))
            )
    return event


def _complete_catalogue_entry(event: Event, by: User) -> None:
    """What the organiser adds on Få indflydelse beyond what the event gives it (publishing wrote
    the rest): a contact person, the topics and the district, so it is found under them."""
    participation.opportunity_update(
        opportunity=event.opportunity,
        by=by,
        data={
            "contact_name": by.get_full_name(),
            "contact_email": by.email,
            "contact_phone": "33 66 34 00",
            "topics": list(Topic.objects.filter(slug__in=["klima-miljoe", "byudvikling"])),
            "districts": list(District.objects.filter(number=5)),  # Valby
        },
    )


def _seed_labs(now: datetime) -> None:
    """The solution lab demo, when its module is there (`sammen.events.labs_demo`)."""
    if importlib.util.find_spec("sammen.events.labs_demo") is None:
        return
    importlib.import_module("sammen.events.labs_demo").seed_lab_demo(now=now)


@transaction.atomic
def events_seed(*, seed: int = 2025, now: datetime | None = None) -> int:
    """Tell the demo events that are not told yet (by title); returns how many were added."""
    now = now or timezone.now()
    cast = _Cast()
    existing = set(Event.objects.values_list("title", flat=True))
    last_mail = MailLog.objects.aggregate(last=Max("pk"))["last"] or 0

    def rng_for(title: str) -> random.Random:
        # One stream per event, so an event already there does not change the others; the
        # conferences' by how many years ago, so they go the same way whatever the year.
        for conference in CONFERENCES:
            if title == conference_title(now, conference.years_ago):
                title = f"conference-{conference.years_ago}"
        return random.Random(f"{seed}:{title}")  # noqa: S311 (demo content, not security)

    plan = [
        *[
            (conference_title(now, c.years_ago), lambda a, n, r, c=c: _conference(c, a, n, r))
            for c in CONFERENCES
        ],
        *[(e.title, lambda c, n, r, e=e: _morning_meeting(e, c, n, r)) for e in EDITIONS],
        (NEXT_EDITION.title, _next_morning_meeting),
        (NETWORK_TITLE, _network_meeting),
        (CITIZEN_TITLE, _citizen_event),
    ]
    created = 0
    for title, tell in plan:
        if title in existing:
            continue
        tell(cast, now, rng_for(title))
        created += 1
    # The needs of the events that have ended are erased, as the nightly job does.
    registration.erase_needs_after_events(now=now)
    _seed_labs(now)
    # Nobody is to get mail about the demo: the past happened, the rest are invented people.
    MailLog.objects.filter(pk__gt=last_mail, status=MailLog.Status.QUEUED).update(
        status=MailLog.Status.CANCELLED, last_error="demo content"
    )
    return created
