"""Counts and percentiles in SQL (``measures.aggregates``): the same answers on PostgreSQL
(``percentile_cont``) and SQLite (window functions), and from a histogram, as the
definition — position p × (n − 1) of the sorted values, interpolated."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db.models import Q

from erhvervskontakt.cases.models import Case
from erhvervskontakt.measures.aggregates import (
    Spread,
    histogram_spread,
    measure,
    percent,
    tuned,
)
from erhvervskontakt.measures.filters import MeasureFilter

pytestmark = pytest.mark.django_db


def by_definition(values: list[int], fraction: float) -> float:
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    if lower + 1 >= len(ordered):
        return float(ordered[lower])
    return ordered[lower] + (position - lower) * (ordered[lower + 1] - ordered[lower])


@pytest.fixture
def days(make_case):
    """``days([values], service_types=…)``: answered cases with these screening days."""

    def make(values, **extra):
        return [
            make_case(screened_on=dt.date(2026, 11, 2), screening_working_days=v, **extra)
            for v in values
        ]

    return make


def spread_of(queryset, group=None):
    with tuned():
        return measure(
            queryset,
            counts={"all": Q(), "slow": Q(screening_working_days__gt=5)},
            spreads={"days": ("screening_working_days", Q())},
            group=group,
        )


def test_nothing_gives_zero_counts_and_empty_spreads(db):
    found = spread_of(Case.objects.all())

    assert found[None].counts == {"all": 0, "slow": 0}
    assert found[None].spreads["days"] == Spread.empty()


def test_one_value_is_its_own_median_and_80th_percentile(days):
    days([7])

    assert spread_of(Case.objects.all())[None].spreads["days"] == Spread(1, 7.0, 7.0)


def test_percentiles_agree_with_the_definition(days):
    values = [random.Random(7).randint(0, 40) for _ in range(57)]
    days(values)

    found = spread_of(Case.objects.all())[None]

    assert found.counts == {"all": 57, "slow": sum(v > 5 for v in values)}
    spread = found.spreads["days"]
    assert spread.n == 57
    assert spread.median == pytest.approx(by_definition(values, 0.5))
    assert spread.p80 == pytest.approx(by_definition(values, 0.8))
    histogram: dict[int, int] = {}
    for v in values:
        histogram[v] = histogram.get(v, 0) + 1
    assert histogram_spread(histogram) == spread


def test_null_values_are_left_out_of_the_spread_but_counted(days, make_case):
    days([1, 2, 3, 10])
    make_case()  # not screened: no working days

    found = spread_of(Case.objects.all())[None]

    assert found.counts["all"] == 5
    assert found.spreads["days"] == Spread(4, 2.5, pytest.approx(5.8))


def test_grouped_by_a_field(days, lars):
    days([1, 2, 3])
    days([10, 20], coordinator=lars)

    found = spread_of(Case.objects.all(), group="coordinator")

    karen_id = Case.objects.exclude(coordinator=lars).values_list("coordinator", flat=True)[0]
    assert found[karen_id].spreads["days"] == Spread(3, 2.0, pytest.approx(2.6))
    assert found[lars.pk].spreads["days"] == Spread(2, 15.0, 18.0)
    assert found[lars.pk].counts == {"all": 2, "slow": 2}


def test_a_percentage_is_none_without_cases_and_rounds_half_up():
    assert percent(0, 0) is None
    assert percent(1, 8) == 13  # 12.5
    assert percent(2, 3) == 67
    assert percent(0, 5) == 0


def test_the_default_period_is_the_last_12_months():
    f = MeasureFilter.last_12_months(dt.date(2026, 11, 27), department="byggeri")
    assert (f.start, f.end, f.department) == (
        dt.date(2025, 11, 28),
        dt.date(2026, 11, 27),
        "byggeri",
    )
    leap = MeasureFilter.last_12_months(dt.date(2028, 2, 29))
    assert (leap.start, leap.end) == (dt.date(2027, 3, 1), dt.date(2028, 2, 29))
