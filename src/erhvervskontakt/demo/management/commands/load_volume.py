"""``manage.py load_volume --cases N``: bulk-load synthetic, rule-abiding cases for benchmarks."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from tqdm import tqdm

from erhvervskontakt.accounts.models import User
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.demo.catalogue import load_catalogue
from erhvervskontakt.demo.guard import demo_password
from erhvervskontakt.demo.people import load_staff
from erhvervskontakt.demo.volume import VolumeLoader


class Command(BaseCommand):
    help = (
        "Bulk-load N synthetic cases (spread over several years, every state, with "
        "deliverables, tasks, events and answers) for benchmarks. Adds to what is there; "
        "references continue each year's counter."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many cases to add.")
        parser.add_argument("--batch", type=int, default=5000, help="Cases per transaction.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed.")
        parser.add_argument("--years", type=int, default=4, help="Spread over this many years.")
        parser.add_argument(
            "--method",
            choices=["auto", "orm", "sql", "copy"],
            default="auto",
            help=(
                "orm: bulk_create; sql: executemany of plain INSERTs; copy: PostgreSQL COPY. "
                "auto (default): copy on PostgreSQL, sql on SQLite (the fastest measured)."
            ),
        )
        parser.add_argument(
            "--force", action="store_true", help="Load even with DEBUG off (production)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cases, batch = options["cases"], options["batch"]
        if cases < 1 or batch < 1 or not 1 <= options["years"] <= 20:
            raise CommandError("--cases and --batch must be positive, --years 1–20.")
        if options["method"] == "copy" and connection.vendor != "postgresql":
            raise CommandError("--method copy needs PostgreSQL; use sql or orm on SQLite.")
        password, generated = demo_password(force=options["force"], given="", what="load_volume")
        if (
            not ServiceType.objects.filter(active=True).exists()
            or not User.objects.coordinators().exists()
        ):
            self.stdout.write(
                "No service catalogue or no coordinators: loading the demo catalogue and staff "
                "first (logins as in load_demo)."
            )
            load_catalogue()
            load_staff(make_password(password))
            if generated:
                self.stdout.write(f"Password for the demo staff (shown once): {password}")
        started = time.monotonic()
        with tqdm(
            total=cases,
            desc="Sager",
            unit="sag",
            unit_scale=True,
            disable=True if options["verbosity"] == 0 else None,
        ) as bar:
            try:
                loader = VolumeLoader(
                    cases=cases,
                    batch=batch,
                    seed=options["seed"],
                    years=options["years"],
                    method=options["method"],
                    progress=bar.update,
                    log=(lambda s: bar.write(s)) if options["verbosity"] > 1 else (lambda s: None),
                )
            except (ValueError, RuntimeError) as error:
                raise CommandError(str(error)) from error
            written = loader.run()
        elapsed = time.monotonic() - started
        rows = sum(written.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {written['cases']} cases in {elapsed:.1f} s on {connection.vendor} "
                f"({loader.method}): {written['events']} events, {written['deliverables']} "
                f"deliverables, {written['tasks']} tasks, {written['answers']} answers, "
                f"{written['documents']} documents — {rows / max(elapsed, 0.001):,.0f} rows/s."
            )
        )
