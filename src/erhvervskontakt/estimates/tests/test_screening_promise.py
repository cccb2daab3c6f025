"""Where the learned promise shows: screening proposes it and stores its basis, the original
promise stays when the date moves, the business reads one plain sentence of why (Danish and
English), the workbench shows P50, P90, basis and queue, and the API carries both fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases.models import Event
from erhvervskontakt.cases.services.plan import case_set_estimate
from erhvervskontakt.estimates.services import promise_estimates_refresh
from erhvervskontakt.testing.html import text

from .conftest import answered_history, at, screened_case, submitted_case

pytestmark = pytest.mark.django_db

HISTORY_START = dt.date(2026, 1, 5)
TODAY = dt.date(2026, 6, 1)  # a Monday


@pytest.fixture
def learned(catalogue: Any, owner: Any, business: Any, karen: Any) -> Any:
    """40 answered outdoor-seating cases (3..12 working days), then the worker's refresh."""
    answered_history(owner, business, karen, start=HISTORY_START, count=40)
    rows = promise_estimates_refresh(as_of=TODAY)
    return next(row for row in rows if row.service_type.code == "udeservering")


def test_screening_proposes_the_learned_date_and_keeps_its_basis(
    learned: Any, owner: Any, business: Any, karen: Any
) -> None:
    assert learned.basis == "history" and learned.working_days != 5  # not the fixed target

    case = screened_case(owner, business, karen, TODAY)

    calendar = working_calendar()
    assert case.estimated_answer_date == calendar.add_working_days(TODAY, learned.working_days)
    assert case.estimate_at_screening == case.estimated_answer_date
    basis = case.estimate_basis
    assert basis["basis"] == "history" and basis["service_type"] == "udeservering"
    assert (basis["cases"], basis["answered"], basis["window_months"]) == (40, 40, 12)
    assert (basis["p50"], basis["p90"]) == (learned.p50, learned.p90)
    assert basis["working_days"] == learned.working_days
    assert basis["lines"] == {
        "udeservering": {"working_days": learned.working_days, "basis": "history"}
    }
    said = Event.objects.get(case=case, kind="estimate_set").text
    assert f"{learned.working_days} arbejdsdage efter screeningen" in said
    assert "lært af ydelsens egne 40 sager de seneste 12 måneder" in said
    plan_line = case.deliverables.get(party="municipality")
    assert plan_line.due_date == case.estimated_answer_date


def test_without_a_learned_row_the_fixed_target_is_promised_and_says_so(
    catalogue: Any, owner: Any, business: Any, karen: Any
) -> None:
    case = screened_case(owner, business, karen, TODAY)

    target = catalogue["udeservering"].target_working_days
    assert case.estimated_answer_date == working_calendar().add_working_days(TODAY, target)
    assert case.estimate_basis["basis"] == "fixed"
    assert case.estimate_basis["working_days"] == target
    assert (
        "ydelsens faste mål for svartid" in Event.objects.get(case=case, kind="estimate_set").text
    )


def test_the_business_reads_why_and_the_original_promise_stays_when_the_date_moves(
    learned: Any, owner: Any, business: Any, karen: Any, client_for: Any
) -> None:
    case = screened_case(owner, business, karen, TODAY)
    promised = case.estimated_answer_date
    with at(TODAY):
        moved = case_set_estimate(
            case=case,
            actor=karen,
            estimate=promised + dt.timedelta(days=14),
            reason="Vi venter på en høring.",
        )

    assert moved.estimate_at_screening == promised
    assert moved.estimate_basis == case.estimate_basis  # the basis of the original promise
    client = client_for(owner)
    with at(TODAY):
        danish = text(client.get(f"/sager/{case.reference}/").content.decode())
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        english = text(client.get(f"/sager/{case.reference}/").content.decode())

    assert (
        f"9 ud af 10 lignende sager de seneste 12 måneder blev besvaret inden for "
        f"{learned.p90} arbejdsdage." in danish
    )
    assert "Ved screeningen lovede vi" in danish
    assert (
        f"9 out of 10 similar cases in the last 12 months were answered within "
        f"{learned.p90} working days." in english
    )
    assert "At screening we promised" in english


def test_the_screening_page_shows_p50_p90_basis_and_queue(
    learned: Any, owner: Any, business: Any, karen: Any, client_for: Any
) -> None:
    screened_case(owner, business, karen, TODAY)  # one open case in the queue
    waiting = submitted_case(owner, business, TODAY)
    with at(TODAY):
        page = text(
            client_for(karen).get(f"/medarbejder/screening/{waiting.reference}/").content.decode()
        )

    assert "Hvad svardatoen bygger på" in page
    assert "Lært af ydelsens 40 sager de seneste 12 måneder (40 besvaret)" in page
    assert f"{learned.working_days} arbejdsdage efter screeningen" in page
    row = page[page.index("Hvad svardatoen bygger på") :]
    assert f"{learned.p50} {learned.p90} 2" in row  # P50, P90, open cases (this one too)


def test_the_api_carries_the_basis_and_the_original_promise(
    learned: Any, owner: Any, business: Any, karen: Any, client_for: Any, token_for: Any
) -> None:
    case = screened_case(owner, business, karen, TODAY)
    with at(TODAY):
        case_set_estimate(
            case=case,
            actor=karen,
            estimate=case.estimated_answer_date + dt.timedelta(days=7),
            reason="Høring.",
        )
        response = client_for(None).get(
            f"/api/v1/cases/{case.reference}",
            headers={"Authorization": f"Bearer {token_for(owner)}"},
        )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["original_estimated_answer_date"] == case.estimated_answer_date.isoformat()
    assert body["estimated_answer_date"] != body["original_estimated_answer_date"]
    basis = body["estimate_basis"]
    assert basis["basis"] == "history" and basis["p90"] == learned.p90
    assert basis["cases"] == 40 and basis["working_days"] == learned.working_days
