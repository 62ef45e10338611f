"""The demo ideas: every state and outcome, told through the services; the bulk ideas for
benchmarks hold every database constraint."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from sammen.core.models import Department, MailLog
from sammen.events.models import LabIdea
from sammen.ideas import selectors
from sammen.ideas.demo import STORIES, ideas_seed
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
    assert len(demo) == len(STORIES) >= 40
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
    assert Idea.objects.count() == len(STORIES)


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
