#!/usr/bin/env python3
"""What a page of the events feed (``GET /api/v1/events``) costs at volume (issue 18).

Not a test: a measurement, on the database DATABASE_URL names (else the SQLite default),
loaded first with ``manage.py load_volume --cases 1000000``. Inside one transaction that is
rolled back at the end (so nothing it makes stays: a token, a business user, read-log rows),
it times N pages of 200 events each way:

- the selector (``integrations.selectors.event_feed``) for a coordinator, from the first
  event, from the middle and at the tail (the poll of an integrator that is caught up);
- the same for a business user of the business with the most cases;
- the whole request in-process (Django's test client: the token, the page, the JSON, the
  read log's INSERT), for the coordinator, at random cursors; beside it, as a baseline, the
  whole request of an operation that reads one empty row set (``GET /webhooks``);

and prints p50/p90/p99 in milliseconds and the PostgreSQL plan of the staff page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python scripts/bench_events.py
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erhvervskontakt.settings")


def _percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {cuts[49]:6.2f}  p90 {cuts[89]:6.2f}  p99 {cuts[98]:6.2f}  max {max(samples):6.2f}"


def _time(n: int, work: Callable[[], object]) -> list[float]:
    for _ in range(min(20, n)):  # warm the caches and the connection
        work()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--pages", type=int, default=300, help="Timed pages each way.")
    parser.add_argument("--limit", type=int, default=200, help="Events a page.")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.db.models import Count, Max, Min
    from django.test import Client

    from erhvervskontakt.accounts.models import User
    from erhvervskontakt.accounts.services import api_token_create
    from erhvervskontakt.businesses.models import Membership
    from erhvervskontakt.cases.models import Case, Event
    from erhvervskontakt.integrations.selectors import event_feed

    settings.ALLOWED_HOSTS = ["*"]
    cases = Case.objects.count()
    span = Event.objects.aggregate(first=Min("pk"), last=Max("pk"))
    first, last = span["first"] or 0, span["last"] or 0
    print(f"{connection.vendor}: {cases:,} cases, events {first:,}…{last:,}")
    if not cases:
        print("No cases: load some first (manage.py load_volume --cases 1000000).")
        return 1
    with transaction.atomic():
        staff = User.objects.coordinators().order_by("pk").first()
        assert staff is not None, "no coordinator"
        biggest = Case.objects.values("business_id").annotate(n=Count("id")).order_by("-n").first()
        assert biggest is not None
        owner = User.objects.create_user(username="bench-events@example.invalid")
        Membership.objects.create(user=owner, business_id=biggest["business_id"])
        token = api_token_create(user=staff, scopes=["read"], rate_per_minute=10**9)[1]
        admin = api_token_create(user=staff, scopes=["admin"], rate_per_minute=10**9)[1]
        middle = first + (last - first) // 2
        randomly = random.Random(1)

        def staff_page(after: Callable[[], int]) -> Callable[[], object]:
            return lambda: event_feed(user=staff, after=after(), limit=args.limit)

        runs = {
            "staff, from the first event": staff_page(lambda: first - 1),
            "staff, random cursors": staff_page(lambda: randomly.randint(first, last)),
            "staff, at the tail (caught up)": staff_page(lambda: last - 50),
            f"business user ({biggest['n']} cases), from the start": lambda: event_feed(
                user=owner, after=0, limit=args.limit
            ),
            "business user, at the tail": lambda: event_feed(
                user=owner, after=last - 50, limit=args.limit
            ),
        }
        client = Client()
        url = f"/api/v1/events?limit={args.limit}&after="

        def request() -> object:
            from erhvervskontakt.integrations.feed import cursor_encode

            response = client.get(
                url + cursor_encode(randomly.randint(first, last)),
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            assert response.status_code == 200, response.content[:300]
            return response

        runs["whole request (staff, random cursors)"] = request

        def baseline() -> object:
            response = client.get("/api/v1/webhooks", HTTP_AUTHORIZATION=f"Bearer {admin}")
            assert response.status_code == 200, response.content[:300]
            return response

        runs["whole request, baseline: GET /webhooks (empty)"] = baseline
        print(f"{args.pages} pages of {args.limit} each, milliseconds:")
        for label, work in runs.items():
            print(f"  {label:45s} {_percentiles(_time(args.pages, work))}")
        if connection.vendor == "postgresql":
            query = (
                Event.objects.filter(case__in=Case.objects.visible_to(staff), pk__gt=middle)
                .select_related("case", "actor")
                .order_by("pk")[: args.limit]
            )
            print("\nPlan of the staff page:")
            print(query.explain(analyze=True))
            mine = (
                Event.objects.filter(case__in=Case.objects.visible_to(owner), pk__gt=0)
                .filter(internal=False)
                .exclude(business_text="")
                .select_related("case", "actor")
                .order_by("pk")[: args.limit]
            )
            print("\nPlan of the business user's page:")
            print(mine.explain(analyze=True))
        transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
