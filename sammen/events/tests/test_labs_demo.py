"""The demo solution labs: the ideas demo's lab took place with its agreements, and an upcoming
lab is planned; nobody is mailed."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sammen.core.models import MailLog
from sammen.events.labs_demo import PAST_LAB_TITLE, UPCOMING_LAB_TITLE, seed_lab_demo
from sammen.events.models import Event, Kind, Registration
from sammen.ideas.demo import ideas_seed
from sammen.ideas.states import Outcome

pytestmark = pytest.mark.django_db


def test_the_demo_labs(client):
    ideas_seed()
    assert seed_lab_demo() == 2
    now = timezone.now()

    past = Event.objects.get(kind=Kind.SOLUTION_LAB, title=PAST_LAB_TITLE)
    assert past.ends_at < now
    closed = list(past.closed_ideas.all())
    assert len(closed) == 2 and all(i.outcome == Outcome.SOLUTION_LAB for i in closed)
    assert past.agreements.count() >= 3
    citizens = past.registrations.filter(idea__isnull=False)
    assert citizens.count() == 2
    assert all(r.status == Registration.Status.CONFIRMED and r.checked_in_at for r in citizens)
    assert past.registrations.filter(user__isnull=False, checked_in_at__isnull=False).exists()
    for idea in closed:
        page = client.get(reverse("ideas:track", args=[idea.tracking_token])).content.decode()
        assert past.title in page
        assert escape(idea.lab_agreements.first().text) in page

    upcoming = Event.objects.get(kind=Kind.SOLUTION_LAB, title=UPCOMING_LAB_TITLE)
    assert upcoming.starts_at > now
    assert upcoming.lab_ideas.count() == 2
    assert upcoming.registrations.filter(status=Registration.Status.PENDING).count() == 2

    assert not MailLog.objects.exclude(status=MailLog.Status.CANCELLED).exists()
    assert seed_lab_demo() == 0
