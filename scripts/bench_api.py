#!/usr/bin/env python3
"""Time the case list and case detail of a running Erhvervskontakt server.

Not a test: a measurement. Against a server at URL (default http://127.0.0.1:8000) with a
staff API token (``--token`` or the environment variable EK_API_TOKEN; make one with
``python manage.py create_api_token karen``), it times N sequential requests (default 200)
of ``GET /api/v1/cases?limit=50`` and of ``GET /api/v1/cases/{reference}`` for random
references, and prints p50/p90/p99 in milliseconds. Load data first with
``python manage.py load_volume --cases 100000``.

    .venv/bin/python scripts/bench_api.py --url http://127.0.0.1:8765 -n 200
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

import httpx


def percentiles(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "p50": cuts[49],
        "p90": cuts[89],
        "p99": cuts[98],
        "min": min(samples),
        "max": max(samples),
        "mean": statistics.fmean(samples),
    }


def timed(client: httpx.Client, path: str, params: dict[str, object] | None = None) -> float:
    started = time.perf_counter()
    response = client.get(path, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"GET {path} answered {response.status_code}: {response.text[:300]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("EK_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--token", default=os.environ.get("EK_API_TOKEN", ""))
    parser.add_argument("-n", "--requests", type=int, default=200, help="Requests per endpoint.")
    parser.add_argument("--limit", type=int, default=50, help="Page size of the list.")
    parser.add_argument("--warmup", type=int, default=5, help="Untimed requests first.")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not args.token:
        print(
            "A staff token is needed: --token or EK_API_TOKEN "
            "(python manage.py create_api_token karen).",
            file=sys.stderr,
        )
        return 2
    if args.requests < 2:
        parser.error("--requests must be at least 2")
    rng = random.Random(args.seed)
    headers = {"Authorization": f"Bearer {args.token}"}
    with httpx.Client(base_url=args.url.rstrip("/"), headers=headers, timeout=60) as client:
        first = client.get("/api/v1/cases", params={"limit": args.limit})
        if first.status_code != 200:
            print(f"GET /api/v1/cases answered {first.status_code}: {first.text[:300]}")
            return 1
        count = first.json()["count"]
        if not count:
            print("No cases on the server; load some with manage.py load_volume.")
            return 1
        # Random references from random pages (not timed).
        references: list[str] = []
        for _ in range(min(10, max(1, args.requests // 20))):
            offset = rng.randrange(0, max(1, count - 100))
            page = client.get("/api/v1/cases", params={"limit": 100, "offset": offset})
            references += [item["reference"] for item in page.json()["items"]]
        for _ in range(args.warmup):
            timed(client, "/api/v1/cases", {"limit": args.limit})
            timed(client, f"/api/v1/cases/{rng.choice(references)}")
        listing = [
            timed(client, "/api/v1/cases", {"limit": args.limit}) for _ in range(args.requests)
        ]
        detail = [
            timed(client, f"/api/v1/cases/{rng.choice(references)}") for _ in range(args.requests)
        ]
    print(f"{args.url}: {count:,} cases visible; {args.requests} sequential requests each (ms)")
    print(f"{'endpoint':<32} {'p50':>8} {'p90':>8} {'p99':>8} {'min':>8} {'max':>8} {'mean':>8}")
    for name, samples in (
        (f"GET /api/v1/cases?limit={args.limit}", listing),
        ("GET /api/v1/cases/{reference}", detail),
    ):
        stats = percentiles(samples)
        print(
            f"{name:<32} "
            + " ".join(f"{stats[k]:8.1f}" for k in ("p50", "p90", "p99", "min", "max", "mean"))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
