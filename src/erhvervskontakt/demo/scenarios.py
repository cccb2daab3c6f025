"""The simulator's scenarios (issue 17): arrivals and durations fitted to published Danish
figures, departments with a capacity so that queues form.

The figures the scenarios are fitted to (net working days are calendar days × 5/7):

- building permits: median processing about 20–45 calendar days by type, with a heavy tail of
  complicated cases (Bolig- og Planstyrelsen's byggesagsbarometer; about 60 % met their
  service target nationally in 2023);
- environmental approval, bilag 2: median about 52 calendar days, a quarter complicated;
- road space (råden over vejareal): about 5 working days; an advice meeting about 3;
- 30 % of inquiries wait 5–20 working days for missing material;
- Poisson arrivals with a spring peak and a summer dip.

A department is a number of parallel slots (cases worked at once; at least ``min_slots``); a
case waits in its department's queue (first come, first served) for a slot, then takes its
work time. Each department's slots are set so that it is busy ``utilisation`` of the time at
the base rate: the queue is real, follows the seasons, and grows when arrivals outrun it
(``growing-backlog``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Arrivals by month (January first), mean 1: a spring peak, a summer dip.
SEASON = (0.9, 0.95, 1.1, 1.25, 1.2, 1.05, 0.6, 0.85, 1.05, 1.05, 1.05, 0.95)


@dataclass(frozen=True)
class TypeModel:
    """One service type's cases: their share of the arrivals, and their work time in working
    days (log-normal around ``median`` with ``sigma``; a share ``complicated`` of them take
    ``complication`` times as long: the heavy tail)."""

    code: str
    share: float
    median: float
    sigma: float = 0.45
    complicated: float = 0.1
    complication: float = 2.5
    with_road: float = 0.0  # share of these cases that also ask for road space


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    per_year: float
    types: tuple[TypeModel, ...]
    months: int = 12
    utilisation: float = 0.8
    min_slots: int = 4  # a department is at least a few people
    missing_share: float = 0.3
    missing_days: tuple[int, int] = (5, 20)
    # growing-backlog: arrivals × growth from this month (1-based) on
    growth_from_month: int | None = None
    growth: float = 1.0
    # step-change: one department's work times × step_factor from this month on (its slots
    # too, so its queue keeps its length: the cases themselves take longer)
    step_department: str | None = None
    step_month: int | None = None
    step_factor: float = 2.0
    # the months promises are scored in (1-based, inclusive): fit on the ones before
    score_from_month: int = 10
    extra: dict[str, float] = field(default_factory=dict)


BUILDING = TypeModel(
    "byggetilladelse-simpel", 0.28, 14, sigma=0.3, complicated=0.12, complication=2.2
)
INDUSTRY = TypeModel(
    "byggetilladelse-industri-lager",
    0.12,
    22,
    sigma=0.3,
    complicated=0.15,
    complication=2.2,
    with_road=0.3,
)
ENVIRONMENT = TypeModel(
    "miljoegodkendelse-bilag-2", 0.06, 30, sigma=0.35, complicated=0.25, complication=2.0
)
ROAD = TypeModel("raaden-over-vejareal", 0.2, 4, sigma=0.35, complicated=0.05, complication=2.0)
SEATING = TypeModel("udeservering", 0.12, 5, sigma=0.35, complicated=0.05, complication=2.0)
ADVICE = TypeModel("afklaringsmoede", 0.22, 2, sigma=0.3, complicated=0.0)

ODENSE_TYPES = (BUILDING, INDUSTRY, ENVIRONMENT, ROAD, SEATING, ADVICE)

ODENSE = Scenario(
    name="odense",
    description="About 600 inquiries a year, steady: Odense's Erhvervskontakt.",
    per_year=600,
    types=ODENSE_TYPES,
)

SCENARIOS: dict[str, Scenario] = {
    "odense": ODENSE,
    "growing-backlog": replace(
        ODENSE,
        name="growing-backlog",
        description="Arrivals +30 % from month 6; the departments' capacity stays (busy 88 % "
        "of the time before, so the queues grow after).",
        utilisation=0.88,
        growth_from_month=6,
        growth=1.3,
    ),
    "step-change": replace(
        ODENSE,
        name="step-change",
        description="The road department's times double in month 7 (promises of days).",
        step_department="vej-og-park",
        step_month=7,
    ),
    "step-change-building": replace(
        ODENSE,
        name="step-change-building",
        description="The building department's times double in month 7 (promises of weeks).",
        step_department="byggeri",
        step_month=7,
    ),
    "thin": replace(
        ODENSE,
        name="thin",
        description="Odense, plus a service type with 5 cases a year (landzonetilladelse).",
        types=(*ODENSE_TYPES, TypeModel("landzonetilladelse", 5 / 605, 20)),
        per_year=605,
    ),
    "national": replace(
        ODENSE,
        name="national",
        description="The volume of 98 municipalities in one installation (about 60,000 "
        "inquiries a year), for speed: the departments scale with it (busy 80 % as in odense).",
        per_year=60_000,
    ),
}
