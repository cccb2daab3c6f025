"""When the worker refreshes the promises: after an answer (debounced: a burst of answers
queues one refresh, run when the window has passed, and a refresh asked for before the last
one is skipped), and nightly (the first sweep of a day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.common import clock
from erhvervskontakt.estimates.models import PromiseEstimate
from erhvervskontakt.estimates.tasks import refresh_promise_estimates
from erhvervskontakt.notifications import worker

from .conftest import at, screened_case

pytestmark = pytest.mark.django_db

TASK = "erhvervskontakt.estimates.tasks.refresh_promise_estimates"


def _refresh_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK))


@pytest.mark.django_db(transaction=True)  # the database worker closes its connection
def test_a_burst_of_answers_queues_one_refresh_for_after_the_window(
    catalogue: Any,
    owner: Any,
    business: Any,
    karen: Any,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.PROMISE_REFRESH_DEBOUNCE_SECONDS = 60
    first = screened_case(owner, business, karen, "2026-03-02")
    second = screened_case(owner, business, karen, "2026-03-02")
    answered_at = dt.datetime(2026, 3, 9, 10, tzinfo=dt.UTC)
    with time_machine.travel(answered_at, tick=False):
        for case in (first, second):
            with django_capture_on_commit_callbacks(execute=True):
                case_record_decision(case=case, actor=karen, summary="Tilladelse givet.")
        queued = _refresh_tasks()
        assert len(queued) == 1
        assert queued[0].run_after == answered_at + dt.timedelta(seconds=60)
        worker.drain()  # the e-mails the answers caused, not the refresh: its time is not yet
        assert _refresh_tasks()[0].status == "READY"
        assert not PromiseEstimate.objects.exists()

    with time_machine.travel(answered_at + dt.timedelta(seconds=61), tick=False):
        assert worker.drain() == 1
    assert _refresh_tasks()[0].status == "SUCCESSFUL"
    assert PromiseEstimate.objects.filter(as_of=dt.date(2026, 3, 9)).exists()
    rows = PromiseEstimate.objects.count()

    # Asked for before the refresh that ran: nothing to do.
    with time_machine.travel(answered_at + dt.timedelta(seconds=90), tick=False):
        assert refresh_promise_estimates.call(asked_at=answered_at.isoformat()) == 0
    assert PromiseEstimate.objects.count() == rows


def test_replayed_history_and_other_changes_queue_nothing(
    catalogue: Any, owner: Any, business: Any, karen: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = screened_case(owner, business, karen, "2026-03-02")  # changes, no answer
    assert _refresh_tasks() == []
    # An answer stamped far from the wall clock (the demo loader, the simulator): replayed.
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        at("2026-03-09"),
        clock.travel(dt.datetime(2025, 1, 1, 10, tzinfo=dt.UTC)),
    ):
        case_record_decision(case=case, actor=karen, summary="Tilladelse givet.")
    assert callbacks and _refresh_tasks() == []


def test_the_worker_refreshes_once_a_day_at_its_first_sweep(catalogue: Any) -> None:
    runner = worker.Runner(sweep_every=None)
    with at("2026-03-09"):
        runner.refresh_promises()
        first = PromiseEstimate.objects.count()
        runner.refresh_promises()
    assert first == len(catalogue) and PromiseEstimate.objects.count() == first
    with at("2026-03-10"):
        runner.refresh_promises()
    assert PromiseEstimate.objects.count() == 2 * first
