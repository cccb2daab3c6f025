"""Answers on or before the promise given at screening, the working days from screening to
answer, and how far the promises were off.

Period: November 2026 by ``promised_answer_date``; today is Wednesday 2 December 2026.
"""

from __future__ import annotations

import pytest

from erhvervskontakt.cases.models import CaseStatus
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.measures.selectors import answer_cases, answers

from .conftest import NOVEMBER, d

pytestmark = pytest.mark.django_db


def answered(make_case, promised, on, deviation, days, **extra):
    return make_case(
        screened_on=d(10, 20),
        promised_answer_date=promised,
        answered_on=on,
        estimate_deviation_working_days=deviation,
        answer_working_days=days,
        **extra,
    )


def test_no_cases_gives_no_share_and_no_median(today):
    figures = answers(NOVEMBER)

    assert figures.total.count == 0
    assert figures.kept.percent is None
    assert figures.working_days == figures.working_days.__class__(0, None, None, "answers.answered")
    assert [bucket.tally.count for bucket in figures.deviation] == [0, 0, 0, 0, 0]


@pytest.fixture
def november(make_case, today):
    return {
        "exact": answered(make_case, d(11, 10), d(11, 10), 0, 15),  # exactly on the estimate
        "early": answered(make_case, d(11, 12), d(11, 5), -5, 12),
        "a_bit_early": answered(make_case, d(11, 13), d(11, 11), -2, 16),
        "late": answered(make_case, d(11, 20), d(11, 23), 1, 24),
        "very_late": answered(make_case, d(11, 16), d(11, 27), 9, 28),
        # open: past the promise (late), and waiting for the business
        "open_late": make_case(screened_on=d(10, 20), promised_answer_date=d(11, 18)),
        "waiting": make_case(
            screened_on=d(10, 20),
            promised_answer_date=d(11, 25),
            paused_since=d(11, 20),
            status=CaseStatus.AWAITING_BUSINESS,
        ),
        "waiting_late": make_case(
            screened_on=d(10, 20),
            promised_answer_date=d(11, 19),
            paused_since=d(11, 24),
            status=CaseStatus.AWAITING_BUSINESS,
        ),
        # left out: withdrawn (no answer owed), promises outside November
        "withdrawn": make_case(
            screened_on=d(10, 20), promised_answer_date=d(11, 30), status=CaseStatus.WITHDRAWN
        ),
        "october": answered(make_case, d(10, 31), d(11, 2), 1, 9),
        "december": answered(make_case, d(12, 1), d(11, 30), -1, 30),
    }


def test_answers_on_time_late_and_open(november):
    figures = answers(NOVEMBER)

    assert figures.total.count == 8
    assert figures.answered.count == 5
    assert figures.on_time.count == 3  # exact, early, a bit early
    assert figures.answered_late.count == 2
    # Open cases are not yet answered (reported apart); those past the promise are late.
    assert figures.open.count == 3
    assert figures.open_late.count == 2  # open_late, and waiting_late (late before it waited)
    assert figures.pending.count == 1  # waiting: its promise moves when the material comes
    assert figures.late.count == 4
    assert (figures.kept.part, figures.kept.n, figures.kept.percent) == (3, 7, 43)


def test_median_and_80th_percentile_of_working_days_screening_to_answer(november):
    days = answers(NOVEMBER).working_days

    # 12, 15, 16, 24, 28: median 16; 80th percentile at 3.2: 24 + 0.2 × 4 = 24.8.
    assert (days.n, days.median) == (5, 16)
    assert days.p80 == pytest.approx(24.8)


def test_an_even_number_of_answers_has_a_half_median(make_case, today):
    answered(make_case, d(11, 10), d(11, 10), 0, 10)
    answered(make_case, d(11, 11), d(11, 11), 0, 13)

    days = answers(NOVEMBER).working_days

    assert (days.n, days.median) == (2, 11.5)
    assert days.p80 == pytest.approx(12.4)  # 10 + 0.8 × 3


def test_distribution_of_how_far_the_estimates_were_off(november):
    buckets = {b.code: (b.low, b.high, b.tally.count) for b in answers(NOVEMBER).deviation}

    assert buckets == {
        "early5": (None, -5, 1),  # −5
        "early": (-4, -1, 1),  # −2
        "exact": (0, 0, 1),  # answered exactly on the estimate
        "late": (1, 4, 1),  # +1
        "late5": (5, None, 1),  # +9
    }


def test_an_open_case_not_yet_due_is_pending(make_case, today):
    make_case(screened_on=d(11, 20), promised_answer_date=d(12, 2))  # due today: not late
    make_case(screened_on=d(11, 20), promised_answer_date=d(12, 1))  # yesterday: late

    figures = answers(MeasureFilter(start=d(11, 1), end=d(12, 31)))

    assert (figures.open.count, figures.pending.count, figures.open_late.count) == (2, 1, 1)
    assert (figures.kept.part, figures.kept.n) == (0, 1)


def test_filters_by_department_service_type_and_coordinator(make_case, lars, today):
    answered(
        make_case,
        d(11, 10),
        d(11, 9),
        -1,
        20,
        service_types=["byggetilladelse-erhverv", "miljoegodkendelse"],
    )
    answered(make_case, d(11, 10), d(11, 12), 2, 22, coordinator=lars)

    def kept(**filters: str) -> tuple[int, int]:
        share = answers(MeasureFilter(start=d(11, 1), end=d(11, 30), **filters)).kept
        return share.part, share.n

    assert kept() == (1, 2)
    assert kept(department="byggeri") == kept(department="miljoe") == (1, 1)
    assert kept(service_type="udeservering") == (0, 1)
    assert kept(coordinator="lars") == (0, 1)
    assert kept(department="vej", coordinator="karen") == (0, 0)


def test_the_cases_behind_each_figure(november, hanne):
    def refs(outcome: str) -> set[str]:
        return set(answer_cases(NOVEMBER, outcome, user=hanne).values_list("reference", flat=True))

    def of(*names: str) -> set[str]:
        return {november[n].reference for n in names}

    assert refs("on_time") == of("exact", "early", "a_bit_early")
    assert refs("late") == of("late", "very_late", "open_late", "waiting_late")
    assert refs("open") == of("open_late", "waiting", "waiting_late")
    assert refs("pending") == of("waiting")
    assert refs("deviation.exact") == of("exact")
    assert refs("deviation.late5") == of("very_late")
    assert refs("decided") == refs("on_time") | refs("late")
