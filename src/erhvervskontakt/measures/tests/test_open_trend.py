"""The "Åbne sager nu" tile's last 12 months (issue 14, item 11): the backlog as it stood
at each month's end, read from when each case was received, answered or withdrawn."""

from __future__ import annotations

import pytest

from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.measures.trends import trends

from .conftest import at, d

pytestmark = pytest.mark.django_db


def test_the_open_cases_are_counted_at_each_months_end(today, make_case):
    make_case(received=d(8, 10), screened_on=d(8, 12), answered_on=d(10, 5))  # Aug–Sep
    make_case(received=d(9, 30), screened_on=d(10, 1))  # still open: Sep on
    make_case(received=d(10, 2), status="withdrawn", withdrawn_at=at(d(11, 3)))  # Oct only
    make_case(received=d(11, 30))  # Nov on
    make_case(received=d(10, 15), channel="inspection", screened_on=d(10, 15))  # not an inquiry
    make_case(received=d(12, 2))  # today: in the current month

    found = trends(MeasureFilter(start=d(1, 1), end=d(12, 31))).open_cases

    by_month = {p.month.month: p.n for p in found}
    assert found[0].month == d(1, 1) and len(found) == 12
    assert by_month == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 1, 9: 2, 10: 2, 11: 2, 12: 3}
