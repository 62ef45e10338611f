"""Demo content for the knowledge site: dialogue consultants for every department and realistic
Danish entries of every kind, covering all five principles (called by `manage.py seed_demo`).

The projects and people are invented but shaped like the city's real work: places, departments and
methods are real, numbers plausible. A few entries are past their review date, so the out-of-date
list has something to show, and some are drafts or await review. Idempotent: nothing is added when
entries exist already, and consultants are matched by username.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from sammen.accounts.models import Role, RoleAssignment, User
from sammen.core.models import Department, District, Principle, Topic
from sammen.core.workdays import COPENHAGEN
from sammen.knowledge import services
from sammen.knowledge.models import ConsultantProfile, Entry, EntryVersion, Kind, Status

# (username, first name, last name, department, title, phone, expertise)
CONSULTANTS = [
    ("konsulent-okf", "Mads", "Mikkelsen", "ØKF", "Chefkonsulent, Center for Byudvikling",
     "33 66 21 40", "Budgetinddragelse\nTværgående dialog\nKøbenhavnerforslag\nBorgerpaneler"),
    ("konsulent-kff", "Louise", "Lund", "KFF", "Specialkonsulent, Kulturhuse og biblioteker",
     "33 66 41 22", "Kulturhuse som mødested\nForeninger og frivillige\nEvents og festivaler"),
    ("konsulent-buf", "Yasmin", "Yilmaz", "BUF", "Dialogkonsulent, Børne- og Ungdomsforvaltningen",
     "33 66 31 18", "Børn og unge\nUngeråd og elevråd\nSkoler og dagtilbud\nForældredialog"),
    ("konsulent-suf", "Henrik", "Holm", "SUF", "Specialkonsulent, Sundhed og Omsorg",
     "33 66 51 09", "Ældre borgere\nPårørende\nSundhedshuse\nTilgængelighed"),
    ("konsulent-sof", "Fatima", "Farah", "SOF", "Fuldmægtig, Socialt udsatte og boligområder",
     "33 66 61 77", "Udsatte boligområder\nBorgere med handicap\nTolkning og oversættelse"),
    ("konsulent-tmf", "Thomas", "Thygesen", "TMF", "Borgerinddragelseskonsulent, Byens Udvikling",
     "33 66 34 50", "Lokalplaner\nTrafik og byrum\nKlimatilpasning\nDigitale høringer"),
    ("konsulent-bif", "Amira", "Ahmadi", "BIF", "Dialogkonsulent, Integration og Beskæftigelse",
     "33 66 71 33", "Ikke-dansktalende borgere\nNytilkomne\nVirksomheder\nBrobyggere"),
]  # fmt: skip

# The demo TMF consultant made by the accounts demo ("konsulent") also gets a profile.
ACCOUNTS_CONSULTANT = ("konsulent", "Dialogkonsulent, Teknik- og Miljøforvaltningen", "33 66 34 00",
                       "Børn og unge i byrummet\nWalk-and-talk\nLokalplaner\nUngepaneler")  # fmt: skip

# Each entry: kind, title, summary, body, principles, departments, topics, target groups, extra
# fields, and demo state: status, months since publishing (or `published_in`: years before
# today's and month, for the first entries, published the year before last whatever the date),
# and whether it is overdue for review.
ENTRIES: list[dict[str, Any]] = [
    # --- methods and tools ---
    {
        "kind": Kind.METHOD,
        "title": "Walk-and-talk med unge i nærområdet",
        "summary": "Gå en tur med 6-10 unge gennem deres kvarter og lad dem vise, hvor de "
        "føler sig trygge, keder sig eller savner noget.",
        "body": "Unge kommer sjældent til borgermøder, men de kender deres kvarter bedre end de "
        "fleste. En walk-and-talk flytter samtalen ud, hvor de unge allerede er, og gør dem til "
        "guider i stedet for tilhørere.\n\nMetoden virker især tidligt i et projekt, før der "
        "ligger en tegning, fordi de unges ruter og steder kan ændre, hvad der skal tegnes.",
        "purpose": "At få unges viden om deres eget nærområde ind tidligt i et byudviklingsprojekt.",
        "when_to_use": "Før skitsering af en plads, en park eller en gade, hvor unge færdes.",
        "steps": "1. Lav aftale med en klub, skole eller gadeplansmedarbejder, som kender de unge.\n"
        "2. Lad de unge vælge ruten (højst 1,5 km).\n3. Stop 4-6 steder og stil to spørgsmål: "
        "*Hvad gør du her?* og *Hvad mangler?*\n4. Tag billeder og noter på et kort.\n"
        "5. Afslut med pizza og fortæl, hvornår de hører fra jer igen.",
        "duration": "2 timer plus 1 times forberedelse",
        "cost": "Ca. 1.500 kr. til forplejning",
        "participant_count": "6-10 unge",
        "participant_kind": "Unge 13-19 år",
        "best_principle": 5,
        "pitfalls": "Glem ikke at melde tilbage. Unge, der aldrig hører "
        "noget, kommer ikke igen. Undgå at lade en voksen fra kommunen styre ruten.",
        "principles": [2, 4, 5],
        "departments": ["TMF", "BUF"],
        "topics": ["boern-unge", "byudvikling"],
        "target_groups": ["young", "hard_to_reach"],
        "owner": "konsulent",
        "months": 8,
    },
    {
        "kind": Kind.METHOD,
        "title": "Ungepanel på Instagram og Snapchat",
        "summary": "Et fast panel af 30-50 unge, som svarer på korte spørgsmål i de kanaler, de "
        "allerede bruger, i løbet af et skoleår.",
        "body": "Mange unge svarer hellere på tre hurtige spørgsmål på telefonen end på et "
        "spørgeskema på 15 minutter. Et ungepanel giver en stabil gruppe, som man kan vende "
        "tilbage til flere gange.",
        "purpose": "At høre unges holdning hurtigt og flere gange i løbet af et projekt.",
        "when_to_use": "Når man har brug for løbende sparring fra unge, f.eks. om fritidstilbud.",
        "steps": "1. Rekruttér via skoler, klubber og Ungdommens Uddannelsesvejledning.\n"
        "2. Indhent samtykke (forældre under 15 år).\n3. Send højst ét spørgsmål om ugen.\n"
        "4. Del resultatet med panelet inden for to uger.",
        "duration": "Et skoleår",
        "cost": "Gavekort 200 kr. pr. deltager",
        "participant_count": "30-50 unge",
        "participant_kind": "Unge 15-24 år",
        "best_principle": 4,
        "pitfalls": "Husk databeskyttelse: brug kommunens godkendte "
        "værktøjer, ikke private profiler. Panelet bliver skævt, hvis man kun rekrutterer via "
        "gymnasier.",
        "principles": [4, 5],
        "departments": ["BUF", "KFF"],
        "topics": ["boern-unge", "idraet"],
        "target_groups": ["young"],
        "owner": "konsulent-buf",
        "months": 14,
        "stale": True,
    },
    {
        "kind": Kind.METHOD,
        "title": "Pop-up-dialog på torvet",
        "summary": "En bod med kaffe, et stort kort og tre spørgsmål, der står, hvor folk "
        "alligevel kommer forbi: torvet, biblioteket eller indkøbscentret.",
        "body": "Pop-up-dialog når borgere, som aldrig ville melde sig til et møde. Samtalerne er "
        "korte, men mange, og de giver et bredt billede af holdninger i området.",
        "purpose": "At nå mange og andre borgere end dem, der kommer til borgermøder.",
        "when_to_use": "Tidligt i en proces, når man vil kende ønsker og bekymringer bredt.",
        "steps": "1. Vælg sted og tidspunkt efter hvem I vil møde (lørdag formiddag: familier).\n"
        "2. Medbring et stort kort, post-its og tre åbne spørgsmål.\n3. Vær mindst to, gerne "
        "én, der taler flere sprog.\n4. Skriv svarene ned med det samme.",
        "duration": "3-4 timer pr. gang",
        "cost": "Ca. 3.000 kr. (telt, kaffe, materialer)",
        "participant_count": "50-200 korte samtaler",
        "participant_kind": "Alle forbipasserende",
        "best_principle": 5,
        "pitfalls": "Lad være med at stille ja/nej-spørgsmål. Sig tydeligt, "
        "hvad der kan ændres, og hvad der er besluttet.",
        "principles": [2, 5],
        "departments": ["TMF", "KFF"],
        "topics": ["byudvikling", "kultur"],
        "target_groups": ["everyone", "hard_to_reach"],
        "owner": "konsulent-tmf",
        "published_in": (2, 8),  # the knowledge base's first year
        "stale": True,
    },
    {
        "kind": Kind.METHOD,
        "title": "Borgersamling: et lodtrukket panel",
        "summary": "25-40 lodtrukne københavnere mødes over flere weekender, hører eksperter og "
        "giver samlede anbefalinger til politikerne.",
        "body": "En borgersamling giver plads til grundig overvejelse af et svært emne. "
        "Deltagerne trækkes ved lodtrækning og sammensættes, så de ligner byen på alder, køn, "
        "bydel og uddannelse.",
        "purpose": "At få velovervejede anbefalinger fra et udsnit af borgerne om et svært emne.",
        "when_to_use": "Ved dilemmaer uden et rigtigt svar, f.eks. klimatilpasning eller "
        "prioritering i budgettet.",
        "steps": "1. Få et politisk mandat: hvad sker der med anbefalingerne?\n2. Lodtræk 2.000 "
        "invitationer via CPR og sammensæt panelet.\n3. Hold 3-4 mødedage med oplæg, "
        "spørgsmål og drøftelser.\n4. Aflever anbefalingerne til udvalget.\n5. Politikerne "
        "svarer skriftligt på hver anbefaling.",
        "duration": "3-6 måneder",
        "cost": "300.000-800.000 kr.",
        "participant_count": "25-40",
        "participant_kind": "Lodtrukne borgere over 16 år",
        "best_principle": 1,
        "pitfalls": "Uden et klart mandat bliver deltagerne skuffede. "
        "Betal diæter, ellers kommer kun de mest ressourcestærke.",
        "principles": [1, 3, 5],
        "departments": ["ØKF"],
        "topics": ["demokrati", "klima-miljoe"],
        "target_groups": ["everyone"],
        "owner": "konsulent-okf",
        "months": 6,
    },
    {
        "kind": Kind.METHOD,
        "title": "Dialog med tolk og brobyggere",
        "summary": "Små samtalegrupper på modersmålet med en brobygger fra lokalområdet, så "
        "borgere, der ikke taler dansk, kan være med på lige fod.",
        "body": "Sprog er ofte den største barriere for at deltage. Brobyggere er lokale "
        "ressourcepersoner, som kender både sproget og kvarteret, og som borgerne har tillid til.",
        "purpose": "At inddrage borgere, der ikke taler dansk, med deres egne ord.",
        "when_to_use": "Når et projekt berører et område med mange nytilkomne eller ældre "
        "indvandrere.",
        "steps": "1. Kontakt BIF's brobyggere eller den boligsociale helhedsplan.\n2. Hold mødet "
        "et sted, folk kender: beboerhuset, moskéen, sprogskolen.\n3. Brug billeder og kort "
        "frem for tekst.\n4. Oversæt tilbagemeldingen.",
        "duration": "1,5 time pr. gruppe",
        "cost": "Tolk ca. 600 kr. i timen",
        "participant_count": "6-12 pr. gruppe",
        "participant_kind": "Ikke-dansktalende borgere",
        "best_principle": 5,
        "pitfalls": "Brug ikke børn som tolke. Afsæt dobbelt så lang tid som til et møde på dansk.",
        "principles": [5],
        "departments": ["BIF", "SOF"],
        "topics": ["beskaeftigelse", "socialt"],
        "target_groups": ["non_danish", "hard_to_reach"],
        "owner": "konsulent-bif",
        "months": 10,
    },
    {
        "kind": Kind.METHOD,
        "title": "Fremtidsværksted",
        "summary": "Et værksted i tre faser: kritik, fantasi og virkeliggørelse. Godt til at "
        "vende frustration til konkrete idéer.",
        "body": "Fremtidsværkstedet er en klassisk dansk metode fra 1980'erne. Den giver plads "
        "til at sige, hvad der er galt, før man går videre til drømme og konkrete forslag.",
        "purpose": "At samle ønsker og idéer til et områdes fremtid.",
        "when_to_use": "Når et område skal fornyes, og der er både utilfredshed og engagement.",
        "steps": "1. Kritikfase: hvad er problemet? (30 min)\n2. Fantasifase: hvis alt var "
        "muligt? (45 min)\n3. Virkeliggørelse: hvad kan vi starte med? (45 min)\n"
        "4. Saml forslagene og send dem til deltagerne.",
        "duration": "3 timer",
        "cost": "Lokale og forplejning, ca. 5.000 kr.",
        "participant_count": "15-40",
        "participant_kind": "Beboere, foreninger, erhvervsliv",
        "best_principle": 4,
        "pitfalls": "Fantasifasen kan skabe forventninger, kommunen ikke kan "
        "indfri: sig tydeligt, hvad rammerne er.",
        "principles": [2, 4],
        "departments": ["TMF"],
        "topics": ["byudvikling", "groen-by"],
        "target_groups": ["residents", "associations"],
        "owner": "tmf",
        "months": 16,
    },
    {
        "kind": Kind.METHOD,
        "title": "Hjemmebesøg og telefonsamtaler med ældre",
        "summary": "Korte, planlagte samtaler i hjemmet eller over telefonen med ældre, der ikke "
        "kommer ud til møder.",
        "body": "Mange ældre borgere har både tid og holdninger, men kan ikke komme hen til et "
        "møde om aftenen. Samtalen kommer til dem.",
        "purpose": "At høre ældre borgere, som ikke kan eller vil møde op.",
        "when_to_use": "Ved ændringer i ældreservice, aktivitetscentre eller nærmiljø.",
        "steps": "1. Find deltagere via hjemmeplejen, aktivitetscentre og Ældrerådet.\n2. Ring "
        "og aftal tid; send et brev med navn og foto på den, der kommer.\n3. Hold samtalen på "
        "højst 45 minutter.\n4. Send et brev med, hvad I hørte, og hvad der skete.",
        "duration": "45 min pr. samtale",
        "cost": "Primært medarbejdertid",
        "participant_count": "10-20",
        "participant_kind": "Ældre over 75 år",
        "best_principle": 5,
        "pitfalls": "Husk, at nogle ældre ikke bruger digital post: send "
        "tilbagemeldingen med almindelig post.",
        "principles": [5, 3],
        "departments": ["SUF"],
        "topics": ["aeldre", "sundhed"],
        "target_groups": ["older", "disability"],
        "owner": "konsulent-suf",
        "months": 4,
    },
    {
        "kind": Kind.METHOD,
        "title": "Digital høring med kort",
        "summary": "Borgerne sætter en nål på et kort og skriver en kommentar: lav tærskel og "
        "præcise svar om steder.",
        "body": "Et kortbaseret spørgeskema gør det nemt at sige noget om et bestemt sted. Det "
        "supplerer den formelle høring på Bliv hørt.",
        "purpose": "At få stedspecifikke input fra mange borgere.",
        "when_to_use": "Ved trafikplaner, cykelstier, parker og tryghedsvandringer.",
        "steps": "1. Vælg kommunens godkendte kortværktøj.\n2. Stil højst tre spørgsmål.\n"
        "3. Annoncér på plakater med QR-kode i området.\n4. Offentliggør et kort med alle "
        "input og kommunens svar.",
        "duration": "3-6 uger",
        "cost": "Licens og annoncering, ca. 10.000 kr.",
        "participant_count": "200-2.000",
        "participant_kind": "Alle med en smartphone eller pc",
        "best_principle": 3,
        "pitfalls": "Når ikke dem uden digitale færdigheder: kombinér med pop-up-dialog.",
        "principles": [3, 4],
        "departments": ["TMF"],
        "topics": ["trafik"],
        "target_groups": ["everyone"],
        "owner": "konsulent",
        "months": 3,
    },
    {
        "kind": Kind.METHOD,
        "title": "Dialogkort til første møde med et lokaludvalg",
        "summary": "Et sæt spørgsmålskort, der hjælper en projektleder med at planlægge dialogen "
        "sammen med lokaludvalget fra starten.",
        "body": "Kortene dækker de fem principper og får projektlederen til at svare på: hvem "
        "berøres, hvad kan ændres, og hvordan melder vi tilbage?",
        "purpose": "At planlægge dialogen tidligt sammen med lokaludvalget.",
        "when_to_use": "I projektets idéfase, før tidsplanen ligger fast.",
        "steps": "1. Print kortene (se bilag).\n2. Gennemgå ét kort pr. princip.\n3. Skriv "
        "svarene i en dialogplan på én side.",
        "duration": "1 time",
        "cost": "Ingen",
        "participant_count": "3-8",
        "participant_kind": "Projektgruppe og lokaludvalg",
        "best_principle": 1,
        "pitfalls": "Kortene er ikke en tjekliste: brug dem til samtale.",
        "principles": [1, 2, 3],
        "departments": [],
        "topics": ["demokrati"],
        "target_groups": ["staff", "associations"],
        "owner": "koordinator",
        "months": 2,
    },
    # --- dialogue examples ---
    {
        "kind": Kind.EXAMPLE,
        "title": "Unge tegnede den nye skatepark på Nørrebro",
        "summary": "42 unge fra Mjølnerparken og omegn var med til at tegne skateparken i "
        "Nørrebroparken, fra første skitse til indvielsen.",
        "body": "Projektet startede med en walk-and-talk med klubben og en åben "
        "skateworkshop. De unge tegnede selv forhindringerne sammen med landskabsarkitekten.",
        "district": 3,
        "period": (2023, 3, 2024, 6),
        "method_used": "Walk-and-talk med unge i nærområdet",
        "reached": "Unge 12-19 år fra Nørrebro, især fra Mjølnerparken. Mange havde aldrig "
        "deltaget i noget kommunalt før.",
        "reached_count": 42,
        "outcome": "Skateparken blev bygget efter de unges tegning med to ændringer for "
        "sikkerhedens skyld. Den blev indviet i juni 2024, og de unge holder selv "
        "skatekurser for de yngste.",
        "lessons": "At de unge kunne se deres egne streger i den endelige tegning, gjorde hele "
        "forskellen. Klubmedarbejderne var nøglen til at nå dem.",
        "principles": [4, 5],
        "departments": ["TMF", "BUF"],
        "topics": ["boern-unge", "idraet"],
        "target_groups": ["young", "hard_to_reach"],
        "owner": "konsulent",
        "months": 7,
        "public": True,
    },
    {
        "kind": Kind.EXAMPLE,
        "title": "Klimaborgersamling om skybrudssikring",
        "summary": "36 lodtrukne københavnere gav 14 anbefalinger om, hvordan byen skal "
        "prioritere mellem regnvandsløsninger og byrum.",
        "body": "Borgersamlingen mødtes fire lørdage og hørte oplæg fra HOFOR, forskere og "
        "lokale foreninger.",
        "district": None,
        "period": (2023, 9, 2023, 12),
        "method_used": "Borgersamling: et lodtrukket panel",
        "reached": "36 lodtrukne borgere fra alle bydele, 17-81 år.",
        "reached_count": 36,
        "outcome": "Teknik- og Miljøudvalget vedtog 11 af de 14 anbefalinger og svarede "
        "skriftligt på alle. Grønne regnvandsløsninger prioriteres nu i skolegårde.",
        "lessons": "Diæter og børnepasning gjorde panelet bredere. Det politiske svar på hver "
        "anbefaling var afgørende for tilliden.",
        "principles": [1, 3, 5],
        "departments": ["TMF", "ØKF"],
        "topics": ["klima-miljoe"],
        "target_groups": ["everyone"],
        "owner": "konsulent-okf",
        "months": 11,
        "public": True,
    },
    {
        "kind": Kind.EXAMPLE,
        "title": "Tryghedsvandring i Tingbjerg med beboere på fem sprog",
        "summary": "Beboere, boligsociale medarbejdere og politiet gik Tingbjerg igennem om "
        "aftenen og pegede på utrygge steder.",
        "body": "Vandringen blev annonceret på dansk, arabisk, somali, tyrkisk og urdu, og "
        "brobyggere gik med som tolke.",
        "district": 7,
        "period": (2024, 2, 2024, 2),
        "method_used": "Dialog med tolk og brobyggere",
        "reached": "Beboere i Tingbjerg, heraf mange kvinder, som ikke tidligere havde deltaget.",
        "reached_count": 64,
        "outcome": "Ni steder fik bedre belysning, og en sti blev ryddet for buske. Beboerne "
        "fik et brev på fem sprog om, hvad der var gjort.",
        "lessons": "Kvinder deltog, da vi holdt en separat vandring tidligere på aftenen med "
        "kvindelige brobyggere.",
        "principles": [5, 3],
        "departments": ["SOF", "TMF"],
        "topics": ["tryghed", "bolig"],
        "target_groups": ["non_danish", "residents"],
        "owner": "konsulent-sof",
        "months": 9,
        "public": True,
    },
    {
        "kind": Kind.EXAMPLE,
        "title": "Budgetdialog i kulturhusene",
        "summary": "Før budgetforhandlingerne spurgte kommunen i syv kulturhuse, hvad "
        "borgerne ville prioritere.",
        "body": "Borgerne fik 100 'budgetkroner' og fordelte dem mellem otte områder.",
        "district": None,
        "period": (2024, 4, 2024, 5),
        "method_used": "Pop-up-dialog på torvet",
        "reached": "Gæster i kulturhusene i alle aldre; flest familier og ældre.",
        "reached_count": 1250,
        "outcome": "Resultatet blev lagt frem for Økonomiudvalget og indgik i budgetnotatet. "
        "Flere penge til biblioteker var det mest prioriterede ønske.",
        "lessons": "Budgetkroner gør et abstrakt emne håndgribeligt. Husk at melde tilbage, "
        "når budgettet er vedtaget.",
        "principles": [1, 2, 4],
        "departments": ["ØKF", "KFF"],
        "topics": ["oekonomi", "kultur"],
        "target_groups": ["everyone", "families"],
        "owner": "konsulent-kff",
        "months": 5,
        "public": True,
    },
    {
        "kind": Kind.EXAMPLE,
        "title": "Ældre på Amager var med til at indrette aktivitetscenter",
        "summary": "Gennem hjemmebesøg og to caféeftermiddage blev 38 ældre hørt om "
        "indretningen af det nye aktivitetscenter.",
        "body": "",
        "district": 10,
        "period": (2023, 1, 2023, 4),
        "method_used": "Hjemmebesøg og telefonsamtaler med ældre",
        "reached": "Ældre over 70 år, heraf 12, som ikke kunne komme hjemmefra.",
        "reached_count": 38,
        "outcome": "Centeret fik et stille rum og en bredere indgang til rollatorer.",
        "lessons": "Hjemmeplejen var den bedste vej til de ældre, der ellers ikke bliver hørt.",
        "principles": [5],
        "departments": ["SUF"],
        "topics": ["aeldre"],
        "target_groups": ["older", "disability"],
        "owner": "konsulent-suf",
        "months": 15,
        "stale": True,
    },
    {
        "kind": Kind.EXAMPLE,
        "title": "Forældre og elever om ny skole i Sydhavnen",
        "summary": "Tidlig dialog med forældre, elever og naboer om en ny skole, før "
        "arkitektkonkurrencen blev skrevet.",
        "body": "",
        "district": 4,
        "period": (2022, 10, 2023, 3),
        "method_used": "Fremtidsværksted",
        "reached": "Forældre i skoledistriktet, elevrådet og naboer.",
        "reached_count": 210,
        "outcome": "Ønsket om en skolegård, der er åben for kvarteret efter skoletid, blev et "
        "krav i arkitektkonkurrencen.",
        "lessons": "Dialog før konkurrencen gav reel indflydelse; bagefter ville kun detaljer "
        "kunne ændres.",
        "principles": [2, 4],
        "departments": ["BUF"],
        "topics": ["skole", "byudvikling"],
        "target_groups": ["families", "children"],
        "owner": "buf",
        "months": 18,
        "public": True,
    },
    {
        "kind": Kind.EXAMPLE,
        "title": "Virksomheder på Refshaleøen om mobilitet",
        "summary": "Rundbordssamtaler med 22 virksomheder om transport til og fra Refshaleøen.",
        "body": "",
        "district": 2,
        "period": (2024, 8, 2024, 10),
        "method_used": None,
        "reached": "Virksomheder og erhvervsforeningen.",
        "reached_count": 22,
        "outcome": "Forslaget om en ekstra havnebusafgang i myldretiden blev sendt til Movia.",
        "lessons": "Virksomheder vil gerne bidrage, når mødet er kort og konkret.",
        "principles": [1, 3],
        "departments": ["TMF", "ØKF"],
        "topics": ["trafik"],
        "target_groups": ["businesses"],
        "owner": "konsulent-tmf",
        "months": 2,
    },
    {
        "kind": Kind.EXAMPLE,
        "title": "Nytilkomne kvinder om jobcentrets tilbud",
        "summary": "Fokusgrupper på arabisk og dari om, hvad der gør det svært at bruge "
        "jobcentrets tilbud.",
        "body": "",
        "district": 8,
        "period": (2024, 1, 2024, 3),
        "method_used": "Dialog med tolk og brobyggere",
        "reached": "Nytilkomne kvinder i Bispebjerg og Nordvest.",
        "reached_count": 31,
        "outcome": "Jobcentret tilbyder nu samtaler med børnepasning og i lokalområdet.",
        "lessons": "Tillid kom gennem brobyggerne; vi var gæster i deres fællesskab.",
        "principles": [5, 4],
        "departments": ["BIF"],
        "topics": ["beskaeftigelse"],
        "target_groups": ["non_danish", "families"],
        "owner": "konsulent-bif",
        "months": 6,
        "public": True,
    },
    {
        "kind": Kind.EXAMPLE,
        "title": "Brugerråd for borgere med handicap om tilgængelige byrum",
        "summary": "Et brugerråd testede fem nye byrum med kørestol, rollator og hvid stok.",
        "body": "",
        "district": 1,
        "period": (2023, 5, 2023, 9),
        "method_used": None,
        "reached": "Medlemmer af Handicaprådet og Dansk Blindesamfund.",
        "reached_count": 18,
        "outcome": "Ledelinjer og kantsten blev ændret i to af byrummene før aflevering.",
        "lessons": "Test på stedet finder fejl, som tegninger ikke viser.",
        "principles": [5, 3],
        "departments": ["SOF", "TMF"],
        "topics": ["byudvikling"],
        "target_groups": ["disability"],
        "owner": "sof",
        "months": 13,
        "stale": True,
    },
    {
        "kind": Kind.EXAMPLE,
        "title": "Digital høring om cykelstier på Valby Langgade",
        "summary": "1.480 kortkommentarer om cykling på Valby Langgade formede forslaget til "
        "ny cykelsti.",
        "body": "",
        "district": 5,
        "period": (2024, 3, 2024, 4),
        "method_used": "Digital høring med kort",
        "reached": "Cyklister, forældre og handlende i Valby.",
        "reached_count": 1480,
        "outcome": "Cykelstien blev bredere ved skolen, og to parkeringspladser blev til "
        "cykelparkering.",
        "lessons": "Kortet viste problemer, vi ikke kendte. Svar på kortet gav tillid.",
        "principles": [3, 4],
        "departments": ["TMF"],
        "topics": ["trafik"],
        "target_groups": ["everyone"],
        "owner": "konsulent",
        "months": 1,
        "public": True,
    },
    # --- guides ---
    {
        "kind": Kind.GUIDE,
        "title": "Sådan skriver du en god tilbagemelding",
        "summary": "Tydelig dialog betyder, at borgerne hører, hvad der kom ud af deres input: "
        "her er en skabelon i fem afsnit.",
        "body": "## Fem afsnit\n\n1. **Tak** for input, og hvor mange der deltog.\n2. **Hvad vi "
        "hørte**: de vigtigste budskaber, også dem vi ikke følger.\n3. **Hvad vi gør**: "
        "konkrete ændringer.\n4. **Hvad vi ikke gør, og hvorfor.**\n5. **Hvad sker der "
        "nu**, og hvornår.\n\nSkriv i klart sprog, og send det samme sted, som borgerne gav "
        "input.",
        "principles": [3],
        "departments": [],
        "topics": ["demokrati"],
        "target_groups": ["staff"],
        "owner": "koordinator",
        "months": 9,
    },
    {
        "kind": Kind.GUIDE,
        "title": "Dialogplan på én side",
        "summary": "En skabelon til at planlægge borgerdialogen i et projekt: formål, "
        "målgrupper, metoder, tidsplan og tilbagemelding.",
        "body": "Dialogplanen skal kunne læses af både projektgruppen og politikerne. Brug "
        "skabelonen i bilaget og de fem principper som overskrifter.",
        "principles": [1, 2],
        "departments": [],
        "topics": ["demokrati"],
        "target_groups": ["staff"],
        "owner": "koordinator",
        "months": 12,
    },
    {
        "kind": Kind.GUIDE,
        "title": "Tilgængelige møder: tjekliste",
        "summary": "Trinfri adgang, teleslynge, tegnsprogstolk og let læst materiale: det skal "
        "du tænke på, når du inviterer til et møde.",
        "body": "- Vælg et lokale med trinfri adgang og handicaptoilet.\n- Spørg i invitationen, "
        "om deltagerne har brug for tolk eller teleslynge.\n- Send materialet en uge før.\n"
        "- Hold pauser hvert 45. minut.",
        "principles": [5],
        "departments": ["SOF", "SUF"],
        "topics": ["socialt"],
        "target_groups": ["disability", "older"],
        "owner": "konsulent-sof",
        "published_in": (2, 5),
        "stale": True,
    },
    {
        "kind": Kind.GUIDE,
        "title": "Samtykke og persondata i borgerdialog",
        "summary": "Hvornår skal du have samtykke, hvad må du gemme, og hvor længe? En guide "
        "til GDPR i dialogprojekter.",
        "body": "Indsaml så få oplysninger som muligt. Navn og e-mail er kun nødvendige, hvis du "
        "vil melde tilbage direkte. Slet oplysningerne, når projektet er afsluttet.",
        "principles": [3, 1],
        "departments": ["ØKF"],
        "topics": ["demokrati"],
        "target_groups": ["staff"],
        "owner": "konsulent-okf",
        "months": 5,
    },
    {
        "kind": Kind.GUIDE,
        "title": "Samarbejde med lokaludvalgene",
        "summary": "De 12 lokaludvalg kender deres bydel og har netværk. Sådan involverer du "
        "dem tidligt.",
        "body": "Kontakt lokaludvalgets sekretariat, når projektet er en idé, ikke når "
        "høringen går i gang. Lokaludvalget kan hjælpe med at finde mødesteder og nøglepersoner.",
        "principles": [2, 1],
        "departments": ["ØKF"],
        "topics": ["demokrati", "byudvikling"],
        "target_groups": ["associations", "residents"],
        "owner": "okf",
        "months": 7,
    },
    {
        "kind": Kind.GUIDE,
        "title": "Børn som medborgere: dialog med børn under 12",
        "summary": "Leg, tegninger og korte aktiviteter: sådan inddrager du børn i "
        "beslutninger om legepladser, skolegårde og parker.",
        "body": "Børn skal kunne se, at de har haft indflydelse. Brug konkrete materialer og "
        "hold aktiviteterne under 30 minutter.",
        "principles": [4, 5],
        "departments": ["BUF"],
        "topics": ["boern-unge", "groen-by"],
        "target_groups": ["children", "families"],
        "owner": "konsulent-buf",
        "months": 3,
    },
    # --- inspiration ---
    {
        "kind": Kind.INSPIRATION,
        "title": "Hvorfor dialog er en kerneopgave",
        "summary": "Borgerdialog er ikke et tillæg til projektet: den gør beslutningerne bedre "
        "og mere holdbare.",
        "body": "Når borgerne inddrages, bliver løsningerne bedre, fordi de bygger på viden, "
        "kommunen ikke selv har. Dialog koster tid, men sparer ofte tid senere.",
        "principles": [1],
        "departments": [],
        "topics": ["demokrati"],
        "target_groups": ["staff"],
        "owner": "koordinator",
        "published_in": (2, 3),
    },
    {
        "kind": Kind.INSPIRATION,
        "title": "Dialog i hverdagen: små greb med stor effekt",
        "summary": "Ti enkle greb, som enhver medarbejder kan bruge, fra at svare hurtigt på "
        "henvendelser til at tage kaffe med på byggepladsen.",
        "body": "- Sig hvem du er, og hvad du kan ændre.\n- Mød folk, hvor de er.\n"
        "- Svar inden for fem arbejdsdage.\n- Fortæl, hvad der skete bagefter.",
        "principles": [1, 4],
        "departments": [],
        "topics": ["demokrati"],
        "target_groups": ["staff"],
        "owner": "konsulent-kff",
        "months": 4,
    },
    {
        "kind": Kind.INSPIRATION,
        "title": "Inspiration fra Aarhus: borgerbudgetter",
        "summary": "I Aarhus stemmer borgerne om projekter i deres lokalområde. Hvad kan "
        "København lære?",
        "body": "Borgerbudgetter giver borgerne direkte indflydelse på en lille del af "
        "budgettet og skaber engagement lokalt.",
        "principles": [4, 1],
        "departments": ["ØKF"],
        "topics": ["oekonomi", "demokrati"],
        "target_groups": ["everyone"],
        "owner": "konsulent-okf",
        "months": 14,
        "stale": True,
    },
    {
        "kind": Kind.INSPIRATION,
        "title": "Biblioteket som demokratisk mødested",
        "summary": "Bibliotekerne er åbne for alle og har lange åbningstider: de er oplagte "
        "steder for dialog.",
        "body": "Læs om, hvordan Husum Bibliotek og Sundby Bibliotek har holdt "
        "demokratiaftener og debatcaféer.",
        "principles": [5, 4],
        "departments": ["KFF"],
        "topics": ["kultur", "demokrati"],
        "target_groups": ["everyone"],
        "owner": "kff",
        "months": 8,
    },
    {
        "kind": Kind.INSPIRATION,
        "title": "Tidlig dialog: før tegningen",
        "summary": "Jo tidligere borgerne inddrages, jo mere kan de påvirke. Tre eksempler på "
        "dialog, før der var noget at høre om.",
        "body": "Tidlig dialog handler om at spørge til behov og hverdagsliv, ikke om at "
        "præsentere en færdig løsning.",
        "principles": [2],
        "departments": ["TMF"],
        "topics": ["byudvikling"],
        "target_groups": ["residents"],
        "owner": "konsulent-tmf",
        "months": 6,
    },
    {
        "kind": Kind.INSPIRATION,
        "title": "Unges stemme i byen",
        "summary": "Hvordan får unge lyst til at blande sig? Erfaringer fra ungeråd, klubber "
        "og sociale medier.",
        "body": "Unge deltager, når de kan se, at det nytter, og når dialogen foregår på "
        "deres præmisser.",
        "principles": [4, 5],
        "departments": ["BUF"],
        "topics": ["boern-unge", "demokrati"],
        "target_groups": ["young"],
        "owner": "buf",
        "months": 2,
    },
    # --- unpublished ---
    {
        "kind": Kind.METHOD,
        "title": "Fokusgruppe med pårørende",
        "summary": "Samtaler med pårørende til borgere på plejehjem om besøg, aktiviteter og "
        "kommunikation.",
        "body": "Udkast: metoden er afprøvet på to plejehjem.",
        "purpose": "At høre pårørendes erfaringer.",
        "steps": "1. Invitér via plejehjemmet.",
        "principles": [5],
        "departments": ["SUF"],
        "topics": ["aeldre", "sundhed"],
        "target_groups": ["older", "families"],
        "owner": "suf",
        "status": Status.IN_REVIEW,
    },
    {
        "kind": Kind.EXAMPLE,
        "title": "Naboskabsdialog i Urbanplanen",
        "summary": "Udkast til erfaringsopsamling fra naboskabsdialogen i Urbanplanen.",
        "body": "",
        "district": 9,
        "principles": [5],
        "departments": ["SOF"],
        "topics": ["socialt", "bolig"],
        "target_groups": ["residents"],
        "owner": "konsulent-sof",
        "status": Status.DRAFT,
    },
]


def _consultants() -> dict[str, User]:
    """Every department's demo consultant, created when missing (matched by username)."""
    from sammen.accounts.demo import role_accounts_create

    role_accounts_create()  # idempotent: the accounts demo's one user per role
    departments = {d.abbreviation: d for d in Department.objects.all()}
    users: dict[str, User] = {}
    for username, first, last, abbreviation, title, phone, expertise in CONSULTANTS:
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
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.departments.add(department)
        RoleAssignment.objects.get_or_create(user=user, role=Role.CONSULTANT, department=department)
        _profile(user, title, phone, expertise)
        users[username] = user
    account = User.objects.filter(username=ACCOUNTS_CONSULTANT[0]).first()
    if account:
        _profile(account, *ACCOUNTS_CONSULTANT[1:])
        users[account.username] = account
    return users


def _profile(user: User, title: str, phone: str, expertise: str) -> None:
    profile, _created = ConsultantProfile.objects.get_or_create(
        user=user, defaults={"title": title, "phone": phone, "expertise": expertise}
    )
    profile.search_stems = services.profile_stems(profile)
    profile.save(update_fields=["search_stems"])


# What an owner wrote when adding the last paragraph of an entry after publishing it.
EDIT_NOTES = [
    "Tilføjet erfaringer fra seneste projekt.",
    "Opdateret efter evalueringen.",
    "Tilføjet et afsnit efter spørgsmål fra kolleger.",
]


def _first_draft(body: str) -> str:
    """The body as first published: without its last paragraph, which an edit added."""
    return "\n\n".join(body.split("\n\n")[:-1])


def _added_later(item: dict[str, Any]) -> tuple[str, str] | None:
    """What the owner added in an edit after publishing: a method's pitfalls, an example's
    lessons, or else the body's last paragraph (None when there is nothing to add later)."""
    for kind, name in ((Kind.METHOD, "pitfalls"), (Kind.EXAMPLE, "lessons")):
        if item["kind"] == kind and item.get(name):
            return name, item[name]
    if item.get("body", "").count("\n\n"):
        return "body", item["body"]
    return None


def _morning(moment: datetime, hour: int) -> datetime:
    """The same day at `hour` (Copenhagen), when staff write and publish."""
    day = timezone.localtime(moment, COPENHAGEN).date()
    return datetime.combine(day, time(hour, 7 * (day.day % 8)), tzinfo=COPENHAGEN)


@transaction.atomic
def knowledge_seed(*, now: Any = None) -> int:
    """Create the consultants and the demo entries; returns how many entries were created.

    Each entry's history is dated as it happened: written some days before it was published
    (`months` before now, so they spread over more than a year, last calendar year included; the
    first few in the year before last),
    two in three edited some months later to add their pitfalls or lessons, the old ones
    reviewed after a year as the owners are reminded to, except the few left past their review
    date (`stale`). The entries are written through the services; only the dates are set after.
    """
    consultants = _consultants()
    if Entry.objects.exists():
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    principles = {p.number: p for p in Principle.objects.all()}
    departments = {d.abbreviation: d for d in Department.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    districts = {d.number: d for d in District.objects.all()}
    publisher = (
        User.objects.filter(username="koordinator").first()
        or User.objects.filter(is_superuser=True).first()
    )
    fallback = consultants.get("konsulent-tmf")
    created: dict[str, Entry] = {}
    dates: dict[int, dict[str, datetime]] = {}  # entry -> version action -> when
    dues: dict[int, date] = {}  # published entry -> its review date now
    all_reviews: dict[int, list[datetime]] = {}  # entry -> when it was reviewed, in order
    for index, item in enumerate(ENTRIES):
        owner = User.objects.filter(username=item["owner"]).first() or fallback
        data: dict[str, Any] = {
            "title": item["title"],
            "summary": item["summary"],
            "body": item.get("body", ""),
            "principles": [principles[n] for n in item["principles"]],
            "departments": [departments[a] for a in item["departments"]],
            "topics": [topics[s] for s in item["topics"] if s in topics],
            "target_groups": item["target_groups"],
        }
        for name in ("purpose", "when_to_use", "steps", "duration", "cost", "participant_count",
                     "participant_kind", "pitfalls", "reached", "reached_count", "outcome",
                     "lessons"):  # fmt: skip
            if name in item:
                data[name] = item[name]
        if item.get("best_principle"):
            data["best_principle"] = principles[item["best_principle"]]
        if item.get("district"):
            data["district"] = districts[item["district"]]
        if item.get("period"):
            y1, m1, y2, m2 = item["period"]
            data["period_start"], data["period_end"] = date(y1, m1, 1), date(y2, m2, 1)
        if item.get("method_used") in created:
            data["method_used"] = created[item["method_used"]]
        data["is_public"] = bool(item.get("public"))
        status = item.get("status", Status.PUBLISHED)
        if item.get("published_in"):
            years_ago, month = item["published_in"]
            day = date(today.year - years_ago, month, 4 + index % 20)
            published = _morning(datetime.combine(day, time(12), tzinfo=COPENHAGEN), 10)
            months = (now - published).days // 30
        else:
            months = item.get("months", 1)
            published = _morning(now - timedelta(days=30 * months), 10)
        added = _added_later(item) if status == Status.PUBLISHED and months >= 3 else None
        edited = added is not None and index % 3 != 1
        first = data
        if edited:
            name, value = added
            first = {**data, name: _first_draft(value) if name == "body" else ""}
        entry = services.entry_create(by=owner, kind=item["kind"], data=first)
        written = published - timedelta(days=4 + index % 17)
        when = dates.setdefault(entry.pk, {EntryVersion.Action.CREATED: written})
        if status == Status.IN_REVIEW:
            services.entry_transition(entry=entry, to=Status.IN_REVIEW, by=owner)
            when[EntryVersion.Action.CREATED] = _morning(now - timedelta(days=9), 9)
            when[EntryVersion.Action.SUBMITTED] = _morning(now - timedelta(days=3), 14)
        elif status == Status.DRAFT:
            when[EntryVersion.Action.CREATED] = _morning(now - timedelta(days=5), 13)
        elif status == Status.PUBLISHED and publisher:
            services.entry_transition(entry=entry, to=Status.PUBLISHED, by=publisher)
            when[EntryVersion.Action.PUBLISHED] = published
            reviewed, reviews = published, []  # reviewed about every year, when not stale
            while not item.get("stale") and now - reviewed > services.REVIEW_INTERVAL:
                reviewed = _morning(reviewed + timedelta(days=335 + index % 25), 9)
                reviews.append(reviewed)
            if edited:  # some months after publishing, before any review
                services.entry_update(
                    entry=entry, by=owner, data={added[0]: added[1]},
                    note=EDIT_NOTES[index % len(EDIT_NOTES)],
                )  # fmt: skip
                until = reviews[0] if reviews else now
                year_end = datetime(today.year - 1, 12, 18, tzinfo=COPENHAGEN)
                if published < year_end - timedelta(days=20):  # published last year: edited then
                    until = min(until, year_end)
                share = 0.25 + 0.4 * ((index * 7) % 10) / 10
                when[EntryVersion.Action.EDITED] = _morning(
                    published + (until - published) * share, 11
                )
            for _review in reviews:
                services.entry_mark_reviewed(entry=entry, by=owner)
            if reviews:
                when[EntryVersion.Action.REVIEWED] = reviewed
                all_reviews[entry.pk] = reviews
            due = timezone.localdate(reviewed) + services.REVIEW_INTERVAL
            if item.get("stale") and due >= today:
                due = today - timedelta(days=10 * months)  # an early review date, now passed
            Entry.objects.filter(pk=entry.pk).update(
                published_at=published, last_reviewed_at=reviewed, review_due=due
            )
            dues[entry.pk] = due
        created[item["title"]] = entry
    _date_history(dates, dues, all_reviews)
    return len(created)


def _date_history(
    dates: dict[int, dict[str, datetime]],
    dues: dict[int, date],
    reviews: dict[int, list[datetime]],
) -> None:
    """Put each version, and each entry's created and updated times, at when it happened (the
    reviews, one version each, at `reviews` in order). A
    published entry's versions record the review date it had then (a year after it was
    published or last reviewed, or its early date `dues` when that came first), so the figures
    of a past year read which entries were out of date at its end."""
    Action = EntryVersion.Action
    versions = (
        EntryVersion.objects.filter(entry_id__in=dates)
        .only("pk", "entry_id", "action", "content")
        .order_by("entry_id", "number")
    )
    entry_id, reviewed = None, 0
    for version in versions:
        when = dates[version.entry_id]
        if version.entry_id != entry_id:
            entry_id, reviewed = version.entry_id, 0
        at = when.get(version.action)
        if version.action == Action.REVIEWED and version.entry_id in reviews:
            at = reviews[version.entry_id][reviewed]
            reviewed += 1
        if at is None:
            continue
        content = version.content
        published = when.get(Action.PUBLISHED)
        if version.entry_id in dues and published and at >= published and "review_due" in content:
            base = max([published] + [r for r in reviews.get(version.entry_id, []) if r <= at])
            due = timezone.localdate(base) + services.REVIEW_INTERVAL
            content["review_due"] = min(due, dues[version.entry_id]).isoformat()
        EntryVersion.objects.filter(pk=version.pk).update(at=at, content=content)
    for pk, when in dates.items():
        Entry.objects.filter(pk=pk).update(
            created_at=when[EntryVersion.Action.CREATED], updated_at=max(when.values())
        )
