#!/usr/bin/env python3
"""Time the staff workbench's pages over a loaded database.

Not a test: a measurement. Renders each page N times through Django's full request stack
(middleware, session, templates; no network) as a coordinator and as a caseworker, and
prints p50/p90 in milliseconds, with the queries of one request and the p50 of the time
spent in them (the rest is Python: views, model instances, templates). Load data first, e.g.

    DATABASE_URL=sqlite:////work/main/var/perf.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py load_volume --cases 100000
    DATABASE_URL=... .venv/bin/python scripts/bench_workbench.py -n 30
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erhvervskontakt.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=30, help="Timed requests per page.")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="Only the pages whose name contains this.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from erhvervskontakt.accounts.models import User
    from erhvervskontakt.cases.models import Case

    settings.ALLOWED_HOSTS = ["*"]
    coordinator = User.objects.coordinators().order_by("username").first()
    caseworker = (
        User.objects.filter(is_active=True, is_staff=True, is_coordinator=False)
        .exclude(department=None)
        .order_by("username")
        .first()
    )
    case = Case.objects.order_by("-received_at").first()
    if coordinator is None or caseworker is None or case is None:
        print("Load data first (manage.py load_volume).", file=sys.stderr)
        return 2
    business_cvr = case.business.cvr
    total = Case.objects.count()
    print(f"{total:,} cases on {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    pages = [
        ("coordinator", "screening queue", reverse("workbench:screening_queue"), {}),
        ("coordinator", "my cases (open, by due)", reverse("workbench:my_cases"), {}),
        ("coordinator", "my cases (overdue)", reverse("workbench:my_cases"), {"vis": "overdue"}),
        (
            "coordinator",
            "my cases (all, by receipt)",
            reverse("workbench:my_cases"),
            {"vis": "all", "sorter": "received"},
        ),
        ("coordinator", "case view", reverse("workbench:case", args=[case.reference]), {}),
        ("coordinator", "business view", reverse("workbench:business", args=[business_cvr]), {}),
        ("coordinator", "search (reference)", reverse("workbench:search"), {"q": case.reference}),
        ("coordinator", "search (free text)", reverse("workbench:search"), {"q": "ventilation"}),
        ("caseworker", "department inbox", reverse("workbench:inbox"), {}),
        ("coordinator", "promise dashboard", reverse("workbench:measures_staff:dashboard"), {}),
        (
            "coordinator",
            "promise dashboard (one department)",
            reverse("workbench:measures_staff:dashboard"),
            {"afdeling": "byggeri"},
        ),
        (
            "coordinator",
            "promise dashboard (one coordinator)",
            reverse("workbench:measures_staff:dashboard"),
            {"tovholder": coordinator.username},
        ),
    ]
    if args.only:
        pages = [page for page in pages if args.only in page[1]]
    clients = {"coordinator": Client(), "caseworker": Client()}
    clients["coordinator"].force_login(coordinator)
    clients["caseworker"].force_login(caseworker)
    in_sql: list[float] = []

    def timed(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_sql.append((time.perf_counter() - started) * 1000)

    print(f"{'page':<38} {'p50 ms':>8} {'p90 ms':>8} {'queries':>8} {'sql p50':>8}  status")
    for who, label, path, params in pages:
        client = clients[who]
        for _ in range(args.warmup):
            client.get(path, params)
        samples, sql_samples = [], []
        status = queries = 0
        with connection.execute_wrapper(timed):
            for _ in range(args.requests):
                in_sql.clear()
                started = time.perf_counter()
                response = client.get(path, params)
                samples.append((time.perf_counter() - started) * 1000)
                sql_samples.append(sum(in_sql))
                status, queries = response.status_code, len(in_sql)
        cuts = statistics.quantiles(samples, n=10, method="inclusive")
        print(
            f"{label:<38} {statistics.median(samples):8.1f} {cuts[8]:8.1f} {queries:8d}"
            f" {statistics.median(sql_samples):8.1f}  {status}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
