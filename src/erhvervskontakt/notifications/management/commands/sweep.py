"""``manage.py sweep``: record the reminders, escalations, digests and surveys that are due,
and queue every e-mail that waits to be sent. Safe to run from cron at any interval."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from erhvervskontakt.notifications.services import sweep


class Command(BaseCommand):
    help = (
        "Find what is due (deliverable reminders and overdue notices, missed screening "
        "deadlines, survey invitations, coordinators' digests), record each once, and queue "
        "what waits to be sent. Idempotent: run it from cron, or with --every in a loop."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=float, default=0, help="Sweep again every N seconds until stopped."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        if options["every"]:
            signal.signal(signal.SIGINT, lambda *_: stop.set())
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
        while True:
            self.stdout.write(str(sweep.sweep()))
            if not options["every"] or stop.wait(options["every"]):
                return
