"""The services that write opportunities: validation, permissions, audit rows and atomicity."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.utils import timezone

from sammen.core.tests.factories import UserFactory, department, district, principle, topic
from sammen.participation import rules, search, services
from sammen.participation.models import Opportunity, OpportunityChange, OpportunityStatus
from sammen.participation.selectors import public_opportunities
from sammen.participation.tests.factories import OpportunityFactory, channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def tmf_staff():
    return UserFactory(departments=[department("TMF")])


@pytest.fixture
def kff_staff():
    return UserFactory(departments=[department("KFF")])


def _data(**overrides):
    data = {
        "channel": channel("borgermoede"),
        "title": "Borgermøde om Åboulevarden",
        "summary": "Kom og hør om planerne for Åboulevarden, og sig din mening.",
        "body": "Vi fortæller om planerne.\n\nDerefter taler vi sammen ved bordene.",
        "departments": [department("TMF")],
        "districts": [district(3)],
        "topics": [topic()],
        "principles": [principle(2)],
        "start_at": datetime(2030, 6, 1, 16, 0, tzinfo=UTC),
        "end_at": datetime(2030, 6, 1, 18, 0, tzinfo=UTC),
        "deadline": None,
        "location": "Nørrebrohallen, Bragesgade 5",
        "contact_name": "Mette Jensen",
        "contact_email": "mette@tmf.kk.dk",
    }
    data.update(overrides)
    return data


def _row_counts():
    through = Opportunity
    return (
        Opportunity.objects.count(),
        OpportunityChange.objects.count(),
        through.departments.through.objects.count(),
        through.districts.through.objects.count(),
        through.topics.through.objects.count(),
        through.principles.through.objects.count(),
    )


def test_slug_spells_out_danish_letters():
    assert services.opportunity_slug("Ærø, Østerbro og Åboulevarden") == (
        "aeroe-oesterbro-og-aaboulevarden"
    )
    assert services.opportunity_slug("!!!") == "mulighed"


def test_create_makes_an_unpublished_draft_with_an_audit_row(tmf_staff):
    opportunity = services.opportunity_create(by=tmf_staff, data=_data())

    assert opportunity.is_published is False
    assert opportunity.published_at is None
    assert opportunity.slug == "borgermoede-om-aaboulevarden"
    assert opportunity.created_by == tmf_staff
    assert list(opportunity.departments.all()) == [department("TMF")]
    assert list(opportunity.districts.all()) == [district(3)]
    change = opportunity.changes.get()
    assert change.action == OpportunityChange.Action.CREATED
    assert change.by == tmf_staff
    assert change.changes["title"] == [None, "Borgermøde om Åboulevarden"]
    assert change.changes["start_at"] == [None, "2030-06-01T16:00:00+00:00"]
    assert change.changes["departments"] == [[], ["Teknik- og Miljøforvaltningen"]]
    assert opportunity not in public_opportunities()


def test_create_sets_the_search_stems_from_title_summary_and_body(tmf_staff):
    data = _data()
    opportunity = services.opportunity_create(by=tmf_staff, data=data)
    expected = search.stems_for(title=data["title"], summary=data["summary"], body=data["body"])
    assert opportunity.search_stems == expected
    assert expected


def test_create_refuses_an_end_before_the_start_and_writes_nothing(tmf_staff):
    before = _row_counts()
    with pytest.raises(ValidationError) as error:
        services.opportunity_create(
            by=tmf_staff,
            data=_data(end_at=datetime(2030, 6, 1, 15, 0, tzinfo=UTC)),
        )
    assert "end_at" in error.value.message_dict
    assert _row_counts() == before


def test_create_refuses_a_deadline_before_the_start(tmf_staff):
    with pytest.raises(ValidationError) as error:
        services.opportunity_create(
            by=tmf_staff, data=_data(deadline=datetime(2030, 5, 1, tzinfo=UTC), end_at=None)
        )
    assert "deadline" in error.value.message_dict


def test_create_requires_a_department(tmf_staff):
    with pytest.raises(ValidationError) as error:
        services.opportunity_create(by=tmf_staff, data=_data(departments=[]))
    assert "departments" in error.value.message_dict


def test_staff_cannot_create_for_another_department(tmf_staff):
    before = _row_counts()
    with pytest.raises(PermissionDenied):
        services.opportunity_create(by=tmf_staff, data=_data(departments=[department("KFF")]))
    assert _row_counts() == before


def test_a_user_without_a_department_cannot_create():
    with pytest.raises(PermissionDenied):
        services.opportunity_create(by=UserFactory(), data=_data())


def test_a_failure_after_the_first_write_leaves_nothing_behind(tmf_staff, monkeypatch):
    before = _row_counts()

    def broken(self, *args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(OpportunityChange, "save", broken)
    with pytest.raises(DatabaseError):
        services.opportunity_create(by=tmf_staff, data=_data())
    assert _row_counts() == before


def test_unknown_fields_are_refused(tmf_staff):
    with pytest.raises(TypeError):
        services.opportunity_create(by=tmf_staff, data=_data(is_published=True))


def test_update_records_only_what_changed_with_before_and_after(tmf_staff):
    opportunity = OpportunityFactory(title="Gammel titel", districts=[district(3)])
    new_deadline = opportunity.deadline + timedelta(days=7)

    updated = services.opportunity_update(
        opportunity=opportunity,
        by=tmf_staff,
        data={
            "title": "Ny titel",
            "summary": opportunity.summary,
            "deadline": new_deadline,
            "districts": [district(3), district(4)],
        },
    )

    assert updated.title == "Ny titel"
    change = OpportunityChange.objects.get(opportunity=opportunity)
    assert change.action == OpportunityChange.Action.UPDATED
    assert change.by == tmf_staff
    assert set(change.changes) == {"title", "deadline", "districts"}
    assert change.changes["title"] == ["Gammel titel", "Ny titel"]
    assert change.changes["deadline"][1] == new_deadline.astimezone(UTC).isoformat()
    assert change.changes["districts"] == [
        [district(3).name],
        sorted([district(3).name, district(4).name]),
    ]
    assert set(updated.districts.all()) == {district(3), district(4)}


def test_update_without_changes_writes_no_row(tmf_staff):
    opportunity = OpportunityFactory()
    services.opportunity_update(
        opportunity=opportunity, by=tmf_staff, data={"title": opportunity.title}
    )
    assert not OpportunityChange.objects.exists()


def test_update_of_the_text_refreshes_the_search_stems(tmf_staff):
    opportunity = OpportunityFactory()
    updated = services.opportunity_update(
        opportunity=opportunity, by=tmf_staff, data={"body": "Cykelstier og træer"}
    )
    assert updated.search_stems == search.stems_for(
        title=updated.title, summary=updated.summary, body="Cykelstier og træer"
    )


def test_the_slug_follows_the_title_until_first_published(tmf_staff):
    draft = OpportunityFactory(is_published=False, published_at=None, slug="udkast")
    draft = services.opportunity_update(opportunity=draft, by=tmf_staff, data={"title": "Ny vej"})
    assert draft.slug == "ny-vej"

    published = OpportunityFactory(slug="offentlig")
    published = services.opportunity_update(
        opportunity=published, by=tmf_staff, data={"title": "Ny vej"}
    )
    assert published.slug == "offentlig"


def test_staff_of_another_department_cannot_update(kff_staff):
    opportunity = OpportunityFactory(title="Uændret")
    with pytest.raises(PermissionDenied):
        services.opportunity_update(opportunity=opportunity, by=kff_staff, data={"title": "X"})
    opportunity.refresh_from_db()
    assert opportunity.title == "Uændret"


def test_update_keeps_a_colleagues_department_but_needs_one_of_ones_own(tmf_staff):
    opportunity = OpportunityFactory(departments=[department("TMF"), department("KFF")])
    with pytest.raises(ValidationError) as error:
        services.opportunity_update(
            opportunity=opportunity, by=tmf_staff, data={"departments": [department("KFF")]}
        )
    assert "departments" in error.value.message_dict
    assert set(opportunity.departments.all()) == {department("TMF"), department("KFF")}


def test_a_failed_update_changes_neither_fields_nor_relations(tmf_staff):
    opportunity = OpportunityFactory(title="Før", districts=[district(3)])
    with pytest.raises(ValidationError):
        services.opportunity_update(
            opportunity=opportunity,
            by=tmf_staff,
            data={
                "title": "Efter",
                "districts": [district(5)],
                "end_at": opportunity.start_at - timedelta(hours=1),
            },
        )
    opportunity.refresh_from_db()
    assert opportunity.title == "Før"
    assert list(opportunity.districts.all()) == [district(3)]
    assert not OpportunityChange.objects.exists()


def test_publishing_sets_published_at_the_first_time_only(tmf_staff):
    opportunity = OpportunityFactory(is_published=False, published_at=None)
    first = timezone.now() - timedelta(days=2)

    services.opportunity_publish(opportunity=opportunity, by=tmf_staff, now=first)
    opportunity.refresh_from_db()
    assert opportunity.is_published
    assert opportunity.published_at == first
    assert opportunity in public_opportunities()

    services.opportunity_unpublish(opportunity=opportunity, by=tmf_staff)
    assert opportunity not in public_opportunities()

    services.opportunity_publish(opportunity=opportunity, by=tmf_staff)
    opportunity.refresh_from_db()
    assert opportunity.published_at == first
    actions = list(
        OpportunityChange.objects.filter(opportunity=opportunity)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["published", "unpublished", "published"]
    first_row = OpportunityChange.objects.filter(opportunity=opportunity).order_by("pk").first()
    assert first_row.changes == {
        "is_published": [False, True],
        "published_at": [None, first.astimezone(UTC).isoformat()],
    }


def test_publishing_twice_records_it_once(tmf_staff):
    opportunity = OpportunityFactory(is_published=False, published_at=None)
    services.opportunity_publish(opportunity=opportunity, by=tmf_staff)
    services.opportunity_publish(opportunity=opportunity, by=tmf_staff)
    assert OpportunityChange.objects.filter(action="published").count() == 1


def test_staff_of_another_department_cannot_publish(kff_staff):
    opportunity = OpportunityFactory(is_published=False, published_at=None)
    with pytest.raises(PermissionDenied):
        services.opportunity_publish(opportunity=opportunity, by=kff_staff)
    assert opportunity not in public_opportunities()


def _closed(**kwargs):
    now = timezone.now()
    return OpportunityFactory(
        start_at=now - timedelta(days=30), deadline=now - timedelta(days=1), **kwargs
    )


def test_the_outcome_is_refused_while_the_opportunity_is_open(tmf_staff):
    opportunity = OpportunityFactory()  # open: the deadline is in 20 days
    with pytest.raises(ValidationError) as error:
        services.opportunity_set_outcome(
            opportunity=opportunity, by=tmf_staff, outcome="Planen blev vedtaget."
        )
    assert "outcome" in error.value.message_dict
    opportunity.refresh_from_db()
    assert opportunity.outcome == ""
    assert opportunity.outcome_published_at is None


def test_the_outcome_of_a_closed_opportunity_is_published_once(tmf_staff):
    opportunity = _closed()
    first = timezone.now()
    services.opportunity_set_outcome(
        opportunity=opportunity, by=tmf_staff, outcome="Planen blev vedtaget.", now=first
    )
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.OUTCOME_PUBLISHED
    assert opportunity.outcome_published_at == first

    services.opportunity_set_outcome(
        opportunity=opportunity, by=tmf_staff, outcome="Planen blev vedtaget med ændringer."
    )
    opportunity.refresh_from_db()
    assert opportunity.outcome_published_at == first
    last = OpportunityChange.objects.filter(opportunity=opportunity).first()
    assert last.action == OpportunityChange.Action.OUTCOME
    assert last.changes == {
        "outcome": ["Planen blev vedtaget.", "Planen blev vedtaget med ændringer."]
    }


def test_an_empty_outcome_is_refused(tmf_staff):
    with pytest.raises(ValidationError):
        services.opportunity_set_outcome(opportunity=_closed(), by=tmf_staff, outcome="  ")


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("anonymous", False), ("tmf", True), ("kff", False), ("none", False), ("superuser", True)],
)
def test_the_edit_rule_and_its_query_agree(persona, allowed):
    from django.contrib.auth.models import AnonymousUser

    users = {
        "anonymous": lambda: AnonymousUser(),
        "tmf": lambda: UserFactory(departments=[department("TMF")]),
        "kff": lambda: UserFactory(departments=[department("KFF")]),
        "none": lambda: UserFactory(),
        "superuser": lambda: UserFactory(is_superuser=True),
    }
    user = users[persona]()
    opportunity = OpportunityFactory()
    assert rules.can_edit_opportunity(user, opportunity) is allowed
    assert rules.can_publish_opportunity(user, opportunity) is allowed
    assert rules.can_set_outcome(user, opportunity) is allowed
    assert (opportunity in rules.opportunities_editable_by(user)) is allowed


def test_an_inactive_user_may_do_nothing():
    user = UserFactory(departments=[department("TMF")], is_active=False)
    assert not rules.can_use_staff_pages(user)
    assert not rules.can_edit_opportunity(user, OpportunityFactory())
    assert not rules.opportunities_editable_by(user).exists()


def test_a_published_opportunity_written_by_staff_can_be_searched(tmf_staff):
    opportunity = services.opportunity_create(
        by=tmf_staff, data=_data(body="Vi vil gerne have flere cykelstier i byen.")
    )
    services.opportunity_publish(opportunity=opportunity, by=tmf_staff)
    found = search.search_opportunities(public_opportunities(), "cykelsti", rank=False, then=["pk"])
    assert list(found) == [opportunity]
