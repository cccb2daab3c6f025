"""Fixtures for the case service tests: an inquiry as a business would send it, small real
files, a second building service type in Byggeri, and helpers that say "nothing changed".

``case_in(status)`` brings an outdoor-serving case to a state through the services, and
``building_case`` is a screened building case awaiting its drawings (the lifecycle, decision,
coordinator, answer and document tests).

Dates in these tests are local to Europe/Copenhagen and the clock is frozen with
time-machine; expected dates are literals worked out by hand in comments beside them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business, BusinessEvent
from erhvervskontakt.businesses.tests.factories import BusinessFactory
from erhvervskontakt.cases.models import (
    Answer,
    Case,
    CaseStatus,
    Deliverable,
    Document,
    Event,
    IdempotencyKey,
    ReferenceCounter,
    Task,
)
from erhvervskontakt.cases.selectors import case_missing
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.lifecycle import case_close, case_withdraw
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.common.tests.files import pdf_bytes as pdf_bytes_of
from erhvervskontakt.common.tests.files import png_bytes as png_bytes_of

CPH = ZoneInfo("Europe/Copenhagen")


def cph(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An instant in Copenhagen local time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


@pytest.fixture
def simple_construction(catalogue: dict[str, ServiceType]) -> ServiceType:
    """A second Byggeri service type with a national target and no document requirement,
    so a case can be complete at intake and still have a service target date."""
    building = catalogue["byggetilladelse-erhverv"]
    st = ServiceType.objects.create(
        code="byggetilladelse-simpel",
        name="Byggetilladelse til simple konstruktioner",
        group=ServiceType.Group.BUILD,
        department=building.department,
        target_working_days=20,
        service_target_days=40,
        position=5,
    )
    Requirement.objects.create(service_type=st, key="matrikel", label="Matrikelnummer")
    return st


CONTACT = {"name": "Eva Ejer", "email": "eva@fynsk.dk", "phone": "+45 12 34 56 78"}


@pytest.fixture
def submit(
    catalogue: dict[str, ServiceType], owner: User, business: Business
) -> Callable[..., Case]:
    """``submit(**fields)``: an inquiry from ``owner`` for its business (outdoor serving,
    complete), with any field overridden."""

    def make(*, actor: User | None = None, **fields: Any) -> Case:
        payload: dict[str, Any] = {
            "cvr": business.cvr,
            "service_types": ["udeservering"],
            "description": "Seks borde foran caféen på Vestergade.",
            "contact": dict(CONTACT),
            "answers": {"areal": 12},
        }
        payload.update(fields)
        return inquiry_submit(actor=actor or owner, **payload)

    return make


@pytest.fixture
def db_counts() -> Callable[[], dict[str, int]]:
    """Row counts of everything an intake or a case service may write."""
    models = (
        Case,
        Business,
        BusinessEvent,
        Event,
        Answer,
        Document,
        Deliverable,
        Task,
        ReferenceCounter,
        IdempotencyKey,
    )

    def counts() -> dict[str, int]:
        return {model.__name__: model.objects.count() for model in models}

    return counts


@pytest.fixture
def state_of() -> Callable[[Case], dict[str, Any]]:
    """Everything about a case a service could change, read fresh from the database."""

    def state(case: Case) -> dict[str, Any]:
        row = Case.objects.get(pk=case.pk)
        return {
            "status": row.status,
            "version": row.version,
            "coordinator": row.coordinator_id,
            "contact_person": row.business.contact_person_id,
            "screened_at": row.screened_at,
            "estimated_answer_date": row.estimated_answer_date,
            "paused_since": row.paused_since,
            "fully_informed_on": row.fully_informed_on,
            "answered_at": row.answered_at,
            "closed_at": row.closed_at,
            "withdrawn_at": row.withdrawn_at,
            "events": list(Event.objects.filter(case=row).values_list("kind", flat=True)),
            "answers": dict(Answer.objects.filter(case=row).values_list("key", "value")),
            "documents": Document.objects.filter(case=row).count(),
            "deliverables": list(
                Deliverable.objects.filter(case=row)
                .order_by("id")
                .values_list("party", "status", "due_date")
            ),
            "tasks": list(Task.objects.filter(case=row).order_by("id").values_list("status")),
        }

    return state


_numbers = count(1)


@pytest.fixture
def give_cases() -> Callable[..., list[Case]]:
    """``give_cases(coordinator, n, status)``: load for the least-loaded rule, built
    directly (another business each, a reference in year 2000 so it clashes with nothing)."""

    def make(coordinator: User, n: int, status: str = CaseStatus.IN_PROGRESS) -> list[Case]:
        made = []
        for _ in range(n):
            number = next(_numbers)
            made.append(
                Case.objects.create(
                    reference=f"EK-2000-{number:05d}",
                    year=2000,
                    number=number,
                    business=BusinessFactory(),
                    contact_name="Load",
                    contact_email="load@firma.test",
                    description="Belastning",
                    channel="api",
                    status=status,
                    received_at=cph(2026, 1, 5),
                    screening_due=dt.date(2026, 1, 12),
                    coordinator=coordinator,
                )
            )
        return made

    return make


@pytest.fixture
def png_bytes() -> bytes:
    return png_bytes_of()


@pytest.fixture
def pdf_bytes() -> bytes:
    return pdf_bytes_of()


@pytest.fixture
def case_in(submit, karen, owner, time_machine) -> Callable[[str], Case]:
    """``case_in(status)``: an outdoor-serving case brought to that state through the
    services (received Fri 27 Nov, screened Mon 30 Nov; the clock then stays on Mon 30 Nov
    13:00)."""

    def make(status: str) -> Case:
        time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
        complete = status not in (CaseStatus.AWAITING_BUSINESS,)
        case = submit(answers={"areal": 12} if complete else {})
        time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
        if status == CaseStatus.WITHDRAWN:
            case = case_withdraw(case=case, actor=owner)
        elif status != CaseStatus.RECEIVED:
            case = case_screen(case=case, actor=karen)
        if status in (CaseStatus.ANSWERED, CaseStatus.CLOSED):
            case = case_record_decision(case=case, actor=karen, summary="Tilladelse.")
        if status == CaseStatus.CLOSED:
            case = case_close(case=case, actor=karen)
        assert case.status == status
        time_machine.move_to(cph(2026, 11, 30, 13), tick=False)
        return case

    return make


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def building_case(submit, karen, time_machine) -> Case:
    """A building case awaiting its drawings (tegninger), screened Mon 30 Nov 2026."""
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = submit(
        service_types=["byggetilladelse-erhverv", "udeservering"],
        answers={"matrikel": "12a", "etageareal": 900, "areal": 10},
    )
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    return case_screen(case=case, actor=karen)


UTC = dt.UTC
NEW_CVR = "13585628"  # valid (modulus 11), not used by any fixture


def missing_keys(case: Case) -> list[str]:
    return [item.key for item in case_missing(case)]
