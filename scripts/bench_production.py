#!/usr/bin/env python3
"""The API in production mode beside bare baselines, in the same run (issue 18).

Not a test: a measurement, on the PostgreSQL database ``--database-url`` names, loaded first
with ``manage.py load_volume --cases 1000000``. It starts two servers on loopback ports, both
gunicorn with the same workers and threads as ``manage.py serve`` (README's production
server; ``--workers``, default 2):

- the project, in production mode (``DEBUG=false``; the requests carry
  ``X-Forwarded-Proto: https`` as the TLS proxy's would), through ``manage.py serve
  --no-worker``;
- ``scripts/bench_baseline_app.py``: a bare Django JSON view and hand-written SQL list,
  detail and feed views over the same database.

Then a load generator (asyncio + httpx, keep-alive connections) sends each request at
concurrency 1 (``--requests`` each, default 300) and the lists also at 32, and prints p50,
p90 and requests per second side by side with the ratio to the matching baseline:

- ``GET /api/v1/cases?status=in_progress&limit=50`` as a coordinator and as a business user
  of the business with the most cases (its own cases only) — beside ``/raw/cases``;
- ``GET /api/v1/cases/{reference}`` of cases with 20 or more timeline events — beside
  ``/raw/cases/{reference}``;
- ``GET /api/v1/events?limit=50`` from random points of the feed — beside ``/raw/events``;
- ``POST /api/v1/inquiries`` (c = 1, ``--intakes``, default 100; they stay in the database);
- ``/bare``: what any request costs in this server.

Setting up makes a business user and API tokens with a high rate limit (they stay).

    .venv/bin/python scripts/bench_production.py \\
        --database-url postgres://postgres@127.0.0.1:5432/bench1m
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HEADERS = {"X-Forwarded-Proto": "https"}
BENCH_EMAIL = "bench-business@bench.example"
UNLIMITED = "100000000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def setup(database_url: str, env: dict[str, str]) -> dict[str, Any]:
    """Tokens, the business user, and the references and cursors to ask for."""
    with psycopg.connect(database_url, autocommit=True) as db:
        cases = db.execute("SELECT count(*) FROM cases_case").fetchone()[0]
        events = db.execute("SELECT count(*) FROM cases_event").fetchone()[0]
        cvr = db.execute(
            "SELECT b.cvr FROM cases_case c JOIN businesses_business b ON b.id = c.business_id"
            " GROUP BY b.cvr ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        own = db.execute(
            "SELECT count(*) FROM cases_case c JOIN businesses_business b"
            " ON b.id = c.business_id WHERE b.cvr = %s",
            [cvr],
        ).fetchone()[0]
        sample = db.execute(
            "SELECT c.reference FROM cases_case c JOIN cases_event e ON e.case_id = c.id"
            " WHERE c.id IN (SELECT id FROM cases_case TABLESAMPLE SYSTEM (2) LIMIT 20000)"
            " GROUP BY c.reference HAVING count(*) >= 20 LIMIT 300"
        ).fetchall()
        top = db.execute("SELECT max(id) FROM cases_event").fetchone()[0] or 1
        staff = db.execute(
            "SELECT username FROM accounts_user WHERE is_coordinator AND is_active"
            " ORDER BY id LIMIT 1"
        ).fetchone()[0]
    if not sample:
        raise SystemExit("No case with 20 or more events: load data with load_volume first.")
    manage(env, "add_business_user", cvr, BENCH_EMAIL, "--name", "Bench Virksomhed")
    tokens = {}
    for who in (staff, BENCH_EMAIL):
        out = manage(
            env, "create_api_token", who, "--name", "bench_production",
            "--scope", "read,intake,write", "--rate-per-minute", UNLIMITED,
        )  # fmt: skip
        tokens[who] = out.strip().splitlines()[-1].strip()
    return {
        "cases": cases,
        "events": events,
        "cvr": cvr,
        "own_cases": own,
        "references": [r[0] for r in sample],
        "event_top": top,
        "staff": tokens[staff],
        "business": tokens[BENCH_EMAIL],
        "staff_name": staff,
    }


@contextmanager
def server(command: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    process = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"server stopped: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                httpx.get(f"{url}/healthz", headers=HEADERS, timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise SystemExit("server did not start in 60 s") from None
                time.sleep(0.3)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


async def _drive(
    base: str,
    make: Any,
    total: int,
    concurrency: int,
    headers: dict[str, str],
) -> tuple[list[float], float]:
    """Send ``total`` requests, ``concurrency`` at a time over keep-alive connections; the
    latencies in ms and the wall time in s."""
    latencies: list[float] = []
    remaining = iter(range(total))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base, headers={**HEADERS, **headers}, limits=limits, timeout=60
    ) as client:
        # Warm: each connection and each worker once.
        await asyncio.gather(*(client.send(make(client, i)) for i in range(concurrency * 2)))

        async def worker() -> None:
            for i in remaining:
                request = make(client, i)
                started = time.perf_counter()
                response = await client.send(request)
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code >= 300:
                    raise SystemExit(
                        f"{request.method} {request.url} answered {response.status_code}: "
                        f"{response.text[:300]}"
                    )

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return latencies, wall


def measure(
    base: str, make: Any, total: int, concurrency: int, headers: dict[str, str]
) -> dict[str, float]:
    latencies, wall = asyncio.run(_drive(base, make, total, concurrency, headers))
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"p50": cuts[49], "p90": cuts[89], "rps": total / wall, "n": total}


def get(path: str) -> Any:
    return lambda client, i: client.build_request("GET", path)


def cursor(after: int) -> str:
    """The feed's opaque cursor (``integrations.feed``): base64url of ``e<event id>``."""
    return base64.urlsafe_b64encode(f"e{after}".encode()).decode().rstrip("=")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--intakes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("Give --database-url postgres://… (a database loaded by load_volume).")
    random.seed(args.seed)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-production-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": "2",  # nothing is sent: no worker runs
        "PYTHONPATH": str(ROOT / "scripts"),
    }
    env.pop("CACHE_URL", None)
    print("setting up …", file=sys.stderr)
    world = setup(args.database_url, env)
    print(
        f"{world['cases']:,} cases, {world['events']:,} events on PostgreSQL; business user of "
        f"CVR {world['cvr']} ({world['own_cases']:,} cases); {args.workers} gunicorn workers × 4 "
        f"threads each side",
        file=sys.stderr,
    )
    refs = world["references"]
    top = world["event_top"]
    n = args.requests
    app_port, base_port = free_port(), free_port()
    app_command = [
        PYTHON, str(ROOT / "manage.py"), "serve", "--no-worker",
        "--bind", f"127.0.0.1:{app_port}", "--web-workers", str(args.workers),
    ]  # fmt: skip
    base_command = [
        PYTHON, "-m", "gunicorn", "bench_baseline_app:application",
        "--bind", f"127.0.0.1:{base_port}", "--workers", str(args.workers), "--threads", "4",
        "--access-logfile", "-", "--graceful-timeout", "10",
    ]  # fmt: skip
    staff = {"Authorization": f"Bearer {world['staff']}"}
    business = {"Authorization": f"Bearer {world['business']}"}
    rows: list[tuple[str, int, dict[str, float], str, dict[str, float]]] = []

    def intake(client: httpx.AsyncClient, i: int) -> httpx.Request:
        return client.build_request(
            "POST",
            "/api/v1/inquiries",
            json={
                "cvr": world["cvr"],
                "contact": {"name": "Bench Hansen", "email": "bench@bench.example"},
                "service_types": ["udeservering"],
                "description": f"Benchmark-henvendelse {i}",
                "answers": {"areal": 12},
            },
            headers={"Idempotency-Key": f"bench-{time.time_ns()}-{i}"},
        )

    with server(app_command, env, app_port) as app, server(base_command, env, base_port) as bare:
        print("measuring …", file=sys.stderr)
        bare_c1 = measure(bare, get("/bare"), n, 1, {})
        raw_list = {c: measure(bare, get("/raw/cases?status=in_progress&limit=50"), n, c, {})
                    for c in (1, 32)}  # fmt: skip
        for c in (1, 32):
            rows.append((
                "GET /api/v1/cases?status=in_progress&limit=50 (coordinator)", c,
                measure(app, get("/api/v1/cases?status=in_progress&limit=50"), n, c, staff),
                "raw SQL list", raw_list[c],
            ))  # fmt: skip
            rows.append((
                "GET /api/v1/cases?status=in_progress&limit=50 (business user)", c,
                measure(app, get("/api/v1/cases?status=in_progress&limit=50"), n, c, business),
                "raw SQL list", raw_list[c],
            ))  # fmt: skip

        def detail(prefix: str) -> Any:
            return lambda client, i: client.build_request("GET", f"{prefix}{refs[i % len(refs)]}")

        rows.append((
            "GET /api/v1/cases/{ref} (20+ events)", 1,
            measure(app, detail("/api/v1/cases/"), n, 1, staff),
            "raw SQL detail", measure(bare, detail("/raw/cases/"), n, 1, {}),
        ))  # fmt: skip
        points = [random.randrange(1, top) for _ in range(n * 3)]

        def feed(make_url: Any) -> Any:
            return lambda client, i: client.build_request("GET", make_url(points[i % len(points)]))

        rows.append((
            "GET /api/v1/events?limit=50", 1,
            measure(app, feed(lambda a: f"/api/v1/events?limit=50&after={cursor(a)}"), n, 1, staff),
            "raw SQL feed", measure(bare, feed(lambda a: f"/raw/events?limit=50&after={a}"), n, 1, {}),
        ))  # fmt: skip
        rows.append((
            "POST /api/v1/inquiries", 1, measure(app, intake, args.intakes, 1, business),
            "bare JSON view", bare_c1,
        ))  # fmt: skip
        rows.append(("bare JSON view", 1, bare_c1, "bare JSON view", bare_c1))

    print()
    print(f"{'request':66} {'c':>3} {'p50 ms':>8} {'p90 ms':>8} {'req/s':>8}   "
          f"{'baseline':16} {'p50 ms':>8} {'req/s':>8} {'p50 ×':>6} {'rps %':>6}")  # fmt: skip
    for label, c, ours, base_label, base in rows:
        print(
            f"{label:66} {c:>3} {ours['p50']:8.2f} {ours['p90']:8.2f} {ours['rps']:8.0f}   "
            f"{base_label:16} {base['p50']:8.2f} {base['rps']:8.0f} "
            f"{ours['p50'] / base['p50']:6.1f} {100 * ours['rps'] / base['rps']:6.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
