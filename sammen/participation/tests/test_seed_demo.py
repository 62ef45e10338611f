"""The demo content: it covers the whole catalogue, reads like the real thing, and is idempotent."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sammen.accounts.models import User
from sammen.core.models import Department, District
from sammen.participation.models import Channel, Opportunity, OpportunityStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> list[Opportunity]:
    call_command("seed_demo", stdout=None)
    return list(
        Opportunity.objects.prefetch_related("departments", "districts", "topics", "principles")
    )


def test_the_demo_covers_every_channel_department_district_and_status(seeded):
    now = timezone.now()

    assert len(seeded) >= 60
    assert {o.channel.slug for o in seeded} == set(Channel.objects.values_list("slug", flat=True))
    assert {d.abbreviation for o in seeded for d in o.departments.all()} == set(
        Department.objects.values_list("abbreviation", flat=True)
    )
    assert {d.number for o in seeded for d in o.districts.all()} == set(range(1, 11))
    assert any(not o.districts.all() for o in seeded)  # whole-city ones too
    assert {o.status_at(now) for o in seeded} == set(OpportunityStatus)
    assert all(o.topics.all() and o.principles.all() for o in seeded)


def test_the_demo_reads_like_real_content(seeded):
    for opportunity in seeded:
        text = f"{opportunity.title} {opportunity.summary} {opportunity.body}".lower()
        assert "lorem" not in text and "ipsum" not in text
        assert opportunity.search_stems
        assert opportunity.contact_email.endswith("kk.dk")
    meetings = [o for o in seeded if o.channel.slug in {"borgermoede", "workshop"}]
    assert all(o.venue_id for o in meetings)  # real venues from the reference data
    outcomes = [o for o in seeded if o.outcome_published_at]
    assert outcomes and all(o.outcome for o in outcomes)


def test_the_demo_has_staff_for_every_department_and_an_administrator(seeded):
    staff = User.objects.filter(is_superuser=False, departments__isnull=False)
    assert {d for u in staff for d in u.departments.values_list("abbreviation", flat=True)} == set(
        Department.objects.values_list("abbreviation", flat=True)
    )
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("sammen-admin-kbh")
    assert User.objects.get(username="tmf").check_password("sammen-demo-kbh")


def test_the_banner_prints_the_log_in_address_and_the_demo_accounts(seeded, capsys):
    call_command("demo_banner", "--url", "http://127.0.0.1:8000/")

    out = capsys.readouterr().out
    assert "http://127.0.0.1:8000/personale/log-ind/" in out
    assert "admin" in out and "sammen-admin-kbh" in out
    assert "tmf" in out and "sammen-demo-kbh" in out
    assert "console" in out


def test_if_empty_adds_nothing_the_second_time(seeded):
    before = Opportunity.objects.count()

    call_command("seed_demo", "--if-empty")
    call_command("seed_demo", "--if-empty", "--opportunities", "10")

    assert Opportunity.objects.count() == before
    assert User.objects.filter(username="admin").count() == 1


def test_seeding_the_demo_again_adds_no_duplicates(seeded):
    call_command("seed_demo")

    assert Opportunity.objects.count() == len(seeded)
    assert User.objects.filter(username="tmf").count() == 1


def test_many_synthetic_opportunities_are_complete_and_deterministic():
    call_command("seed_demo", "--opportunities", "200", "--seed", "7")

    opportunities = Opportunity.objects.prefetch_related("departments", "topics", "principles")
    assert opportunities.count() == 200
    assert all(o.departments.all() and o.topics.all() and o.principles.all() for o in opportunities)
    assert all(o.search_stems and o.is_published for o in opportunities)
    assert Opportunity.districts.through.objects.count() > 0
    first_titles = list(Opportunity.objects.order_by("pk").values_list("title", flat=True)[:20])

    Opportunity.objects.all().delete()
    call_command("seed_demo", "--opportunities", "200", "--seed", "7")

    assert list(Opportunity.objects.order_by("pk").values_list("title", flat=True)[:20]) == (
        first_titles
    )


def test_the_synthetic_opportunities_cover_every_district_and_status():
    call_command("seed_demo", "--opportunities", "200")

    now = timezone.now()
    assert {o.status_at(now) for o in Opportunity.objects.all()} == set(OpportunityStatus)
    assert set(Opportunity.districts.through.objects.values_list("district_id", flat=True)) == set(
        District.objects.values_list("pk", flat=True)
    )


def test_parts_of_the_demo_can_be_seeded_alone():
    from sammen.events.models import Event
    from sammen.ideas.models import Idea

    call_command("seed_demo", "--parts", "catalogue", verbosity=0)
    assert Opportunity.objects.exists()
    assert not Idea.objects.exists() and not Event.objects.exists()
    with pytest.raises(CommandError, match="--parts"):
        call_command("seed_demo", "--parts", "posters", verbosity=0)


def test_the_year_before_last_has_every_figure_last_year_has(seeded):
    """The yearly report on last year compares each indicator with the year before: the demo
    covers that year too, so no indicator with data for last year says "no data" for it."""
    from sammen.events.models import Event, Kind
    from sammen.reporting.indicators import Period, measure_all

    year = timezone.localdate().year - 1
    last, before = measure_all(Period.year(year)), measure_all(Period.year(year - 1))
    assert [key for key, m in last.items() if m.has_data and not before[key].has_data] == []
    assert before["ideas.received"].value < last["ideas.received"].value
    assert before["ideas.dead_ends"].value == 0
    assert before["events.solution_labs_held"].value == 1
    labs = Event.objects.filter(kind=Kind.SOLUTION_LAB, starts_at__year=year - 1)
    assert labs.get().closed_ideas.count() == 3
