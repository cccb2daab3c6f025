"""``manage.py load_demo``: a realistic Danish demo municipality with a year of history."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from erhvervskontakt.accounts.models import User
from erhvervskontakt.cases.models import CaseStatus
from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.demo.content import ADMIN_USERNAME, HEAD_USERNAME, STAFF
from erhvervskontakt.demo.guard import DEMO_PASSWORD, demo_password
from erhvervskontakt.demo.loader import (
    DEFAULT_CASES,
    DEFAULT_SEED,
    database_has_data,
    demo_is_loaded,
    load_demo,
)


class Command(BaseCommand):
    help = (
        "Load the demo municipality (departments, service catalogue, staff, ~50 businesses and "
        "a year of cases in every state, replayed through the real services). Idempotent: "
        "does nothing when the demo is already loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases", type=int, default=DEFAULT_CASES, help="Cases in the year of history."
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed.")
        parser.add_argument(
            "--password",
            default="",
            help=f"Password for every demo login (default {DEMO_PASSWORD!r} while DEBUG is on).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off, or into a database that already holds other data.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_is_loaded():
            self.stdout.write(
                f"The demo ({municipality().name}) is already loaded; nothing changed."
            )
            self._logins(password=None, portal=[])
            return
        password, generated = demo_password(
            force=options["force"], given=options["password"], what="load_demo"
        )
        if database_has_data() and not options["force"]:
            raise CommandError(
                "The database already holds businesses or cases that are not the demo's; "
                "load_demo only fills an empty database (use --force to add it anyway)."
            )
        if options["cases"] < 10:
            raise CommandError("--cases must be at least 10.")
        started = time.monotonic()
        with tqdm(
            total=options["cases"],
            desc="Sager (et års historik)",
            unit="sag",
            disable=True if options["verbosity"] == 0 else None,
        ) as bar:
            summary = load_demo(
                password=password,
                cases=options["cases"],
                seed=options["seed"],
                progress=lambda: bar.update(1),
            )
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{municipality().name} loaded in {elapsed:.1f} s: {summary.staff} staff, "
                f"{summary.businesses} businesses, {summary.cases} cases."
            )
        )
        self.stdout.write(
            "Cases by status: "
            + ", ".join(
                f"{CaseStatus(status).label} {summary.by_status.get(status, 0)}"
                for status in CaseStatus.values
            )
        )
        self._logins(password=password, portal=summary.portal_users[:3], generated=generated)

    def _logins(
        self, *, password: str | None, portal: list[tuple[str, str, str]], generated: bool = False
    ) -> None:
        users = {
            u.username: u for u in User.objects.filter(username__in=[s.username for s in STAFF])
        }
        coordinators = [s.username for s in STAFF if s.coordinator and s.username in users]
        caseworkers = [
            f"{s.username} ({users[s.username].department.name})"
            for s in STAFF
            if s.department
            and s.department != "erhvervskontakt"
            and s.username in users
            and users[s.username].department is not None
        ]
        write = self.stdout.write
        write("")
        write("Demo logins (admin at /admin/, API docs at /api/v1/docs):")
        write(f"  {ADMIN_USERNAME:<10} administrator (superuser)")
        write(f"  {HEAD_USERNAME:<10} head of unit")
        write(f"  coordinators: {', '.join(coordinators)}")
        write(f"  caseworkers:  {', '.join(caseworkers)}")
        for username, name, cvr in portal:
            write(f"  business user {username} for {name} (CVR {cvr})")
        if password is None:
            write(
                f"  password for all of them: the one given when the demo was loaded "
                f"({DEMO_PASSWORD!r} unless --password or --force was used)"
            )
        elif generated:
            write(f"  password for all of them (generated, shown once): {password}")
        else:
            write(f"  password for all of them: {password}")
        write("API tokens are not created here: python manage.py create_api_token karen")
