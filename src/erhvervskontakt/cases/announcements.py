"""What the cases domain announces after a change is committed (``common.announcements``).

Notifications subscribes at start-up and records the e-mails each change causes; cases
imports none of its listeners.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

from erhvervskontakt.common.announcements import Announcement

CaseChange = Literal[
    "received", "screened", "estimate_moved", "staff_message", "business_message", "answered"
]


@dataclasses.dataclass(frozen=True, kw_only=True)
class CaseChanged(Announcement):
    """A committed change to case ``case``: ``kind`` says which; ``message`` is the message
    posted (by staff: ``staff_message``; by the business: ``business_message``), ``event``
    the timeline event that says why the estimate moved."""

    kind: CaseChange
    case: int
    message: int | None = None
    event: int | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class CaseAnonymised(Announcement):
    """Retention anonymised case ``case``'s contact person (``cases.services.retention``):
    the apps that keep copies of the contact's data (the e-mail outbox, survey invitations)
    take it out of their rows too. ``name``, ``email`` and ``phone`` are what the case held
    before; they travel in memory only."""

    case: int
    name: str
    email: str
    phone: str
