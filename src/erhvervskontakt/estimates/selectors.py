"""The history a promise is learned from: net working days from screening to answer.

One query per sample. A case screened in the window is an event at its net working days if it
was answered by ``as_of``, and censored at its net age if it is still open; withdrawn cases
never get an answer and are left out. Net: the working days the case waited for the business
(the clock that already pauses, ``paused_working_days`` and a pause still running) are
deducted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.db.models import Count, Max, QuerySet

from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.promises import TypePromise

from .models import PromiseEstimate


@dataclass(frozen=True)
class History:
    durations: npt.NDArray[np.float64]
    observed: npt.NDArray[np.bool_]
    window_start: dt.date
    as_of: dt.date


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def answer_history(
    *,
    as_of: dt.date,
    calendar: WorkingCalendar,
    window_months: int = 12,
    service_type_ids: Iterable[int] | None = None,
) -> History:
    """The sample for the cases of one of ``service_type_ids`` alone (all cases if None).

    A case with several service types is answered when its slowest part is done: its time
    belongs to its combination, not to each of its types (a road-space permit asked for with
    a building permit would lengthen every road-space promise). So a service type learns from
    the cases that had it alone, and a combination is promised the latest of its types'
    promises (``cases.promises``; decision 0012)."""
    start = months_before(as_of, window_months)
    cases: QuerySet[Case] = Case.objects.filter(
        screened_on__isnull=False,
        screened_on__gte=start,
        screened_on__lte=as_of,
        withdrawn_at__isnull=True,
    )
    if service_type_ids is not None:
        cases = _alone(cases, service_type_ids)
    durations: list[float] = []
    observed: list[bool] = []
    for screened, answered, paused, paused_since in cases.values_list(
        "screened_on", "answered_on", "paused_working_days", "paused_since"
    ).order_by():
        if screened is None:  # excluded by the filter; for the type checker
            continue
        done = answered is not None and answered <= as_of
        end = answered if answered is not None and done else as_of
        net = calendar.working_days_between(screened, end) - paused
        if not done and paused_since is not None and paused_since <= as_of:
            net -= calendar.working_days_between(paused_since, as_of)
        durations.append(float(max(0, net)))
        observed.append(done)
    return History(
        durations=np.array(durations, dtype=np.float64),
        observed=np.array(observed, dtype=bool),
        window_start=start,
        as_of=as_of,
    )


LEARNED_BASES = ("history", "group")


def _alone(cases: QuerySet[Case], service_type_ids: Iterable[int]) -> QuerySet[Case]:
    """The cases that have one service type, and it is one of ``service_type_ids``."""
    return cases.annotate(types=Count("service_types", distinct=True)).filter(
        types=1, service_types__in=list(service_type_ids)
    )


def promised_date(
    estimate_at_screening: dt.date, paused_working_days: int, calendar: WorkingCalendar
) -> dt.date:
    """The original promise as the business was told it would move: by the working days the
    case waited for the business (the clock that pauses), never by anything else."""
    return calendar.add_working_days(estimate_at_screening, paused_working_days)


def matured_promises(
    *,
    as_of: dt.date,
    calendar: WorkingCalendar,
    window_months: int = 12,
    service_type_ids: Iterable[int] | None = None,
) -> list[bool]:
    """Whether each learned promise made at screening (the original one,
    ``estimate_at_screening``, moved only by the business's own waiting) whose date passed before ``as_of`` was kept, in
    the order the dates passed. Matured: the date has passed, answered by then or not — no
    censoring problem."""
    cases: QuerySet[Case] = Case.objects.filter(
        screened_on__gte=months_before(as_of, window_months),
        estimate_at_screening__isnull=False,
        estimate_at_screening__lt=as_of,
        withdrawn_at__isnull=True,
        # Only the learned promises: the correction corrects the learned quantile; a fixed
        # target that was generous (or tight) says nothing of it.
        estimate_basis__basis__in=LEARNED_BASES,
    )
    if service_type_ids is not None:
        cases = _alone(cases, service_type_ids)
    matured = []
    for promised, paused, answered in cases.values_list(
        "estimate_at_screening", "paused_working_days", "answered_on"
    ).order_by():
        if promised is None:  # excluded by the filter; for the type checker
            continue
        due = promised_date(promised, paused, calendar)
        if due < as_of:
            matured.append((due, answered is not None and answered <= due))
    matured.sort(key=lambda item: item[0])
    return [kept for _, kept in matured]


def latest_estimates(*, service_type_ids: Iterable[int]) -> dict[int, PromiseEstimate]:
    """The promise estimate in force for each service type (one indexed query per type)."""
    found: dict[int, PromiseEstimate] = {}
    for type_id in sorted(set(service_type_ids)):
        row = (
            PromiseEstimate.objects.filter(service_type_id=type_id).order_by("-computed_at").first()
        )
        if row is not None:
            found[type_id] = row
    return found


def type_promises(service_type_ids: Sequence[int]) -> dict[int, TypePromise]:
    """The promises in force for ``service_type_ids``, as screening asks for them
    (``cases.promises``, registered at start-up); a type with no row yet is left out."""
    return {
        type_id: TypePromise(
            service_type_id=type_id,
            working_days=row.working_days,
            basis=row.basis,
            cases=row.cases,
            answered=row.answered,
            window_months=row.window_months,
            p50=row.p50,
            p90=row.p90,
            confidence=row.confidence,
            as_of=row.as_of,
        )
        for type_id, row in latest_estimates(service_type_ids=service_type_ids).items()
    }


def last_refresh() -> dt.datetime | None:
    """When the promise estimates were last refreshed (None: never)."""
    return PromiseEstimate.objects.aggregate(last=Max("computed_at"))["last"]
