"""``manage.py refresh_promises``: learn every active service type's promise from the history
now (the worker's nightly job will call the same service)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from erhvervskontakt.estimates.services import promise_estimates_refresh


class Command(BaseCommand):
    help = "Learn the answer promises from the history (Kaplan–Meier, with fallbacks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="The last day of history to use (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError as error:
                raise CommandError(f"--as-of must be a date (YYYY-MM-DD): {error}") from error
        rows = promise_estimates_refresh(as_of=as_of)
        for row in rows:
            self.stdout.write(
                f"{row.service_type.code if row.service_type else row.combination}: "
                f"{row.working_days} working days "
                f"({row.get_basis_display()}, {row.answered} answered of {row.cases}, "
                f"P50 {row.p50}, P90 {row.p90}, kept {row.kept}/{row.matured})"
            )
        combinations = sum(1 for row in rows if row.combination)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(rows) - combinations} service types and {combinations} combinations "
                "refreshed."
            )
        )
