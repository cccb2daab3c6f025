#!/usr/bin/env python3
"""What looking up a case's learned promise costs screening and the portal (issue 17).

Not a test: a measurement. In a throw-away database of its own (Django's test database,
named by TEST_DB_NAME, default ``bench-promises``; on the database DATABASE_URL names, else
SQLite) it loads ``--cases`` synthetic cases (the volume loader of ``manage.py load_volume``),
writes ``--nights`` nightly refreshes' worth of estimate rows for every active service type,
runs one real refresh over the loaded history (timed: the worker's cost), and then times N
lookups of a two-service-type case's promises (``cases.promises.type_promises``, what
screening calls) against, interleaved in the same run, a bare baseline: the same service
types fetched by primary key. It prints the medians, the ratio and the 99th percentile.

    .venv/bin/python scripts/bench_promises.py --cases 1000000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python scripts/bench_promises.py
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
os.environ.setdefault("TEST_DB_NAME", "bench-promises")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="Synthetic cases first.")
    parser.add_argument("--nights", type=int, default=3 * 365, help="Refreshes' rows first.")
    parser.add_argument("-n", "--lookups", type=int, default=2000, help="Timed lookups each way.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        return _bench(args, connection)
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def _bench(args: argparse.Namespace, connection: object) -> int:
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from tqdm import tqdm

    from erhvervskontakt.cases import promises
    from erhvervskontakt.cases.models import Case
    from erhvervskontakt.catalogue.models import ServiceType
    from erhvervskontakt.demo.catalogue import load_catalogue
    from erhvervskontakt.demo.people import load_staff
    from erhvervskontakt.demo.volume import VolumeLoader
    from erhvervskontakt.estimates.models import PromiseEstimate
    from erhvervskontakt.estimates.services import promise_estimates_refresh

    load_catalogue()
    load_staff(make_password(None))
    if args.cases:
        with tqdm(total=args.cases, desc="Cases", unit=" cases", unit_scale=True) as bar:
            VolumeLoader(cases=args.cases, batch=5000, seed=1, years=4, progress=bar.update).run()
    types = list(ServiceType.objects.filter(active=True).order_by("pk"))
    now = timezone.now()
    rows = (
        PromiseEstimate(
            service_type=st,
            computed_at=now - dt.timedelta(days=night),
            as_of=(now - dt.timedelta(days=night + 1)).date(),
            working_days=10 + night % 7,
            basis="history",
            confidence=0.9,
            miss_rate=0.1,
        )
        for night in range(args.nights, 0, -1)
        for st in types
    )
    PromiseEstimate.objects.bulk_create(rows, batch_size=5000)
    started = time.perf_counter()
    promise_estimates_refresh()
    refresh_seconds = time.perf_counter() - started

    ids = [types[0].pk, types[-1].pk]
    pair = list(ServiceType.objects.filter(pk__in=ids))

    def lookup() -> float:
        began = time.perf_counter()
        found = promises.type_promises(pair)
        elapsed = (time.perf_counter() - began) * 1000
        assert len(found) == 2
        return elapsed

    def baseline() -> float:
        began = time.perf_counter()
        found = list(ServiceType.objects.filter(pk__in=ids))
        elapsed = (time.perf_counter() - began) * 1000
        assert len(found) == 2
        return elapsed

    for _ in range(50):
        lookup()
        baseline()
    ours, bare = [], []
    for i in range(args.lookups):
        first = i % 2 == 0  # interleaved, the order alternating
        (ours if first else bare).append(lookup() if first else baseline())
        (bare if first else ours).append(baseline() if first else lookup())
    cases = Case.objects.count()
    estimates = PromiseEstimate.objects.count()
    median, base = statistics.median(ours), statistics.median(bare)
    p99 = sorted(ours)[int(0.99 * len(ours)) - 1]
    print(
        f"{connection.vendor}: {cases:,} cases, {estimates:,} estimate rows, "  # type: ignore[attr-defined]
        f"{len(types)} service types"
    )
    print(f"refresh (the worker, all service types): {refresh_seconds:.2f} s")
    print(
        f"lookup of a two-type case's promises: median {median:.3f} ms, p99 {p99:.3f} ms; "
        f"baseline (the two service types by pk): median {base:.3f} ms; ratio {median / base:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
