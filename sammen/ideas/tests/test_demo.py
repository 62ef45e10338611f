"""The demo ideas: every state and outcome, told through the services; the bulk ideas for
benchmarks hold every database constraint."""

import re
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sammen.accounts.models import User
from sammen.accounts.testing import verified_login
from sammen.core.models import Department, MailLog
from sammen.core.workdays import COPENHAGEN
from sammen.events.models import LabIdea
from sammen.ideas import selectors
from sammen.ideas.demo import PAST_YEARS, STORIES, _Cast, ideas_seed, past_seed
from sammen.ideas.figures import idea_figures
from sammen.ideas.models import Handover, Idea, TimelineEntry, YearCounter
from sammen.ideas.states import OWNED_STATES, Outcome, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> list[Idea]:
    ideas_seed()
    return list(Idea.objects.select_related("lead_department").order_by("confirmed_at", "pk"))


def test_the_demo(demo):
    """One seeding, checked from every side (telling the stories takes a while)."""
    _every_state_outcome_and_department(demo)
    _overdue_public_and_surveys(demo)
    _in_the_past_in_order_and_mailing_nobody(demo)
    _like_real_content(demo)


def _every_state_outcome_and_department(demo):
    titles = {story.title for story in STORIES}
    assert len([i for i in demo if i.title in titles]) == len(STORIES) >= 40
    assert {i.state for i in demo} == set(State)
    assert {i.outcome for i in demo if i.outcome} == set(Outcome)
    assert {i.lead_department.abbreviation for i in demo if i.lead_department} == set(
        Department.objects.values_list("abbreviation", flat=True)
    )
    assert {h.status for h in Handover.objects.all()} == set(Handover.Status)
    assert Handover.objects.filter(status=Handover.Status.PENDING).count() == 1


def _overdue_public_and_surveys(demo):
    now = timezone.now()
    assert selectors.ideas_overdue_acknowledgement(now).count() >= 2
    assert selectors.ideas_overdue_answer(now).count() >= 2
    public = [i for i in demo if i.consent_publish]
    assert 20 <= len(public) < len(demo)
    assert not any(i.consent_publish for i in demo if i.outcome == Outcome.SPAM)
    answered = [i for i in demo if i.survey_answered_at]
    assert len(answered) >= 4
    assert {i.survey_clear_answer for i in answered} == {True, False}
    assert {i.survey_felt_heard for i in answered} == {True, False}
    # Assigned, handed over, re-opened, waited for the citizen and came back; one in English.
    kinds = set(TimelineEntry.objects.values_list("kind", flat=True))
    assert kinds == set(TimelineEntry.Kind)
    assert any(i.language == "en" for i in demo)


def _in_the_past_in_order_and_mailing_nobody(demo):
    now = timezone.now()
    confirmed = [i for i in demo if i.confirmed_at]
    assert all(i.confirmed_at < now for i in confirmed)
    assert [i.reference for i in confirmed] == sorted(i.reference for i in confirmed)
    assert not TimelineEntry.objects.filter(at__gt=now).exists()
    assert MailLog.objects.exists()
    assert not MailLog.objects.exclude(status=MailLog.Status.CANCELLED).exists()
    referred = [i for i in demo if i.outcome == Outcome.REFERRED]
    assert all(i.referred_channel_id for i in referred)


def _like_real_content(demo):
    for idea in demo:
        words = set(re.findall(r"\w+", f"{idea.title} {idea.description}".lower()))
        assert not words & {"lorem", "ipsum", "test", "todo", "xxx"}
        assert idea.email.endswith("@example.org")
        assert idea.search_stems
    handled = [i for i in demo if i.state in OWNED_STATES]
    assert all(i.coordinator.username == "koordinator" for i in handled)
    assert all(
        i.handler is None or i.handler.departments.filter(pk=i.lead_department_id).exists()
        for i in handled
    )


def test_the_demo_is_told_once(demo):
    assert ideas_seed() == 0
    call_command("seed_demo", "--if-empty", "--ideas", "5")
    assert Idea.objects.count() == len(demo)


def test_seed_demo_if_empty_adds_the_ideas_to_an_existing_demo():
    call_command("seed_demo", "--opportunities", "3")
    call_command("seed_demo", "--if-empty")
    titles = {story.title for story in STORIES}
    assert Idea.objects.filter(title__in=titles).count() == len(STORIES)
    assert Idea.objects.exclude(title__in=titles).count() >= 100  # the year behind the stories


def test_many_synthetic_ideas_hold_every_constraint():
    call_command("seed_demo", "--ideas", "200", "--seed", "7")

    ideas = list(Idea.objects.all())
    assert len(ideas) == 200
    for idea in ideas:
        idea.full_clean()  # fields and every Meta.constraint, checked again in Python
        assert idea.search_stems
    assert {i.state for i in ideas} == set(State)
    assert {i.outcome for i in ideas if i.outcome} == set(Outcome)
    references = [i.reference for i in ideas if i.reference]
    assert len(references) == len(set(references))
    for counter in YearCounter.objects.all():
        numbers = [int(r.rsplit("-", 1)[1]) for r in references if f"-{counter.year}-" in r]
        assert counter.last_number == max(numbers)
    assert Idea.districts.through.objects.exists()
    assert Idea.involved_departments.through.objects.exists()
    assert TimelineEntry.objects.filter(kind=TimelineEntry.Kind.CONFIRMED).count() == len(
        references
    )
    first = list(Idea.objects.order_by("pk").values_list("title", "state")[:30])

    LabIdea.objects.all().delete()  # the ideas "taken to a solution lab" protect their lab rows
    Idea.objects.all().delete()
    call_command("seed_demo", "--ideas", "200", "--seed", "7")
    assert list(Idea.objects.order_by("pk").values_list("title", "state")[:30]) == first


def test_synthetic_ideas_continue_the_reference_numbers():
    call_command("seed_demo", "--ideas", "20")
    before = set(Idea.objects.exclude(reference=None).values_list("reference", flat=True))
    call_command("seed_demo", "--ideas", "20")
    after = list(Idea.objects.exclude(reference=None).values_list("reference", flat=True))
    assert len(after) == len(set(after)) > len(before)


def test_ideas_must_be_at_least_one():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--ideas"):
        call_command("seed_demo", "--ideas", "0")


def _last_year(now, years_ago=1):
    year = timezone.localdate(now).year - years_ago
    return date(year, 1, 1), date(year, 12, 31)


def _the_year_before_improves_to_last_year(now):
    """The year before last (the platform's first) has fewer ideas, all closed, none without an
    answer, and a lower share answered in time, so the report shows the change to last year."""
    before, last = (
        idea_figures(*_last_year(now, 2), now=now),
        idea_figures(*_last_year(now), now=now),
    )
    # About 60% of a full year's (last year's own are fewer early in the year, before the stories).
    assert before.has_data and 0.5 * PAST_YEARS[1].per_year <= before.received < last.received
    assert before.received <= 0.7 * PAST_YEARS[1].per_year
    assert before.still_open == 0 and before.dead_ends.total == 0
    assert before.answered_within_deadline.value + 0.08 <= last.answered_within_deadline.value
    assert before.answered_within_deadline.value >= 0.6
    assert before.satisfaction.answered >= 15
    assert all(before.by_outcome[o] > 0 for o in Outcome)


def test_last_year_is_complete_for_the_yearly_report(demo):
    """Last calendar year has ideas from every part of the journey, and none that ended
    without an answer: the figure that matters most is zero."""
    now = timezone.now()
    figures = idea_figures(*_last_year(now))
    assert figures.has_data and figures.received >= 100
    assert figures.dead_ends.total == 0
    assert 0.75 <= figures.answered_within_deadline.value < 1  # most in time, some late
    assert figures.acknowledged_within_deadline.value >= 0.9
    assert all(figures.by_outcome[o] > 0 for o in Outcome)
    assert figures.still_open < figures.received / 5
    assert figures.handovers.accepted and figures.handovers.returned
    assert not figures.handovers.pending
    assert all(row.received for row in figures.by_department)
    assert figures.satisfaction.answered >= 20
    assert figures.satisfaction.clear_answer_no and figures.satisfaction.felt_heard_no
    # The ideas taken to a solution lab went to one held last year, with its agreements.
    labs = {i.solution_lab for i in Idea.objects.filter(outcome=Outcome.SOLUTION_LAB)}
    held = [lab for lab in labs if lab.starts_at.year == _last_year(now)[0].year]
    assert held and held[0].ends_at < now and held[0].agreements.exists()
    assert held[0].registrations.filter(checked_in_at__isnull=False).count() >= 4
    # The year before had its own lab, the first, with three ideas.
    earlier = [lab for lab in labs if lab.starts_at.year == _last_year(now, 2)[0].year]
    assert len(earlier) == 1 and earlier[0].ends_at < now and earlier[0].agreements.exists()
    assert earlier[0].closed_ideas.count() == 3
    _the_year_before_improves_to_last_year(now)
    this_year = idea_figures(date(timezone.localdate(now).year, 1, 1), timezone.localdate(now))
    assert this_year.has_data and this_year.still_open


def test_last_years_ideas_show_on_the_pages(demo, client):
    """The past timelines read like the services' own: the citizen's page, the public board and
    the staff page show a handed-over idea and one taken to last year's lab."""
    year = timezone.localdate().year - 1
    past = Idea.objects.filter(confirmed_at__year=year)
    handed = past.filter(handovers__status=Handover.Status.ACCEPTED).first()
    lab = past.filter(outcome=Outcome.SOLUTION_LAB).first()
    for idea in (handed, lab):
        page = client.get(reverse("ideas:track", args=[idea.tracking_token]))
        assert page.status_code == 200
    agreement = lab.lab_agreements.first()
    assert escape(agreement.text) in page.content.decode()
    public = past.filter(consent_publish=True, state=State.CLOSED).first()
    assert client.get(reverse("ideas:detail", args=[public.reference])).status_code == 200
    verified_login(client, User.objects.get(username="koordinator"))
    for idea in (handed, lab):
        page = client.get(reverse("ideas_staff:detail", args=[idea.pk]))
        assert page.status_code == 200
        assert idea.title in page.content.decode() or escape(idea.title) in page.content.decode()


@pytest.mark.parametrize("today", [(1, 12), (6, 30), (11, 27)])
def test_the_year_behind_the_stories_whatever_the_date(db, today):
    """Early, halfway through and late in the year: last year has ideas, everything happened
    before now and in order, every row holds the model's rules, and no idea is left stalled."""
    year = timezone.localdate().year
    now = datetime(year, *today, 10, tzinfo=COPENHAGEN)
    assert past_seed(_Cast(), now, 2025) > 0
    figures = idea_figures(*_last_year(now), now=now)
    assert figures.received >= 80 and figures.dead_ends.total == 0
    assert figures.answered_within_deadline.value >= 0.75
    _the_year_before_improves_to_last_year(now)
    # The stories are later than every one of these (so the references stay in order).
    assert Idea.objects.filter(confirmed_at__gte=now - timedelta(days=125)).count() == 0
    for idea in Idea.objects.all():
        idea.full_clean(validate_constraints=False)  # the database checked those on insert
        moments = [
            idea.created_at,
            idea.confirmed_at,
            idea.acknowledged_at,
            idea.first_answered_at,
            idea.closed_at,
            idea.survey_sent_at,
            idea.survey_answered_at,
        ]
        known = [m for m in moments if m is not None]
        assert known == sorted(known) and known[-1] < now, idea.reference
        entries = list(idea.timeline.order_by("at", "pk"))
        assert entries[-1].at < now
        for before, after in pairwise(entries):
            assert after.from_state == before.to_state, (idea.reference, after.kind)
        assert entries[-1].to_state == idea.state
    assert past_seed(_Cast(), now, 2025) == 0  # once
