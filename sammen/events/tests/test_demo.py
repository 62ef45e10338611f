"""The demo events: last year's conference with stands and attendance, the morning meetings on
principles 1-4 and the next one a seat from full, the public meeting in Få indflydelse's catalogue;
told through the services, mailing nobody, and added once."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from sammen.accounts.models import User
from sammen.core.models import Department, MailLog
from sammen.core.workdays import COPENHAGEN
from sammen.events import registration, selectors
from sammen.events.demo import (
    EDITIONS,
    LOGIN_USERNAMES,
    SERIES_SLUG,
    conference_title,
    edition_days,
    events_seed,
)
from sammen.events.feedback import event_feedback_summary
from sammen.events.figures import event_figures
from sammen.events.models import (
    Audience,
    Event,
    Feedback,
    Kind,
    ProgrammeItem,
    Registration,
    Series,
    Stand,
)
from sammen.events.tests.factories import EventFactory
from sammen.ideas.tests.factories import submitted_idea
from sammen.knowledge.demo import knowledge_seed
from sammen.participation import selectors as catalogue
from sammen.participation.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

Status = Registration.Status


@pytest.fixture
def demo() -> None:
    knowledge_seed()  # the practice examples the programmes link to
    assert events_seed() == 9


def test_the_demo(demo):
    """One seeding, checked from every side (telling it takes a few seconds)."""
    now = timezone.now()
    _in_the_past_and_mailing_nobody(now)
    _the_conference(now)
    _the_morning_meetings(now)
    _coming_up(now)
    _last_year_for_the_yearly_report(now)
    _the_year_before_for_the_comparison(now)
    _the_next_morning_meeting_is_one_seat_from_full(now)  # registers: last
    # Running it again adds nothing.
    counts = (Event.objects.count(), Registration.objects.count(), User.objects.count())
    assert events_seed() == 0
    assert (Event.objects.count(), Registration.objects.count(), User.objects.count()) == counts


def _the_conference(now):
    conference = Event.objects.get(kind=Kind.CONFERENCE, title=conference_title(now))
    assert conference.title == f"Københavnerdialog {timezone.localdate(now).year - 1}"
    assert conference.ends_at < now and conference.is_published
    assert conference.venue is not None
    regs = conference.registrations.all()
    seated = regs.filter(status=Status.CONFIRMED)
    assert 110 <= seated.count() <= conference.capacity == 120
    assert regs.filter(status=Status.CANCELLED).exists()
    assert seated.filter(promoted_at__isnull=False).exists()  # the waitlist moved up
    assert not regs.filter(status=Status.WAITLISTED).exists()
    checked_in = seated.filter(checked_in_at__isnull=False).count()
    assert 0.85 <= checked_in / seated.count() <= 0.95
    assert set(seated.values_list("department__abbreviation", flat=True)) == set(
        Department.objects.values_list("abbreviation", flat=True)
    )
    # The programme: plenary and parallel workshops in rooms, staff and guest speakers,
    # practice examples from the knowledge base.
    items = ProgrammeItem.objects.filter(event=conference)
    assert items.values("room").distinct().count() >= 4
    speakers = {s for item in items for s in item.speakers.all()}
    assert any(s.user_id for s in speakers) and any(not s.user_id for s in speakers)
    assert items.filter(examples__isnull=False).distinct().count() >= 5
    # The marketplace.
    approved = conference.stands.filter(status=Stand.Status.APPROVED)
    assert approved.count() == 12
    assert sorted(approved.values_list("position", flat=True))[:2] == ["A1", "A2"]
    assert conference.stands.filter(status=Stand.Status.DECLINED).count() == 2
    assert conference.stands.filter(status=Stand.Status.REQUESTED).count() == 1
    assert len(selectors.approved_stands(conference)) == 12
    # Feedback from about sixty, all of them checked in; materials after the event.
    summary = event_feedback_summary(conference)
    assert 55 <= summary.count <= 65 and 3.5 <= summary.average <= 4.8
    assert summary.will_use and summary.principles
    assert not Feedback.objects.filter(
        event=conference, registration__checked_in_at__isnull=True
    ).exists()
    assert conference.materials.filter(url__startswith="https://").exists()


def _the_morning_meetings(now):
    series = Series.objects.get(slug=SERIES_SLUG)
    editions = selectors.series_editions(series, staff=True)
    assert len(editions) == 5
    coverage = selectors.principle_coverage(editions, now)
    assert [c.covered for c in coverage] == [True, True, True, True, False]
    for event in editions[:4]:
        assert event.ends_at < now
        seated = event.registrations.filter(status=Status.CONFIRMED).count()
        assert 45 <= seated <= 80
        assert event.registrations.filter(checked_in_at__isnull=False).count() > 0.8 * seated
        assert event.feedback.count() >= 15
        assert event.programme.filter(examples__isnull=False).exists()


def _last_year_for_the_yearly_report(now):
    """Last calendar year has the conference and two morning meetings, with attendance from
    every department and feedback (the solution lab comes with the ideas demo)."""
    year = timezone.localdate(now).year - 1
    figures = event_figures(date(year, 1, 1), date(year, 12, 31))
    assert figures.has_data
    assert figures.held_by_kind[Kind.CONFERENCE] == 1
    assert figures.held_by_kind[Kind.MORNING_MEETING] >= 2
    assert all(row.registered and row.attended for row in figures.by_department)
    assert 0 < figures.no_shows.value < 0.25 and figures.events_without_check_in == 0
    assert figures.feedback_answers >= 80 and 3.5 <= figures.feedback_average <= 4.8
    assert sum(row.morning_meetings for row in figures.principles) >= 2


def _the_year_before_for_the_comparison(now):
    """The year before last has its own, first conference (smaller, fewer came, lower scores,
    a stand from each department) and the first morning meeting, so last year's report has
    something to compare with."""
    year = timezone.localdate(now).year - 2
    first = Event.objects.get(kind=Kind.CONFERENCE, title=conference_title(now, 2))
    assert first.title == f"Københavnerdialog {year}" and first.starts_at.year == year
    assert (
        first.ends_at < now and first.venue != Event.objects.get(title=conference_title(now)).venue
    )
    assert first.programme.filter(examples__isnull=False).count() >= 5
    assert first.stands.filter(status=Stand.Status.APPROVED).count() == 7
    before = event_figures(date(year, 1, 1), date(year, 12, 31), now=now)
    last = event_figures(date(year + 1, 1, 1), date(year + 1, 12, 31), now=now)
    assert before.has_data and before.held_by_kind[Kind.CONFERENCE] == 1
    assert before.held_by_kind[Kind.MORNING_MEETING] == 1  # the series began that November
    assert all(row.registered and row.attended for row in before.by_department)
    assert 0 < before.no_shows.value < 0.25 and before.events_without_check_in == 0
    assert 3.5 <= before.feedback_average < last.feedback_average
    attended = [sum(r.attended for r in f.by_department) for f in (before, last)]
    assert 0.6 * attended[1] <= attended[0] < attended[1]


@pytest.mark.parametrize("today", [(1, 2), (1, 20), (6, 11), (11, 30), (12, 31)])
def test_two_morning_meetings_last_year_whatever_the_date(today):
    """The editions are calendar dates: last year always has two (or three, early in the year),
    every edition is a Tuesday outside the holidays, in order, and over a week before now."""
    year = timezone.localdate().year
    now = datetime(year, *today, 9, tzinfo=COPENHAGEN)
    days = edition_days(now)
    assert days == sorted(set(days)) and len(days) == len(EDITIONS)
    assert all(day.weekday() == 1 and day.month != 7 for day in days)
    assert days[-1] <= timezone.localdate(now) - timedelta(days=8)
    assert 2 <= sum(1 for day in days if day.year == year - 1) <= 3


def _the_next_morning_meeting_is_one_seat_from_full(now):
    event = Event.objects.get(series__slug=SERIES_SLUG, principle__number=5)
    assert event.starts_at > now
    assert registration.registration_refusal(event, now) is None
    assert registration.seats_left(event) == 1
    assert not event.registrations.filter(user__username__in=LOGIN_USERNAMES).exists()
    # A demo login takes the last seat; the next one waits.
    first = registration.register_staff(event=event, user=User.objects.get(username="okf"))
    second = registration.register_staff(event=event, user=User.objects.get(username="kff"))
    assert (first.status, second.status) == (Status.CONFIRMED, Status.WAITLISTED)
    registration.cancel(registration=first)
    second.refresh_from_db()
    assert second.status == Status.CONFIRMED


def _coming_up(now):
    network = Event.objects.get(kind=Kind.NETWORK_MEETING)
    assert network.starts_at > now and network.registrations.exists()
    public = Event.objects.get(kind=Kind.CITIZEN_EVENT)
    assert public.audience == Audience.PUBLIC and public.starts_at > now
    assert public.opportunity is not None
    assert catalogue.public_opportunities().filter(pk=public.opportunity_id).exists()
    entry = public.opportunity
    assert entry.participation_url.endswith(public.get_absolute_url())
    assert entry.contact_email.endswith("kk.dk") and entry.topics.exists()
    assert entry.districts.exists() and entry.principles.exists()
    assert public.registrations.filter(status=Status.CONFIRMED, user__isnull=True).exists()
    assert list(selectors.visible_events(staff=False).exclude(kind=Kind.SOLUTION_LAB)) == [public]


def _in_the_past_and_mailing_nobody(now):
    assert not MailLog.objects.filter(status=MailLog.Status.QUEUED, template__startswith="events.")
    assert MailLog.objects.filter(template="events.registered").exists()
    past = Event.objects.filter(ends_at__lt=now)
    assert not Registration.objects.filter(event__in=past).exclude(needs="").exists()
    assert not past.filter(feedback_requested_at__isnull=True).exists()
    for event in Event.objects.exclude(kind=Kind.SOLUTION_LAB):
        regs = event.registrations.all()
        assert all(r.created_at < now for r in regs)
        assert all(r.cancelled_at > r.created_at for r in regs if r.cancelled_at)
        if event.registration_opens_at:
            assert all(r.created_at >= event.registration_opens_at for r in regs)
    # The colleagues who fill the events cannot log in.
    assert not any(
        u.has_usable_password() for u in User.objects.filter(username__startswith="demo-")
    )


def test_seed_demo_adds_the_events_only_when_there_are_none(db):
    """`make run` seeds with --if-empty: the events are added once, also when the ideas demo has
    already taken ideas to a solution lab (labs do not count). The opportunity and idea here make
    it skip those parts of the demo."""
    OpportunityFactory()
    submitted_idea()
    EventFactory(kind=Kind.SOLUTION_LAB, title="Løsningslaboratorium")
    call_command("seed_demo", "--if-empty", stdout=io.StringIO())
    assert Event.objects.filter(kind=Kind.CONFERENCE).count() == 2
    counts = (Event.objects.count(), Registration.objects.count())
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "no demo events added" in out.getvalue()
    assert (Event.objects.count(), Registration.objects.count()) == counts
