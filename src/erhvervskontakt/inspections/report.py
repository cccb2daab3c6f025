"""The inspection report (tilsynsrapport) as a PDF, made from the fields recorded on the visit.

The report holds at least the minimum content of the inspection order (miljøtilsyns-
bekendtgørelsen): the unit's identification (CVR, P-number), the date and kind of the
inspection, whether it was physical, the orders, bans and warnings issued, the conclusions on
self-monitoring, and whether the unit follows up; beside them what was looked at, what was
observed, the advice given, the solutions agreed (with their due dates) and the overall
conclusion.

It reads only through the relations of the ``Visit`` it is given (unit and business, case,
inspector, findings with their deliverables, enforcements): the caller passes a visit read by
the inspection selectors, which prefetch them. The HTML is rendered by Django from
``inspections/report.html`` and laid out by WeasyPrint (no network: the stylesheet is inline
and the fonts are the system's).
"""

from __future__ import annotations

import datetime as dt
import warnings
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.common import clock

from .models import Enforcement, Finding, Visit

TEMPLATE = "inspections/report.html"


def report_filename(visit: Visit) -> str:
    return f"Tilsynsrapport-{visit.case.reference}.pdf"


def _address(visit: Visit) -> str:
    unit, business = visit.unit, visit.unit.business
    if unit.address:
        return unit.address
    town = " ".join(part for part in (business.postcode, business.city) if part)
    return ", ".join(part for part in (business.address, town) if part)


def report_context(visit: Visit, *, draft: bool = False) -> dict[str, Any]:
    """What the report shows, as plain values (the template formats them)."""
    findings = list(visit.findings.all())
    enforcements = list(visit.enforcements.all())

    def of_kind(kind: str) -> list[Finding]:
        return [f for f in findings if f.kind == kind]

    agreements = [
        {
            "text": f.text,
            "due": f.deliverable.due_date if f.deliverable is not None else None,
        }
        for f in of_kind(Finding.Kind.AGREEMENT)
    ]
    report_date: dt.date = visit.report_sent_on or clock.today()
    inspector = visit.inspector
    return {
        "visit": visit,
        "draft": draft,
        "municipality": municipality(),
        "reference": visit.case.reference,
        "report_date": report_date,
        "business": visit.unit.business,
        "unit": visit.unit,
        "address": _address(visit),
        "kind": visit.get_kind_display(),
        "physical": visit.physical,
        "visited_on": visit.visited_on,
        "focus": visit.focus,
        "observations": [f.text for f in of_kind(Finding.Kind.OBSERVATION)],
        "advice": [f.text for f in of_kind(Finding.Kind.ADVICE)],
        "agreements": agreements,
        "enforcements": [
            {
                "kind": e.get_kind_display(),
                "text": e.text,
                "legal_basis": e.legal_basis,
                "deadline": e.deadline,
                "issued_on": e.issued_on,
            }
            for e in enforcements
        ],
        "enforcement_kinds": [label for _value, label in Enforcement.Kind.choices],
        "self_monitoring": visit.self_monitoring,
        "follows_up": visit.follows_up,
        "conclusion": visit.conclusion,
        "inspector": {
            "name": inspector.display_name,
            "title": inspector.title,
            "email": inspector.email,
            "phone": inspector.phone,
        },
    }


def report_html(visit: Visit, *, draft: bool = False) -> str:
    """The report as HTML, always in Danish (it is the authority's document)."""
    with translation.override("da"):
        return render_to_string(TEMPLATE, report_context(visit, draft=draft))


def report_pdf(visit: Visit, *, draft: bool = False) -> bytes:
    """The report as a PDF. ``draft`` marks every page "Udkast" (the inspector's preview)."""
    with warnings.catch_warnings():
        # WeasyPrint warns at import when the system lacks HarfBuzz-Subset (it then subsets
        # fonts with fontTools, as before); imported here: loading Pango takes a moment.
        warnings.simplefilter("ignore", DeprecationWarning)
        from weasyprint import HTML

    html = report_html(visit, draft=draft)
    pdf = HTML(string=html, base_url=None).write_pdf()
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return bytes(pdf)
