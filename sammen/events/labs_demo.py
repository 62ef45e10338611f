"""Demo solution labs, told through the services (sammen.events.labs and .registration).

- `take_to_demo_lab` is what the ideas demo calls when a story closes an idea as "taken to a
  solution lab": the idea goes to the autumn's demo lab (created by the first such story), so the
  closed idea names a real lab.
- `seed_lab_demo` (wired into seed_demo) lets that lab take place: the citizens confirmed and
  came, staff registered and came, and the lab's agreements were written to the ideas' timelines.
  It also plans an upcoming lab from two open demo ideas, with its invitations.
- `bulk_lab` is the one lab the synthetic benchmark ideas closed as "solution lab" point to.

Nobody is mailed about demo content: mails queued while seeding are cancelled, as in the ideas
demo.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sammen.accounts.models import Role, RoleAssignment, User
from sammen.core.models import Department, MailLog
from sammen.core.workdays import COPENHAGEN, local_date
from sammen.events import labs, registration
from sammen.events.models import Audience, Event, Kind, LabIdea, Registration
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
