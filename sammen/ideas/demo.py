"""Demo ideas: a realistic case load for trying the idea pages, or many ideas for benchmarks.

`ideas_seed()` (called by `manage.py seed_demo`) tells about forty hand-written stories through
the services, each at its own time in the past (`now=`), so deadlines, handovers (accepted,
returned and one pending), messages, waiting for the citizen, answers, re-opening and every
closing outcome happen as they would: in every state, some overdue, some public on the board,
a few with survey answers. The staff are the demo accounts (one per department, and the
coordinator from sammen.accounts.demo). The citizens are invented, with addresses at example.org.
The stories happened in the past, so the notifications they cause are logged as cancelled:
nobody gets mail about them.

Before the stories `past_seed` writes the years behind them, with bulk inserts: the ideas of
the year before last (the platform's first: fewer, more of them answered late, all closed), last
calendar year's and this year's up to the stories (about three a week), all answered, most in
time, closed with every outcome, a few handed over, some taken to a solution lab held each of
those two years, with survey answers and none left stalled, so the yearly report on last year
has every figure and its change from the year before.

`ideas_bulk_seed(n)` (`seed_demo --ideas N`) adds N synthetic ideas quickly with bulk inserts.
It writes rows directly, which only the services may otherwise do, so it builds each row to hold
every database constraint of Idea (the database checks them on insert) and fills the search
stems and the reference counter as the services would.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from sammen.accounts.demo import role_accounts_create
from sammen.accounts.models import Role, RoleAssignment, User
from sammen.core.models import Department, District, MailLog, Topic
from sammen.core.workdays import COPENHAGEN, add_working_days, is_working_day, local_date
from sammen.ideas import search, services, survey
from sammen.ideas.models import (
    Handover,
    HelpNeeded,
    Idea,
    SubmitterKind,
    TimelineEntry,
    YearCounter,
)
from sammen.ideas.services import (
    acknowledge_working_days,
    answer_working_days,
    handover_working_days,
)
from sammen.ideas.states import TRIAGE_OUTCOMES, Outcome, State
from sammen.participation.demo import DEMO_STAFF, DISTRICT_PLACES, users_create
from sammen.participation.models import Channel, Opportunity

# Short names for the table below.
P, S, F, A, AD = (
    HelpNeeded.PERMISSION,
    HelpNeeded.PLACE,
    HelpNeeded.FUNDING,
    HelpNeeded.PARTNER,
    HelpNeeded.ADVICE,
)
PERSON, ASSOCIATION, BUSINESS = (
    SubmitterKind.PERSON,
    SubmitterKind.ASSOCIATION,
    SubmitterKind.BUSINESS,
)


def survey_after() -> timedelta:
    """The survey is sent this long after closing (IDEAS_SURVEY_AFTER_DAYS, 28 by default)."""
    return timedelta(days=getattr(settings, "IDEAS_SURVEY_AFTER_DAYS", 28))


@dataclass(frozen=True)
class Story:
    """One idea and what happens to it. `days_ago`: when it was confirmed (for an unconfirmed
    one: submitted). Each step is (days after that, action, *arguments); see `_play`."""

    title: str
    description: str
    districts: tuple[int, ...]
    topics: tuple[str, ...]
    help: tuple[str, ...]
    days_ago: float
    steps: tuple[tuple[Any, ...], ...] = ()
    lead: str | None = None
    involved: tuple[str, ...] = ()
    kind: str = PERSON
    publish: bool = True
    address: str = ""
    language: str = "da"
    survey: tuple[bool, bool] | None = None  # (clear answer, felt heard)
    confirmed: bool = True


def _s(*args: Any, **kwargs: Any) -> Story:
    return Story(*args, **kwargs)


THANKS = "Tak for din idé. Vi har sendt den videre til den forvaltning, der skal svare dig."

# fmt: off
STORIES: list[Story] = [
    # --- awaiting confirmation --------------------------------------------------------------
    _s("Vandposter i Kongens Have",
       "Om sommeren er der rigtig mange mennesker i Kongens Have, men der er ingen steder at fylde "
       "sin vandflaske. Kunne man sætte et par vandposter op ved legepladsen og ved Rosenborg?",
       (1,), ("groen-by", "sundhed"), (P,), 0.2, confirmed=False),
    _s("Månedligt loppemarked på Sankt Hans Torv",
       "Vi er en gruppe naboer, der gerne vil holde loppemarked på Sankt Hans Torv den første "
       "lørdag i hver måned fra april til oktober. Vi står selv for opstilling og oprydning.",
       (3,), ("kultur", "socialt"), (P, S), 1, kind=ASSOCIATION, confirmed=False),
    # --- received (two of them past the acknowledgement deadline) ---------------------------
    _s("Lys på stien gennem Utterslev Mose",
       "Stien langs Utterslev Mose fra Bispebjerg til Husum er helt mørk om vinteren. Mange "
       "cykler der til skole og arbejde, og det føles utrygt. Der mangler lys på strækningen ved "
       "Krabbesholm Allé.",
       (7, 8), ("tryghed", "trafik"), (AD,), 0.1),
    _s("Fællesspisning for ældre i Sydhavnen",
       "Mange ældre i Sydhavnen bor alene. Vi vil gerne lave fællesspisning en gang om ugen i "
       "et lokale i kvarteret og søger et sted at være og lidt hjælp til indkøb af mad.",
       (4,), ("aeldre", "socialt"), (S, F), 1, kind=ASSOCIATION, publish=False),
    _s("Streetbasketbane i Folehaven",
       "De unge i Folehaven har ingen steder at spille basket. Den gamle asfaltplads bag "
       "butikkerne kunne blive en bane med to kurve og lys om aftenen.",
       (5,), ("idraet", "boern-unge"), (S, F), 8, publish=False),
    _s("Bedre skiltning til Amager Strandpark for kørestolsbrugere",
       "Det er svært at finde de ramper, der fører ned til stranden. Skilte ved Øresundsvej og "
       "ved metrostationerne ville gøre det lettere for os, der kører i kørestol.",
       (9,), ("trafik", "sundhed"), (AD,), 6),
    # --- triaged ------------------------------------------------------------------------------
    _s("Insekthotel og blomstereng på Enghave Plads",
       "Græsset ved Enghave Plads bliver slået hele tiden. En del af det kunne få lov at blive "
       "en blomstereng med et insekthotel, som skolebørnene kunne være med til at bygge.",
       (4,), ("groen-by", "klima-miljoe"), (P, A), 3, (
           (1, "triage"),
       ), lead="TMF"),
    _s("Lektiecafé på Husum Bibliotek",
       "Mange børn i Husum har ingen hjemme, der kan hjælpe med lektierne. Vi er fem pensionerede "
       "lærere, som gerne vil holde lektiecafé på biblioteket to eftermiddage om ugen.",
       (7,), ("boern-unge", "skole", "kultur"), (S, A), 4, (
           (1, "triage"),
           (2, "message", "Tak for jeres idé. Biblioteket i Husum vil gerne høre mere og ringer "
            "jer op i næste uge for at aftale et møde."),
       ), lead="KFF", involved=("BUF",), kind=ASSOCIATION),
    _s("Musikøvelokaler i en tom kælder på Ydre Østerbro",
       "Under den gamle vaskeribygning ved Strandboulevarden står en kælder tom. Den kunne "
       "blive øvelokaler for unge bands, som i dag må øve i deres forældres stuer.",
       (2,), ("kultur", "boern-unge"), (S, P), 3, (
           (0.5, "triage"),
           (2, "handover", "KFF", "Bygningen er vores, men øvelokaler er kultur. Vil KFF tage "
            "sagen? Vi hjælper med bygningsdelen."),
       ), lead="TMF"),
    _s("Skygge og bænke ved legepladsen i Nørrebroparken",
       "Om sommeren er der ingen skygge ved den store legeplads i Nørrebroparken. Forældre og "
       "bedsteforældre står i solen i timevis. Et par træer eller et solsejl og flere bænke ville "
       "hjælpe meget.",
       (3,), ("groen-by", "boern-unge"), (P,), 2, (
           (1, "triage"),
       ), lead="TMF"),
    # --- in progress (two of them past the answer deadline) ----------------------------------
    _s("Byhave på taget af Kulturhuset Islands Brygge",
       "Taget på kulturhuset er fladt og solrigt. Vi vil gerne dyrke grøntsager i plantekasser "
       "sammen med naboerne og bruge høsten til kulturhusets fællesspisning.",
       (10,), ("groen-by", "kultur", "socialt"), (P, S, A), 20, (
           (1, "triage"),
           (2, "progress"),
           (6, "message", "Vi har været på taget med en ingeniør. Det kan bære plantekasser "
            "langs kanten, og vi undersøger nu, hvordan adgangen kan blive sikker."),
           (7, "note", "Bygningsafdelingen skal godkende lasten; rækværket skal måske hæves."),
       ), lead="KFF", involved=("TMF",), kind=ASSOCIATION),
    _s("Trafiksikker skolevej ved Lundehusskolen",
       "Børnene fra Bispebjerg skal over Tagensvej for at komme i skole. Der kører mange biler "
       "hurtigt, og fodgængerfeltet ved Lundehusskolen er for kort tid grønt.",
       (8,), ("trafik", "skole", "boern-unge"), (P, AD), 45, (
           (2, "triage"),
           (3, "progress"),
           (10, "note", "Afventer trafiktællingen i krydset; den er bestilt hos Vejdirektoratet."),
           (30, "message", "Vi beklager, at svaret trækker ud. Vi venter på en trafiktælling i "
            "krydset og vender tilbage, så snart den ligger klar."),
       ), lead="TMF", involved=("BUF",)),
    _s("Varmestue med åbent om natten i vintermånederne",
       "Når det fryser, er der for få steder, hvor hjemløse kan være om natten på Vesterbro. "
       "Vores menighed vil gerne holde en varmestue åben fra december til februar, hvis vi kan "
       "få hjælp til vagter og forsikring.",
       (4,), ("socialt",), (F, A), 38, (
           (1, "triage"),
           (2, "progress"),
           (12, "note", "Drøftes med herbergerne på næste koordineringsmøde."),
       ), lead="SOF", kind=ASSOCIATION, publish=False),
    _s("Fodboldbane til pigehold i Valby Idrætspark",
       "Vores pigehold har vokset sig store, men vi får kun træningstider sent om aftenen. "
       "Kunne en af kunstgræsbanerne i Valby Idrætspark være forbeholdt piger to aftener om ugen?",
       (5,), ("idraet", "boern-unge"), (S,), 15, (
           (1, "triage"),
           (2, "handover", "KFF", "Træningstider i idrætsparken fordeles af KFF."),
           (3, "accept", "Vi tager den. Idrætsafdelingen har banefordelingen."),
           (4, "progress"),
           (5, "message", "Idrætsafdelingen ser på banefordelingen for foråret og tager "
            "kontakt til klubben inden for to uger."),
       ), lead="BUF", kind=ASSOCIATION),
    _s("Genbrugsværksted i Tingbjerg",
       "Vi vil gerne åbne et værksted i en ledig butik i Tingbjerg, hvor beboerne kan reparere "
       "cykler, møbler og tøj i stedet for at smide dem ud.",
       (7,), ("klima-miljoe", "socialt"), (S, F), 18, (
           (1, "triage"),
           (2, "handover", "SOF", "Værkstedet er også et socialt tilbud. Vil SOF lede sagen?"),
           (4, "return", "Det er først og fremmest et affaldsprojekt. Vi hjælper gerne som "
            "involveret forvaltning med kontakten til boligsociale medarbejdere."),
           (5, "progress"),
           (8, "message", "Vi har talt med boligselskabet om en ledig butik og hører nærmere "
            "om husleje og forsikring."),
       ), lead="TMF", involved=("SOF",), kind=ASSOCIATION),
    _s("Mere lys i Nørrebroparken",
       "Stierne i den nordlige del af Nørrebroparken er meget mørke om aftenen. Flere har været "
       "udsat for tyveri, og mange går uden om parken.",
       (3,), ("tryghed", "groen-by"), (AD,), 35, (
           (1, "triage"),
           (2, "progress"),
           (10, "answer", "Vi sætter nye lamper op langs hovedstien i løbet af efteråret."),
           (20, "close", Outcome.REALISED, "Lamperne er nu sat op. Tak for din henvendelse."),
           (30, "reopen", "Borgeren skriver, at lamperne kun er sat op i den sydlige ende."),
           (31, "message", "Du har ret: den nordlige del manglede. Vi undersøger, hvorfor den "
            "ikke kom med, og vender tilbage."),
       ), lead="TMF"),
    _s("Bilingual story time for children at Østerbro Library",
       "Many families on Østerbro speak English at home. A story time in English and Danish "
       "once a month would help our children feel at home in the library and in the language.",
       (2,), ("kultur", "boern-unge"), (S, A), 10, (
           (1, "triage"),
           (2, "progress"),
           (3, "message", "Thank you for your idea. The library likes it and is looking for a "
            "volunteer reader; we will write again when we know more."),
       ), lead="KFF", language="en"),
    # --- waiting for the citizen --------------------------------------------------------------
    _s("Delebiler til beboerne i Ørestad Syd",
       "Mange i Ørestad Syd har ikke brug for egen bil hele tiden. Vi vil gerne have delebiler "
       "på parkeringspladserne ved Asger Jorns Allé.",
       (10,), ("trafik", "klima-miljoe"), (P, S), 12, (
           (1, "triage"),
           (2, "progress"),
           (5, "wait", "Hvor mange husstande i jeres forening vil bruge delebilerne, og har I "
            "talt med et delebilfirma?"),
       ), lead="TMF", kind=ASSOCIATION, publish=False),
    _s("Seniorfitness i Fælledparken om morgenen",
       "Der står fitnessredskaber i Fælledparken, men ingen viser os ældre, hvordan de bruges. "
       "En instruktør to morgener om ugen ville få mange flere ud.",
       (2,), ("aeldre", "idraet", "sundhed"), (A,), 25, (
           (1, "triage"),
           (2, "progress"),
           (4, "wait", "Hvilke tidspunkter passer jer bedst, og hvor mange regner I med at "
            "komme?"),
           (9, "resume"),
           (15, "wait", "Kan I bruge redskaberne ved Trianglen i stedet, hvis der er en "
            "instruktør der?"),
       ), lead="SUF"),
    _s("Kunst på transformerstationerne i Valby",
       "De grå transformerkasser langs Valby Langgade bliver tit tagget. Lokale kunstnere og "
       "skoleelever kunne male dem, så de bliver en del af gadebilledet.",
       (5,), ("kultur", "byudvikling"), (P, F), 8, (
           (1, "triage"),
           (3, "wait", "Ved du, hvem der ejer kasserne? Vi vil gerne have en liste over dem, du "
            "tænker på."),
       ), lead="KFF"),
    # --- answered ------------------------------------------------------------------------------
    _s("Flere cykelstativer ved Valby Station",
       "Om morgenen er alle cykelstativer ved Valby Station fyldt, og cyklerne står i vejen for "
       "fodgængere og barnevogne.",
       (5,), ("trafik",), (AD,), 30, (
           (1, "triage"),
           (2, "progress"),
           (15, "answer", "Vi sætter 120 nye pladser op på Annexstræde til sommer, og vi fjerner "
            "efterladte cykler oftere."),
       ), lead="TMF"),
    _s("Madskoler for børn i sommerferien",
       "Børn på Amager Vest kunne lære at lave sund mad i sommerferien, i skolekøkkenerne, som "
       "alligevel står tomme.",
       (10,), ("boern-unge", "sundhed", "skole"), (S, A), 40, (
           (1, "triage"),
           (2, "progress"),
           (8, "message", "Vi taler med skolerne om, hvilke køkkener der kan bruges i juli."),
           (25, "answer", "To skoler låner køkkenerne ud i uge 28 og 29. Tilmelding sker via "
            "Sommerferiepuljen."),
       ), lead="BUF", involved=("SUF",)),
    _s("Lokal jobmesse i Nordvest",
       "Mange unge i Nordvest kender ikke virksomhederne i deres eget kvarter. En jobmesse på "
       "Bispebjerg Bakke kunne samle dem.",
       (8,), ("beskaeftigelse", "boern-unge"), (S, A), 22, (
           (1, "triage"),
           (10, "answer", "Jobcenteret holder en messe i Nordvest i maj og vil gerne have dig "
            "med i planlægningen."),
       ), lead="BIF", kind=BUSINESS, publish=False),
    _s("Hjertestartere ved alle idrætsanlæg",
       "Der hænger ikke hjertestartere ved alle kommunens idrætsanlæg. Det burde der, også på de "
       "udendørs baner om aftenen.",
       (), ("sundhed", "idraet"), (F,), 33, (
           (1, "triage"),
           (2, "progress"),
           (3, "assign", ("KFF", "BUF")),
           (24, "answer", "Vi har gennemgået anlæggene: 14 mangler en hjertestarter, og de "
            "bliver sat op i år, udendørs og døgnåbne."),
       ), lead="SUF", involved=("KFF",)),
    # --- closed: realised -----------------------------------------------------------------------
    _s("Affaldsspande til hundeposer langs Harrestrup Å",
       "Langs stien ved Harrestrup Å er der langt mellem skraldespandene, og hundeposerne ender "
       "i buskene.",
       (6, 7), ("groen-by", "klima-miljoe"), (AD,), 80, (
           (1, "triage"),
           (2, "progress"),
           (9, "answer", "Vi sætter seks nye affaldsspande op langs stien."),
           (20, "close", Outcome.REALISED, "Affaldsspandene er sat op og tømmes to gange om "
            "ugen. Tak for idéen."),
       ), lead="TMF", survey=(True, True)),
    _s("Seniorsvømning i Bellahøj Svømmestadion om formiddagen",
       "Vi er mange pensionister, der gerne vil svømme, men om eftermiddagen er der fyldt med "
       "skoleklasser. Kunne et bassin være forbeholdt seniorer på hverdagsformiddage?",
       (7,), ("aeldre", "idraet"), (A,), 95, (
           (1, "triage"),
           (2, "progress"),
           (18, "answer", "Fra næste sæson er det lille bassin forbeholdt seniorer tirsdag og "
            "torsdag kl. 9-11."),
           (30, "close", Outcome.REALISED, "Seniorsvømningen er nu på svømmestadionets "
            "program."),
       ), lead="KFF", involved=("SUF",), survey=(True, False)),
    _s("Legepladslørdage på Blågårds Plads",
       "Om lørdagen kunne kommunens legepladsfolk tage legetøj med til Blågårds Plads, så "
       "børnene i kvarteret har noget at lave.",
       (3,), ("boern-unge", "socialt"), (A,), 60, (
           (1, "triage"),
           (3, "progress"),
           (7, "message", "Den mobile legeplads har ledige lørdage i juni."),
           (18, "close", Outcome.REALISED, "Den mobile legeplads kommer til Blågårds Plads fire "
            "lørdage i juni. Se datoerne på pladsens opslagstavle."),
       ), lead="BUF"),
    _s("Bænke langs Damhussøen",
       "Der er kun få bænke rundt om Damhussøen, og for os, der går dårligt, er turen rundt for "
       "lang uden en pause.",
       (6,), ("groen-by", "aeldre"), (AD,), 120, (
           (1, "triage"),
           (2, "progress"),
           (5, "wait", "Hvor på ruten savner du især en bænk?"),
           (9, "resume"),
           (20, "answer", "Vi sætter fire nye bænke op på den vestlige side af søen."),
           (35, "close", Outcome.REALISED, "Bænkene står der nu. God tur!"),
       ), lead="TMF", survey=(True, True)),
    # --- closed: referred to an opportunity or a channel -----------------------------------
    _s("Grøn gårdhave i vores andelsforening på Vesterbro",
       "Vores gård er asfalt og skraldespande. Vi vil gerne plante træer og lave bede og en "
       "regnvandsløsning, men har ikke pengene.",
       (4,), ("groen-by", "klima-miljoe", "bolig"), (F,), 14, (
           (1, "close", Outcome.REFERRED, "Puljen til grønne gårde er lige til jer. Søg den "
            "inden fristen; vi vedlægger din idé, når du har søgt.",
            {"opportunity": "Grønne gårde: pulje til beplantning af baggårde",
             "channel": "pulje"}),
       ), kind=ASSOCIATION),
    _s("Gadefest på Istedgade",
       "Vi vil gerne lukke den nederste del af Istedgade for biler en lørdag i august og holde "
       "gadefest med musik og boder for hele kvarteret.",
       (4,), ("kultur", "socialt"), (P, F), 20, (
           (1, "triage"),
           (6, "close", Outcome.REFERRED, "Kulturpuljen for lokale arrangementer kan støtte "
            "festen, og tilladelsen til at lukke gaden søger I hos Teknik- og "
            "Miljøforvaltningen, når I har fået svar fra puljen.",
            {"opportunity": "Kulturpuljen for lokale arrangementer", "channel": "pulje"}),
       ), lead="KFF", kind=ASSOCIATION),
    _s("Bænke på de ruter, ældre går",
       "Mange ældre går ikke ture, fordi der er for langt mellem bænkene. Der burde være en "
       "bænk for hver 200 meter på de ruter, vi bruger mest.",
       (), ("aeldre", "trafik"), (F,), 50, (
           (1, "close", Outcome.REFERRED, "Der er allerede et københavnerforslag om netop "
            "dette. Støt det, så det kan komme til afstemning i Borgerrepræsentationen.",
            {"opportunity": "Københavnerforslag: bænke for hver 200 meter på gåruter for ældre",
             "channel": "koebenhavnerforslag"}),
       ), survey=(True, True)),
    _s("Mere grønt på Amagerbrogade",
       "Amagerbrogade er lang og grå. Plantekasser og træer ville gøre gaden rarere at handle "
       "og gå i.",
       (9,), ("groen-by", "byudvikling"), (AD,), 70, (
           (1, "triage"),
           (2, "progress"),
           (10, "close", Outcome.REFERRED, "Amager Øst Lokaludvalg arbejder med bydelsplanen "
            "netop nu, og grønne gader er et af temaerne. Tag idéen med til lokaludvalgets "
            "borgertid.",
            {"channel": "lokaludvalg"}),
       ), lead="TMF", survey=(False, True)),
    # --- closed: taken to a solution lab --------------------------------------------------------
    _s("Ét sted for unge uden job eller uddannelse på Nørrebro",
       "Unge, der hverken er i job eller uddannelse, bliver sendt fra jobcenter til "
       "ungdomsskole til kommune. Der burde være ét sted på Nørrebro, hvor de kan få hjælp til "
       "det hele.",
       (3,), ("beskaeftigelse", "boern-unge", "socialt"), (A,), 55, (
           (1, "triage"),
           (2, "progress"),
           (10, "message", "Idéen berører tre forvaltninger. Vi foreslår, at vi arbejder "
            "videre med den i et løsningslaboratorium sammen med dig og nogle af de unge."),
           (25, "close", Outcome.SOLUTION_LAB, "Idéen er sat på programmet for "
            "løsningslaboratoriet i efteråret. Du får en invitation."),
       ), lead="BIF", involved=("BUF", "SOF")),
    _s("Midlertidige byrum på de tomme grunde i Nordhavn",
       "Flere grunde i Nordhavn står tomme i årevis, før der bygges. Imens kunne de bruges til "
       "byhaver, boldbaner og pop-up-kultur.",
       (2,), ("byudvikling", "kultur"), (S, P), 65, (
           (2, "triage"),
           (3, "progress"),
           (5, "handover", "ØKF", "Grundene ejes af By & Havn; ØKF har kontakten. Vil I lede?"),
           (7, "return", "Vi hjælper med kontakten til By & Havn, men sagen hører hjemme i TMF."),
           (28, "close", Outcome.SOLUTION_LAB, "Vi tager idéen med i et løsningslaboratorium "
            "med By & Havn og beboerne i Nordhavn."),
       ), lead="TMF", involved=("KFF",)),
    # --- closed: not possible, with the reason and alternatives --------------------------------
    _s("Badeanlæg i Sortedams Sø",
       "Om sommeren kunne et badeanlæg i Sortedams Sø give Nørrebro og Østerbro et sted at "
       "køle sig ned, ligesom havnebadene.",
       (2, 3), ("groen-by", "idraet"), (P,), 100, (
           (1, "triage"),
           (2, "progress"),
           (14, "answer", "Vi har undersøgt vandkvaliteten. Den er ikke god nok til badning."),
           (16, "close", Outcome.NOT_POSSIBLE, "Vi kan desværre ikke lave et badeanlæg i "
            "Søerne, men der er andre steder tæt på.",
            {"reason": "Vandet i Søerne opfylder ikke kravene til badevand, og søerne er "
             "fredede.",
             "alternatives": "Havnebadet ved Islands Brygge\nSvanemøllestranden\nKajak og SUP "
             "fra udlejningen ved Søerne"}),
       ), lead="TMF", survey=(True, False)),
    _s("Gratis parkering for håndværkere i Indre By",
       "Som håndværker bruger jeg mange penge på parkering, når jeg arbejder i Indre By. "
       "Håndværkere burde parkere gratis, mens de arbejder.",
       (1,), ("trafik",), (P,), 45, (
           (1, "triage"),
           (2, "progress"),
           (12, "close", Outcome.NOT_POSSIBLE, "Vi kan ikke give gratis parkering, men der er "
            "en licens, der gør det billigere.",
            {"reason": "Parkeringsafgifterne er fastsat af Borgerrepræsentationen og gælder "
             "alle erhverv ens.",
             "alternatives": "Erhvervslicens til parkering i hele byen\nVarelevering i "
             "læssezonerne"}),
       ), lead="TMF", involved=("ØKF",), kind=BUSINESS, publish=False),
    _s("Borgerbudget for Bispebjerg",
       "Lad borgerne i Bispebjerg stemme om, hvad en del af bydelens anlægsbudget skal bruges "
       "til, som man gør i Paris.",
       (8,), ("demokrati", "oekonomi"), (A,), 90, (
           (1, "triage"),
           (2, "progress"),
           (12, "message", "Vi undersøger, hvordan andre byer har gjort."),
           (24, "close", Outcome.NOT_POSSIBLE, "Et borgerbudget kræver en politisk beslutning, "
            "som ikke er på vej i år.",
            {"reason": "Budgettet vedtages af Borgerrepræsentationen, og der er ikke afsat "
             "midler til et borgerbudget.",
             "alternatives": "Bispebjerg Lokaludvalgs pulje\nStil et københavnerforslag"}),
       ), lead="ØKF", survey=(True, True)),
    # --- closed: spam and duplicates ------------------------------------------------------------
    _s("Køb billige solbriller her",
       "Solbriller fra 99 kr. Klik på linket og få fri fragt i dag.",
       (), (), (), 15, (
           (0.3, "close", Outcome.SPAM, ""),
       ), publish=False, kind=BUSINESS),
    _s("Tjen penge hjemmefra",
       "Tjen 5.000 kr. om ugen hjemmefra. Skriv til os for at høre mere.",
       (), (), (), 40, (
           (0.5, "close", Outcome.SPAM, ""),
       ), publish=False),
    _s("Badezone i Søerne",
       "Man burde kunne bade i Søerne om sommeren, f.eks. ved Dronning Louises Bro.",
       (3,), ("groen-by",), (P,), 60, (
           (1, "close", Outcome.DUPLICATE, "En anden borger har foreslået det samme, og vi har "
            "allerede svaret på det. Du kan læse svaret på idéen om et badeanlæg i Sortedams Sø.",
            {"duplicate_of": "Badeanlæg i Sortedams Sø"}),
       )),
    _s("Flere cykelstativer ved stationen i Valby",
       "Der er for få cykelstativer ved Valby Station.",
       (5,), ("trafik",), (AD,), 20, (
           (1, "close", Outcome.DUPLICATE, "Vi arbejder allerede med en idé om det samme og "
            "har svaret på den: der kommer 120 nye pladser til sommer.",
            {"duplicate_of": "Flere cykelstativer ved Valby Station"}),
       )),
]
# fmt: on

# Invented people; their mail goes to example.org, which never receives mail.
CITIZENS = [
    ("Karen Holm", "+45 21 43 65 87"), ("Mads Nørgaard", ""), ("Fatima Ali", "+45 31 22 45 10"),
    ("Jens Kristiansen", ""), ("Sofie Lund", "+45 40 11 23 58"), ("Ahmed Hassan", ""),
    ("Birthe Madsen", "+45 26 84 19 03"), ("Oliver Winther", ""), ("Ida Thomsen", ""),
    ("Henrik Dahl", "+45 52 70 33 91"), ("Mette Frederiksen Berg", ""), ("Yusuf Demir", ""),
    ("Lone Sørensen", "+45 28 56 40 12"), ("Emma Clarke", ""), ("Peter Kjær", ""),
]  # fmt: skip


def _email(name: str) -> str:
    plain = name.lower().replace("ø", "oe").replace("æ", "ae").replace("å", "aa")
    return ".".join(plain.split()) + "@example.org"


def _working_hour(moment: datetime, rng: random.Random) -> datetime:
    """The same moment moved into office hours on a weekday (staff act then), in UTC."""
    day = local_date(moment)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    local = datetime.combine(day, time(9, 0), tzinfo=COPENHAGEN)
    return local + timedelta(minutes=rng.randint(0, 6 * 60))


class _Cast:
    """The demo staff: the coordinator and one member of staff per department."""

    def __init__(self) -> None:
        role_accounts_create()
        users_create()
        # The demo coordinator (sammen.accounts.demo), made a coordinator here if someone took
        # the role away: the stories cannot be told without one.
        self.coordinator = User.objects.get(username="koordinator")
        RoleAssignment.objects.get_or_create(user=self.coordinator, role=Role.COORDINATOR)
        usernames = {abbreviation: username for username, *_, abbreviation in DEMO_STAFF}
        users = {u.username: u for u in User.objects.filter(username__in=usernames.values())}
        self.departments = {d.abbreviation: d for d in Department.objects.all()}
        self.staff = {a: users[u] for a, u in usernames.items()}
        self.channel_ids = list(Channel.objects.values_list("pk", flat=True))


def _play(story: Story, start: datetime, cast: _Cast, now: datetime, rng: random.Random) -> Idea:
    """Tell one story through the services, from its confirmation at `start`."""
    name, phone = rng.choice(CITIZENS)
    idea = services.idea_submit(
        title=story.title,
        description=story.description,
        contact_name=name,
        email=_email(name),
        phone=phone,
        address=story.address,
        consent_contact=True,
        consent_publish=story.publish,
        districts=District.objects.filter(number__in=story.districts),
        topics=Topic.objects.filter(slug__in=story.topics),
        help_needed=story.help,
        submitter_kind=story.kind,
        language=story.language,
        now=start - timedelta(minutes=rng.randint(10, 300)),
    )
    if not story.confirmed:
        return idea
    return _confirm_and_continue(idea, story, cast, start, now, rng)


def _confirm_and_continue(
    idea: Idea, story: Story, cast: _Cast, start: datetime, now: datetime, rng: random.Random
) -> Idea:
    idea = services.idea_confirm(idea=idea, now=start)
    lead = cast.departments[story.lead] if story.lead else None
    handler = cast.staff[story.lead] if story.lead else None
    coordinator = cast.coordinator
    pending = None
    for day, action, *args in story.steps:
        at = start + timedelta(days=day)
        if day >= 1:
            at = _working_hour(at, rng)
        if at >= now:
            raise ValueError(f"{story.title!r}: step {action!r} would happen in the future")
        actor = handler or coordinator
        if action == "triage":
            idea = services.idea_transition(
                idea=idea,
                to_state=State.TRIAGED,
                by=coordinator,
                lead_department=lead,
                coordinator=coordinator,
                handler=handler,
                involved_departments=[cast.departments[a] for a in story.involved],
                public_message=THANKS if story.language == "da" else "",
                now=at,
            )
        elif action in ("progress", "resume"):
            idea = services.idea_transition(idea=idea, to_state=State.IN_PROGRESS, by=actor, now=at)
        elif action == "reopen":
            idea = services.idea_transition(
                idea=idea, to_state=State.IN_PROGRESS, by=actor, internal_note=args[0], now=at
            )
        elif action == "assign":
            idea = services.idea_assign(
                idea=idea,
                by=coordinator,
                handler=handler,
                involved_departments=[cast.departments[a] for a in args[0]],
                internal_note="Skolernes idrætshaller er også med.",
                now=at,
            )
        elif action == "message":
            services.idea_add_message(idea=idea, by=actor, public_message=args[0], now=at)
        elif action == "note":
            services.idea_add_message(idea=idea, by=actor, internal_note=args[0], now=at)
        elif action == "wait":
            idea = services.idea_transition(
                idea=idea,
                to_state=State.WAITING_FOR_CITIZEN,
                by=actor,
                public_message=args[0],
                now=at,
            )
        elif action == "answer":
            idea = services.idea_transition(
                idea=idea, to_state=State.ANSWERED, by=actor, public_message=args[0], now=at
            )
        elif action == "handover":
            pending = services.idea_hand_over(
                idea=idea, to_department=cast.departments[args[0]], by=actor, note=args[1], now=at
            )
        elif action == "accept":
            receiver = cast.staff[pending.to_department.abbreviation]
            services.idea_accept_handover(
                handover=pending, by=receiver, handler=receiver, note=args[0], now=at
            )
            handler = receiver
        elif action == "return":
            receiver = cast.staff[pending.to_department.abbreviation]
            services.idea_return_handover(handover=pending, by=receiver, note=args[0], now=at)
        elif action == "close":
            idea = _close(idea, story, cast, actor, at, *args)
        else:  # pragma: no cover (a typo in the table above)
            raise ValueError(f"unknown demo action {action!r}")
        idea = Idea.objects.get(pk=idea.pk)
    if story.survey:
        _survey(idea, story, now)
    return idea


def _close(
    idea: Idea,
    story: Story,
    cast: _Cast,
    actor: User,
    at: datetime,
    outcome: str,
    message: str,
    details: dict[str, str] | None = None,
) -> Idea:
    details = details or {}
    extra: dict[str, Any] = {"outcome": outcome}
    if outcome in TRIAGE_OUTCOMES and idea.state == State.RECEIVED:
        extra["coordinator"] = cast.coordinator
        actor = cast.coordinator
    if outcome == Outcome.REFERRED:
        opportunity = (
            Opportunity.objects.filter(title=details.get("opportunity", ""), is_published=True)
            .order_by("pk")
            .first()
            if details.get("opportunity")
            else None
        )
        if opportunity is not None:
            extra["referred_opportunity"] = opportunity
        else:  # the opportunity demo was not seeded: refer to its channel
            extra["referred_channel"] = Channel.objects.get(slug=details["channel"])
    if outcome == Outcome.NOT_POSSIBLE:
        extra["outcome_reason"] = details["reason"]
        extra["outcome_alternatives"] = details["alternatives"]
    if outcome == Outcome.DUPLICATE:
        extra["duplicate_of"] = Idea.objects.filter(title=details["duplicate_of"]).first()
    if outcome == Outcome.SOLUTION_LAB:
        from sammen.events.labs_demo import take_to_demo_lab

        extra["solution_lab"] = take_to_demo_lab(
            idea, coordinator=cast.coordinator, at=at - timedelta(hours=1)
        )
    return services.idea_transition(
        idea=idea, to_state=State.CLOSED, by=actor, public_message=message, now=at, **extra
    )


def _survey(idea: Idea, story: Story, now: datetime) -> None:
    """Four weeks after closing the citizen was asked (what the survey job writes), and may have
    answered through the survey's one-click links."""
    sent = idea.closed_at + survey_after()
    if sent >= now:
        raise ValueError(f"{story.title!r}: the survey would be sent in the future")
    Idea.objects.filter(pk=idea.pk, state=State.CLOSED, survey_sent_at__isnull=True).update(
        survey_sent_at=sent
    )
    idea.refresh_from_db()
    clear, heard = story.survey or (None, None)
    answered = min(sent + timedelta(days=1), now)
    for question, value in ((survey.CLEAR, clear), (survey.HEARD, heard)):
        survey.survey_answer(
            idea=idea, question=question, answer="yes" if value else "no", now=answered
        )


@transaction.atomic
def ideas_seed(*, seed: int = 2025, now: datetime | None = None) -> int:
    """Tell the demo stories that are not told yet (by title); returns how many were added."""
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 (demo content, not security)
    cast = _Cast()
    last_mail = MailLog.objects.aggregate(last=Max("pk"))["last"] or 0
    existing = set(Idea.objects.values_list("title", flat=True))
    # The year behind the stories first, so the references follow the order of confirmation.
    created = past_seed(cast, now, seed)
    planned = []
    for story in STORIES:
        start = now - timedelta(days=story.days_ago)
        planned.append((_working_hour(start, rng) if story.days_ago >= 1 else start, story))
    # In the order they were confirmed, so the references are in that order too.
    for start, story in sorted(planned, key=lambda pair: pair[0]):
        if story.title in existing:
            continue
        _play(story, start, cast, now, rng)
        created += 1
    # The stories happened in the past: nobody is to get mail about them now.
    MailLog.objects.filter(pk__gt=last_mail, status=MailLog.Status.QUEUED).update(
        status=MailLog.Status.CANCELLED, last_error="demo content"
    )
    return created


# --- the case load before the stories: two years back and earlier this year ------------------
#
# The yearly report to the directors reads last calendar year (and the year so far) and compares
# it with the year before, so the demo has two years of ideas behind the stories (PAST_YEARS):
# confirmed across each year, almost all answered (most within the deadline, some late), closed
# with every outcome, a few handed over, some taken to the solution lab of each year (PAST_LABS),
# with survey answers, and none that ended without an answer. They
# are written with bulk inserts (telling two hundred more stories through the services would
# take too long), each row holding every constraint of Idea and each timeline in order; the
# dates are calendar dates, never later than the stories, so the references stay in order.


@dataclass(frozen=True)
class Past:
    """A kind of idea the city often gets, at a `{place}`: its lead department, the first answer
    and the message when it was done; `impossible` (message, reason, alternatives) and `refer`
    (channel slug, message) when it can end that way."""

    title: str
    description: str
    topics: tuple[str, ...]
    help: tuple[str, ...]
    lead: str
    answer: str
    done: str
    involved: tuple[str, ...] = ()
    impossible: tuple[str, str, str] | None = None
    refer: tuple[str, str] | None = None
    kind: str = PERSON
    district: int | None = None  # for an idea about one place (no `{place}` in the title)


# fmt: off
PAST: list[Past] = [
    Past("Flere bænke ved {place}",
         "Der er langt mellem bænkene ved {place}. Mange ældre og gangbesværede går ikke ture, "
         "fordi de ikke kan sætte sig undervejs.",
         ("groen-by", "aeldre"), (AD,), "TMF",
         "Vi har set på stedet og sætter tre nye bænke op, når vejret tillader det.",
         "Bænkene er sat op. Tak for idéen.",
         refer=("koebenhavnerforslag", "Der er et københavnerforslag om flere bænke på gåruter. "
                "Støt det, så det kommer til afstemning.")),
    Past("Cykelstativer ved {place}",
         "Cyklerne står i vejen for fodgængere og barnevogne ved {place}, fordi stativerne er "
         "fyldt hver morgen.",
         ("trafik",), (AD,), "TMF",
         "Vi sætter 40 nye cykelpladser op og fjerner efterladte cykler oftere.",
         "De nye stativer står der nu.",
         impossible=("Der er ikke plads til flere stativer på fortovet uden at spærre for "
                     "fodgængere.", "Fortovet er for smalt til flere stativer efter reglerne for "
                     "fri passage.", "Cykelparkering i sidegaden\nForeslå en cykelparkering i "
                     "lokaludvalget")),
    Past("Lys på stien ved {place}",
         "Stien ved {place} er helt mørk om vinteren. Mange går uden om, og det føles utrygt at "
         "cykle hjem fra arbejde.",
         ("tryghed", "trafik"), (AD,), "TMF",
         "Vi sætter lys op på den mørkeste del af stien i løbet af vinteren.",
         "Lamperne er tændt. Tak fordi du sagde til.",
         impossible=("Stien går gennem et fredet naturområde, hvor vi ikke må sætte lys op.",
                     "Fredningen tillader ikke belysning af hensyn til flagermus og fugle.",
                     "Den oplyste rute langs vejen\nTryghedsvandring med lokaludvalget")),
    Past("Vandpost på legepladsen ved {place}",
         "På varme dage er der ingen steder at få vand ved legepladsen ved {place}. En vandpost "
         "ville hjælpe både børn og voksne.",
         ("groen-by", "sundhed", "boern-unge"), (P,), "TMF",
         "HOFOR kan koble en vandpost på ledningen ved legepladsen. Den sættes op til foråret.",
         "Vandposten er sat op og åbner fra april til oktober."),
    Past("Byhave på græsplænen ved {place}",
         "Naboerne ved {place} vil gerne dyrke grøntsager sammen på et stykke græs, der ikke "
         "bliver brugt. Vi står selv for det daglige.",
         ("groen-by", "socialt"), (S, P), "TMF",
         "I kan låne arealet i tre år. Vi laver en aftale om vand og affald med jeres forening.",
         "Aftalen er underskrevet, og de første bede er plantet.",
         refer=("pulje", "Puljen til grønne fællesskaber kan betale plantekasser og jord. Søg "
                "den, så hjælper vi med tilladelsen bagefter."), kind=ASSOCIATION),
    Past("Hastighedsdæmpning ved skolen på {place}",
         "Bilerne kører for stærkt forbi skolen på {place}. Børnene skal over vejen hver morgen, "
         "og der har været flere nærved-ulykker.",
         ("trafik", "skole", "boern-unge"), (AD,), "TMF",
         "Vi laver to bump og sætter hastigheden ned til 30 km/t i skoletiden.",
         "Bump og skilte er på plads.", involved=("BUF",),
         impossible=("Vejen er en trafikvej, hvor bump ikke er tilladt, men vi sætter en "
                     "skolepatrulje-skilt op.", "Vejen er udpeget som trafikvej for busser og "
                     "udrykning.", "Skolepatrulje i samarbejde med skolen\nHøring om "
                     "trafikplanen for bydelen")),
    Past("Madpakkehus i {place}",
         "Skoleklasser og dagplejere bruger området ved {place} hele året, men der er intet sted "
         "at søge ly for regnen.",
         ("groen-by", "boern-unge"), (S, F), "KFF",
         "Vi bygger et enkelt madpakkehus af træ i forbindelse med renoveringen af området.",
         "Madpakkehuset er bygget og kan bookes via kommunens bookingsystem.",
         involved=("BUF",),
         impossible=("Der er ikke afsat penge til nye bygninger i området i år.",
                     "Anlægsbudgettet for området er brugt på den vedtagne renovering.",
                     "Søg lokaludvalgets pulje\nBrug shelteret ved naturcenteret")),
    Past("Lektiecafé på biblioteket ved {place}",
         "Mange børn ved {place} har ingen hjemme, der kan hjælpe med lektierne. Vi er en "
         "gruppe frivillige, der gerne vil holde lektiecafé.",
         ("boern-unge", "skole", "kultur"), (S, A), "KFF",
         "Biblioteket stiller et lokale til rådighed mandag og onsdag eftermiddag.",
         "Lektiecaféen er i gang og har plads til flere frivillige.", involved=("BUF",),
         refer=("frivillig", "Biblioteket søger frivillige lektiehjælpere. Meld dig via "
                "frivilligopslaget, så bliver du en del af holdet."), kind=ASSOCIATION),
    Past("Koncerter i parken ved {place} om sommeren",
         "Små gratis koncerter i parken ved {place} et par søndage om sommeren ville samle "
         "kvarteret.",
         ("kultur", "socialt"), (P, F), "KFF",
         "Kulturhuset laver tre søndagskoncerter i parken i juni og august.",
         "Koncerterne blev holdt med over 300 gæster i alt. Tak for idéen.",
         refer=("pulje", "Kulturpuljen for lokale arrangementer kan støtte koncerterne. Søg "
                "inden fristen; vi hjælper gerne med ansøgningen."), kind=ASSOCIATION),
    Past("Åbningstider i svømmehallen ved {place}",
         "Svømmehallen ved {place} lukker kl. 19 på hverdage. Mange, der arbejder, kan ikke nå "
         "at svømme.",
         ("idraet", "sundhed"), (AD,), "KFF",
         "Fra næste sæson holder svømmehallen åbent til kl. 21 tirsdag og torsdag.",
         "De nye åbningstider er på svømmehallens side.",
         impossible=("Vi kan ikke holde længere åbent uden flere livreddere, som der ikke er "
                     "penge til.", "Budgettet til livreddere er fastlagt for året.",
                     "Aftensvømning i Bellahøj Svømmestadion\nMorgensvømning fra kl. 6.30")),
    Past("Legeplads for de mindste ved {place}",
         "Der er ingen legeplads for børn under tre år i gåafstand fra {place}. De store "
         "legepladser er for vilde for de små.",
         ("boern-unge", "groen-by"), (S, F), "BUF",
         "Vi laver et hjørne for de mindste med sandkasse og lave gynger på den eksisterende "
         "legeplads.",
         "Småbørnshjørnet er åbnet.", involved=("TMF",),
         impossible=("Der er ikke plads på arealet, og en ny legeplads kræver en anlægsbevilling.",
                     "Arealet er for lille til en legeplads efter sikkerhedsreglerne.",
                     "Den mobile legeplads kommer forbi om sommeren\nLegestuen i "
                     "familiehuset")),
    Past("Skolegården åben efter skoletid ved {place}",
         "Skolegården ved {place} er låst om eftermiddagen og i weekenden. Børnene i kvarteret "
         "kunne bruge den som legeplads.",
         ("boern-unge", "skole"), (S,), "BUF",
         "Skolen åbner gården for alle efter kl. 16 og i weekenden fra næste måned.",
         "Skolegården er nu åben for alle uden for skoletid.",
         impossible=("Skolen kan ikke holde gården åben, fordi der har været hærværk.",
                     "Skolebestyrelsen har besluttet at holde gården lukket efter gentaget "
                     "hærværk.", "Legepladsen i parken ved siden af\nTal med skolebestyrelsen")),
    Past("Motionshold for ældre ved {place}",
         "Vi er mange ældre ved {place}, der gerne vil motionere sammen, men holdene på "
         "aktivitetscenteret er fyldt.",
         ("aeldre", "sundhed", "idraet"), (A,), "SUF",
         "Aktivitetscenteret starter et ekstra hold torsdag formiddag med en instruktør.",
         "Det nye hold er i gang og har plads til flere.",
         refer=("frivillig", "Vi søger frivillige instruktører til seniormotion. Måske kender "
                "du en, der vil være med?")),
    Past("Hjertestarter ved {place}",
         "Der er ingen hjertestarter i nærheden af {place}, hvor der færdes mange mennesker "
         "hele dagen.",
         ("sundhed", "tryghed"), (F,), "SUF",
         "Vi sætter en døgnåben hjertestarter op og melder den ind i Hjerteløberordningen.",
         "Hjertestarteren hænger der nu og kan findes i appen Hjertestarter."),
    Past("Spisefællesskab for ensomme ældre ved {place}",
         "Mange ældre ved {place} spiser alene hver dag. Et fast ugentligt fællesspisning ville "
         "give dem noget at se frem til.",
         ("aeldre", "socialt"), (S, F), "SUF",
         "Plejecenteret åbner sin cafe for fællesspisning for ældre i kvarteret hver onsdag.",
         "Fællesspisningen er i gang hver onsdag kl. 12.", involved=("SOF",),
         refer=("pulje", "Puljen mod ensomhed støtter netop den slags fællesspisning. Søg "
                "den, så hjælper plejecenteret med lokalet."), kind=ASSOCIATION),
    Past("Væresteder for hjemløse om vinteren ved {place}",
         "Når det er koldt, er der for få steder ved {place}, hvor hjemløse kan være om "
         "dagen.",
         ("socialt",), (S, F, A), "SOF",
         "Vi udvider åbningstiden på værestedet i vintermånederne og har dialog med "
         "kirkerne.",
         "Værestedet har haft udvidet åbningstid hele vinteren.", kind=ASSOCIATION,
         impossible=("Vi kan ikke åbne et nyt værested, men der er ledige pladser på de "
                     "eksisterende.", "Der er ikke afsat penge til et nyt værested.",
                     "Værestederne på Vesterbro og Nørrebro\nGadeteamet kan kontaktes døgnet "
                     "rundt")),
    Past("Tilgængelig indgang til medborgerhuset ved {place}",
         "Medborgerhuset ved {place} har tre trin ved indgangen. Vi, der kører kørestol eller "
         "rollator, kan ikke komme ind.",
         ("socialt", "sundhed"), (AD,), "SOF",
         "Vi laver en rampe og en automatisk dør ved hovedindgangen.",
         "Rampen og den automatiske dør er på plads.", involved=("KFF",)),
    Past("Jobcafé for unge ved {place}",
         "Unge ved {place} kender ikke virksomhederne i deres eget kvarter. En jobcafé med "
         "lokale arbejdsgivere ville hjælpe dem videre.",
         ("beskaeftigelse", "boern-unge"), (S, A), "BIF",
         "Jobcenteret holder jobcafé i kvarteret den første tirsdag i måneden.",
         "Jobcaféen er i gang, og 12 unge har fået fritidsjob.", kind=BUSINESS,
         refer=("borgermoede", "Jobcenteret holder et dialogmøde med lokale virksomheder. "
                "Kom og fortæl om idéen der.")),
    Past("Sprogcafé for nye københavnere ved {place}",
         "Mange nye københavnere ved {place} vil gerne øve dansk i hverdagen, men har ingen at "
         "tale med.",
         ("beskaeftigelse", "kultur", "socialt"), (S, A), "BIF",
         "Biblioteket og sprogcentret holder sprogcafé hver torsdag aften.",
         "Sprogcaféen har nu fast plads i biblioteket.", involved=("KFF",),
         refer=("frivillig", "Sprogcaféen søger frivillige, der vil tale dansk med deltagerne. "
                "Meld dig via frivilligopslaget.")),
    Past("Borgerbudget for {place}",
         "Lad beboerne omkring {place} stemme om, hvad en del af budgettet til området skal "
         "bruges til.",
         ("demokrati", "oekonomi"), (A,), "ØKF",
         "Vi prøver et lille borgerbudget i området næste år sammen med lokaludvalget.",
         "Borgerbudgettet er afsluttet, og de tre projekter med flest stemmer bliver lavet.",
         impossible=("Et borgerbudget kræver en politisk beslutning, som ikke er truffet.",
                     "Budgettet vedtages af Borgerrepræsentationen, og der er ikke afsat "
                     "midler til borgerbudgetter.", "Lokaludvalgets pulje\nStil et "
                     "københavnerforslag"),
         refer=("lokaludvalg", "Lokaludvalget arbejder med bydelsplanen lige nu. Tag idéen med "
                "til borgertiden på næste møde.")),
    Past("Gadefest på {place}",
         "Vi vil gerne lukke {place} for biler en lørdag i august og holde gadefest med musik "
         "og boder for hele kvarteret.",
         ("kultur", "socialt"), (P, F), "KFF",
         "Festen kan holdes. Vi har givet tilladelse til at lukke gaden fra kl. 10 til 22.",
         "Gadefesten blev holdt. Tak for en god dag i kvarteret.", involved=("TMF",),
         refer=("pulje", "Kulturpuljen for lokale arrangementer kan støtte festen. Tilladelsen "
                "til at lukke gaden får I, når puljen har svaret."), kind=ASSOCIATION),
    Past("Affaldssortering i gården ved {place}",
         "Beboerne ved {place} vil gerne sortere mere, men der mangler containere til pap, "
         "glas og madaffald.",
         ("klima-miljoe", "bolig"), (AD, A), "TMF",
         "Vi sætter containere til alle ti affaldstyper op og holder et infomøde for beboerne.",
         "Containerne står i gården, og infomødet er holdt.",
         refer=("borgermoede", "Affaldsordningen for bydelen drøftes på et borgermøde. Kom og "
                "fortæl, hvad jeres gård har brug for.")),
]
# fmt: on

# Places the ideas are about, by district number (the catalogue demo's).
PAST_PLACES = DISTRICT_PLACES

SPAM = [
    ("Billige solbriller med fri fragt", "Solbriller fra 99 kr. Klik på linket i dag."),
    ("Nem indtjening hjemmefra", "Tjen 5.000 kr. om ugen ved din computer. Skriv til os."),
    ("Gratis gavekort", "Du har vundet et gavekort. Svar med dit kontonummer."),
]

# How the ideas of a year ended, out of 100 (spam and duplicates at triage).
PAST_ENDINGS = [
    ("realised", 38), ("answered", 7), ("impossible", 20), ("referred", 22),
    ("duplicate", 5), ("spam", 4),
]  # fmt: skip


@dataclass(frozen=True)
class PastYear:
    """How one calendar year of past ideas went, `years_ago` years before today's: how many
    ideas came (roughly three a week in a full year, fewer in July and at Christmas), the share
    answered after the deadline, and whether all of them are closed by now."""

    years_ago: int
    per_year: int
    late_share: float
    all_closed: bool = False


# The year before last was the platform's first: fewer ideas, more of them answered late, and
# long since all closed; the report on last year shows the improvement.
PAST_YEARS = (
    PastYear(2, 100, 0.26, all_closed=True),
    PastYear(1, 170, 0.13),
    PastYear(0, 170, 0.13),
)
PAST_HANDOVER_SHARE = 0.07
FIRST_NAMES = [
    "Anne", "Birgitte", "Camilla", "Dorthe", "Emma", "Fatima", "Gitte", "Hanne", "Ida", "Julie",
    "Karin", "Line", "Maja", "Nadia", "Pernille", "Rikke", "Sara", "Tove", "Ulla", "Vibeke",
    "Ahmed", "Bo", "Carsten", "Erik", "Frederik", "Hassan", "Jesper", "Kim", "Lars", "Mikkel",
    "Niels", "Ole", "Poul", "Rasmus", "Søren", "Torben", "William", "Yusuf", "Ali", "Jonas",
]  # fmt: skip
LAST_NAMES = [
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen",
    "Møller", "Berg", "Holm", "Demir", "Hussein", "Karimi", "Lund", "Vestergaard", "Dam",
]  # fmt: skip


# Taken to last year's solution lab (sammen.events.labs_demo holds it); they need several
# departments each.
# fmt: off
PAST_LAB_IDEAS: list[Past] = [
    Past("Et sted for de unge i Tingbjerg om aftenen",
         "Klubben lukker kl. 21, og så står de unge på torvet. Vi forældre vil gerne have et "
         "sted, hvor de kan være om aftenen, med voksne, de kender.",
         ("boern-unge", "tryghed", "socialt"), (S, A), "BUF", "", "",
         involved=("SOF", "KFF"), district=7),
    Past("Trygge stier omkring Bispebjerg Bakke",
         "Stierne mellem boligblokkene på Bispebjerg Bakke er mørke og tilgroede. Især ældre og "
         "unge piger går omveje om aftenen.",
         ("tryghed", "groen-by"), (AD, A), "TMF", "", "",
         involved=("SOF",), district=8),
    Past("Hjælp til digital post for ældre i Sydhavnen",
         "Mange ældre i Sydhavnen kan ikke åbne deres digitale post og går glip af breve fra "
         "kommunen og lægen. Vi vil gerne hjælpe dem, men har brug for et sted og en aftale.",
         ("aeldre", "socialt"), (S, A), "SUF", "", "",
         involved=("KFF",), kind=ASSOCIATION, district=4),
    Past("Lektiehjælp og sprogcafé for nye familier på Amager Øst",
         "Nye familier på Amager Øst vil gerne lære dansk og hjælpe deres børn med lektierne, "
         "men tilbuddene ligger spredt og lukker, før forældrene får fri.",
         ("beskaeftigelse", "boern-unge", "kultur"), (S, A), "BIF", "", "",
         involved=("BUF", "KFF"), district=9),
]
# Taken to the first solution lab, the year before last.
EARLIER_LAB_IDEAS: list[Past] = [
    Past("Et mødested for ensomme ældre i Valby",
         "Siden caféen på Toftegårds Plads lukkede, sidder mange ældre i Valby alene hele dagen. "
         "Vi vil gerne åbne et mødested med kaffe og aktiviteter, men har brug for et lokale og "
         "hjælp til at nå dem, der ikke selv kommer ud.",
         ("aeldre", "socialt"), (S, A), "SUF", "", "",
         involved=("KFF", "SOF"), kind=ASSOCIATION, district=5),
    Past("Skolegården som legeplads for kvarteret på Amager Øst",
         "Skolegården ved vores skole er låst efter kl. 16 og i weekenderne, og der er ingen "
         "anden legeplads i nærheden. Den kunne være åben for familierne i kvarteret.",
         ("boern-unge", "groen-by"), (P, A), "BUF", "", "",
         involved=("TMF",), district=9),
    Past("Fritidsjob til unge i Urbanplanen",
         "De unge i Urbanplanen har svært ved at få et fritidsjob, fordi de ikke kender nogen, "
         "der kan anbefale dem. Kunne kommunen, det boligsociale team og butikkerne i området "
         "samarbejde om det?",
         ("beskaeftigelse", "boern-unge"), (A,), "BIF", "", "",
         involved=("BUF", "SOF"), district=10),
]
# fmt: on


def _past_days(first: date, last: date) -> tuple[list[date], list[float]]:
    """The working days from `first` to `last` and how likely an idea arrives on each."""
    days, weights = [], []
    day = first
    while day <= last:
        if is_working_day(day):
            quiet = day.month == 7 or (day.month, day.day) >= (12, 20)
            days.append(day)
            weights.append(0.35 if quiet else 1.0)
        day += timedelta(days=1)
    return days, weights


def past_windows(now: datetime) -> list[tuple[date, date, int]]:
    """(first day, last day, how many ideas) for each year of PAST_YEARS before the stories:
    the year before last, last year and this year.

    The last one is confirmed 130 days before now, before the oldest story (120 days), so the
    references follow the order of confirmation and every answer, closing and survey lies in the
    past. Early in the year that leaves last year's last months to the stories."""
    today = local_date(now)
    latest = today - timedelta(days=130)
    windows = []
    for year in PAST_YEARS:
        first = date(today.year - year.years_ago, 1, 2)
        last = min(date(first.year, 12, 19), latest)
        if last - first >= timedelta(days=20):
            windows.append((first, last, round(year.per_year * ((last - first).days + 1) / 365)))
    return windows


def _past_year(at: datetime, today: date) -> PastYear:
    """The PAST_YEARS profile of an idea confirmed at `at`."""
    years_ago = today.year - local_date(at).year
    return next(year for year in PAST_YEARS if year.years_ago == years_ago)


@dataclass(frozen=True)
class PastLab:
    """A solution lab held `years_ago` years before today's, on the second Thursday of
    `month` (or sooner when that year's window ends early), and the ideas taken to it (they
    need several departments each; the agreements are in sammen.events.labs_demo)."""

    years_ago: int
    month: int
    ideas: tuple["Past", ...]


def _lab_day(lab: PastLab, windows: list[tuple[date, date, int]], today: date) -> date | None:
    """The day `lab` was held: its ideas are confirmed inside its year's window, five to nine
    weeks before. None when that year has no window."""
    year = today.year - lab.years_ago
    window = next((w for w in windows if w[0].year == year), None)
    if window is None:
        return None
    target = min(date(year, lab.month, 8), window[1] + timedelta(days=36))
    while target.weekday() != 3 or not is_working_day(target):
        target += timedelta(days=1)
    return target


# The labs the past ideas were taken to: the first in November the year before last, and last
# year's in October.
PAST_LABS = (
    PastLab(2, 11, tuple(EARLIER_LAB_IDEAS)),
    PastLab(1, 10, tuple(PAST_LAB_IDEAS)),
)

Row = dict[str, Any]


@dataclass
class _Plan:
    """One past idea before it is written: the row, its timeline as (at, by id, kind, from, to,
    public message, details) and what it links to."""

    row: Row
    timeline: list[tuple[Any, ...]]
    ending: str
    template: Past | None
    districts: list[int]
    topics: list[str]
    involved: list[int]
    handover: dict[str, Any] | None = None
    duplicate_of: "_Plan | None" = None
    # Taken to a lab: when, what the citizen read then and at closing, and the lab.
    lab: tuple[datetime, str, str, Any] | None = None
    idea: Idea | None = None


class _Past:
    """Plans the past ideas in the order they were confirmed and writes them in bulk."""

    def __init__(self, cast: _Cast, now: datetime, rng: random.Random) -> None:
        self.cast, self.now, self.rng = cast, now, rng
        self.channels = dict(Channel.objects.values_list("slug", "pk"))
        self.stems: dict[tuple[str, str], str] = {}
        self.plans: list[_Plan] = []
        self.late_owed: dict[int, float] = {}  # by years ago: the late answers still to give

    def _late(self, confirmed: datetime) -> bool:
        """Whether the idea confirmed then is answered late: each year's PAST_YEARS share
        exactly (spread evenly over the year), so the change from year to year is the one set
        there and not chance."""
        year = _past_year(confirmed, local_date(self.now))
        owed = self.late_owed.get(year.years_ago, 0.5) + year.late_share
        self.late_owed[year.years_ago] = owed - (owed >= 1)
        return owed >= 1

    # --- planning ---------------------------------------------------------------------------

    def _citizen(self) -> Row:
        rng = self.rng
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        phone = ""
        if rng.random() < 0.35:
            phone = f"+45 {rng.randint(20, 61)} {rng.randint(10, 99)} {rng.randint(10, 99)} " + (
                f"{rng.randint(10, 99)}"
            )
        return {"contact_name": name, "email": _email(name), "phone": phone}

    def _texts(self, title: str, description: str) -> Row:
        if (title, description) not in self.stems:
            self.stems[(title, description)] = search.stems_for(
                title=title, description=description
            )
        return {
            "title": title,
            "description": description,
            "search_stems": self.stems[(title, description)],
        }

    def plan(
        self,
        at: datetime,
        ending: str,
        template: Past | None,
        lab: tuple[datetime, str, str, Any] | None = None,
    ) -> _Plan:
        """The idea confirmed at `at` that ends as `ending` (see PAST_ENDINGS; "lab": taken to
        the solution lab `lab[3]` at `lab[0]`, told `lab[1]` and closed with `lab[2]`)."""
        rng = self.rng
        coordinator = self.cast.coordinator.pk
        districts: list[int] = []
        if template is None:  # spam
            title, description = rng.choice(SPAM)
            texts, topics, help_needed = self._texts(title, description), [], []
        else:
            duplicate_of = None
            if ending == "duplicate":
                earlier = [
                    p for p in self.plans if p.template is template and p.ending != "duplicate"
                ]
                duplicate_of = earlier[-1] if earlier else None
                if duplicate_of is None:
                    ending = "realised"
            if ending == "duplicate":
                texts = {k: duplicate_of.row[k] for k in ("title", "description", "search_stems")}
                districts = list(duplicate_of.districts)
            else:
                district = template.district or rng.choice(sorted(PAST_PLACES))
                place = rng.choice(PAST_PLACES[district])
                texts = self._texts(
                    template.title.format(place=place), template.description.format(place=place)
                )
                districts = [district]
            topics, help_needed = list(template.topics), list(template.help)
        acknowledge_due = add_working_days(at, acknowledge_working_days())
        answer_due = add_working_days(at, answer_working_days())
        created = at - timedelta(minutes=rng.randint(5, 400))
        if rng.random() < 0.05:  # a few acknowledged late
            acknowledged = acknowledge_due + timedelta(hours=rng.uniform(2, 20))
        else:
            acknowledged = at + timedelta(hours=rng.uniform(0.5, 26))
        row: Row = {
            **texts,
            **self._citizen(),
            "help_needed": help_needed,
            "submitter_kind": template.kind if template else BUSINESS,
            "consent_contact": ending != "spam",
            "consent_publish": ending != "spam" and rng.random() < 0.65,
            "created_at": created,
            "confirmed_at": at,
            "acknowledge_due": acknowledge_due,
            "answer_due": answer_due,
            "acknowledged_at": acknowledged,
            "coordinator_id": coordinator,
        }
        plan = _Plan(
            row=row,
            timeline=[
                (
                    created,
                    None,
                    TimelineEntry.Kind.SUBMITTED,
                    "",
                    State.AWAITING_CONFIRMATION,
                    "",
                    {},
                ),
                (
                    at,
                    None,
                    TimelineEntry.Kind.CONFIRMED,
                    State.AWAITING_CONFIRMATION,
                    State.RECEIVED,
                    "",
                    {},
                ),
            ],
            ending=ending,
            template=template,
            districts=districts,
            topics=topics,
            involved=[],
            lab=lab,
        )
        if template is not None and ending == "duplicate":
            plan.duplicate_of = duplicate_of
        self.plans.append(plan)
        if template is not None and ending == "referred" and template.refer is None:
            ending = plan.ending = "realised" if template.impossible is None else "impossible"
        if template is not None and ending == "impossible" and template.impossible is None:
            ending = plan.ending = "realised" if template.refer is None else "referred"
        at_triage = ending in ("spam", "duplicate") or (ending == "referred" and rng.random() < 0.4)
        if at_triage:
            self._close_at_triage(plan)
        else:
            self._handle(plan)
        self._survey(plan)
        return plan

    def _close_at_triage(self, plan: _Plan) -> None:
        """Referred, spam or a duplicate: closed by the coordinator at triage, with no lead."""
        row, at = plan.row, plan.row["acknowledged_at"]
        message = ""
        if plan.ending == "spam":
            outcome = Outcome.SPAM
        elif plan.ending == "duplicate":
            outcome = Outcome.DUPLICATE
            message = (
                "En anden borger har foreslået det samme, og vi arbejder allerede med den idé. "
                "Følg den, så ser du svaret."
            )
        else:
            outcome = Outcome.REFERRED
            slug, message = plan.template.refer
            row["referred_channel_id"] = self.channels[slug]
        row.update(state=State.CLOSED, outcome=outcome, first_answered_at=at, closed_at=at)
        plan.timeline.append(
            (at, self.cast.coordinator.pk, TimelineEntry.Kind.TRANSITION, State.RECEIVED,
             State.CLOSED, message, {"outcome": outcome})
        )  # fmt: skip

    def _handle(self, plan: _Plan) -> None:
        """Triaged to a department, perhaps handed over, answered (most within the deadline),
        and closed or still being carried out."""
        rng, cast, row, template = self.rng, self.cast, plan.row, plan.template
        lead = template.lead
        start_lead = lead
        if plan.ending != "lab" and rng.random() < PAST_HANDOVER_SHARE:
            other = rng.choice(sorted(set(cast.departments) - {lead}))
            accepted = rng.random() < 0.6
            start_lead = other if accepted else lead  # accepted: it came to `lead`
            plan.handover = {"from": start_lead, "to": lead if accepted else other,
                             "accepted": accepted}  # fmt: skip
        handler = cast.staff[start_lead]
        row.update(lead_department_id=cast.departments[start_lead].pk, handler_id=handler.pk)
        plan.involved = [cast.departments[a].pk for a in template.involved if a != start_lead]
        acknowledged = row["acknowledged_at"]
        plan.timeline.append(
            (acknowledged, cast.coordinator.pk, TimelineEntry.Kind.TRANSITION, State.RECEIVED,
             State.TRIAGED, THANKS, {"lead_department": row["lead_department_id"],
                                     "coordinator": cast.coordinator.pk, "handler": handler.pk,
                                     "involved_departments": sorted(plan.involved)})
        )  # fmt: skip
        period = answer_working_days()
        if plan.lab is not None:
            taken, told, _closing, _event = plan.lab
            answered = taken + timedelta(hours=1)
            plan.timeline.append(
                (taken, cast.coordinator.pk, TimelineEntry.Kind.MESSAGE, State.IN_PROGRESS,
                 State.IN_PROGRESS, told, {})
            )  # fmt: skip
        elif self._late(row["confirmed_at"]):
            answered = add_working_days(row["confirmed_at"], rng.randint(period + 1, period + 12))
        else:
            days = round(rng.triangular(2, period - 1, 9))
            answered = add_working_days(row["confirmed_at"], days)
        answered = max(answered, acknowledged + timedelta(hours=20))
        progress = acknowledged + (answered - acknowledged) * rng.uniform(0.05, 0.25)
        plan.timeline.append(
            (progress, handler.pk, TimelineEntry.Kind.TRANSITION, State.TRIAGED,
             State.IN_PROGRESS, "", {})
        )  # fmt: skip
        if plan.handover:
            handover = plan.handover
            handover["requested"] = progress + (answered - progress) * 0.25
            handover["decided"] = handover["requested"] + (answered - handover["requested"]) * (
                rng.uniform(0.1, 0.3)
            )
            handover["by"] = cast.staff[handover["from"]].pk
            handover["decider"] = cast.staff[handover["to"]].pk
            if handover["accepted"]:
                handler = cast.staff[lead]
                row.update(lead_department_id=cast.departments[lead].pk, handler_id=handler.pk)
                plan.involved = [pk for pk in plan.involved if pk != row["lead_department_id"]]
        if plan.ending in ("realised", "answered"):
            row.update(state=State.ANSWERED, first_answered_at=answered)
            plan.timeline.append(
                (answered, handler.pk, TimelineEntry.Kind.TRANSITION, State.IN_PROGRESS,
                 State.ANSWERED, template.answer, {})
            )  # fmt: skip
            closed = _working_hour(answered + timedelta(days=rng.uniform(14, 110)), rng)
            if plan.ending == "realised" and closed < self.now - timedelta(days=3):
                row.update(state=State.CLOSED, outcome=Outcome.REALISED, closed_at=closed)
                plan.timeline.append(
                    (closed, handler.pk, TimelineEntry.Kind.TRANSITION, State.ANSWERED,
                     State.CLOSED, template.done, {"outcome": Outcome.REALISED})
                )  # fmt: skip
            return
        row.update(state=State.CLOSED, first_answered_at=answered, closed_at=answered)
        if plan.lab is not None:
            message = plan.lab[2]
            row.update(outcome=Outcome.SOLUTION_LAB)
        elif plan.ending == "impossible":
            message, reason, alternatives = template.impossible
            row.update(
                outcome=Outcome.NOT_POSSIBLE,
                outcome_reason=reason,
                outcome_alternatives=alternatives,
            )
        else:
            slug, message = template.refer
            row.update(outcome=Outcome.REFERRED, referred_channel_id=self.channels[slug])
        plan.timeline.append(
            (answered, handler.pk, TimelineEntry.Kind.TRANSITION, State.IN_PROGRESS,
             State.CLOSED, message, {"outcome": row["outcome"]})
        )  # fmt: skip

    def _survey(self, plan: _Plan) -> None:
        """Four weeks after closing the citizen was asked (as the survey job does); a bit under
        half answered, most of them content."""
        row = plan.row
        if row["state"] != State.CLOSED or plan.ending in ("spam", "duplicate"):
            return
        sent = row["closed_at"] + survey_after()
        if sent >= self.now:
            return
        row["survey_sent_at"] = sent
        answered = sent + timedelta(hours=self.rng.uniform(2, 96))
        if self.rng.random() < 0.45 and answered < self.now:
            clear, heard = {
                "realised": (0.92, 0.85),
                "referred": (0.75, 0.6),
                "impossible": (0.6, 0.45),
                "lab": (0.9, 0.95),
            }[plan.ending]
            row.update(
                survey_answered_at=answered,
                survey_clear_answer=self.rng.random() < clear,
                survey_felt_heard=self.rng.random() < heard,
            )

    # --- writing ----------------------------------------------------------------------------

    def write(self) -> list[Idea]:
        """Insert the planned ideas with their references, links, handovers and timelines."""
        plans = sorted(self.plans, key=lambda p: p.row["confirmed_at"])
        years: dict[int, int] = {}
        for plan in plans:
            year = local_date(plan.row["confirmed_at"]).year
            years[year] = years.get(year, 0) + 1
        numbers = _allocate(years)
        ideas = []
        for plan in plans:
            year = local_date(plan.row["confirmed_at"]).year
            plan.row["reference"] = f"IDE-{year}-{numbers[year]:05d}"
            numbers[year] += 1
            if plan.lab is not None:
                plan.row["solution_lab_id"] = plan.lab[3].pk
            ideas.append(Idea(**plan.row))
        ideas = Idea.objects.bulk_create(ideas, batch_size=500)
        for plan, idea in zip(plans, ideas, strict=True):
            plan.idea = idea
        for plan in plans:
            if plan.duplicate_of is not None:
                Idea.objects.filter(pk=plan.idea.pk).update(duplicate_of=plan.duplicate_of.idea)
        district_ids = dict(District.objects.values_list("number", "pk"))
        topic_ids = dict(Topic.objects.values_list("slug", "pk"))
        Idea.districts.through.objects.bulk_create(
            [Idea.districts.through(idea_id=p.idea.pk, district_id=district_ids[n])
             for p in plans for n in p.districts],
            batch_size=1000,
        )  # fmt: skip
        Idea.topics.through.objects.bulk_create(
            [Idea.topics.through(idea_id=p.idea.pk, topic_id=topic_ids[s])
             for p in plans for s in p.topics if s in topic_ids],
            batch_size=1000,
        )  # fmt: skip
        Idea.involved_departments.through.objects.bulk_create(
            [Idea.involved_departments.through(idea_id=p.idea.pk, department_id=pk)
             for p in plans for pk in p.involved],
            batch_size=1000,
        )  # fmt: skip
        self._handovers(plans)
        entries = []
        for plan in plans:
            for at, by, kind, from_state, to_state, message, details in sorted(
                plan.timeline, key=lambda entry: entry[0]
            ):
                note = details.pop("_note", "")
                entries.append(
                    TimelineEntry(
                        idea=plan.idea,
                        at=at,
                        by_id=by,
                        kind=kind,
                        from_state=from_state,
                        to_state=to_state,
                        public_message=message,
                        internal_note=note,
                        details=details,
                    )
                )
        TimelineEntry.objects.bulk_create(entries, batch_size=1000)
        return ideas

    def _handovers(self, plans: list[_Plan]) -> None:
        """The handovers, and their entries on the timelines (written with the rest)."""
        departments = self.cast.departments
        rows = []
        for plan in plans:
            if plan.handover is None:
                continue
            h = plan.handover
            accepted = h["accepted"]
            rows.append(
                (plan, Handover(
                    idea=plan.idea,
                    from_department=departments[h["from"]],
                    to_department=departments[h["to"]],
                    note=f"Idéen hører mest under {departments[h['to']].name_da}. Vil I lede den?",
                    requested_by_id=h["by"],
                    requested_at=h["requested"],
                    due_at=add_working_days(h["requested"], handover_working_days()),
                    status=Handover.Status.ACCEPTED if accepted else Handover.Status.RETURNED,
                    decided_by_id=h["decider"],
                    decided_at=h["decided"],
                    decision_note="Vi tager den." if accepted else (
                        "Sagen hører hjemme hos jer. Vi hjælper gerne som involveret forvaltning."
                    ),
                ))
            )  # fmt: skip
        Handover.objects.bulk_create([handover for _plan, handover in rows])
        for plan, handover in rows:
            state = State.IN_PROGRESS
            plan.timeline.append(
                (handover.requested_at, handover.requested_by_id,
                 TimelineEntry.Kind.HANDOVER_REQUESTED, state, state, "",
                 {"handover": handover.pk, "to_department": handover.to_department_id,
                  "_note": handover.note})
            )  # fmt: skip
            if handover.status == Handover.Status.ACCEPTED:
                details = {
                    "handover": handover.pk,
                    "from_department": handover.from_department_id,
                    "lead_department": handover.to_department_id,
                    "handler": plan.idea.handler_id,
                }
                kind = TimelineEntry.Kind.HANDOVER_ACCEPTED
            else:
                details = {"handover": handover.pk, "to_department": handover.to_department_id}
                kind = TimelineEntry.Kind.HANDOVER_RETURNED
            details["_note"] = handover.decision_note
            plan.timeline.append(
                (handover.decided_at, handover.decided_by_id, kind, state, state, "", details)
            )


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def past_seed(cast: _Cast, now: datetime, seed: int) -> int:
    """Write the ideas of the year before last, last year's and this year's before the stories
    (see the comment above PAST); returns how many. Nothing when ideas older than the stories exist already (the demo
    was seeded before)."""
    if Idea.objects.filter(confirmed_at__lt=now - timedelta(days=125)).exists():
        return 0
    from sammen.events import labs_demo

    rng = random.Random(f"{seed}:past")  # noqa: S311 (demo content, not security)
    today = local_date(now)
    windows = past_windows(now)
    past = _Past(cast, now, rng)
    # (confirmed at, (lab, index of its idea) or None)
    moments: list[tuple[datetime, tuple[PastLab, int] | None]] = []
    for first, last, count in windows:
        days, weights = _past_days(first, last)
        for day in rng.choices(days, weights=weights, k=count):
            moments.append(
                (_working_hour(datetime.combine(day, time(9), tzinfo=COPENHAGEN), rng), None)
            )
    labs: dict[PastLab, tuple[Any, datetime]] = {}  # each held lab, and when ideas were taken
    for plan in PAST_LABS:
        lab_day = _lab_day(plan, windows, today)
        if lab_day is None:
            continue
        lab = labs_demo.past_lab_create(
            organiser=cast.coordinator, day=lab_day, years_ago=plan.years_ago
        )
        labs[plan] = (lab, _working_hour(lab.starts_at - timedelta(days=21), rng))
        for n, _template in enumerate(plan.ideas):
            confirmed = lab.starts_at - timedelta(days=50 - 3 * n)
            moments.append((_working_hour(confirmed, rng), (plan, n)))
    for at, taken in sorted(moments, key=lambda pair: pair[0]):
        if taken is not None:
            plan, n = taken
            lab, taken_at = labs[plan]
            template = plan.ideas[n]
            told, closing = labs_demo.past_lab_messages(lab, template.lead, template.involved)
            past.plan(
                at, "lab", template, lab=(taken_at + timedelta(minutes=5 * n), told, closing, lab)
            )
            continue
        ending = _pick(rng, PAST_ENDINGS)
        if ending == "answered" and _past_year(at, today).all_closed:
            ending = "realised"  # long since carried out
        template = None if ending == "spam" else rng.choice(PAST)
        past.plan(at, ending, template)
    ideas = past.write()
    said = []
    for lab, taken_at in labs.values():
        taken = [p.idea for p in past.plans if p.lab is not None and p.lab[3] == lab]
        said += labs_demo.past_lab_hold(lab, taken, taken_at=taken_at)
    TimelineEntry.objects.bulk_create(
        [TimelineEntry(idea=idea, at=at, by_id=by, kind=TimelineEntry.Kind.MESSAGE,
                       from_state=State.CLOSED, to_state=State.CLOSED, public_message=text)
         for idea, at, by, text in said]
    )  # fmt: skip
    # The last change to each idea, as the services would have left it.
    Idea.objects.filter(pk__in=[idea.pk for idea in ideas]).update(
        updated_at=Coalesce("survey_answered_at", "closed_at", "first_answered_at")
    )
    return len(ideas)


# --- synthetic ideas for benchmarks ----------------------------------------------------------

# (title, description, topics, help) with {place}; realistic enough to search in.
TEMPLATES: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
    ("Flere bænke ved {place}", "Der er for få steder at sætte sig ved {place}. Flere bænke "
     "ville hjælpe ældre og børnefamilier.", ("groen-by", "aeldre"), (AD,)),
    ("Sikker cykelsti på {place}", "Det er utrygt at cykle på {place} i myldretiden. En adskilt "
     "cykelsti ville gøre skolevejen sikrere.", ("trafik", "skole"), (P, AD)),
    ("Byhave ved {place}", "Naboerne ved {place} vil gerne dyrke grøntsager sammen på et "
     "ubrugt stykke græs.", ("groen-by", "socialt"), (S, P)),
    ("Mere lys om aftenen ved {place}", "Stierne ved {place} er mørke om vinteren, og mange "
     "føler sig utrygge.", ("tryghed",), (AD,)),
    ("Gadefest på {place}", "Vi vil gerne holde gadefest på {place} en lørdag i sommer og "
     "søger tilladelse og lidt støtte.", ("kultur", "socialt"), (P, F)),
    ("Legeplads til de mindste ved {place}", "Der mangler en legeplads for småbørn i "
     "gåafstand fra {place}.", ("boern-unge",), (S, F)),
    ("Affaldssortering i gården ved {place}", "Beboerne ved {place} vil gerne sortere mere, "
     "men mangler containere og vejledning.", ("klima-miljoe",), (AD, A)),
    ("Fællesspisning for ensomme ved {place}", "Et fast ugentligt måltid for naboer, der bor "
     "alene omkring {place}.", ("socialt", "aeldre"), (S, F)),
]  # fmt: skip

# (state, outcome) and how often, out of 100.
MIX: list[tuple[str, str, int]] = [
    (State.AWAITING_CONFIRMATION, "", 3),
    (State.RECEIVED, "", 9),
    (State.TRIAGED, "", 8),
    (State.IN_PROGRESS, "", 18),
    (State.WAITING_FOR_CITIZEN, "", 5),
    (State.ANSWERED, "", 14),
    (State.CLOSED, Outcome.REALISED, 15),
    (State.CLOSED, Outcome.REFERRED, 9),
    (State.CLOSED, Outcome.SOLUTION_LAB, 3),
    (State.CLOSED, Outcome.NOT_POSSIBLE, 8),
    (State.CLOSED, Outcome.SPAM, 4),
    (State.CLOSED, Outcome.DUPLICATE, 4),
]

BULK_MESSAGES = {
    State.WAITING_FOR_CITIZEN: "Kan du fortælle lidt mere om, hvor du tænker?",
    State.ANSWERED: "Tak for idéen. Vi har set på den og vender tilbage med en plan.",
    Outcome.REALISED: "Idéen er gennemført. Tak for din henvendelse.",
    Outcome.REFERRED: "Din idé passer til en anden vej til indflydelse; se linket.",
    Outcome.SOLUTION_LAB: "Vi arbejder videre med idéen i et løsningslaboratorium.",
    Outcome.NOT_POSSIBLE: "Vi kan desværre ikke gennemføre idéen; se hvorfor og hvad du kan i "
    "stedet.",
    Outcome.DUPLICATE: "En anden borger har foreslået det samme; følg den idé.",
}


@lru_cache(maxsize=4096)
def _deadline(day: Any, days: int) -> datetime:
    """A deadline depends only on the confirmation's date: worked out once per date."""
    return add_working_days(datetime.combine(day, time(12), tzinfo=COPENHAGEN), days)


def _allocate(years: dict[int, int]) -> dict[int, int]:
    """Reserve `n` references in each year's counter (as the services do, under a row lock);
    returns the first number of each year."""
    first = {}
    for year, n in sorted(years.items()):
        YearCounter.objects.get_or_create(year=year)
        counter = YearCounter.objects.select_for_update().get(year=year)
        first[year] = counter.last_number + 1
        counter.last_number += n
        counter.save(update_fields=["last_number"])
    return first


def _bulk_row(
    state: str, outcome: str, at: datetime, now: datetime, rng: random.Random, cast: _Cast
) -> dict[str, Any]:
    """The fields of one idea in `state` (closed with `outcome`) confirmed at `at`, holding every
    constraint of Idea.Meta: owned and closed ideas have a lead and a coordinator, only closed
    ones an outcome, referrals a channel, "not possible" a reason and an alternative, the clock
    paused only while waiting, and every confirmed idea its reference and deadlines."""
    if state == State.AWAITING_CONFIRMATION:
        return {"state": state, "created_at": at}

    def later(moment: datetime, low: float, high: float) -> datetime:
        return min(moment + timedelta(days=rng.uniform(low, high)), now)

    day = local_date(at)
    row: dict[str, Any] = {
        "state": state,
        "created_at": at - timedelta(minutes=rng.randint(5, 600)),
        "confirmed_at": at,
        "acknowledge_due": _deadline(day, acknowledge_working_days()),
        "answer_due": _deadline(day, answer_working_days()),
    }
    if state == State.RECEIVED:
        return row
    row["acknowledged_at"] = later(at, 0.1, 4)
    row["coordinator_id"] = cast.coordinator.pk
    at_triage = state == State.CLOSED and outcome in (Outcome.SPAM, Outcome.DUPLICATE)
    at_triage = at_triage or (outcome == Outcome.REFERRED and rng.random() < 0.5)
    if not at_triage:
        abbreviation = rng.choice(sorted(cast.departments))
        row["lead_department_id"] = cast.departments[abbreviation].pk
        row["handler_id"] = cast.staff[abbreviation].pk if rng.random() < 0.8 else None
    if state == State.WAITING_FOR_CITIZEN:
        row["clock_paused_since"] = later(row["acknowledged_at"], 0, 10)
    if state in (State.ANSWERED, State.CLOSED):
        answered = row["acknowledged_at"] if at_triage else later(row["acknowledged_at"], 1, 35)
        row["first_answered_at"] = answered
    if state == State.CLOSED:
        row["closed_at"] = (
            row["first_answered_at"] if at_triage else later(row["first_answered_at"], 0, 20)
        )
        row["outcome"] = outcome
        if outcome == Outcome.REFERRED:
            row["referred_channel_id"] = rng.choice(cast.channel_ids)
        if outcome == Outcome.NOT_POSSIBLE:
            row["outcome_reason"] = "Arealet er udlagt til andet formål i lokalplanen."
            row["outcome_alternatives"] = "Søg lokaludvalgets pulje\nTal med lokaludvalget"
        if row["closed_at"] + survey_after() < now and outcome != Outcome.SPAM:
            row["survey_sent_at"] = row["closed_at"] + survey_after()
            if rng.random() < 0.4:
                row["survey_answered_at"] = min(row["survey_sent_at"] + timedelta(days=2), now)
                row["survey_clear_answer"] = rng.random() < 0.7
                row["survey_felt_heard"] = rng.random() < 0.6
    return row


def _bulk_entries(idea: Idea, rng: random.Random) -> list[TimelineEntry]:
    """Submitted, confirmed, and the move to where the idea is now (with what the citizen was
    told), so timelines and the public API have something to show."""
    entries = [
        TimelineEntry(
            idea=idea,
            at=idea.created_at,
            kind=TimelineEntry.Kind.SUBMITTED,
            to_state=State.AWAITING_CONFIRMATION,
        )
    ]
    if idea.state == State.AWAITING_CONFIRMATION:
        return entries
    entries.append(
        TimelineEntry(
            idea=idea,
            at=idea.confirmed_at,
            kind=TimelineEntry.Kind.CONFIRMED,
            from_state=State.AWAITING_CONFIRMATION,
            to_state=State.RECEIVED,
        )
    )
    if idea.state != State.RECEIVED:
        at = idea.closed_at or idea.first_answered_at or idea.clock_paused_since
        message = BULK_MESSAGES.get(idea.outcome or idea.state, "")
        entries.append(
            TimelineEntry(
                idea=idea,
                at=at or idea.acknowledged_at,
                by_id=idea.handler_id or idea.coordinator_id,
                kind=TimelineEntry.Kind.TRANSITION,
                from_state=State.RECEIVED,
                to_state=idea.state,
                public_message=message,
                details={"outcome": idea.outcome} if idea.outcome else {},
            )
        )
    return entries


def ideas_bulk_seed(
    count: int, *, seed: int = 2025, now: datetime | None = None, batch_size: int = 2000
) -> Iterator[int]:
    """Add `count` synthetic ideas in batches with bulk inserts; yields the running total.

    Confirmed within the last 400 days, in every state and outcome (see MIX), about 60% public.
    Fast on purpose: the search stems are computed once per distinct text and the deadlines once
    per date.
    """
    from sammen.participation.demo import PLACES

    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 (demo content, not security)
    cast = _Cast()
    district_ids = list(District.objects.values_list("pk", flat=True))
    topic_ids = {t.slug: t.pk for t in Topic.objects.all()}
    department_ids = [d.pk for d in cast.departments.values()]
    kinds = [(state, outcome) for state, outcome, weight in MIX for _ in range(weight)]
    texts: dict[tuple[int, str], tuple[str, str, str]] = {}
    from sammen.events.labs_demo import bulk_lab, bulk_lab_ideas

    lab = bulk_lab(cast.coordinator)
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        moments = sorted(now - timedelta(days=rng.uniform(0, 400)) for _ in range(size))
        picks = [rng.choice(kinds) for _ in range(size)]
        for index, (state, _outcome) in enumerate(picks):
            if state == State.AWAITING_CONFIRMATION:  # a link is valid for 72 hours
                moments[index] = now - timedelta(hours=rng.uniform(1, 70))
        years: dict[int, int] = {}
        for moment, (state, _outcome) in zip(moments, picks, strict=True):
            if state != State.AWAITING_CONFIRMATION:
                year = local_date(moment).year
                years[year] = years.get(year, 0) + 1
        with transaction.atomic():
            next_number = _allocate(years)
            ideas, links = [], []
            for moment, (state, outcome) in zip(moments, picks, strict=True):
                template = rng.randrange(len(TEMPLATES))
                place = rng.choice(PLACES)
                if (template, place) not in texts:
                    title, description = (
                        part.format(place=place) for part in TEMPLATES[template][:2]
                    )
                    stems = search.stems_for(title=title, description=description)
                    texts[(template, place)] = (title, description, stems)
                title, description, stems = texts[(template, place)]
                row = _bulk_row(state, outcome, moment, now, rng, cast)
                if row.get("outcome") == Outcome.SOLUTION_LAB:
                    row["solution_lab_id"] = lab.pk
                if state != State.AWAITING_CONFIRMATION:
                    year = local_date(moment).year
                    row["reference"] = f"IDE-{year}-{next_number[year]:05d}"
                    next_number[year] += 1
                number = done + len(ideas) + 1
                ideas.append(
                    Idea(
                        title=title,
                        description=description,
                        search_stems=stems,
                        help_needed=list(TEMPLATES[template][3]),
                        submitter_kind=rng.choice(SubmitterKind.values),
                        contact_name=f"Borger {number}",
                        email=f"borger{number}@example.org",
                        consent_contact=True,
                        consent_publish=outcome != Outcome.SPAM and rng.random() < 0.6,
                        **row,
                    )
                )
                links.append(
                    (
                        rng.sample(district_ids, rng.choice([0, 1, 1, 1, 2])),
                        [topic_ids[slug] for slug in TEMPLATES[template][2]],
                        rng.sample(department_ids, rng.choice([0, 0, 0, 1])),
                    )
                )
            ideas = Idea.objects.bulk_create(ideas, batch_size=500)
            Idea.districts.through.objects.bulk_create(
                [
                    Idea.districts.through(idea_id=idea.pk, district_id=pk)
                    for idea, (districts, _t, _d) in zip(ideas, links, strict=True)
                    for pk in districts
                ],
                batch_size=1000,
            )
            Idea.topics.through.objects.bulk_create(
                [
                    Idea.topics.through(idea_id=idea.pk, topic_id=pk)
                    for idea, (_d, topics, _i) in zip(ideas, links, strict=True)
                    for pk in topics
                ],
                batch_size=1000,
            )
            Idea.involved_departments.through.objects.bulk_create(
                [
                    Idea.involved_departments.through(idea_id=idea.pk, department_id=pk)
                    for idea, (_d, _t, involved) in zip(ideas, links, strict=True)
                    for pk in involved
                    if idea.lead_department_id not in (None, pk)
                ],
                batch_size=1000,
            )
            TimelineEntry.objects.bulk_create(
                [entry for idea in ideas for entry in _bulk_entries(idea, rng)], batch_size=1000
            )
            bulk_lab_ideas(lab, [i for i in ideas if i.outcome == Outcome.SOLUTION_LAB])
        done += size
        if done == count and connection.vendor == "postgresql":
            # Without fresh statistics the planner takes many new rows for a handful.
            tables = [
                Idea._meta.db_table,
                TimelineEntry._meta.db_table,
                Idea.districts.through._meta.db_table,
                Idea.topics.through._meta.db_table,
            ]
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        yield done
