"""Campaigns, poster sites and daily counters for tests.

The default campaign is last year's (relative to today, never a fixed year), published, running
through September. Pass `year=` for a second campaign: the year is unique.
"""

from datetime import date

import factory
from django.utils import timezone

from sammen.campaigns.models import Campaign, DailyReach, Placement
from sammen.core.workdays import local_date


def last_year() -> int:
    return local_date(timezone.now()).year - 1


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    year = factory.LazyFunction(last_year)
    theme_da = "Din by, din stemme"
    theme_en = "Your city, your voice"
    message_da = "Har du en idé til din bydel? Få indflydelse."
    message_en = "Got an idea for your neighbourhood? Have your say."
    intro_da = "Kommunen vil gerne høre fra dig. Her er nogle af de måder, du kan være med på."
    intro_en = "The City wants to hear from you. Here are some of the ways you can take part."
    starts_on = factory.LazyAttribute(lambda c: date(c.year, 9, 1))
    ends_on = factory.LazyAttribute(lambda c: date(c.year, 9, 28))
    is_published = True

    @factory.post_generation
    def featured_opportunities(self, create, extracted, **kwargs):
        if create and extracted:
            self.featured_opportunities.set(extracted)

    @factory.post_generation
    def channels(self, create, extracted, **kwargs):
        if create and extracted:
            self.channels.set(extracted)


def default_campaign() -> Campaign:
    """Last year's campaign, made once: placements without a campaign of their own share it."""
    return Campaign.objects.filter(year=last_year()).first() or CampaignFactory()


class PlacementFactory(factory.django.DjangoModelFactory):
    """A poster column (on last year's campaign unless told); its short code comes from the
    model's own default."""

    class Meta:
        model = Placement

    campaign = factory.LazyFunction(default_campaign)
    site_code = factory.Sequence(lambda n: f"PS-{n:04d}")
    address = factory.Sequence(lambda n: f"Nørrebrogade {n + 1}, 2200 København N")


class DailyReachFactory(factory.django.DjangoModelFactory):
    """One day's counters; the day defaults to the campaign's first day."""

    class Meta:
        model = DailyReach

    placement = factory.SubFactory(PlacementFactory)
    day = factory.LazyAttribute(lambda r: r.placement.campaign.starts_on)
    visits = 10
    subscriptions = 1
    ideas = 0
