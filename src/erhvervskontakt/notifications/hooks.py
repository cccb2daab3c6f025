"""The one door from ``cases`` into notifications: called after a change is committed.

``cases.services`` registers ``transaction.on_commit`` with a small function that imports
this module when it runs (notifications reads cases, so cases must not import it at module
level) and passes ids only. Whatever goes wrong here is logged and swallowed: the change is
already committed, and the person who made it must not see an error for an e-mail.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from . import rules, services

logger = logging.getLogger(__name__)


def case_changed(
    kind: str,
    *,
    at: dt.datetime,
    case: int,
    message: int | None = None,
    event: int | None = None,
) -> None:
    """Record (and queue) the e-mails that a committed change to case ``case`` causes.

    ``at`` is the domain clock when the change was made: history replayed under
    ``clock.travel`` (the demo loader) is far from the wall clock and is not announced.
    """
    if rules.is_replay(at, timezone.now()):
        logger.debug("Not announcing %s on case %s: replayed history (%s)", kind, case, at)
        return
    try:
        services.case_event_notify(kind=kind, case_id=case, message_id=message, event_id=event)
    except Exception:
        logger.exception("Could not record the e-mails for %s on case %s", kind, case)
