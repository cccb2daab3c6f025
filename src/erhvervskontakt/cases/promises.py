"""What screening proposes as the answer date, and why: the promise each service type can be
given, and the case's promise, which the slowest of its service types sets.

The promises are learned from the municipality's own history by the ``estimates`` app (issue
17): it writes a table in the worker and registers, at start-up, the source that reads it
(``register_source``), so cases imports none of it and screening never fits a model inside a
request. Without a source, or for a service type the table has no row for yet, the promise is
the service type's fixed target, as before the history was learned from.

A case with several service types is answered when its slowest part is done. Each service
type learns from the cases that had it alone (a combination's time is not its parts'), and a
case is promised the latest of its types' dates — or, where its combination has a history of
its own (a second registered source, ``register_combination_source``), that combination's
date if it is later (decision 0012 says why, and what the simulator measured).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.catalogue.models import ServiceType

FIXED = "fixed"


@dataclass(frozen=True)
class TypePromise:
    """The promise one service type's cases can be given, in working days from screening,
    with what it rests on: ``basis`` is ``history`` (its own cases), ``group`` (its group's),
    ``national`` (the national service target) or ``fixed`` (its fixed target)."""

    service_type_id: int
    working_days: int
    basis: str = FIXED
    cases: int = 0  # cases in the sample, answered and still open
    answered: int = 0  # of those, answered
    window_months: int = 0
    p50: int | None = None  # working days by which half were answered
    p90: int | None = None  # … and nine out of ten
    confidence: float | None = None  # the share the promise is meant to hold for
    as_of: dt.date | None = None  # the history's last day

    @property
    def learned(self) -> bool:
        return self.basis in ("history", "group", "combination")


Source = Callable[[Sequence[int]], Mapping[int, TypePromise]]

_source: list[Source] = []


def register_source(source: Source) -> None:
    """Make ``source`` (service type ids → their promises) the one screening asks."""
    _source[:] = [source]


CombinationSource = Callable[[list[int]], "TypePromise | None"]

_combination_source: list[CombinationSource] = []


def register_combination_source(source: CombinationSource) -> None:
    """Make ``source`` (service type ids → their combination's own promise, or None) the one
    screening asks for a case with several service types."""
    _combination_source[:] = [source]


def type_promises(service_types: Iterable[ServiceType]) -> dict[int, TypePromise]:
    """Each service type's promise: the learned one where there is one, else its fixed
    target."""
    types = list(service_types)
    learned = _source[0]([st.pk for st in types]) if _source and types else {}
    return {st.pk: learned.get(st.pk) or TypePromise(st.pk, st.target_working_days) for st in types}


@dataclass(frozen=True)
class Proposal:
    """Screening's proposal: each service type's answer line date, the case's estimate (the
    latest line) and the promise that set it."""

    line_dates: dict[int, dt.date]
    estimate: dt.date | None
    governing: TypePromise | None
    promises: dict[int, TypePromise] = field(default_factory=dict)

    def basis(self, codes: Mapping[int, str]) -> dict[str, Any]:
        """What the case stores as its estimate's basis (``Case.estimate_basis``): the
        governing service type's promise and every line's working days and basis."""
        if self.governing is None:
            return {}
        found = {
            key: (value.isoformat() if isinstance(value, dt.date) else value)
            for key, value in asdict(self.governing).items()
            if key != "service_type_id"
        }
        found["service_type"] = codes.get(self.governing.service_type_id, "")
        found["lines"] = {
            codes.get(pk, str(pk)): {"working_days": p.working_days, "basis": p.basis}
            for pk, p in self.promises.items()
        }
        return found


def propose(
    today: dt.date, service_types: Sequence[ServiceType], calendar: WorkingCalendar
) -> Proposal:
    """The answer dates screening on ``today`` proposes for a case with ``service_types``."""
    promises = type_promises(service_types)
    line_dates = {
        pk: calendar.add_working_days(today, promise.working_days)
        for pk, promise in promises.items()
    }
    if not line_dates:
        return Proposal({}, None, None, promises)
    # The latest date governs; between equal dates the longer history wins, then the lower id.
    governing_pk = max(line_dates, key=lambda pk: (line_dates[pk], promises[pk].answered, -pk))
    governing = promises[governing_pk]
    if len(promises) > 1 and _combination_source:
        combined = _combination_source[0](sorted(promises))
        if combined is not None:
            day = calendar.add_working_days(today, combined.working_days)
            if day > line_dates[governing_pk]:
                # The combination's own history says the whole takes longer than its
                # slowest part alone: that part's line, and so the case, gets its date.
                line_dates = {**line_dates, governing_pk: day}
                governing = replace(combined, service_type_id=governing_pk)
    return Proposal(line_dates, line_dates[governing_pk], governing, promises)
