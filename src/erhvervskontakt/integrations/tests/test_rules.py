"""The pure rules: the signature a receiver checks, and the backoff between attempts."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest

from erhvervskontakt.integrations import rules


def test_signature_is_hmac_sha256_over_timestamp_dot_body_as_a_receiver_computes_it():
    body = b'{"id":1,"kind":"screened"}'

    header = rules.signature("whsec_test", 1_800_000_000, body)

    expected = hmac.new(b"whsec_test", b"1800000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1800000000,v1={expected}"


def test_a_receiver_accepts_a_fresh_signature_and_refuses_a_changed_body_or_an_old_one():
    body = b'{"id":1}'
    header = rules.signature("s3cret", 1_800_000_000, body)

    assert rules.signature_valid(header, "s3cret", body, now=1_800_000_100)
    assert not rules.signature_valid(header, "s3cret", b'{"id":2}', now=1_800_000_100)
    assert not rules.signature_valid(header, "andet", body, now=1_800_000_100)
    assert not rules.signature_valid(header, "s3cret", body, now=1_800_000_301)
    assert not rules.signature_valid("v1=abc", "s3cret", body, now=1_800_000_000)


@pytest.mark.parametrize(
    ("attempt", "seconds"), [(1, 60), (2, 120), (3, 240), (9, 15360), (10, 21600), (40, 21600)]
)
def test_retry_delay_doubles_up_to_six_hours(attempt, seconds):
    assert rules.retry_delay(attempt, base_seconds=60) == dt.timedelta(seconds=seconds)


def test_retry_delay_counts_attempts_from_one():
    with pytest.raises(ValueError):
        rules.retry_delay(0, base_seconds=60)


def test_settled_before_is_the_margin_back():
    now = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)

    assert rules.settled_before(now, settle_seconds=60) == now - dt.timedelta(minutes=1)
