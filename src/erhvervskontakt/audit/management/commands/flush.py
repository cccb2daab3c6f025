"""Django's ``flush`` (empty every table), with the read log's guards lifted for it when
``settings.READ_LOG_FLUSH_ALLOWED`` says so: only the test suite does (``src/conftest.py``).

pytest-django's transactional tests flush the test database between tests; without this,
the guards of ``audit.triggers`` refuse that once a test has logged a read. Everywhere else
the guards stay: emptying the read log of a real municipality is refused by the database
like any other deletion of young rows (an operator who must do it drops the triggers as the
table's owner, on purpose and outside the application).
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.core.management.commands import flush
from django.db import connections

from erhvervskontakt.audit.triggers import lifted_for_flush


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        allowed = getattr(settings, "READ_LOG_FLUSH_ALLOWED", False)
        guard = lifted_for_flush(connection) if allowed else contextlib.nullcontext()
        with guard:
            super().handle(**options)
