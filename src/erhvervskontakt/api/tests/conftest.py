"""Fixtures for the API tests: request bodies, cases in every state, files on a temp disk.

Cases are prepared through the services (the API's own tests exercise the HTTP side), so
each test sends over real HTTP only the requests it is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case, CaseStatus
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.lifecycle import case_close, case_withdraw
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.catalogue.models import ServiceType

# A Friday in late November 2026, 10:00 in Copenhagen (09:00 UTC).
FRIDAY = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Uploaded files go to a temporary folder, never the project's var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def friday(time_machine: Any) -> dt.datetime:
    """Pin the clock (in every thread, the live server's too) to FRIDAY; it keeps ticking."""
    time_machine.move_to(FRIDAY)
    return FRIDAY


def inquiry(cvr: str, **overrides: Any) -> dict[str, Any]:
    """A valid inquiry body for outdoor serving (complete: its one mandatory field answered)."""
    body: dict[str, Any] = {
        "cvr": cvr,
        "contact": {"name": "Ejer Hansen", "email": "ejer@fynsk.dk", "phone": "+45 12 34 56 78"},
        "service_types": ["udeservering"],
        "description": "Vi vil stille seks borde ud foran caféen.",
        "answers": {"areal": 12},
    }
    body.update(overrides)
    return body


@pytest.fixture
def body(business: Business, catalogue: dict[str, ServiceType]) -> dict[str, Any]:
    return inquiry(business.cvr)


@pytest.fixture
def make_case(
    catalogue: dict[str, ServiceType], owner: User, business: Business, karen: User
) -> Callable[..., Case]:
    """``make_case(status)``: a case of ``business`` brought to ``status`` by the services.

    ``received`` and ``awaiting_business`` cases lack the mandatory ``areal``;
    ``in_progress`` and later ones were complete at intake.
    """

    def make(
        status: str = CaseStatus.RECEIVED,
        *,
        actor: User | None = None,
        cvr: str | None = None,
        service_types: tuple[str, ...] = ("udeservering",),
    ) -> Case:
        complete = status not in (CaseStatus.RECEIVED, CaseStatus.AWAITING_BUSINESS)
        answers = {"areal": 12} if complete and "udeservering" in service_types else None
        case = inquiry_submit(
            actor=actor or owner,
            cvr=cvr or business.cvr,
            service_types=list(service_types),
            description="Borde foran caféen",
            contact={"name": "Ejer Hansen", "email": "ejer@fynsk.dk"},
            answers=answers,
        )
        if status == CaseStatus.RECEIVED:
            return case
        if status == CaseStatus.WITHDRAWN:
            return case_withdraw(case=case, actor=actor or owner)
        case = case_screen(case=case, actor=karen)
        if status in (CaseStatus.AWAITING_BUSINESS, CaseStatus.IN_PROGRESS):
            assert case.status == status
            return case
        case = case_record_decision(case=case, actor=karen, summary="Tilladelse givet.")
        if status == CaseStatus.ANSWERED:
            return case
        assert status == CaseStatus.CLOSED
        return case_close(case=case, actor=karen)

    return make
