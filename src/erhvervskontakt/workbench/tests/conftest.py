"""Workbench test set-up: logged-in clients, cases built through the services, and a
snapshot that says "nothing changed".

Personas from ``src/conftest.py``: ``karen`` and ``lars`` are coordinators, ``bodil`` a
caseworker in Byggeri, ``admin_user`` an administrator, ``owner``/``other_owner`` business users.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business, BusinessEvent
from erhvervskontakt.cases.models import (
    Answer,
    Case,
    Deliverable,
    Document,
    Event,
    Message,
    Task,
)
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.cases.tests.conftest import give_cases  # noqa: F401  (a fixture)

CONTACT = {"name": "Eva Ejer", "email": "eva@fynsk.dk", "phone": "+45 12 34 56 78"}


@pytest.fixture
def make_case(
    catalogue: dict[str, Any], owner: User, business: Business, karen: User
) -> Callable[..., Case]:
    """``make_case(service_types=[...], answers={...}, screen=True)``: an intake by ``owner``
    for ``business`` (outdoor serving, complete by default); screened by ``karen`` if asked."""

    def make(
        *,
        service_types: list[str] | None = None,
        answers: dict[str, Any] | None = None,
        screen: bool = False,
    ) -> Case:
        case = inquiry_submit(
            actor=owner,
            cvr=business.cvr,
            service_types=service_types or ["udeservering"],
            description="Seks borde foran caféen på Vestergade.",
            contact=dict(CONTACT),
            answers={"areal": 12} if answers is None else answers,
        )
        if screen:
            case = case_screen(case=case, actor=karen)
        return case

    return make


@pytest.fixture
def building_case(make_case: Callable[..., Case]) -> Callable[..., Case]:
    """A building-permit case (Byggeri) missing its drawings: ``building_case(screen=True)``."""

    def make(*, screen: bool = False) -> Case:
        return make_case(
            service_types=["byggetilladelse-erhverv"],
            answers={"matrikel": "12a", "etageareal": 400},
            screen=screen,
        )

    return make


def snapshot(case: Case) -> dict[str, Any]:
    """Everything a workbench action could change on a case, read fresh."""
    row = Case.objects.select_related("business").get(pk=case.pk)
    return {
        "case": {
            f.attname: getattr(row, f.attname)
            for f in Case._meta.concrete_fields
            if f.attname != "updated_at"
        },
        "contact_person": row.business.contact_person_id,
        "business_events": BusinessEvent.objects.filter(business=row.business).count(),
        "events": list(Event.objects.filter(case=row).values_list("kind", "text")),
        "answers": list(Answer.objects.filter(case=row).values_list("key", "value")),
        "documents": Document.objects.filter(case=row).count(),
        "messages": list(Message.objects.filter(case=row).values_list("body", "internal")),
        "deliverables": list(
            Deliverable.objects.filter(case=row)
            .order_by("id")
            .values_list("party", "title", "status", "due_date", "note")
        ),
        "tasks": list(
            Task.objects.filter(case=row)
            .order_by("id")
            .values_list("status", "assignee", "version")
        ),
    }


@pytest.fixture
def pdf_upload() -> Callable[[], Any]:
    """``pdf_upload()``: a real one-page PDF as an uploaded file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from erhvervskontakt.common.tests.files import pdf_bytes as _pdf

    def make() -> SimpleUploadedFile:
        return SimpleUploadedFile("afgoerelse.pdf", _pdf(), content_type="application/pdf")

    return make
