"""A combination of service types with a history of its own is promised from it: the worker
learns it (at least 30 answers), screening promises it where it is later than the latest of
its types' dates, says so in the basis, and a rare combination keeps its types' dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases import promises
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.estimates.combinations import combination_promise, learnable_combinations
from erhvervskontakt.estimates.models import PromiseEstimate
from erhvervskontakt.estimates.services import promise_estimates_refresh

from .conftest import answered_history, at, screened_case

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 5)
REFRESHED = dt.date(2026, 6, 1)
BOTH = ("udeservering", "raadgivning")


def combined_history(owner: Any, business: Any, staff: Any, count: int) -> None:
    """``count`` cases asking for outdoor seating and advice together, each answered 15..24
    working days after screening: slower than either alone."""
    calendar = working_calendar()
    for number in range(count):
        screened = calendar.add_working_days(START, number)
        case = screened_case(owner, business, staff, screened, BOTH)
        with at(calendar.add_working_days(screened, 15 + number % 10)):
            case_record_decision(case=case, actor=staff, summary="Tilladelse givet.")


def key(catalogue: dict[str, ServiceType]) -> str:
    ids = sorted(catalogue[code].pk for code in BOTH)
    return "|" + "|".join(map(str, ids)) + "|"


def test_a_combination_with_its_own_history_is_learned_and_promised(
    catalogue, owner, business, karen
):
    answered_history(owner, business, karen, start=START, count=40)  # outdoor seating alone
    combined_history(owner, business, karen, 35)

    promise_estimates_refresh(as_of=REFRESHED)

    row = PromiseEstimate.objects.get(combination=key(catalogue))
    assert row.service_type is None
    assert (row.basis, row.cases, row.answered) == ("combination", 35, 35)
    assert row.working_days >= 23  # 9 in 10 of 15..24
    alone = PromiseEstimate.objects.get(service_type=catalogue["udeservering"])
    assert alone.working_days <= 12  # outdoor seating alone: 3..12, not lengthened

    case = screened_case(owner, business, karen, REFRESHED, BOTH)

    calendar = working_calendar()
    assert case.estimate_at_screening == calendar.add_working_days(REFRESHED, row.working_days)
    assert case.estimate_basis["basis"] == "combination"
    assert case.estimate_basis["cases"] == 35
    # The slowest part's line carries the combination's date; the other keeps its own.
    lines = {
        d.service_type.code: d.due_date for d in case.deliverables.filter(party="municipality")
    }
    assert max(lines.values()) == case.estimate_at_screening
    assert case.events.filter(kind="estimate_set", text__contains="de samme ydelsers").exists()


def test_the_business_reads_why_in_one_sentence(catalogue, owner, business, karen):
    combined_history(owner, business, karen, 35)
    promise_estimates_refresh(as_of=REFRESHED)
    case = screened_case(owner, business, karen, REFRESHED, BOTH)
    client = Client()
    client.force_login(owner)

    with at(REFRESHED):
        page = client.get(f"/sager/{case.reference}/").content.decode()

    assert "9 ud af 10 lignende sager de seneste 12 måneder blev besvaret inden for" in page


def test_a_combination_too_rare_to_learn_from_keeps_its_types_dates(
    catalogue, owner, business, karen
):
    answered_history(owner, business, karen, start=START, count=40)
    combined_history(owner, business, karen, 29)

    promise_estimates_refresh(as_of=REFRESHED)

    assert not PromiseEstimate.objects.exclude(combination="").exists()
    case = screened_case(owner, business, karen, REFRESHED, BOTH)
    assert case.estimate_basis["basis"] != "combination"


def test_a_combination_faster_than_its_slowest_part_does_not_shorten_the_promise(
    catalogue, owner, business, karen
):
    promise_estimates_refresh(as_of=REFRESHED)
    ids = sorted(catalogue[code].pk for code in BOTH)
    PromiseEstimate.objects.create(
        combination=key(catalogue),
        computed_at=dt.datetime(2026, 6, 1, 5, tzinfo=dt.UTC),
        as_of=REFRESHED,
        working_days=1,
        basis="combination",
        confidence=0.9,
        miss_rate=0.1,
        window_months=12,
        cases=40,
        answered=40,
    )
    assert combination_promise(ids) is not None

    proposal = promises.propose(REFRESHED, [catalogue[code] for code in BOTH], working_calendar())

    assert proposal.governing is not None and proposal.governing.basis != "combination"
    assert proposal.estimate == max(proposal.line_dates.values())


def test_only_combinations_of_active_types_with_30_answers_are_learnable(
    catalogue, owner, business, karen
):
    combined_history(owner, business, karen, 30)
    active = {st.pk for st in ServiceType.objects.filter(active=True)}

    assert learnable_combinations(as_of=REFRESHED, window_months=12, active_type_ids=active) == [
        key(catalogue)
    ]
    active.discard(catalogue["raadgivning"].pk)
    assert learnable_combinations(as_of=REFRESHED, window_months=12, active_type_ids=active) == []
    # One type alone is never a combination.
    assert combination_promise([catalogue["udeservering"].pk]) is None
