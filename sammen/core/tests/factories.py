"""Factories for reference data and staff users. Reference rows come from the loaded data."""

import factory

from sammen.accounts.models import User
from sammen.core.models import Department, District, Principle, Topic


def department(abbreviation: str = "TMF") -> Department:
    return Department.objects.get(abbreviation=abbreviation)


def district(number: int = 3) -> District:
    return District.objects.get(number=number)


def topic(slug: str = "trafik") -> Topic:
    return Topic.objects.get(slug=slug)


def principle(number: int = 3) -> Principle:
    return Principle.objects.get(number=number)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medarbejder{n}")
    first_name = "Mette"
    last_name = factory.Sequence(lambda n: f"Jensen{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@tmf.kk.dk")
    password = factory.django.Password("korrekt-hest-batteri")
    is_active = True

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)
