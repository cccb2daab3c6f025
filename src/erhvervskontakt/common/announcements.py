"""What a domain app announces once a change is committed, and who listens to it.

A domain app that others react to describes what happened as a small frozen dataclass (a
subclass of :class:`Announcement`, e.g. ``cases.announcements.CaseChanged``) and calls
:func:`announce`; it never imports who listens. Apps that react subscribe to the dataclass's
type at start-up, in their ``AppConfig.ready`` (notifications records the e-mails), so the
announcing app needs no lazy import to reach them and no import circle appears.

Listeners run after the transaction commits (nothing is announced for a change that rolled
back; outside a transaction at once) with ids only, each on its own: Django's robust
``on_commit`` logs a listener that raises and goes on, because the change is committed and
the person who made it must not see an error for an e-mail. No Django signals: the
announcements are explicit, typed and few.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

from . import clock


@dataclasses.dataclass(frozen=True, kw_only=True)
class Announcement:
    """Something that happened. ``at`` is the domain clock when it happened: history replayed
    under ``clock.travel`` (the demo loader) is far from the wall clock, and listeners may
    leave it unannounced."""

    at: dt.datetime = dataclasses.field(default_factory=clock.now)


A = TypeVar("A", bound=Announcement)

_listeners: defaultdict[type[Announcement], list[Callable[[Any], None]]] = defaultdict(list)


def subscribe(kind: type[A], listener: Callable[[A], None]) -> None:
    """Call ``listener`` with every announcement of type ``kind`` (once, however often an
    app's ``ready`` runs)."""
    if listener not in _listeners[kind]:
        _listeners[kind].append(listener)


def announce(what: Announcement) -> None:
    """Tell the listeners of ``type(what)`` once the current transaction has committed."""
    for listener in tuple(_listeners[type(what)]):

        def call(listener: Callable[[Any], None] = listener) -> None:
            listener(what)

        call.__qualname__ = f"announce({type(what).__name__}) -> {listener.__qualname__}"
        transaction.on_commit(call, robust=True)


def is_replay(at: dt.datetime, wall_clock: dt.datetime, *, tolerance_seconds: int = 300) -> bool:
    """A change stamped far from the wall clock was replayed (``clock.travel``: the demo
    loader, the simulator): listeners that act in the present (e-mails, queued work) leave it."""
    return abs((wall_clock - at).total_seconds()) > tolerance_seconds
