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
"""

from __future__ import annotations

from collections.abc import Iterable

DEFAULT_STEP = 0.01
LOWEST = 0.005
HIGHEST = 0.5


def adapted_miss_rate(
    kept: Iterable[bool],
    *,
    target: float = 0.1,
    step: float = DEFAULT_STEP,
    start: float | None = None,
) -> float:
    """The miss rate to promise at next, after the matured promises ``kept`` (oldest first)."""
    if not 0 < target < 1:
        raise ValueError("target must be between 0 and 1")
    alpha = target if start is None else start
    for outcome in kept:
        alpha += step * (target - (0.0 if outcome else 1.0))
        alpha = min(HIGHEST, max(LOWEST, alpha))
    return alpha
