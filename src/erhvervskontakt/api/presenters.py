"""Cases and businesses as the API shows them (from prefetched relations: no extra queries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.selectors import case_missing


def person(user: User | None) -> dict[str, str] | None:
    if user is None:
        return None
    return {"username": user.username, "name": user.display_name, "email": user.email}


def business_out(business: Business) -> dict[str, Any]:
    return {
        "cvr": business.cvr,
        "name": business.name,
        "coordinator": person(business.contact_person),
    }


def case_summary(case: Case, today: dt.date) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "status": case.status,
        "business": {"cvr": case.business.cvr, "name": case.business.name},
        "service_types": [st.code for st in case.service_types.all()],
        "channel": case.channel,
        "received_at": case.received_at,
        "screening_due": case.screening_due,
        "screened_at": case.screened_at,
        "coordinator": person(case.coordinator),
        "estimated_answer_date": case.estimated_answer_date,
        "original_estimated_answer_date": case.estimate_at_screening,
        "estimate_basis": case.estimate_basis or None,
        "service_target_date": case.service_target_date,
        "answered_at": case.answered_at,
        "missing": [
            {"service_type": m.service_type, "key": m.key, "label": m.label, "kind": m.kind}
            for m in case_missing(case)
        ],
        "deliverables": [
            {
                "id": d.pk,
                "party": d.party,
                "title": d.title,
                "due_date": d.due_date,
                "status": d.status,
                "overdue": d.is_overdue(today),
            }
            for d in case.deliverables.all()
        ],
        "tasks": [
            {
                "department": t.department.code,
                "service_type": codes[0]
                if (codes := [st.code for st in t.service_types.all()])
                else None,
                "service_types": codes,
                "status": t.status,
                "assignee": t.assignee.username if t.assignee else None,
            }
            for t in case.tasks.all()
        ],
    }


def case_detail(case: Case, today: dt.date, *, staff: bool = True) -> dict[str, Any]:
    """A case with its timeline: the full log for staff; for a business user the short
    history written for the business (the same as the portal shows), in Danish."""
    return {
        **case_summary(case, today),
        "description": case.description,
        "answers": {a.key: a.value for a in case.answers.all()},
        "decision_summary": case.decision_summary,
        "timeline": [
            {
                "at": e.at,
                "kind": e.kind,
                "actor": e.actor.display_name if e.actor else None,
                "text": e.text if staff else e.business_text,
            }
            for e in case.events.all()
            if staff or (e.business_text and not e.internal)
        ],
    }
