#!/usr/bin/env python3
"""Fire N (default 20) simultaneous inquiries at a running server; all must succeed.

Reads the public catalogue (``GET /api/v1/service-types``) to build valid bodies, then sends
N ``POST /api/v1/inquiries`` at the same instant (threads released by a barrier), all for one
new business (a fresh valid CVR), with a staff token (``--token`` or EK_API_TOKEN; make one
with ``python manage.py create_api_token karen``). Prints the references and exits 0 only
when every request answered 201 and every reference is distinct.

    .venv/bin/python scripts/parallel_intake.py --url http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def random_cvr(rng: random.Random) -> str:
    """A valid CVR number (modulus 11), different on each run."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
        remainder = sum(w * d for w, d in zip(WEIGHTS, digits, strict=False)) % 11
        check = (11 - remainder) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


def answer_for(requirement: dict[str, Any]) -> Any:
    kind = requirement["type"]
    if kind == "number":
        return 12
    if kind == "boolean":
        return True
    if kind == "date":
        return (dt.date.today() + dt.timedelta(days=30)).isoformat()  # noqa: DTZ011
    if kind == "choice":
        return requirement["choices"][0]["value"]
    return "Oplyst af parallel_intake.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("EK_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--token", default=os.environ.get("EK_API_TOKEN", ""))
    parser.add_argument("-n", "--parallel", type=int, default=20)
    parser.add_argument("--service-type", default="", help="Code to use (default: the first).")
    args = parser.parse_args()
    if not args.token:
        print(
            "A staff token is needed: --token or EK_API_TOKEN "
            "(python manage.py create_api_token karen).",
            file=sys.stderr,
        )
        return 2
    base = args.url.rstrip("/")
    catalogue = httpx.get(f"{base}/api/v1/service-types", timeout=30).json()
    if not catalogue:
        print("The server has no service types.")
        return 1
    chosen = next((st for st in catalogue if st["code"] == args.service_type), catalogue[0])
    answers = {r["key"]: answer_for(r) for r in chosen["requirements"] if r["kind"] == "field"}
    rng = random.Random()
    cvr = random_cvr(rng)
    body = {
        "cvr": cvr,
        "business_name": f"Parallel Test {cvr} ApS",
        "contact": {"name": "Parallel Test", "email": "parallel@test.example"},
        "service_types": [chosen["code"]],
        "description": "Samtidig henvendelse fra scripts/parallel_intake.py.",
        "answers": answers,
    }
    barrier = threading.Barrier(args.parallel)
    headers = {"Authorization": f"Bearer {args.token}"}

    def submit(index: int) -> tuple[int, str, float]:
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            barrier.wait()
            started = time.perf_counter()
            response = client.post(
                "/api/v1/inquiries",
                json={**body, "description": f"{body['description']} Nr. {index + 1}."},
            )
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code == 201:
                return response.status_code, response.json()["reference"], elapsed
            return response.status_code, response.text[:200], elapsed

    with ThreadPoolExecutor(max_workers=args.parallel) as pool:
        results = list(pool.map(submit, range(args.parallel)))
    ok = [ref for status, ref, _ in results if status == 201]
    for status, text, elapsed in results:
        print(f"{status} {elapsed:7.0f} ms  {text}")
    distinct = len(set(ok)) == len(ok)
    print(
        f"{len(ok)}/{args.parallel} succeeded for CVR {cvr} ({chosen['code']}); "
        f"references {'all distinct' if distinct else 'NOT distinct'}."
    )
    return 0 if len(ok) == args.parallel and distinct else 1


if __name__ == "__main__":
    sys.exit(main())
