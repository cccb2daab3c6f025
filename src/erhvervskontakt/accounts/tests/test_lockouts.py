"""Failed logins counted in the shared cache (``accounts.lockouts``): one row per lock, a log
line per failure and per lock, clearing by an administrator, and two web machines that share
one Redis agreeing on every count.

With ``CACHE_URL=redis://…`` set, every test here counts in that Redis (as production does);
the two-machine tests always use Redis (``CACHE_URL`` or ``redis://127.0.0.1:6379/14``), each
test under a key prefix of its own, so runs side by side never see each other's counts.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import uuid
from typing import Any

import pytest
import time_machine
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from erhvervskontakt.accounts.lockouts import (
    PER_ACCOUNT,
    PER_IP,
    WINDOW,
    LoginThrottle,
    login_lockout_clear,
)
from erhvervskontakt.accounts.models import LoginLockout, User
from erhvervskontakt.common.errors import Conflict

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("CACHE_URL", "")
if not REDIS_URL.startswith("redis"):
    REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(autouse=True)
def _counts_in_redis_when_asked(_empty_cache: None, settings: Any) -> None:
    """``CACHE_URL=redis://…``: the default cache is that Redis, under a prefix per test."""
    if os.environ.get("CACHE_URL", "").startswith("redis"):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": os.environ["CACHE_URL"],
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            }
        }


@pytest.fixture
def machines() -> tuple[RedisCache, RedisCache]:
    """Two web machines: two separate Redis clients (own connection pools) of one Redis."""
    prefix = f"test-{uuid.uuid4().hex}"
    first = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    second = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    try:
        first.get("ping")
    except Exception as exc:  # any connection error means: no Redis here
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")
    assert first._cache is not second._cache  # not one client shared, two
    return first, second


def fail(throttle: LoginThrottle, times: int) -> list[LoginLockout]:
    started = []
    for _ in range(times):
        started += throttle.record_failure()
    return started


def test_the_failure_that_reaches_the_limit_starts_one_lock_and_writes_one_row() -> None:
    throttle = LoginThrottle(ip="10.0.0.1", username="Eva@Fynsk.dk", scope="portal")

    assert fail(throttle, PER_ACCOUNT - 1) == []
    assert not LoginLockout.objects.exists()
    (lockout,) = fail(throttle, 1)

    assert throttle.is_blocked()
    row = LoginLockout.objects.get()
    assert row == lockout
    assert (row.scope, row.kind, row.username, row.ip, row.failures) == (
        "portal",
        "account",
        "Eva@Fynsk.dk",
        "10.0.0.1",
        PER_ACCOUNT,
    )
    assert row.locked_until - row.locked_at == dt.timedelta(seconds=WINDOW)
    until = throttle.locked_until()
    assert until is not None and abs((until - row.locked_until).total_seconds()) < 0.001


def test_further_failures_during_a_lock_write_no_more_rows() -> None:
    throttle = LoginThrottle(ip="10.0.0.1", username="eva@fynsk.dk", scope="workbench")

    fail(throttle, PER_ACCOUNT + 10)

    assert LoginLockout.objects.count() == 1


def test_an_address_guessing_many_accounts_is_locked_as_a_whole() -> None:
    for number in range(PER_IP):
        LoginThrottle(ip="10.0.0.9", username=f"gaet{number}", scope="admin").record_failure()

    row = LoginLockout.objects.get()
    assert (row.kind, row.username, row.ip, row.failures) == ("address", "", "10.0.0.9", PER_IP)
    assert LoginThrottle(ip="10.0.0.9", username="someone-else", scope="admin").is_blocked()
    assert not LoginThrottle(ip="10.0.0.9", username="someone-else", scope="portal").is_blocked()
    assert not LoginThrottle(ip="10.0.0.8", username="gaet1", scope="admin").is_blocked()


def test_each_failure_and_the_lock_are_logged_without_any_password(caplog: Any) -> None:
    caplog.set_level(logging.INFO, logger="erhvervskontakt.security")
    throttle = LoginThrottle(ip="10.0.0.1", username="karen\nforged line", scope="workbench")

    fail(throttle, PER_ACCOUNT)

    records = [r for r in caplog.records if r.name == "erhvervskontakt.security"]
    failed = [r for r in records if r.getMessage().startswith("login failed")]
    locked = [r for r in records if r.getMessage().startswith("login locked")]
    assert len(failed) == PER_ACCOUNT
    assert len(locked) == 1 and locked[0].levelno == logging.WARNING
    assert "scope=workbench" in failed[0].getMessage()
    assert "ip=10.0.0.1" in failed[0].getMessage()
    # As typed, but quoted: a newline in a username cannot forge a line of the log.
    assert "username='karen\\nforged line'" in failed[0].getMessage()
    assert all("\n" not in r.getMessage() for r in records)
    assert f"lockout={LoginLockout.objects.get().pk}" in locked[0].getMessage()


def test_the_lock_ends_after_the_window_and_a_new_one_writes_a_new_row(settings: Any) -> None:
    # The clock is moved, which a Redis server's expiry does not follow: the local cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["default"].clear()
    start = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        throttle = LoginThrottle(ip="10.0.0.1", username="eva@fynsk.dk")
        fail(throttle, PER_ACCOUNT)
        assert throttle.locked_until() == start + dt.timedelta(seconds=WINDOW)

        traveller.shift(dt.timedelta(seconds=WINDOW + 1))
        assert not throttle.is_blocked()
        fail(throttle, PER_ACCOUNT)

    assert LoginLockout.objects.count() == 2


def test_clearing_lifts_the_lock_and_records_who_did_it(admin_user: User) -> None:
    throttle = LoginThrottle(ip="10.0.0.1", username="Karen ", scope="workbench")
    (lockout,) = fail(throttle, PER_ACCOUNT)

    cleared = login_lockout_clear(lockout=lockout, actor=admin_user)

    assert not LoginThrottle(ip="10.0.0.1", username="karen", scope="workbench").is_blocked()
    assert cleared.cleared_by == admin_user and cleared.cleared_at is not None
    stored = LoginLockout.objects.get()
    assert (stored.cleared_by, stored.cleared_at) == (admin_user, cleared.cleared_at)
    # The count went with the lock: a fresh start, not one failure from the next lock.
    assert fail(throttle, PER_ACCOUNT - 1) == []
    assert not throttle.is_blocked()


def test_clearing_a_lock_twice_or_an_ended_one_is_refused_and_changes_nothing(
    admin_user: User, karen: User
) -> None:
    (lockout,) = fail(LoginThrottle(ip="10.0.0.1", username="x", scope="admin"), PER_ACCOUNT)
    login_lockout_clear(lockout=lockout, actor=admin_user)

    with pytest.raises(Conflict):
        login_lockout_clear(lockout=lockout, actor=karen)

    assert LoginLockout.objects.get().cleared_by == admin_user
    ended = LoginLockout.objects.create(
        scope="admin",
        kind="account",
        username="y",
        ip="10.0.0.2",
        failures=5,
        locked_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        locked_until=dt.datetime(2026, 1, 1, 0, 15, tzinfo=dt.UTC),
    )
    with pytest.raises(Conflict):
        login_lockout_clear(lockout=ended, actor=admin_user)
    ended.refresh_from_db()
    assert ended.cleared_at is None


def test_clearing_an_address_lock_leaves_the_account_locks_from_it(admin_user: User) -> None:
    account = LoginThrottle(ip="10.0.0.1", username="eva", per_ip=PER_ACCOUNT)
    locks = fail(account, PER_ACCOUNT)
    address_lock = next(lock for lock in locks if lock.kind == "address")

    login_lockout_clear(lockout=address_lock, actor=admin_user)

    assert account.is_blocked()  # its own lock still holds
    assert not LoginThrottle(ip="10.0.0.1", username="another", per_ip=PER_ACCOUNT).is_blocked()


def test_a_success_forgets_the_account_s_failures_but_not_the_address_s() -> None:
    throttle = LoginThrottle(ip="10.0.0.1", username="eva")
    fail(throttle, PER_ACCOUNT - 1)

    throttle.reset()

    assert fail(throttle, PER_ACCOUNT - 1) == []  # the account counts afresh
    started: list[LoginLockout] = []
    tries = 0
    while not started and tries < PER_IP:
        started = LoginThrottle(ip="10.0.0.1", username=f"u{tries}").record_failure()
        tries += 1
    # The address kept the account's 2 × 4 failures: it locks that much earlier.
    assert tries == PER_IP - 2 * (PER_ACCOUNT - 1)
    assert [lock.kind for lock in started] == ["address"]


def test_two_machines_sharing_one_redis_agree_on_counts_and_locks(
    machines: tuple[RedisCache, RedisCache], admin_user: User
) -> None:
    first, second = machines
    on_first = LoginThrottle(ip="10.0.0.1", username="karen", scope="workbench", store=first)
    on_second = LoginThrottle(ip="10.0.0.1", username="KAREN", scope="workbench", store=second)

    # Failures alternate between the machines; together they reach the limit.
    for number in range(PER_ACCOUNT - 1):
        (on_first if number % 2 else on_second).record_failure()
    assert not on_first.is_blocked() and not on_second.is_blocked()
    on_first.record_failure()

    assert on_second.is_blocked()
    assert on_second.locked_until() == on_first.locked_until()
    assert LoginLockout.objects.count() == 1
    # A machine on its own cache (as with the default locmem, per process) knows nothing.
    assert not LoginThrottle(ip="10.0.0.1", username="karen", scope="workbench").is_blocked()
    on_second.reset()
    assert not on_first.is_blocked()


@pytest.mark.django_db(transaction=True)
def test_two_machines_reaching_the_limit_at_once_write_one_row(
    machines: tuple[RedisCache, RedisCache],
) -> None:
    first, second = machines
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def attempt(store: RedisCache) -> None:
        try:
            barrier.wait()
            LoginThrottle(ip="10.0.0.7", username="eva", store=store).record_failure()
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            from django.db import connection

            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(first if i % 2 else second,)) for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert LoginLockout.objects.filter(kind="account").count() == 1
    assert LoginLockout.objects.get(kind="account").failures >= PER_ACCOUNT


def test_the_default_cache_is_what_the_views_count_in() -> None:
    throttle = LoginThrottle(ip="10.0.0.1", username="eva")
    fail(throttle, PER_ACCOUNT)

    assert throttle.cache is caches["default"]
    assert LoginThrottle(ip="10.0.0.1", username="eva", store=caches["default"]).is_blocked()
