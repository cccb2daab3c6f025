"""The worker's refresh of the promise estimates: one new row per active service type."""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db import transaction

from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common import clock

from .combinations import combination_estimates
from .drift import DEFAULT_CHANGE_LEVEL, DEFAULT_STEP, adapted_miss_rate
from .models import PromiseEstimate
from .promise import (
    DEFAULT_CONFIDENCE,
    MIN_EVENTS,
    BasisKind,
    Promise,
    choose_promise,
    promise_days,
)
from .scale import SCALE_MIN_EVENTS, group_at_own_scale
from .selectors import answer_history, last_refresh, matured_promises
from .survival import SurvivalCurve, kaplan_meier


def national_target_in_working_days(calendar_days: int | None) -> int | None:
    """The national service target (calendar days) as working days, five in seven, rounded up:
    only a fallback, where the municipality's own history is too thin to learn from."""
    return None if not calendar_days else math.ceil(calendar_days * 5 / 7)


def within_reach(curve: SurvivalCurve, miss_rate: float, *, target: float) -> float:
    """``miss_rate``, or the lowest the curve reaches where the drift correction asks for a
    later quantile than the curve has (the slowest cases still open): its latest answer time
    is promised, not a fallback target that knows nothing of what the correction saw. Only
    where the curve has ``MIN_EVENTS`` answers and reaches the uncorrected ``target``."""
    if curve.n_events < MIN_EVENTS or promise_days(curve, confidence=1 - target) is None:
        return miss_rate
    return max(miss_rate, float(curve.survival[-1]))


def _stored_curve(
    governing: tuple[SurvivalCurve, int] | None, kind: BasisKind
) -> dict[str, object]:
    """What ``PromiseEstimate.curve`` holds: the step function, its sample and window."""
    if governing is None:
        return {}
    curve, window_months = governing
    return {"sample": kind.value, "window_months": window_months, **curve.to_json()}


@transaction.atomic
def promise_estimates_refresh(*, as_of: dt.date | None = None) -> list[PromiseEstimate]:
    """Learn every active service type's promise from the history up to ``as_of`` (today):
    Kaplan–Meier over the window (open cases censored), the miss rate corrected by the
    promises that matured, the group, national or fixed target where the history is thin.
    A learned row keeps the curve that set it (``curve``), for re-estimates at a case's age."""
    day = as_of or clock.today()
    confidence = float(getattr(settings, "PROMISE_CONFIDENCE", DEFAULT_CONFIDENCE))
    window = int(getattr(settings, "PROMISE_WINDOW_MONTHS", 12))
    step = float(getattr(settings, "PROMISE_DRIFT_STEP", DEFAULT_STEP))
    recent_months = int(getattr(settings, "PROMISE_RECENT_MONTHS", 3))
    # The step while the matured promises' misses cluster (``drift``; 0: never faster).
    fast_step = float(getattr(settings, "PROMISE_DRIFT_FAST_STEP", 0.0)) or None
    change_level = float(getattr(settings, "PROMISE_DRIFT_CHANGE_LEVEL", DEFAULT_CHANGE_LEVEL))
    # A thin type's own answers from which its group's curve is stretched to its median
    # (``scale``; 0: never).
    scale_from = int(getattr(settings, "PROMISE_GROUP_SCALE_MIN_EVENTS", SCALE_MIN_EVENTS))
    calendar = working_calendar()
    types = list(ServiceType.objects.filter(active=True).order_by("pk"))
    groups: dict[str, SurvivalCurve] = {}
    moment = clock.now()
    rows = []
    for service_type in types:
        own = answer_history(
            as_of=day, calendar=calendar, window_months=window, service_type_ids=[service_type.pk]
        )
        if service_type.group not in groups:
            members = [t.pk for t in types if t.group == service_type.group]
            sample = answer_history(
                as_of=day, calendar=calendar, window_months=window, service_type_ids=members
            )
            groups[service_type.group] = kaplan_meier(sample.durations, sample.observed)
        kept = matured_promises(
            as_of=day, calendar=calendar, window_months=window, service_type_ids=[service_type.pk]
        )
        miss_rate = adapted_miss_rate(
            kept, target=1 - confidence, step=step, fast_step=fast_step, level=change_level
        )
        own_curve = kaplan_meier(own.durations, own.observed)
        miss_rate = within_reach(own_curve, miss_rate, target=1 - confidence)
        group_curve = groups[service_type.group]
        if scale_from and own_curve.n_events < MIN_EVENTS:
            # Too thin to learn from alone, but its median may say it is slower than its group.
            group_curve = group_at_own_scale(group_curve, own_curve, min_events=scale_from)
        promise = choose_promise(
            own=own_curve,
            group=group_curve,
            national_target_days=national_target_in_working_days(service_type.service_target_days),
            fixed_target_days=service_type.target_working_days,
            confidence=1 - miss_rate,
            window_months=window,
        )
        # The curve that set the promise, stored for re-estimates at a case's age.
        governing: tuple[SurvivalCurve, int] | None = None
        if promise.basis.kind == BasisKind.HISTORY:
            governing = (own_curve, window)
        elif promise.basis.kind == BasisKind.GROUP:
            governing = (group_curve, window)
        if recent_months and promise.basis.kind == BasisKind.HISTORY:
            # The last months alone, where they have enough answers: when times are rising
            # (a queue building, a department slowing) they say so before the year does.
            recent = answer_history(
                as_of=day,
                calendar=calendar,
                window_months=recent_months,
                service_type_ids=[service_type.pk],
            )
            curve = kaplan_meier(recent.durations, recent.observed)
            later = (
                promise_days(curve, confidence=1 - miss_rate)
                if curve.n_events >= MIN_EVENTS
                else None
            )
            if later is not None and later > promise.working_days:
                promise = Promise(later, promise.basis)
                governing = (curve, recent_months)
        basis = promise.basis
        rows.append(
            PromiseEstimate(
                service_type=service_type,
                computed_at=moment,
                as_of=day,
                working_days=min(promise.working_days, 32_000),
                basis=basis.kind.value,
                confidence=confidence,
                miss_rate=miss_rate,
                window_months=basis.window_months,
                cases=basis.n,
                answered=basis.events,
                p50=basis.p50,
                p90=basis.p90,
                matured=len(kept),
                kept=sum(kept),
                curve=_stored_curve(governing, basis.kind),
            )
        )
    # The combinations with a history of their own (``combinations``): a case asking for
    # several service types is answered when its slowest part is done.
    rows += combination_estimates(
        as_of=day,
        calendar=calendar,
        window_months=window,
        confidence=confidence,
        step=step,
        computed_at=moment,
        active_type_ids={t.pk for t in types},
        fast_step=fast_step,
        change_level=change_level,
    )
    return PromiseEstimate.objects.bulk_create(rows)


def promise_estimates_refresh_if_stale(
    *, asked_at: dt.datetime | None = None
) -> list[PromiseEstimate] | None:
    """Refresh unless it is not needed: with ``asked_at`` (an answer asked for it), unless a
    refresh ran since — a burst of answers refreshes once; without (the nightly run), unless
    one ran today. Returns the rows written, or None when it was not needed."""
    last = last_refresh()
    if last is not None:
        if asked_at is not None and last >= asked_at:
            return None
        if asked_at is None and clock.local_date(last) >= clock.today():
            return None
    return promise_estimates_refresh()
