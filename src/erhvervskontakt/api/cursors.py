"""Opaque cursors for keyset pages (``?cursor=``) and the ``next`` link that carries one.

A cursor is the last row's key in the list's order, with the list's name so a cursor of one
list is refused by another, as URL-safe base64 of JSON. Clients only pass it back; it is
not a secret (it names rows the client already saw), and a changed one is a 422, never a
500.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from ninja import Query

from erhvervskontakt.common.errors import ValidationFailed

CURSOR_DESCRIPTION = (
    "Fortsæt efter den sidste række på forrige side: værdien fra svarets `next`. Siderne er "
    "stabile, også når der kommer nye rækker til."
)

CursorParam = Query(
    None, max_length=200, description=CURSOR_DESCRIPTION, pattern=r"^[-_A-Za-z0-9=]*$"
)


def encode(kind: str, *key: Any) -> str:
    raw = json.dumps([kind, *key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(kind: str, cursor: str | None, *types: type) -> tuple[Any, ...] | None:
    """The key a cursor of list ``kind`` holds, each part checked against ``types``."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        found = json.loads(raw)
    except (binascii.Error, ValueError):
        found = None
    if (
        not isinstance(found, list)
        or len(found) != len(types) + 1
        or found[0] != kind
        or not all(
            isinstance(v, t) and not isinstance(v, bool)
            for v, t in zip(found[1:], types, strict=True)
        )
    ):
        raise ValidationFailed.field(
            "cursor", "Ukendt cursor; brug værdien fra forrige sides »next«."
        )
    return tuple(found[1:])


def next_link(request: HttpRequest, cursor: str | None) -> str | None:
    """This request's address with ``cursor`` in place of its own (and without ``offset``)."""
    if cursor is None:
        return None
    params = [(k, v) for k, v in request.GET.items() if k not in {"cursor", "offset"}]
    return f"{request.path}?{urlencode([*params, ('cursor', cursor)])}"
