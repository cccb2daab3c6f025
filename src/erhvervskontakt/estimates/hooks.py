"""The estimates' listener: an answered case asks for a refresh of the promises, debounced.

The answer is committed before this runs (``common.announcements``). The first answer in a
``REFRESH_DEBOUNCE_SECONDS`` window queues one refresh to run when the window ends, so it sees
every answer of the window; the others find it queued (the shared cache) and do nothing. The
task itself skips when a refresh ran after it was asked for. Replayed history (the demo
loader, the simulator) is left: those refresh on their own clock.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from erhvervskontakt.cases.announcements import CaseChanged
from erhvervskontakt.common.announcements import is_replay

from .tasks import refresh_promise_estimates

logger = logging.getLogger(__name__)

QUEUED_KEY = "estimates:refresh-queued"


def case_changed(change: CaseChanged) -> None:
    """Queue a refresh of the promise estimates after an answer (at most one per window)."""
    if change.kind != "answered" or is_replay(change.at, timezone.now()):
        return
    window = int(getattr(settings, "PROMISE_REFRESH_DEBOUNCE_SECONDS", 60))
    if not cache.add(QUEUED_KEY, change.at.isoformat(), timeout=window):
        return
    refresh_promise_estimates.using(
        run_after=timezone.now() + dt.timedelta(seconds=window)
    ).enqueue(asked_at=change.at.isoformat())
    logger.info("Promise estimates refresh queued after the answer to case %s", change.case)
