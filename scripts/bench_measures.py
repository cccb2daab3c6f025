#!/usr/bin/env python3
"""Time the promise dashboard's selectors (erhvervskontakt.measures.selectors) over a loaded
database.

Not a test: a measurement. Calls each selector N times — and ``promise_dashboard`` (all of
them, what the dashboard page calls) — with the default filter (the last 12 months) and with
a department filter, and prints p50/p95 in milliseconds and the queries each makes. The
target is the whole dashboard in under 300 ms over 1,000,000 cases on PostgreSQL. Load the
volume into a database of its own first:

    createdb -h 127.0.0.1 -U postgres bench_measures
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_measures
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py load_volume --cases 1000000
    .venv/bin/python scripts/load_survey_volume.py          # ~0.8 M surveys, ~1.7 M answers
    .venv/bin/python scripts/bench_measures.py -n 30        # or: make bench-measures

The satisfaction line times the survey figures the dashboard shows (``surveys.selectors``):
the page keeps them in the cache until a survey is sent or answered, so this is what the
first view after one costs.

``--explain`` prints PostgreSQL's plan (EXPLAIN ANALYZE) of each query of the dashboard once.
"""

from __future__ import annotations

import argparse
import dataclasses
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


def p(samples: list[float], q: int) -> float:
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=30, help="Timed runs per selector.")
    parser.add_argument("--warmup", type=int, default=3, help="Untimed runs first.")
    parser.add_argument(
        "--department",
        action="append",
        default=[],
        help="A department code to filter by (repeatable; default: the one with most cases "
        "and the one with most cases under a national service target).",
    )
    parser.add_argument("--explain", action="store_true", help="Print each query's plan.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from erhvervskontakt.cases import selectors as selectors_cases
    from erhvervskontakt.cases.models import Case
    from erhvervskontakt.catalogue.models import Department
    from erhvervskontakt.common import clock
    from erhvervskontakt.measures import selectors, trends
    from erhvervskontakt.measures.aggregates import tuned
    from erhvervskontakt.measures.filters import MeasureFilter
    from erhvervskontakt.surveys import selectors as surveys
    from erhvervskontakt.surveys.models import Occasion

    def satisfaction(f: MeasureFilter) -> Any:
        """What the dashboard asks the surveys for (workbench.views.dashboard._satisfaction_now)."""
        return (
            surveys.response_rate(f),
            surveys.satisfaction_by_question(f),
            surveys.satisfaction_breakdown(f, "department"),
            surveys.satisfaction_breakdown(f, "service_type"),
            surveys.satisfaction_breakdown(f, "coordinator"),
            surveys.overall_positive(f, occasion=Occasion.INSPECTION),
        )

    total = Case.objects.count()
    if not total:
        print("Load data first (manage.py load_volume).", file=sys.stderr)
        return 2
    by_size = Department.objects.annotate(n=Count("service_types__cases")).order_by("-n")
    departments = args.department or list(
        dict.fromkeys(
            code
            for code in (
                by_size.values_list("code", flat=True).first(),
                by_size.filter(service_types__service_target_days__isnull=False)
                .values_list("code", flat=True)
                .first(),
            )
            if code
        )
    )
    today = clock.today()
    filters = {"12 months": MeasureFilter.last_12_months(today)}
    for code in departments:
        filters[f"12 months, {code}"] = MeasureFilter.last_12_months(today, department=code)
    calls: list[tuple[str, Callable[[MeasureFilter], Any]]] = [
        ("screening", selectors.screening),
        ("answers", selectors.answers),
        ("service_targets", selectors.service_targets),
        ("backlog", selectors.backlog),
        ("processing_times", selectors.processing_times),
        ("promise_dashboard (all)", selectors.promise_dashboard),
        ("satisfaction (surveys)", satisfaction),
        # The tiles' last 12 months (issue 14), beside the dashboard above as its baseline.
        (
            "trends: open cases",
            lambda f: trends._open_cases(trends.trend_filter(f), trends.months_up_to(f.end)),
        ),
        ("trends (all tiles)", trends.trends),
        ("coordinator_open_counts", lambda f: selectors_cases.coordinator_open_counts()),
    ]
    print(f"{total:,} cases on {connection.vendor}; today {today}; {args.runs} runs each")
    print(f"{'filter':<24} {'selector':<26} {'p50 ms':>8} {'p95 ms':>8} {'SELECTs':>8}")
    for label, f in filters.items():
        for name, call in calls:
            for _ in range(args.warmup):
                call(f)
            samples = []
            for _ in range(args.runs):
                started = time.perf_counter()
                call(f)
                samples.append((time.perf_counter() - started) * 1000)
            fresh = dataclasses.replace(f)  # as a request would: ids looked up again
            with CaptureQueriesContext(connection) as captured:
                call(fresh)
            selects = [q for q in captured.captured_queries if q["sql"].startswith("SELECT")]
            print(
                f"{label:<24} {name:<26} {p(samples, 50):>8.1f} {p(samples, 95):>8.1f} "
                f"{len(selects):>8}"
            )
        if args.explain and connection.vendor == "postgresql":
            with CaptureQueriesContext(connection) as captured:
                selectors.promise_dashboard(f)
            with tuned(), connection.cursor() as cursor:  # as the selectors run them
                for query in captured.captured_queries:
                    if not query["sql"].startswith("SELECT"):
                        continue
                    print(f"\n-- {query['time']} s\n{query['sql']}")
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                    print("\n".join(row[0] for row in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
