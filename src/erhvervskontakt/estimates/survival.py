"""The Kaplan–Meier product-limit estimator, in numpy.

Durations are net working days from screening to answer (the days a case waited for the
business deducted). An answered case is an event at its duration; an open case is censored at
its current age: it is known to take *at least* that long, so a growing backlog lengthens the
curve instead of hiding from it (a "P90 of closed cases" only sees the fast ones).

Ties follow the usual convention (and statsmodels' ``SurvfuncRight``, which the tests pin
this against): a case censored at t is still at risk at t. ``S(t)`` is right-continuous: the
share of cases not yet answered *after* t working days.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

# Two products of the same factors in another order differ in the last bits; "S(t) <= q"
# is decided with this much slack so that a level hit exactly is hit.
_TOLERANCE = 1e-12


@dataclass(frozen=True)
class SurvivalCurve:
    """S(t) as a step function: ``survival[i]`` holds from ``times[i]`` up to the next time."""

    times: npt.NDArray[np.float64]  # distinct durations with at least one event, ascending
    survival: npt.NDArray[np.float64]  # S just after each of ``times``
    at_risk: npt.NDArray[np.int64]  # cases at risk at each of ``times``
    events: npt.NDArray[np.int64]  # events at each of ``times``
    n: int  # cases in the sample (events and censored)

    @property
    def n_events(self) -> int:
        return int(self.events.sum())

    def at(self, t: float) -> float:
        """S(t): the estimated share of cases still unanswered after ``t`` working days."""
        index = int(np.searchsorted(self.times, t, side="right"))
        return 1.0 if index == 0 else float(self.survival[index - 1])

    def first_time_at_or_below(self, level: float, *, after: float = -np.inf) -> float | None:
        """The smallest event time t > ``after`` with S(t) <= ``level``, or None where the
        curve never gets that low (too much of the sample is still open: undefined)."""
        candidates = np.flatnonzero((self.survival <= level + _TOLERANCE) & (self.times > after))
        if len(candidates) == 0:
            return None
        return float(self.times[candidates[0]])

    def to_json(self) -> dict[str, Any]:
        """The step function as plain lists, for a JSON field: ``from_json`` gives it back
        exactly (a float's shortest repr reads back as the same float)."""
        return {
            "times": [float(t) for t in self.times],
            "survival": [float(s) for s in self.survival],
            "at_risk": [int(r) for r in self.at_risk],
            "events": [int(e) for e in self.events],
            "n": int(self.n),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SurvivalCurve:
        """The curve ``to_json`` wrote (other keys are ignored); ValueError if malformed."""
        try:
            times = np.array(data["times"], dtype=np.float64)
            survival = np.array(data["survival"], dtype=np.float64)
            at_risk = np.array(data["at_risk"], dtype=np.int64)
            events = np.array(data["events"], dtype=np.int64)
            n = int(data["n"])
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a stored survival curve: {error}") from error
        if not times.ndim == survival.ndim == at_risk.ndim == events.ndim == 1 or not (
            len(times) == len(survival) == len(at_risk) == len(events)
        ):
            raise ValueError("a stored survival curve's arrays must be 1-D and of one length")
        return cls(times, survival, at_risk, events, n)


def kaplan_meier(
    durations: Sequence[float] | npt.ArrayLike, observed: Sequence[bool] | npt.ArrayLike
) -> SurvivalCurve:
    """The product-limit estimate S(t) = ∏_{t_i <= t} (1 - d_i / n_i) over the distinct event
    times t_i, with d_i events at t_i and n_i cases whose duration is >= t_i."""
    d = np.asarray(durations, dtype=np.float64)
    e = np.asarray(observed, dtype=bool)
    if d.shape != e.shape or d.ndim != 1:
        raise ValueError("durations and observed must be 1-D and of the same length")
    if np.any(np.isnan(d)) or np.any(d < 0):
        raise ValueError("durations must be numbers >= 0")
    times = np.unique(d[e])
    if len(times) == 0:
        empty_f = np.array([], dtype=np.float64)
        empty_i = np.array([], dtype=np.int64)
        return SurvivalCurve(empty_f, empty_f, empty_i, empty_i, len(d))
    ordered = np.sort(d)
    # Cases with duration >= t: everything from the first index of t in the sorted sample.
    at_risk = (len(d) - np.searchsorted(ordered, times, side="left")).astype(np.int64)
    event_times = np.sort(d[e])
    events = (
        np.searchsorted(event_times, times, side="right")
        - np.searchsorted(event_times, times, side="left")
    ).astype(np.int64)
    survival = np.cumprod(1.0 - events / at_risk).astype(np.float64)
    return SurvivalCurve(times, survival, at_risk, events, len(d))
