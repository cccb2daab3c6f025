"""Screening within the promise: hand-made cases whose right answer is worked out beside them.

Period: November 2026 by ``screening_due``; today is Wednesday 2 December 2026.
"""

from __future__ import annotations

import pytest

from erhvervskontakt.cases.models import CaseStatus
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.measures.selectors import screening, screening_cases

from .conftest import NOVEMBER, d

pytestmark = pytest.mark.django_db


def test_no_cases_gives_no_share_and_no_median(today):
    figures = screening(NOVEMBER)

    assert figures.due.count == 0
    assert figures.kept.n == 0
    assert figures.kept.percent is None
    assert figures.kept.ratio is None
    assert figures.working_days.n == 0
    assert figures.working_days.median is None
    assert figures.working_days.p80 is None


@pytest.fixture
def november(make_case, today):
    """Due in November: 4 on time, 2 late (one of them never screened), 1 withdrawn before
    screening (left out); and two due outside November."""
    return {
        # on time, on the due date itself and on the period's first and last day
        "first_day": make_case(
            screening_due=d(11, 1), screened_on=d(10, 30), screening_working_days=4
        ),
        "on_due": make_case(
            screening_due=d(11, 10), screened_on=d(11, 10), screening_working_days=5
        ),
        "early": make_case(
            screening_due=d(11, 16), screened_on=d(11, 11), screening_working_days=1
        ),
        "last_day": make_case(
            screening_due=d(11, 30), screened_on=d(11, 27), screening_working_days=3
        ),
        # late: screened two days after, and not screened at all with the date passed
        "late": make_case(screening_due=d(11, 12), screened_on=d(11, 16), screening_working_days=7),
        "never": make_case(screening_due=d(11, 25)),
        # left out: withdrawn before anyone screened it
        "withdrawn": make_case(screening_due=d(11, 20), status=CaseStatus.WITHDRAWN),
        # outside the period on either side
        "october": make_case(
            screening_due=d(10, 31), screened_on=d(11, 3), screening_working_days=9
        ),
        "december": make_case(
            screening_due=d(12, 1), screened_on=d(11, 30), screening_working_days=2
        ),
    }


def test_share_screened_within_the_promise_over_the_period(november, hanne):
    figures = screening(NOVEMBER)

    assert figures.due.count == 6
    assert figures.on_time.count == 4
    assert figures.late.count == 2  # a case never screened, due date passed: not on time
    assert figures.pending.count == 0
    assert (figures.kept.part, figures.kept.n, figures.kept.percent) == (4, 6, 67)
    # Working days to screening over the 5 screened: 1, 3, 4, 5, 7 → median 4;
    # 80th percentile at position 0.8 × 4 = 3.2: 5 + 0.2 × (7 − 5) = 5.4.
    assert figures.working_days.n == 5
    assert figures.working_days.median == 4
    assert figures.working_days.p80 == pytest.approx(5.4)


def test_a_case_not_yet_due_is_pending_never_on_time(make_case, today):
    period = MeasureFilter(start=d(11, 23), end=d(12, 31))
    make_case(screening_due=d(12, 2))  # due today: still pending
    make_case(screening_due=d(12, 4))
    make_case(screening_due=d(12, 1))  # due yesterday, not screened: late
    make_case(screening_due=d(12, 3), screened_on=d(12, 1), screening_working_days=2)

    figures = screening(period)

    assert figures.due.count == 4
    assert figures.pending.count == 2
    assert figures.on_time.count == 1
    assert figures.late.count == 1
    assert (figures.kept.part, figures.kept.n) == (1, 2)


def test_a_screened_case_withdrawn_later_still_counts(make_case, today):
    make_case(
        screening_due=d(11, 6),
        screened_on=d(11, 9),
        screening_working_days=6,
        status=CaseStatus.WITHDRAWN,
    )

    figures = screening(NOVEMBER)

    assert (figures.due.count, figures.late.count) == (1, 1)


def test_filters_by_department_service_type_and_coordinator(make_case, lars, today):
    # One case with two service types in two departments counts for both departments.
    make_case(
        service_types=["byggetilladelse-erhverv", "miljoegodkendelse"],
        screening_due=d(11, 10),
        screened_on=d(11, 9),
        screening_working_days=4,
    )
    make_case(
        service_types=["udeservering"],
        screening_due=d(11, 10),
        screened_on=d(11, 12),
        screening_working_days=7,
        coordinator=lars,
    )

    def kept(**filters: str) -> tuple[int, int]:
        share = screening(MeasureFilter(start=d(11, 1), end=d(11, 30), **filters)).kept
        return share.part, share.n

    assert kept() == (1, 2)
    assert kept(department="byggeri") == (1, 1)
    assert kept(department="miljoe") == (1, 1)
    assert kept(department="vej") == (0, 1)
    assert kept(department="erhverv") == (0, 0)
    assert kept(service_type="miljoegodkendelse") == (1, 1)
    assert kept(service_type="udeservering") == (0, 1)
    assert kept(coordinator="lars") == (0, 1)
    assert kept(coordinator="karen") == (1, 1)
    assert kept(department="byggeri", coordinator="lars") == (0, 0)


def test_the_cases_behind_each_figure_are_the_ones_counted(november, hanne):
    def refs(outcome: str) -> set[str]:
        return set(
            screening_cases(NOVEMBER, outcome, user=hanne).values_list("reference", flat=True)
        )

    on_time = {november[k].reference for k in ("first_day", "on_due", "early", "last_day")}
    late = {november[k].reference for k in ("late", "never")}
    assert refs("on_time") == on_time
    assert refs("late") == late
    assert refs("decided") == refs("due") == on_time | late
    assert refs("screened") == on_time | {november["late"].reference}
    assert refs("pending") == set()
