"""Pure rules of the feed and the webhooks: when an event has settled, how long to wait
before trying a failed delivery again, and how a delivery is signed. No database."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac


def settled_before(now: dt.datetime, *, settle_seconds: int) -> dt.datetime:
    """Events stamped at or before this instant may be served (``Event.at`` ≤ it).

    The margin must be longer than any transaction that writes events, twice over, plus
    the clock skew between the servers: an id is allocated at most one transaction's length
    after the event's ``at`` was read, and the transaction holding a lower id ends at most
    one more transaction's length after that (docs/decisions/0013).
    """
    return now - dt.timedelta(seconds=settle_seconds)


def retry_delay(attempt: int, *, base_seconds: int, cap_seconds: int = 6 * 3600) -> dt.timedelta:
    """Exponential backoff after the ``attempt``-th failed try: base, 2×, 4×, … up to the cap
    (as the e-mails' ``notifications.rules.retry_delay``; a receiver that is down for an hour
    is tried some ten times, then every 6 hours until the limit)."""
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    seconds = min(base_seconds * 2 ** min(attempt - 1, 30), cap_seconds)
    return dt.timedelta(seconds=seconds)


SIGNATURE_HEADER = "Erhvervskontakt-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Erhvervskontakt-Signature`` header: ``t=<unix seconds>,v1=<hex>``, where hex is
    HMAC-SHA256 with the subscription's secret over ``"<t>." + body`` (as Stripe's): the
    timestamp is signed with the body, so a receiver that refuses old timestamps (say, five
    minutes) cannot be fed a recorded delivery again."""
    signed = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def signature_valid(
    header: str, secret: str, body: bytes, *, now: int, tolerance_seconds: int = 300
) -> bool:
    """What a receiver checks (and the tests do): one ``v1`` that matches, a fresh ``t``."""
    parts = [item.partition("=") for item in header.split(",")]
    stamps = [value for key, _, value in parts if key.strip() == "t"]
    if len(stamps) != 1 or not stamps[0].isdigit():
        return False
    timestamp = int(stamps[0])
    if abs(now - timestamp) > tolerance_seconds:
        return False
    expected = signature(secret, timestamp, body).rpartition("v1=")[2]
    return any(
        key.strip() == "v1" and hmac.compare_digest(value.strip(), expected)
        for key, _, value in parts
    )
