"""Factories for the public catalogue. Dates are relative to now so statuses stay stable."""

from datetime import timedelta

import factory
from django.utils import timezone
from django.utils.text import slugify

from sammen.participation.models import Channel, Opportunity, Subscription
from sammen.participation.search import stems_for


def channel(slug: str = "hoering") -> Channel:
    return Channel.objects.get(slug=slug)


class OpportunityFactory(factory.django.DjangoModelFactory):
    """An open, published hearing in TMF unless told otherwise."""

    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    channel = factory.LazyFunction(lambda: Channel.objects.get(slug="hoering"))
    title = factory.Sequence(lambda n: f"Forslag til lokalplan for Nørrebrogade {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title)[:200])
    summary = (
        "Kommunen vil gerne høre din mening om forslaget, før Borgerrepræsentationen beslutter det."
    )
    body = "Lokalplanen giver mulighed for nye boliger, en ny plads og flere træer langs gaden."
    # What every writer of opportunity text must do, so SQLite's search index finds factory rows too.
    search_stems = factory.LazyAttribute(
        lambda o: stems_for(title=o.title, summary=o.summary, body=o.body)
    )
    start_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    contact_name = "Mette Jensen"
    contact_email = "lokalplaner@tmf.kk.dk"
    is_published = True
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        from sammen.core.models import Department

        if create:
            self.departments.set(
                extracted if extracted is not None else [Department.objects.get(abbreviation="TMF")]
            )

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def principles(self, create, extracted, **kwargs):
        if create and extracted:
            self.principles.set(extracted)


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"borger{n}@example.dk")
    confirmed_at = factory.LazyFunction(timezone.now)
