"""The honeypot check and the cache-based rate limits shared by the public forms."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.test import RequestFactory

from sammen.core.abuse import RateLimit, client_ip, honeypot_filled


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_an_empty_honeypot_passes():
    assert not honeypot_filled(QueryDict("email=a%40example.dk&website="))
    assert not honeypot_filled(QueryDict("email=a%40example.dk"))
    assert not honeypot_filled(QueryDict("website=+++"))


def test_a_filled_honeypot_is_caught():
    assert honeypot_filled(QueryDict("website=https%3A%2F%2Fspam.example"))
    assert honeypot_filled(QueryDict("url=x"), name="url")


def test_a_rate_limit_allows_its_limit_and_refuses_the_next():
    limit = RateLimit("test:ip", limit=3, period=timedelta(hours=1))
    assert [limit.attempt("192.0.2.1") for _ in range(4)] == [True, True, True, False]


def test_a_rate_limit_counts_each_key_on_its_own():
    limit = RateLimit("test:ip", limit=1, period=timedelta(hours=1))
    assert limit.attempt("192.0.2.1")
    assert limit.attempt("192.0.2.2")
    assert not limit.attempt("192.0.2.1")


def test_rate_limits_of_different_scopes_do_not_share_counts():
    ideas = RateLimit("test:ideas", limit=1, period=timedelta(hours=1))
    subscriptions = RateLimit("test:subscriptions", limit=1, period=timedelta(hours=1))
    assert ideas.attempt("192.0.2.1")
    assert subscriptions.attempt("192.0.2.1")


def test_a_rate_limit_ignores_case_and_surrounding_space_of_the_key():
    limit = RateLimit("test:address", limit=1, period=timedelta(hours=1))
    assert limit.attempt("Mette@Example.dk")
    assert not limit.attempt(" mette@example.dk ")


def test_reset_forgets_the_attempts_of_a_key():
    limit = RateLimit("test:ip", limit=1, period=timedelta(hours=1))
    assert limit.attempt("192.0.2.1")
    limit.reset("192.0.2.1")
    assert limit.attempt("192.0.2.1")


def test_a_new_window_starts_a_new_count():
    limit = RateLimit("test:ip", limit=1, period=timedelta(hours=1))
    start = 1_000_000 * 3600.0
    assert limit.attempt("192.0.2.1", now=start)
    assert not limit.attempt("192.0.2.1", now=start + 3599)
    assert limit.attempt("192.0.2.1", now=start + 3600)


def test_the_cache_never_sees_the_address_itself():
    limit = RateLimit("test:address", limit=5, period=timedelta(hours=1))
    limit.attempt("mette@example.dk")
    keys = list(cache._cache.keys())  # the local-memory cache of the tests
    assert keys
    assert not any("mette" in key or "example" in key for key in keys)


def test_client_ip_is_the_address_the_server_saw_not_a_forwarded_header():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "192.0.2.1"
