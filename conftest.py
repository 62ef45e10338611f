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


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language. A request through the test client to an English
    page leaves English active in the test's thread (LocaleMiddleware activates it and nothing
    resets it), so without this a `reverse()` in the next test of the same process could build
    an /en/ address, depending on the order the tests ran in."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
