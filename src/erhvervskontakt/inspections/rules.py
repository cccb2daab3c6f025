"""Pure rules of environmental inspection planning (miljøtilsynsbekendtgørelsen): the
weighted risk score, the category-1a frequency, the basic-inspection periods and the annual
plan. No database: the plan is a function of the register handed to it, so it can be checked
by hand and tested with hand-made registers (docs/decisions/0007-inspection-planning.md).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CATEGORY_1A = "1a"
CATEGORY_1B = "1b"
CATEGORY_2 = "2"
CATEGORIES = (CATEGORY_1A, CATEGORY_1B, CATEGORY_2)

BASIC = "basic"
PRIORITISED = "prioritised"
START_UP = "start_up"
UNPLANNED = "unplanned"
CAMPAIGN = "campaign"
# Kinds that count as the unit's regular inspection for the 1a frequency.
REGULAR_KINDS = frozenset({BASIC, PRIORITISED, START_UP})

SCORES = (1, 3, 5)
PARAMETERS = ("a", "b", "c", "d", "e")

# The first year of a basic-inspection period. Periods are counted from here in both
# directions: category 1 in 3-year periods (2024–2026, 2027–2029, …), category 2 in 6-year
# periods (2024–2029, 2030–2035, …). Overridable by settings.INSPECTION_PERIOD_ANCHOR_YEAR.
PERIOD_ANCHOR_YEAR = 2024
PERIOD_YEARS = {CATEGORY_1A: 3, CATEGORY_1B: 3, CATEGORY_2: 6}

CATEGORY_2_FLOOR_PERCENT = 25
START_UP_MONTHS = 3

HIGH_SCORE = Decimal("3.6")
MIDDLE_SCORE = Decimal("2.8")
TWO_PLACES = Decimal("0.01")


def weighted_score(a: int, b: int, c: int, d: int, e: int) -> Decimal:
    """Weighted environmental risk score: 50 % × (40 % A + 60 % B) + 50 % × (33 % C + 33 % D
    + 34 % E), in exact decimal arithmetic.

    = 0.20·A + 0.30·B + 0.165·(C + D) + 0.17·E. With every parameter odd (1, 3 or 5), C + D
    is even, so the exact value always has at most two decimals (1.00 … 5.00) and the
    quantisation to two places (half up) never changes it; it is there so that a stored
    ``Decimal(3, 2)`` is the exact value by construction.
    """
    for name, value in zip(PARAMETERS, (a, b, c, d, e), strict=True):
        if isinstance(value, bool) or value not in SCORES:
            raise ValueError(f"Parameter {name.upper()} must be 1, 3 or 5, not {value!r}.")
    half = Decimal("0.5")
    exact = half * (Decimal("0.4") * a + Decimal("0.6") * b) + half * (
        Decimal("0.33") * c + Decimal("0.33") * d + Decimal("0.34") * e
    )
    return exact.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def frequency_years(score: Decimal | None) -> int:
    """How often a category-1a unit is inspected: every year above 3.6, every second year
    above 2.8 up to 3.6, every third year at 2.8 or below. No assessment yet: every year
    (the first inspection makes the assessment)."""
    if score is None or score > HIGH_SCORE:
        return 1
    if score > MIDDLE_SCORE:
        return 2
    return 3


def format_score(score: Decimal | None) -> str:
    """``3,80`` (Danish decimal comma); ``–`` without an assessment."""
    return "–" if score is None else f"{score:.2f}".replace(".", ",")


def frequency_text(category: str | None, score: Decimal | None) -> str:
    """The frequency in words for the register: 1a by score; basic period otherwise."""
    if category == CATEGORY_1A:
        return {1: "Hvert år", 2: "Hvert 2. år", 3: "Hvert 3. år"}[frequency_years(score)]
    if category == CATEGORY_1B:
        return "Basistilsyn hvert 3. år"
    if category == CATEGORY_2:
        return "Basistilsyn hvert 6. år"
    return "–"


@dataclass(frozen=True)
class Period:
    first: int
    last: int

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.first <= year <= self.last

    def __str__(self) -> str:
        return f"{self.first}–{self.last}"


def basic_period(category: str, year: int, *, anchor: int = PERIOD_ANCHOR_YEAR) -> Period:
    """The basic-inspection period of ``category`` that contains ``year``."""
    length = PERIOD_YEARS[category]
    first = anchor + length * ((year - anchor) // length)
    return Period(first, first + length - 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` ahead, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def start_up_due(started_on: dt.date) -> dt.date:
    """The last day for the physical start-up inspection: 3 months after operations started."""
    return add_months(started_on, START_UP_MONTHS)


# --- the annual plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class PastInspection:
    on: dt.date
    kind: str
    physical: bool = True


@dataclass(frozen=True)
class UnitFacts:
    """What the plan needs to know about one unit of the register."""

    key: int
    p_number: str
    category: str
    registered_on: dt.date
    score: Decimal | None = None
    start_up_required: bool = False  # bilag 2 of the approval order, or the machine-shop order
    started_on: dt.date | None = None
    inspections: tuple[PastInspection, ...] = ()


@dataclass(frozen=True)
class PlannedItem:
    key: int
    category: str
    kind: str
    why: str
    due_by: dt.date | None = None


@dataclass
class _Plan:
    items: list[PlannedItem] = field(default_factory=list)
    kinds: dict[int, set[str]] = field(default_factory=dict)

    def add(self, unit: UnitFacts, kind: str, why: str, due_by: dt.date | None = None) -> None:
        self.items.append(PlannedItem(unit.key, unit.category, kind, why, due_by))
        self.kinds.setdefault(unit.key, set()).add(kind)

    def has(self, unit: UnitFacts, kind: str | None = None) -> bool:
        kinds = self.kinds.get(unit.key, set())
        return bool(kinds) if kind is None else kind in kinds


def _priority_order(units: Iterable[UnitFacts]) -> list[UnitFacts]:
    """A priority list: weighted score highest first, units without a score last, then by
    P-number so the order is total and reproducible."""
    return sorted(
        units, key=lambda u: (u.score is None, -(u.score or Decimal(0)), u.p_number, u.key)
    )


def _last_regular_year(unit: UnitFacts, before: int) -> int | None:
    years = [i.on.year for i in unit.inspections if i.kind in REGULAR_KINDS and i.on.year < before]
    return max(years) if years else None


def _inspected_in(unit: UnitFacts, year: int, kinds: Iterable[str] | None = None) -> bool:
    wanted = set(kinds) if kinds is not None else None
    return any(i.on.year == year and (wanted is None or i.kind in wanted) for i in unit.inspections)


def _owes_basic(unit: UnitFacts, period: Period) -> bool:
    """Does the unit still owe its basic inspection in ``period``?

    A unit registered in the period's last year owes it from the next period on (too little
    of the period is left); a unit registered earlier in the period owes it in this one.
    """
    if unit.registered_on.year > period.last:
        return False
    if unit.registered_on.year == period.last and period.first != period.last:
        return False
    return not any(i.kind == BASIC and i.on.year in period for i in unit.inspections)


def _spread_order(unit: UnitFacts, year: int) -> tuple[int, int, Decimal, str, int]:
    last = _last_regular_year(unit, year)
    return (
        0 if last is None else 1,
        last or 0,
        -(unit.score or Decimal(0)),
        unit.p_number,
        unit.key,
    )


def annual_plan(
    units: Sequence[UnitFacts],
    year: int,
    *,
    category_2_floor_percent: int = CATEGORY_2_FLOOR_PERCENT,
    anchor: int = PERIOD_ANCHOR_YEAR,
    extra_prioritised: Mapping[str, int] | None = None,
) -> list[PlannedItem]:
    """The year's inspection plan for ``units`` (the active register), each item with why.

    In this order (each step sees what the earlier ones planned):

    1. **Start-up inspections** for bilag-2 units whose start-up inspection is due this year
       (3 months after operations started) or is overdue from last year and not done.
    2. **Category-1a frequency**: a 1a unit whose last regular inspection was ``frequency``
       or more years ago (or never) is due; it gets its basic inspection if it still owes one
       in the period, otherwise a prioritised one.
    3. **Basic inspections spread over the period**: of the units that still owe their basic
       inspection in the period (category 1a only in the period's last year: before that its
       frequency decides when it is visited), this year takes ``ceil(owing / years left in the period)``
       (so nothing is left for after the period's last year), counting those step 2 already
       planned; the rest are chosen longest-since-last-inspection first (never inspected
       first), then by score, then P-number.
    4. **Extra prioritised inspections** from the top of the 1a and 1b priority lists, as many
       as ``extra_prioritised`` asks for (resources allowing; none by default).
    5. **The category-2 floor**: at least ``ceil(25 % × category-2 units)`` category-2 units
       get a physical inspection in the year (planned ones, or physical ones already recorded
       this year); the rest are prioritised inspections from the top of the category-2 list.

    A unit never gets both a basic and a prioritised inspection in the same calendar year
    (steps 2, 4 and 5 skip units with a basic inspection planned or done this year).
    """
    plan = _Plan()
    by_category: dict[str, list[UnitFacts]] = {c: [] for c in CATEGORIES}
    for unit in units:
        if unit.registered_on.year <= year:
            by_category[unit.category].append(unit)
    ranks: dict[int, tuple[int, int]] = {}
    for members in by_category.values():
        ordered = _priority_order(members)
        for position, unit in enumerate(ordered, start=1):
            ranks[unit.key] = (position, len(ordered))
    register = [u for c in CATEGORIES for u in _priority_order(by_category[c])]

    # 1. Start-up inspections.
    for unit in register:
        if not unit.start_up_required or unit.started_on is None:
            continue
        if any(i.kind == START_UP for i in unit.inspections):
            continue
        due = start_up_due(unit.started_on)
        if due.year == year or (due.year == year - 1 and unit.started_on.year >= year - 1):
            late = " – overskredet, planlægges først i året" if due.year < year else ""
            plan.add(
                unit,
                START_UP,
                f"Opstartstilsyn senest {due:%d.%m.%Y} (drift startet {unit.started_on:%d.%m.%Y},"
                f" bilag 2-virksomhed){late}",
                due_by=due,
            )

    basic_done_this_year = {u.key for u in register if _inspected_in(u, year, kinds={BASIC})}

    # 2. Category-1a frequency.
    for unit in _priority_order(by_category[CATEGORY_1A]):
        frequency = frequency_years(unit.score)
        last = _last_regular_year(unit, year)
        if _inspected_in(unit, year, kinds=REGULAR_KINDS) or (
            last is not None and year - last < frequency
        ):
            continue
        score_text = (
            "uden risikovurdering endnu"
            if unit.score is None
            else f"med score {format_score(unit.score)}"
            + (" > 3,6" if frequency == 1 else " > 2,8 og ≤ 3,6" if frequency == 2 else " ≤ 2,8")
        )
        every = {1: "tilsyn hvert år", 2: "tilsyn hvert 2. år", 3: "tilsyn hvert 3. år"}[frequency]
        since = "intet tidligere tilsyn" if last is None else f"sidste tilsyn {last}"
        reason = f"Kategori 1a {score_text}: {every} ({since})"
        period = basic_period(CATEGORY_1A, year, anchor=anchor)
        if _owes_basic(unit, period):
            plan.add(unit, BASIC, f"{reason}; basistilsyn mangler i perioden {period}")
        else:
            position, total = ranks[unit.key]
            plan.add(unit, PRIORITISED, f"{reason}; nr. {position} af {total} på 1a-listen")

    # 3. Basic inspections, spread over the period.
    for group in ((CATEGORY_1A, CATEGORY_1B), (CATEGORY_2,)):
        period = basic_period(group[0], year, anchor=anchor)
        # Category 1a's timing is its frequency (step 2); it joins the spread only in the
        # period's last year, as the safety net for a basic inspection still missing.
        owing = [
            u
            for c in group
            if c != CATEGORY_1A or year == period.last
            for u in by_category[c]
            if _owes_basic(u, period) and u.key not in basic_done_this_year
        ]
        if not owing:
            continue
        years_left = period.last - year + 1
        quota = math.ceil(len(owing) / years_left)
        taken = sum(1 for u in owing if plan.has(u, BASIC))
        label = "kategori 1" if group[0] != CATEGORY_2 else "kategori 2"
        candidates = sorted(
            (u for u in owing if not plan.has(u, BASIC)), key=lambda u: _spread_order(u, year)
        )
        for unit in candidates:
            if taken >= quota:
                break
            taken += 1
            if year == period.last:
                why = f"Basistilsyn mangler i perioden {period}, som slutter i år"
            else:
                last = _last_regular_year(unit, year)
                since = "aldrig haft tilsyn" if last is None else f"sidste tilsyn {last}"
                why = (
                    f"Basistilsyn mangler i perioden {period}: {len(owing)} enheder i {label}"
                    f" mangler, {quota} planlægges i år ({years_left} år tilbage); {since}"
                )
            plan.add(unit, BASIC, why)

    # 4. Extra prioritised inspections from the 1a and 1b lists.
    for category in (CATEGORY_1A, CATEGORY_1B):
        wanted = (extra_prioritised or {}).get(category, 0)
        for unit in _priority_order(by_category[category]):
            if wanted <= 0:
                break
            if plan.has(unit) or unit.key in basic_done_this_year:
                continue
            position, total = ranks[unit.key]
            plan.add(
                unit,
                PRIORITISED,
                f"Prioriteret kategori {category} nr. {position} af {total} på listen"
                f" (score {format_score(unit.score)})",
            )
            wanted -= 1

    # 5. The category-2 floor.
    category_2 = _priority_order(by_category[CATEGORY_2])
    if category_2:
        floor = math.ceil(len(category_2) * category_2_floor_percent / 100)
        inspected = {
            u.key
            for u in category_2
            if plan.has(u) or any(i.on.year == year and i.physical for i in u.inspections)
        }
        count = len(inspected)
        for unit in category_2:
            if count >= floor:
                break
            if unit.key in inspected or unit.key in basic_done_this_year:
                continue
            position, total = ranks[unit.key]
            plan.add(
                unit,
                PRIORITISED,
                f"Prioriteret kategori 2 nr. {position} af {total} på listen"
                f" (score {format_score(unit.score)}): mindst {category_2_floor_percent} %"
                f" fysisk tilsyn ({floor} af {total})",
            )
            count += 1
    return plan.items
