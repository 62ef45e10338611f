"""Demo solution labs, told through the services (sammen.events.labs and .registration).

- `take_to_demo_lab` is what the ideas demo calls when a story closes an idea as "taken to a
  solution lab": the idea goes to the autumn's demo lab (created by the first such story), so the
  closed idea names a real lab.
- `seed_lab_demo` (wired into seed_demo) lets that lab take place: the citizens confirmed and
  came, staff registered and came, and the lab's agreements were written to the ideas' timelines.
  It also plans an upcoming lab from two open demo ideas, with its invitations.
- `past_lab_create` and `past_lab_hold` are the labs of last year and the year before, which the
  ideas demo's past ideas are taken to (four and three): written directly, like those ideas, and
  held with their citizens, staff, feedback and agreements.
- `bulk_lab` is the one lab the synthetic benchmark ideas closed as "solution lab" point to.

Nobody is mailed about demo content: mails queued while seeding are cancelled, as in the ideas
demo.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation

from sammen.accounts.models import Role, RoleAssignment, User
from sammen.core.models import Department, MailLog, Principle
from sammen.core.workdays import COPENHAGEN, local_date
from sammen.events import labs, registration
from sammen.events.models import (
    Audience,
    Event,
    Feedback,
    Kind,
    LabAgreement,
    LabIdea,
    Registration,
)
from sammen.events.services import event_slug
from sammen.ideas.models import Idea
from sammen.ideas.states import State

PAST_LAB_TITLE = "Løsningslaboratorium: idéer på tværs af forvaltninger"
PAST_LAB_SUMMARY = (
    "Borgere, forvaltninger og samarbejdspartnere arbejder sammen om idéer, som ingen "
    "forvaltning kan løse alene."
)
UPCOMING_LAB_TITLE = "Løsningslaboratorium: nærmiljø og fællesskaber"
UPCOMING_LAB_SUMMARY = (
    "Vi samler borgerne bag to idéer og de forvaltninger, der skal til, for at finde en "
    "løsning sammen."
)
BULK_LAB_TITLE = "Løsningslaboratorium (benchmarkdata)"
PLACE = "Københavns Rådhus, Udvalgsværelse 1"

# What the past lab agreed, by the idea's title (the ideas demo's stories); other ideas get
# the general agreement.
AGREEMENTS: dict[str, list[tuple[str, str, int]]] = {
    "Ét sted for unge uden job eller uddannelse på Nørrebro": [
        (
            "Jobcenteret, Ungdomsskolen og Socialforvaltningen prøver en fælles åben "
            "rådgivning for unge i Nørrebrohallen hver onsdag i et halvt år.",
            "BIF",
            45,
        ),
        (
            "Børne- og Ungdomsforvaltningen finder to unge, der vil være med til at "
            "udforme rådgivningen.",
            "BUF",
            30,
        ),
    ],
    "Midlertidige byrum på de tomme grunde i Nordhavn": [
        (
            "Teknik- og Miljøforvaltningen afklarer med By & Havn, hvilke to grunde der kan "
            "lånes ud de næste tre år, og på hvilke vilkår.",
            "TMF",
            60,
        ),
    ],
}
GENERAL_AGREEMENT = (
    "Den ledende forvaltning beskriver en løsning sammen med de involverede forvaltninger "
    "og sender den til borgeren.",
    45,
)


def _local(day: datetime, hour: int) -> datetime:
    return datetime.combine(local_date(day), time(hour), tzinfo=COPENHAGEN)


def _demo_lab(title: str) -> Event | None:
    return Event.objects.filter(kind=Kind.SOLUTION_LAB, title=title).order_by("pk").first()


def take_to_demo_lab(idea: Idea, *, coordinator: User, at: datetime) -> Event:
    """Take the idea to the autumn's demo lab at `at` (creating it three weeks ahead if no lab
    is still to come then), so the ideas demo can close it as "taken to a solution lab"."""
    lab = _demo_lab(PAST_LAB_TITLE)
    if lab is not None and lab.starts_at > at + timedelta(days=1):
        labs.lab_add_idea(event=lab, idea=idea, by=coordinator, now=at)
        return lab
    starts = _local(at + timedelta(days=21), 13)
    return labs.lab_create(
        by=coordinator,
        ideas=[idea],
        title=PAST_LAB_TITLE,
        summary=PAST_LAB_SUMMARY,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        location=PLACE,
        capacity=40,
        now=at,
    )


def _hold(lab: Event) -> int:
    """Let the past lab take place: citizens and staff came, and the agreements were made."""
    if lab.agreements.exists() or lab.ends_at > timezone.now():
        return 0
    before = lab.starts_at - timedelta(days=7)
    for invitation in lab.registrations.filter(status=Registration.Status.PENDING):
        seated = registration.confirm_public(registration=invitation, now=before)
        registration.check_in(registration=seated, by=lab.organiser, now=lab.starts_at)
    items = labs.lab_ideas(lab)
    for user in labs.staff_to_invite(items)[:6]:
        if user.email and not lab.registrations.filter(email__iexact=user.email).exists():
            seated = registration.register_staff(event=lab, user=user, now=before)
            registration.check_in(registration=seated, by=lab.organiser, now=lab.starts_at)
    departments = {d.abbreviation: d for d in Department.objects.all()}
    for item in items:
        idea = item.idea
        for text, abbreviation, days in AGREEMENTS.get(idea.title, []) or [
            (GENERAL_AGREEMENT[0], "", GENERAL_AGREEMENT[1])
        ]:
            owner = departments.get(abbreviation) or idea.lead_department
            if owner is None:
                continue
            named = idea.handler if idea.handler and owner == idea.lead_department else None
            labs.agreement_record(
                event=lab,
                idea=idea,
                text=text,
                owner_department=owner,
                owner_user=named,
                follow_up_on=local_date(lab.starts_at) + timedelta(days=days),
                by=lab.organiser,
                now=lab.ends_at,
            )
    return 1


def _plan_upcoming(now: datetime) -> int:
    """An upcoming lab from two open demo ideas led by different departments."""
    if _demo_lab(UPCOMING_LAB_TITLE) is not None:
        return 0
    coordinator = (
        User.objects.filter(
            is_active=True,
            pk__in=RoleAssignment.objects.filter(role=Role.COORDINATOR).values("user"),
        )
        .order_by("pk")
        .first()
    )
    if coordinator is None:
        return 0
    candidates = (
        Idea.objects.filter(
            state__in=[State.TRIAGED, State.IN_PROGRESS],
            anonymised_at__isnull=True,
            consent_contact=True,
            labs__isnull=True,
        )
        .select_related("lead_department")
        .order_by("confirmed_at", "pk")
    )
    chosen: list[Idea] = []
    for idea in candidates[:200]:
        if all(idea.lead_department_id != other.lead_department_id for other in chosen):
            chosen.append(idea)
        if len(chosen) == 2:
            break
    if len(chosen) < 2:
        return 0
    starts = _local(now + timedelta(days=24), 13)
    labs.lab_create(
        by=coordinator,
        ideas=chosen,
        title=UPCOMING_LAB_TITLE,
        summary=UPCOMING_LAB_SUMMARY,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        location=PLACE,
        capacity=40,
        now=now,
    )
    return 1


@transaction.atomic
def seed_lab_demo(*, now: datetime | None = None) -> int:
    """Hold the past demo lab (if the ideas demo took ideas to it) and plan an upcoming one;
    returns how many labs were added to. Running it again adds nothing."""
    now = now or timezone.now()
    last_mail = MailLog.objects.aggregate(last=Max("pk"))["last"] or 0
    done = 0
    past = _demo_lab(PAST_LAB_TITLE)
    if past is not None:
        done += _hold(past)
    done += _plan_upcoming(now)
    MailLog.objects.filter(pk__gt=last_mail, status=MailLog.Status.QUEUED).update(
        status=MailLog.Status.CANCELLED, last_error="demo content"
    )
    return done


def bulk_lab(organiser: User) -> Event:
    """The past lab the synthetic benchmark ideas closed as "solution lab" point to (written
    directly, like the rest of the bulk data; nobody is invited)."""
    lab = _demo_lab(BULK_LAB_TITLE)
    if lab is not None:
        return lab
    starts = _local(timezone.now() - timedelta(days=60), 13)
    return Event.objects.create(
        kind=Kind.SOLUTION_LAB,
        audience=Audience.STAFF,
        title=BULK_LAB_TITLE,
        slug=event_slug(BULK_LAB_TITLE),
        summary=PAST_LAB_SUMMARY,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        location=PLACE,
        organiser=organiser,
        is_published=True,
    )


def bulk_lab_ideas(lab: Event, ideas: list[Idea]) -> None:
    """The benchmark ideas closed as "solution lab" were taken to `lab`."""
    LabIdea.objects.bulk_create(
        [LabIdea(event=lab, idea=idea, added_at=idea.confirmed_at) for idea in ideas],
        batch_size=1000,
    )


# --- the labs of the past years, written directly with the ideas demo's past case load ----------

PAST_YEAR_LAB_TITLE = "Løsningslaboratorium: fællesskab og tryghed i boligområderne"
PAST_YEAR_LAB_SUMMARY = (
    "Borgerne bag fire idéer om unge, ældre, nye familier og trygge stier arbejder sammen med de "
    "forvaltninger, der skal til, om løsninger i deres boligområder."
)
# The first lab, the year before last.
EARLIER_LAB_TITLE = "Løsningslaboratorium: ældre, børn og unge i nærmiljøet"
EARLIER_LAB_SUMMARY = (
    "Det første løsningslaboratorium: borgerne bag tre idéer om et mødested for ældre, en åben "
    "skolegård og fritidsjob til unge finder løsninger sammen med de forvaltninger, der skal til."
)
# Title and summary of the lab held `years_ago` years before today's.
PAST_LABS = {
    1: (PAST_YEAR_LAB_TITLE, PAST_YEAR_LAB_SUMMARY),
    2: (EARLIER_LAB_TITLE, EARLIER_LAB_SUMMARY),
}
# What the past labs agreed, by the idea's title (sammen.ideas.demo.PAST_LAB_IDEAS and
# EARLIER_LAB_IDEAS).
PAST_AGREEMENTS: dict[str, list[tuple[str, str, int]]] = {
    "Et sted for de unge i Tingbjerg om aftenen": [
        ("Børne- og Ungdomsforvaltningen holder klubben i Tingbjerg åben til kl. 23 fredag og "
         "lørdag i en prøveperiode på et halvt år, med to voksne fra gadeplansteamet.", "BUF", 60),
        ("Kultur- og Fritidsforvaltningen låner biblioteket ud til et ungeværksted tirsdag "
         "aften.", "KFF", 45),
    ],
    "Trygge stier omkring Bispebjerg Bakke": [
        ("Teknik- og Miljøforvaltningen beskærer buskene og sætter lys op på de tre stier, "
         "beboerne pegede på ved gåturen.", "TMF", 90),
        ("Socialforvaltningen og boligsocialt team holder en tryghedsvandring med beboerne, "
         "når lyset er sat op.", "SOF", 120),
    ],
    "Hjælp til digital post for ældre i Sydhavnen": [
        ("Biblioteket i Sydhavnen åbner en fast digital hjælp for ældre hver mandag, hvor "
         "foreningens frivillige sidder sammen med bibliotekets personale.", "KFF", 45),
        ("Sundheds- og Omsorgsforvaltningen fortæller om tilbuddet i hjemmeplejen og på "
         "aktivitetscenteret.", "SUF", 30),
    ],
    "Lektiehjælp og sprogcafé for nye familier på Amager Øst": [
        ("Jobcenteret, skolen og biblioteket samler lektiehjælp og sprogcafé på biblioteket "
         "torsdag fra kl. 16 til 19, så forældrene kan nå det efter arbejde.", "BIF", 60),
    ],
    "Et mødested for ensomme ældre i Valby": [
        ("Valby Bibliotek låner foreningen et lokale tirsdag og torsdag formiddag til et "
         "mødested med kaffe og aktiviteter.", "KFF", 45),
        ("Hjemmeplejen og de forebyggende hjemmebesøg fortæller ældre, der bor alene, om "
         "mødestedet og følger dem derhen første gang, hvis de vil.", "SUF", 60),
    ],
    "Skolegården som legeplads for kvarteret på Amager Øst": [
        ("Skolen holder skolegården åben til kl. 20 og i weekenderne fra foråret; skolens "
         "bestyrelse og forældrene aftaler regler for brugen.", "BUF", 90),
        ("Teknik- og Miljøforvaltningen ser på lys og affaldsspande i gården, så den kan "
         "bruges om aftenen.", "TMF", 120),
    ],
    "Fritidsjob til unge i Urbanplanen": [
        ("Jobcenteret og det boligsociale team samler butikkerne i området til et møde om "
         "fritidsjob, og hver ung får en voksen, der kan anbefale dem.", "BIF", 60),
    ],
}  # fmt: skip
PAST_LAB_WILL_USE = [
    "At tage borgeren med fra starten, ikke kun til høringen bagefter.",
    "Kontakten til de andre forvaltninger: nu ved jeg, hvem jeg skal ringe til.",
    "Formen med korte runder ved bordene og en aftale til sidst.",
    "At skrive aftalen ned med en dato for opfølgning, mens vi sidder sammen.",
]


def past_lab_create(*, organiser: User, day: date, years_ago: int = 1) -> Event:
    """The lab of `years_ago` years before today's (PAST_LABS), on `day` (13-16), published and
    held: the ideas demo takes some of that year's ideas to it (`past_lab_messages`) and
    `past_lab_hold` fills in the day itself."""
    title, summary = PAST_LABS[years_ago]
    lab = _demo_lab(title)
    if lab is not None:
        return lab
    starts = datetime.combine(day, time(13), tzinfo=COPENHAGEN)
    lab = Event.objects.create(
        kind=Kind.SOLUTION_LAB,
        audience=Audience.STAFF,
        title=title,
        slug=event_slug(title),
        summary=summary,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        location=PLACE,
        capacity=40,
        organiser=organiser,
        is_published=True,
        reminders_sent_at=starts - timedelta(hours=40),
        feedback_requested_at=starts + timedelta(hours=3, minutes=40),
        needs_erased_at=starts + timedelta(days=1, hours=-10),
    )
    created = starts - timedelta(days=22)
    Event.objects.filter(pk=lab.pk).update(created_at=created, updated_at=created)
    lab.refresh_from_db()
    return lab


def past_lab_messages(lab: Event, lead: str, involved: tuple[str, ...]) -> tuple[str, str]:
    """What the citizen read when the idea was taken to the lab, and the closing message (in
    Danish, the language of these ideas)."""
    departments = sorted(
        Department.objects.filter(abbreviation__in=[lead, *involved]), key=lambda d: d.name
    )
    with translation.override("da"):
        told = labs.taken_to_lab_message(lab, departments, invited=True)
        closing = (
            f"Idéen er sat på programmet for løsningslaboratoriet {labs.when_text(lab.starts_at)}, "
            "hvor vi finder en løsning sammen med dig og de forvaltninger, der skal til."
        )
    return told, closing


def past_lab_hold(
    lab: Event, ideas: list[Idea], *, taken_at: datetime
) -> list[tuple[Idea, datetime, int, str]]:
    """The past lab took place: the citizens and the departments' staff came, some answered
    the survey, and the agreements were made. Returns the agreement messages for the ideas'
    timelines (idea, at, by, text), which the ideas demo writes."""
    rng = random.Random(f"past-lab:{lab.pk}")  # noqa: S311 (demo content, not security)
    LabIdea.objects.bulk_create(
        [LabIdea(event=lab, idea=idea, added_at=taken_at) for idea in ideas]
    )
    starts, ends = lab.starts_at, lab.ends_at
    registrations = []
    for idea in ideas:  # the citizens, invited when their idea was taken in
        registrations.append(
            Registration(
                event=lab, name=idea.contact_name, email=idea.email, idea=idea,
                language=idea.language, status=Registration.Status.CONFIRMED,
                created_at=taken_at, confirmed_at=taken_at + timedelta(days=rng.uniform(1, 6)),
                checked_in_at=starts - timedelta(minutes=rng.randint(0, 20)),
                checked_in_by=lab.organiser,
            )
        )  # fmt: skip
    abbreviations = {i.lead_department.abbreviation for i in ideas if i.lead_department}
    abbreviations |= {d.abbreviation for i in ideas for d in i.involved_departments.all()}
    staff = list(
        User.objects.filter(
            Q(handled_ideas__in=ideas)
            | Q(role_assignments__role=Role.CONSULTANT,
                role_assignments__department__abbreviation__in=abbreviations)
        )
        .exclude(pk=lab.organiser_id)
        .filter(is_active=True, email__gt="")
        .prefetch_related("departments")
        .distinct()
        .order_by("pk")
    )  # fmt: skip
    for user in staff:
        came = rng.random() < 0.9
        registrations.append(
            Registration(
                event=lab, user=user, name=user.get_full_name() or user.username,
                email=user.email, department=next(iter(user.departments.all()), None),
                status=Registration.Status.CONFIRMED,
                created_at=(registered := taken_at + timedelta(days=rng.uniform(0.5, 8))),
                confirmed_at=registered,
                checked_in_at=starts - timedelta(minutes=rng.randint(0, 25)) if came else None,
                checked_in_by=lab.organiser if came else None,
            )
        )  # fmt: skip
    # One registration per address, as registering allows (two citizens can share an address).
    unique = {r.email.lower(): r for r in reversed(registrations)}
    registrations = Registration.objects.bulk_create(
        [r for r in registrations if unique[r.email.lower()] is r]
    )
    principles = {p.number: p for p in Principle.objects.all()}
    Feedback.objects.bulk_create(
        [
            Feedback(
                registration=r, event=lab,
                rating=rng.choices([3, 4, 5], weights=[1, 4, 5])[0],
                will_use=rng.choice(PAST_LAB_WILL_USE) if rng.random() < 0.7 else "",
                principle=principles.get(rng.choice([1, 4, 5])),
                created_at=ends + timedelta(hours=rng.uniform(1, 100)),
            )
            for r in registrations
            if r.checked_in_at and rng.random() < 0.6
        ]
    )  # fmt: skip
    departments = {d.abbreviation: d for d in Department.objects.all()}
    said = []
    for idea in ideas:
        for text, abbreviation, days in PAST_AGREEMENTS.get(idea.title, []):
            owner = departments[abbreviation]
            named = idea.handler if idea.handler and owner == idea.lead_department else None
            agreement = LabAgreement.objects.create(
                event=lab, idea=idea, text=text, owner_department=owner, owner_user=named,
                follow_up_on=local_date(starts) + timedelta(days=days),
                created_by=lab.organiser, created_at=ends - timedelta(minutes=15),
            )  # fmt: skip
            with translation.override("da"):
                said.append((idea, ends, lab.organiser_id, labs.agreement_message(agreement)))
    return said
