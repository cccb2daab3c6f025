"""Background tasks (django-tasks) of the promise estimates: ids and times only, safe twice."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import services


@task()
def refresh_promise_estimates(asked_at: str | None = None) -> int:
    """Refresh the promise estimates unless a refresh already ran since ``asked_at`` (ISO);
    returns how many rows were written (0: not needed)."""
    when = dt.datetime.fromisoformat(asked_at) if asked_at else None
    rows = services.promise_estimates_refresh_if_stale(asked_at=when)
    return len(rows or [])
