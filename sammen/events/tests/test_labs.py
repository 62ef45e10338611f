"""Solution labs: taking open ideas to a lab, the invitations, agreements on the ideas' timelines,
and closing an idea as "taken to a solution lab"."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from sammen.accounts.models import Role, RoleAssignment
from sammen.core.mailing import deliver
from sammen.core.models import MailLog
from sammen.core.tests.factories import UserFactory, department
from sammen.core.workdays import local_date
from sammen.events import labs, registration
from sammen.events.models import Audience, Event, Kind, LabAgreement, LabIdea, Registration
from sammen.ideas import selectors, services
from sammen.ideas.models import Idea, TimelineEntry
from sammen.ideas.states import Outcome, State
from sammen.ideas.tests.factories import coordinator_user, idea_in, staff_user

pytestmark = pytest.mark.django_db

Status = Registration.Status


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def coordinator():
    return coordinator_user()


def consultant(abbreviation: str):
    user = UserFactory()
    RoleAssignment.objects.create(
        user=user, role=Role.CONSULTANT, department=department(abbreviation)
    )
    return user


def open_idea(coordinator, *, lead="TMF", language="en", state=State.IN_PROGRESS, **fields):
    """An idea in `state`, its citizen with an address of their own and writing in `language`."""
    idea = idea_in(state, coordinator=coordinator, lead=lead)
    fields.setdefault("email", f"borger{idea.pk}@example.org")
    Idea.objects.filter(pk=idea.pk).update(language=language, **fields)
    return Idea.objects.get(pk=idea.pk)


def create_lab(coordinator, ideas, **overrides):
    start = timezone.now() + timedelta(days=21)
    data = {
        "by": coordinator,
        "ideas": ideas,
        "title": "Løsningslaboratorium om byrum",
        "summary": "Vi arbejder sammen om idéerne.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "location": "Rådhuset, Udvalgsværelse 1",
    }
    data.update(overrides)
    return labs.lab_create(**data)


def public_messages(idea) -> list[str]:
    return list(selectors.public_timeline(idea).values_list("public_message", flat=True))


# --- creating a lab ------------------------------------------------------------------------------


def test_a_coordinator_takes_ideas_to_a_lab_and_everyone_is_invited(coordinator):
    handler = staff_user("TMF")
    first = open_idea(coordinator, lead="TMF")
    services.idea_assign(
        idea=first, by=coordinator, handler=handler, involved_departments=[department("KFF")]
    )
    second = open_idea(coordinator, lead="BUF", state=State.TRIAGED)
    tmf, kff, buf = consultant("TMF"), consultant("KFF"), consultant("BUF")
    outsider = consultant("SOF")
    MailLog.objects.all().delete()

    lab = create_lab(coordinator, [first, second])

    assert (lab.kind, lab.audience, lab.is_published, lab.organiser) == (
        Kind.SOLUTION_LAB,
        Audience.STAFF,
        True,
        coordinator,
    )
    assert set(LabIdea.objects.filter(event=lab).values_list("idea_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    # The citizens: a pending registration each, with the lab's invitation, not the generic mail.
    invited = {r.idea_id: r for r in lab.registrations.all()}
    assert set(invited) == {first.pk, second.pk}
    assert all(r.status == Status.PENDING and r.language == "en" for r in invited.values())
    assert invited[first.pk].name == first.contact_name
    rows = MailLog.objects.filter(template=labs.CITIZEN_INVITATION)
    assert sorted(rows.values_list("recipient", flat=True)) == sorted([first.email, second.email])
    assert not MailLog.objects.filter(template="events.pending").exists()
    # The departments: the handler and the consultants of the lead and involved departments, once.
    staff = MailLog.objects.filter(template=labs.STAFF_INVITATION)
    assert sorted(staff.values_list("recipient", flat=True)) == sorted(
        [handler.email, tmf.email, kff.email, buf.email]
    )
    assert outsider.email not in staff.values_list("recipient", flat=True)
    # Each citizen is told on the idea's timeline, where, when and with whom.
    message = public_messages(first)[-1]
    assert message.startswith("Your idea will be worked on at a solution lab on ")
    assert "Rådhuset, Udvalgsværelse 1" in message
    for name in (department("TMF").name, department("KFF").name, department("BUF").name):
        assert name in message
    assert message.endswith("You are invited: see the e-mail.")


def test_the_invitations_are_sent_with_the_confirmation_link(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    idea = open_idea(coordinator)
    helper = consultant("TMF")
    with django_capture_on_commit_callbacks(execute=True):
        lab = create_lab(coordinator, [idea])
    invitation = next(m for m in mailoutbox if idea.email in m.to and "solution lab" in m.subject)
    token = lab.registrations.get().token
    assert reverse("events:confirm", args=[token]) in invitation.body
    assert reverse("events:cancel", args=[token]) in invitation.body
    assert idea.title in invitation.body
    staff_mail = next(m for m in mailoutbox if helper.email in m.to)
    assert f"/{lab.slug}/" in staff_mail.body
    assert idea.reference in staff_mail.body


def test_an_invitation_does_not_lapse_like_a_public_registration(coordinator):
    idea = open_idea(coordinator)
    lab = create_lab(coordinator, [idea])
    later = timezone.now() + timedelta(days=5)
    assert registration.expire_pending(now=later) == 0
    invitation = lab.registrations.get()
    assert (
        registration.confirm_public(registration=invitation, now=later).status == Status.CONFIRMED
    )


def test_a_citizen_who_may_not_be_contacted_is_told_on_the_page_but_not_invited(coordinator):
    idea = open_idea(coordinator, consent_contact=False)
    MailLog.objects.all().delete()
    lab = create_lab(coordinator, [idea])
    assert not lab.registrations.exists()
    assert not MailLog.objects.filter(recipient=idea.email).exists()
    message = public_messages(idea)[-1]
    assert "solution lab" in message and "invited" not in message


@pytest.mark.parametrize("who", ["staff", "consultant"])
def test_only_coordinators_create_labs(coordinator, who):
    idea = open_idea(coordinator)
    user = staff_user("TMF") if who == "staff" else consultant("TMF")
    with pytest.raises(PermissionDenied):
        create_lab(user, [idea])
    assert not Event.objects.exists()


def test_a_lab_needs_open_ideas_and_a_future_start(coordinator):
    closed = idea_in(State.CLOSED, coordinator=coordinator)
    anonymised = open_idea(coordinator, anonymised_at=timezone.now())
    fine = open_idea(coordinator)
    MailLog.objects.all().delete()
    for ideas in ([], [closed], [anonymised], [fine, closed]):
        with pytest.raises(ValidationError) as refused:
            create_lab(coordinator, ideas)
        assert "ideas" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        create_lab(coordinator, [fine], starts_at=timezone.now())
    assert "starts_at" in refused.value.message_dict
    assert not Event.objects.exists() and not LabIdea.objects.exists()
    assert not MailLog.objects.exists()


def test_a_citizen_with_two_ideas_in_a_lab_is_invited_once(coordinator):
    first = open_idea(coordinator, email="karen@example.org")
    second = open_idea(coordinator, lead="BUF", email="KAREN@example.org")
    lab = create_lab(coordinator, [first, second])
    invitation = lab.registrations.get()
    items = labs.lab_ideas(lab)
    assert labs.citizen_registrations(lab, items) == {first.pk: invitation, second.pk: invitation}
    assert public_messages(second)[-1].endswith("You are invited: see the e-mail.")


def test_an_idea_is_added_to_an_upcoming_lab_once(coordinator):
    first, second = open_idea(coordinator), open_idea(coordinator, lead="BUF")
    lab = create_lab(coordinator, [first])
    labs.lab_add_idea(event=lab, idea=second, by=coordinator)
    assert lab.lab_ideas.count() == 2
    assert lab.registrations.filter(idea=second, status=Status.PENDING).exists()
    with pytest.raises(ValidationError):
        labs.lab_add_idea(event=lab, idea=second, by=coordinator)


# --- agreements ----------------------------------------------------------------------------------


@pytest.fixture
def lab_with_idea(coordinator):
    idea = open_idea(coordinator)
    return create_lab(coordinator, [idea]), idea


def test_an_agreement_is_a_public_message_the_citizen_sees(client, coordinator, lab_with_idea):
    lab, idea = lab_with_idea
    owner = staff_user("TMF", first_name="Ane", last_name="Holm")
    follow_up = local_date(timezone.now()) + timedelta(days=30)
    agreement = labs.agreement_record(
        event=lab,
        idea=idea,
        text="TMF sætter tre bænke op til en prøve.",
        owner_department=department("TMF"),
        owner_user=owner,
        follow_up_on=follow_up,
        by=coordinator,
    )
    assert LabAgreement.objects.get() == agreement
    entry = selectors.public_timeline(idea).last()
    assert "TMF sætter tre bænke op til en prøve." in entry.public_message
    assert f"Responsible: {department('TMF').name}, Ane Holm." in entry.public_message
    assert "We will follow up by" in entry.public_message
    assert not entry.internal_note
    # The usual notification to the citizen, and the tracking page shows it.
    assert MailLog.objects.filter(key=f"idea:{idea.pk}:entry:{entry.pk}:citizen").exists()
    page = client.get(reverse("ideas:track", args=[idea.tracking_token])).content.decode()
    assert "TMF sætter tre bænke op til en prøve." in page
    assert "Ane Holm" in page


def test_an_agreement_is_checked(coordinator, lab_with_idea):
    lab, idea = lab_with_idea
    elsewhere = staff_user("BUF")
    today = local_date(timezone.now())
    with pytest.raises(ValidationError) as refused:
        labs.agreement_record(
            event=lab,
            idea=idea,
            text="  ",
            owner_department=department("TMF"),
            owner_user=elsewhere,
            follow_up_on=today - timedelta(days=1),
            by=coordinator,
        )
    assert set(refused.value.message_dict) == {"text", "owner_user", "follow_up_on"}
    other_idea = open_idea(coordinator)
    with pytest.raises(ValidationError):
        labs.agreement_record(
            event=lab,
            idea=other_idea,
            text="Aftale",
            owner_department=department("TMF"),
            follow_up_on=today,
            by=coordinator,
        )
    with pytest.raises(PermissionDenied):
        labs.agreement_record(
            event=lab,
            idea=idea,
            text="Aftale",
            owner_department=department("TMF"),
            follow_up_on=today,
            by=staff_user("TMF"),
        )
    assert not LabAgreement.objects.exists()


# --- closing an idea as taken to a lab -----------------------------------------------------------


def _close(idea, coordinator, **details):
    return services.idea_transition(
        idea=idea,
        to_state=State.CLOSED,
        by=coordinator,
        outcome=Outcome.SOLUTION_LAB,
        public_message="Vi arbejder videre med idéen i et løsningslaboratorium.",
        **details,
    )


def test_closing_as_taken_to_a_lab_names_a_lab_the_idea_is_in(client, coordinator):
    idea, other = open_idea(coordinator), open_idea(coordinator)
    lab = create_lab(coordinator, [idea])
    other_lab = create_lab(coordinator, [other], title="Et andet laboratorium")
    for details in ({}, {"solution_lab": other_lab}):
        with pytest.raises(ValidationError) as refused:
            _close(idea, coordinator, **details)
        assert "solution_lab" in refused.value.message_dict
    closed = _close(idea, coordinator, solution_lab=lab)
    assert (closed.outcome, closed.solution_lab) == (Outcome.SOLUTION_LAB, lab)
    page = client.get(reverse("ideas:track", args=[idea.tracking_token])).content.decode()
    assert lab.title in page
    # The citizen's mail about the closing names the lab, too (sent as the worker would).
    row = MailLog.objects.filter(key__startswith=f"idea:{idea.pk}:entry:").latest("pk")
    assert deliver(row.pk) == MailLog.Status.SENT
    assert f"“{lab.title}”" in mail.outbox[-1].body
    # The database holds the rule too, and re-opening forgets the lab.
    with pytest.raises(IntegrityError), transaction.atomic():
        Idea.objects.filter(pk=idea.pk).update(solution_lab=None)
    reopened = services.idea_transition(
        idea=closed, to_state=State.IN_PROGRESS, by=coordinator, internal_note="Mere at gøre."
    )
    assert (reopened.outcome, reopened.solution_lab) == ("", None)
    assert TimelineEntry.objects.filter(idea=idea, kind=TimelineEntry.Kind.REOPENED).exists()


def test_erasing_the_citizens_data_also_anonymises_their_lab_registration(coordinator):
    from sammen.ideas import privacy
    from sammen.ideas.models import ErasureRecord

    idea = open_idea(coordinator)
    lab = create_lab(coordinator, [idea])
    invited = Registration.objects.get(event=lab, idea=idea)
    exported = privacy.personal_data_export(idea)
    assert exported["solution_lab_registrations"][0]["email"] == invited.email

    record = privacy.idea_anonymise(idea=idea, reason=ErasureRecord.Reason.CITIZEN_REQUEST)

    invited.refresh_from_db()
    assert invited.email.endswith("@anonymised.invalid")
    assert invited.name == "—"
    assert "solution_lab_registrations" in record.fields
