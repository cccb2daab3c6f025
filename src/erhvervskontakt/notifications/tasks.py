"""Background tasks (django-tasks): they take ids and are safe to run twice.

``deliver_notification`` is queued after the notification is committed; running it again
for a notification already sent (or being sent by another worker) does nothing. The sweep
runs in the worker (``manage.py worker``) or from cron (``manage.py sweep``); ``sweep_due``
lets anything else queue one.
"""

from __future__ import annotations

from django_tasks import task

from .services import delivery, sweep


@task()
def deliver_notification(notification_id: int) -> str:
    """Send notification ``notification_id`` if it is due and nobody else is sending it."""
    return delivery.notification_deliver(notification_id=notification_id)


@task()
def sweep_due() -> dict[str, int]:
    """Record what has become due and queue what waits to be sent."""
    return sweep.sweep().as_dict()
