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
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery

from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.cases.models import Case, CaseStatus
from erhvervskontakt.cases.promises import TypePromise

from .models import PromiseEstimate
from .promise import promise_days
from .survival import SurvivalCurve


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


def net_working_days(
    *,
    screened_on: dt.date,
    end: dt.date,
    paused_working_days: int,
    paused_since: dt.date | None,
    calendar: WorkingCalendar,
) -> int:
    """The working days from screening to ``end`` less those the case waited for the
    business: the pauses that ended (``paused_working_days``) and one still running on
    ``end`` (from ``paused_since``; pass None for a case answered by ``end``). Never below 0.

    The one arithmetic of a case's net duration: the history's (an answer's time, an open
    case's age) and a re-estimate's age are the same number."""
    net = calendar.working_days_between(screened_on, end) - paused_working_days
    if paused_since is not None and paused_since <= end:
        net -= calendar.working_days_between(paused_since, end)
    return max(0, net)


def answer_history(
    *,
    as_of: dt.date,
    calendar: WorkingCalendar,
    window_months: int = 12,
    service_type_ids: Iterable[int] | None = None,
    combination: str | None = None,
) -> History:
    """The sample for the cases of one of ``service_type_ids`` alone, or of one
    ``combination`` of service types (all cases if neither).

    A case with several service types is answered when its slowest part is done: its time
    belongs to its combination, not to each of its types (a road-space permit asked for with
    a building permit would lengthen every road-space promise). So a service type learns from
    the cases that had it alone, a combination with a history of its own learns from it, and
    one without is promised the latest of its types' promises (``cases.promises``; decision
    0012)."""
    start = months_before(as_of, window_months)
    cases: QuerySet[Case] = Case.objects.filter(
        screened_on__isnull=False,
        screened_on__gte=start,
        screened_on__lte=as_of,
        withdrawn_at__isnull=True,
    )
    cases = _sample(cases, service_type_ids, combination)
    durations: list[float] = []
    observed: list[bool] = []
    for screened, answered, paused, paused_since in cases.values_list(
        "screened_on", "answered_on", "paused_working_days", "paused_since"
    ).order_by():
        if screened is None:  # excluded by the filter; for the type checker
            continue
        done = answered is not None and answered <= as_of
        net = net_working_days(
            screened_on=screened,
            end=answered if answered is not None and done else as_of,
            paused_working_days=paused,
            paused_since=None if done else paused_since,
            calendar=calendar,
        )
        durations.append(float(net))
        observed.append(done)
    return History(
        durations=np.array(durations, dtype=np.float64),
        observed=np.array(observed, dtype=bool),
        window_start=start,
        as_of=as_of,
    )


LEARNED_BASES = ("history", "group", "combination")


def _sample(
    cases: QuerySet[Case], service_type_ids: Iterable[int] | None, combination: str | None
) -> QuerySet[Case]:
    """The cases of one combination of service types (``Case.service_type_ids``, "|3|7|"),
    else those of one of ``service_type_ids`` alone, else all."""
    if combination is not None:
        return cases.filter(service_type_ids=combination)
    if service_type_ids is not None:
        return _alone(cases, service_type_ids)
    return cases


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
    combination: str | None = None,
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
    cases = _sample(cases, service_type_ids, combination)
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


def promise_of(row: PromiseEstimate, *, service_type_id: int) -> TypePromise:
    """An estimate row as the promise screening reads (``cases.promises.TypePromise``)."""
    return TypePromise(
        service_type_id=service_type_id,
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


def type_promises(service_type_ids: Sequence[int]) -> dict[int, TypePromise]:
    """The promises in force for ``service_type_ids``, as screening asks for them
    (``cases.promises``, registered at start-up); a type with no row yet is left out."""
    return {
        type_id: promise_of(row, service_type_id=type_id)
        for type_id, row in latest_estimates(service_type_ids=service_type_ids).items()
    }


def last_refresh() -> dt.datetime | None:
    """When the promise estimates were last refreshed (None: never)."""
    return PromiseEstimate.objects.aggregate(last=Max("computed_at"))["last"]


def latest_estimate_rows(*, service_type_ids: Iterable[int]) -> dict[int, PromiseEstimate]:
    """The promise estimate in force for each service type, in one query whatever their
    number (the latest row per type found by a subquery on the ``promise_latest`` index):
    for a page that asks for all of a case's service types at once."""
    latest = (
        PromiseEstimate.objects.filter(service_type_id=OuterRef("service_type_id"))
        .order_by("-computed_at", "-pk")
        .values("pk")[:1]
    )
    rows = PromiseEstimate.objects.filter(
        service_type_id__in=sorted(set(service_type_ids)), pk=Subquery(latest)
    )
    return {row.service_type_id: row for row in rows if row.service_type_id is not None}


class NoReestimate(StrEnum):
    """Why an open case is not re-estimated at its age (a code; the page words it)."""

    NOT_OPEN = "not_open"  # not screened yet, or answered, closed or withdrawn
    # A service type's promise is not learned (national or fixed target, no row yet, or a
    # row written before the curves were stored): there is no curve to condition on.
    NO_CURVE = "no_curve"
    # Curves there are, but the clock is paused: the age stands still until the material
    # comes and the date would count from then, so it is offered once it is in progress.
    AWAITING_BUSINESS = "awaiting_business"
    # Too much of a sample was still open at this age: its curve never gets that low.
    UNDEFINED = "undefined"


@dataclass(frozen=True)
class Reestimate:
    """An open case's promise re-estimated at its age, from the curves the worker stored:
    per service type the smallest t > age with S(t) <= (1 - p)·S(age), p the share the row
    was promised at (1 - its corrected miss rate); the latest line governs, as at screening.
    Of the similar cases still open at ``age``, p were answered within ``working_days_total``."""

    age: int  # net working days since screening (waiting for the business deducted)
    working_days_total: int  # t, net working days from screening
    date: dt.date  # today + (t - age) working days
    still_open: float  # S(age) of the governing curve: the share of its sample still open
    confidence: float  # p of the governing row
    service_type_id: int  # the governing service type
    sample: str  # the governing curve's sample: "history" or "group"
    window_months: int  # … and its window (the recent months where they set the promise)
    bases: dict[int, str]  # each service type's basis
    lines: dict[int, int]  # each service type's t

    @property
    def remaining(self) -> int:
        return self.working_days_total - self.age

    @property
    def still_open_percent(self) -> int:
        return max(1, round(100 * self.still_open))

    @property
    def confidence_percent(self) -> int:
        return round(100 * self.confidence)


def case_reestimate_or_reason(
    case: Case, *, today: dt.date, calendar: WorkingCalendar | None = None
) -> Reestimate | NoReestimate:
    """The case's promise re-estimated at its net age on ``today``, or why there is none.

    Only for a case in progress: one awaiting the business has its clock paused, and its
    date would count from when the material comes (``NoReestimate.AWAITING_BUSINESS``).
    Every service type needs a stored curve: a national or fixed target has none to
    condition on. One query for the latest rows of all the case's service types (which come
    prefetched on the case page), one for the calendar if none is given and a curve is
    found; nothing is fitted here."""
    if case.screened_on is None or case.status not in (
        CaseStatus.IN_PROGRESS,
        CaseStatus.AWAITING_BUSINESS,
    ):
        return NoReestimate.NOT_OPEN
    type_ids = sorted({st.pk for st in case.service_types.all()})
    rows = latest_estimate_rows(service_type_ids=type_ids)
    if not type_ids or any(not (rows.get(pk) and rows[pk].curve) for pk in type_ids):
        return NoReestimate.NO_CURVE
    if case.status == CaseStatus.AWAITING_BUSINESS:
        return NoReestimate.AWAITING_BUSINESS
    if calendar is None:
        calendar = working_calendar()
    age = net_working_days(
        screened_on=case.screened_on,
        end=today,
        paused_working_days=case.paused_working_days,
        paused_since=case.paused_since,
        calendar=calendar,
    )
    try:
        curves = {pk: SurvivalCurve.from_json(rows[pk].curve) for pk in type_ids}
    except ValueError:  # a row edited by hand: no curve to trust, never an error page
        return NoReestimate.NO_CURVE
    lines: dict[int, int] = {}
    for pk in type_ids:
        days = promise_days(curves[pk], confidence=1 - rows[pk].miss_rate, age=age)
        if days is None:
            return NoReestimate.UNDEFINED
        lines[pk] = days
    # The latest line governs; between equal ones the longer history, then the lower id
    # (as ``cases.promises.propose``).
    governing = max(lines, key=lambda pk: (lines[pk], rows[pk].answered, -pk))
    row = rows[governing]
    return Reestimate(
        age=age,
        working_days_total=lines[governing],
        date=calendar.add_working_days(today, lines[governing] - age),
        still_open=curves[governing].at(age),
        confidence=1 - row.miss_rate,
        service_type_id=governing,
        sample=str(row.curve.get("sample", row.basis)),
        window_months=int(row.curve.get("window_months", row.window_months)),
        bases={pk: rows[pk].basis for pk in type_ids},
        lines=lines,
    )


def case_reestimate(
    case: Case, *, today: dt.date, calendar: WorkingCalendar | None = None
) -> Reestimate | None:
    """The case's promise re-estimated at its age (``case_reestimate_or_reason``), or None."""
    found = case_reestimate_or_reason(case, today=today, calendar=calendar)
    return found if isinstance(found, Reestimate) else None
