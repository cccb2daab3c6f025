"""Visits for tests that need one in a given state (the report, the clocks, the dashboard),
built directly on the models: the case is a real inquiry of the business, the visit and its
findings and enforcements rows as the visit services leave them.

The visit services have their own tests; these tests are about what is read from a visit.
"""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business, ProductionUnit
from erhvervskontakt.cases.models import Case, Channel, Deliverable
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.common import clock
from erhvervskontakt.inspections import rules
from erhvervskontakt.inspections.models import Enforcement, Finding, Visit

_numbers = count(1)

CONTACT = {"name": "Eva Ejer", "email": "ejer@fynsk.dk", "phone": "+45 12 34 56 78"}


def make_unit(business: Business, **fields: Any) -> ProductionUnit:
    n = next(_numbers)
    values = {"name": f"Værksted {n}", "address": f"Industrivej {n}, 5000 Odense C"}
    values.update(fields)
    values.setdefault("p_number", f"{2000000000 + n}")
    return ProductionUnit.objects.create(business=business, **values)


def make_visit(
    *,
    business: Business,
    owner: User,
    inspector: User,
    unit: ProductionUnit | None = None,
    status: str = Visit.Status.VISITED,
    visited_on: dt.date | None = None,
    report_sent_on: dt.date | None = None,
    published_on: dt.date | None = None,
    kind: str = rules.BASIC,
    physical: bool = True,
    focus: str = "Oplag af olie og kemikalier.",
    **fields: Any,
) -> Visit:
    """A visit of ``business`` by ``inspector``, as a case the business's ``owner`` sent.

    With ``visited_on`` the clocks are set as the services set them (report 2 months, publish
    4 months later)."""
    submitted = inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["raadgivning"],
        description="Miljøtilsyn",
        contact=dict(CONTACT),
        answers={},
    )
    # An inspection case: the municipality's own initiative (no promise figure counts it).
    Case.objects.filter(pk=submitted.pk).update(channel=Channel.INSPECTION)
    case = Case.objects.get(pk=submitted.pk)
    return Visit.objects.create(
        case=case,
        unit=unit or make_unit(business),
        kind=kind,
        physical=physical,
        inspector=inspector,
        focus=focus,
        status=status,
        visited_on=visited_on,
        report_due=rules.add_months(visited_on, 2) if visited_on else None,
        publish_due=rules.add_months(visited_on, 4) if visited_on else None,
        report_sent_on=report_sent_on,
        published_on=published_on,
        created_by=inspector,
        created_at=clock.now(),
        **fields,
    )


def add_finding(visit: Visit, kind: str, text: str, *, due_date: dt.date | None = None) -> Finding:
    deliverable = None
    if due_date is not None:
        deliverable = Deliverable.objects.create(
            case=visit.case,
            party=Deliverable.Party.BUSINESS,
            title=text[:250],
            due_date=due_date,
            created_at=clock.now(),
        )
    return Finding.objects.create(
        visit=visit,
        kind=kind,
        text=text,
        deliverable=deliverable,
        created_by=visit.inspector,
        created_at=clock.now(),
    )


def add_enforcement(
    visit: Visit,
    kind: str,
    text: str,
    legal_basis: str,
    *,
    deadline: dt.date | None = None,
    issued_on: dt.date | None = None,
) -> Enforcement:
    return Enforcement.objects.create(
        visit=visit,
        kind=kind,
        text=text,
        legal_basis=legal_basis,
        deadline=deadline,
        issued_on=issued_on or visit.visited_on or clock.today(),
        created_by=visit.inspector,
        created_at=clock.now(),
    )
