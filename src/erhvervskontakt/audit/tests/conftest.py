"""Read-log test set-up: cases built through the services, logged-in clients, and the
inspection fixtures (``visited``, ``ready`` …) of the inspection tests.

Personas from ``src/conftest.py``: ``karen`` (coordinator), ``bodil`` (caseworker in
Byggeri), ``owner`` acts for ``business``; ``soeren`` is the inspector.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from erhvervskontakt.accounts.models import User
from erhvervskontakt.audit.models import PersonalDataRead
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.common.tests.files import pdf_bytes
from erhvervskontakt.inspections.tests.conftest import (  # noqa: F401  (fixtures)
    booked,
    create,
    friday,
    miljoetilsyn,
    offered,
    ready,
    soeren,
    unit,
    visited,
)

CONTACT = {"name": "Eva Ejer", "email": "Eva@Fynsk.dk", "phone": "+45 12 34 56 78"}


@pytest.fixture
def a_case(catalogue: dict[str, Any], owner: User, business: Business, karen: User) -> Case:
    """A screened outdoor-serving case of ``business`` with a PDF, contact Eva Ejer."""
    case = inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["udeservering"],
        description="Seks borde foran caféen.",
        contact=dict(CONTACT),
        answers={"areal": 12},
    )
    case_add_document(case=case, actor=owner, upload=SimpleUploadedFile("tegning.pdf", pdf_bytes()))
    return case_screen(case=case, actor=karen)


@pytest.fixture
def received_case(catalogue: dict[str, Any], owner: User, business: Business, a_case: Case) -> Case:
    return inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["udeservering"],
        description="Fire borde mere.",
        contact=dict(CONTACT),
        answers={"areal": 8},
    )


def reads() -> list[PersonalDataRead]:
    return list(PersonalDataRead.objects.order_by("id"))


def old_read(days: float, **fields: Any) -> PersonalDataRead:
    """A read inserted as if made ``days`` ago by the real clock (the database's)."""
    values: dict[str, Any] = {"use": "view", "purpose": "case_handling"}
    values.update(fields)
    return PersonalDataRead.objects.create(at=timezone.now() - dt.timedelta(days=days), **values)
