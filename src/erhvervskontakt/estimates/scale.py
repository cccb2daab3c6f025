"""A thin service type borrows its group's curve at its own scale.

Until a service type has ``MIN_EVENTS`` answers of its own it is promised from its group's
cases. Where the type is slower than the group (an industrial building permit among the
simple ones: about 22 working days of work against 14), the group's P90 is short for it, and
its promises miss until its own history is long enough — for months, for a type with a few
cases a week. Its median is known long before its tail: so from ``SCALE_MIN_EVENTS`` answers
of its own, the group's curve is stretched by the ratio of the type's median to the group's
(times scale, the curve's shape is the group's: an accelerated-failure-time assumption), and
only ever lengthened — a type faster than its group keeps the group's promise, as before.
"""

from __future__ import annotations

from dataclasses import replace

from .promise import promise_days
from .survival import SurvivalCurve

SCALE_MIN_EVENTS = 10


def scaled(curve: SurvivalCurve, factor: float) -> SurvivalCurve:
    """The same curve with every time multiplied by ``factor`` (> 0)."""
    if not factor > 0:
        raise ValueError("factor must be > 0")
    return replace(curve, times=curve.times * factor)


def group_at_own_scale(
    group: SurvivalCurve, own: SurvivalCurve, *, min_events: int = SCALE_MIN_EVENTS
) -> SurvivalCurve:
    """The group's curve stretched to the type's median where the type has ``min_events``
    answers and its median is the later; else the group's curve as it is."""
    if own.n_events < min_events:
        return group
    own_median = promise_days(own, confidence=0.5)
    group_median = promise_days(group, confidence=0.5)
    if own_median is None or not group_median or own_median <= group_median:
        return group
    return scaled(group, own_median / group_median)
