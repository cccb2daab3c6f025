"""How well the answer promises held (issue 17): per service type, per month and per basis.

Always against the original promise — the estimate given at screening, moved only by the
working days the case waited for the business (``Case.promised_answer_date``), as the
dashboard's answers are measured — and only on matured promises (``selectors._accuracy_cohort``:
the date has passed and the outcome is known). Each figure has:

- ``kept``: promises kept of those matured, with its n, and the Wilson 95 % interval (a
  month of 12 matured promises says little, and the page says how little);
- ``slack``: the median working days a kept promise was answered before its date (a promise
  always kept with three weeks to spare is needlessly late);
- ``lateness``: the median working days a broken promise was answered after it, over the
  broken promises that have been answered (an open case past its date has no lateness yet);
- ``promised`` and ``actual``: the median working days from screening to the promised date
  and to the answer, over the answered ones, and their ratio (promise ÷ median).

The period is the month the promise fell due in, as for the dashboard's answers. A case with
several service types counts once for each. On PostgreSQL one query per figure set (four for
the per-service-type table, which groups by the case's service types and adds up here, one
each for the months, the bases and the whole); on SQLite one more per median.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case as Choose
from django.db.models import CharField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.fields.json import KT

from erhvervskontakt.cases.models import Case
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common import clock
from erhvervskontakt.estimates.accuracy import wilson
from erhvervskontakt.estimates.promise import DEFAULT_CONFIDENCE

from . import selectors
from .aggregates import Measured, Spread, measure, tuned
from .filters import MeasureFilter
from .trends import _month, _month_number

MAX_MONTHS = 61  # the dashboard's longest period, five years, in calendar months


@dataclass(frozen=True)
class Accuracy:
    """How one set of matured promises held."""

    kept: selectors.Share  # key accuracy.kept, of accuracy.matured
    low: float | None  # Wilson 95 % interval of the hit rate (None: nothing matured)
    high: float | None
    slack: Spread  # working days before the date, over the kept ones answered
    lateness: Spread  # working days after the date, over the broken ones answered
    promised: Spread  # working days from screening to the promise, over the answered
    actual: Spread  # … to the answer

    @property
    def missed(self) -> int:
        return self.kept.n - self.kept.part

    @property
    def promise_per_median(self) -> float | None:
        """The promise's median over the answer's median (1.0: promised the typical time;
        1.4: promised 40 % more than the typical case took)."""
        if self.promised.median is None or not self.actual.median:
            return None
        return round(self.promised.median / self.actual.median, 2)

    @property
    def low_percent(self) -> int | None:
        return None if self.low is None else round(100 * self.low)

    @property
    def high_percent(self) -> int | None:
        return None if self.high is None else round(100 * self.high)


@dataclass(frozen=True)
class AccuracyRow:
    service_type: ServiceType
    accuracy: Accuracy


@dataclass(frozen=True)
class AccuracyMonth:
    month: dt.date  # its first day
    accuracy: Accuracy


@dataclass(frozen=True)
class AccuracyBasis:
    basis: str  # history, group, national, fixed, or "" (promised before promises were learned)
    accuracy: Accuracy


@dataclass(frozen=True)
class PromiseAccuracy:
    filter: MeasureFilter
    confidence: float  # the share of promises meant to hold (PROMISE_CONFIDENCE)
    overall: Accuracy
    by_service_type: tuple[AccuracyRow, ...]
    by_month: tuple[AccuracyMonth, ...]
    by_basis: tuple[AccuracyBasis, ...]


BASES = ("history", "combination", "group", "national", "fixed", "")


def _spreads(today: dt.date) -> dict[str, tuple[Any, Q]]:
    """Each median's value and the matured promises it is taken over."""
    conditions = selectors._answer_conditions(today)
    deviation = F("estimate_deviation_working_days")
    return {
        "slack": (Value(0) - deviation, conditions["on_time"]),
        "lateness": (deviation, conditions["answered_late"]),
        "promised": (F("answer_working_days") - deviation, conditions["answered"]),
        "actual": (F("answer_working_days"), conditions["answered"]),
    }


def _accuracy(kept: int, matured: int, spreads: dict[str, Spread]) -> Accuracy:
    low, high = wilson(kept, matured) if matured else (None, None)
    return Accuracy(
        kept=selectors.Share(kept, matured, "accuracy.kept", "accuracy.matured"),
        low=low,
        high=high,
        **{
            name: spreads.get(name, Spread.empty())
            for name in ("slack", "lateness", "promised", "actual")
        },
    )


def _of(measured: Measured) -> Accuracy:
    return _accuracy(measured.counts["kept"], measured.counts["matured"], measured.spreads)


def _cohort(f: MeasureFilter, today: dt.date) -> QuerySet[Case]:
    return selectors._accuracy_cohort(selectors._all_cases(), f, today)


def _counts(today: dt.date) -> dict[str, Q]:
    conditions = selectors._accuracy_conditions(today)
    return {"matured": conditions["matured"], "kept": conditions["kept"]}


def _by_service_type(f: MeasureFilter, today: dt.date) -> tuple[AccuracyRow, ...]:
    """One row per service type with a matured promise (the filter's service type only, if
    it has one), in the catalogue's order of names."""
    cohort = _cohort(f, today)
    counts: dict[int, dict[str, int]] = {}
    spreads: dict[int, dict[str, Spread]] = {}
    for index, (name, (value, q)) in enumerate(_spreads(today).items()):
        found = selectors._by_service_type(
            cohort,
            counts=_counts(today) if index == 0 else {},
            value=Choose(When(q, then=value), default=None, output_field=IntegerField()),
        )
        for type_id, (mine, spread) in found.items():
            if index == 0:
                counts[type_id] = mine
            spreads.setdefault(type_id, {})[name] = spread
    wanted = [pk for pk in counts if counts[pk]["matured"]]
    if f._ids[1] is not None:  # the filter's service type alone, not its companions
        wanted = [pk for pk in wanted if pk == f._ids[1]]
    # The whole catalogue (a few dozen rows) in one query, whether or not anything matured:
    # the page's query count stays the same as the cases grow.
    catalogue = ServiceType.objects.select_related("department").order_by("name")
    types = [st for st in catalogue if st.pk in wanted]
    return tuple(
        AccuracyRow(
            st,
            _accuracy(counts[st.pk]["kept"], counts[st.pk]["matured"], spreads.get(st.pk, {})),
        )
        for st in types
    )


def month_end(first: dt.date) -> dt.date:
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def months_of(f: MeasureFilter) -> list[dt.date]:
    """The first days of the calendar months the period touches (at most ``MAX_MONTHS``,
    the latest)."""
    months: list[dt.date] = []
    year, month = f.end.year, f.end.month
    while (year, month) >= (f.start.year, f.start.month) and len(months) < MAX_MONTHS:
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _by_month(f: MeasureFilter, today: dt.date) -> tuple[AccuracyMonth, ...]:
    measured = measure(
        _cohort(f, today).annotate(accuracy_month=_month_number("promised_answer_date")),
        counts=_counts(today),
        spreads=_spreads(today),
        group="accuracy_month",
    )
    found = {_month(key): _of(m) for key, m in measured.items() if key is not None}
    empty = _accuracy(0, 0, {})
    return tuple(AccuracyMonth(month, found.get(month, empty)) for month in months_of(f))


def _by_basis(f: MeasureFilter, today: dt.date) -> tuple[AccuracyBasis, ...]:
    known = [b for b in BASES if b]
    basis = Choose(
        When(estimate_basis__basis__in=known, then=KT("estimate_basis__basis")),
        default=Value(""),
        output_field=CharField(),
    )
    measured = measure(
        _cohort(f, today).annotate(accuracy_basis=basis),
        counts=_counts(today),
        spreads=_spreads(today),
        group="accuracy_basis",
    )
    found = {key: _of(m) for key, m in measured.items() if isinstance(key, str)}
    return tuple(AccuracyBasis(b, found[b]) for b in BASES if b in found)


def promise_accuracy(f: MeasureFilter) -> PromiseAccuracy:
    """Every accuracy figure for ``f``: the whole, per service type, per month, per basis."""
    today = clock.today()
    with tuned():
        overall = _of(
            measure(_cohort(f, today), counts=_counts(today), spreads=_spreads(today))[None]
        )
        return PromiseAccuracy(
            filter=f,
            confidence=float(getattr(settings, "PROMISE_CONFIDENCE", DEFAULT_CONFIDENCE)),
            overall=overall,
            by_service_type=_by_service_type(f, today),
            by_month=_by_month(f, today),
            by_basis=_by_basis(f, today),
        )
