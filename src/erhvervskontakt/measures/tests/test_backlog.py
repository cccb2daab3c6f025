"""The backlog now: open cases by state and age, overdue deliverables by party, coordinator
workload. The filter's period is ignored; today is Wednesday 2 December 2026.
"""

from __future__ import annotations

import pytest

from erhvervskontakt.cases.models import CaseStatus, Deliverable
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.measures.selectors import backlog, backlog_cases

from .conftest import NOVEMBER, at, d

pytestmark = pytest.mark.django_db


def deliverable(case, party, due, status=Deliverable.Status.PENDING):
    return Deliverable.objects.create(
        case=case, party=party, title="Noget", due_date=due, status=status, created_at=at(d(9, 1))
    )


@pytest.fixture
def open_cases(make_case, lars, today):
    cases = {
        "new": make_case(received=d(12, 1), screening_due=d(12, 8)),
        "unscreened_late": make_case(received=d(11, 20), screening_due=d(11, 27)),
        "old_late": make_case(
            received=d(10, 1), screened_on=d(10, 2), estimated_answer_date=d(11, 30)
        ),
        "week_old": make_case(
            received=d(11, 25), screened_on=d(11, 26), estimated_answer_date=d(12, 20)
        ),
        "waiting": make_case(
            received=d(8, 1),
            screened_on=d(8, 3),
            estimated_answer_date=d(12, 30),
            paused_since=d(8, 3),
            status=CaseStatus.AWAITING_BUSINESS,
            coordinator=lars,
        ),
        "closed": make_case(received=d(9, 1), screened_on=d(9, 2), answered_on=d(10, 1)),
    }
    deliverable(cases["waiting"], Deliverable.Party.BUSINESS, d(11, 30))
    deliverable(cases["old_late"], Deliverable.Party.MUNICIPALITY, d(11, 30))
    deliverable(cases["old_late"], Deliverable.Party.MUNICIPALITY, d(12, 20))  # not yet due
    deliverable(
        cases["week_old"], Deliverable.Party.BUSINESS, d(11, 27), Deliverable.Status.DELIVERED
    )
    deliverable(cases["closed"], Deliverable.Party.BUSINESS, d(9, 20))  # case is closed
    return cases


def test_no_open_cases(today):
    figures = backlog(NOVEMBER)

    assert figures.open.count == 0
    assert [row.total.count for row in figures.by_status] == [0, 0, 0]
    assert {p: t.count for p, t in figures.overdue_deliverables.items()} == {
        "business": 0,
        "municipality": 0,
    }
    assert figures.workload == ()


def test_open_cases_by_state_and_age(open_cases):
    figures = backlog(NOVEMBER)

    assert figures.open.count == 5
    table = {row.status: [t.count for t in row.by_age] for row in figures.by_status}
    # Age buckets 0–7, 8–30, 31–90, 91+ days since the local receipt date; received
    # 25 November is 7 days old today (the first bucket's edge).
    assert table == {
        CaseStatus.RECEIVED: [1, 1, 0, 0],
        CaseStatus.IN_PROGRESS: [1, 0, 1, 0],
        CaseStatus.AWAITING_BUSINESS: [0, 0, 0, 1],
    }


def test_overdue_deliverables_by_party(open_cases):
    figures = backlog(NOVEMBER)

    assert {p: t.count for p, t in figures.overdue_deliverables.items()} == {
        "business": 1,
        "municipality": 1,
    }
    assert figures.overdue_deliverable_cases == {"business": 1, "municipality": 1}


def test_coordinator_workload_with_overdue(open_cases):
    workload = [
        (row.coordinator.username if row.coordinator else None, row.open.count, row.overdue.count)
        for row in backlog(NOVEMBER).workload
    ]

    assert workload == [("karen", 2, 1), ("lars", 1, 1), (None, 2, 1)]


def test_the_period_is_ignored_and_the_filters_apply(open_cases):
    far_away = MeasureFilter(start=d(1, 1, 2020), end=d(1, 31, 2020))

    assert backlog(far_away).open.count == 5
    assert backlog(MeasureFilter(start=d(1, 1), end=d(1, 2), coordinator="lars")).open.count == 1
    assert backlog(MeasureFilter(start=d(1, 1), end=d(1, 2), department="miljoe")).open.count == 0


def test_the_cases_behind_each_figure(open_cases, hanne):
    def refs(**what) -> set[str]:
        return set(backlog_cases(NOVEMBER, user=hanne, **what).values_list("reference", flat=True))

    def of(*names: str) -> set[str]:
        return {open_cases[n].reference for n in names}

    assert refs() == of("new", "unscreened_late", "old_late", "week_old", "waiting")
    assert refs(status=CaseStatus.IN_PROGRESS, age="0-7") == of("week_old")
    assert refs(coordinator="-") == of("new", "unscreened_late")
    assert refs(coordinator="karen", overdue=True) == of("old_late")
    assert refs(party="business") == of("waiting")
