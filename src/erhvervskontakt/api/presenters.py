"""Cases and businesses as the API shows them (from prefetched relations: no extra queries),
and the figures of the dashboard and the public page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.selectors import case_missing
from erhvervskontakt.measures.accuracy import Accuracy, PromiseAccuracy
from erhvervskontakt.measures.aggregates import percent
from erhvervskontakt.measures.filters import MeasureFilter
from erhvervskontakt.measures.selectors import Dashboard, ProcessingTimeRow


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


def case_summary(case: Case, today: dt.date, *, plan: bool = True) -> dict[str, Any]:
    """A case as a list shows it; ``plan`` adds what is missing, the delivery plan and the
    tasks (the detail always; the list with ``expand=plan``), else those three are null."""
    summary = {
        "reference": case.reference,
        "version": case.version,
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
    }
    if not plan:
        return {**summary, "missing": None, "deliverables": None, "tasks": None}
    return {
        **summary,
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
                "id": t.pk,
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


# --- figures (issue 17): the dashboard's and the public page's, from the same selectors -------


def share_out(part: int, n: int) -> dict[str, Any]:
    return {"part": part, "n": n, "percent": percent(part, n)}


def filter_out(f: MeasureFilter) -> dict[str, Any]:
    return {
        "start": f.start,
        "end": f.end,
        "department": f.department,
        "service_type": f.service_type,
        "coordinator": f.coordinator,
    }


def promise_stats_out(d: Dashboard, satisfaction: tuple[int, int]) -> dict[str, Any]:
    s, a = d.screening, d.answers
    return {
        "filter": filter_out(d.filter),
        "screening": {
            "due": s.due.count,
            "on_time": s.on_time.count,
            "late": s.late.count,
            "pending": s.pending.count,
            "kept": share_out(s.kept.part, s.kept.n),
            "median_working_days": s.working_days.median,
        },
        "answers": {
            "total": a.total.count,
            "answered": a.answered.count,
            "on_time": a.on_time.count,
            "answered_late": a.answered_late.count,
            "open_late": a.open_late.count,
            "pending": a.pending.count,
            "kept": share_out(a.kept.part, a.kept.n),
            "median_working_days": a.working_days.median,
            "p80_working_days": a.working_days.p80,
        },
        "service_targets": [
            {
                "service_type": row.service_type.code,
                "name": row.service_type.name,
                "target_days": row.service_type.service_target_days,
                "met": row.met.count,
                "missed": row.missed.count,
                "open_missed": row.open_missed.count,
                "share": share_out(row.share.part, row.share.n),
            }
            for row in d.service_targets
        ],
        "satisfaction": share_out(*satisfaction),
        "backlog": {
            "open": d.backlog.open.count,
            "by_status": [
                {"status": row.status, "count": row.total.count} for row in d.backlog.by_status
            ],
        },
    }


def accuracy_out(a: Accuracy) -> dict[str, Any]:
    return {
        "matured": a.kept.n,
        "kept": a.kept.part,
        "missed": a.missed,
        "hit_rate_percent": a.kept.percent,
        "interval_low": a.low,
        "interval_high": a.high,
        "median_slack_working_days": a.slack.median,
        "median_lateness_working_days": a.lateness.median,
        "median_promised_working_days": a.promised.median,
        "median_actual_working_days": a.actual.median,
        "promise_per_median": a.promise_per_median,
    }


def accuracy_stats_out(p: PromiseAccuracy) -> dict[str, Any]:
    return {
        "filter": filter_out(p.filter),
        "confidence": p.confidence,
        "overall": accuracy_out(p.overall),
        "by_service_type": [
            {
                "service_type": row.service_type.code,
                "name": row.service_type.name,
                "accuracy": accuracy_out(row.accuracy),
            }
            for row in p.by_service_type
        ],
        "by_month": [{"month": m.month, "accuracy": accuracy_out(m.accuracy)} for m in p.by_month],
        "by_basis": [{"basis": b.basis, "accuracy": accuracy_out(b.accuracy)} for b in p.by_basis],
    }


def processing_time_out(row: ProcessingTimeRow) -> dict[str, Any]:
    return {
        "service_type": row.service_type.code,
        "name": row.service_type.name,
        "answered": row.working_days.n,
        "median_working_days": row.working_days.median,
        "p80_working_days": row.working_days.p80,
        "service_target_days": row.service_type.service_target_days,
        "within_target": share_out(row.within_target.part, row.within_target.n),
    }
