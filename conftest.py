"""Shared test set-up: the reference data is loaded once per test database."""

import pytest

from sammen.core.models import Department
from sammen.core.reference import load_reference_data


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def reference(db) -> None:
    """The municipality's reference data; reloaded where a transactional test flushed it."""
    if not Department.objects.exists():
        load_reference_data()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and cached fragments live in the cache; no test may see another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
