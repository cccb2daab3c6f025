"""How well the promises held: matured promises only, against the original promise, with
the Wilson interval, slack, lateness and promise ÷ median; per service type, month, basis.

Today is Wednesday 2 December 2026.
"""

from __future__ import annotations

import pytest
from statsmodels.stats.proportion import proportion_confint

from erhvervskontakt.cases.models import CaseStatus
from erhvervskontakt.measures.accuracy import months_of, promise_accuracy
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.measures.selectors import accuracy_cases, answers, cases_behind

from .conftest import NOVEMBER, d

pytestmark = pytest.mark.django_db

AUTUMN = MeasureFilter(start=d(10, 1), end=d(12, 31))


def answered(make_case, promised, on, deviation, days, basis="history", **extra):
    return make_case(
        screened_on=d(9, 20),
        promised_answer_date=promised,
        estimate_at_screening=promised,
        estimate_basis={"basis": basis} if basis else {},
        answered_on=on,
        estimate_deviation_working_days=deviation,
        answer_working_days=days,
        **extra,
    )


@pytest.fixture
def promises(make_case, today):
    return {
        # November, road space: two kept (slack 3 and 1), one broken (2 days late)
        "early": answered(make_case, d(11, 10), d(11, 5), -3, 7),
        "just": answered(make_case, d(11, 12), d(11, 11), -1, 9),
        "late": answered(make_case, d(11, 16), d(11, 18), 2, 12),
        # November, building permit, fixed-target promise: kept 5 days early
        "building": answered(
            make_case,
            d(11, 20),
            d(11, 13),
            -5,
            30,
            basis="fixed",
            service_types=["byggetilladelse-erhverv"],
        ),
        # October: open past its promise (broken, no lateness yet), promised before learning
        "open_late": make_case(
            screened_on=d(9, 20), promised_answer_date=d(10, 20), estimate_basis={}
        ),
        # Not matured: answered early with the date still to come; open not yet due; waiting
        # since before its date (its promise moves); withdrawn.
        "early_future": answered(make_case, d(12, 10), d(11, 30), -7, 20),
        "pending": make_case(screened_on=d(11, 20), promised_answer_date=d(12, 4)),
        "waiting": make_case(
            screened_on=d(10, 20),
            promised_answer_date=d(11, 25),
            paused_since=d(11, 20),
            status=CaseStatus.AWAITING_BUSINESS,
        ),
        "withdrawn": make_case(
            screened_on=d(10, 20), promised_answer_date=d(11, 5), status=CaseStatus.WITHDRAWN
        ),
    }


def test_only_matured_promises_are_scored(promises):
    overall = promise_accuracy(AUTUMN).overall

    assert (overall.kept.part, overall.kept.n, overall.missed) == (3, 5, 2)
    # The dashboard's answers count the early answer whose date is still to come as kept;
    # accuracy waits for the date.
    assert answers(AUTUMN).kept.part == 4


def test_the_interval_is_wilsons(promises):
    overall = promise_accuracy(AUTUMN).overall

    low, high = proportion_confint(3, 5, alpha=0.05, method="wilson")
    assert (overall.low, overall.high) == (pytest.approx(low), pytest.approx(high))
    assert (overall.low_percent, overall.high_percent) == (round(100 * low), round(100 * high))


def test_slack_lateness_and_promise_per_median(promises):
    overall = promise_accuracy(AUTUMN).overall

    # Kept: 3, 1, 5 days early → median 3. Broken and answered: 2 days late.
    assert (overall.slack.n, overall.slack.median) == (3, 3)
    assert (overall.lateness.n, overall.lateness.median) == (1, 2)
    # Promised working days (answer − deviation): 10, 10, 10, 35 → 10; actual 7, 9, 12, 30 → 10.5
    assert overall.promised.median == 10
    assert overall.actual.median == 10.5
    assert overall.promise_per_median == pytest.approx(0.95)


def test_per_service_type(promises):
    rows = {row.service_type.code: row.accuracy for row in promise_accuracy(AUTUMN).by_service_type}

    assert set(rows) == {"udeservering", "byggetilladelse-erhverv"}
    road = rows["udeservering"]
    assert (road.kept.part, road.kept.n) == (2, 4)  # early, just; late and open_late broken
    assert road.slack.median == 2
    assert (rows["byggetilladelse-erhverv"].kept.part, rows["byggetilladelse-erhverv"].kept.n) == (
        1,
        1,
    )


def test_a_case_with_two_service_types_counts_for_each(make_case, today):
    answered(
        make_case,
        d(11, 10),
        d(11, 9),
        -1,
        20,
        service_types=["byggetilladelse-erhverv", "miljoegodkendelse"],
    )

    accuracy = promise_accuracy(NOVEMBER)
    rows = {row.service_type.code: row.accuracy.kept.n for row in accuracy.by_service_type}

    assert rows == {"byggetilladelse-erhverv": 1, "miljoegodkendelse": 1}
    assert accuracy.overall.kept.n == 1


def test_per_month_in_the_order_of_the_period(promises):
    months = promise_accuracy(AUTUMN).by_month

    assert [m.month for m in months] == [d(10, 1), d(11, 1), d(12, 1)]
    assert [(m.accuracy.kept.part, m.accuracy.kept.n) for m in months] == [(0, 1), (3, 4), (0, 0)]
    november = months[1].accuracy
    assert (november.promised.median, november.actual.median) == (10, 10.5)
    assert months[2].accuracy.low is None  # nothing matured: no interval, never 0 %


def test_per_basis(promises):
    bases = {row.basis: row.accuracy.kept for row in promise_accuracy(AUTUMN).by_basis}

    assert {b: (s.part, s.n) for b, s in bases.items()} == {
        "history": (2, 3),
        "fixed": (1, 1),
        "": (0, 1),  # promised before the promises were learned
    }


def test_the_figures_and_the_cases_behind_them_agree(promises, hanne):
    accuracy = promise_accuracy(AUTUMN)

    kept = accuracy_cases(AUTUMN, "kept", user=hanne)
    assert set(kept) == {promises["early"], promises["just"], promises["building"]}
    assert cases_behind(AUTUMN, "accuracy.matured", user=hanne).count() == accuracy.overall.kept.n
    missed = set(cases_behind(AUTUMN, "accuracy.missed", user=hanne))
    assert missed == {promises["late"], promises["open_late"]}
    road = MeasureFilter(start=AUTUMN.start, end=AUTUMN.end, service_type="udeservering")
    assert cases_behind(road, "accuracy.kept", user=hanne).count() == 2


def test_an_unknown_outcome_is_refused(hanne, today):
    from erhvervskontakt.common.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        cases_behind(AUTUMN, "accuracy.everything", user=hanne)


def test_the_filters_service_type_leaves_its_companions_out(make_case, today):
    answered(
        make_case,
        d(11, 10),
        d(11, 9),
        -1,
        20,
        service_types=["byggetilladelse-erhverv", "miljoegodkendelse"],
    )
    f = MeasureFilter(start=NOVEMBER.start, end=NOVEMBER.end, service_type="miljoegodkendelse")

    rows = promise_accuracy(f).by_service_type

    assert [row.service_type.code for row in rows] == ["miljoegodkendelse"]


def test_months_of_a_long_period_are_capped():
    assert len(months_of(MeasureFilter(start=d(1, 1, 2000), end=d(12, 31, 2026)))) == 61
    assert months_of(MeasureFilter(start=d(1, 31), end=d(2, 1))) == [d(1, 1), d(2, 1)]


def test_query_count_does_not_grow_with_the_cases(make_case, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            promise_accuracy(AUTUMN)
        return len(captured)

    answered(make_case, d(11, 2), d(11, 2), 0, 10)
    few = queries()
    for i in range(12):
        answered(make_case, d(10, 2 + i), d(10, 3 + i), 1, 10 + i, basis="group")
        answered(make_case, d(11, 2 + i), d(11, 2 + i), 0, 10, service_types=["raadgivning"])
    assert queries() == few
    # PostgreSQL: one query per figure set and the service types; SQLite one more per median.
    assert few <= (12 if connection.vendor == "postgresql" else 24)
