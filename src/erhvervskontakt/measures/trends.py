"""The promise dashboard's verdicts: each KPI's target and its last 12 months (issue 14).

A tile on the dashboard shows a figure for the filter's period, the share the municipality
aims for (:func:`kpi_targets`, ``models.Target``) and the figure month by month over the 12
calendar months up to the end of the period (:func:`trends`). Every monthly figure is the
tile's own, computed from the same cohort and conditions as ``selectors`` (the period
applies to the same date), only grouped by the month of that date: one query per KPI
whatever the number of cases (on SQLite one more for the median's spread).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from django.db.models import Count, IntegerField, Q, Value
from django.db.models.expressions import CombinedExpression, ExpressionWrapper
from django.db.models.functions import ExtractMonth, ExtractYear

from erhvervskontakt.common import clock

from . import selectors
from .aggregates import measure, percent, tuned
from .filters import MeasureFilter
from .models import DEFAULT_TARGETS, Kpi, Target

MONTHS = 12


def kpi_targets() -> dict[str, int]:
    """The share (whole per cent) the municipality aims for, per ``Kpi`` (one query); the
    defaults where an administrator has not set one."""
    found = dict(Target.objects.values_list("kpi", "percent"))
    return {kpi: found.get(kpi, DEFAULT_TARGETS[kpi]) for kpi in Kpi.values}


@dataclass(frozen=True)
class MonthShare:
    """``part`` of ``n`` in the month beginning ``month``."""

    month: dt.date
    part: int
    n: int

    @property
    def percent(self) -> int | None:
        return percent(self.part, self.n)


@dataclass(frozen=True)
class MonthDays:
    """The median of a number of working days over ``n`` cases in the month ``month``."""

    month: dt.date
    median: float | None
    n: int


@dataclass(frozen=True)
class MonthCount:
    """How many cases were open at the end of the month beginning ``month`` (or today, for
    the current month)."""

    month: dt.date
    n: int


@dataclass(frozen=True)
class Trends:
    """The last 12 months of each KPI that has a history on the case rows, oldest first."""

    screening: tuple[MonthShare, ...]
    answers: tuple[MonthShare, ...]
    answer_days: tuple[MonthDays, ...]
    service_targets: tuple[MonthShare, ...]
    open_cases: tuple[MonthCount, ...] = ()


def months_up_to(end: dt.date, count: int = MONTHS) -> list[dt.date]:
    """The first days of the ``count`` calendar months up to and including ``end``'s."""
    year, month = end.year, end.month
    firsts = []
    for _ in range(count):
        firsts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def trend_filter(f: MeasureFilter) -> MeasureFilter:
    """``f`` over the 12 calendar months up to its end (its department, service type and
    coordinator kept)."""
    return MeasureFilter(
        start=months_up_to(f.end)[0],
        end=f.end,
        department=f.department,
        service_type=f.service_type,
        coordinator=f.coordinator,
    )


def _month_number(field: str) -> ExpressionWrapper:
    """The month of a date column as ``year * 100 + month`` (202611): an integer groups and
    comes back alike from both databases' plain and raw queries (a truncated date does not:
    SQLite's raw rows hold text)."""
    return ExpressionWrapper(
        CombinedExpression(ExtractYear(field), "*", Value(100)) + ExtractMonth(field),
        output_field=IntegerField(),
    )


def _month(value: object) -> Hashable:
    """A grouped ``_month_number`` as the first day of its month."""
    number = int(value)  # type: ignore[call-overload]
    return dt.date(number // 100, number % 100, 1)


def _shares(
    found: Mapping[Hashable, tuple[int, int]], months: list[dt.date]
) -> tuple[MonthShare, ...]:
    return tuple(MonthShare(m, *found.get(m, (0, 0))) for m in months)


def _screening(f: MeasureFilter, months: list[dt.date]) -> tuple[MonthShare, ...]:
    conditions = selectors._screening_conditions(clock.today())
    measured = measure(
        selectors._screening_cohort(selectors._all_cases(), f).annotate(
            trend_month=_month_number("screening_due")
        ),
        counts={
            "on_time": conditions["on_time"],
            "decided": conditions["on_time"] | conditions["late"],
        },
        group="trend_month",
    )
    return _shares(
        {
            _month(key): (m.counts["on_time"], m.counts["decided"])
            for key, m in measured.items()
            if key is not None
        },
        months,
    )


def _answers(
    f: MeasureFilter, months: list[dt.date]
) -> tuple[tuple[MonthShare, ...], tuple[MonthDays, ...]]:
    conditions = selectors._answer_conditions(clock.today())
    measured = measure(
        selectors._answer_cohort(selectors._all_cases(), f).annotate(
            trend_month=_month_number("promised_answer_date")
        ),
        counts={
            "on_time": conditions["on_time"],
            "decided": conditions["on_time"] | conditions["late"],
        },
        spreads={"days": ("answer_working_days", conditions["answered"])},
        group="trend_month",
    )
    by_month = {_month(key): m for key, m in measured.items() if key is not None}
    shares = _shares(
        {m: (v.counts["on_time"], v.counts["decided"]) for m, v in by_month.items()}, months
    )
    days = tuple(
        MonthDays(m, by_month[m].spreads["days"].median, by_month[m].spreads["days"].n)
        if m in by_month
        else MonthDays(m, None, 0)
        for m in months
    )
    return shares, days


def _service_targets(f: MeasureFilter, months: list[dt.date]) -> tuple[MonthShare, ...]:
    """Per month, what the national-service-target table adds up: a case counts once for
    each of its service types with a target (as each row of the table counts it), answered
    in the month (met or not), or open and past its target date in that month (missed)."""
    targeted = {st.pk for st in selectors._service_types(f, with_target=True)}
    if not targeted:
        return _shares({}, months)
    conditions = selectors._service_target_conditions(f, clock.today())
    cases = selectors._all_cases().filter(f.case_q())
    totals: dict[Hashable, list[int]] = {}
    # An open case has no ``service_target_met``: it counts as missed.
    for condition, date in (
        (conditions["answered"], "answered_on"),
        (conditions["open_missed"], "service_target_date"),
    ):
        rows = (
            cases.filter(condition)
            .order_by()
            .values("service_type_ids", trend_month=_month_number(date))
            .annotate(n=Count("*"), met=Count(Value(1), filter=Q(service_target_met=True)))
        )
        for row in rows:
            weight = sum(
                1
                for part in row["service_type_ids"].strip("|").split("|")
                if part and int(part) in targeted
            )
            mine = totals.setdefault(_month(row["trend_month"]), [0, 0])
            mine[0] += weight * row["met"]
            mine[1] += weight * row["n"]
    return _shares({m: (part, n) for m, (part, n) in totals.items()}, months)


def _month_end(first: dt.date) -> dt.date:
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _open_cases(f: MeasureFilter, months: list[dt.date]) -> tuple[MonthCount, ...]:
    """The backlog as it stood at each month's end (today for the current month): the
    inquiries received by then and neither answered nor withdrawn by then — the rows keep
    those moments, so the history needs no snapshots. One query, a filtered count per month.
    """
    today = clock.today()
    moments = [
        dt.datetime.combine(
            min(_month_end(m), today) + dt.timedelta(days=1), dt.time(), tzinfo=clock.local_tz()
        )
        for m in months
    ]
    counts = {
        f"m{i}": Count(
            "id",
            filter=Q(received_at__lt=moment)
            & (Q(answered_at__isnull=True) | Q(answered_at__gte=moment))
            & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=moment)),
        )
        for i, moment in enumerate(moments)
    }
    row = (
        selectors._all_cases()
        .filter(f.case_q(), received_at__lt=moments[-1])
        .exclude(answered_at__lt=moments[0])
        .exclude(withdrawn_at__lt=moments[0])
        .aggregate(**counts)
    )
    return tuple(MonthCount(m, row[f"m{i}"] or 0) for i, m in enumerate(months))


def trends(f: MeasureFilter) -> Trends:
    """Each KPI month by month over the 12 calendar months up to the end of ``f``'s period,
    under ``f``'s department, service type and coordinator."""
    over = trend_filter(f)
    months = months_up_to(f.end)
    with tuned():
        answers, answer_days = _answers(over, months)
        return Trends(
            screening=_screening(over, months),
            answers=answers,
            answer_days=answer_days,
            service_targets=_service_targets(over, months),
            open_cases=_open_cases(over, months),
        )
