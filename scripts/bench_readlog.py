#!/usr/bin/env python3
"""What the personal-data read log costs a staff request.

Not a test: a measurement. In a throw-away database of its own (Django's test database,
named by TEST_DB_NAME, default ``bench-readlog``; on the database DATABASE_URL names, else
SQLite), it makes one screened case, optionally fills the log with ``--rows`` earlier reads,
and then times N GETs of the workbench case page through Django's full request stack (test
client: middleware, session, templates) with the logging on and, interleaved in the same
run, with it off (the decorator's recording replaced by nothing). It prints the medians, the
ratio, the difference per request, and the time of the INSERT alone (N calls of
``personal_data_read_record``).

    .venv/bin/python scripts/bench_readlog.py -n 300
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python scripts/bench_readlog.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erhvervskontakt.settings")
os.environ.setdefault("TEST_DB_NAME", "bench-readlog")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=300, help="Timed GETs each way.")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--rows", type=int, default=100_000, help="Reads in the log first.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        return _bench(args, Client, connection, name)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def _bench(args: argparse.Namespace, client_class: type, connection: object, name: str) -> int:
    import datetime as dt

    from django.utils import timezone

    from erhvervskontakt.accounts.tests.factories import StaffFactory
    from erhvervskontakt.audit.models import PersonalDataRead
    from erhvervskontakt.audit.services import personal_data_read_record
    from erhvervskontakt.businesses.tests.factories import BusinessFactory, BusinessUserFactory
    from erhvervskontakt.calendar.services import closing_days_seed_defaults
    from erhvervskontakt.cases.services.intake import inquiry_submit
    from erhvervskontakt.cases.services.screening import case_screen
    from erhvervskontakt.catalogue.models import Municipality
    from erhvervskontakt.catalogue.tests.factories import build_catalogue
    from erhvervskontakt.web import readlog

    closing_days_seed_defaults()
    Municipality.objects.get_or_create(pk=1, defaults={"name": "Benchkommune"})
    build_catalogue()
    karen = StaffFactory(username="karen", is_coordinator=True)
    business = BusinessFactory(name="Fynsk Maskinfabrik ApS")
    owner = BusinessUserFactory(business=business, username="ejer@fynsk.dk")
    case = inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["udeservering"],
        description="Seks borde foran caféen.",
        contact={"name": "Eva Ejer", "email": "eva@fynsk.dk", "phone": ""},
        answers={"areal": 12},
    )
    case = case_screen(case=case, actor=karen)
    if args.rows:
        start = timezone.now() - dt.timedelta(days=150)
        step = dt.timedelta(days=150) / args.rows
        PersonalDataRead.objects.bulk_create(
            (
                PersonalDataRead(
                    at=start + i * step,
                    user=karen,
                    use="view",
                    purpose="case_handling",
                    case=case,
                    business=business,
                    person=f"person{i % 5000}@example.dk",
                    route="workbench:case",
                    request_id=f"{i:032x}",
                )
                for i in range(args.rows)
            ),
            batch_size=5000,
        )
    client = client_class()
    client.force_login(karen)
    url = f"/medarbejder/sager/{case.reference}/"
    recording = readlog._record

    def off(*_args: object, **_kwargs: object) -> None:
        return None

    def once(logging: bool) -> float:
        readlog._record = recording if logging else off  # type: ignore[assignment]
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        return elapsed

    for _ in range(args.warmup):
        once(True)
        once(False)
    before = PersonalDataRead.objects.count()
    on_times, off_times = [], []
    for i in range(args.requests):
        # Interleaved, the order alternating, so drift (caches, the disk) hits both alike.
        first = i % 2 == 0
        (on_times if first else off_times).append(once(first))
        (off_times if first else on_times).append(once(not first))
    readlog._record = recording
    logged = PersonalDataRead.objects.count() - before
    assert logged == args.requests, (logged, args.requests)

    insert_times = []
    for _ in range(args.requests):
        started = time.perf_counter()
        personal_data_read_record(
            user=karen, use="view", purpose="case_handling", case=case, route="workbench:case"
        )
        insert_times.append((time.perf_counter() - started) * 1000)

    vendor = connection.vendor  # type: ignore[attr-defined]
    on, off_ = statistics.median(on_times), statistics.median(off_times)
    print(f"{vendor} ({name}), {args.rows:,} reads in the log before, N={args.requests} each way")
    print(f"case page, logging off: median {off_:.2f} ms (mean {statistics.fmean(off_times):.2f})")
    print(f"case page, logging on:  median {on:.2f} ms (mean {statistics.fmean(on_times):.2f})")
    print(f"ratio on/off: {on / off_:.3f}; difference per request: {on - off_:.3f} ms")
    print(
        f"INSERT alone (personal_data_read_record): median "
        f"{statistics.median(insert_times):.3f} ms, p90 "
        f"{statistics.quantiles(insert_times, n=10)[8]:.3f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
