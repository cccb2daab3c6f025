"""From a survival curve to a promise, and the fallbacks when the history is thin.

The promise for a new case is the smallest t with S(t) <= 1 - p (p = the confidence promised,
90 % by default): the date by which p of similar cases were answered. For a case already of
age a (re-estimated after a pause, or when staff ask) it is the smallest t > a with
S(t) <= (1 - p)·S(a): p of the cases that were still open at a were answered by t.

Where the history is thin (fewer than ``MIN_EVENTS`` answers in the window) or the quantile is
undefined (so much of the sample still open that the curve never gets that low), the promise
falls back: the service type's group, then the national service target, then the fixed
target; ``Basis`` says which was used, with how many cases and which window, so the promise
can say why it is what it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from .survival import SurvivalCurve

MIN_EVENTS = 30
DEFAULT_CONFIDENCE = 0.9


class BasisKind(StrEnum):
    HISTORY = "history"  # the service type's own cases
    GROUP = "group"  # the cases of the service type's group
    NATIONAL = "national"  # the national service target
    FIXED = "fixed"  # the service type's fixed target
    COMBINATION = "combination"  # the cases with exactly the same service types


@dataclass(frozen=True)
class Basis:
    kind: BasisKind
    n: int = 0  # cases in the sample (answered and open)
    events: int = 0  # answered cases in the sample
    window_months: int = 0
    p50: int | None = None  # working days by which half were answered
    p90: int | None = None  # … and nine out of ten


@dataclass(frozen=True)
class Promise:
    working_days: int
    basis: Basis


def promise_days(
    curve: SurvivalCurve, *, confidence: float = DEFAULT_CONFIDENCE, age: float = 0
) -> int | None:
    """Working days from screening by which ``confidence`` of cases like this one (and, for a
    case of ``age``, of those still open at that age) were answered; None if undefined."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    if age < 0:
        raise ValueError("age must be >= 0")
    still_open = curve.at(age)
    if still_open <= 0:
        return None
    found = curve.first_time_at_or_below((1 - confidence) * still_open, after=age)
    return None if found is None else math.ceil(found)


def _from_curve(
    curve: SurvivalCurve | None,
    kind: BasisKind,
    *,
    confidence: float,
    age: float,
    window_months: int,
    min_events: int,
) -> Promise | None:
    if curve is None or curve.n_events < min_events:
        return None
    days = promise_days(curve, confidence=confidence, age=age)
    if days is None:
        return None
    return Promise(
        working_days=days,
        basis=Basis(
            kind=kind,
            n=curve.n,
            events=curve.n_events,
            window_months=window_months,
            p50=promise_days(curve, confidence=0.5),
            p90=promise_days(curve, confidence=0.9),
        ),
    )


def choose_promise(
    *,
    own: SurvivalCurve | None,
    group: SurvivalCurve | None,
    national_target_days: int | None,
    fixed_target_days: int,
    confidence: float = DEFAULT_CONFIDENCE,
    age: float = 0,
    window_months: int = 12,
    min_events: int = MIN_EVENTS,
) -> Promise:
    """The promise and its basis: the service type's own history, else its group's, else the
    national service target, else the fixed target. Never fails: thin data falls back."""
    for curve, kind in ((own, BasisKind.HISTORY), (group, BasisKind.GROUP)):
        found = _from_curve(
            curve,
            kind,
            confidence=confidence,
            age=age,
            window_months=window_months,
            min_events=min_events,
        )
        if found is not None:
            return found
    if national_target_days is not None:
        return Promise(national_target_days, Basis(kind=BasisKind.NATIONAL))
    return Promise(fixed_target_days, Basis(kind=BasisKind.FIXED))
