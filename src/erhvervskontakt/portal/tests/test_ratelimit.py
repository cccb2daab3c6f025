"""The login throttle on its own: counts per (address, account) and per address, in a window."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from erhvervskontakt.web.ratelimit import LoginThrottle

# A lock that starts is recorded (accounts.LoginLockout).
pytestmark = pytest.mark.django_db


def test_five_failures_block_the_account_from_that_address() -> None:
    throttle = LoginThrottle(ip="10.0.0.1", username="eva@fynsk.dk")

    for _ in range(4):
        throttle.record_failure()
    assert not throttle.is_blocked()
    throttle.record_failure()

    assert throttle.is_blocked()


def test_the_username_is_counted_without_regard_to_case_or_spaces() -> None:
    for _ in range(5):
        LoginThrottle(ip="10.0.0.1", username=" Eva@Fynsk.dk ").record_failure()

    assert LoginThrottle(ip="10.0.0.1", username="eva@fynsk.dk").is_blocked()


def test_another_address_is_not_blocked_for_the_same_account() -> None:
    for _ in range(5):
        LoginThrottle(ip="10.0.0.1", username="eva@fynsk.dk").record_failure()

    assert not LoginThrottle(ip="10.0.0.2", username="eva@fynsk.dk").is_blocked()


def test_reset_forgets_the_account_but_not_the_address() -> None:
    throttle = LoginThrottle(ip="10.0.0.1", username="eva@fynsk.dk", per_ip=6)
    for _ in range(5):
        throttle.record_failure()

    throttle.reset()

    assert not throttle.is_blocked()
    throttle.record_failure()
    assert throttle.is_blocked()  # the address has now failed six times


def test_the_block_ends_when_the_window_has_passed() -> None:
    start = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        throttle = LoginThrottle(ip="10.0.0.1", username="eva@fynsk.dk")
        for _ in range(5):
            throttle.record_failure()
        assert throttle.is_blocked()

        traveller.shift(dt.timedelta(minutes=15, seconds=1))

        assert not throttle.is_blocked()
