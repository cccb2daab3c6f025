"""``manage.py simulate --scenario NAME --seed N``: the simulator (issue 17), in a database of
its own; ``--json`` prints the figures as one JSON object on standard output."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.test.utils import override_settings
from tqdm import tqdm

from erhvervskontakt.cases.models import Case
from erhvervskontakt.demo.scenarios import SCENARIOS
from erhvervskontakt.demo.simulation import run_scenario
from erhvervskontakt.demo.simulation_report import summary, write_report


class Command(BaseCommand):
    help = (
        "Run a scenario's year of inquiries through the real services with the clock "
        "travelled, and report how the learned promises held (var/simulations/). By default "
        "in a database of its own: a new SQLite file there, or on PostgreSQL a database "
        "named after the configured one with _simulation added (made afresh each run)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scenario", choices=sorted(SCENARIOS), required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument(
            "--months",
            type=int,
            help="Run this many months instead of the scenario's (scored on the last three, "
            "or all if fewer): e.g. to time the national volume on a shorter run.",
        )
        parser.add_argument(
            "--into-current-database",
            action="store_true",
            help="Run in the configured database (it must hold no cases).",
        )
        parser.add_argument(
            "--out",
            default=str(Path(settings.BASE_DIR) / "var" / "simulations"),
            help="Where the report goes (default var/simulations/).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scenario = SCENARIOS[options["scenario"]]
        if options["months"] is not None:
            if not 1 <= options["months"] <= 36:
                raise CommandError("--months must be between 1 and 36.")
            months = options["months"]
            scenario = replace(scenario, months=months, score_from_month=max(1, months - 2))
        seed = options["seed"]
        out = Path(options["out"])
        if options["into_current_database"]:
            if Case.objects.exists():
                raise CommandError(
                    "The database holds cases: the simulator fills a database of its own "
                    "(leave out --into-current-database)."
                )
        else:
            self._own_database(out, f"{scenario.name}-{seed}")
        started = time.monotonic()
        with tqdm(desc=f"{scenario.name} (seed {seed})", unit=" inquiries", disable=None) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            # Without DEBUG's query log: a year at national volume is millions of queries.
            with override_settings(DEBUG=False):
                simulation = run_scenario(scenario, seed=seed, progress=progress)
        figures = simulation.report()
        figures["seconds"] = round(time.monotonic() - started, 1)
        figures["database"] = connections["default"].vendor
        written = write_report(simulation, figures, out)
        if options["json"]:
            self.stdout.write(json.dumps(figures, default=str))
            return
        self.stdout.write(summary(figures))
        self.stdout.write(f"Took {figures['seconds']} s. Report: " + ", ".join(map(str, written)))

    def _own_database(self, out: Path, name: str) -> None:
        """Point the default connection at a fresh database and migrate it."""
        connection = connections["default"]
        connection.close()
        if connection.vendor == "sqlite":
            out.mkdir(parents=True, exist_ok=True)
            path = out / f"{name}.sqlite3"
            for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                stale.unlink(missing_ok=True)
            connection.settings_dict["NAME"] = str(path)
        elif connection.vendor == "postgresql":
            target = f"{connection.settings_dict['NAME']}_simulation"
            with connection._nodb_cursor() as cursor:  # the maintenance database
                cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
                cursor.execute(f'CREATE DATABASE "{target}"')
            connection.settings_dict["NAME"] = target
        else:
            raise CommandError(
                f"The simulator runs on SQLite or PostgreSQL, not {connection.vendor}."
            )
        connection.close()
        call_command("migrate", verbosity=0, interactive=False)
