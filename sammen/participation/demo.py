"""Demo content for Få indflydelse: realistic opportunities and demo staff accounts.

Two uses: `manage.py seed_demo` fills an empty installation with hand-written opportunities that
cover every channel, department, district and status (for `make run` and for trying the site), and
`seed_demo --opportunities N` adds N synthetic but plausible ones quickly (for benchmarks).

Dates are relative to now, so the demo always shows upcoming, open, closing-soon, closed and
reported opportunities. Behind them `past_seed` adds the earlier opportunities and the digest's
subscribers of the year before last, last calendar year and this year (calendar dates), for the
yearly report and its comparison with the year before. The people are invented; venues are the
city's real cultural centres and libraries from the reference data.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import F, Model
from django.db.models.functions import Coalesce
from django.utils import timezone

from sammen.accounts.models import User
from sammen.core.models import Department, District, Principle, Topic, Venue
from sammen.participation import search
from sammen.participation.models import Channel, Opportunity, OpportunityChange, Subscription

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

# Printed by `manage.py demo_banner`; these accounts exist only in demo installations.
DEMO_PASSWORD = "sammen-demo-kbh"  # noqa: S105 (a published demo password, never used in production)
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "sammen-admin-kbh"  # noqa: S105 (idem)

# (username, first name, last name, department) — invented, example-like names.
DEMO_STAFF = [
    ("okf", "Anna", "Andersen", "ØKF"),
    ("kff", "Karen", "Karlsen", "KFF"),
    ("buf", "Bente", "Bertelsen", "BUF"),
    ("suf", "Søren", "Sørensen", "SUF"),
    ("sof", "Pia", "Pedersen", "SOF"),
    ("tmf", "Lars", "Larsen", "TMF"),
    ("bif", "Niels", "Nielsen", "BIF"),
]

CONTACTS = {
    "ØKF": [("Anna Andersen", "dialog@okf.kk.dk", "33 66 20 00")],
    "KFF": [("Karen Karlsen", "kulturhuse@kff.kk.dk", "33 66 40 00")],
    "BUF": [("Bente Bertelsen", "skoleplanlaegning@buf.kk.dk", "33 66 30 00")],
    "SUF": [("Søren Sørensen", "sundhed@suf.kk.dk", "33 66 50 00")],
    "SOF": [("Pia Pedersen", "naboskab@sof.kk.dk", "33 66 60 00")],
    "TMF": [
        ("Lars Larsen", "lokalplaner@tmf.kk.dk", "33 66 33 66"),
        ("Hanne Hansen", "trafik@tmf.kk.dk", "33 66 33 00"),
    ],
    "BIF": [("Niels Nielsen", "job@bif.kk.dk", "33 66 70 00")],
}

# How one takes part, per channel; appended to every body so the demo reads like real pages.
HOW = {
    "hoering": "Du kan læse materialet og sende dit høringssvar på Bliv hørt. Alle høringssvar "
    "bliver læst og indgår i den sag, politikerne får forelagt.",
    "borgermoede": "Mødet er åbent for alle, og der er ingen tilmelding. Der er kaffe og kage, "
    "og mødet tolkes til tegnsprog, hvis du giver besked senest en uge før.",
    "workshop": "Der er et begrænset antal pladser, så tilmeld dig via linket. Du behøver ikke at "
    "forberede noget; vi arbejder i små grupper ved borde med kort og tegninger.",
    "lokaludvalg": "Lokaludvalgets møder er åbne for alle, og der er altid borgertid i starten "
    "af mødet, hvor du kan tage et emne op.",
    "pulje": "Ansøgningen sker via Københavns Kommunes puljeportal. Du kan få vejledning i "
    "telefontiden, før du søger.",
    "borgerpanel": "Borgerpanelet er åbent for alle over 15 år, der bor i København. Du svarer "
    "online, og det tager omkring 10 minutter.",
    "koebenhavnerforslag": "Et københavnerforslag, der får 1.000 støtter på 180 dage, bliver "
    "behandlet af Borgerrepræsentationen.",
    "borgersamling": "Deltagerne trækkes ved lodtrækning, så samlingen ligner byen. Du får "
    "honorar for din tid, og der er børnepasning under møderne.",
    "frivillig": "Du bestemmer selv, hvor meget tid du vil give. Vi sørger for introduktion, "
    "forsikring og en fast kontaktperson.",
    "undersoegelse": "Undersøgelsen er anonym og tager 5-10 minutter. Resultaterne offentliggøres "
    "her, når de er samlet.",
    "andet": "Skriv til kontaktpersonen, hvis du har spørgsmål eller brug for hjælp til at deltage.",
}

MEETING_CHANNELS = {"borgermoede", "workshop", "lokaludvalg", "borgersamling"}


@dataclass(frozen=True)
class Entry:
    channel: str
    departments: tuple[str, ...]
    districts: tuple[int, ...]  # empty: the whole city
    topics: tuple[str, ...]
    principles: tuple[int, ...]
    status: str  # upcoming, open, soon, closed, outcome
    title: str
    summary: str
    body: str
    outcome: str = ""


E = Entry  # short, for the table below


# fmt: off
ENTRIES: list[Entry] = [
    # --- hearings ---------------------------------------------------------------------------
    E("hoering", ("TMF",), (5,), ("byudvikling", "bolig"), (2, 3), "open",
      "Forslag til lokalplan for Grønttorvet, etape 3",
      "Lokalplanen giver mulighed for 450 nye boliger, en skole og en park på den sidste del af "
      "det gamle Grønttorv.",
      "Borgerrepræsentationen har sendt forslaget i offentlig høring. Planen fastlægger "
      "bygningshøjder, friarealer og stiforbindelser til Valby Idrætspark.\n\nForslaget indeholder "
      "også en miljøvurdering af trafikken på Retortvej."),
    E("hoering", ("TMF",), (3,), ("trafik",), (3,), "soon",
      "Trafikplan for Nørrebrogade mellem Dronning Louises Bro og Nørrebros Runddel",
      "Kommunen foreslår bredere cykelstier, flere træer og en ny busperron ved Assistens Kirkegård.",
      "Forslaget er et resultat af tre års arbejde med beboere, erhvervsdrivende og "
      "cykelorganisationer. Parkeringen flyttes til sidegaderne, og krydset ved Jagtvej ombygges."),
    E("hoering", ("TMF",), (9,), ("groen-by", "klima-miljoe"), (2,), "upcoming",
      "Skybrudsplan for Amager Øst: regnvandsveje og grønne kiler",
      "Se, hvor regnvandet skal løbe hen ved det næste skybrud, og giv dit bud på, hvordan gaderne "
      "skal se ud.",
      "Planen omfatter tolv regnvandsveje og to forsinkelsesbassiner i Amager Fælled-kvarteret. "
      "Høringen åbner, når HOFOR har afsluttet de tekniske forundersøgelser."),
    E("hoering", ("BUF",), (10,), ("skole", "boern-unge"), (2, 5), "closed",
      "Ny skoledistriktsgrænse mellem Ørestad Skole og Islands Brygge Skole",
      "Børne- og Ungdomsudvalget foreslår at flytte distriktsgrænsen, så den nye skole i Ørestad "
      "Syd får sit eget distrikt.",
      "Høringen var rettet mod skolebestyrelser, forældre og elevråd. Forslaget ændrer ikke, hvor "
      "nuværende elever går i skole."),
    E("hoering", ("SUF",), (), ("sundhed", "aeldre"), (3,), "outcome",
      "Kvalitetsstandard for hjemmepleje 2026",
      "Kvalitetsstandarden beskriver, hvilken hjælp du kan få, og hvordan kommunen vurderer dit "
      "behov.",
      "Ældrerådet, handicaprådet og alle borgere kunne kommentere udkastet. Standarden gælder for "
      "praktisk hjælp, personlig pleje og madservice.",
      "Vi fik 84 høringssvar. På baggrund af dem er tidsvinduet for besøg gjort kortere, og "
      "rengøring hver anden uge er bevaret. Sundheds- og Omsorgsudvalget vedtog standarden med de "
      "to ændringer."),
    E("hoering", ("TMF",), (1,), ("byudvikling", "kultur"), (3,), "outcome",
      "Bevarende lokalplan for Nyhavn og Kongens Nytorv",
      "Lokalplanen skal sikre de historiske facader og regulere skilte, udeservering og belysning.",
      "Planen omfatter 63 ejendomme. Udeservering begrænses til kajsiden om aftenen, og nye skilte "
      "skal godkendes.",
      "Borgerrepræsentationen vedtog planen med én ændring efter høringen: udeservering må fortsat "
      "foregå på husfacaden frem til kl. 22."),
    E("hoering", ("ØKF",), (), ("oekonomi", "demokrati"), (1, 2), "closed",
      "Budgetforslag 2026: hvad skal København prioritere?",
      "Økonomiudvalgets forslag til budget er i høring hos borgere, råd og lokaludvalg.",
      "Forslaget indeholder investeringer i skoler, ældreboliger og cykelstier samt "
      "effektiviseringer i administrationen."),
    E("hoering", ("SOF",), (4,), ("socialt", "bolig"), (5,), "open",
      "Udvidelse af herberget på Mændenes Hjem",
      "Socialforvaltningen vil udvide herberget med 20 pladser til unge hjemløse og hører naboerne "
      "om planerne.",
      "Udvidelsen sker i den eksisterende bygning på Lille Istedgade. Der etableres en "
      "nabogruppe, som mødes fire gange om året."),
    # --- public meetings --------------------------------------------------------------------
    E("borgermoede", ("TMF",), (3,), ("trafik",), (2, 4), "open",
      "Borgermøde om trafikplanen for Nørrebrogade",
      "Kom og hør om forslaget, og stil spørgsmål til politikere og trafikplanlæggere.",
      "Teknik- og Miljøudvalgets formand indleder. Bagefter kan du gå rundt mellem stande om "
      "cykler, busser, parkering og træer."),
    E("borgermoede", ("ØKF", "TMF"), (8,), ("byudvikling",), (2,), "soon",
      "Fremtidens Bispebjerg Bakke: borgermøde om helhedsplanen",
      "Hvordan skal området omkring Bispebjerg Bakke udvikle sig de næste ti år?",
      "Områdefornyelsen præsenterer de første idéer til pladser, stier og mødesteder. Alle "
      "input samles og indgår i helhedsplanen."),
    E("borgermoede", ("BUF",), (7,), ("skole",), (5,), "closed",
      "Informationsmøde om ny skole i Husum",
      "Hør om den nye skole på Bystævneparken, og om hvordan elever og forældre inddrages i "
      "byggeriet.",
      "Mødet blev holdt sammen med skolebestyrelserne på de nuværende skoler i området."),
    E("borgermoede", ("KFF",), (6,), ("kultur", "idraet"), (4,), "outcome",
      "Borgermøde om Vanløse Idrætspark",
      "Klubber, skoler og naboer drøftede, hvordan idrætsparken kan bruges af flere.",
      "Mødet samlede 140 deltagere. Idéerne blev skrevet på plakater og samlet af forvaltningen.",
      "Forslaget om en åben multibane og bedre belysning på løbestien er indarbejdet i planen for "
      "renoveringen, som starter til foråret."),
    E("borgermoede", ("SUF",), (9,), ("sundhed", "aeldre"), (3, 5), "open",
      "Dialogmøde om det nye sundhedshus på Amager",
      "Hvilke tilbud skal sundhedshuset på Øresundsvej rumme? Kom og vær med til at bestemme.",
      "Sundhedshuset samler forebyggelse, genoptræning og rådgivning ét sted. Vi vil gerne høre "
      "fra både unge og ældre."),
    E("borgermoede", ("BIF",), (4,), ("beskaeftigelse",), (5,), "upcoming",
      "Jobmesse og dialogmøde i Sydhavnen",
      "Mød virksomheder, der ansætter, og fortæl os, hvad der skal til for at flere kommer i job.",
      "Jobcentret er til stede hele dagen. Der er tolkning til arabisk, somali og tyrkisk."),
    E("borgermoede", ("ØKF",), (), ("demokrati",), (1, 4), "open",
      "Åbent møde i Borgerrepræsentationen: spørgetid for københavnere",
      "To gange om året kan du stille spørgsmål direkte til Borgerrepræsentationen.",
      "Send dit spørgsmål senest en uge før mødet. Spørgsmålene besvares af den relevante "
      "borgmester."),
    # --- workshops --------------------------------------------------------------------------
    E("workshop", ("TMF",), (2,), ("groen-by",), (4,), "open",
      "Designworkshop: Fælledparkens nye legeplads",
      "Tegn og byg modeller af den legeplads, du og dine børn drømmer om.",
      "Landskabsarkitekterne tager idéerne med i skitseforslaget. Børn er meget velkomne."),
    E("workshop", ("KFF",), (3,), ("kultur",), (4, 5), "soon",
      "Workshop om fremtidens bibliotek på Nørrebro",
      "Hvad skal Nørrebro Bibliotek kunne om ti år? Vær med til at forme det nye indretningsprogram.",
      "Vi arbejder med tre temaer: stille rum, mødesteder og værksteder."),
    E("workshop", ("BUF", "KFF"), (10,), ("boern-unge",), (4,), "outcome",
      "Ungeworkshop om et nyt ungested på Islands Brygge",
      "Unge mellem 13 og 18 år udviklede idéer til et nyt sted at være efter skole.",
      "Workshoppen blev planlagt sammen med elevrådene på tre skoler.",
      "De unge valgte en placering ved Havneparken og et værksted med musik og e-sport. "
      "Forslaget indgår i budgetforhandlingerne."),
    E("workshop", ("TMF",), (5,), ("trafik", "groen-by"), (2, 4), "closed",
      "Gåtur og workshop: Toftegårds Plads",
      "En gåtur rundt om pladsen, hvor vi samlede oplevelser af tryghed, trafik og ophold.",
      "Gåturen sluttede med en workshop i Valby Kulturhus."),
    E("workshop", ("SOF",), (7,), ("socialt", "tryghed"), (5,), "upcoming",
      "Fællesskabsværksted i Tingbjerg",
      "Beboere, foreninger og kommunen udvikler sammen aktiviteter til Tingbjergs nye fælleshus.",
      "Værkstedet holdes over tre aftener med fælles spisning."),
    E("workshop", ("SUF",), (), ("sundhed",), (1, 4), "open",
      "Workshop for pårørende: bedre samarbejde med plejehjem",
      "Pårørende til beboere på plejehjem inviteres til at udvikle en ny pårørendepolitik.",
      "Workshoppen holdes online og på Rådhuset, så flest muligt kan deltage."),
    # --- local committees -------------------------------------------------------------------
    E("lokaludvalg", ("ØKF",), (2,), ("demokrati",), (1,), "open",
      "Østerbro Lokaludvalg: åbent møde med borgertid",
      "Lokaludvalget behandler bydelsplanen og fordeler midler fra Østerbro-puljen.",
      "Dagsordenen offentliggøres en uge før mødet."),
    E("lokaludvalg", ("ØKF",), (4,), ("byudvikling", "demokrati"), (1, 3), "closed",
      "Kongens Enghave Lokaludvalg: temamøde om Sydhavnstippen",
      "Et temamøde om naturen på Sydhavnstippen og planerne for boliger langs kanalen.",
      "Lokaludvalget samlede input til sit høringssvar."),
    E("lokaludvalg", ("ØKF",), (7,), ("groen-by",), (4,), "soon",
      "Brønshøj-Husum Lokaludvalg: vandring langs Harrestrup Å",
      "Gå med lokaludvalget langs åen, og fortæl, hvad der skal til for at gøre stien bedre.",
      "Vandringen starter ved Brønshøj Vandtårn og slutter med kaffe ved Rytterskolen."),
    E("lokaludvalg", ("ØKF",), (9,), ("demokrati", "kultur"), (1, 5), "outcome",
      "Amager Øst Lokaludvalg: borgertopmøde om bydelsplanen",
      "Over 200 borgere prioriterede indsatser i den nye bydelsplan for Amager Øst.",
      "Topmødet var organiseret i borde efter tema, og alle kunne stemme om forslagene.",
      "De tre højest prioriterede indsatser er nu en del af bydelsplanen: grønne skolegårde, "
      "flere mødesteder for ældre og en sikker skolevej langs Østrigsgade."),
    E("lokaludvalg", ("ØKF",), (1,), ("tryghed",), (1,), "open",
      "Indre By Lokaludvalg: nattelivet og naboerne",
      "Et åbent møde om støj, renhold og tryghed i nattelivet i Indre By.",
      "Politiet og kommunens natteborgmester deltager."),
    E("lokaludvalg", ("ØKF",), (6,), ("trafik",), (2,), "upcoming",
      "Vanløse Lokaludvalg: input til trafikhandleplan",
      "Lokaludvalget samler københavnernes forslag til en sikrere trafik i Vanløse.",
      "Forslagene sendes samlet til Teknik- og Miljøforvaltningen."),
    # --- funding pools ----------------------------------------------------------------------
    E("pulje", ("KFF",), (), ("kultur",), (4, 5), "open",
      "Kulturpuljen for lokale arrangementer",
      "Foreninger og grupper af borgere kan søge op til 50.000 kr. til kulturarrangementer, der er "
      "åbne for alle.",
      "Puljen støtter koncerter, udstillinger, fortællecaféer og lignende. Arrangementet skal "
      "foregå i København og være gratis eller billigt at deltage i."),
    E("pulje", ("TMF",), (3, 8), ("groen-by", "klima-miljoe"), (4,), "soon",
      "Grønne gårde: pulje til beplantning af baggårde",
      "Boligforeninger og ejerforeninger kan søge tilskud til træer, bede og regnvandsløsninger.",
      "Puljen dækker op til halvdelen af udgifterne. Der gives vejledning af en landskabsarkitekt."),
    E("pulje", ("SOF",), (), ("socialt",), (5,), "upcoming",
      "Pulje til nye fællesskaber mod ensomhed",
      "Støtte til initiativer, der bringer ensomme københavnere sammen, for eksempel spisefællesskaber.",
      "Både foreninger og private initiativtagere kan søge. Projekterne skal være åbne for alle."),
    E("pulje", ("BIF",), (10,), ("beskaeftigelse",), (5,), "closed",
      "Lokale jobinitiativer på Amager Vest",
      "Puljen støttede foreninger, der hjælper borgere tættere på job eller uddannelse.",
      "Ansøgningsrunden er slut, og bevillingerne offentliggøres snart."),
    E("pulje", ("ØKF",), (5,), ("demokrati",), (4,), "outcome",
      "Valby-puljen forår",
      "Lokaludvalgets pulje til aktiviteter, der gør Valby til et bedre sted at bo.",
      "Der kom 38 ansøgninger.",
      "Lokaludvalget bevilgede 412.000 kr. til 21 projekter, blandt andre en sommerfest i "
      "Valbyparken, en reparationscafé og et cykelværksted for unge."),
    E("pulje", ("KFF",), (), ("idraet",), (5,), "open",
      "Idrætspuljen: flere piger i foreningsidræt",
      "Klubber kan søge støtte til hold og aktiviteter, der får flere piger til at dyrke idræt.",
      "Puljen prioriterer projekter i bydele, hvor færrest piger er med i en forening."),
    # --- citizen panel ----------------------------------------------------------------------
    E("borgerpanel", ("ØKF",), (), ("demokrati",), (1, 5), "open",
      "Borgerpanelet: hvordan vil du høres?",
      "Fortæl os, hvordan kommunen bedst spørger dig, før der træffes beslutninger.",
      "Svarene bruges til at gøre kommunens dialog tydeligere og mere inkluderende."),
    E("borgerpanel", ("TMF",), (), ("klima-miljoe",), (2,), "soon",
      "Borgerpanelet om Klimaplan 2035",
      "Hvilke klimatiltag vil du selv være med til, og hvad forventer du af kommunen?",
      "Undersøgelsen er en del af forarbejdet til den næste klimaplan."),
    E("borgerpanel", ("SUF",), (), ("sundhed",), (3,), "outcome",
      "Borgerpanelet om røgfri udearealer",
      "Panelet blev spurgt, om legepladser og skolegårde skal være røgfri.",
      "2.314 panelister svarede.",
      "72 procent ønskede røgfri legepladser. Sundheds- og Omsorgsudvalget har besluttet at "
      "indføre røgfrihed på alle kommunale legepladser fra næste år."),
    E("borgerpanel", ("KFF",), (), ("kultur",), (4,), "upcoming",
      "Borgerpanelet om åbningstider i kulturhuse og biblioteker",
      "Skal bibliotekerne have længere selvbetjente åbningstider? Svar i borgerpanelet.",
      "Undersøgelsen sendes ud til alle panelister."),
    # --- citizen proposals ------------------------------------------------------------------
    E("koebenhavnerforslag", ("TMF",), (3,), ("trafik", "tryghed"), (4,), "open",
      "Københavnerforslag: Gågade på Blågårdsgade hele året",
      "Forslagsstilleren ønsker, at Blågårdsgade bliver bilfri hele året, ikke kun om sommeren.",
      "Forslaget har indtil videre fået 612 støtter."),
    E("koebenhavnerforslag", ("BUF",), (), ("boern-unge", "skole"), (4,), "soon",
      "Københavnerforslag: gratis svømmeundervisning i 0. klasse",
      "Alle børn skal lære at svømme, før de begynder i 1. klasse.",
      "Forslaget er stillet af en gruppe forældre fra Valby og Vanløse."),
    E("koebenhavnerforslag", ("KFF",), (2,), ("idraet", "groen-by"), (4,), "outcome",
      "Københavnerforslag: vinterbadning ved Svanemøllestranden",
      "Et forslag om en sauna og omklædning til vinterbadere ved Svanemøllestranden.",
      "Forslaget fik 1.245 støtter og blev behandlet i Borgerrepræsentationen.",
      "Borgerrepræsentationen har afsat midler til en midlertidig sauna, som åbner næste vinter."),
    E("koebenhavnerforslag", ("TMF",), (10,), ("groen-by",), (4,), "closed",
      "Københavnerforslag: bevar Amager Fælleds nordlige del",
      "Forslaget ønskede, at den nordlige del af Amager Fælled friholdes for byggeri.",
      "Forslaget nåede ikke 1.000 støtter inden for fristen."),
    E("koebenhavnerforslag", ("SUF",), (), ("aeldre",), (4,), "open",
      "Københavnerforslag: bænke for hver 200 meter på gåruter for ældre",
      "Flere bænke gør det lettere for ældre at gå ture og handle selv.",
      "Forslaget er stillet af ældrerådet i samarbejde med en pensionistforening."),
    # --- citizens' assemblies ---------------------------------------------------------------
    E("borgersamling", ("ØKF", "TMF"), (), ("klima-miljoe",), (1, 5), "open",
      "Borgersamling om klimatilpasning",
      "36 tilfældigt udvalgte københavnere giver anbefalinger til, hvordan byen skal klare mere regn.",
      "Samlingen mødes fire lørdage og hører eksperter, før den skriver sine anbefalinger."),
    E("borgersamling", ("ØKF",), (), ("demokrati", "oekonomi"), (1, 5), "outcome",
      "Borgersamling om fremtidens velfærd",
      "En borgersamling gav anbefalinger til, hvordan velfærden kan indrettes, når vi bliver flere "
      "ældre.",
      "Samlingen afleverede 14 anbefalinger til Økonomiudvalget.",
      "Økonomiudvalget har svaret på alle 14 anbefalinger: 9 gennemføres, 3 undersøges nærmere, "
      "og 2 afvises med en begrundelse, som kan læses i svaret."),
    E("borgersamling", ("TMF",), (), ("trafik",), (1, 2), "upcoming",
      "Borgersamling om biltrafikken i 2035",
      "Invitationerne sendes til 5.000 tilfældigt udvalgte københavnere.",
      "Hvis du får en invitation, kan du melde dig til på linket i brevet."),
    # --- volunteering -----------------------------------------------------------------------
    E("frivillig", ("SUF",), (8,), ("aeldre", "socialt"), (4,), "open",
      "Bliv besøgsven for en ældre nabo på Bispebjerg",
      "Giv en time om ugen til en ældre, der ønsker selskab.",
      "Du bliver matchet med en ældre, der bor tæt på dig, og får et introduktionskursus."),
    E("frivillig", ("KFF",), (), ("kultur",), (4,), "open",
      "Frivillig ved Kulturnatten",
      "Hjælp med at tage imod gæster og vise vej på Kulturnatten.",
      "Vagterne er på fire timer, og du får en T-shirt og fri adgang bagefter."),
    E("frivillig", ("TMF",), (9,), ("groen-by", "klima-miljoe"), (4,), "soon",
      "Affaldsindsamling ved Amager Strand",
      "Saml affald sammen med naboer og skoleklasser. Vi sørger for handsker og sække.",
      "Indsamlingen sluttes af med en fælles frokost."),
    E("frivillig", ("BIF",), (3,), ("beskaeftigelse",), (5,), "upcoming",
      "Bliv mentor for en ung, der søger job",
      "Hjælp en ung på Nørrebro med CV, jobsamtaler og netværk.",
      "Mentorforløbet varer seks måneder med et møde om ugen."),
    E("frivillig", ("SOF",), (1,), ("socialt",), (4, 5), "closed",
      "Frivillig ved julefrokost for hjemløse",
      "Hjælp med madlavning og servering ved julefrokosten på Rådhuset.",
      "Alle vagter er besat i år."),
    # --- surveys ----------------------------------------------------------------------------
    E("undersoegelse", ("TMF",), (), ("trafik",), (3,), "open",
      "Cykelregnskabet: hvordan oplever du at cykle i København?",
      "Svar på spørgsmål om tryghed, cykelstier og cykelparkering.",
      "Svarene indgår i Cykelregnskabet, som viser udviklingen i byens cykeltrafik."),
    E("undersoegelse", ("BUF",), (), ("boern-unge",), (3, 5), "soon",
      "Forældretilfredshed i dagtilbud",
      "Fortæl, hvordan dit barn trives i vuggestue eller børnehave.",
      "Undersøgelsen sendes til alle forældre med børn i kommunale og selvejende dagtilbud."),
    E("undersoegelse", ("SOF",), (7, 8), ("tryghed",), (3,), "outcome",
      "Tryghedsundersøgelsen i Brønshøj-Husum og Bispebjerg",
      "Hvor tryg føler du dig i dit lokalområde?",
      "Undersøgelsen blev besvaret af 1.870 beboere.",
      "Resultaterne viser, at belysningen på stierne er det, der betyder mest. Der opsættes ny "
      "belysning på fem stier i løbet af året."),
    E("undersoegelse", ("BIF",), (), ("beskaeftigelse",), (3,), "closed",
      "Brugerundersøgelse i jobcentrene",
      "Hvordan oplevede du dit seneste forløb i jobcentret?",
      "Resultaterne offentliggøres, når de er analyseret."),
    E("undersoegelse", ("KFF",), (6, 7), ("idraet",), (2,), "upcoming",
      "Hvor dyrker du motion i Vanløse og Brønshøj-Husum?",
      "Undersøgelsen skal vise, hvor der mangler faciliteter til motion i det fri.",
      "Svarene bruges i planlægningen af nye motionsstier."),
    E("undersoegelse", ("SUF",), (9, 10), ("sundhed",), (3,), "open",
      "Sundhedsprofil for Amager",
      "Hvordan har du det? Svar på spørgsmål om søvn, motion og trivsel.",
      "Sundhedsprofilen gentages hvert fjerde år."),
    # --- other ------------------------------------------------------------------------------
    E("andet", ("ØKF",), (), ("demokrati",), (1, 3), "open",
      "Ungebyrådet søger nye medlemmer",
      "Er du mellem 13 og 17 år og vil have indflydelse på byen? Stil op til Ungebyrådet.",
      "Ungebyrådet mødes en gang om måneden og giver råd til Borgerrepræsentationen."),
    E("andet", ("BUF",), (5,), ("skole",), (2,), "closed",
      "Navnekonkurrence for den nye skole i Valby",
      "Forslag til navnet på den nye skole på Grønttorvet.",
      "Skolebestyrelsen vælger blandt de indsendte forslag."),
    E("andet", ("KFF",), (1,), ("kultur",), (3,), "outcome",
      "Afstemning om kunstværk på Israels Plads",
      "Københavnerne stemte om, hvilket af tre kunstværker der skal stå på pladsen.",
      "Afstemningen fik 6.400 stemmer.",
      "Værket med de blå bænke vandt med 47 procent af stemmerne og opsættes til sommer."),
    E("andet", ("SOF", "SUF"), (4,), ("socialt", "sundhed"), (5,), "upcoming",
      "Åbent hus i det nye værested på Vesterbro",
      "Kom og se værestedet, mød personalet og kom med idéer til aktiviteter.",
      "Værestedet er for voksne med psykisk sårbarhed og deres pårørende."),
    # --- a few more to spread departments and districts -------------------------------------
    E("hoering", ("TMF",), (6,), ("byudvikling",), (2,), "open",
      "Forslag til lokalplan for Jernbane Allé ved Vanløse Station",
      "Planen giver mulighed for boliger over butikkerne og en ny plads foran stationen.",
      "Bebyggelsen må højst være fem etager mod Jernbane Allé."),
    E("borgermoede", ("TMF",), (2,), ("trafik", "groen-by"), (2,), "upcoming",
      "Borgermøde om Østerbrogades nye udformning",
      "Kom og se de første skitser til en grønnere Østerbrogade.",
      "Mødet holdes som åbent hus, så du kan komme og gå, når det passer dig."),
    E("workshop", ("BIF", "KFF"), (8,), ("beskaeftigelse", "kultur"), (5,), "open",
      "Kreativt værksted for nye københavnere i Nordvest",
      "Lær byen at kende gennem kunst og fortællinger, og mød andre, der er nye i København.",
      "Værkstedet foregår på dansk og engelsk."),
    E("pulje", ("BUF",), (9,), ("boern-unge",), (4,), "open",
      "Sommerferiepuljen for børn og unge på Amager Øst",
      "Foreninger kan søge støtte til sommerferieaktiviteter for børn, der ikke kommer på ferie.",
      "Aktiviteterne skal være gratis for deltagerne."),
    E("frivillig", ("ØKF",), (), ("demokrati",), (4,), "closed",
      "Valgtilforordnet ved kommunalvalget",
      "Hjælp med at afvikle valget på dit lokale valgsted.",
      "Du får undervisning og et vederlag for dagen."),
]
# fmt: on


# --- dates -------------------------------------------------------------------------------------


def _at(day: datetime, hour: int, minute: int = 0) -> datetime:
    """A local Copenhagen time on the day of `day`, in UTC."""
    local = day.astimezone(COPENHAGEN).date()
    return datetime.combine(local, time(hour, minute), tzinfo=COPENHAGEN).astimezone(UTC)


def _dates(channel: str, status: str, now: datetime, rng: random.Random) -> dict:
    """Dates that give `status` at `now` (see Opportunity.status_at)."""
    if channel in MEETING_CHANNELS:
        if status == "upcoming":  # registration not yet open
            start = _at(now + timedelta(days=rng.randint(35, 70)), 17)
            return {
                "start_at": start,
                "end_at": start + timedelta(hours=3),
                "deadline": _at(start - timedelta(days=5), 12),
            }
        if status == "open":
            start = _at(now + timedelta(days=rng.randint(12, 40)), rng.choice([16, 17, 19]))
            return {"start_at": start, "end_at": start + timedelta(hours=2), "deadline": None}
        if status == "soon":
            start = _at(now + timedelta(days=rng.randint(3, 6)), 17)
            return {
                "start_at": start,
                "end_at": start + timedelta(hours=2),
                "deadline": _at(start - timedelta(days=1), 12),
            }
        start = _at(now - timedelta(days=rng.randint(20, 120)), 17)
        return {"start_at": start, "end_at": start + timedelta(hours=2), "deadline": None}
    if status == "upcoming":
        start = _at(now + timedelta(days=rng.randint(5, 30)), 8)
        return {
            "start_at": start,
            "end_at": None,
            "deadline": _at(start + timedelta(days=42), 23, 59),
        }
    if status == "open":
        return {
            "start_at": _at(now - timedelta(days=rng.randint(3, 20)), 8),
            "end_at": None,
            "deadline": _at(now + timedelta(days=rng.randint(14, 60)), 23, 59),
        }
    if status == "soon":
        return {
            "start_at": _at(now - timedelta(days=rng.randint(20, 40)), 8),
            "end_at": None,
            "deadline": _at(now + timedelta(days=rng.randint(1, 6)), 23, 59),
        }
    deadline = _at(now - timedelta(days=rng.randint(30, 200)), 23, 59)
    return {
        "start_at": deadline - timedelta(days=rng.randint(28, 56)),
        "end_at": None,
        "deadline": deadline,
    }


def _slug(text: str) -> str:
    from django.utils.text import slugify

    danish = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    danish = danish.replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa")
    return slugify(danish)[:200].strip("-")


# --- the hand-written demo ---------------------------------------------------------------------


def users_create() -> list[User]:
    """Demo staff: one account per department and an administrator. Idempotent."""
    departments = {d.abbreviation: d for d in Department.objects.all()}
    # One hash for all the staff accounts: hashing is slow on purpose, and the password is public.
    staff_password = make_password(DEMO_PASSWORD)
    users = []
    for username, first, last, abbreviation in DEMO_STAFF:
        department = departments[abbreviation]
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}.demo@{department.email_domain or 'kk.dk'}",
            },
        )
        if created:
            user.password = staff_password
            user.save(update_fields=["password"])
            user.departments.set([department])
        users.append(user)
    admin, created = User.objects.get_or_create(
        username=ADMIN_USERNAME,
        defaults={
            "first_name": "Administrator",
            "email": "admin.demo@kk.dk",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_password(ADMIN_PASSWORD)
        admin.save(update_fields=["password"])
    users.append(admin)
    return users


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, password, what it is) for the demo accounts that exist, for the banner."""
    existing = set(
        User.objects.filter(
            username__in=[u for u, *_ in DEMO_STAFF] + [ADMIN_USERNAME]
        ).values_list("username", flat=True)
    )
    rows = []
    if ADMIN_USERNAME in existing:
        rows.append((ADMIN_USERNAME, ADMIN_PASSWORD, "administrator"))
    for username, _first, _last, abbreviation in DEMO_STAFF:
        if username in existing:
            rows.append((username, DEMO_PASSWORD, abbreviation))
    return rows


@transaction.atomic
def demo_seed(*, seed: int = 2025, now: datetime | None = None) -> int:
    """Create the hand-written demo opportunities and the demo accounts; returns how many."""
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 (demo content, not security)
    staff = users_create()[: len(DEMO_STAFF)]  # the administrator comes last
    users = {abbreviation: user for (*_, abbreviation), user in zip(DEMO_STAFF, staff, strict=True)}
    channels = {c.slug: c for c in Channel.objects.all()}
    departments = {d.abbreviation: d for d in Department.objects.all()}
    districts = {d.number: d for d in District.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    principles = {p.number: p for p in Principle.objects.all()}
    venues_by_district: dict[int | None, list[Venue]] = {}
    for venue in Venue.objects.select_related("district").order_by("name"):
        key = venue.district.number if venue.district else None
        venues_by_district.setdefault(key, []).append(venue)
    city_hall = Venue.objects.filter(name="Hovedbiblioteket").first()
    # Running it again adds only what is missing, so the demo never shows the same thing twice.
    existing = set(
        Opportunity.objects.filter(source=Opportunity.Source.LOCAL).values_list("title", flat=True)
    )

    created = 0
    for entry in ENTRIES:
        dates = _dates(entry.channel, entry.status, now, rng)
        if entry.title in existing:
            continue
        first = entry.departments[0]
        contact_name, contact_email, contact_phone = rng.choice(CONTACTS[first])
        venue = None
        if entry.channel in MEETING_CHANNELS or entry.channel in {"workshop", "andet", "frivillig"}:
            candidates = venues_by_district.get(entry.districts[0]) if entry.districts else None
            venue = rng.choice(candidates) if candidates else city_hall
        closes = dates["deadline"] or dates["end_at"] or dates["start_at"]
        outcome_at = closes + timedelta(days=rng.randint(14, 25)) if entry.outcome else None
        if outcome_at and outcome_at > now:
            outcome_at = now - timedelta(days=1)
        body = f"{entry.body}\n\n{HOW[entry.channel]}"
        opportunity = Opportunity(
            channel=channels[entry.channel],
            title=entry.title,
            slug=_slug(entry.title),
            summary=entry.summary,
            body=body,
            language="da",
            **dates,
            venue=venue,
            accessibility=(
                "Der er trinfri adgang og handicaptoilet. Sig til, hvis du har brug for teleslynge."
                if venue
                else ""
            ),
            participation_url=channels[entry.channel].url
            or ("https://blivhoert.kk.dk" if entry.channel == "hoering" else ""),
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=contact_phone,
            is_published=True,
            published_at=min(dates["start_at"], now) - timedelta(days=rng.randint(3, 14)),
            outcome=entry.outcome,
            outcome_published_at=outcome_at,
            search_stems=search.stems_for(title=entry.title, summary=entry.summary, body=body),
            created_by=users.get(first),
        )
        opportunity.full_clean(exclude=["departments", "districts", "topics", "principles"])
        opportunity.save()
        opportunity.departments.set([departments[a] for a in entry.departments])
        opportunity.districts.set([districts[n] for n in entry.districts])
        opportunity.topics.set([topics[s] for s in entry.topics])
        opportunity.principles.set([principles[n] for n in entry.principles])
        OpportunityChange.objects.create(
            opportunity=opportunity,
            at=opportunity.published_at,
            by=users.get(first),
            action=OpportunityChange.Action.CREATED,
        )
        created += 1
    created += past_seed(now=now, seed=seed, users=users)
    return created


# --- the years behind the demo: closed opportunities and subscribers since the year before last -
#
# The yearly report reads last calendar year and compares it with the year before, so the
# catalogue has two years behind the hand-written entries (PAST_YEARS): opportunities published
# across the year before last, last year and the months before the demo's own, closed by now,
# most with "what came of it", some imported from the hearing portal (a few of them withdrawn
# there), and the subscribers who signed up for the weekly digest in those years. Written with
# bulk inserts; the dates are calendar dates, relative to today's year.

# Places by district number (Indre By 1 … Amager Vest 10), for content about one place.
DISTRICT_PLACES: dict[int, tuple[str, ...]] = {
    1: ("Christianshavns Torv", "Israels Plads", "Nyboder", "Kongens Have"),
    2: ("Østerbrogade", "Trianglen", "Strandboulevarden", "Nordhavn"),
    3: ("Blågårds Plads", "Jagtvej", "Superkilen", "Nørrebroparken"),
    4: ("Enghave Plads", "Vesterbros Torv", "Sydhavnen", "Halmtorvet"),
    5: ("Valby Langgade", "Toftegårds Plads", "Folehaven", "Vigerslev Allé"),
    6: ("Jernbane Allé", "Damhussøen", "Vanløse Torv"),
    7: ("Tingbjerg", "Husumgade", "Brønshøj Torv"),
    8: ("Bispebjerg Bakke", "Tagensvej", "Emdrup Sø", "Lygten"),
    9: ("Amagerbrogade", "Øresundsvej", "Sundholmsvej", "Amager Strandpark"),
    10: ("Islands Brygge", "Ørestad Syd", "Sundbyvester Plads", "Njalsgade"),
}


@dataclass(frozen=True)
class PastEntry:
    """A kind of opportunity at a `{place}`, how often it comes (`weight`), how long it is open
    (days) and what came of it."""

    channel: str
    departments: tuple[str, ...]
    topics: tuple[str, ...]
    principles: tuple[int, ...]
    title: str
    summary: str
    body: str
    outcome: str
    weight: int = 2
    days: tuple[int, int] = (28, 42)


P_ = PastEntry
# fmt: off
PAST_ENTRIES: list[PastEntry] = [
    P_("hoering", ("TMF",), ("byudvikling", "bolig"), (2, 3),
       "Forslag til lokalplan for {place}",
       "Planen giver mulighed for nye boliger, et grønt byrum og bedre stier ved {place}.",
       "Lokalplanen fastlægger bygningshøjder, friarealer og trafik. Forslaget har været drøftet "
       "med lokaludvalget før høringen.",
       "Borgerrepræsentationen vedtog lokalplanen med to ændringer efter høringen: en etage "
       "lavere mod gaden og en sti mere gennem området. 64 høringssvar blev læst og besvaret i "
       "en hvidbog.", weight=5, days=(42, 56)),
    P_("hoering", ("TMF",), ("trafik", "skole"), (3,),
       "Trafiksikring af skolevejene omkring {place}",
       "Forslag om hævede flader, smallere kørebaner og 30 km/t ved skolerne omkring {place}.",
       "Forslaget bygger på skolernes trafikpolitikker og på forældrenes kort over utrygge "
       "steder.",
       "Teknik- og Miljøudvalget vedtog forslaget. Efter høringen kommer der også et "
       "fodgængerfelt ved skolens bagindgang, som mange forældre pegede på.", weight=3),
    P_("hoering", ("TMF",), ("groen-by", "klima-miljoe"), (2,),
       "Skybrudsprojekt ved {place}",
       "Regnvandet skal ledes væk fra kældrene via grønne kanter og en ny lavning ved {place}.",
       "Projektet er lavet sammen med HOFOR. Træerne langs vejen bevares.",
       "Projektet gennemføres som foreslået. Efter høringen bliver lavningen også en "
       "legeplads, når den er tør.", weight=3),
    P_("hoering", ("BUF",), ("skole", "boern-unge"), (3,),
       "Nye skoledistrikter omkring {place}",
       "Kommunen foreslår at flytte grænsen mellem to skoledistrikter, fordi der bliver flere "
       "børn ved {place}.",
       "Ændringen gælder børn, der begynder i skole fra næste skoleår. Søskende kan fortsat "
       "gå på samme skole.",
       "Børne- og Ungdomsudvalget vedtog de nye distrikter, men med en søskendegaranti også for "
       "børn, der allerede går i skole. Det var det, flest høringssvar bad om."),
    P_("hoering", ("SUF",), ("aeldre", "sundhed"), (3, 5),
       "Nyt plejecenter ved {place}: forslag til byggeprogram",
       "Hvad skal et nyt plejecenter ved {place} kunne, og hvordan skal det hænge sammen med "
       "kvarteret?",
       "Byggeprogrammet beskriver boligerne, fællesarealerne og haven.",
       "Byggeprogrammet er ændret, så haven bliver åben for kvarteret om dagen, og caféen får "
       "indgang fra gaden.", weight=1),
    P_("borgermoede", ("TMF",), ("byudvikling", "groen-by"), (2,),
       "Borgermøde om byfornyelsen omkring {place}",
       "Kom og hør om planerne for gaderne og gårdene omkring {place}, og fortæl, hvad du "
       "ønsker dig.",
       "Planlæggerne viser de første skitser, og der er tid til spørgsmål ved bordene.",
       "Omkring 80 kom til mødet. Ønskerne om flere træer og færre parkeringspladser er skrevet "
       "ind i skitseforslaget, som blev sendt i høring i efteråret.", weight=3, days=(14, 28)),
    P_("borgermoede", ("SOF", "TMF"), ("tryghed", "socialt"), (5,),
       "Dialogmøde om tryghed ved {place}",
       "Politi, kommune og naboer drøfter tryghed, belysning og ophold ved {place}.",
       "Mødet sluttes af med en fælles gåtur i området. Der er tolk til arabisk og somali.",
       "Gåturen pegede på fire mørke steder. Der er sat lys op ved de tre, og gadeplans"
       "medarbejderne er på stedet fredag og lørdag aften.", weight=2, days=(14, 28)),
    P_("workshop", ("TMF", "KFF"), ("groen-by", "kultur"), (2, 4),
       "Workshop: det nye byrum ved {place}",
       "Tegn og byg modeller af det byrum, du ønsker dig ved {place}.",
       "Landskabsarkitekterne tager idéerne med i skitseforslaget.",
       "Tre forslag fra workshoppen er med i skitsen: en scene, flere bænke i sol og en "
       "vandleg for de mindste.", weight=2, days=(14, 28)),
    P_("workshop", ("BUF",), ("boern-unge",), (4, 5),
       "Ungeworkshop: hvad skal der ske på {place}?",
       "Unge mellem 13 og 19 år tegner, hvad de vil bruge {place} til.",
       "Workshoppen holdes i klubben med pizza bagefter.",
       "De unge ønskede lys, læ og et sted at hænge ud. Det er skrevet ind i projektet, og to af "
       "de unge sidder med i følgegruppen.", weight=1, days=(14, 21)),
    P_("lokaludvalg", ("ØKF",), ("demokrati", "byudvikling"), (1,),
       "Lokaludvalgets åbne møde om {place}",
       "Lokaludvalget drøfter planerne for {place} og har borgertid i starten af mødet.",
       "Dagsordenen offentliggøres en uge før mødet.",
       "Lokaludvalget sendte et høringssvar, der bygger på det, borgerne sagde på mødet.",
       weight=3, days=(10, 21)),
    P_("pulje", ("KFF",), ("kultur", "socialt"), (4,),
       "Kulturpuljen: lokale arrangementer omkring {place}",
       "Foreninger og naboer kan søge støtte til arrangementer, der samler kvarteret omkring "
       "{place}.",
       "Puljen støtter med op til 25.000 kr. pr. arrangement.",
       "Puljen støttede 14 arrangementer, blandt andet en gadefest, to koncerter og en "
       "fortælleaften på biblioteket.", weight=2, days=(30, 60)),
    P_("pulje", ("TMF",), ("groen-by", "klima-miljoe"), (4,),
       "Pulje til grønne gårde omkring {place}",
       "Gårdlaug og foreninger kan søge tilskud til beplantning og regnvandsløsninger.",
       "Puljen dækker op til halvdelen af udgifterne.",
       "Ni gårde fik tilskud. Tilsammen planter de 40 træer og kobler 2.000 m² tag fra "
       "kloakken.", weight=2, days=(30, 60)),
    P_("borgerpanel", ("ØKF",), ("demokrati", "byudvikling"), (5,),
       "Borgerpanelet: livet omkring {place}",
       "Svar på spørgsmål om trafik, grønne områder og tryghed omkring {place}.",
       "Undersøgelsen tager omkring 10 minutter.",
       "1.240 svarede. Resultaterne bruges i bydelsplanen; flest ønsker mere grønt og sikrere "
       "krydsninger.", weight=2, days=(14, 28)),
    P_("undersoegelse", ("TMF",), ("trafik",), (5,),
       "Spørgeskema om cykelparkering ved {place}",
       "Hvor mangler der cykelparkering ved {place}?",
       "Svarene bruges i planlægningen af nye stativer.",
       "Over 600 svarede. Der kommer 200 nye pladser de steder, flest pegede på.",
       weight=2, days=(14, 28)),
    P_("frivillig", ("SUF",), ("aeldre", "socialt"), (4,),
       "Bliv besøgsven for ældre omkring {place}",
       "Giv en time om ugen til en ældre nabo omkring {place}.",
       "Du får et introduktionskursus og en fast kontaktperson.",
       "23 nye besøgsvenner kom med og besøger nu ældre i kvarteret hver uge.",
       weight=2, days=(30, 45)),
    P_("frivillig", ("TMF",), ("klima-miljoe", "groen-by"), (4,),
       "Affaldsindsamling ved {place}",
       "Saml affald sammen med naboerne en lørdag formiddag ved {place}.",
       "Vi sørger for handsker, sække og en fælles frokost.",
       "62 naboer samlede 180 kg affald. Tak til alle, der var med.", weight=2, days=(14, 21)),
    P_("koebenhavnerforslag", ("ØKF", "TMF"), ("trafik", "klima-miljoe"), (4,),
       "Københavnerforslag: bilfri søndage på {place}",
       "Forslagsstilleren ønsker bilfri søndage på {place} om sommeren.",
       "Et forslag med 1.000 støtter på 180 dage behandles af Borgerrepræsentationen.",
       "Forslaget fik 1.000 støtter og blev behandlet i Borgerrepræsentationen, som bad "
       "forvaltningen om at prøve to bilfri søndage næste sommer.", weight=1, days=(150, 180)),
    P_("borgermoede", ("BIF",), ("beskaeftigelse",), (5,),
       "Dialogmøde om job og uddannelse for unge omkring {place}",
       "Jobcenteret, uddannelsesvejledningen og lokale virksomheder vil høre, hvad der skal til "
       "for at flere unge omkring {place} kommer i job eller uddannelse.",
       "Der er tolk til arabisk, somali og tyrkisk. Kom, som du er.",
       "De unge bad om én indgang i stedet for tre. Jobcenteret holder nu åben rådgivning hver "
       "onsdag i kvarterets bibliotek sammen med uddannelsesvejledningen.", weight=1,
       days=(14, 28)),
    P_("undersoegelse", ("BIF",), ("beskaeftigelse", "socialt"), (5,),
       "Spørgeskema til virksomhederne omkring {place} om praktikpladser",
       "Hvad skal der til, for at flere virksomheder omkring {place} tager en praktikant?",
       "Spørgeskemaet tager fem minutter og er til virksomheder med ansatte i området.",
       "85 virksomheder svarede. Jobcenteret har fået 40 nye praktikpladser og laver en fast "
       "kontaktperson for de mindre virksomheder.", weight=1, days=(21, 35)),
    P_("andet", ("KFF",), ("kultur",), (2,),
       "Åbent hus om det nye bibliotek ved {place}",
       "Kom forbi og se modellerne af det nye bibliotek ved {place}.",
       "Arkitekterne og bibliotekarerne er til stede hele eftermiddagen.",
       "Besøgende ønskede flere stillepladser og længere åbent. Begge dele er med i "
       "byggeprogrammet.", weight=1, days=(7, 14)),
]
# fmt: on


@dataclass(frozen=True)
class PastYear:
    """One calendar year behind the demo, `years_ago` years before today's: how many
    opportunities were published in a full year, the share of the closed ones whose outcome was
    published, and how many signed up for the weekly digest."""

    years_ago: int
    opportunities: int
    outcome_share: float
    subscribers: int


# The year before last, the catalogue's first, had fewer opportunities and fewer outcomes told;
# the report on last year shows the improvement.
PAST_YEARS = (
    PastYear(2, 95, 0.58, 110),
    PastYear(1, 150, 0.78, 170),
    PastYear(0, 150, 0.78, 170),
)
PAST_IMPORTED_SHARE = 0.35  # of the hearings: from the hearing portal
PAST_IMPORT_PREFIX = "BH-"


def past_windows(now: datetime) -> list[tuple[datetime, datetime, int, float]]:
    """(from, to, how many, outcome share) for the publishing dates of each year of PAST_YEARS,
    this year's up to two months ago (the closing dates then lie before now)."""
    today = now.astimezone(COPENHAGEN).date()
    windows = []
    for year in PAST_YEARS:
        first = datetime(today.year - year.years_ago, 1, 5, 9, tzinfo=COPENHAGEN)
        last = min(datetime(first.year, 12, 15, 15, tzinfo=COPENHAGEN), now - timedelta(days=60))
        if last - first >= timedelta(days=20):
            share = (last - first).days / 365
            windows.append((first, last, round(year.opportunities * share), year.outcome_share))
    return windows


def _past_day(rng: random.Random, first: datetime, last: datetime) -> datetime:
    """A weekday morning between `first` and `last`, fewer in July."""
    while True:
        moment = first + (last - first) * rng.random()
        local = moment.astimezone(COPENHAGEN)
        if local.weekday() < 5 and (local.month != 7 or rng.random() < 0.3):
            return _at(moment, rng.choice([9, 10, 11, 13, 14]), rng.randint(0, 59))


def _past_dates(entry: PastEntry, published: datetime, rng: random.Random) -> dict:
    if entry.channel in MEETING_CHANNELS:
        start = _at(published + timedelta(days=rng.randint(*entry.days)), rng.choice([17, 19]))
        return {"start_at": start, "end_at": start + timedelta(hours=2), "deadline": None}
    start = max(published, _at(published + timedelta(days=rng.randint(0, 2)), 8))
    deadline = _at(start + timedelta(days=rng.randint(*entry.days)), 23, 59)
    return {"start_at": start, "end_at": None, "deadline": deadline}


def past_seed(*, now: datetime, seed: int, users: dict[str, User]) -> int:
    """The opportunities and subscribers of the years before the demo's own (see the comment
    above DISTRICT_PLACES); returns how many opportunities. Nothing when they are
    there already (the imported hearings mark them)."""
    if Opportunity.objects.filter(external_id__startswith=PAST_IMPORT_PREFIX).exists():
        return 0
    rng = random.Random(f"{seed}:past")  # noqa: S311 (demo content, not security)
    channels = {c.slug: c.pk for c in Channel.objects.all()}
    departments = dict(Department.objects.values_list("abbreviation", "pk"))
    districts = dict(District.objects.values_list("number", "pk"))
    topics = dict(Topic.objects.values_list("slug", "pk"))
    principles = dict(Principle.objects.values_list("number", "pk"))
    venues: dict[int | None, list[int]] = {}
    for pk, number in Venue.objects.order_by("name").values_list("pk", "district__number"):
        venues.setdefault(number, []).append(pk)
    all_venues = [pk for pks in venues.values() for pk in pks]
    weights = [entry.weight for entry in PAST_ENTRIES]
    used: set[tuple[int, str]] = set()
    rows: list[dict] = []
    links: list[tuple[PastEntry, int]] = []
    imported_n = 0
    for first, last, count, outcome_share in past_windows(now):
        owed = 0.5  # outcomes still to publish: each year's share exactly, spread evenly
        for published in sorted(_past_day(rng, first, last) for _ in range(count)):
            while True:
                index = rng.choices(range(len(PAST_ENTRIES)), weights=weights)[0]
                district = rng.choice(sorted(DISTRICT_PLACES))
                place = rng.choice(DISTRICT_PLACES[district])
                if (index, place) not in used:
                    used.add((index, place))
                    break
            entry = PAST_ENTRIES[index]
            dates = _past_dates(entry, published, rng)
            closes = dates["deadline"] or dates["end_at"]
            title = entry.title.format(place=place)
            summary = entry.summary.format(place=place)
            body = f"{entry.body}\n\n{HOW[entry.channel]}"
            imported = entry.channel == "hoering" and rng.random() < PAST_IMPORTED_SHARE
            withdrawn = None
            if imported and imported_n % 9 == 4:  # every ninth import the portal took back
                withdrawn = dates["start_at"] + (closes - dates["start_at"]) * rng.uniform(0.2, 0.6)
            outcome_at = None
            owed += outcome_share if withdrawn is None else 0
            if owed >= 1:
                owed -= 1
                outcome_at = _at(
                    closes + timedelta(days=rng.randint(14, 75)), 10, rng.randint(0, 59)
                )
                if outcome_at > now - timedelta(days=1):
                    outcome_at = None
            first_department = "TMF" if imported else entry.departments[0]
            contact_name, contact_email, contact_phone = rng.choice(CONTACTS[first_department])
            row = {
                "channel_id": channels[entry.channel],
                "title": title,
                "slug": _slug(title),
                "summary": summary,
                "body": body,
                "language": "da",
                **dates,
                "venue_id": rng.choice(venues.get(district) or all_venues)
                if entry.channel in MEETING_CHANNELS | {"andet"}
                else None,
                "contact_name": contact_name,
                "contact_email": contact_email,
                "contact_phone": contact_phone,
                "participation_url": "https://blivhoert.kk.dk"
                if entry.channel == "hoering"
                else "",
                "is_published": True,
                "published_at": published,
                "withdrawn_at": withdrawn,
                "outcome": entry.outcome if outcome_at else "",
                "outcome_published_at": outcome_at,
                "created_by": None if imported else users.get(first_department),
            }
            if imported:
                imported_n += 1
                external = f"{PAST_IMPORT_PREFIX}{published.year}-{imported_n:03d}"
                url = f"https://blivhoert.kk.dk/hearing/{external}"
                row.update(source=Opportunity.Source.OS2AGORA, external_id=external,
                           external_url=url, participation_url=url)  # fmt: skip
            if row["venue_id"]:
                row["accessibility"] = (
                    "Der er trinfri adgang og handicaptoilet. Sig til, hvis du har brug for "
                    "teleslynge."
                )
            rows.append(row)
            links.append((entry, district))
    if not rows:
        return 0
    stems: dict[str, str] = {}
    objects = []
    for row in rows:
        if row["title"] not in stems:
            stems[row["title"]] = search.stems_for(
                title=row["title"], summary=row["summary"], body=row["body"]
            )
        objects.append(Opportunity(**row, search_stems=stems[row["title"]]))
    objects = Opportunity.objects.bulk_create(objects, batch_size=500)
    through = []
    for opportunity, (entry, district) in zip(objects, links, strict=True):
        owners = (
            ("TMF",) if opportunity.source == Opportunity.Source.OS2AGORA else entry.departments
        )
        through += [("departments", opportunity.pk, departments[a]) for a in owners]
        through.append(("districts", opportunity.pk, districts[district]))
        through += [("topics", opportunity.pk, topics[s]) for s in entry.topics if s in topics]
        through += [("principles", opportunity.pk, principles[n]) for n in entry.principles]
    for name, field in (("departments", "department"), ("districts", "district"),
                        ("topics", "topic"), ("principles", "principle")):  # fmt: skip
        model = getattr(Opportunity, name).through
        model.objects.bulk_create(
            [model(opportunity_id=pk, **{f"{field}_id": other})
             for kind, pk, other in through if kind == name],
            batch_size=1000,
        )  # fmt: skip
    _past_changes(objects, rng)
    _past_subscribers(now, rng)
    return len(objects)


def _past_changes(objects: list[Opportunity], rng: random.Random) -> None:
    """The audit trail as the staff and the importer left it, and the rows' own timestamps."""
    Action = OpportunityChange.Action
    changes = []
    for o in objects:
        if o.source == Opportunity.Source.OS2AGORA:
            changes.append(OpportunityChange(opportunity=o, at=o.published_at, action=Action.IMPORTED,
                                             changes={"title": [None, o.title]}))  # fmt: skip
            if o.withdrawn_at:
                changes.append(OpportunityChange(
                    opportunity=o, at=o.withdrawn_at, action=Action.WITHDRAWN,
                    changes={"withdrawn_at": [None, o.withdrawn_at.isoformat()]}))  # fmt: skip
            if o.outcome_published_at:
                changes.append(OpportunityChange(
                    opportunity=o, at=o.outcome_published_at, action=Action.IMPORTED,
                    changes={"outcome": ["", o.outcome[:299]]}))  # fmt: skip
            continue
        created = o.published_at - timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5))
        changes.append(OpportunityChange(opportunity=o, at=created, by=o.created_by,
                                         action=Action.CREATED))  # fmt: skip
        changes.append(OpportunityChange(opportunity=o, at=o.published_at, by=o.created_by,
                                         action=Action.PUBLISHED))  # fmt: skip
        if o.outcome_published_at:
            changes.append(OpportunityChange(opportunity=o, at=o.outcome_published_at,
                                             by=o.created_by, action=Action.OUTCOME))  # fmt: skip
    OpportunityChange.objects.bulk_create(changes, batch_size=1000)
    Opportunity.objects.filter(pk__in=[o.pk for o in objects]).update(
        created_at=F("published_at") - timedelta(days=2),
        updated_at=Coalesce("outcome_published_at", "withdrawn_at", "published_at"),
    )


SUBSCRIBER_NAMES = (
    ["mette", "anders", "sofie", "lars", "fatima", "jonas", "karen", "ali", "ida", "peter",
     "maja", "henrik", "nadia", "mikkel", "birthe", "omar", "emma", "søren", "line", "kasper"],
    ["hansen", "nielsen", "jensen", "larsen", "pedersen", "andersen", "holm", "berg", "demir",
     "khan", "lund", "møller", "dahl", "friis", "madsen"],
)  # fmt: skip


CONFIRMATION_MINUTES = (2, 6, 25, 140, 900)


def _past_subscribers(now: datetime, rng: random.Random) -> None:
    """Confirmed subscribers of the weekly digest from the start of the year before last until
    last week (PAST_YEARS), with their choices; each got its latest digest in the last few
    days."""
    today = now.astimezone(COPENHAGEN).date()
    created = []
    for year in PAST_YEARS:
        first = datetime(today.year - year.years_ago, 1, 3, tzinfo=COPENHAGEN)
        last = min(datetime(first.year + 1, 1, 3, tzinfo=COPENHAGEN), now - timedelta(days=2))
        count = round(year.subscribers * max((last - first).days, 0) / 365)
        created += sorted(first + (last - first) * rng.random() for _ in range(count))
    district_ids = list(District.objects.values_list("pk", flat=True))
    topic_ids = list(Topic.objects.values_list("pk", flat=True))
    channel_ids = list(Channel.objects.values_list("pk", flat=True))
    # Minutes from signing up to following the link in the mail.
    delays = [rng.choice(CONFIRMATION_MINUTES) for _ in created]
    subscriptions, choices = [], []
    for n, (moment, delay) in enumerate(zip(created, delays, strict=True)):
        name = f"{rng.choice(SUBSCRIBER_NAMES[0])}.{rng.choice(SUBSCRIBER_NAMES[1])}"
        name = name.replace("ø", "oe").replace("æ", "ae").replace("å", "aa")
        confirmed = moment + timedelta(minutes=delay)
        subscriptions.append(
            Subscription(
                email=f"{name}{n % 97 + 1}@example.org",
                language="en" if rng.random() < 0.08 else "da",
                confirmed_at=confirmed,
                last_digest_at=max(confirmed, now - timedelta(days=rng.uniform(0.5, 5))),
            )
        )
        choices.append((
            rng.sample(district_ids, rng.choice([0, 1, 1, 1, 2])),
            rng.sample(topic_ids, rng.choice([0, 1, 2, 3])),
            rng.sample(channel_ids, rng.choice([0, 0, 0, 1, 2])),
        ))  # fmt: skip
    subscriptions = Subscription.objects.bulk_create(subscriptions, batch_size=500)
    for name, field, index in (("districts", "district", 0), ("topics", "topic", 1),
                               ("channels", "channel", 2)):  # fmt: skip
        model = getattr(Subscription, name).through
        model.objects.bulk_create(
            [model(subscription_id=s.pk, **{f"{field}_id": pk})
             for s, picked in zip(subscriptions, choices, strict=True) for pk in picked[index]],
            batch_size=1000,
        )  # fmt: skip
    # created_at is set on insert (auto_now_add): put it back to when each signed up.
    for delay in CONFIRMATION_MINUTES:
        Subscription.objects.filter(
            pk__in=[s.pk for s, d in zip(subscriptions, delays, strict=True) if d == delay]
        ).update(created_at=F("confirmed_at") - timedelta(minutes=delay))


# --- synthetic opportunities for benchmarks ----------------------------------------------------

PLACES = [
    "Nørrebrogade", "Amagerbrogade", "Istedgade", "Valby Langgade", "Frederikssundsvej",
    "Østerbrogade", "Jagtvej", "Tagensvej", "Vesterbrogade", "Enghavevej", "Gammel Køge Landevej",
    "Jernbane Allé", "Brønshøjvej", "Tomsgårdsvej", "Øresundsvej", "Njalsgade", "Strandvejen",
    "Folehaven", "Sjælør Boulevard", "Nordre Fasanvej", "Rentemestervej", "Husumgade",
    "Blågårds Plads", "Israels Plads", "Enghave Plads", "Halmtorvet", "Sundholmsvej",
    "Bispebjerg Bakke", "Tingbjerg", "Ørestad Syd", "Nordhavn", "Sydhavnen", "Islands Brygge",
    "Christianshavn", "Kongens Enghave", "Vigerslev", "Utterslev Mose", "Emdrup", "Kastrup Fort",
    "Amager Fælled",
]  # fmt: skip

# Per channel: (title, summary, body) with {place}; topics; principles.
TEMPLATES: dict[str, list[tuple[str, str, str]]] = {
    "hoering": [
        ("Forslag til lokalplan for {place}", "Planen giver mulighed for nye boliger og et "
         "grønt byrum ved {place}.", "Lokalplanen fastlægger bygningshøjder, friarealer og "
         "trafik. Send dit høringssvar, før Borgerrepræsentationen beslutter planen."),
        ("Ny cykelsti på {place}", "Kommunen foreslår en bredere cykelsti og færre "
         "parkeringspladser på {place}.", "Cykelstien skal gøre det tryggere at cykle til skole "
         "og arbejde. Parkeringen flyttes til sidegaderne."),
        ("Trafiksikkerhed ved skolerne omkring {place}", "Forslag om hævede flader og lavere "
         "hastighed ved skolerne.", "Forslaget bygger på skolernes trafikpolitikker og "
         "forældrenes ønsker."),
    ],
    "borgermoede": [
        ("Borgermøde om fremtiden for {place}", "Kom og hør om planerne for {place}, og stil "
         "spørgsmål til politikerne.", "Mødet er åbent for alle. Der er kaffe og mulighed for at "
         "tale med planlæggerne bagefter."),
        ("Dialogmøde om tryghed omkring {place}", "Politi, kommune og naboer drøfter tryghed og "
         "belysning.", "Mødet sluttes af med en fælles gåtur i området."),
    ],
    "workshop": [
        ("Workshop: et nyt byrum ved {place}", "Tegn og byg modeller af det byrum, du ønsker dig.",
         "Landskabsarkitekterne tager idéerne med i skitseforslaget."),
    ],
    "lokaludvalg": [
        ("Lokaludvalget: åbent møde om {place}", "Lokaludvalget drøfter planerne for {place} og "
         "har borgertid.", "Dagsordenen offentliggøres en uge før mødet."),
    ],
    "pulje": [
        ("Pulje til grønne gårde omkring {place}", "Foreninger kan søge tilskud til beplantning "
         "og regnvandsløsninger.", "Puljen dækker op til halvdelen af udgifterne."),
        ("Lokalpulje til fællesskaber ved {place}", "Støtte til arrangementer, der samler "
         "naboerne.", "Både foreninger og private initiativtagere kan søge."),
    ],
    "borgerpanel": [
        ("Borgerpanelet om livet omkring {place}", "Svar på spørgsmål om trafik, grønne områder og "
         "tryghed.", "Undersøgelsen tager omkring 10 minutter."),
    ],
    "koebenhavnerforslag": [
        ("Københavnerforslag: bilfri søndage på {place}", "Forslagsstilleren ønsker bilfri "
         "søndage om sommeren.", "Et forslag med 1.000 støtter behandles af "
         "Borgerrepræsentationen."),
        ("Københavnerforslag: sikker cykelsti langs {place}", "Forslaget ønsker en adskilt "
         "cykelsti hele vejen.", "Forslaget er stillet af forældre fra de lokale skoler."),
    ],
    "borgersamling": [
        ("Borgersamling om udviklingen af {place}", "Tilfældigt udvalgte borgere giver "
         "anbefalinger om området.", "Samlingen mødes fire lørdage og hører eksperter."),
    ],
    "frivillig": [
        ("Frivillig affaldsindsamling ved {place}", "Saml affald sammen med naboerne.", "Vi "
         "sørger for handsker, sække og en fælles frokost."),
        ("Bliv besøgsven omkring {place}", "Giv en time om ugen til en ældre nabo.", "Du får et "
         "introduktionskursus og en fast kontaktperson."),
    ],
    "undersoegelse": [
        ("Undersøgelse om cykelparkering ved {place}", "Hvor mangler der cykelparkering?", "Svarene "
         "bruges i planlægningen af nye stativer."),
    ],
    "andet": [
        ("Åbent hus om planerne for {place}", "Kom forbi og se modellerne.", "Planlæggerne er til "
         "stede hele eftermiddagen."),
    ],
}  # fmt: skip

STATUSES = ["upcoming", "open", "open", "soon", "closed", "closed", "outcome"]
OUTCOME = "Forslaget er vedtaget med ændringer efter dialogen. Læs svaret til de deltagende."


def _insert(model: type[Model], rows: list[dict], *, with_ids: bool = False) -> list[int]:
    """Insert many rows at once: COPY on PostgreSQL, bulk_create elsewhere.

    COPY skips building a model instance per row, which is most of bulk_create's cost at 100,000
    rows and their 500,000 many-to-many rows. Ids are drawn from the table's sequence first, so
    the many-to-many rows can point at them.
    """
    if not rows:
        return []
    if connection.vendor != "postgresql":
        created = model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
        return [obj.pk for obj in created]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    table = model._meta.db_table
    columns = [connection.ops.quote_name(f.column) for f in fields]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if with_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            columns.insert(0, "id")
        sql = f"COPY {connection.ops.quote_name(table)} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for index, row in enumerate(rows):
                values = [row[f.attname] for f in fields]
                copy.write_row([ids[index], *values] if with_ids else values)
    return ids


def bulk_seed(
    count: int, *, seed: int = 2025, now: datetime | None = None, batch_size: int = 10000
) -> Iterator[int]:
    """Create `count` synthetic published opportunities in batches; yields the running total.

    Fast on purpose: bulk inserts for the rows and for the many-to-many through tables, and the
    search stems computed once per distinct text (titles repeat across places and channels).
    """
    now = now or timezone.now()
    rng = random.Random(seed)  # noqa: S311 (demo content, not security)
    channels = list(Channel.objects.values_list("slug", "pk"))
    channel_ids = dict(channels)
    slugs = [slug for slug, _ in channels if slug in TEMPLATES]
    department_ids = list(Department.objects.values_list("pk", flat=True))
    district_ids = list(District.objects.values_list("pk", flat=True))
    topic_ids = list(Topic.objects.values_list("pk", flat=True))
    principle_ids = list(Principle.objects.values_list("pk", flat=True))
    venue_ids = list(Venue.objects.values_list("pk", flat=True))
    texts: dict[tuple[str, str], tuple[str, str, str, str, str]] = {}
    through = {
        "department": (Opportunity.departments.through, department_ids, [1, 1, 1, 2]),
        "district": (Opportunity.districts.through, district_ids, [0, 1, 1, 1, 2]),
        "topic": (Opportunity.topics.through, topic_ids, [1, 1, 2]),
        "principle": (Opportunity.principles.through, principle_ids, [1, 2]),
    }
    # Every column once, with its default; each row then overrides what it sets.
    blank = {
        f.attname: f.get_default()
        for f in Opportunity._meta.concrete_fields
        if not f.primary_key and not f.generated
    }
    blank |= {"created_at": now, "updated_at": now, "language": "da", "is_published": True}
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        rows = []
        for _ in range(size):
            channel = rng.choice(slugs)
            template = rng.randrange(len(TEMPLATES[channel]))
            place = rng.choice(PLACES)
            key = (f"{channel}:{template}", place)
            if key not in texts:
                title, summary, body = (
                    part.format(place=place) for part in TEMPLATES[channel][template]
                )
                body = f"{body}\n\n{HOW[channel]}"
                stemmed = search.stems_for(title=title, summary=summary, body=body)
                texts[key] = (title, _slug(title), summary, body, stemmed)
            title, slug, summary, body, stemmed = texts[key]
            status = rng.choice(STATUSES)
            dates = _dates(channel, status, now, rng)
            closes = dates["deadline"] or dates["end_at"] or dates["start_at"]
            outcome_at = None
            if status == "outcome":
                outcome_at = min(closes + timedelta(days=rng.randint(10, 30)), now)
            rows.append(
                blank
                | dates
                | {
                    "channel_id": channel_ids[channel],
                    "title": title,
                    "slug": slug,
                    "summary": summary,
                    "body": body,
                    "venue_id": rng.choice(venue_ids) if channel in MEETING_CHANNELS else None,
                    "contact_name": "Lars Larsen",
                    "contact_email": "dialog@kk.dk",
                    "published_at": min(dates["start_at"], now)
                    - timedelta(days=rng.randint(1, 14)),
                    "outcome": OUTCOME if outcome_at else "",
                    "outcome_published_at": outcome_at,
                    "search_stems": stemmed,
                }
            )
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Generated data: waiting for each batch to reach the disk buys nothing.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            ids = _insert(Opportunity, rows, with_ids=True)
            for name, (model, choices, how_many) in through.items():
                links = [
                    {"opportunity_id": pk, f"{name}_id": other}
                    for pk in ids
                    for other in rng.sample(choices, rng.choice(how_many))
                ]
                _insert(model, links)
        done += size
        if done == count and connection.vendor == "postgresql":
            # Without fresh statistics the planner takes 100,000 new rows for a handful.
            tables = [Opportunity._meta.db_table] + [m._meta.db_table for m, *_ in through.values()]
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        yield done
