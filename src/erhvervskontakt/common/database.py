"""When the database is out of reach: telling it apart from a bug, and waiting it out.

PostgreSQL restarted (a fast shutdown cuts every session; while it is down connections are
refused), a failover, a network blip: Django raises ``OperationalError`` or
``InterfaceError``. That is no error in the request and no reason for a 500: the pages and
the API answer 503 with ``Retry-After`` (``web.unavailable``, ``api.urls``), ``/healthz``
says so to the load balancer, and Django closes the broken connection when the request ends
(``errors_occurred`` → ``close_if_unusable_or_obsolete``), so the next request connects
afresh; persistent connections (``CONN_MAX_AGE``) are checked before their first use in a
request (``CONN_HEALTH_CHECKS``). Background work that must record what it did (an e-mail
the SMTP server accepted) waits for the database with ``wait_for_database``.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError, InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)

T = TypeVar("T")

# What a 503 tells the client to wait before trying again (seconds).
RETRY_AFTER_SECONDS = 5

# SQLite reports mistakes in the query (a missing table, a syntax error) as
# OperationalError too; those are bugs, not an unreachable database.
_SQLITE_UNAVAILABLE = ("locked", "busy", "unable to open", "disk i/o", "readonly database")


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached or cannot serve us just now
    (connection refused or cut off, shutting down, a lock or statement timeout), so trying
    again later may succeed; a mistake in the query is not such an error."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        text = str(cause).lower()
        return any(part in text for part in _SQLITE_UNAVAILABLE)
    return True


def wait_for_database(
    work: Callable[[], T], *, give_up_after: float, what: str, pause: float = 0.2
) -> T:
    """``work()``, again and again while the database is out of reach, for up to
    ``give_up_after`` seconds; then the last error is raised.

    ``work`` must be safe to run again after a failure: its own transaction rolled back, or
    it finds what an earlier run committed before the answer was lost. Inside a transaction
    nothing can be retried (the connection cannot be replaced there): one try.
    """
    if connection.in_atomic_block:
        return work()
    deadline = time.monotonic() + give_up_after
    attempt = 0
    while True:
        try:
            return work()
        except (OperationalError, InterfaceError) as error:
            if not database_unavailable(error) or time.monotonic() >= deadline:
                raise
            attempt += 1
            if attempt == 1:
                logger.warning("The database is out of reach while %s; waiting: %s", what, error)
            with contextlib.suppress(DatabaseError):
                connection.close()  # the next try connects afresh
            time.sleep(min(pause * attempt, 2.0, max(0.0, deadline - time.monotonic())))
