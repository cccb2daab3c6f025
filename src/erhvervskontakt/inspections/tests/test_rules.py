"""The pure planning rules, against hand-made registers whose right plan is worked out in the
comments, plus hypothesis properties over random registers."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erhvervskontakt.inspections import rules
from erhvervskontakt.inspections.rules import (
    BASIC,
    PRIORITISED,
    START_UP,
    PastInspection,
    Period,
    UnitFacts,
    annual_plan,
    basic_period,
    frequency_years,
    weighted_score,
)

D = Decimal


def unit(
    key: int,
    category: str,
    *,
    score: str | None = None,
    registered: str = "2020-01-01",
    done: tuple[tuple[str, str], ...] = (),
    started_on: str | None = None,
    start_up: bool = False,
) -> UnitFacts:
    return UnitFacts(
        key=key,
        p_number=f"{1000000000 + key}",
        category=category,
        registered_on=dt.date.fromisoformat(registered),
        score=None if score is None else D(score),
        start_up_required=start_up,
        started_on=None if started_on is None else dt.date.fromisoformat(started_on),
        inspections=tuple(PastInspection(dt.date.fromisoformat(on), kind) for on, kind in done),
    )


def kinds(plan: list[rules.PlannedItem]) -> dict[int, set[str]]:
    result: dict[int, set[str]] = {}
    for item in plan:
        result.setdefault(item.key, set()).add(item.kind)
    return result


# --- weighted score and frequency --------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ((1, 1, 1, 1, 1), "1.00"),
        ((5, 5, 5, 5, 5), "5.00"),
        ((3, 3, 3, 3, 3), "3.00"),
        # 0.2·5 + 0.3·5 + 0.165·(1+1) + 0.17·1 = 1 + 1.5 + 0.33 + 0.17 = 3.00
        ((5, 5, 1, 1, 1), "3.00"),
        # 0.2·1 + 0.3·3 + 0.165·(5+3) + 0.17·5 = 0.2 + 0.9 + 1.32 + 0.85 = 3.27
        ((1, 3, 5, 3, 5), "3.27"),
        # 0.2·3 + 0.3·5 + 0.165·(1+3) + 0.17·1 = 0.6 + 1.5 + 0.66 + 0.17 = 2.93
        ((3, 5, 1, 3, 1), "2.93"),
        # 0.2·5 + 0.3·5 + 0.165·(5+3) + 0.17·3 = 1 + 1.5 + 1.32 + 0.51 = 4.33
        ((5, 5, 5, 3, 3), "4.33"),
    ],
)
def test_the_weighted_score_follows_the_order(scores, expected):
    assert weighted_score(*scores) == D(expected)


@given(st.tuples(*[st.sampled_from(rules.SCORES)] * 5))
def test_the_weighted_score_is_exact_to_two_places(scores):
    a, b, c, d, e = (D(x) for x in scores)
    exact = D("0.5") * (D("0.4") * a + D("0.6") * b) + D("0.5") * (
        D("0.33") * c + D("0.33") * d + D("0.34") * e
    )
    assert weighted_score(*scores) == exact  # no rounding ever happens
    assert D("1") <= exact <= D("5")


@pytest.mark.parametrize("bad", [0, 2, 4, 6, True, "3", None])
def test_a_parameter_must_be_one_three_or_five(bad):
    with pytest.raises(ValueError, match="must be 1, 3 or 5"):
        weighted_score(3, 3, bad, 3, 3)


@pytest.mark.parametrize(
    ("score", "years"),
    [("5.00", 1), ("3.61", 1), ("3.60", 2), ("2.81", 2), ("2.80", 3), ("1.00", 3), (None, 1)],
)
def test_the_1a_frequency_changes_exactly_at_3_6_and_2_8(score, years):
    assert frequency_years(None if score is None else D(score)) == years


# --- periods -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "year", "period"),
    [
        ("1a", 2024, Period(2024, 2026)),
        ("1a", 2026, Period(2024, 2026)),
        ("1b", 2027, Period(2027, 2029)),
        ("1a", 2023, Period(2021, 2023)),
        ("2", 2024, Period(2024, 2029)),
        ("2", 2029, Period(2024, 2029)),
        ("2", 2030, Period(2030, 2035)),
        ("2", 2023, Period(2018, 2023)),
    ],
)
def test_periods_are_counted_from_the_anchor_year(category, year, period):
    assert basic_period(category, year) == period
    assert str(period) == f"{period.first}–{period.last}"


def test_the_start_up_deadline_is_three_months_clamped_to_the_month_end():
    assert rules.start_up_due(dt.date(2026, 11, 30)) == dt.date(2027, 2, 28)
    assert rules.start_up_due(dt.date(2027, 1, 15)) == dt.date(2027, 4, 15)


# --- hand-made registers ------------------------------------------------------------------


def test_category_1_basic_inspections_are_spread_over_the_period():
    # Six 1b units, none inspected in 2027–2029. 2027 is the period's first year: 6 owing,
    # 3 years left → ceil(6/3) = 2, never-inspected first, then the oldest last inspection.
    register = [
        unit(1, "1b", done=(("2025-05-01", BASIC),)),
        unit(2, "1b"),
        unit(3, "1b", done=(("2024-05-01", BASIC),)),
        unit(4, "1b", done=(("2026-05-01", BASIC),)),
        unit(5, "1b"),
        unit(6, "1b", done=(("2026-02-01", BASIC),)),
    ]
    plan = annual_plan(register, 2027)
    assert [(i.key, i.kind) for i in plan] == [(2, BASIC), (5, BASIC)]
    assert plan[0].why.startswith("Basistilsyn mangler i perioden 2027–2029: 6 enheder")


def test_whatever_basic_is_missing_is_planned_in_the_periods_last_year():
    # 2029 is the last year of 2027–2029: all three units still owing get it, whatever the quota.
    register = [
        unit(1, "1b", done=(("2027-03-01", BASIC),)),
        unit(2, "1b", done=(("2026-03-01", BASIC),)),
        unit(3, "1b"),
        unit(4, "1b"),
    ]
    plan = annual_plan(register, 2029)
    assert {i.key for i in plan} == {2, 3, 4}
    assert all(i.why == "Basistilsyn mangler i perioden 2027–2029, som slutter i år" for i in plan)


def test_a_basic_inspection_in_the_previous_period_does_not_count():
    # Inspected in 2026 (period 2024–2026) → owes again in 2027–2029; one unit, 3 years → 1.
    plan = annual_plan([unit(1, "1b", done=(("2026-12-31", BASIC),))], 2027)
    assert [(i.key, i.kind) for i in plan] == [(1, BASIC)]


def test_a_unit_registered_mid_period_owes_its_basic_in_that_period():
    # Registered in 2028 (middle of 2027–2029): owes in 2027–2029; 2028 → 1 owing / 2 left → 1.
    assert [i.kind for i in annual_plan([unit(1, "1b", registered="2028-06-01")], 2028)] == [BASIC]


def test_a_unit_registered_in_the_periods_last_year_owes_from_the_next_period():
    register = [unit(1, "1b", registered="2029-03-01")]
    assert annual_plan(register, 2029) == []
    assert [i.kind for i in annual_plan(register, 2030)] == [BASIC]


def test_a_unit_registered_after_the_year_is_not_on_its_plan():
    assert annual_plan([unit(1, "1b", registered="2028-01-01")], 2027) == []


def test_1a_above_3_6_is_inspected_every_year():
    # Basic done 2027 → 2028 prioritised (frequency 1); the text says why.
    high = unit(1, "1a", score="3.80", done=(("2027-04-01", BASIC),))
    plan = annual_plan([high], 2028)
    assert [(i.kind, i.why) for i in plan] == [
        (
            PRIORITISED,
            "Kategori 1a med score 3,80 > 3,6: tilsyn hvert år (sidste tilsyn 2027);"
            " nr. 1 af 1 på 1a-listen",
        )
    ]


def test_1a_above_3_6_gets_one_basic_and_two_prioritised_in_three_years():
    history: list[tuple[str, str]] = []
    counts: Counter[str] = Counter()
    for year in (2027, 2028, 2029):
        plan = annual_plan([unit(1, "1a", score="4.33", done=tuple(history))], year)
        assert len(plan) == 1
        counts[plan[0].kind] += 1
        history.append((f"{year}-05-01", plan[0].kind))
    assert counts == {BASIC: 1, PRIORITISED: 2}


def test_1a_in_the_middle_band_is_inspected_every_second_year():
    middle = unit(1, "1a", score="3.27", done=(("2027-04-01", BASIC),))
    assert annual_plan([middle], 2028) == []
    plan = annual_plan([middle], 2029)
    assert [i.kind for i in plan] == [PRIORITISED]
    assert plan[0].why.startswith("Kategori 1a med score 3,27 > 2,8 og ≤ 3,6: tilsyn hvert 2. år")


def test_1a_at_2_8_is_inspected_every_third_year_by_its_basic_inspection():
    # Inspected 2026; every third year → due 2029, which is when its 2027–2029 basic falls.
    low = unit(1, "1a", score="2.80", done=(("2026-04-01", BASIC),))
    assert annual_plan([low], 2027) == []
    assert annual_plan([low], 2028) == []
    plan = annual_plan([low], 2029)
    assert [(i.kind, i.why) for i in plan] == [
        (
            BASIC,
            "Kategori 1a med score 2,80 ≤ 2,8: tilsyn hvert 3. år (sidste tilsyn 2026);"
            " basistilsyn mangler i perioden 2027–2029",
        )
    ]


def test_1a_still_missing_its_basic_in_the_last_year_gets_it():
    # Prioritised in 2028 (every second year) but no basic in 2027–2029: 2029 plans the basic.
    unit_ = unit(1, "1a", score="3.27", done=(("2026-03-01", BASIC), ("2028-03-01", PRIORITISED)))
    plan = annual_plan([unit_], 2029)
    assert [(i.kind, i.why) for i in plan] == [
        (BASIC, "Basistilsyn mangler i perioden 2027–2029, som slutter i år")
    ]


def test_category_2_gets_at_least_a_quarter_physically_from_the_top_of_the_list():
    # Ten category-2 units, all with a basic inspection done in the 2024–2029 period:
    # ceil(25 % × 10) = 3 prioritised, the three highest scores (ties by P-number).
    scores = ["1.00", "4.33", "3.27", "2.93", "4.33", "1.66", "3.00", "2.20", "1.80", "3.60"]
    register = [
        unit(i, "2", score=s, done=(("2025-05-01", BASIC),)) for i, s in enumerate(scores, 1)
    ]
    plan = annual_plan(register, 2027)
    assert [(i.key, i.kind) for i in plan] == [
        (2, PRIORITISED),
        (5, PRIORITISED),
        (10, PRIORITISED),
    ]
    assert plan[0].why == (
        "Prioriteret kategori 2 nr. 1 af 10 på listen (score 4,33): mindst 25 % fysisk tilsyn"
        " (3 af 10)"
    )
    assert plan[2].why.startswith("Prioriteret kategori 2 nr. 3 af 10 på listen (score 3,60)")


def test_category_2_basic_inspections_count_towards_the_floor():
    # Eight units, 2027 is year 4 of 2024–2029. Two owe basic: ceil(2/3) = 1 basic (the
    # never-inspected one). Floor ceil(8/4) = 2 → one prioritised from the top, skipping the
    # unit with the basic inspection.
    register = [unit(i, "2", score="3.00", done=(("2024-05-01", BASIC),)) for i in range(1, 7)]
    register += [
        unit(7, "2", score="5.00"),
        unit(8, "2", score="1.00", done=(("2022-01-01", BASIC),)),
    ]
    plan = annual_plan(register, 2027)
    assert [(i.key, i.kind) for i in plan] == [(7, BASIC), (1, PRIORITISED)]
    assert plan[1].why.startswith("Prioriteret kategori 2 nr. 2 af 8 på listen")


def test_a_unit_with_a_basic_inspection_this_year_gets_no_prioritised_one():
    register = [unit(i, "2", score="5.00") for i in (1, 2)]
    register[0] = unit(1, "2", score="5.00", done=(("2027-02-01", BASIC),))
    plan = annual_plan(register, 2027)
    # The floor is 1 and unit 1's basic inspection this year already meets it.
    assert plan == [] or all(i.key != 1 for i in plan)
    assert kinds(plan).get(1) is None


def test_start_up_inspection_within_three_months_of_starting_operations():
    register = [
        unit(1, "2", registered="2027-01-01", start_up=True, started_on="2027-05-10"),
        unit(
            2,
            "2",
            registered="2026-10-01",
            start_up=True,
            started_on="2026-11-30",
            done=(("2026-12-15", START_UP),),
        ),
        unit(3, "1b", registered="2026-10-01", start_up=True, started_on="2026-11-30"),
        unit(4, "2", registered="2026-10-01", start_up=False, started_on="2027-02-01"),
    ]
    plan = [i for i in annual_plan(register, 2027) if i.kind == START_UP]
    assert [(i.key, i.due_by) for i in plan] == [
        (3, dt.date(2027, 2, 28)),
        (1, dt.date(2027, 8, 10)),
    ]
    assert (
        plan[1].why
        == "Opstartstilsyn senest 10.08.2027 (drift startet 10.05.2027, bilag 2-virksomhed)"
    )


def test_extra_prioritised_from_the_1b_list_skip_units_already_planned():
    register = [
        unit(1, "1b", score="4.00", done=(("2027-01-10", BASIC),)),
        unit(2, "1b", score="3.00", done=(("2027-01-10", BASIC),)),
        unit(3, "1b", score="5.00", done=(("2027-01-10", BASIC),)),
    ]
    plan = annual_plan(register, 2028, extra_prioritised={"1b": 2})
    assert [(i.key, i.kind) for i in plan] == [(3, PRIORITISED), (1, PRIORITISED)]


# --- properties ---------------------------------------------------------------------------

YEARS = st.integers(min_value=2024, max_value=2032)


@st.composite
def registers(draw: st.DrawFn) -> list[UnitFacts]:
    count = draw(st.integers(min_value=0, max_value=40))
    result = []
    for key in range(1, count + 1):
        category = draw(st.sampled_from(rules.CATEGORIES))
        score = draw(st.none() | st.tuples(*[st.sampled_from(rules.SCORES)] * 5))
        registered = draw(st.dates(dt.date(2015, 1, 1), dt.date(2032, 12, 31)))
        done = draw(
            st.lists(
                st.tuples(
                    st.dates(dt.date(2015, 1, 1), dt.date(2032, 12, 31)),
                    st.sampled_from([BASIC, PRIORITISED, START_UP, rules.UNPLANNED]),
                    st.booleans(),
                ),
                max_size=4,
            )
        )
        start_up = draw(st.booleans())
        started = draw(st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2032, 12, 31)))
        result.append(
            UnitFacts(
                key=key,
                p_number=f"{1000000000 + key}",
                category=category,
                registered_on=registered,
                score=None if score is None else weighted_score(*score),
                start_up_required=start_up,
                started_on=started,
                inspections=tuple(
                    PastInspection(on, kind, physical) for on, kind, physical in done
                ),
            )
        )
    return result


@settings(max_examples=300, deadline=None)
@given(registers(), YEARS)
def test_never_a_basic_and_a_prioritised_inspection_of_one_unit_in_a_year(register, year):
    plan = annual_plan(register, year)
    for key, planned in kinds(plan).items():
        assert not {BASIC, PRIORITISED} <= planned, key
    pairs = [(i.key, i.kind) for i in plan]
    assert len(pairs) == len(set(pairs))
    basic_done = {
        u.key for u in register for i in u.inspections if i.kind == BASIC and i.on.year == year
    }
    assert not any(i.kind == PRIORITISED and i.key in basic_done for i in plan)


@settings(max_examples=300, deadline=None)
@given(registers(), YEARS)
def test_the_category_2_floor_is_met_whenever_there_are_enough_units(register, year):
    plan = annual_plan(register, year)
    category_2 = [u for u in register if u.category == "2" and u.registered_on.year <= year]
    floor = math.ceil(len(category_2) * 25 / 100)
    covered = {i.key for i in plan if i.category == "2"} | {
        u.key for u in category_2 for i in u.inspections if i.on.year == year and i.physical
    }
    eligible = {u.key for u in category_2} - {
        u.key for u in category_2 for i in u.inspections if i.kind == BASIC and i.on.year == year
    }
    assert len(covered) >= min(floor, len(covered | eligible))


@settings(max_examples=200, deadline=None)
@given(registers())
def test_following_the_plan_leaves_no_basic_inspection_missing_after_a_period(register):
    # Carry out each year's plan for 2027–2029 (category 1); by the end every category-1 unit
    # registered before 2029 has had its basic inspection in the period.
    units = {u.key: u for u in register}
    for year in (2027, 2028, 2029):
        for item in annual_plan(list(units.values()), year):
            u = units[item.key]
            units[item.key] = UnitFacts(
                **{
                    **u.__dict__,
                    "inspections": (*u.inspections, PastInspection(dt.date(year, 6, 1), item.kind)),
                }
            )
    for u in units.values():
        if u.category in ("1a", "1b") and u.registered_on.year < 2029:
            assert any(i.kind == BASIC and 2027 <= i.on.year <= 2029 for i in u.inspections), u


@settings(max_examples=100, deadline=None)
@given(
    st.tuples(*[st.sampled_from(rules.SCORES)] * 5),
    st.integers(min_value=2015, max_value=2026),
)
def test_following_the_plans_a_1a_unit_is_visited_as_often_as_its_score_says(scores, registered):
    score = weighted_score(*scores)
    facts = unit(1, "1a", registered=f"{registered}-03-01")
    facts = UnitFacts(**{**facts.__dict__, "score": score})
    visited = []
    for year in range(2027, 2036):
        plan = annual_plan([facts], year)
        assert len(plan) <= 1
        if plan:
            visited.append(year)
            done = (*facts.inspections, PastInspection(dt.date(year, 6, 1), plan[0].kind))
            facts = UnitFacts(**{**facts.__dict__, "inspections": done})
    gaps = {b - a for a, b in itertools.pairwise(visited)}
    assert visited[0] == 2027  # never inspected before
    assert gaps <= {frequency_years(score)}
    basics = [i.on.year for i in facts.inspections if i.kind == BASIC]
    assert {basic_period("1a", y) for y in basics} == {
        Period(2027, 2029),
        Period(2030, 2032),
        Period(2033, 2035),
    }
