"""Concurrent intake over real HTTP: unique, gap-free references and no lost or double rows.

pytest-django's live server answers each request in its own thread with its own database
connection, so these requests really race (SQLite: WAL and IMMEDIATE transactions;
PostgreSQL: row locks).
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from erhvervskontakt.businesses.cvr import synthetic_cvr
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case, IdempotencyKey

from .conftest import inquiry

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

THREADS = 20


def _post_all_at_once(clients: list[httpx.Client], bodies: list[dict], headers=None):
    """POST one inquiry per client, all released together by a barrier."""
    barrier = threading.Barrier(len(clients))

    def post(index: int) -> httpx.Response:
        barrier.wait(timeout=30)
        return clients[index].post("/inquiries", json=bodies[index], headers=headers or {})

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        return list(pool.map(post, range(len(clients))))


def test_twenty_parallel_intakes_all_succeed_with_distinct_sequential_references(
    http, owner, business, catalogue
):
    clients = [http(owner) for _ in range(THREADS)]
    bodies = [inquiry(business.cvr, description=f"Henvendelse nummer {n}") for n in range(THREADS)]

    responses = _post_all_at_once(clients, bodies)

    assert [r.status_code for r in responses] == [201] * THREADS, [
        r.text for r in responses if r.status_code != 201
    ]
    references = [r.json()["reference"] for r in responses]
    assert len(set(references)) == THREADS
    assert all(re.fullmatch(r"EK-\d{4}-\d{5}", ref) for ref in references)
    numbers = sorted(int(ref.rsplit("-", 1)[1]) for ref in references)
    assert numbers == list(range(1, THREADS + 1))
    assert set(Case.objects.values_list("reference", flat=True)) == set(references)
    descriptions = {r.json()["description"] for r in responses}
    assert descriptions == {body["description"] for body in bodies}


def test_parallel_intakes_for_one_new_business_register_it_once(http, karen, catalogue):
    cvr = synthetic_cvr(7001)
    clients = [http(karen) for _ in range(THREADS)]
    bodies = [inquiry(cvr, business_name="Ny Virksomhed ApS") for _ in range(THREADS)]

    responses = _post_all_at_once(clients, bodies)

    assert [r.status_code for r in responses] == [201] * THREADS, [
        r.text for r in responses if r.status_code != 201
    ]
    assert Business.objects.filter(cvr=cvr).count() == 1
    assert Case.objects.filter(business__cvr=cvr).count() == THREADS


def test_parallel_retries_with_one_idempotency_key_make_one_case(http, owner, business, catalogue):
    clients = [http(owner) for _ in range(10)]
    body = inquiry(business.cvr)

    responses = _post_all_at_once(clients, [body] * 10, headers={"Idempotency-Key": "ordre-1"})

    # The token differs per client, but the key belongs to the user: one case in all.
    assert [r.status_code for r in responses] == [201] * 10, [r.text for r in responses]
    assert len({r.json()["reference"] for r in responses}) == 1
    assert sum("Idempotent-Replayed" not in r.headers for r in responses) == 1
    assert Case.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
