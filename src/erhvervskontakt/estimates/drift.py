"""Keeping promises calibrated when times change: adaptive conformal inference.

A promise has *matured* when its date has passed: the case was answered by then (kept) or it
was not (missed) — no censoring. From matured promises only, in the order their dates passed,
the miss rate aimed at is corrected (Gibbs & Candès, 2021):

    α_{k+1} = α_k + γ · (α* − miss_k)

with α* = 1 − p the promised share of misses (0.1 for "9 out of 10"). After a miss the next
promises are made at a lower α (a later quantile), after a run of kept ones at a higher one,
so a department whose times double is back on 9 out of 10 within weeks instead of after the
rolling window has forgotten the old times. α is kept in a band so one bad month cannot make
promises absurd.

A small γ is steady but slow: at γ = 0.01 a type whose promises suddenly miss half the time
needs dozens of misses to get to a later quantile, and its promises mature only days or weeks
after they were made. So the step grows while the misses cluster: where the last
``window`` matured promises hold more misses than a promise kept 1 − α* of the time gives with
probability ``level`` (the exact binomial tail; 4 of 10 at α* = 0.1), the step is
``fast_step`` until they no longer do. A change-triggered step size, after the idea of
adapting γ itself to the shift (Gibbs & Candès, "Conformal inference for online prediction
with arbitrary distribution shifts", 2022, DtACI; Zaffran et al., "Adaptive conformal
predictions for time series", ICML 2022, AgACI), in its simplest form: one detector, two steps.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable

DEFAULT_STEP = 0.01
DEFAULT_CHANGE_WINDOW = 10  # matured promises the change detector looks back over
DEFAULT_CHANGE_LEVEL = 0.05  # … and how unlikely their misses must be to be a change
LOWEST = 0.005
HIGHEST = 0.5


def _binomial_tail(m: int, n: int, p: float) -> float:
    """P(X >= m) for X ~ Binomial(n, p)."""
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(m, n + 1))


def change_threshold(window: int, target: float, level: float = DEFAULT_CHANGE_LEVEL) -> int:
    """The fewest misses among ``window`` matured promises that a miss rate of ``target``
    gives with probability at most ``level``: that many is a change, not bad luck (one more
    than ``window`` if even all misses are not that unlikely)."""
    if window < 1:
        raise ValueError("window must be at least 1")
    if not 0 < target < 1 or not 0 < level < 1:
        raise ValueError("target and level must be between 0 and 1")
    for m in range(window + 1):
        if _binomial_tail(m, window, target) <= level:
            return m
    return window + 1


def adapted_miss_rate(
    kept: Iterable[bool],
    *,
    target: float = 0.1,
    step: float = DEFAULT_STEP,
    start: float | None = None,
    fast_step: float | None = None,
    window: int = DEFAULT_CHANGE_WINDOW,
    level: float = DEFAULT_CHANGE_LEVEL,
) -> float:
    """The miss rate to promise at next, after the matured promises ``kept`` (oldest first);
    with ``fast_step``, that step while the last ``window`` of them miss too often."""
    if not 0 < target < 1:
        raise ValueError("target must be between 0 and 1")
    alpha = target if start is None else start
    threshold = change_threshold(window, target, level) if fast_step is not None else 0
    recent: deque[bool] = deque(maxlen=window)
    misses = 0
    for outcome in kept:
        if len(recent) == window and not recent[0]:
            misses -= 1
        recent.append(bool(outcome))
        misses += 0 if outcome else 1
        rate = fast_step if fast_step is not None and misses >= threshold else step
        alpha += rate * (target - (0.0 if outcome else 1.0))
        alpha = min(HIGHEST, max(LOWEST, alpha))
    return alpha
