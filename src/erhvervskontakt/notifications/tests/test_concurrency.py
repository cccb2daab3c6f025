"""Exactly once under concurrency: racing workers, and a worker killed in the middle of a sweep.

The scene, Mon 7 Dec 2026 10:00: eight building permits Karen screened Mon 30 Nov, whose
drawings were due Thu 3 Dec. The sweep then owes eight overdue notices and Karen's digest.
The worker processes here are real ``manage.py worker`` processes on the test database and
the configured task backend, with their clock set by time-machine.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count

from erhvervskontakt.cases.models import Deliverable
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.notifications import worker
from erhvervskontakt.notifications.models import Notification
from erhvervskontakt.notifications.services import delivery, sweep

from .conftest import cph

pytestmark = pytest.mark.django_db(transaction=True)

SWEEP_AT = cph(2026, 12, 7, 10)
CASES = 8
DUE = CASES + 1  # eight overdue notices and Karen's digest


@pytest.fixture
def scene(building_case, karen, bodil, time_machine, deliver_all, smtp):  # type: ignore[no-untyped-def]
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    cases = [building_case() for _ in range(CASES)]
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    cases = [case_screen(case=case, actor=karen) for case in cases]
    Deliverable.objects.filter(party="business").update(due_date="2026-12-03")
    deliver_all()  # receipts, screening results and Byggeri's tasks: not what is tested here
    smtp.received.clear()
    sent_before = Notification.objects.filter(status="sent").count()
    time_machine.move_to(SWEEP_AT, tick=False)
    return {"cases": cases, "sent_before": sent_before}


def assert_each_due_message_received_once(smtp, scene):  # type: ignore[no-untyped-def]
    kinds = smtp.kinds()
    assert kinds.count("deliverable_overdue") == CASES
    assert kinds.count("coordinator_digest") == 1
    assert len(smtp.received) == DUE
    ids = [mail["Message-ID"] for mail in smtp.received]
    assert len(set(ids)) == DUE
    assert sorted(m.rcpt_tos[0] for m in smtp.received) == ["ejer@fynsk.dk"] * CASES + [
        "karen@kommune.test"
    ]
    assert Notification.objects.filter(status="sent").count() == scene["sent_before"] + DUE


# --- threads --------------------------------------------------------------------------------------


def test_two_workers_racing_send_each_message_once(scene, smtp):
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait(timeout=10)
            sweep.sweep()
            while worker.drain():
                pass
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert_each_due_message_received_once(smtp, scene)


def test_two_deliveries_of_one_notification_at_once_send_it_once(scene, smtp):
    sweep.sweep()
    notification = Notification.objects.filter(kind="deliverable_overdue").first()
    assert notification is not None
    smtp.hold()  # the first sender is in the middle of SMTP when the second comes
    results: list[str] = []

    def deliver() -> None:
        try:
            results.append(delivery.notification_deliver(notification_id=notification.pk))
        finally:
            connection.close()

    first = threading.Thread(target=deliver)
    first.start()
    assert smtp.holding.wait(timeout=20)
    deliver()  # the second attempt, while the first holds the claim
    smtp.hold_at = None
    smtp.release.set()
    first.join(timeout=30)

    # The held message was refused (451) and will be retried; the racer never sent it.
    assert sorted(results) == ["failed", "skipped"]
    assert smtp.received == []


# --- processes -----------------------------------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


WORKER = """
import datetime as dt, os, sys
import time_machine
time_machine.travel(dt.datetime.fromisoformat(sys.argv[1]), tick=True).start()
sys.argv = [os.path.join(sys.argv[2], "manage.py"), "worker", "--sweep-every", "3600",
            "--interval", "0.1"]
sys.path.insert(0, os.path.join(sys.argv[0].rsplit("/", 1)[0], "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erhvervskontakt.settings")
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
"""


class WorkerProcess:
    """A real ``manage.py worker`` on the test database, its clock at ``instant``."""

    def __init__(self, instant: dt.datetime, smtp: Any, log: Path) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": smtp.host,
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_TIMEOUT": "10",
            "DEBUG": "true",
            "LOG_LEVEL": "INFO",
        }
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-c", WORKER, instant.isoformat(), str(settings.BASE_DIR)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_until(condition, timeout: float, what: str, workers=()) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            logs = "\n".join(
                "\n".join(
                    line
                    for line in w.output().splitlines()
                    if "django_tasks_db: Starting" not in line and "No more tasks" not in line
                )[-6000:]
                for w in workers
            )
            rows = list(
                Notification.objects.exclude(status="sent").values_list(
                    "pk", "kind", "status", "attempts", "queued_at", "claimed_until", "last_error"
                )
            )
            raise AssertionError(f"timed out waiting for {what}\n{rows}\n{logs}")
        time.sleep(0.05)


@pytest.mark.slow
def test_a_worker_killed_in_the_middle_of_a_sweep_and_restarted_sends_every_message_once(
    scene, smtp, tmp_path
):
    smtp.hold(4)  # the fourth message is on the wire when the worker dies
    first = WorkerProcess(SWEEP_AT, smtp, tmp_path / "first.log")
    try:
        wait_until(lambda: smtp.holding.is_set(), 60, "the fourth message", [first])
        first.kill()  # SIGKILL: no clean-up, no goodbye
    finally:
        if first.process.poll() is None:
            first.kill()
    smtp.release.set()  # the held message was never accepted

    assert len(smtp.received) == 3
    states = dict(
        Notification.objects.filter(created_at__gte=SWEEP_AT)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    assert states.get("sending") == 1  # its claim is left behind
    assert states.get("sent") == 3
    assert sum(states.values()) == DUE  # the sweep had recorded everything before it died

    # Restarted a quarter of an hour later (after the claim's lease has run out).
    second = WorkerProcess(SWEEP_AT + dt.timedelta(minutes=15), smtp, tmp_path / "second.log")
    try:
        wait_until(
            lambda: (
                Notification.objects.filter(status="sent").count() == scene["sent_before"] + DUE
            ),
            60,
            "every due message",
            [second],
        )
        time.sleep(1)  # anything more would arrive now
    finally:
        code = second.stop()

    assert code == 0, second.output()[-3000:]
    assert_each_due_message_received_once(smtp, scene)


@pytest.mark.slow
def test_two_worker_processes_started_together_send_every_message_once(scene, smtp, tmp_path):
    workers = [WorkerProcess(SWEEP_AT, smtp, tmp_path / f"w{n}.log") for n in range(2)]
    try:
        wait_until(
            lambda: (
                Notification.objects.filter(status="sent").count() == scene["sent_before"] + DUE
            ),
            60,
            "every due message",
            workers,
        )
        time.sleep(1)
    finally:
        codes = [w.stop() for w in workers]

    assert codes == [0, 0]
    assert_each_due_message_received_once(smtp, scene)
