"""Kaplan–Meier pinned against statsmodels' SurvfuncRight and against a plain oracle, on
random censored samples (hypothesis), and the promise rule on top of it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.duration.survfunc import SurvfuncRight

from erhvervskontakt.estimates.promise import (
    BasisKind,
    choose_promise,
    promise_days,
)
from erhvervskontakt.estimates.survival import kaplan_meier

# Net working days are whole numbers with many ties, which is where estimators disagree.
samples = st.lists(
    st.tuples(st.integers(min_value=0, max_value=60), st.booleans()), min_size=1, max_size=120
)


def oracle_survival(sample: list[tuple[int, bool]], t: float) -> float:
    """S(t) by the definition, one event time at a time, no numpy."""
    value = 1.0
    for time in sorted({d for d, observed in sample if observed}):
        if time > t:
            break
        at_risk = sum(1 for d, _ in sample if d >= time)
        deaths = sum(1 for d, observed in sample if observed and d == time)
        value *= 1 - deaths / at_risk
    return value


def oracle_promise(sample: list[tuple[int, bool]], p: float, age: float) -> int | None:
    """The smallest event time t > age with S(t) <= (1 - p)·S(age), by brute force."""
    target = (1 - p) * oracle_survival(sample, age)
    for time in sorted({d for d, observed in sample if observed}):
        if time > age and oracle_survival(sample, time) <= target + 1e-12:
            return time
    return None


@settings(max_examples=300, deadline=None)
@given(samples)
def test_the_curve_equals_statsmodels(sample: list[tuple[int, bool]]) -> None:
    durations = [d for d, _ in sample]
    observed = [e for _, e in sample]
    curve = kaplan_meier(durations, observed)
    if not any(observed):
        assert curve.n_events == 0 and curve.at(10) == 1.0
        return
    reference = SurvfuncRight(np.array(durations, float), np.array(observed, float))

    assert np.allclose(curve.times, reference.surv_times)
    assert np.allclose(curve.survival, reference.surv_prob)
    assert np.array_equal(curve.at_risk, reference.n_risk)
    assert np.array_equal(curve.events, reference.n_events)
    # statsmodels' quantile is on the CDF scale with a strict inequality (as SAS):
    # the smallest t with S(t) < 1 - p. Away from exact ties with the level, it is ours.
    for p in (0.5, 0.75, 0.9):
        theirs = reference.quantile(p)
        level = 1 - p
        if np.any(np.isclose(curve.survival, level)):
            continue
        ours = curve.first_time_at_or_below(level)
        assert (ours is None and math.isnan(theirs)) or ours == theirs


@settings(max_examples=300, deadline=None)
@given(samples, st.sampled_from([0.5, 0.8, 0.9, 0.95]), st.integers(min_value=0, max_value=40))
def test_the_promise_equals_the_oracle_for_new_and_aged_cases(
    sample: list[tuple[int, bool]], p: float, age: int
) -> None:
    curve = kaplan_meier([d for d, _ in sample], [e for _, e in sample])
    for t in range(0, 62, 3):
        assert curve.at(t) == pytest.approx(oracle_survival(sample, t), abs=1e-12)

    expected = oracle_promise(sample, p, age) if oracle_survival(sample, age) > 0 else None

    assert promise_days(curve, confidence=p, age=age) == expected


def test_open_cases_lengthen_the_promise_a_p90_of_closed_cases_does_not() -> None:
    rng = np.random.default_rng(17)
    durations = rng.gamma(shape=2.0, scale=8.0, size=2000).round()
    # A backlog: everything that takes more than 25 working days is still open at 25.
    observed = durations <= 25
    seen = np.where(observed, durations, 25)

    learned = promise_days(kaplan_meier(seen, observed), confidence=0.9)
    naive = float(np.quantile(seen[observed], 0.9))
    truth = float(np.quantile(durations, 0.9))

    assert naive < 25 <= truth
    # Kaplan–Meier knows that more than one in ten is still open at 25: no promise is
    # possible from this sample alone (undefined, so the caller falls back), never the
    # too-short naive one.
    assert learned is None
    less_censored = np.where(durations <= 40, durations, 40)
    learned = promise_days(kaplan_meier(less_censored, durations <= 40), confidence=0.9)
    assert learned is not None and abs(learned - truth) <= 2


def test_a_case_of_some_age_is_promised_more_than_its_age() -> None:
    durations = list(range(1, 41)) * 3
    curve = kaplan_meier(durations, [True] * len(durations))

    fresh = promise_days(curve, confidence=0.9)
    aged = promise_days(curve, confidence=0.9, age=30)

    assert fresh == 36
    # S(30) = 10/40; 9 in 10 of those still open at 30 are answered by 39 (S = 1/40).
    assert aged is not None and aged > 30 and aged == 39


def test_thin_history_falls_back_group_then_national_then_fixed_and_says_so() -> None:
    thin = kaplan_meier([3, 5, 8, 13], [True, True, True, False])
    rich = kaplan_meier(list(range(1, 51)), [True] * 50)

    from_group = choose_promise(own=thin, group=rich, national_target_days=40, fixed_target_days=20)
    national = choose_promise(own=thin, group=None, national_target_days=40, fixed_target_days=20)
    fixed = choose_promise(own=None, group=thin, national_target_days=None, fixed_target_days=20)
    own = choose_promise(own=rich, group=None, national_target_days=None, fixed_target_days=20)

    assert from_group.basis.kind == BasisKind.GROUP and from_group.working_days == 45
    assert from_group.basis.events == 50 and from_group.basis.p50 == 25
    assert (national.basis.kind, national.working_days) == (BasisKind.NATIONAL, 40)
    assert (fixed.basis.kind, fixed.working_days) == (BasisKind.FIXED, 20)
    assert own.basis.kind == BasisKind.HISTORY and own.basis.p90 == 45


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        kaplan_meier([1, 2], [True])
    with pytest.raises(ValueError, match=">= 0"):
        kaplan_meier([-1], [True])
    with pytest.raises(ValueError, match="confidence"):
        promise_days(kaplan_meier([1], [True]), confidence=1.0)
