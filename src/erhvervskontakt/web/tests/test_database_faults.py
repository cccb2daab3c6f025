"""PostgreSQL restarted (fast shutdown) under a stream of intakes: nothing lost, nothing twice.

The application runs as in production (gunicorn, ``DEBUG`` off) against a private
PostgreSQL cluster of the test's own (``testing.pgcluster``), never the shared server. Three
client threads post inquiries, each with its own ``Idempotency-Key``, and retry the same
key after an error or a timeout until they get a 201; halfway PostgreSQL is stopped with a
fast shutdown and started again after about 3 s. Then: every acknowledged inquiry is in the
database exactly once, no answer was a 500 (an unreachable database is a 503 with
``Retry-After``), every request started 2 s after PostgreSQL accepts connections again
succeeded, and ``/healthz`` said 503 while it was down and 200 after.

The figures are printed (``pytest -s``). The cluster is the test's own whatever
``DATABASE_URL`` says, so the test runs once per suite, in the SQLite leg.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from erhvervskontakt.testing.pgcluster import (
    Gunicorn,
    PgCluster,
    app_database,
    django_env,
    once_per_suite,
    pg_cluster,
    run_django,
)

pytestmark = [pytest.mark.slow, once_per_suite]
__all__ = ["pg_cluster"]  # the fixture, imported for the tests below

CLIENTS = 3
DOWN_FOR = 3.0  # seconds PostgreSQL is down
LOAD_BEFORE = 6  # inquiries acknowledged before the restart
LOAD_AFTER = 4.0  # seconds of intake after PostgreSQL is back
SETTLED = 2.0  # requests started this long after PostgreSQL is back must succeed

SETUP = """
from django.core.management import call_command
from erhvervskontakt.accounts.models import User
from erhvervskontakt.catalogue.tests.factories import build_catalogue
build_catalogue()
User.objects.create_user(
    username="fagsystem", email="fagsystem@kommune.test", is_staff=True, password=None
)
call_command("create_api_token", "fagsystem")  # the token is its last line
"""


@dataclass
class Attempt:
    key: str
    started: float
    ended: float
    status: int | None  # None: no answer (connection refused/reset, timeout)
    error: str = ""
    retry_after: str | None = None
    reference: str = ""
    replayed: bool = False


@dataclass
class Intake:
    """What the clients did: every attempt, and the acknowledged (201) keys."""

    attempts: list[Attempt] = field(default_factory=list)
    acknowledged: dict[str, str] = field(default_factory=dict)  # key → reference
    refused: list[Attempt] = field(default_factory=list)  # a 4xx other than a retry
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def record(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)


def payload(n: int) -> dict[str, Any]:
    return {
        "cvr": "25923987",
        "business_name": "Fejltest ApS",
        "service_types": ["raadgivning"],
        "description": f"Henvendelse nummer {n} under en genstart af databasen.",
        "contact": {"name": "Eva Ejer", "email": "eva@fejltest.example", "phone": ""},
    }


def client_loop(base_url: str, token: str, intake: Intake, number: int) -> None:
    """Post inquiries one after the other; retry each key until it is acknowledged."""
    headers = {
        "Authorization": f"Bearer {token}",
        "X-Forwarded-Proto": "https",  # TLS ends at the proxy (SECURE_SSL_REDIRECT)
    }
    sent = 0
    with httpx.Client(base_url=base_url, headers=headers, timeout=5) as client:
        while not intake.stop.is_set():
            key = f"fault-{number}-{uuid.uuid4().hex}"
            body = payload(number * 100_000 + sent)
            sent += 1
            while True:
                started = time.monotonic()
                try:
                    response = client.post(
                        "/api/v1/inquiries", json=body, headers={"Idempotency-Key": key}
                    )
                except httpx.HTTPError as error:
                    intake.record(Attempt(key, started, time.monotonic(), None, repr(error)))
                    time.sleep(0.1)
                    continue
                attempt = Attempt(
                    key,
                    started,
                    time.monotonic(),
                    response.status_code,
                    retry_after=response.headers.get("Retry-After"),
                )
                if response.status_code == 201:
                    attempt.reference = response.json()["reference"]
                    attempt.replayed = response.headers.get("Idempotent-Replayed") == "true"
                    intake.record(attempt)
                    with intake.lock:
                        intake.acknowledged[key] = attempt.reference
                    break
                attempt.error = response.text[:300]
                intake.record(attempt)
                if 400 <= response.status_code < 500:
                    with intake.lock:
                        intake.refused.append(attempt)
                    break
                time.sleep(0.1)  # a 5xx: the same key again (Retry-After is 5 s; we hurry)


@dataclass
class Health:
    down: list[int] = field(default_factory=list)
    after: int | None = None
    page: httpx.Response | None = None  # a portal page while the database is down


@pytest.fixture(autouse=True)
def _quiet_httpx() -> Iterator[None]:
    """httpx logs every request at INFO; a few hundred of them say nothing here."""
    logger = logging.getLogger("httpx")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


@pytest.fixture
def server(pg_cluster: PgCluster, tmp_path: Path) -> Iterator[tuple[Gunicorn, str, str]]:
    """gunicorn on a fresh migrated database with the catalogue and an API token."""
    url = app_database(pg_cluster, "faults_web")
    env = django_env(url)
    token = run_django(SETUP, env=env).strip().splitlines()[-1]
    web = Gunicorn(env, tmp_path / "gunicorn.log")
    try:
        yield web, token, url
    finally:
        web.stop()


def test_a_database_restart_under_intake_loses_nothing_and_doubles_nothing(
    pg_cluster: PgCluster, server: tuple[Gunicorn, str, str]
) -> None:
    web, token, _ = server
    intake = Intake()
    threads = [
        threading.Thread(target=client_loop, args=(web.url, token, intake, n), daemon=True)
        for n in range(CLIENTS)
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(intake.acknowledged) < LOAD_BEFORE and time.monotonic() < deadline:
        time.sleep(0.05)
    acknowledged_before = len(intake.acknowledged)

    health = Health()
    stopped = pg_cluster.stop("fast")
    while time.monotonic() - stopped < DOWN_FOR:
        health.down.append(httpx.get(f"{web.url}/healthz", timeout=5).status_code)
        if health.page is None:
            health.page = httpx.get(
                f"{web.url}/", headers={"X-Forwarded-Proto": "https"}, timeout=5
            )
        time.sleep(0.5)
    ready = pg_cluster.start()
    time.sleep(SETTLED)
    health.after = httpx.get(f"{web.url}/healthz", timeout=5).status_code
    time.sleep(LOAD_AFTER - SETTLED)
    intake.stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), web.output()

    attempts = intake.attempts
    statuses = [a.status for a in attempts]
    after_ready = [a for a in attempts if a.status == 201 and a.ended >= ready]
    first_success = min(a.ended for a in after_ready) - ready if after_ready else None
    figures = {
        "requests sent": len(attempts),
        "inquiries acknowledged (201)": len(intake.acknowledged),
        "of them acknowledged before the restart": acknowledged_before,
        "replayed 201s (a lost answer retried)": sum(a.replayed for a in attempts),
        "503 answers": statuses.count(503),
        "no answer (refused, reset, timeout)": statuses.count(None),
        "retries (attempts beyond the first per key)": len(attempts)
        - len({a.key for a in attempts}),
        "PostgreSQL down (stop → accepting), s": round(ready - stopped, 2),
        "first 201 after PostgreSQL accepted connections, s": (
            round(first_success, 3) if first_success is not None else None
        ),
        "/healthz while down": health.down,
        "/healthz 2 s after": health.after,
        "wall time of the load, s": round(time.monotonic() - began, 1),
        # Known gap (reported, not asserted): the e-mails of a case are recorded after its
        # commit; if the database goes away in between, that case has no receipt e-mail.
        "cases without a recorded receipt e-mail": pg_cluster.execute(
            "faults_web",
            "SELECT count(*) FROM cases_case c WHERE NOT EXISTS (SELECT 1 FROM "
            "notifications_notification n WHERE n.case_id = c.id AND n.kind = 'receipt')",
        )[0][0],
    }
    print(
        "\nDatabase restart under intake:", *(f"  {k}: {v}" for k, v in figures.items()), sep="\n"
    )

    # No 500, ever; every 503 says when to come back.
    assert 500 not in statuses, [a for a in attempts if a.status == 500][:3]
    assert all(a.status in (201, 503, None) for a in attempts), {a.status for a in attempts}
    assert intake.refused == []
    assert all(a.retry_after for a in attempts if a.status == 503)
    # The restart really happened in the middle of the stream.
    assert acknowledged_before >= LOAD_BEFORE
    assert statuses.count(503) + statuses.count(None) > 0
    # Requests started 2 s after PostgreSQL accepts connections again succeed.
    settled = [a for a in attempts if a.started >= ready + SETTLED]
    assert settled, "no request started after the database settled"
    assert all(a.status == 201 for a in settled), [a for a in settled if a.status != 201][:3]
    # …and so does every request after the first success: no connection left broken
    # (CONN_HEALTH_CHECKS checks a kept connection before its first use in a request).
    assert first_success is not None
    later = [a for a in attempts if a.started >= ready + first_success]
    assert all(a.status == 201 for a in later), [a for a in later if a.status != 201][:3]
    # /healthz: 503 while down, 200 after.
    assert health.down and all(code == 503 for code in health.down), health.down
    assert health.after == 200
    # A page says in Danish to try again, with the request id, instead of a 500.
    page = health.page
    assert page is not None
    assert page.status_code == 503, page.text[:500]
    assert page.headers["Retry-After"] == "5"
    assert "Prøv igen om lidt" in page.text
    assert page.headers["X-Request-ID"] in page.text

    # Every acknowledged inquiry is in the database exactly once, under the reference the
    # client was given; no case exists that no client was told about.
    rows = pg_cluster.execute(
        "faults_web",
        "SELECT k.key, c.reference FROM cases_idempotencykey k "
        "LEFT JOIN cases_case c ON c.id = k.case_id",
    )
    stored = dict(rows)
    assert len(rows) == len(stored)  # one key row per key
    assert stored == intake.acknowledged
    (cases,) = pg_cluster.execute("faults_web", "SELECT count(*) FROM cases_case")[0]
    assert cases == len(intake.acknowledged)
    (distinct,) = pg_cluster.execute(
        "faults_web", "SELECT count(DISTINCT reference) FROM cases_case"
    )[0]
    assert distinct == cases
