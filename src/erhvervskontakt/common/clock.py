"""The one clock that domain code reads.

Services call :func:`now` instead of ``timezone.now()`` so that the demo loader can replay a
year of history through the real services (``with travel(dt): ...``). Tests may use
time-machine, which moves this clock too, since it falls through to ``timezone.now()``.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

_fixed: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("clock", default=None)


def now() -> dt.datetime:
    """The current instant (aware, UTC), or the instant set by :func:`travel`."""
    return _fixed.get() or timezone.now()


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_date(instant: dt.datetime) -> dt.date:
    """The municipality's calendar date (Europe/Copenhagen) of an aware instant."""
    if timezone.is_naive(instant):
        raise ValueError("An instant without a time zone has no local date.")
    return instant.astimezone(local_tz()).date()


def today() -> dt.date:
    """Today's date where the municipality is."""
    return local_date(now())


@contextlib.contextmanager
def travel(instant: dt.datetime) -> Iterator[None]:
    """Run the block as if it were ``instant`` (used to replay demo history)."""
    if timezone.is_naive(instant):
        raise ValueError("travel() needs an aware datetime.")
    token = _fixed.set(instant)
    try:
        yield
    finally:
        _fixed.reset(token)
