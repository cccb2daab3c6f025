"""After a change: the drift correction's step grows while misses cluster, a quantile the
correction asks for beyond a curve's reach promises the curve's latest answer, and a thin
service type slower than its group borrows the group's curve at its own median."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.estimates.accuracy import binomial_cdf
from erhvervskontakt.estimates.drift import (
    HIGHEST,
    LOWEST,
    adapted_miss_rate,
    change_threshold,
)
from erhvervskontakt.estimates.promise import promise_days
from erhvervskontakt.estimates.scale import group_at_own_scale, scaled
from erhvervskontakt.estimates.services import promise_estimates_refresh, within_reach
from erhvervskontakt.estimates.survival import kaplan_meier

from .conftest import answered_history, at, screened_case

outcomes = st.lists(st.booleans(), max_size=300)


def plain_aci(kept: list[bool], target: float, step: float) -> float:
    """Adaptive conformal inference with one step, written out (the oracle)."""
    alpha = target
    for outcome in kept:
        alpha = min(HIGHEST, max(LOWEST, alpha + step * (target - (not outcome))))
    return alpha


def test_four_misses_in_ten_is_a_change_at_nine_in_ten() -> None:
    # P(X >= 4) = 0.013 for X ~ Bin(10, 0.1); P(X >= 3) = 0.070.
    assert change_threshold(10, 0.1, 0.05) == 4
    assert change_threshold(10, 0.1, 0.01) == 5
    assert change_threshold(1, 0.5, 0.05) == 2  # not even one miss in one is that unlikely


@given(
    window=st.integers(1, 60),
    target=st.floats(0.01, 0.5),
    level=st.floats(0.001, 0.2),
)
def test_the_threshold_is_the_exact_binomial_tail(window: int, target: float, level: float) -> None:
    m = change_threshold(window, target, level)

    def tail(k: int) -> float:
        return 1 - binomial_cdf(k - 1, window, target)

    if m <= window:
        assert tail(m) <= level + 1e-9
    if m >= 1:
        assert tail(m - 1) > level - 1e-9


@given(kept=outcomes, step=st.floats(0.001, 0.05))
def test_without_a_fast_step_it_is_plain_aci(kept: list[bool], step: float) -> None:
    assert adapted_miss_rate(kept, target=0.1, step=step) == pytest.approx(
        plain_aci(kept, 0.1, step)
    )


@given(kept=outcomes)
def test_the_miss_rate_stays_in_its_band(kept: list[bool]) -> None:
    assert LOWEST <= adapted_miss_rate(kept, target=0.1, fast_step=0.2) <= HIGHEST


@given(kept=outcomes)
def test_isolated_misses_never_speed_it_up(kept: list[bool]) -> None:
    # At most three misses in any ten in a row: never a change, the plain step throughout.
    spread = list(kept)
    for i in range(len(spread)):
        if not spread[i] and sum(not k for k in spread[max(0, i - 9) : i + 1]) > 3:
            spread[i] = True
    assert adapted_miss_rate(spread, target=0.1, step=0.01, fast_step=0.05) == pytest.approx(
        plain_aci(spread, 0.1, 0.01)
    )


def test_clustered_misses_move_the_promise_later_faster() -> None:
    before = [True] * 9 + [False]  # 9 in 10 kept: calibrated
    after = [False, False, True, False, False, True, False, False]  # the times doubled
    slow = adapted_miss_rate(before * 5 + after, target=0.1, step=0.01)
    fast = adapted_miss_rate(before * 5 + after, target=0.1, step=0.01, fast_step=0.05)

    assert slow == pytest.approx(0.1 - 0.01 * (6 * 0.9 - 2 * 0.1))  # six misses, two kept
    # From the fourth miss in the last ten on, the step is five times as large.
    assert LOWEST <= fast < slow / 2
    # Once the last ten are kept again, the plain step resumes.
    settled = adapted_miss_rate(
        before * 5 + after + [True] * 10, target=0.1, step=0.01, fast_step=0.05
    )
    assert adapted_miss_rate(
        before * 5 + after + [True] * 20, target=0.1, step=0.01, fast_step=0.05
    ) == pytest.approx(settled + 10 * 0.01 * 0.1)


def test_a_quantile_beyond_the_curve_promises_its_latest_answer() -> None:
    # 48 answered in 1..12 working days, 2 still open at 15: S never gets below 2/50.
    durations = [1 + i % 12 for i in range(48)] + [15] * 2
    curve = kaplan_meier(durations, [True] * 48 + [False] * 2)
    assert float(curve.survival[-1]) == pytest.approx(0.04)
    assert (
        promise_days(curve, confidence=0.9) == 12 and promise_days(curve, confidence=0.98) is None
    )

    lowered = within_reach(curve, 0.02, target=0.1)

    assert lowered == pytest.approx(0.04)
    assert promise_days(curve, confidence=1 - lowered) == 12  # the latest answer, not None
    assert within_reach(curve, 0.2, target=0.1) == 0.2  # reachable: unchanged
    # A thin curve, or one that does not reach even the target, is left to the fallbacks.
    thin = kaplan_meier(durations[:20], [True] * 20)
    assert within_reach(thin, 0.02, target=0.1) == 0.02
    open_half = kaplan_meier([5] * 30 + [6] * 30, [True] * 30 + [False] * 30)
    assert within_reach(open_half, 0.02, target=0.1) == 0.02


@given(factor=st.floats(0.1, 10), seed=st.integers(0, 1000))
def test_a_scaled_curve_scales_its_quantiles(factor: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    durations = rng.integers(1, 40, size=50).astype(float)
    curve = kaplan_meier(durations, rng.random(50) < 0.8)
    stretched = scaled(curve, factor)

    for level in (0.5, 0.3, 0.1):
        found = curve.first_time_at_or_below(level)
        again = stretched.first_time_at_or_below(level)
        assert (found is None) == (again is None)
        if found is not None and again is not None:
            assert again == pytest.approx(found * factor)


def test_a_thin_type_slower_than_its_group_borrows_the_group_at_its_own_median() -> None:
    group = kaplan_meier([float(1 + i % 20) for i in range(200)], [True] * 200)  # P50 10, P90 18
    slow = kaplan_meier([float(15 + i % 10) for i in range(12)], [True] * 12)  # P50 18
    fast = kaplan_meier([float(1 + i % 5) for i in range(12)], [True] * 12)
    assert promise_days(group, confidence=0.9) == 18

    borrowed = group_at_own_scale(group, slow, min_events=10)

    assert promise_days(borrowed, confidence=0.5) == 18  # its own median
    assert promise_days(borrowed, confidence=0.9) == math.ceil(18 * 1.8)  # the group's P90 × 1.8
    assert group_at_own_scale(group, fast, min_events=10) is group  # never shortened
    assert group_at_own_scale(group, slow, min_events=13) is group  # too thin even for a median


@pytest.mark.django_db
def test_the_refresh_promises_a_slow_thin_type_more_than_its_group(
    catalogue: Any, owner: Any, business: Any, karen: Any, settings: Any
) -> None:
    # Outdoor seating: 40 answered in 3..12 working days. Road space, of the same group and
    # department: 15 answered, each in 20 working days.
    seating = catalogue["udeservering"]
    road = ServiceType.objects.create(
        code="raaden-over-vejareal",
        name="Råden over vejareal",
        group=seating.group,
        department=seating.department,
        target_working_days=5,
        position=5,
    )
    Requirement.objects.create(
        service_type=road, key="areal", label="Areal i m²", value_type="number", position=1
    )
    answered_history(owner, business, karen, start=dt.date(2026, 1, 5), count=40)
    calendar = working_calendar()
    for number in range(15):
        screened = calendar.add_working_days(dt.date(2026, 2, 2), number)
        case = screened_case(owner, business, karen, screened, service_types=(road.code,))
        with at(calendar.add_working_days(screened, 20)):
            case_record_decision(case=case, actor=karen, summary="Tilladelse givet.")

    settings.PROMISE_GROUP_SCALE_MIN_EVENTS = 0
    plain = promise_estimates_refresh(as_of=dt.date(2026, 6, 1))
    settings.PROMISE_GROUP_SCALE_MIN_EVENTS = 10
    borrowed = promise_estimates_refresh(as_of=dt.date(2026, 6, 2))

    before = next(row for row in plain if row.service_type_id == road.pk)
    after = next(row for row in borrowed if row.service_type_id == road.pk)
    assert before.basis == after.basis == "group" and after.answered == before.answered == 55
    # The group's P50 is 9 (40 in 3..12, 15 in 20), road space's own 20: stretched × 20/9.
    assert before.working_days == 20 and after.working_days == math.ceil(20 * 20 / 9)
    # The stored curve is the stretched one: a re-estimate at a case's age uses it.
    assert max(after.curve["times"]) == pytest.approx(20 * 20 / 9)
    # Seating, faster than its group, is promised from its own history, as before.
    assert {row.basis for row in borrowed if row.service_type_id == seating.pk} == {"history"}
