"""National service targets met, per service type, as municipalities report them: cases
answered in the period, plus open cases whose target date has passed (missed).

Period: November 2026; today is Wednesday 2 December 2026. Service types with a national
target in the test catalogue: byggetilladelse-erhverv (50 days), miljoegodkendelse (130).
"""

from __future__ import annotations

import pytest

from erhvervskontakt.cases.models import CaseStatus
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.measures.selectors import service_target_cases, service_targets

from .conftest import NOVEMBER, d

pytestmark = pytest.mark.django_db

BUILD, ENV = "byggetilladelse-erhverv", "miljoegodkendelse"


def rows(f: MeasureFilter = NOVEMBER) -> dict[str, tuple[int, int, int, int | None]]:
    return {
        row.service_type.code: (row.met.count, row.missed.count, row.share.n, row.share.percent)
        for row in service_targets(f)
    }


def test_every_service_type_with_a_target_has_a_row_even_without_cases(catalogue, today):
    assert rows() == {BUILD: (0, 0, 0, None), ENV: (0, 0, 0, None)}


@pytest.fixture
def november(make_case, today):
    def answered(on, met, types=(BUILD,), target=None):
        return make_case(
            service_types=types,
            screened_on=d(9, 1),
            answered_on=on,
            service_target_date=target or d(12, 20),
            service_target_met=met,
        )

    return {
        "met": answered(d(11, 10), True),
        "missed": answered(d(11, 20), False, target=d(11, 15)),
        "both": answered(d(11, 15), True, types=(BUILD, ENV)),  # counts for both types
        "open_missed": make_case(
            service_types=[BUILD], screened_on=d(9, 1), service_target_date=d(11, 25)
        ),
        "open_not_yet": make_case(
            service_types=[BUILD], screened_on=d(9, 1), service_target_date=d(12, 10)
        ),
        "open_due_today": make_case(
            service_types=[ENV], screened_on=d(9, 1), service_target_date=d(12, 2)
        ),
        "october": answered(d(10, 30), False),
        "no_target": make_case(
            service_types=["udeservering"], screened_on=d(9, 1), answered_on=d(11, 10)
        ),
        "withdrawn": make_case(
            service_types=[BUILD],
            screened_on=d(9, 1),
            service_target_date=d(11, 20),
            status=CaseStatus.WITHDRAWN,
        ),
    }


def test_share_met_per_service_type(november):
    # Byggeri: met (met, both), missed (missed, open_missed) → 2 of 4 = 50 %.
    # Miljø: met (both) → 1 of 1 = 100 %. Udeservering has no national target: no row.
    assert rows() == {BUILD: (2, 2, 4, 50), ENV: (1, 0, 1, 100)}
    build = service_targets(NOVEMBER)[0]
    assert build.open_missed.count == 1


def test_open_cases_count_as_missed_only_once_the_target_date_has_passed(november):
    december = MeasureFilter(start=d(12, 1), end=d(12, 31))

    assert rows(december) == {BUILD: (0, 0, 0, None), ENV: (0, 0, 0, None)}


def test_filters_choose_the_service_types_shown(november, lars):
    def f(**filters: str) -> MeasureFilter:
        return MeasureFilter(start=d(11, 1), end=d(11, 30), **filters)

    assert rows(f(department="miljoe")) == {ENV: (1, 0, 1, 100)}
    assert rows(f(service_type=BUILD)) == {BUILD: (2, 2, 4, 50)}
    assert rows(f(department="vej")) == {}
    assert rows(f(coordinator="lars")) == {BUILD: (0, 0, 0, None), ENV: (0, 0, 0, None)}


def test_the_cases_behind_each_figure(november, hanne):
    def refs(code: str, outcome: str) -> set[str]:
        cases = service_target_cases(NOVEMBER, code, outcome, user=hanne)
        return set(cases.values_list("reference", flat=True))

    def of(*names: str) -> set[str]:
        return {november[n].reference for n in names}

    assert refs(BUILD, "met") == of("met", "both")
    assert refs(BUILD, "missed") == of("missed", "open_missed")
    assert refs(BUILD, "open_missed") == of("open_missed")
    assert refs(ENV, "all") == of("both")
