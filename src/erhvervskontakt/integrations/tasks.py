"""Background tasks (django-tasks): they take ids and are safe to run twice.

``deliver_webhook`` is queued after a delivery is committed; running it again for one
already sent (or being sent by another worker) does nothing. ``record_webhook_deliveries``
is queued, to run once the change's events have settled, after a case changes; the sweep
records what it misses (changes that announce nothing, a backend without deferred tasks).
"""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def deliver_webhook(delivery_id: int) -> str:
    """POST delivery ``delivery_id`` if it is due and nobody else is sending it."""
    return services.webhook_deliver(delivery_id=delivery_id)


@task()
def record_webhook_deliveries() -> int:
    """Record the settled events of every active subscription as deliveries (and queue them)."""
    return services.webhook_deliveries_record()
