#!/usr/bin/env python3
"""Time a department's inbox (its open tasks by their own date) over a loaded database.

Not a test: a measurement, in one run, of three reads of the first page (50 tasks) of the
largest department's open tasks:

- ``bare``: the baseline, hand-written SQL for the page's task ids on the ``task_inbox`` index;
- ``stored``: the ids of the inbox's query (``cases.selectors.department_inbox``), ordered
  by the stored ``Task.due_date``;
- ``rule``: the same ids ordered by the rule computed in the query
  (``cases.models.task_due_expression``), as the inbox read them before the date was stored;
- ``page``: the whole page as the workbench reads it (tasks with their cases, businesses,
  coordinators, assignees and service types).

It prints p50/p90 in milliseconds and the ratios to the baseline. Load data first, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench1m .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py load_volume --cases 1000000
    DATABASE_URL=... .venv/bin/python scripts/bench_inbox.py -n 30
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erhvervskontakt.settings")

PAGE = 50


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=30, help="Timed reads of each.")
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count, F

    from erhvervskontakt.accounts.models import User
    from erhvervskontakt.cases.models import Task, task_due_expression
    from erhvervskontakt.cases.selectors import department_inbox

    open_statuses = [Task.Status.OPEN, Task.Status.IN_PROGRESS]
    busiest = (
        Task.objects.filter(status__in=open_statuses)
        .values("department_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        print("Load data first (manage.py load_volume).", file=sys.stderr)
        return 2
    department_id, open_tasks = busiest["department_id"], busiest["n"]
    worker = (
        User.objects.filter(is_active=True, is_staff=True, is_coordinator=False)
        .filter(department_id=department_id, is_head_of_unit=False)
        .order_by("username")
        .first()
    )
    if worker is None:
        print("No caseworker in the busiest department.", file=sys.stderr)
        return 2

    def stored() -> list[int]:
        return list(department_inbox(user=worker).values_list("pk", flat=True)[:PAGE])

    def rule() -> list[int]:
        page = (
            department_inbox(user=worker)
            .annotate(rule=task_due_expression())
            .order_by(F("rule").asc(nulls_last=True), "id")
        )
        return list(page.values_list("pk", flat=True)[:PAGE])

    def page() -> list[int]:
        return [t.pk for t in department_inbox(user=worker)[:PAGE]]

    sql = (
        "SELECT id FROM cases_task WHERE department_id = %s AND status IN (%s, %s) "
        "ORDER BY due_date ASC NULLS LAST, id LIMIT %s"
    )

    def bare() -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(sql, [department_id, *open_statuses, PAGE])
            return [row[0] for row in cursor.fetchall()]

    if not stored() == rule() == bare() == page():
        print("The three reads disagree on the page: the stored dates are stale.", file=sys.stderr)
        return 1

    def timed(read: Callable[[], list[int]]) -> tuple[float, float]:
        for _ in range(args.warmup):
            read()
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            read()
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        return statistics.median(times), times[int(0.9 * (len(times) - 1))]

    print(
        f"{connection.vendor}, {Task.objects.count():,} tasks, department {department_id} with "
        f"{open_tasks:,} open; first page of {PAGE}, {args.requests} reads each"
    )
    results = {
        name: timed(read)
        for name, read in (("bare", bare), ("stored", stored), ("rule", rule), ("page", page))
    }
    base = results["bare"][0]
    for name, (p50, p90) in results.items():
        print(f"  {name:7} p50 {p50:9.2f} ms  p90 {p90:9.2f} ms  {p50 / base:8.1f}x bare")
    print(f"  stored is {results['rule'][0] / results['stored'][0]:.0f}x faster than the rule")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
