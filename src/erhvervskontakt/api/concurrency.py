"""Optimistic concurrency over HTTP: ``ETag`` on reads, ``If-Match`` on writes (issue 18).

A case's (or a task's) ETag is its version, the same number the workbench sends back from
its forms: ``ETag: "7"``. A write that carries ``If-Match: "7"`` is done only if the row is
still version 7 — checked under the row lock in the same transaction as the change
(``cases.services.core.case_update_checked``) — and otherwise answers 412 with the current
ETag and changes nothing. ``If-Match: *`` or no header writes whatever the version (as
before). Every answer that shows a case or task sends its ETag, so a client can chain
writes without reading again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from django.http import HttpResponse
from ninja import Header

from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.services.core import case_update_checked
from erhvervskontakt.common.errors import ValidationFailed

T = TypeVar("T")

# One entity tag, strong or weak (RFC 9110 §8.8.3); our tags are the version number.
_TAG = re.compile(r'^[\t ]*(?:W/)?"?([0-9]{1,9})"?[\t ]*$')

IF_MATCH_DESCRIPTION = (
    "Sagens (eller opgavens) version, som I sidst så den: værdien af svarets ETag, fx "
    '`"7"`. Er den ændret siden, svarer API\'et 412 og ændrer intet. Udelades den (eller '
    "er den `*`), gemmes ændringen uanset version."
)

# The header as an operation's parameter (documented in the OpenAPI document).
IF_MATCH_PATTERN = r'^[\t ]*(?:\*|(?:W/)?"?[0-9]{1,9}"?)[\t ]*$'
IfMatch = Header(
    None,
    alias="If-Match",
    description=IF_MATCH_DESCRIPTION,
    max_length=40,
    pattern=IF_MATCH_PATTERN,
)


def expected_version(if_match: str | None) -> int | None:
    """The version an ``If-Match`` value names; None for none or ``*``; 422 if unreadable."""
    if if_match is None or not if_match.strip() or if_match.strip() == "*":
        return None
    found = _TAG.match(if_match)
    if found is None:
        raise ValidationFailed.field(
            "If-Match",
            'Angiv den version, svarets ETag gav, fx "7" (eller * for enhver version).',
        )
    return int(found.group(1))


def etag(version: int) -> str:
    return f'"{version}"'


def tag(response: HttpResponse, version: int) -> None:
    """Send the row's version as the answer's ETag."""
    response["ETag"] = etag(version)


def checked(case: Case, if_match: str | None, change: Callable[[Case], T]) -> T:
    """Run ``change`` on the locked case only if it is still the version ``If-Match`` names
    (StaleVersion otherwise, answered 412 by ``api.urls``)."""
    return case_update_checked(
        case=case, expected_version=expected_version(if_match), change=change
    )
