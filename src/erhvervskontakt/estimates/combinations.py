"""Promises for combinations of service types with a history of their own (issue 17).

A case with several service types is answered when its slowest part is done, so its time is
its combination's, not its parts': the chance that all parts are done by t is (roughly) the
product of each part's, and the latest of the parts' P90s is then less than nine in ten.
Where a combination (exactly these service types, ``Case.service_type_ids``) has at least
``MIN_EVENTS`` answers in the window, the worker learns its promise from those cases alone —
Kaplan–Meier with the open ones censored, the miss rate corrected by the combination's own
matured promises, as for a service type — and screening promises the later of that and the
latest of its types' dates (``cases.promises.propose``). A combination too rare to learn from
keeps the latest of its types' dates (decision 0012).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.promises import TypePromise

from .drift import DEFAULT_CHANGE_LEVEL, adapted_miss_rate
from .models import PromiseEstimate
from .promise import MIN_EVENTS, BasisKind, promise_days
from .selectors import answer_history, matured_promises, months_before, promise_of
from .survival import kaplan_meier


def learnable_combinations(
    *, as_of: dt.date, window_months: int, active_type_ids: set[int]
) -> list[str]:
    """The combinations of two or more active service types (``"|3|7|"``) answered at least
    ``MIN_EVENTS`` times among the cases screened in the window (one grouped query)."""
    answered: QuerySet[Case] = Case.objects.filter(
        screened_on__gte=months_before(as_of, window_months),
        screened_on__lte=as_of,
        answered_on__lte=as_of,
        withdrawn_at__isnull=True,
    )
    rows = (
        answered.exclude(service_type_ids="")
        .order_by()
        .values("service_type_ids")
        .annotate(n=Count("id"))
        .filter(n__gte=MIN_EVENTS)
    )
    found = []
    for row in rows:
        ids = [int(part) for part in row["service_type_ids"].strip("|").split("|") if part]
        if len(ids) >= 2 and set(ids) <= active_type_ids:
            found.append(row["service_type_ids"])
    return sorted(found)


def combination_estimates(
    *,
    as_of: dt.date,
    calendar: WorkingCalendar,
    window_months: int,
    confidence: float,
    step: float,
    computed_at: dt.datetime,
    active_type_ids: set[int],
    fast_step: float | None = None,
    change_level: float = DEFAULT_CHANGE_LEVEL,
) -> list[PromiseEstimate]:
    """One unsaved row per learnable combination whose quantile is defined (the drift
    correction as for a service type: ``step``, and ``fast_step`` while misses cluster)."""
    rows = []
    for combination in learnable_combinations(
        as_of=as_of, window_months=window_months, active_type_ids=active_type_ids
    ):
        sample = answer_history(
            as_of=as_of, calendar=calendar, window_months=window_months, combination=combination
        )
        curve = kaplan_meier(sample.durations, sample.observed)
        kept = matured_promises(
            as_of=as_of, calendar=calendar, window_months=window_months, combination=combination
        )
        miss_rate = adapted_miss_rate(
            kept, target=1 - confidence, step=step, fast_step=fast_step, level=change_level
        )
        days = promise_days(curve, confidence=1 - miss_rate)
        if days is None or curve.n_events < MIN_EVENTS:
            continue
        rows.append(
            PromiseEstimate(
                service_type=None,
                combination=combination,
                computed_at=computed_at,
                as_of=as_of,
                working_days=min(days, 32_000),
                basis=BasisKind.COMBINATION.value,
                confidence=confidence,
                miss_rate=miss_rate,
                window_months=window_months,
                cases=curve.n,
                answered=curve.n_events,
                p50=promise_days(curve, confidence=0.5),
                p90=promise_days(curve, confidence=0.9),
                matured=len(kept),
                kept=sum(kept),
                curve={
                    "sample": BasisKind.COMBINATION.value,
                    "window_months": window_months,
                    **curve.to_json(),
                },
            )
        )
    return rows


def combination_promise(service_type_ids: list[int]) -> TypePromise | None:
    """The learned promise in force for exactly these service types together, if the worker
    has learned one (one indexed query); ``service_type_id`` is the first of them (the
    proposal's governing line is chosen by ``cases.promises.propose``)."""
    ids = sorted(set(service_type_ids))
    if len(ids) < 2:
        return None
    key = "|" + "|".join(str(i) for i in ids) + "|"
    row = PromiseEstimate.objects.filter(combination=key).order_by("-computed_at").first()
    if row is None:
        return None
    return promise_of(row, service_type_id=ids[0])
