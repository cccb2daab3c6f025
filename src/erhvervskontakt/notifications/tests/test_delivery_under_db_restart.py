"""E-mail deliveries while PostgreSQL restarts: the worker carries on, each e-mail goes once.

A real ``manage.py worker`` runs against a private PostgreSQL cluster of the test's own
(``testing.pgcluster``, never the shared server) and sends to a real SMTP server (aiosmtpd).
Twelve inquiries have queued their e-mails. The SMTP server holds the fifth message; while
it is held PostgreSQL is stopped with a fast shutdown, then the SMTP server accepts the
message — so the worker must record a send the SMTP server confirmed while the database is
down — and PostgreSQL starts again 3 s after it stopped. Then, with the worker idle (polling
an empty queue), PostgreSQL is restarted once more and three new inquiries are made. The
same worker process (never restarted) sends every e-mail exactly once: no duplicate, none
lost, each notification claimed once.

The figures are printed (``pytest -s``). The cluster is the test's own whatever
``DATABASE_URL`` says, so the test runs once per suite, in the SQLite leg.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from erhvervskontakt.testing.pgcluster import (
    MANAGE,
    PgCluster,
    app_database,
    django_env,
    once_per_suite,
    pg_cluster,
    run_django,
)

from .conftest import Mail, SmtpServer

pytestmark = [pytest.mark.slow, once_per_suite]
__all__ = ["pg_cluster"]  # the fixture, imported for the tests below

FIRST = 12  # inquiries whose e-mails wait when the worker starts
HELD = 5  # the message on the wire when PostgreSQL goes down
LATER = 3  # inquiries made after the second restart
DOWN_FOR = 3.0

INQUIRIES = """
from erhvervskontakt.accounts.models import User
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.catalogue.tests.factories import build_catalogue
build_catalogue()
staff, _ = User.objects.get_or_create(
    username="fagsystem", defaults={"email": "fagsystem@kommune.test", "is_staff": True}
)
for n in range(FIRST_NUMBER, FIRST_NUMBER + COUNT):
    inquiry_submit(
        actor=staff,
        cvr="25923987",
        business_name="Fejltest ApS",
        service_types=["raadgivning"],
        description=f"Henvendelse {n}: e-mails under en genstart af databasen.",
        contact={"name": f"Kunde {n}", "email": f"kunde{n}@fejltest.example", "phone": ""},
    )
"""


class AcceptingSmtp(SmtpServer):
    """Holds the ``hold_at``-th message until released, then accepts it (250)."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import asyncio
        import email
        import email.policy
        from email.message import EmailMessage

        with self.lock:
            self._seen += 1
            seen = self._seen
        if self.hold_at is not None and seen == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.received.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def accepting_smtp() -> Iterator[AcceptingSmtp]:
    from aiosmtpd.controller import Controller

    from .conftest import free_port

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    server = AcceptingSmtp(host="127.0.0.1", port=free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    try:
        yield server
    finally:
        server.release.set()
        controller.stop()


class Worker:
    """``manage.py worker`` on the private database, sending to ``smtp``."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, MANAGE, "worker", "--sweep-every", "3600", "--interval", "0.1"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=10)


def wait_until(condition: Callable[[], bool], timeout: float, what: str, worker: Worker) -> float:
    """Wait for ``condition``; the moment it held (monotonic)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\n{worker.output()[-5000:]}")
        if worker.process.poll() is not None:
            raise AssertionError(f"the worker exited while waiting for {what}\n{worker.output()}")
        time.sleep(0.05)
    return time.monotonic()


def test_deliveries_carry_on_through_postgresql_restarts_and_send_each_email_once(
    pg_cluster: PgCluster, accepting_smtp: AcceptingSmtp, tmp_path: Path
) -> None:
    smtp = accepting_smtp
    url = app_database(pg_cluster, "faults_worker")
    env = django_env(
        url,
        EMAIL_HOST=smtp.host,
        EMAIL_PORT=str(smtp.port),
        EMAIL_TIMEOUT="10",
        LOG_LEVEL="WARNING",
    )

    def make_inquiries(first: int, count: int) -> None:
        code = INQUIRIES.replace("FIRST_NUMBER", str(first)).replace("COUNT", str(count))
        run_django(code, env=env)

    def rows() -> list[tuple[Any, ...]]:
        return pg_cluster.execute(
            "faults_worker",
            "SELECT id, message_id, status, attempts FROM notifications_notification ORDER BY id",
        )

    def sent() -> int:
        return sum(1 for row in rows() if row[2] == "sent")

    make_inquiries(0, FIRST)
    queued = len(rows())
    assert queued >= FIRST  # at least each inquiry's receipt

    smtp.hold_at = HELD
    worker = Worker(env, tmp_path / "worker.log")
    try:
        # 1. PostgreSQL goes down while the worker is in the middle of sending an e-mail.
        wait_until(smtp.holding.is_set, 60, f"message {HELD} on the wire", worker)
        stopped = pg_cluster.stop("fast")
        time.sleep(0.5)
        smtp.release.set()  # the SMTP server accepts it while the database is down
        time.sleep(max(0.0, DOWN_FOR - (time.monotonic() - stopped)))
        ready = pg_cluster.start()
        done = wait_until(lambda: sent() == queued, 60, "every queued e-mail", worker)
        time.sleep(1)  # a duplicate would arrive now

        # 2. PostgreSQL restarts while the worker polls an empty queue; new work follows.
        idle_stopped = pg_cluster.stop("fast")
        time.sleep(2)
        idle_ready = pg_cluster.start()
        make_inquiries(FIRST, LATER)
        made = time.monotonic()
        total = len(rows())
        later_done = wait_until(lambda: sent() == total, 60, "the later e-mails", worker)
        time.sleep(1)
        assert worker.process.poll() is None, "the worker stopped on its own"
    finally:
        code = worker.stop()
        smtp.release.set()
    log = worker.output()

    final = rows()
    ids = [mail["Message-ID"] for mail in smtp.received]
    figures = {
        "notifications queued before the worker started": queued,
        "notifications in all": len(final),
        "e-mails the SMTP server accepted": len(smtp.received),
        "duplicates (same Message-ID twice)": len(ids) - len(set(ids)),
        "PostgreSQL down in the middle of a send (stop → accepting), s": round(ready - stopped, 2),
        "all queued e-mails recorded sent, s after PostgreSQL was back": round(done - ready, 2),
        "PostgreSQL down while idle, s": round(idle_ready - idle_stopped, 2),
        "later e-mails sent, s after they were made": round(later_done - made, 2),
        "worker warnings 'database out of reach'": log.count("out of reach"),
        "worker exit code (SIGTERM at the end)": code,
    }
    print(
        "\nDeliveries under PostgreSQL restarts:",
        *(f"  {k}: {v}" for k, v in figures.items()),
        sep="\n",
    )

    assert code == 0, log[-3000:]
    assert "Traceback" not in log, log[-5000:]
    # Every notification sent exactly once: each recorded sent, claimed once, and its
    # Message-ID received once; nothing received that was not recorded.
    assert [row[2] for row in final] == ["sent"] * len(final)
    assert [row[3] for row in final] == [1] * len(final)
    assert sorted(ids) == sorted(row[1] for row in final)
    assert len(set(ids)) == len(ids) == total
    # The held message really was accepted while the database was down.
    assert log.count("out of reach") >= 1
