"""Events and registrations for tests, made the way the platform makes them."""

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from sammen.core.tests.factories import UserFactory
from sammen.events import registration as services
from sammen.events.models import Audience, Event, Kind, Registration


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = Kind.MORNING_MEETING
    audience = Audience.STAFF
    title = factory.Sequence(lambda n: f"Morgenbooster {n}: Tidlig dialog")
    slug = factory.Sequence(lambda n: f"morgenbooster-{n}")
    summary = "Hvordan inddrager vi borgerne, før beslutningen er taget?"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + timedelta(hours=2))
    capacity = 80
    organiser = factory.SubFactory(UserFactory)
    location = "Rådhuset, Festsalen"
    is_published = True


def public_registration(event: Event, n: int = 0, **kwargs: Any) -> Registration:
    """A confirmed (or waitlisted) registration of a member of the public."""
    registration = services.register_public(
        event=event,
        name=kwargs.pop("name", f"Borger {n}"),
        email=kwargs.pop("email", f"borger{n}@example.org"),
        **kwargs,
    )
    return services.confirm_public(registration=registration)


def staff_registration(event: Event, **kwargs: Any) -> Registration:
    return services.register_staff(event=event, user=UserFactory(), **kwargs)
