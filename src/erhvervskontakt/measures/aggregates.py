"""Counts and percentiles in SQL on both databases, behind one function: :func:`measure`.

A KPI is a handful of counts and one or two spreads (median and 80th percentile of a number
of days) over one cohort of cases. On PostgreSQL :func:`measure` asks for all of them in
one query, so the cohort is read once: ``count(*) FILTER (WHERE …)`` for each count and the
ordered-set aggregate ``percentile_cont(ARRAY[0.5, 0.8]) WITHIN GROUP (ORDER BY x) FILTER
(WHERE …)`` (:class:`PercentileCont`) for each spread, grouped like any other aggregate.
SQLite has no ordered-set aggregates; there the counts are one query and each spread one
more, which numbers each group's values with window functions (``ROW_NUMBER() OVER
(PARTITION BY g ORDER BY x)``, ``COUNT(*) OVER (PARTITION BY g)``) and returns only the rows
around the wanted positions, interpolated exactly as ``percentile_cont`` does: position
``p × (n − 1)`` of the sorted values. Either way the database sorts and counts; Python sees a
few rows per group, never the cases.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import math
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    F,
    Field,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
)

MEDIAN, P80 = 0.5, 0.8
FRACTIONS = (MEDIAN, P80)
_tuning: contextvars.ContextVar[bool] = contextvars.ContextVar("measures_tuning", default=False)


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(ARRAY[…]) WITHIN GROUP (ORDER BY expression)``: the
    continuous percentiles at ``fractions``, as a list (None over no rows)."""

    function = "percentile_cont"
    name = "PercentileCont"
    template = "%(function)s(%(fractions)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(
        self, expression: Any, fractions: tuple[float, ...] = FRACTIONS, **extra: Any
    ) -> None:
        if not fractions or not all(0 <= p <= 1 for p in fractions):
            raise ValueError("Percentiles are fractions from 0 to 1.")
        # Floats we format ourselves, never input: safe in the SQL text.
        array = "ARRAY[" + ", ".join(repr(float(p)) for p in fractions) + "]::float8[]"
        super().__init__(expression, fractions=array, **extra)

    def convert_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return value  # a list of floats, or None


class IdList(Aggregate):
    """The values of an integer column (an id) over each group's rows, as a list of ints
    (empty over no rows): ``array_agg`` on PostgreSQL, ``group_concat`` on SQLite. For a
    group's few rows of interest (give a ``filter``), not for all of them."""

    function = "ARRAY_AGG"
    name = "IdList"
    allow_distinct = True
    output_field = Field()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)

    def convert_value(self, value: Any, expression: Any, connection: Any) -> list[int]:
        if value is None:
            return []
        if isinstance(value, str):  # SQLite: "3,7,12"
            return [int(part) for part in value.split(",")]
        return [int(part) for part in value]


class AmongIds(Func):
    """A condition: ``expression`` (an id) is one of ``ids``, passed as one parameter however
    many they are — ``= ANY(%s::bigint[])`` on PostgreSQL, which hashes the list once; a
    JSON list read by ``json_each`` on SQLite — so neither Django nor the database handles a
    placeholder per id."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, expression: Any, ids: Iterable[int]) -> None:
        super().__init__(expression)
        self.ids = [int(i) for i in ids]

    @cached_property
    def identity(self) -> tuple[Any, ...]:
        # Django compares and hashes expressions by their arguments (GROUP BY, filters):
        # the ids once, as one tuple, not each one through ``make_hashable``.
        return (self.__class__, self.get_source_expressions()[0], tuple(self.ids))

    def as_sql(  # PostgreSQL
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        # The array as its text ("{3,7,12}"): one string for the driver to quote, not a list
        # to adapt item by item.
        array = "{" + ",".join(map(str, self.ids)) + "}"
        return f"{sql} = ANY(%s::bigint[])", (*params, array)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        # The compiled column and a placeholder: no input in the SQL text.
        statement = f"{sql} IN (SELECT value FROM json_each(%s))"  # noqa: S608
        return statement, (*params, json.dumps(self.ids))


@dataclass(frozen=True)
class Spread:
    """The median and the 80th percentile of a number of days over ``n`` cases.

    Both are None when ``n`` is 0; a median can be a half (an even number of cases).
    """

    n: int
    median: float | None
    p80: float | None

    @classmethod
    def empty(cls) -> Spread:
        return cls(0, None, None)


@dataclass(frozen=True)
class Measured:
    """What :func:`measure` found for one group: each count, and each spread."""

    counts: dict[str, int]
    spreads: dict[str, Spread]


@contextlib.contextmanager
def tuned() -> Iterator[None]:
    """A transaction for measuring. On PostgreSQL it sorts in memory (``work_mem`` 32 MB:
    a year of one KPI's values sorts without spilling to disk) and skips JIT compilation
    (compiling these short scans costs more than it saves); both only until it ends."""
    if _tuning.get():  # already inside one (e.g. the whole dashboard): nothing to add
        yield
        return
    token = _tuning.set(True)
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL work_mem = '32MB'; SET LOCAL jit = off")
            yield
    finally:
        _tuning.reset(token)


def measure(
    queryset: QuerySet[Any],
    *,
    counts: Mapping[str, Q],
    spreads: Mapping[str, tuple[Any, Q]] | None = None,
    group: str | None = None,
) -> dict[Hashable, Measured]:
    """How many rows of ``queryset`` meet each condition of ``counts`` (an empty ``Q()``:
    all), and the median and 80th percentile of each ``spreads`` value (a field name or an
    expression) over the rows meeting its condition, leaving out NULL values.

    Per ``group`` (a field name; its values are the keys), or for all rows (key None, always
    present). A group with no rows is absent. One query on PostgreSQL; on SQLite one plus one
    per spread.
    """
    spreads = spreads or {}
    queryset = queryset.order_by()  # a model's default ordering would join the GROUP BY
    names = {f"count_{i}": name for i, name in enumerate(counts)}
    # Counting a constant, not a column, lets PostgreSQL answer from an index alone.
    aggregates: dict[str, Any] = {
        alias: Count(Value(1), filter=counts[name]) if counts[name] else Count("*")
        for alias, name in names.items()
    }
    postgresql = connection.vendor == "postgresql"
    for j, (value, q) in enumerate(spreads.values()):
        expression = F(value) if isinstance(value, str) else value
        aggregates[f"n_{j}"] = Count(expression, filter=q or None)
        if postgresql:
            aggregates[f"pct_{j}"] = PercentileCont(expression, filter=q or None)
    if group is None:
        rows = [{"measure_group": None, **queryset.aggregate(**aggregates)}]
    else:
        rows = list(queryset.values(measure_group=F(group)).annotate(**aggregates).order_by())
    window = {} if postgresql else _window_spreads(queryset, spreads, group)
    found: dict[Hashable, Measured] = {}
    for row in rows:
        key = row["measure_group"]
        measured_spreads = {}
        for j, name in enumerate(spreads):
            n = row[f"n_{j}"] or 0
            if not n:
                measured_spreads[name] = Spread.empty()
            elif postgresql:
                median, p80 = row[f"pct_{j}"]
                measured_spreads[name] = Spread(n, median, p80)
            else:
                measured_spreads[name] = window[name].get(key, Spread.empty())
        found[key] = Measured(
            counts={name: row[alias] or 0 for alias, name in names.items()},
            spreads=measured_spreads,
        )
    if group is None and None not in found:
        found[None] = Measured(dict.fromkeys(counts, 0), dict.fromkeys(spreads, Spread.empty()))
    return found


def _window_spreads(
    queryset: QuerySet[Any], spreads: Mapping[str, tuple[Any, Q]], group: str | None
) -> dict[str, dict[Hashable, Spread]]:
    """SQLite: the spreads by window functions, one query each."""
    return {
        name: _window_spread(queryset.filter(q) if q else queryset, value, group)
        for name, (value, q) in spreads.items()
    }


def _window_spread(
    queryset: QuerySet[Any], value: Any, group: str | None
) -> dict[Hashable, Spread]:
    expression = F(value) if isinstance(value, str) else value
    inner = (
        queryset.annotate(measure_group=F(group) if group else Value(0), measure_value=expression)
        .filter(measure_value__isnull=False)
        .values("measure_group", "measure_value")
    )
    sql, params = inner.query.sql_with_params()
    wanted = " OR ".join(
        f"(rn - 1 >= CAST({p!r} * (cnt - 1) AS INTEGER) "
        f"AND rn - 1 <= CAST({p!r} * (cnt - 1) AS INTEGER) + 1)"
        for p in FRACTIONS
    )
    # The inner query is Django's own SQL with its parameters; the fractions are constants.
    statement = (
        "SELECT g, x, rn, cnt FROM ("  # noqa: S608
        "SELECT measure_group AS g, measure_value AS x, "
        "ROW_NUMBER() OVER (PARTITION BY measure_group ORDER BY measure_value) AS rn, "
        "COUNT(*) OVER (PARTITION BY measure_group) AS cnt "
        f"FROM ({sql}) AS measured) AS numbered WHERE {wanted}"
    )
    found: dict[Hashable, tuple[int, dict[int, float]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for key, x, rn, cnt in cursor.fetchall():
            found.setdefault(key if group else None, (cnt, {}))[1][rn - 1] = float(x)
    return {
        key: Spread(n, interpolate(values, n, MEDIAN), interpolate(values, n, P80))
        for key, (n, values) in found.items()
    }


def histogram_spread(histogram: Mapping[int, int]) -> Spread:
    """Median and 80th percentile of the values a histogram (value → how many) counts,
    exactly as ``percentile_cont`` over the values themselves."""
    n = sum(histogram.values())
    if not n:
        return Spread.empty()
    ordered = sorted(histogram.items())

    def at(position: int) -> float:
        seen = 0
        for value, count in ordered:
            seen += count
            if position < seen:
                return float(value)
        return float(ordered[-1][0])

    def percentile(fraction: float) -> float:
        position = fraction * (n - 1)
        lower = math.floor(position)
        low = at(lower)
        if lower + 1 >= n:
            return low
        return low + (position - lower) * (at(lower + 1) - low)

    return Spread(n, percentile(MEDIAN), percentile(P80))


def interpolate(values: Mapping[int, float], n: int, fraction: float) -> float:
    """``percentile_cont``: the value at position ``fraction × (n − 1)`` of ``n`` sorted
    values (``values`` maps 0-based positions to values; the two around it suffice)."""
    position = fraction * (n - 1)
    lower = math.floor(position)
    low = values[lower]
    if lower + 1 >= n:
        return low
    return low + (position - lower) * (values[lower + 1] - low)


def percent(part: int, n: int) -> int | None:
    """``part`` of ``n`` as a whole percentage (half up), None when there is nothing."""
    if n <= 0:
        return None
    return math.floor(100 * part / n + 0.5)
