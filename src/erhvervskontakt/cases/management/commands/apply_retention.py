"""``manage.py apply_retention [--dry-run]``: anonymise the contact person's personal data in
cases whose retention period has passed (``cases.services.retention``).

With retention switched off (the administrator's ``Kommune › anonymisér efter
opbevaringsfristen``) a real run says so, changes and records nothing and exits 0; a dry run
still lists what would happen, so the effect can be seen before it is switched on.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from erhvervskontakt.cases.services.retention import cases_anonymise_expired


class Command(BaseCommand):
    help = (
        "Anonymise the contact person's personal data (name, e-mail, phone, marked message "
        "texts) in closed and withdrawn cases whose service types' retention period has "
        "passed. The cases, their documents and timelines are kept. Every run is recorded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Change nothing; list the cases and what would be anonymised.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar (for cron and logs)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        show = not options["no_progress"]

        def progress(ids: Sequence[int]) -> Iterable[int]:
            return tqdm(ids, desc="Sager", unit="sag", disable=not show, file=sys.stderr)

        result = cases_anonymise_expired(dry_run=dry_run, progress=progress)
        if result.run is None:
            self.stdout.write(str(result))
            return
        if not result.enabled:
            self.stdout.write(
                "Anonymisering er slået fra for kommunen: dette er kun en prøvekørsel."
            )
        verb = "ville blive anonymiseret" if dry_run else "anonymiseret"
        for case in result.cases:
            changed = [*case.fields]
            for count, what in (
                (case.messages, "besked(er)"),
                (case.events, "hændelse(r)"),
                (case.drafts, "kladde(r)"),
            ):
                if count:
                    changed.append(f"{count} {what}")
            self.stdout.write(
                f"{case.reference} (afsluttet {case.ended_on:%d.%m.%Y}, "
                f"frist {case.retention_years} år): {verb}: {', '.join(changed) or 'intet'}"
            )
        self.stdout.write(
            f"{len(result.cases)} sag(er) {verb}. Kørsel nr. {result.run.pk} er registreret"
            f"{' som prøvekørsel' if dry_run else ''}."
        )
