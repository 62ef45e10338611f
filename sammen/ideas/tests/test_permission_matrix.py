"""Every staff page and action on an idea, for every kind of user: the permission matrix (issue §2).

The idea is led by TMF with KFF involved. The personas: anonymous, staff of the lead department
(TMF), of an involved department (KFF), of an unrelated department (BUF), a coordinator (not the
idea's own) and an administrator. A staff member who may not see the idea gets a 404, so ids
reveal nothing; one who sees it but may not act gets a 403. Allowed actions are made with valid
input and must have their effect; refused ones must change nothing. (The citizen's token pages
have their own matrix with the citizen pages.)

Triage concerns ideas no department leads yet, so for the triage rows "lead" and "involved" are
department staff like any other: the idea is not theirs to see.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sammen.accounts.models import Role, RoleAssignment
from sammen.accounts.testing import verified_login
from sammen.core.tests.factories import UserFactory, department
from sammen.ideas import services
from sammen.ideas.models import Attachment, Handover, Idea, PersonalDataAccess, TimelineEntry
from sammen.ideas.states import State
from sammen.ideas.tests.factories import coordinator_user, idea_in, staff_user

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "lead", "involved", "unrelated", "coordinator", "administrator")
OK, LOGIN = "ok", "login"

# For each page or action: what each persona gets, in the order of PERSONAS.
MATRIX: dict[str, tuple[Any, ...]] = {
    "detail": (LOGIN, OK, OK, 404, OK, OK),
    "attachment": (LOGIN, OK, OK, 404, OK, OK),
    "contact_details": (LOGIN, OK, OK, 404, OK, OK),
    "triage": (LOGIN, 404, 404, 404, OK, OK),
    "triage_close": (LOGIN, 404, 404, 404, OK, OK),
    "transition": (LOGIN, OK, 403, 404, OK, OK),
    "assign": (LOGIN, OK, 403, 404, OK, OK),
    "message": (LOGIN, OK, OK, 404, OK, OK),
    "hand_over": (LOGIN, OK, 403, 404, OK, OK),
    "decide_handover": (LOGIN, 403, OK, 404, OK, OK),
    "erasures": (LOGIN, 403, 403, 403, OK, OK),
}


def _persona(name: str) -> Client:
    client = Client()
    if name == "anonymous":
        return client
    abbreviation = {"lead": "TMF", "involved": "KFF", "unrelated": "BUF"}.get(name)
    if abbreviation:
        user = staff_user(abbreviation)
    elif name == "coordinator":
        user = coordinator_user()
    else:
        user = UserFactory()
        RoleAssignment.objects.create(user=user, role=Role.ADMINISTRATOR)
    return verified_login(client, user)


@dataclass
class Request:
    method: str
    url: str
    data: dict[str, Any]
    ok_status: int
    done: Callable[[], bool]  # the effect an allowed request must have


def _shared_idea(owner) -> Idea:
    """In progress, led by TMF, KFF involved."""
    idea = idea_in(State.IN_PROGRESS, coordinator=owner)
    return services.idea_assign(idea=idea, by=owner, involved_departments=[department("KFF")])


def _fresh(idea: Idea) -> Idea:
    return Idea.objects.get(pk=idea.pk)


def _request(action: str, owner) -> Request:
    if action in ("triage", "triage_close"):
        idea = idea_in(State.RECEIVED, coordinator=owner)
        if action == "triage":
            data = {"triage-lead_department": department("TMF").pk, "triage-coordinator": owner.pk}
        else:
            data = {"triage-close-outcome": "spam", "triage-close-coordinator": owner.pk}
        return Request(
            "post",
            reverse(f"ideas_staff:{action}", args=[idea.pk]),
            data,
            302,
            lambda: _fresh(idea).state != State.RECEIVED,
        )
    if action == "erasures":
        return Request("get", reverse("ideas_staff:erasures"), {}, 200, lambda: True)
    idea = _shared_idea(owner)
    args = [idea.pk]
    if action == "detail":
        return Request("get", reverse("ideas_staff:detail", args=args), {}, 200, lambda: True)
    if action == "attachment":
        item = Attachment.objects.create(
            idea=idea,
            file=SimpleUploadedFile("kort.png", b"\x89PNG\r\n\x1a\n"),
            original_name="kort.png",
            content_type="image/png",
            size=8,
        )
        return Request(
            "get",
            reverse("ideas_staff:attachment", args=[idea.pk, item.pk]),
            {},
            200,
            lambda: PersonalDataAccess.objects.filter(idea=idea, purpose="attachment").exists(),
        )
    if action == "contact_details":
        return Request(
            "post",
            reverse("ideas_staff:contact_details", args=args),
            {},
            200,
            lambda: PersonalDataAccess.objects.filter(idea=idea).exists(),
        )
    if action == "transition":
        return Request(
            "post",
            reverse("ideas_staff:transition", args=[idea.pk, State.WAITING_FOR_CITIZEN]),
            {"to-waiting_for_citizen-public_message": "Hvor præcis?"},
            302,
            lambda: _fresh(idea).state == State.WAITING_FOR_CITIZEN,
        )
    if action == "assign":
        return Request(
            "post",
            reverse("ideas_staff:assign", args=args),
            {"assign-involved_departments": [department("KFF").pk, department("SUF").pk]},
            302,
            lambda: _fresh(idea).involved_departments.filter(abbreviation="SUF").exists(),
        )
    if action == "message":
        return Request(
            "post",
            reverse("ideas_staff:message", args=args),
            {"message-internal_note": "Set"},
            302,
            lambda: idea.timeline.filter(kind=TimelineEntry.Kind.MESSAGE).exists(),
        )
    if action == "hand_over":
        return Request(
            "post",
            reverse("ideas_staff:hand_over", args=args),
            {"handover-to_department": department("SUF").pk, "handover-note": "Sundhed"},
            302,
            lambda: Handover.objects.filter(idea=idea, status="pending").exists(),
        )
    assert action == "decide_handover"
    handover = services.idea_hand_over(
        idea=idea, to_department=department("KFF"), by=owner, note="Kultur"
    )
    return Request(
        "post",
        reverse("ideas_staff:decide_handover", args=[idea.pk, handover.pk]),
        {"decision-decision": "return", "decision-note": "Ikke vores"},
        302,
        lambda: Handover.objects.get(pk=handover.pk).status == Handover.Status.RETURNED,
    )


def _footprint() -> tuple[int, ...]:
    """Everything an action could write, to show a refused one wrote nothing."""
    return (
        TimelineEntry.objects.count(),
        PersonalDataAccess.objects.count(),
        Handover.objects.filter(status="pending").count(),
        Idea.objects.filter(state=State.RECEIVED).count(),
    )


@pytest.mark.parametrize("persona_index", range(len(PERSONAS)), ids=PERSONAS)
@pytest.mark.parametrize("action", MATRIX)
def test_permission_matrix(action, persona_index, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = coordinator_user()
    request = _request(action, owner)
    client = _persona(PERSONAS[persona_index])
    expected = MATRIX[action][persona_index]
    before = _footprint()
    response = getattr(client, request.method)(request.url, request.data)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif expected == OK:
        assert response.status_code == request.ok_status
        assert request.done()
        return
    else:
        assert response.status_code == expected
    assert _footprint() == before
