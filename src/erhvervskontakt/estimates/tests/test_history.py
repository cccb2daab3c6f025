"""The sample a promise is learned from, read from real cases made by the real services with
the clock travelled: answered cases are events at their net working days, open ones censored
at their age, withdrawn ones and those screened before the window left out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.lifecycle import case_withdraw
from erhvervskontakt.estimates.promise import promise_days
from erhvervskontakt.estimates.selectors import answer_history, months_before
from erhvervskontakt.estimates.survival import kaplan_meier

from .conftest import at, screened_case

pytestmark = pytest.mark.django_db


def test_answered_cases_are_events_and_open_ones_censored_at_their_age(
    catalogue: Any, owner: Any, business: Any, karen: Any
) -> None:
    answered = screened_case(owner, business, karen, "2026-03-02")
    with at("2026-03-16"):
        case_record_decision(case=answered, actor=karen, summary="Tilladelse givet.")
    screened_case(owner, business, karen, "2026-03-02")  # still open
    withdrawn = screened_case(owner, business, karen, "2026-03-03")
    with at("2026-03-04"):
        case_withdraw(case=withdrawn, actor=owner, reason="Ikke aktuelt")
    screened_case(owner, business, karen, "2025-01-05")  # before the window

    calendar = working_calendar()
    with CaptureQueriesContext(connection) as queries:
        history = answer_history(as_of=dt.date(2026, 3, 30), calendar=calendar)

    assert len(queries) == 1
    assert sorted(zip(history.durations.tolist(), history.observed.tolist(), strict=True)) == [
        (10.0, True),
        (20.0, False),
    ]
    assert history.window_start == dt.date(2025, 3, 30)
    udeservering = catalogue["udeservering"].pk
    same = answer_history(
        as_of=dt.date(2026, 3, 30), calendar=calendar, service_type_ids=[udeservering]
    )
    assert len(same.durations) == 2
    other = [st.pk for code, st in catalogue.items() if code != "udeservering"]
    assert (
        len(
            answer_history(
                as_of=dt.date(2026, 3, 30), calendar=calendar, service_type_ids=other
            ).durations
        )
        == 0
    )
    # The curve from it: one of two answered at 10, the other still open at 20.
    curve = kaplan_meier(history.durations, history.observed)
    assert curve.at(10) == 0.5 and promise_days(curve, confidence=0.9) is None


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-03-30", 12, "2025-03-30"),
        ("2026-03-31", 1, "2026-02-28"),
        ("2024-03-31", 1, "2024-02-29"),
        ("2026-01-15", 1, "2025-12-15"),
        ("2026-01-15", 25, "2023-12-15"),
    ],
)
def test_months_before(day: str, months: int, expected: str) -> None:
    assert months_before(dt.date.fromisoformat(day), months) == dt.date.fromisoformat(expected)


def test_a_case_with_several_service_types_belongs_to_its_combination_not_to_each_type(
    catalogue: Any, owner: Any, business: Any, karen: Any
) -> None:
    alone = screened_case(owner, business, karen, "2026-03-02")
    both = screened_case(owner, business, karen, "2026-03-02", ("udeservering", "raadgivning"))
    with at("2026-03-09"):
        case_record_decision(case=alone, actor=karen, summary="Tilladelse givet.")
    with at("2026-04-20"):
        case_record_decision(case=both, actor=karen, summary="Tilladelse givet.")

    for code in ("udeservering", "raadgivning"):
        history = answer_history(
            as_of=dt.date(2026, 5, 1),
            calendar=working_calendar(),
            service_type_ids=[catalogue[code].pk],
        )
        expected = [5.0] if code == "udeservering" else []
        assert history.durations.tolist() == expected  # the slow combination is in neither
