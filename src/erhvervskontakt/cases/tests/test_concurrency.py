"""Intake under real concurrency: many threads, each with its own database connection,
writing at once. Runs on SQLite (file database, WAL, IMMEDIATE transactions) and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from erhvervskontakt.cases.models import Case, IdempotencyKey, ReferenceCounter
from erhvervskontakt.cases.services.intake import inquiry_submit

pytestmark = pytest.mark.django_db(transaction=True)

CPH = ZoneInfo("Europe/Copenhagen")


def run_at_once(n: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Start ``n`` threads that call ``work(i)`` together; collect results and errors."""
    barrier = threading.Barrier(n)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            result = work(i)
            with lock:
                results.append(result)
        except BaseException as error:  # reported by the test
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results, errors


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 10, tzinfo=CPH), tick=False)


def test_twenty_simultaneous_intakes_get_twenty_distinct_sequential_references(
    frozen, catalogue, owner, business
):
    def intake(i: int) -> str:
        case = inquiry_submit(
            actor=owner,
            cvr=business.cvr,
            service_types=["udeservering"],
            description=f"Henvendelse nr. {i}",
            contact={"name": "Eva Ejer", "email": "eva@fynsk.dk"},
            answers={"areal": i + 1},
        )
        return case.reference

    references, errors = run_at_once(20, intake)

    assert errors == []
    assert sorted(references) == [f"EK-2026-{n:05d}" for n in range(1, 21)]
    assert Case.objects.count() == 20
    assert sorted(Case.objects.values_list("number", flat=True)) == list(range(1, 21))
    assert ReferenceCounter.objects.get(year=2026).last == 20


def test_simultaneous_intakes_for_a_new_business_register_it_once(frozen, catalogue, karen):
    def intake(i: int) -> int:
        case = inquiry_submit(
            actor=karen,
            cvr="13585628",
            business_name="Nyt Bryggeri ApS",
            service_types=["raadgivning"],
            description=f"Spørgsmål nr. {i}",
            contact={"name": "Ny Ejer", "email": "ny@bryggeri.dk"},
        )
        return case.business_id

    business_ids, errors = run_at_once(8, intake)

    assert errors == []
    assert len(set(business_ids)) == 1
    assert Case.objects.count() == 8


def test_the_same_idempotency_key_from_five_threads_makes_exactly_one_case(
    frozen, catalogue, owner, business
):
    def intake(i: int) -> tuple[str, bool]:
        case = inquiry_submit(
            actor=owner,
            cvr=business.cvr,
            service_types=["udeservering"],
            description="Borde foran caféen",
            contact={"name": "Eva Ejer", "email": "eva@fynsk.dk"},
            answers={"areal": 12},
            idempotency_key="portal-7f3c",
        )
        return case.reference, case.replayed

    outcomes, errors = run_at_once(5, intake)

    assert errors == []
    assert {reference for reference, _ in outcomes} == {"EK-2026-00001"}
    assert sorted(replayed for _, replayed in outcomes) == [False, True, True, True, True]
    assert Case.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
