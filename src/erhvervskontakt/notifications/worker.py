"""Running the background work: drain the task queue, and sweep every few minutes.

``drain()`` runs the tasks that are ready on whichever backend ``TASKS`` names — the
database backend (``django-tasks-db``'s worker in batch mode) or Redis/RQ (a burst worker
that runs jobs in this process) — and returns when the queue is empty. ``Runner`` is what
``manage.py worker`` runs: drain, sleep a second, and sweep every
``NOTIFICATIONS_SWEEP_SECONDS`` (the first sweep of a day also refreshes the learned
answer dates); SIGINT/SIGTERM stop it after the current task (twice: now).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from types import FrameType
from typing import Any

from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks import task_backends

from erhvervskontakt.common.database import database_unavailable
from erhvervskontakt.estimates.services import promise_estimates_refresh_if_stale

from .services import sweep

logger = logging.getLogger(__name__)


def backend_name() -> str:
    """``database`` or ``rq``: which queue the default task backend uses."""
    backend = task_backends["default"]
    module = type(backend).__module__
    if module.startswith("django_tasks_db"):
        return "database"
    if module.startswith("django_tasks_rq"):
        return "rq"
    return module


def _rq_worker_class() -> type[Any]:
    from rq.timeouts import TimerDeathPenalty
    from rq.worker import SimpleWorker

    class InProcessWorker(SimpleWorker):
        """Runs jobs in this process and thread; leaves signals to ``Runner``.

        RQ's own worker forks per job and installs signal handlers, which only the main
        thread may do; this one can run in a test's thread and inside ``manage.py worker``.
        """

        death_penalty_class = TimerDeathPenalty
        executed = 0

        def _install_signal_handlers(self) -> None:
            pass

        def execute_job(self, job: Any, queue: Any) -> None:
            super().execute_job(job, queue)
            self.executed += 1

    return InProcessWorker


def drain(*, max_tasks: int | None = None) -> int:
    """Run the ready tasks (at most ``max_tasks``); return how many ran."""
    backend = task_backends["default"]
    queues = sorted(backend.queues) or ["default"]
    kind = backend_name()
    if kind == "database":
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=queues,
            interval=0,
            batch=True,
            backend_name=backend.alias,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks
    if kind == "rq":
        import django_rq
        from django_tasks_rq.backend import Job

        rq_worker = django_rq.get_worker(*queues, job_class=Job, worker_class=_rq_worker_class())
        rq_worker.work(burst=True, max_jobs=max_tasks, logging_level="WARNING")
        return int(getattr(rq_worker, "executed", 0))
    raise RuntimeError(f"No worker for the task backend {kind!r}; use 'database' or 'rq'.")


class Runner:
    """The worker process: drain the queue, sweep every ``sweep_every`` seconds."""

    def __init__(self, *, sweep_every: float | None, interval: float = 1.0) -> None:
        self.sweep_every = sweep_every
        self.interval = interval
        self.stopping = threading.Event()

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping.is_set():
            logger.warning("Stopping now (%s again)", signal.strsignal(signum))
            raise SystemExit(1)
        logger.info("Stopping after the current task (%s)", signal.strsignal(signum))
        self.stopping.set()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGINT, self.request_stop)
        signal.signal(signal.SIGTERM, self.request_stop)

    def refresh_promises(self) -> None:
        """The nightly refresh of the learned answer dates: the first sweep of a day does it
        (answers queue their own refreshes in between, ``estimates.hooks``)."""
        try:
            written = promise_estimates_refresh_if_stale()
        except Exception:
            logger.exception("Refreshing the promise estimates failed; the next sweep tries again")
            close_old_connections()
            return
        if written is not None:
            logger.info("Promise estimates refreshed: %s service types", len(written))

    def run(self, *, max_loops: int | None = None) -> None:
        logger.info(
            "Worker started (backend %s, sweep every %s s)", backend_name(), self.sweep_every
        )
        next_sweep = time.monotonic()
        loops = 0
        while not self.stopping.is_set():
            if self.sweep_every and time.monotonic() >= next_sweep:
                next_sweep = time.monotonic() + self.sweep_every
                try:
                    logger.info("Sweep: %s", sweep.sweep())
                except Exception:
                    logger.exception("The sweep failed; it runs again in %s s", self.sweep_every)
                    close_old_connections()
                self.refresh_promises()
            try:
                ran = drain(max_tasks=50)
            except Exception as error:
                if database_unavailable(error):  # PostgreSQL restarting: wait it out
                    logger.warning("The database is out of reach; trying again: %s", error)
                else:
                    logger.exception("Running the queue failed; trying again")
                close_old_connections()
                ran = 0
            loops += 1
            if max_loops is not None and loops >= max_loops:
                return
            if not ran:
                self.stopping.wait(self.interval)
        logger.info("Worker stopped")
