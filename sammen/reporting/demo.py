"""Demo status report: the steering group's status of every task for last year and the year
before, and targets for both years on the main indicators (called by `manage.py seed_demo`).

The years are computed from today (last calendar year in Copenhagen and the one before), so the
demo always shows a finished year ready to report on and a year to compare it with. The texts are
invented but shaped like a municipality's real status notes: mixed traffic lights (most tasks on
track, the knowledge platform and the idea deadlines at risk or off track), a campaign whose
continuation awaits the directors' decision with 350.000 kr. requested, a conference with
200.000 kr. granted, and a refused request.

Targets are only set for indicators that are registered (`sammen.reporting.indicators`), so the
demo never names an unknown indicator; a share is stored as a fraction 0..1.

Bulk and idempotent: a task's entry for a year, or a target for an indicator and year, that exists
already is left alone; everything else is added in a few queries. `seed` picks who of the demo's
steering group and coordinator wrote each entry.
"""

import importlib
import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from sammen.accounts.demo import ROLE_ACCOUNTS
from sammen.accounts.models import Role, User
from sammen.reporting import indicators
from sammen.reporting.models import Financing, StatusEntry, Target, TargetDirection, Task
from sammen.reporting.services import current_year

GREEN, YELLOW, RED = "green", "yellow", "red"
AT_LEAST, AT_MOST = TargetDirection.AT_LEAST, TargetDirection.AT_MOST


@dataclass(frozen=True)
class Status:
    traffic_light: str
    status_text: str
    activities: str = ""
    results: str = ""
    narrative: str = ""
    financing: str = Financing.NOT_NEEDED
    financing_need_dkk: int | None = None
    decisions_pending: str = ""


def statuses(last: int) -> dict[tuple[str, int], Status]:
    """The status of each task (by key) in `last` (last year) and `last - 1`."""
    before = last - 1
    return {
        # --- 1. the conference -------------------------------------------------------------------
        ("conference", before): Status(
            GREEN,
            f"Konferencen om københavnerdialog {before} blev afholdt i oktober på Københavns "
            "Rådhus med godt 100 deltagere fra alle syv forvaltninger.",
            activities="Oplæg om de fem principper for københavnerdialog, seks workshops og en "
            "første markedsplads med ti stande fra forvaltningerne.",
            results="Deltagerne gav konferencen 4,1 ud af 5. Flere efterlyste mere tid til "
            "erfaringsudveksling på tværs af forvaltningerne.",
            narrative=f"Den første fælles konference samlede medarbejdere, der arbejder med "
            f"borgerdialog, på tværs af forvaltningerne. Konferencen i {last} bygger videre på "
            "markedspladsen, som deltagerne fremhævede som det mest udbytterige.",
        ),
        ("conference", last): Status(
            GREEN,
            f"Konferencen „Københavnerdialog {last}“ blev afholdt med ca. 120 deltagere fra alle "
            "syv forvaltninger og en markedsplads med 14 stande.",
            activities="Plenumoplæg om tidlig dialog (princip 2), workshops om dialog med "
            "ikke-dansktalende borgere og om at melde tilbage til borgerne, samt en markedsplads, "
            "hvor forvaltningerne viste deres dialogprojekter.",
            results="Ni ud af ti tilmeldte mødte op. Deltagerne gav konferencen 4,3 ud af 5, og "
            "to tværgående projekter er startet efter mødet på markedspladsen.",
            narrative="Konferencen er blevet det faste mødested for medarbejdere, der arbejder med "
            "borgerdialog. Flere deltagere end året før, og alle forvaltninger havde en stand på "
            f"markedspladsen. Direktionen har bevilget 200.000 kr. til konferencen i {last + 1}.",
            financing=Financing.GRANTED,
            financing_need_dkk=200_000,
        ),
        # --- 2. competence and network -----------------------------------------------------------
        ("competence", before): Status(
            YELLOW,
            "To morgenboostere er afholdt, men netværket af dialogkonsulenter er endnu ikke "
            "etableret i alle forvaltninger.",
            activities="Morgenboostere om princip 1 (dialog som kerneopgave) og princip 2 "
            "(tidlig dialog). Første netværksmøde for dialogkonsulenterne.",
            results="Omkring 40 deltagere pr. morgenbooster. Fem af syv forvaltninger har udpeget "
            "dialogkonsulenter.",
            narrative="Morgenboosterne har fundet deres form og er godt besøgt. Netværket "
            "mangler konsulenter fra to forvaltninger, og det svækker videndelingen.",
        ),
        ("competence", last): Status(
            GREEN,
            "Alle syv forvaltninger har nu dialogkonsulenter, og netværket mødes hvert kvartal. "
            "Begge årets morgenboostere blev afholdt som planlagt.",
            activities="Morgenboostere om princip 3 (tydelig dialog) og princip 4 (engagerende "
            "dialog). Fire netværksmøder, heraf ét med besøg i et løsningslaboratorium.",
            results="Deltagerne gav morgenboosterne 4,4 ud af 5 i gennemsnit. Netværket har "
            "udarbejdet en fælles skabelon for tilbagemelding til borgerne.",
            narrative="Kompetenceudviklingen kører efter planen. Netværket af dialogkonsulenter "
            "er nu komplet og er begyndt at udvikle fælles værktøjer på tværs af forvaltningerne.",
        ),
        # --- 3. the knowledge platform -----------------------------------------------------------
        ("knowledge", before): Status(
            YELLOW,
            "Videndelingsplatformen er lanceret med de første vejledninger og eksempler, men der "
            "mangler stadig eksempler fra flere forvaltninger.",
            activities="Lancering for dialogkonsulenterne, redaktionel vejledning og de første "
            "25 artikler.",
            results="Alle fem principper er dækket af mindst én vejledning.",
            narrative="Platformen er i gang, men den er afhængig af, at forvaltningerne selv "
            "deler deres erfaringer.",
        ),
        ("knowledge", last): Status(
            RED,
            "Der er kommet nye eksempler til, men en stor del af vejledningerne har passeret deres "
            "revisionsdato og er ikke blevet opdateret.",
            activities="Nye dialogeksempler fra fire forvaltninger og en temaside om dialog med "
            "børn og unge.",
            results="Brugen af platformen er steget, men mange artikler er forældede, og "
            "ansøgningen om en redaktør blev ikke imødekommet.",
            narrative="Uden faste ressourcer til at holde indholdet opdateret mister platformen "
            "sin værdi. Styregruppen foreslår, at hver forvaltning afsætter tid til sine egne "
            "artikler.",
            financing=Financing.REFUSED,
            financing_need_dkk=150_000,
            decisions_pending="Direktionen bedes tage stilling til, om hver forvaltning skal "
            "afsætte timer til at holde egne artikler på videndelingsplatformen opdaterede.",
        ),
        # --- 4. the entry point: Få indflydelse --------------------------------------------------
        ("entry-point", before): Status(
            GREEN,
            "Få indflydelse er lanceret på kk.dk og samler høringer, borgermøder og puljer ét sted.",
            activities="Lancering, import fra høringsportalen og oplæring af redaktører i alle "
            "forvaltninger.",
            results="Alle forvaltninger har publiceret muligheder for indflydelse på siden.",
            narrative="Københavnerne har nu ét sted at finde alle måder at få indflydelse på.",
        ),
        ("entry-point", last): Status(
            GREEN,
            "Alle forvaltninger publicerer deres høringer, borgermøder og puljer på Få "
            "indflydelse, og høringerne hentes automatisk fra høringsportalen.",
            activities="Ugentligt nyhedsbrev med nye muligheder, filtrering på bydel og emne, og "
            "tilbagemelding om, hvad der kom ud af en høring.",
            results="Flere abonnenter på nyhedsbrevet, og flere muligheder har fået offentliggjort "
            "et resultat.",
            narrative="Indgangen virker efter hensigten. Næste skridt er, at endnu flere "
            "forvaltninger melder tilbage, hvad borgernes input førte til.",
        ),
        # --- 5. the campaign ---------------------------------------------------------------------
        ("campaign", before): Status(
            GREEN,
            "Den første plakatkampagne kørte i fire uger på 40 plakatsøjler.",
            activities="Plakater med kortlinks på plakatsøjler i alle ti bydele.",
            results="Kampagnen gav de første målbare besøg på Få indflydelse fra gaden.",
            narrative="Kampagnen viste, at plakater kan lede københavnerne hen til Få indflydelse.",
            financing=Financing.GRANTED,
            financing_need_dkk=300_000,
        ),
        ("campaign", last): Status(
            YELLOW,
            "Kampagnen kørte i uge 36–39 på 60 plakatsøjler. Besøgene via kortlinks lå under "
            "målet i de ydre bydele.",
            activities="Plakater på dansk og engelsk med kortlinks pr. plakatsøjle; fremhævede "
            "høringer og borgermøder fra seks forvaltninger.",
            results="Flest besøg fra plakatsøjler ved stationer og biblioteker; en del søjler i "
            "de ydre bydele fik ingen besøg.",
            narrative="Kampagnen når ud, men ikke jævnt i byen. Styregruppen anbefaler at "
            "videreføre kampagnen med færre søjler i de ydre bydele og flere ved stationer, og "
            "søger 350.000 kr. til det.",
            financing=Financing.REQUESTED,
            financing_need_dkk=350_000,
            decisions_pending=f"Direktionen bedes tage stilling til videreførelse af kampagnen i "
            f"{last + 2} og til finansiering på 350.000 kr.",
        ),
        # --- 6. citizen-driven ideas -------------------------------------------------------------
        ("ideas", before): Status(
            RED,
            "Idéer, der går på tværs af forvaltninger, endte for ofte uden svar, og fristerne blev "
            "ikke overholdt.",
            activities="Kortlægning af, hvordan idéer på tværs af forvaltninger behandles i dag.",
            results="Hver tredje idé fik ikke svar inden for fristen.",
            narrative="Borgere med en idé på tværs af forvaltninger risikerer at ende i en "
            "blindgyde. Styregruppen har derfor foreslået en fælles indgang med faste frister.",
            decisions_pending="Direktionen bedes godkende en fælles svarfrist på 20 arbejdsdage "
            "for idéer på tværs af forvaltninger.",
        ),
        ("ideas", last): Status(
            YELLOW,
            "Alle idéer får nu en kvittering og en kontaktperson, og langt flere får svar inden "
            "for fristen. Enkelte forvaltninger overskrider stadig svarfristen.",
            activities="Fælles indgang for idéer med kvittering, kontaktperson og frister; to "
            "løsningslaboratorier med borgere og forvaltninger.",
            results="Ingen idéer endte uden afklaring. Borgerne, der svarede på spørgeskemaet, "
            "følte sig i de fleste tilfælde hørt.",
            narrative="Facilitering af borgerdrevne idéer virker: idéerne når frem til den rette "
            "forvaltning og får et svar. Svartiden skal fortsat ned i to forvaltninger.",
        ),
    }


# (indicator key, direction, target for last year, target for the year before); shares as
# fractions. Keys not registered are skipped.
TARGETS: list[tuple[str, str, Decimal, Decimal]] = [
    ("ideas.dead_ends", AT_MOST, Decimal(0), Decimal(0)),
    ("ideas.answered_within_deadline", AT_LEAST, Decimal("0.90"), Decimal("0.80")),
    ("ideas.median_days_to_first_answer", AT_MOST, Decimal(15), Decimal(20)),
    ("ideas.felt_heard", AT_LEAST, Decimal("0.75"), Decimal("0.70")),
    ("ideas.clear_answer", AT_LEAST, Decimal("0.80"), Decimal("0.75")),
    ("events.conference_attendance", AT_LEAST, Decimal(120), Decimal(100)),
    ("events.conference_feedback", AT_LEAST, Decimal("4.0"), Decimal("4.0")),
    ("events.morning_meetings_held", AT_LEAST, Decimal(2), Decimal(1)),
    ("events.morning_meeting_feedback", AT_LEAST, Decimal("4.0"), Decimal("3.8")),
    ("events.solution_labs_held", AT_LEAST, Decimal(2), Decimal(1)),
    ("knowledge.entries_published", AT_LEAST, Decimal(10), Decimal(3)),
    ("knowledge.entries_out_of_date", AT_MOST, Decimal(5), Decimal(5)),
    ("participation.outcome_share", AT_LEAST, Decimal("0.60"), Decimal("0.50")),
    ("participation.subscriptions_new", AT_LEAST, Decimal(200), Decimal(100)),
    ("campaigns.visits", AT_LEAST, Decimal(3000), Decimal(2000)),
    ("campaigns.placements_never_visited", AT_MOST, Decimal(5), Decimal(10)),
    ("campaigns.conversion_rate", AT_LEAST, Decimal("0.05"), Decimal("0.05")),
]


def _authors(seed: int) -> list[User]:
    usernames = [
        username
        for username, _first, _last, role, _department, _what in ROLE_ACCOUNTS
        if role in (Role.STEERING, Role.COORDINATOR)
    ]
    found = list(User.objects.filter(username__in=usernames).order_by("username"))
    random.Random(seed).shuffle(found)  # noqa: S311 (demo content, not security)
    return found


@transaction.atomic
def restore_default_tasks() -> None:
    """Write the six tasks of migration 0002 again when the table is empty: a test database
    flushed by a transactional test has lost them, and the demo needs them."""
    if Task.objects.exists():
        return
    from django.apps import apps

    migration = importlib.import_module("sammen.reporting.migrations.0002_the_six_tasks")
    migration.add_tasks(apps, None)


def reporting_seed(seed: int = 2025, *, today: date | None = None) -> int:
    """Add the demo status entries and targets that are missing; returns how many status entries
    were added (0 when all were there)."""
    restore_default_tasks()
    last = current_year(today) - 1
    years = (last - 1, last)
    authors = _authors(seed)
    tasks = {task.key: task for task in Task.objects.all()}
    existing = set(StatusEntry.objects.filter(year__in=years).values_list("task_id", "year"))
    entries = []
    for index, ((key, year), status) in enumerate(sorted(statuses(last).items())):
        task = tasks.get(key)
        if task is None or (task.pk, year) in existing:
            continue
        entries.append(
            StatusEntry(
                task=task,
                year=year,
                traffic_light=status.traffic_light,
                status_text=status.status_text,
                activities=status.activities,
                results=status.results,
                narrative=status.narrative,
                financing=status.financing,
                financing_need_dkk=status.financing_need_dkk,
                decisions_pending=status.decisions_pending,
                updated_by=authors[index % len(authors)] if authors else None,
            )
        )
    StatusEntry.objects.bulk_create(entries)

    registered = {item.key for item in indicators.registered()}
    have = set(Target.objects.filter(year__in=years).values_list("indicator", "year"))
    targets = [
        Target(indicator=key, year=year, direction=direction, value=value)
        for key, direction, value_last, value_before in TARGETS
        if key in registered
        for year, value in ((last, value_last), (last - 1, value_before))
        if (key, year) not in have
    ]
    Target.objects.bulk_create(targets)
    return len(entries)
