"""Processing times per service type for the public page: working days from receipt to
answer without the time spent waiting for the business, over the cases answered in the
period, and the share within the national target.
"""

from __future__ import annotations

import pytest

from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.measures.selectors import processing_cases, processing_times

from .conftest import NOVEMBER, d

pytestmark = pytest.mark.django_db

BUILD = "byggetilladelse-erhverv"


def table(f: MeasureFilter = NOVEMBER) -> dict[str, tuple]:
    return {
        row.service_type.code: (
            row.working_days.n,
            row.working_days.median,
            row.working_days.p80,
            row.within_target.part,
            row.within_target.n,
        )
        for row in processing_times(f)
    }


def test_every_active_service_type_has_a_row_with_n_zero_when_empty(catalogue, today):
    assert table() == {
        BUILD: (0, None, None, 0, 0),
        "miljoegodkendelse": (0, None, None, 0, 0),
        "udeservering": (0, None, None, 0, 0),
        "raadgivning": (0, None, None, 0, 0),
    }


def test_median_and_80th_percentile_per_service_type(make_case, today):
    def answered(on, screening, answer, paused=0, types=(BUILD,), met=None):
        return make_case(
            service_types=types,
            screened_on=d(10, 1),
            answered_on=on,
            screening_working_days=screening,
            answer_working_days=answer,
            paused_working_days=paused,
            service_target_met=met,
        )

    # Byggeri: 3+20 = 23, 2+30−10 = 22 (10 days waiting for the business left out),
    # 5+35 = 40, and 4+16 = 20 from the two-type case → 20, 22, 23, 40:
    # median 22.5; 80th percentile at 2.4: 23 + 0.4 × 17 = 29.8.
    answered(d(11, 3), 3, 20, met=True)
    answered(d(11, 30), 2, 30, paused=10, met=True)
    answered(d(11, 18), 5, 35, met=False)
    answered(d(11, 20), 4, 16, types=(BUILD, "miljoegodkendelse"), met=True)
    answered(d(10, 31), 1, 1, met=False)  # answered before the period
    answered(d(12, 1), 1, 1, met=False)  # and after it
    make_case(service_types=[BUILD], screened_on=d(11, 2))  # open: not answered
    answered(d(11, 5), 2, 8, types=("udeservering",))  # no national target

    rows = table()

    n, median, p80, met, with_target = rows[BUILD]
    assert (n, median, met, with_target) == (4, 22.5, 3, 4)
    assert p80 == pytest.approx(29.8)
    assert rows["miljoegodkendelse"] == (1, 20, 20, 1, 1)
    assert rows["udeservering"] == (1, 10, 10, 0, 0)  # no target: no share (n = 0)
    assert rows["raadgivning"] == (0, None, None, 0, 0)


def test_filters_and_the_cases_behind_a_row(make_case, hanne, today):
    case = make_case(
        service_types=[BUILD],
        screened_on=d(10, 1),
        answered_on=d(11, 10),
        screening_working_days=1,
        answer_working_days=9,
        service_target_met=True,
    )

    assert set(table(MeasureFilter(start=d(11, 1), end=d(11, 30), department="byggeri"))) == {BUILD}
    assert table(MeasureFilter(start=d(11, 1), end=d(11, 30), coordinator="lars"))[BUILD][0] == 0
    assert list(processing_cases(NOVEMBER, BUILD, user=hanne)) == [case]
    assert list(processing_cases(NOVEMBER, BUILD, "met", user=hanne)) == [case]
    assert list(processing_cases(NOVEMBER, "udeservering", user=hanne)) == []
