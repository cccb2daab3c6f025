"""A token's end and its pace (issue 18): an expired token is refused like a revoked one, and a
token that sends more than its requests a minute gets 429 ``rate_limited`` with
``Retry-After`` until the minute is over. Over real HTTP against the live server.

With ``CACHE_URL=redis://…`` set the counts are in that Redis, as in production; the tests
marked "Redis" always use one (``CACHE_URL`` or ``redis://127.0.0.1:6379/14``) and are
skipped where there is none. Each test counts under a key prefix of its own.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
import time_machine
from django.core.cache.backends.redis import RedisCache

from erhvervskontakt.accounts.lockouts import PER_ACCOUNT
from erhvervskontakt.accounts.models import ApiToken, LoginLockout
from erhvervskontakt.accounts.services import api_token_create, api_token_revoke
from erhvervskontakt.accounts.token_rate import TokenRate

from .support import assert_error

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("CACHE_URL", "")
if not REDIS_URL.startswith("redis"):
    REDIS_URL = "redis://127.0.0.1:6379/14"

# 10:00:30 in Copenhagen (09:00:30 UTC), half way through a minute.
HALF_PAST = dt.datetime(2026, 12, 1, 9, 0, 30, tzinfo=dt.UTC)


def _redis_settings() -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture(autouse=True)
def _counts_in_redis_when_asked(_empty_cache: None, settings: Any) -> None:
    if os.environ.get("CACHE_URL", "").startswith("redis"):
        settings.CACHES = _redis_settings()


@pytest.fixture
def redis_cache(settings: Any) -> None:
    """The default cache is a Redis (skipped without one)."""
    probe = RedisCache(REDIS_URL, {})
    try:
        probe.get("ping")
    except Exception as exc:  # any connection error means: no Redis here
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")
    settings.CACHES = _redis_settings()


@pytest.fixture
def half_past() -> Any:
    with time_machine.travel(HALF_PAST, tick=False) as traveller:
        yield traveller


def get(live_server: Any, token: str, path: str = "/cases") -> httpx.Response:
    return httpx.get(
        f"{live_server.url}/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


# --- expiry -----------------------------------------------------------------------------------


def test_a_token_works_until_its_expiry_and_is_refused_after_it(live_server, karen, catalogue):
    with time_machine.travel(HALF_PAST, tick=False) as traveller:
        row, token = api_token_create(
            user=karen, expires_at=HALF_PAST + dt.timedelta(days=1), scopes=["read"]
        )
        assert get(live_server, token).status_code == 200

        traveller.move_to(HALF_PAST + dt.timedelta(days=1))
        response = get(live_server, token)

    assert_error(response, 401, code="unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert ApiToken.objects.get(pk=row.pk).status_at(HALF_PAST + dt.timedelta(days=1)) == (
        "expired"
    )


def test_a_new_token_lasts_the_configured_days(settings, karen):
    settings.API_TOKEN_DAYS = 30
    with time_machine.travel(HALF_PAST, tick=False):
        row, _ = api_token_create(user=karen)

    assert row.expires_at == HALF_PAST + dt.timedelta(days=30)


def test_an_expired_token_used_again_and_again_is_counted_like_a_revoked_one(
    live_server, karen, catalogue
):
    with time_machine.travel(HALF_PAST, tick=False) as traveller:
        row, expired = api_token_create(user=karen, expires_at=HALF_PAST + dt.timedelta(hours=1))
        _, good = api_token_create(user=karen)
        traveller.shift(dt.timedelta(hours=2))

        statuses = [get(live_server, expired).status_code for _ in range(PER_ACCOUNT + 1)]
        other_token = get(live_server, good)

    assert statuses == [401] * PER_ACCOUNT + [429]
    lockout = LoginLockout.objects.get()
    assert (lockout.scope, lockout.kind, lockout.username) == ("api", "account", row.prefix)
    assert other_token.status_code == 200


def test_a_revoked_token_is_refused_even_before_its_expiry(live_server, karen, catalogue):
    row, token = api_token_create(user=karen)
    assert get(live_server, token).status_code == 200

    api_token_revoke(token=row)

    assert_error(get(live_server, token), 401, code="unauthorized")


# --- the rate limit ---------------------------------------------------------------------------


def test_beyond_its_requests_a_minute_a_token_gets_429_until_the_minute_is_over(
    settings, live_server, karen, catalogue, half_past
):
    settings.API_TOKEN_RATE_PER_MINUTE = 3
    _, token = api_token_create(user=karen)

    statuses = [get(live_server, token).status_code for _ in range(3)]
    refused = get(live_server, token)

    assert statuses == [200, 200, 200]
    body = assert_error(refused, 429, code="rate_limited")
    assert refused.headers["Retry-After"] == "30"  # 10:00:30: 30 seconds to the next minute
    assert body["detail"] == (
        "API-nøglen har sendt sine 3 forespørgsler for dette minut; prøv igen om 30 sekunder. "
        "Har integrationen brug for flere, så bed kommunens administrator om en højere "
        "grænse for nøglen."
    )
    assert body["errors"] == {}

    half_past.move_to(HALF_PAST + dt.timedelta(seconds=29))
    still = get(live_server, token)
    assert still.status_code == 429
    assert still.headers["Retry-After"] == "1"

    half_past.move_to(HALF_PAST + dt.timedelta(seconds=30))  # 10:01:00, a new minute
    assert [get(live_server, token).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_limit_is_per_token(settings, live_server, karen, catalogue, half_past):
    settings.API_TOKEN_RATE_PER_MINUTE = 2
    _, first = api_token_create(user=karen)
    _, second = api_token_create(user=karen)

    assert [get(live_server, first).status_code for _ in range(3)] == [200, 200, 429]
    assert get(live_server, second).status_code == 200


def test_a_token_s_own_limit_replaces_the_default(
    settings, live_server, karen, catalogue, half_past
):
    settings.API_TOKEN_RATE_PER_MINUTE = 2
    _, bulk = api_token_create(user=karen, rate_per_minute=5)

    assert [get(live_server, bulk).status_code for _ in range(6)] == [200] * 5 + [429]


def test_a_default_of_0_means_no_default_limit(settings, live_server, karen, catalogue, half_past):
    settings.API_TOKEN_RATE_PER_MINUTE = 0
    _, token = api_token_create(user=karen)

    assert {get(live_server, token).status_code for _ in range(20)} == {200}


def test_requests_refused_for_their_scope_are_counted_too(
    settings, live_server, karen, catalogue, half_past
):
    settings.API_TOKEN_RATE_PER_MINUTE = 2
    _, token = api_token_create(user=karen, scopes=["intake"])

    assert [get(live_server, token).status_code for _ in range(3)] == [403, 403, 429]


def test_public_operations_are_not_rate_counted(settings, live_server, karen, catalogue, half_past):
    settings.API_TOKEN_RATE_PER_MINUTE = 1
    _, token = api_token_create(user=karen)

    for _ in range(3):
        public = httpx.get(
            f"{live_server.url}/api/v1/service-types",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert public.status_code == 200
    assert get(live_server, token).status_code == 200


def _hammer(live_server: Any, token: str, requests: int) -> Counter[int]:
    """``requests`` requests at once, from as many threads."""
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(requests)

    def one() -> None:
        start.wait()
        status = get(live_server, token).status_code
        with lock:
            statuses[status] += 1

    threads = [threading.Thread(target=one) for _ in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_parallel_requests_are_counted_exactly(live_server, karen, catalogue, half_past):
    _, token = api_token_create(user=karen, rate_per_minute=5)

    assert _hammer(live_server, token, 12) == Counter({200: 5, 429: 7})


# --- Redis ------------------------------------------------------------------------------------


def test_redis_parallel_requests_over_http_are_counted_exactly(
    redis_cache, live_server, karen, catalogue, half_past
):
    _, token = api_token_create(user=karen, rate_per_minute=5)

    assert _hammer(live_server, token, 12) == Counter({200: 5, 429: 7})
    half_past.move_to(HALF_PAST + dt.timedelta(seconds=30))  # the next minute: a new key
    assert get(live_server, token).status_code == 200


def test_redis_two_machines_counting_one_token_at_once_let_exactly_its_limit_through(
    redis_cache, karen, half_past
):
    prefix = f"test-{uuid.uuid4().hex}"
    machines = [RedisCache(REDIS_URL, {"KEY_PREFIX": prefix}) for _ in range(2)]
    assert machines[0]._cache is not machines[1]._cache  # two clients, as two machines
    row, _ = api_token_create(user=karen, rate_per_minute=25)
    allowed: list[bool] = []
    lock = threading.Lock()
    start = threading.Barrier(20)

    def attempts(store: RedisCache) -> None:
        start.wait()
        for _ in range(5):
            ok = TokenRate(row, store=store).hit() is None
            with lock:
                allowed.append(ok)

    threads = [threading.Thread(target=attempts, args=(machines[i % 2],)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(allowed) == 100
    assert allowed.count(True) == 25
