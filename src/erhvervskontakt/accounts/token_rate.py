"""Requests per API token per minute, counted in the shared cache.

A fixed window of ``WINDOW`` seconds, aligned to the clock (10:00:00–10:00:59, …): each
token's count for a window has a key of its own, which names the token and the window. The
first request of a window ``add``-s the key at 0 and every request ``incr``-s it; both are
atomic on Redis (``CACHE_URL=redis://…``, what several web machines share) and in the local
memory cache, so two machines counting at once never lose a request (the file cache of a
single machine is not atomic: it may let a few too many through, never refuse too early).
A request beyond the limit is refused (and still counted) until the window ends.

The key outlives its window a little and a new window is a new key, so recovery follows the
clock (``common.clock.now``), not the cache's own expiry: a moved clock in a test, or a Redis
whose expiry runs on another clock, recovers the same way.

The limit is the token's ``rate_per_minute`` or ``settings.API_TOKEN_RATE_PER_MINUTE``;
0 there means no default limit. Interface code (``api.auth``) turns a refusal into 429 with
``Retry-After``; this module knows no request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import BaseCache, caches

from erhvervskontakt.common import clock

from .models import ApiToken

WINDOW = 60  # seconds


@dataclass(frozen=True)
class RateRefusal:
    """A request over its token's limit: ``limit`` a minute, try again in ``retry_after``
    seconds (when the window ends)."""

    limit: int
    retry_after: int


def api_token_rate_limit(token: ApiToken) -> int:
    """Requests a minute this token may send (0: no limit)."""
    if token.rate_per_minute is not None:
        return token.rate_per_minute
    return max(0, int(settings.API_TOKEN_RATE_PER_MINUTE))


@dataclass(frozen=True)
class TokenRate:
    """The count of one token's requests. ``store`` is the cache to count in (the default
    cache unless given: tests pass two clients of one Redis to show two machines agree)."""

    token: ApiToken
    store: BaseCache | None = field(default=None, compare=False, repr=False)

    @property
    def cache(self) -> BaseCache:
        return self.store if self.store is not None else caches["default"]

    def hit(self) -> RateRefusal | None:
        """Count one request; None when it may go on, else how long to wait."""
        limit = api_token_rate_limit(self.token)
        if limit <= 0:
            return None
        moment = clock.now().timestamp()
        window = int(moment // WINDOW)
        key = f"api:rate:{self.token.pk}:{window}"
        # add() is a no-op when another request (or machine) started the window first.
        self.cache.add(key, 0, timeout=WINDOW + 5)
        try:
            count = int(self.cache.incr(key))
        except ValueError:  # evicted between add() and incr(): this request starts it again
            self.cache.set(key, 1, timeout=WINDOW + 5)
            count = 1
        if count <= limit:
            return None
        ends = (window + 1) * WINDOW
        return RateRefusal(limit=limit, retry_after=max(1, math.ceil(ends - moment)))
