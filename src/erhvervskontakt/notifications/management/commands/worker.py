"""``manage.py worker``: run background tasks and the sweep (the process ``make run`` starts)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from erhvervskontakt.notifications.worker import Runner


class Command(BaseCommand):
    help = (
        "Run queued background tasks (database or Redis/RQ backend, as TASKS says) and the "
        "notification sweep every few minutes. Stops after the current task on Ctrl-C or "
        "SIGTERM. Run one or more per installation; sweeping in several is harmless."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sweep-every",
            type=float,
            default=float(settings.NOTIFICATIONS_SWEEP_SECONDS),
            help="Seconds between sweeps (default NOTIFICATIONS_SWEEP_SECONDS); 0: never "
            "(sweep from cron instead).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the queue is empty (default 1).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        runner = Runner(sweep_every=options["sweep_every"] or None, interval=options["interval"])
        runner.install_signal_handlers()
        runner.run()
