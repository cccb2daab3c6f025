"""The feed's cursor and the shape of one event, the same in the feed and a webhook's body.

The cursor is opaque to clients: base64url of ``e<event id>`` (no padding). Clients keep it
and send it back; what it holds may change with a version letter in front.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from erhvervskontakt.cases.models import Event
from erhvervskontakt.common.errors import ValidationFailed

_CURSOR_PREFIX = "e"
MAX_CURSOR_LENGTH = 40


def cursor_encode(event_id: int) -> str:
    """The cursor that continues after event ``event_id`` (0: from the beginning)."""
    raw = f"{_CURSOR_PREFIX}{int(event_id)}".encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def cursor_decode(cursor: str | None, *, field: str = "after") -> int:
    """The event id a cursor continues after; empty: 0 (the beginning). A cursor that is
    not one of ours is a :class:`ValidationFailed` on ``field``."""
    if cursor is None or not cursor.strip():
        return 0
    text = cursor.strip()
    refused = ValidationFailed.field(
        field, "Ugyldig markør; brug værdien »cursor« eller »next« fra et tidligere svar."
    )
    if len(text) > MAX_CURSOR_LENGTH:
        raise refused
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise refused from None
    digits = raw.removeprefix(_CURSOR_PREFIX)
    if not raw.startswith(_CURSOR_PREFIX) or not digits.isdigit() or len(digits) > 19:
        raise refused
    value = int(digits)
    if value > 2**63 - 1:
        raise refused
    return value


def _instant(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with ``Z``, as the API writes datetimes."""
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def event_payload(event: Event, *, staff: bool) -> dict[str, Any]:
    """One event as the feed and the webhooks show it: staff read the full log with its
    ``internal`` flag; a business user reads the line written for the business (the feed
    only shows a business the events that have one). ``event.case`` and ``event.actor``
    should be selected with it."""
    return {
        "id": event.pk,
        "cursor": cursor_encode(event.pk),
        "case": event.case.reference,
        "kind": event.kind,
        "at": _instant(event.at),
        "actor": event.actor.display_name if event.actor else None,
        "text": event.text if staff else event.business_text,
        "internal": bool(event.internal) if staff else False,
    }
