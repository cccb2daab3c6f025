"""Integrations' listener to what cases announces (``common.announcements``).

``IntegrationsConfig.ready`` subscribes it; cases never imports integrations. A committed
change to a case means new events: once they have settled (``WEBHOOKS_FEED_SETTLE_SECONDS``)
they are recorded as deliveries, by a task deferred until then. Whatever goes wrong here is
logged and swallowed (the change is committed); the sweep records what this misses.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task_backends

from erhvervskontakt.cases.announcements import CaseChanged
from erhvervskontakt.common import announcements, clock

from .models import WebhookSubscription

logger = logging.getLogger(__name__)


def _defers_on_its_own() -> bool:
    """The database backend runs a deferred task when its time comes; RQ needs its scheduler
    for that (not part of ``manage.py worker``), and would keep one job per change."""
    return type(task_backends["default"]).__module__.startswith("django_tasks_db")


def case_changed(change: CaseChanged) -> None:
    """Record the change's webhooks once its events have settled (if anyone subscribes)."""
    if announcements.is_replay(change.at, timezone.now()):
        return  # replayed history (the demo loader): not announced to anyone
    if not _defers_on_its_own():
        return  # RQ keeps deferred jobs for its scheduler, which may not run: the sweep does
    try:
        if not WebhookSubscription.objects.filter(
            status=WebhookSubscription.Status.ACTIVE
        ).exists():
            return
        from .tasks import record_webhook_deliveries

        settle = dt.timedelta(seconds=settings.WEBHOOKS_FEED_SETTLE_SECONDS + 1)
        record_webhook_deliveries.using(run_after=clock.now() + settle).enqueue()
    except Exception:
        logger.exception("Could not queue the webhooks of %s on case %s", change.kind, change.case)
