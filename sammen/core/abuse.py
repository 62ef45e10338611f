"""Protection of public forms against bots and floods: a honeypot check and rate limits.

Every public form that sends e-mail or creates records (subscriptions, ideas, registrations) uses
both: the honeypot stops simple bots, the rate limits stop someone using the form to flood a
stranger's inbox or our database.

Privacy: the keys of a rate limit (an IP address, an e-mail address) are personal data. They are
never logged, and the cache only ever sees a keyed hash of them, so a cache dump reveals nothing.
The counts live in Django's default cache: with several web processes, configure a shared cache
(CACHE_URL, see settings), or each process counts on its own and the limits are multiplied.
"""

import math
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.http import HttpRequest, QueryDict
from django.utils.crypto import salted_hmac

# The name of the hidden field rendered by components/honeypot.html.
HONEYPOT_FIELD = "website"


def honeypot_filled(data: QueryDict, name: str = HONEYPOT_FIELD) -> bool:
    """True when the hidden honeypot field holds anything: people cannot see it, bots fill it in."""
    return bool(data.get(name, "").strip())


def client_ip(request: HttpRequest) -> str:
    """The client's address as the web server saw it (REMOTE_ADDR).

    X-Forwarded-For is deliberately not read here: any client can send it, so trusting it would let
    anyone choose their own rate-limit key. Behind a reverse proxy the operator makes sure
    REMOTE_ADDR is the real client address (e.g. gunicorn `--proxy-protocol` behind a proxy that
    speaks the PROXY protocol); otherwise every visitor shares the proxy's address and its limit.
    Never log the value this returns.
    """
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` attempts per key in each window of `period`, counted in the cache.

    A fixed window is simple and good enough against floods: the worst case is 2 × limit attempts
    around a window boundary. Use one RateLimit per form and kind of key, e.g.
    `RateLimit("subscribe:ip", limit=5, period=timedelta(hours=1))`.
    """

    scope: str
    limit: int
    period: timedelta

    def _cache_key(self, key: str, now: float) -> str:
        seconds = max(1, int(self.period.total_seconds()))
        window = math.floor(now / seconds)
        # A keyed hash: the raw address never reaches the cache, and the hash cannot be reversed by
        # trying every IPv4 address without the SECRET_KEY.
        digest = salted_hmac(
            "sammen.core.abuse.RateLimit", f"{self.scope}\0{key}", algorithm="sha256"
        ).hexdigest()
        return f"ratelimit:{self.scope}:{window}:{digest[:32]}"

    def attempt(self, key: str, *, now: float | None = None) -> bool:
        """Count one attempt for `key`; False once the key has used up the current window.

        `now` (a Unix timestamp) is for tests; callers leave it out.
        """
        cache_key = self._cache_key(key.strip().lower(), time.time() if now is None else now)
        timeout = max(1, int(self.period.total_seconds()))
        # add() is atomic and does nothing when the counter exists; incr() is atomic on every
        # shared cache Django ships (database, Redis, Memcached), so parallel requests count right.
        cache.add(cache_key, 0, timeout=timeout)
        try:
            count = cache.incr(cache_key)
        except ValueError:
            # The counter expired between add() and incr(): this is the first attempt of a window.
            cache.add(cache_key, 1, timeout=timeout)
            count = 1
        return count <= self.limit

    def reset(self, key: str) -> None:
        """Forget the attempts of `key` in the current window (for tests and support staff)."""
        cache.delete(self._cache_key(key.strip().lower(), time.time()))
