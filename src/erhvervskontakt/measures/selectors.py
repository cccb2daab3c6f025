"""The promise dashboard's figures and the public page's (issue 7): one selector per KPI.

Longer than ~600 lines on purpose: every KPI shares one filter, one aggregation idiom and
the figure keys ``cases_behind`` resolves, so a figure and the cases behind it are read side
by side in one file.

Every selector takes a :class:`~erhvervskontakt.measures.filters.MeasureFilter` and
aggregates in SQL over the dates the services store on the case row (decision 1: indexed
columns, no calendar per row). Which of a case's dates the period applies to:

======================  ===============================================================
``screening``           its screening fell due in the period (``screening_due``)
``answers``             its promised answer date is in the period (``promised_answer_date``)
``service_targets``     it was answered in the period (``answered_on``), as municipalities
                        report national targets; or it is still open and its target date
                        (``service_target_date``) in the period has passed (missed)
``processing_times``    it was answered in the period (``answered_on``)
``backlog``             none: it is the open cases now (the period is ignored)
======================  ===============================================================

So a promise belongs to the period it fell due in, whatever happened later: a figure for a
past period changes only as its open cases are decided. Withdrawn cases are owed nothing and
are left out, except those screened before they were withdrawn, which count for screening.
Inspection visits (cases with channel ``inspection``) are the municipality's own initiative,
not inquiries: every figure here, and every list behind one, leaves them out (``INQUIRY``).

Every count is a :class:`Tally` and every share a :class:`Share` (always with its ``n``;
``percent`` is None when ``n`` is 0). Each carries a ``key`` — ``"screening.late"``,
``"answers.deviation.late5"``, ``"service_targets.byggetilladelse.missed"`` … — and
:func:`cases_behind` turns the filter and a key into the queryset of exactly the cases
counted, scoped by ``Case.objects.visible_to(user)``: the dashboard links every figure to its
list and CSV the same way. The ``*_cases`` functions are the typed entry points behind it;
each is built from the same cohort and conditions as its figure, so they cannot disagree.

One exception: ``BacklogFigures.overdue_deliverables[party]`` counts deliverables, and its key
lists the cases they are on (``overdue_deliverable_cases[party]`` of them).

The figures themselves are the municipality's own aggregates (they are on the public page),
so they take no user; the lists behind them do.

The promise an answer is measured against is the estimate given at screening, moved only by
the working days the case waited for the business (``Case.promised_answer_date``): an
estimate moved by hand later does not move the promise. A case with two service types counts
once for each, and for each of their departments; the filters match the service types and
departments the case was received with (``Case.service_type_ids`` / ``department_ids``).

Speed: each KPI is one query on PostgreSQL, read from one index alone (cases/models.py):
partial indexes of inquiries only, covering for the filtered figures, slim (key-only, so
B-tree deduplication shrinks them) for the unfiltered ones; the service targets read only
the answered cases with a target and the open ones past it. Per-service-type figures group
the cases by their service types in the database and add the groups up here
(``_by_service_type``). ``scripts/bench_measures.py`` times them over a million cases.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value

from erhvervskontakt.accounts.models import User
from erhvervskontakt.cases.models import (
    INQUIRY,
    OPEN_STATUSES,
    Case,
    CaseQuerySet,
    CaseStatus,
    Deliverable,
)
from erhvervskontakt.cases.selectors import coordinator_open_cases, coordinator_open_counts
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import ValidationFailed

from .aggregates import AmongIds, IdList, Spread, histogram_spread, measure, percent, tuned
from .filters import MeasureFilter

T = TypeVar("T")

# --- result types --------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """A number of cases, and the key of the list behind it (:func:`cases_behind`)."""

    count: int
    key: str


@dataclass(frozen=True)
class Share:
    """``part`` of ``n`` cases. ``percent`` is None when ``n`` is 0 — never show 0 % then."""

    part: int
    n: int
    key: str  # the cases counted in ``part``
    of: str  # the ``n`` cases

    @property
    def ratio(self) -> float | None:
        return self.part / self.n if self.n else None

    @property
    def percent(self) -> int | None:
        return percent(self.part, self.n)


@dataclass(frozen=True)
class Days:
    """Median and 80th percentile of a number of working days, over ``n`` cases (``key``)."""

    n: int
    median: float | None
    p80: float | None
    key: str

    @classmethod
    def of(cls, spread: Spread | None, key: str) -> Days:
        spread = spread or Spread.empty()
        return cls(spread.n, spread.median, spread.p80, key)


@dataclass(frozen=True)
class ScreeningFigures:
    """Inquiries whose screening fell due in the period.

    ``on_time`` were screened on or before the due date; ``late`` after it, or not yet and
    the date has passed; ``pending`` are not screened and not yet due (never on time).
    ``kept`` is on time of those decided (on time + late). ``working_days``: from the local
    receipt date to screening, over the screened ones.
    """

    due: Tally
    on_time: Tally
    late: Tally
    pending: Tally
    kept: Share
    working_days: Days


@dataclass(frozen=True)
class DeviationBucket:
    """Answers whose deviation from the promise (working days, negative = early) lies in
    ``low``..``high`` (None: open-ended)."""

    code: str
    low: int | None
    high: int | None
    tally: Tally


@dataclass(frozen=True)
class AnswerFigures:
    """Screened cases whose promised answer date is in the period.

    The promise is the estimate given at screening, moved only by the working days the case
    waited for the business (``Case.promised_answer_date``). ``on_time``: answered on or
    before it; ``answered_late``: after it; ``open``: not answered yet (reported apart), of
    which ``open_late`` are past the promise (they count as late) and ``pending`` are not.
    ``kept`` is on time of answered + open late. ``working_days``: screening to answer, over
    the answered ones; ``deviation``: how far the answers were from the promise.
    """

    total: Tally
    answered: Tally
    on_time: Tally
    answered_late: Tally
    open: Tally
    open_late: Tally
    pending: Tally
    late: Tally
    kept: Share
    working_days: Days
    deviation: tuple[DeviationBucket, ...]


@dataclass(frozen=True)
class ServiceTargetRow:
    """One service type with a national target: cases answered in the period within it
    (``met``) or not, plus open cases already past it (``missed`` counts both)."""

    service_type: ServiceType
    met: Tally
    missed: Tally
    open_missed: Tally
    share: Share


@dataclass(frozen=True)
class ProcessingTimeRow:
    """One service type's processing time over the cases answered in the period.

    ``working_days``: from the local receipt date to the answer, without the working days
    the case waited for material from the business (the municipality's own time).
    ``within_target``: answered within the national service target, of those that have one.
    """

    service_type: ServiceType
    working_days: Days
    within_target: Share


@dataclass(frozen=True)
class AgeBucket:
    code: str
    low: int  # days since the local receipt date, inclusive
    high: int | None  # inclusive; None: and older


@dataclass(frozen=True)
class BacklogStatusRow:
    status: str
    total: Tally
    by_age: tuple[Tally, ...]  # in the order of AGE_BUCKETS


@dataclass(frozen=True)
class WorkloadRow:
    coordinator: User | None  # None: not screened yet, no coordinator
    open: Tally
    overdue: Tally


@dataclass(frozen=True)
class BacklogFigures:
    """The open cases now (the filter's period is ignored).

    ``by_status``: by state and by age since receipt (calendar days); ``overdue_deliverables``:
    pending deliverables past their due date on open cases, by party (``count`` is
    deliverables, ``cases`` how many cases they are on); ``workload``: open cases per
    coordinator and how many of them are overdue (``CaseQuerySet.overdue``) — a
    coordinator's open cases as the workbench counts them everywhere
    (``cases.selectors.coordinator_open_cases``: inspection visits too, unlike the rest).
    """

    open: Tally
    by_status: tuple[BacklogStatusRow, ...]
    overdue_deliverables: dict[str, Tally]
    overdue_deliverable_cases: dict[str, int]
    workload: tuple[WorkloadRow, ...]


@dataclass(frozen=True)
class Dashboard:
    """Everything the promise dashboard shows for one filter (satisfaction aside: surveys)."""

    filter: MeasureFilter
    screening: ScreeningFigures
    answers: AnswerFigures
    service_targets: tuple[ServiceTargetRow, ...]
    backlog: BacklogFigures


# --- shared pieces -------------------------------------------------------------------------


def _all_cases() -> CaseQuerySet:
    """Inquiries only: inspection visits are cases too (channel "inspection"), but the
    municipality's own initiative. ``INQUIRY`` is also the condition of the dashboard's
    partial indexes, so leaving the visits out costs nothing."""
    return Case.objects.filter(INQUIRY)


def _cases_for(user: User) -> CaseQuerySet:
    return Case.objects.visible_to(user).filter(INQUIRY)


def _unknown(key: str) -> ValidationFailed:
    return ValidationFailed.field("tal", f"Ukendt tal: »{key}«.")


def _tuned(selector: Callable[[MeasureFilter], T]) -> Callable[[MeasureFilter], T]:
    """Run the selector's queries in one measuring transaction (``aggregates.tuned``)."""

    @functools.wraps(selector)
    def run(f: MeasureFilter) -> T:
        with tuned():
            return selector(f)

    return run


# --- screening -----------------------------------------------------------------------------

SCREENING_OUTCOMES = ("due", "on_time", "late", "pending", "screened")


def _screening_cohort(queryset: QuerySet[Case], f: MeasureFilter) -> QuerySet[Case]:
    return queryset.filter(f.case_q(), screening_due__range=(f.start, f.end)).exclude(
        status=CaseStatus.WITHDRAWN, screened_on__isnull=True
    )


def _screening_conditions(today: dt.date) -> dict[str, Q]:
    return {
        "due": Q(),
        "on_time": Q(screened_on__lte=F("screening_due")),
        "late": Q(screened_on__gt=F("screening_due"))
        | Q(screened_on__isnull=True, screening_due__lt=today),
        "pending": Q(screened_on__isnull=True, screening_due__gte=today),
        "screened": Q(screened_on__isnull=False),
    }


@_tuned
def screening(f: MeasureFilter) -> ScreeningFigures:
    """Screening promise kept (period: ``screening_due``). One query on PostgreSQL."""
    today = clock.today()
    conditions = _screening_conditions(today)
    # The database counts what it must; the rest follows, as the outcomes partition the
    # cohort (a case is screened or not; an unscreened one is late once its date passed).
    measured = measure(
        _screening_cohort(_all_cases(), f),
        counts={
            "due": Q(),
            "on_time": conditions["on_time"],
            "unscreened_late": Q(screened_on__isnull=True, screening_due__lt=today),
        },
        spreads={"days": ("screening_working_days", conditions["screened"])},
    )[None]
    counts = measured.counts
    screened = measured.spreads["days"].n
    counts["late"] = screened - counts["on_time"] + counts["unscreened_late"]
    counts["pending"] = counts["due"] - screened - counts["unscreened_late"]
    counts["screened"] = screened
    tally = {name: Tally(counts[name], f"screening.{name}") for name in SCREENING_OUTCOMES}
    decided = counts["on_time"] + counts["late"]
    return ScreeningFigures(
        due=tally["due"],
        on_time=tally["on_time"],
        late=tally["late"],
        pending=tally["pending"],
        kept=Share(counts["on_time"], decided, "screening.on_time", "screening.decided"),
        working_days=Days.of(measured.spreads["days"], "screening.screened"),
    )


def screening_cases(f: MeasureFilter, outcome: str, *, user: User) -> QuerySet[Case]:
    """The cases behind a screening figure: one of ``SCREENING_OUTCOMES`` or ``decided``."""
    conditions = _screening_conditions(clock.today())
    conditions["decided"] = conditions["on_time"] | conditions["late"]
    if outcome not in conditions:
        raise _unknown(f"screening.{outcome}")
    return _screening_cohort(_cases_for(user), f).filter(conditions[outcome])


# --- answers -------------------------------------------------------------------------------

ANSWER_OUTCOMES = (
    "total",
    "answered",
    "on_time",
    "answered_late",
    "open",
    "open_late",
    "pending",
    "late",
)
DEVIATION_BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    ("early5", None, -5),
    ("early", -4, -1),
    ("exact", 0, 0),
    ("late", 1, 4),
    ("late5", 5, None),
)


def _answer_cohort(queryset: QuerySet[Case], f: MeasureFilter) -> QuerySet[Case]:
    return queryset.filter(f.case_q(), promised_answer_date__range=(f.start, f.end)).exclude(
        status=CaseStatus.WITHDRAWN
    )


def _open_late(today: dt.date) -> Q:
    """Open and past the promise. A case waiting for the business has its promise moved by
    the wait when the material comes, so it is late only if the promise had passed already
    when it began to wait."""
    return Q(status=CaseStatus.IN_PROGRESS, promised_answer_date__lt=today) | Q(
        status=CaseStatus.AWAITING_BUSINESS, promised_answer_date__lt=F("paused_since")
    )


def _open_pending(today: dt.date) -> Q:
    return Q(status=CaseStatus.IN_PROGRESS, promised_answer_date__gte=today) | Q(
        status=CaseStatus.AWAITING_BUSINESS, promised_answer_date__gte=F("paused_since")
    )


def _deviation_q(low: int | None, high: int | None) -> Q:
    q = Q()  # a comparison with NULL (not answered) is never true
    if low is not None:
        q &= Q(estimate_deviation_working_days__gte=low)
    if high is not None:
        q &= Q(estimate_deviation_working_days__lte=high)
    return q


def _answer_conditions(today: dt.date) -> dict[str, Q]:
    unanswered = Q(answered_on__isnull=True)
    answered_late = Q(answered_on__gt=F("promised_answer_date"))
    open_late = unanswered & _open_late(today)
    conditions = {
        "total": Q(),
        "answered": Q(answered_on__isnull=False),
        "on_time": Q(answered_on__lte=F("promised_answer_date")),
        "answered_late": answered_late,
        "open": unanswered,
        "open_late": open_late,
        "pending": unanswered & _open_pending(today),
        "late": answered_late | open_late,
    }
    for code, low, high in DEVIATION_BUCKETS:
        conditions[f"deviation.{code}"] = _deviation_q(low, high)
    return conditions


@_tuned
def answers(f: MeasureFilter) -> AnswerFigures:
    """Answers on or before the promise given at screening (period:
    ``promised_answer_date``). One query on PostgreSQL."""
    conditions = _answer_conditions(clock.today())
    # The database counts what it must; the rest follows, as the outcomes partition the
    # cohort (every case in it was screened: answered, or open in progress or waiting).
    asked = ["total", "answered", "on_time", "open_late"]
    asked += [f"deviation.{code}" for code, _, _ in DEVIATION_BUCKETS]
    measured = measure(
        _answer_cohort(_all_cases(), f),
        counts={name: conditions[name] for name in asked},
        spreads={"days": ("answer_working_days", conditions["answered"])},
    )[None]
    counts = measured.counts
    counts["answered_late"] = counts["answered"] - counts["on_time"]
    counts["open"] = counts["total"] - counts["answered"]
    counts["pending"] = counts["open"] - counts["open_late"]
    counts["late"] = counts["answered_late"] + counts["open_late"]
    tally = {name: Tally(counts[name], f"answers.{name}") for name in ANSWER_OUTCOMES}
    decided = counts["on_time"] + counts["late"]
    return AnswerFigures(
        **tally,
        kept=Share(counts["on_time"], decided, "answers.on_time", "answers.decided"),
        working_days=Days.of(measured.spreads["days"], "answers.answered"),
        deviation=tuple(
            DeviationBucket(
                code,
                low,
                high,
                Tally(counts[f"deviation.{code}"], f"answers.deviation.{code}"),
            )
            for code, low, high in DEVIATION_BUCKETS
        ),
    )


def answer_cases(f: MeasureFilter, outcome: str, *, user: User) -> QuerySet[Case]:
    """The cases behind an answer figure: one of ``ANSWER_OUTCOMES``, ``decided`` or
    ``deviation.<bucket>`` (``DEVIATION_BUCKETS``)."""
    conditions = _answer_conditions(clock.today())
    conditions["decided"] = conditions["on_time"] | conditions["late"]
    if outcome not in conditions:
        raise _unknown(f"answers.{outcome}")
    return _answer_cohort(_cases_for(user), f).filter(conditions[outcome])


# --- how well the promises held (issue 17) ------------------------------------------------

ACCURACY_OUTCOMES = ("matured", "kept", "missed")


def _accuracy_cohort(queryset: QuerySet[Case], f: MeasureFilter, today: dt.date) -> QuerySet[Case]:
    """The matured promises of the period: the promise fell due in it and before today, and
    its outcome is known — answered (on time or not), or open past it (``_open_late``). A
    case still waiting for the business that began to wait before its date is not matured:
    its promise moves by the wait. Answers before a date still to come are left for that
    date, so a month is never scored on its early answers alone."""
    conditions = _answer_conditions(today)
    return _answer_cohort(queryset, f).filter(
        Q(promised_answer_date__lt=today) & (conditions["on_time"] | conditions["late"])
    )


def _accuracy_conditions(today: dt.date) -> dict[str, Q]:
    conditions = _answer_conditions(today)
    return {"matured": Q(), "kept": conditions["on_time"], "missed": conditions["late"]}


def accuracy_cases(f: MeasureFilter, outcome: str, *, user: User) -> QuerySet[Case]:
    """The cases behind an accuracy figure (``measures.accuracy``): one of
    ``ACCURACY_OUTCOMES``."""
    today = clock.today()
    conditions = _accuracy_conditions(today)
    if outcome not in conditions:
        raise _unknown(f"accuracy.{outcome}")
    return _accuracy_cohort(_cases_for(user), f, today).filter(conditions[outcome])


def _by_service_type(
    queryset: QuerySet[Case], *, counts: dict[str, Q], value: Any = None
) -> dict[int, tuple[dict[str, int], Spread]]:
    """Counts per service type (and the spread of ``value``), in one pass over the cases.

    The database groups the cases by their service types as received (``service_type_ids``,
    a few hundred combinations at most; with ``value``, also by its value: a histogram) and
    Python adds the groups up per service type — a case with two service types counts for
    both. No join with the case's service-type lines, and the percentiles are exact (the
    histogram holds every value: ``histogram_spread``).
    """
    aggregates: dict[str, Any] = {
        f"count_{i}": Count(Value(1), filter=q) if q else Count("*")
        for i, q in enumerate(counts.values())
    }
    aggregates["rows"] = Count("*")
    grouped = queryset.order_by()
    fields = ["service_type_ids"]
    if value is not None:
        grouped = grouped.annotate(measure_value=value)
        fields.append("measure_value")
    totals: dict[int, dict[str, int]] = {}
    histograms: dict[int, dict[int, int]] = {}
    for row in grouped.values(*fields).annotate(**aggregates):
        for part in row["service_type_ids"].strip("|").split("|"):
            if not part:
                continue
            st = int(part)
            mine = totals.setdefault(st, dict.fromkeys(counts, 0))
            for i, name in enumerate(counts):
                mine[name] += row[f"count_{i}"]
            if value is not None and row["measure_value"] is not None:
                histogram = histograms.setdefault(st, {})
                histogram[row["measure_value"]] = (
                    histogram.get(row["measure_value"], 0) + row["rows"]
                )
    return {st: (mine, histogram_spread(histograms.get(st, {}))) for st, mine in totals.items()}


# --- national service targets ----------------------------------------------------------------

SERVICE_TARGET_OUTCOMES = ("met", "missed", "open_missed", "answered", "all")


def _service_target_conditions(f: MeasureFilter, today: dt.date) -> dict[str, Q]:
    """On ``Case``. ``all`` is the cohort: answered in the period with a target, or open with
    its target date in the period and passed."""
    # An open case has no answer; waiting for the business moves its target date (by the
    # calendar days waited) when the material comes, so a waiting case has missed it only if
    # the date had passed already when it began to wait.
    open_missed = Q(status__in=OPEN_STATUSES, service_target_date__range=(f.start, f.end)) & (
        Q(
            status__in=[CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS],
            service_target_date__lt=today,
        )
        | Q(
            status=CaseStatus.AWAITING_BUSINESS,
            service_target_date__lt=F("paused_since"),
        )
    )
    answered = Q(answered_on__range=(f.start, f.end), service_target_met__isnull=False)
    return {
        "met": answered & Q(service_target_met=True),
        "missed": (answered & Q(service_target_met=False)) | open_missed,
        "open_missed": open_missed,
        "answered": answered,
        "all": answered | open_missed,
    }


def _service_types(f: MeasureFilter, *, with_target: bool) -> list[ServiceType]:
    """The active service types a per-service-type table shows under the filter."""
    q = Q(active=True)
    if with_target:
        q &= Q(service_target_days__isnull=False)
    if f.service_type:
        q &= Q(code=f.service_type)
    if f.department:
        q &= Q(department__code=f.department)
    return list(ServiceType.objects.filter(q).order_by("position", "name", "id"))


@_tuned
def service_targets(f: MeasureFilter) -> tuple[ServiceTargetRow, ...]:
    """National service targets met, per service type with a target (period: answered in
    it, or open and the target date passed in it). A case with two service types counts for
    both, judged by the case's target date (the longest target among its types governs,
    ``cases.rules.service_target_days``). Three queries: the service types, the answered
    cases and the open ones (each cohort read from its own date's index)."""
    types = _service_types(f, with_target=True)
    if not types:
        return ()
    conditions = _service_target_conditions(f, clock.today())
    cases = _all_cases().filter(f.case_q())
    answered = _by_service_type(
        cases.filter(conditions["answered"]),
        counts={"n": Q(), "met": Q(service_target_met=True)},
    )
    still_open = _by_service_type(cases.filter(conditions["open_missed"]), counts={"n": Q()})
    result = []
    for st in types:
        key = f"service_targets.{st.code}"
        decided = answered.get(st.pk, ({"n": 0, "met": 0}, None))[0]
        met = decided["met"]
        open_missed = still_open.get(st.pk, ({"n": 0}, None))[0]["n"]
        missed = decided["n"] - met + open_missed
        result.append(
            ServiceTargetRow(
                service_type=st,
                met=Tally(met, f"{key}.met"),
                missed=Tally(missed, f"{key}.missed"),
                open_missed=Tally(open_missed, f"{key}.open_missed"),
                share=Share(met, met + missed, f"{key}.met", f"{key}.all"),
            )
        )
    return tuple(result)


def service_target_cases(
    f: MeasureFilter, service_type: str, outcome: str, *, user: User
) -> QuerySet[Case]:
    """The cases behind a service-target figure of one service type (by code)."""
    conditions = _service_target_conditions(f, clock.today())
    if outcome not in conditions:
        raise _unknown(f"service_targets.{service_type}.{outcome}")
    return _cases_for(user).filter(
        f.case_q(), conditions[outcome], service_types__code=service_type
    )


# --- processing times (the public page) -------------------------------------------------------


def _processing_value() -> Any:
    """Working days from receipt to answer, without those spent waiting for the business."""
    return F("screening_working_days") + F("answer_working_days") - F("paused_working_days")


@_tuned
def processing_times(f: MeasureFilter) -> tuple[ProcessingTimeRow, ...]:
    """Per active service type: median and 80th percentile of working days from receipt to
    answer (waiting for the business left out) and the share within the national target,
    over the cases answered in the period (``answered_on``). Every active service type under
    the filter has a row, ``n`` 0 when none was answered. Two queries (the service types,
    the figures)."""
    types = _service_types(f, with_target=False)
    if not types:
        return ()
    found = _by_service_type(
        _all_cases().filter(f.case_q(), answered_on__range=(f.start, f.end)),
        counts={
            "met": Q(service_target_met=True),
            "with_target": Q(service_target_met__isnull=False),
        },
        value=_processing_value(),
    )
    result = []
    for st in types:
        counts, days = found.get(st.pk, ({"met": 0, "with_target": 0}, Spread.empty()))
        key = f"processing.{st.code}"
        result.append(
            ProcessingTimeRow(
                service_type=st,
                working_days=Days.of(days, key),
                within_target=Share(
                    counts["met"], counts["with_target"], f"{key}.met", f"{key}.with_target"
                ),
            )
        )
    return tuple(result)


def processing_cases(
    f: MeasureFilter, service_type: str, outcome: str = "all", *, user: User
) -> QuerySet[Case]:
    """The answered cases behind a processing-time row (``all``), or those of them with a
    national target (``with_target``) and within it (``met``)."""
    conditions = {
        "all": Q(),
        "with_target": Q(service_target_met__isnull=False),
        "met": Q(service_target_met=True),
    }
    if outcome not in conditions:
        raise _unknown(f"processing.{service_type}.{outcome}")
    return _cases_for(user).filter(
        f.case_q(),
        conditions[outcome],
        answered_on__range=(f.start, f.end),
        service_types__code=service_type,
    )


# --- backlog -------------------------------------------------------------------------------

NO_COORDINATOR = "-"  # the key of the open cases without a coordinator (not screened yet)
AGE_BUCKETS = (
    AgeBucket("0-7", 0, 7),
    AgeBucket("8-30", 8, 30),
    AgeBucket("31-90", 31, 90),
    AgeBucket("91+", 91, None),
)


def _age_q(bucket: AgeBucket, today: dt.date) -> Q:
    """Received ``low``..``high`` calendar days before today (local dates)."""
    tz = clock.local_tz()

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=tz)

    q = Q(received_at__lt=midnight(today - dt.timedelta(days=bucket.low - 1)))
    if bucket.high is not None:
        q &= Q(received_at__gte=midnight(today - dt.timedelta(days=bucket.high)))
    return q


def _overdue_by_date_q(today: dt.date) -> Q:
    """On open cases: the screening or the answer estimate has passed."""
    return Q(status=CaseStatus.RECEIVED, screening_due__lt=today) | Q(
        status=CaseStatus.IN_PROGRESS, estimated_answer_date__lt=today
    )


def _late_deliverables(today: dt.date) -> QuerySet[Deliverable]:
    return Deliverable.objects.filter(status=Deliverable.Status.PENDING, due_date__lt=today)


def _overdue_q(today: dt.date) -> Q:
    """On open cases, the workbench's rule for an overdue case (``CaseQuerySet.overdue``):
    screening or answer estimate passed, or a pending deliverable past its due date (the
    late deliverables read once, a hashed subquery, not probed per case)."""
    return _overdue_by_date_q(today) | Q(pk__in=_late_deliverables(today).values("case_id"))


@_tuned
def backlog(f: MeasureFilter) -> BacklogFigures:
    """The open cases now, by state and age, overdue deliverables by party, and each
    coordinator's open and overdue cases. The period is ignored. Four queries: the late
    deliverables, the open inquiries by state and coordinator, each coordinator's open cases
    (``cases.selectors.coordinator_open_counts``), the coordinators.

    The late deliverables (pending, past their due date) are a few thousand: read first from
    their partial index, as each party's list of their cases' ids (a case once per late
    deliverable). The one pass over the open cases tests each against those ids (hashed
    once by PostgreSQL) and lists the open ones among them, so the deliverables on open
    cases are counted here — no second pass over the open cases to find them."""
    today = clock.today()
    late_by_party: dict[str, list[int]] = {
        row["party"]: row["cases"]
        for row in _late_deliverables(today)
        .order_by()
        .values("party")
        .annotate(cases=IdList("case_id"))
    }
    late_cases = sorted({pk for cases in late_by_party.values() for pk in cases})
    ages = {f"age{i}": _age_q(bucket, today) for i, bucket in enumerate(AGE_BUCKETS)}
    overdue_q = _overdue_by_date_q(today)
    aggregates: dict[str, Any] = {name: Count(Value(1), filter=q) for name, q in ages.items()}
    if late_cases:
        with_late = Q(AmongIds(F("pk"), late_cases))
        overdue_q |= with_late
        aggregates["late_cases"] = IdList("pk", filter=with_late)
    cells = list(
        _all_cases()
        .open()
        .filter(f.case_q())
        .order_by()
        .values("status", "coordinator")
        .annotate(n=Count("*"), overdue=Count(Value(1), filter=overdue_q), **aggregates)
    )
    status_rows = []
    for status in OPEN_STATUSES:
        mine = [cell for cell in cells if cell["status"] == status]
        status_rows.append(
            BacklogStatusRow(
                status=status,
                total=Tally(sum(cell["n"] for cell in mine), f"backlog.{status}"),
                by_age=tuple(
                    Tally(sum(cell[name] for cell in mine), f"backlog.{status}.{bucket.code}")
                    for name, bucket in zip(ages, AGE_BUCKETS, strict=True)
                ),
            )
        )
    open_late = {pk for cell in cells for pk in cell.get("late_cases", ())}
    on_open = {
        party: [pk for pk in late_by_party.get(party, ()) if pk in open_late]
        for party in Deliverable.Party.values
    }
    # Each coordinator's open cases as everywhere else in the workbench
    # (``cases.selectors.coordinator_open_cases``: inspection visits too), so "Mine sager",
    # the coordinator choices and this table agree; the inquiries not screened yet (no
    # coordinator) from the pass above.
    by_coordinator: dict[int | None, tuple[int, int]] = {
        pk: (count.open, count.overdue)
        for pk, count in coordinator_open_counts(within=f.case_q(), overdue=overdue_q).items()
    }
    unscreened = [cell for cell in cells if cell["coordinator"] is None]
    if unscreened:
        by_coordinator[None] = (
            sum(cell["n"] for cell in unscreened),
            sum(cell["overdue"] for cell in unscreened),
        )
    users = User.objects.in_bulk([pk for pk in by_coordinator if pk is not None])
    workload = []
    for pk, (n, overdue) in by_coordinator.items():
        person = users.get(pk) if pk is not None else None
        key = f"backlog.coordinator.{person.username if person else NO_COORDINATOR}"
        workload.append(
            WorkloadRow(
                coordinator=person,
                open=Tally(n, key),
                overdue=Tally(overdue, f"{key}.overdue"),
            )
        )
    # Most open cases first; the not yet screened (no coordinator) last.
    workload.sort(
        key=lambda w: (w.coordinator is None, -w.open.count, getattr(w.coordinator, "username", ""))
    )
    return BacklogFigures(
        open=Tally(sum(r.total.count for r in status_rows), "backlog.open"),
        by_status=tuple(status_rows),
        overdue_deliverables={
            party: Tally(len(cases), f"backlog.deliverables.{party}")
            for party, cases in on_open.items()
        },
        overdue_deliverable_cases={party: len(set(cases)) for party, cases in on_open.items()},
        workload=tuple(workload),
    )


def backlog_cases(
    f: MeasureFilter,
    *,
    user: User,
    status: str = "",
    age: str = "",
    coordinator: str | None = None,
    overdue: bool = False,
    party: str = "",
) -> QuerySet[Case]:
    """The open cases behind a backlog figure: by state (and age bucket code), by coordinator
    (username; ``NO_COORDINATOR`` for none yet) and overdue, or with an overdue deliverable of
    ``party``."""
    today = clock.today()
    if coordinator is not None and coordinator != NO_COORDINATOR:
        # A coordinator's open cases, inspection visits too (as ``backlog`` counts them).
        queryset = coordinator_open_cases(Case.objects.visible_to(user)).filter(f.case_q())
    else:
        queryset = _cases_for(user).open().filter(f.case_q())
    if status:
        if status not in OPEN_STATUSES:
            raise _unknown(f"backlog.{status}")
        queryset = queryset.filter(status=status)
    if age:
        bucket = next((b for b in AGE_BUCKETS if b.code == age), None)
        if bucket is None:
            raise _unknown(f"backlog.{status}.{age}")
        queryset = queryset.filter(_age_q(bucket, today))
    if coordinator == NO_COORDINATOR:
        queryset = queryset.filter(coordinator__isnull=True)
    elif coordinator is not None:
        queryset = queryset.filter(coordinator__username=coordinator)
    if overdue:
        queryset = queryset.filter(_overdue_q(today))
    if party:
        if party not in Deliverable.Party.values:
            raise _unknown(f"backlog.deliverables.{party}")
        late = Deliverable.objects.filter(
            case=OuterRef("pk"),
            party=party,
            status=Deliverable.Status.PENDING,
            due_date__lt=today,
        )
        queryset = queryset.filter(Exists(late))
    return queryset


# --- everything, and the cases behind any figure -------------------------------------------


@_tuned
def promise_dashboard(f: MeasureFilter) -> Dashboard:
    """Every figure of the promise dashboard for ``f`` (what its page calls)."""
    return Dashboard(
        filter=f,
        screening=screening(f),
        answers=answers(f),
        service_targets=service_targets(f),
        backlog=backlog(f),
    )


def cases_behind(f: MeasureFilter, key: str, *, user: User) -> QuerySet[Case]:
    """The cases counted in the figure with ``key`` (a ``Tally.key`` / ``Share.key`` /
    ``Days.key``) under ``f``, as ``user`` may see them; ValidationFailed for an unknown key."""
    parts = key.split(".")
    kind, rest = parts[0], parts[1:]
    if kind == "screening" and len(rest) == 1:
        return screening_cases(f, rest[0], user=user)
    if kind == "answers" and rest:
        return answer_cases(f, ".".join(rest), user=user)
    if kind == "accuracy" and len(rest) == 1:
        return accuracy_cases(f, rest[0], user=user)
    if kind == "service_targets" and len(rest) == 2:
        return service_target_cases(f, rest[0], rest[1], user=user)
    if kind == "processing" and len(rest) in (1, 2):
        return processing_cases(f, rest[0], rest[1] if len(rest) == 2 else "all", user=user)
    if kind == "backlog" and rest:
        if rest == ["open"]:
            return backlog_cases(f, user=user)
        if rest[0] == "deliverables" and len(rest) == 2:
            return backlog_cases(f, user=user, party=rest[1])
        if rest[0] == "coordinator" and len(rest) in (2, 3):
            if len(rest) == 3 and rest[2] != "overdue":
                raise _unknown(key)
            return backlog_cases(f, user=user, coordinator=rest[1], overdue=len(rest) == 3)
        if len(rest) <= 2:
            return backlog_cases(
                f, user=user, status=rest[0], age=rest[1] if len(rest) == 2 else ""
            )
    raise _unknown(key)
