"""REST API v1: environmental inspection visits (issue 18) — what the inspector does in the
workbench and the business in the portal: open a visit, offer times, the business's choice,
the visit carried out with its findings and enforcement, the report sent, published and
downloaded. Parse, call one service or selector, present; the same services as the pages.

A visit's ETag is the visit's version (``Visit.version``, the number the workbench's forms
send back); writes take it in ``If-Match``. A visit is a case of the business, so the
visit's case also appears in ``/cases`` with its timeline, messages and delivery plan.
Another business's visit, like every row a caller may not see, is a 404.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.decorators import decorate_view

from erhvervskontakt.accounts.selectors import active_staff_get
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import NotFound
from erhvervskontakt.inspections import selectors
from erhvervskontakt.inspections.models import AFTER_VISIT, Visit, VisitSlot
from erhvervskontakt.inspections.services.carrying_out import (
    enforcement_add,
    finding_add,
    visit_mark_visited,
)
from erhvervskontakt.inspections.services.reporting import (
    visit_publish,
    visit_report_send,
    visit_report_update,
)
from erhvervskontakt.inspections.services.visits import (
    visit_cancel,
    visit_choose_slot,
    visit_create,
    visit_fix_time,
    visit_offer_slots,
    visit_update_focus,
)
from erhvervskontakt.web.files import document_response
from erhvervskontakt.web.readlog import logs_personal_data, read_subject

from . import cursors, schemas
from .auth import INTAKE, READ, WRITE
from .case_work import Limit
from .concurrency import IfMatch, expected_version, tag
from .routers import ERRORS, WRITE_ERRORS, _user

router = Router(tags=["Tilsynsbesøg"])

State = Query(
    "all",
    description="open: not reported or cancelled; report_due: carried out, report not sent; "
    "unpublished: sent, not published; all.",
)
SENT = (Visit.Status.REPORTED, Visit.Status.PUBLISHED)


def _visit(request: HttpRequest, visit_id: int) -> Visit:
    return selectors.visit_get(user=_user(request), visit_id=visit_id)


def visit_out(visit: Visit, *, staff: bool) -> dict[str, Any]:
    """The visit as the caller may see it: a business sees what the portal shows it (the
    times it may still choose, findings and enforcement after the visit, the report once
    sent); staff see everything, drafts and the plan item included."""
    now = clock.now()
    after = visit.status in AFTER_VISIT
    slots = [
        s
        for s in visit.slots.all()
        if staff
        or s.status == VisitSlot.Status.CHOSEN
        or (
            visit.status == Visit.Status.OFFERED
            and s.status == VisitSlot.Status.OFFERED
            and s.starts_at > now
        )
    ]
    inspector = visit.inspector
    unit = visit.unit
    return {
        "id": visit.pk,
        "version": visit.version,
        "case": visit.case.reference,
        "business": {"cvr": visit.case.business.cvr, "name": visit.case.business.name},
        "unit": {"p_number": unit.p_number, "name": unit.name, "address": unit.address},
        "kind": visit.kind,
        "physical": visit.physical,
        "status": visit.status,
        "focus": visit.focus,
        "inspector": {
            "name": inspector.display_name,
            "title": inspector.title,
            "email": inspector.email,
            "phone": inspector.phone,
        },
        "visit_at": visit.visit_at,
        "slots": [
            {"id": s.pk, "starts_at": s.starts_at, "ends_at": s.ends_at, "status": s.status}
            for s in slots
        ],
        "visited_on": visit.visited_on,
        "report_due": visit.report_due,
        "publish_due": visit.publish_due,
        "report_sent_on": visit.report_sent_on,
        "published_on": visit.published_on,
        "report": (
            {
                "self_monitoring": visit.self_monitoring,
                "follows_up": visit.follows_up,
                "conclusion": visit.conclusion,
            }
            if after and (staff or visit.status in SENT)
            else None
        ),
        "report_download": (
            f"/api/v1/visits/{visit.pk}/report" if visit.report_document_id else None
        ),
        "findings": [
            {
                "id": f.pk,
                "kind": f.kind,
                "text": f.text,
                "deliverable": f.deliverable_id,
                "due_date": f.deliverable.due_date if f.deliverable else None,
                "created_at": f.created_at,
            }
            for f in (visit.findings.all() if after else [])
        ],
        "enforcements": [
            {
                "id": e.pk,
                "kind": e.kind,
                "text": e.text,
                "legal_basis": e.legal_basis,
                "deadline": e.deadline,
                "issued_on": e.issued_on,
            }
            for e in (visit.enforcements.all() if after else [])
        ],
        "plan_item": visit.plan_item_id if staff else None,
    }


def _answer(request: HttpRequest, response: HttpResponse, visit_id: int) -> dict[str, Any]:
    """A write's answer: the visit read again as the caller sees it, with its ETag."""
    fresh = _visit(request, visit_id)
    tag(response, fresh.version)
    return visit_out(fresh, staff=_user(request).is_staff)


# --- reads ----------------------------------------------------------------------------------


@router.get("/visits", response={200: schemas.VisitPageOut, **ERRORS}, auth=READ)
@decorate_view(logs_personal_data(use="api_read", purpose="inspection", lists=True))
def list_visits(
    request: HttpRequest,
    state: schemas.VisitStateCode = State,
    cursor: str | None = cursors.CursorParam,
    limit: int = Limit,
) -> dict[str, Any]:
    """The inspection visits you may see, by id (staff: by the cases they see; a business
    user: its own)."""
    user = _user(request)
    after = cursors.decode("visits", cursor, int)
    rows, more = selectors.visit_page(
        user=user, state=state, after=after[0] if after else None, limit=limit
    )
    last = cursors.encode("visits", rows[-1].pk) if more else None
    return {
        "items": [visit_out(v, staff=user.is_staff) for v in rows],
        "next": cursors.next_link(request, last),
    }


@router.get("/visits/{visit_id}", response={200: schemas.VisitOut, **ERRORS}, auth=READ)
@decorate_view(logs_personal_data(use="api_read", purpose="inspection"))
def get_visit(request: HttpRequest, response: HttpResponse, visit_id: int) -> dict[str, Any]:
    """One visit; its ETag is the visit's version."""
    visit = _visit(request, visit_id)
    read_subject(request, case=visit.case)
    tag(response, visit.version)
    return visit_out(visit, staff=_user(request).is_staff)


@router.get(
    "/visits/{visit_id}/report",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The inspection report as sent to the business (PDF).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    auth=READ,
)
@decorate_view(logs_personal_data(use="document", purpose="inspection"))
def download_report(request: HttpRequest, visit_id: int) -> FileResponse:
    """The report as it was sent (the document on the visit's case), as an attachment;
    404 until it is sent."""
    visit = _visit(request, visit_id)
    if visit.report_document is None:
        raise NotFound("Tilsynsrapporten er ikke sendt endnu.")
    read_subject(request, case=visit.case)
    return document_response(visit.report_document, as_attachment=True)


# --- before the visit -----------------------------------------------------------------------


@router.post("/visits", response={201: schemas.VisitOut, **WRITE_ERRORS}, auth=WRITE)
def create_visit(request: HttpRequest, response: HttpResponse, payload: schemas.VisitIn) -> Status:
    """Open a visit of a production unit (Miljø, coordinators, heads of unit): a case of the
    unit's business, with the inspector (default the caller) as caseworker."""
    user = _user(request)
    unit = selectors.unit_get(user=user, p_number=payload.p_number)
    inspector = None
    if payload.inspector and payload.inspector != user.username:
        inspector = active_staff_get(username=payload.inspector, field="inspector")
    visit = visit_create(
        unit=unit,
        actor=user,
        kind=payload.kind,
        focus=payload.focus,
        physical=payload.physical,
        inspector=inspector,
        plan_item_id=payload.plan_item,
        contact_name=payload.contact_name,
        contact_email=payload.contact_email,
    )
    return Status(201, _answer(request, response, visit.pk))


@router.put(
    "/visits/{visit_id}/focus", response={200: schemas.VisitOut, **WRITE_ERRORS}, auth=WRITE
)
def change_focus(
    request: HttpRequest,
    response: HttpResponse,
    visit_id: int,
    payload: schemas.FocusIn,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """Change what the inspection will look at (before the visit; the business is told)."""
    visit_update_focus(
        visit=_visit(request, visit_id),
        actor=_user(request),
        focus=payload.focus,
        expected_version=expected_version(if_match),
    )
    return _answer(request, response, visit_id)


@router.post(
    "/visits/{visit_id}/slots", response={200: schemas.VisitOut, **WRITE_ERRORS}, auth=WRITE
)
def offer_slots(
    request: HttpRequest,
    response: HttpResponse,
    visit_id: int,
    payload: schemas.SlotsIn,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """Offer the business 1–8 times (future, each within one day, not overlapping); earlier
    offers and an agreed time are withdrawn, and the business gets a message."""
    visit_offer_slots(
        visit=_visit(request, visit_id),
        actor=_user(request),
        slots=[(s.starts_at, s.ends_at) for s in payload.slots],
        expected_version=expected_version(if_match),
    )
    return _answer(request, response, visit_id)


@router.post(
    "/visits/{visit_id}/choice", response={200: schemas.VisitOut, **WRITE_ERRORS}, auth=INTAKE
)
def choose_slot(
    request: HttpRequest,
    response: HttpResponse,
    visit_id: int,
    payload: schemas.SlotChoiceIn,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """The business (or staff for it) picks one of the offered times; the visit is booked.
    Choosing the chosen time again changes nothing."""
    visit_choose_slot(
        visit=_visit(request, visit_id),
        actor=_user(request),
        slot_id=payload.slot,
        expected_version=expected_version(if_match),
    )
    return _answer(request, response, visit_id)


@router.post(
    "/visits/{visit_id}/time", response={200: schemas.VisitOut, **WRITE_ERRORS}, auth=WRITE
)
def fix_time(
    request: HttpRequest,
    response: HttpResponse,
    visit_id: int,
    payload: schemas.FixTimeIn,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """The inspector fixes the time instead (offered times are withdrawn; the business is
    told)."""
    visit_fix_time(
        visit=_visit(request, visit_id),
        actor=_user(request),
        at=payload.at,
        reason=payload.reason,
        expected_version=expected_version(if_match),
    )
    return _answer(request, response, visit_id)


@router.post(
    "/visits/{visit_id}/cancel", response={200: schemas.VisitOut, **WRITE_ERRORS}, auth=WRITE
)
def cancel_visit(
    request: HttpRequest,
    response: HttpResponse,
    visit_id: int,
    payload: schemas.CancelVisitIn,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """Cancel the visit before it is carried out, with the reason; its case is withdrawn."""
    visit_cancel(
        visit=_visit(request, visit_id),
        actor=_user(request),
        reason=payload.reason,
        expected_version=expected_version(if_match),
    )
    return _answer(request, response, visit_id)


# --- the visit carried out, and its report --------------------------------------------------


@router.post(
    "/visits/{visit_id}/visited", response={200: schemas.VisitOut, **WRITE_ERRORS}, auth=WRITE
)
def record_visit(
    request: HttpRequest,
    response: HttpResponse,
    visit_id: int,
    payload: schemas.VisitedIn,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """The visit was carried out (not in the future): recorded in the register, and the
    report's clock (2 months) and publication's (4 months) start."""
    visit_mark_visited(
        visit=_visit(request, visit_id),
        actor=_user(request),
        visited_on=payload.visited_on,
        physical=payload.physical,
        expected_version=expected_version(if_match),
    )
    return _answer(request, response, visit_id)


@router.post(
    "/visits/{visit_id}/findings", response={201: schemas.VisitOut, **WRITE_ERRORS}, auth=WRITE
)
def add_finding(
    request: HttpRequest,
    response: HttpResponse,
    visit_id: int,
    payload: schemas.FindingIn,
    if_match: str | None = IfMatch,
) -> Status:
    """An observation, advice, or a solution agreed with the business (with its deadline;
    it becomes a line on the business's side of the delivery plan)."""
    finding_add(
        visit=_visit(request, visit_id),
        actor=_user(request),
        kind=payload.kind,
        text=payload.text,
        due_date=payload.due_date,
        expected_version=expected_version(if_match),
    )
    return Status(201, _answer(request, response, visit_id))


@router.post(
    "/visits/{visit_id}/enforcements", response={201: schemas.VisitOut, **WRITE_ERRORS}, auth=WRITE
)
def add_enforcement(
    request: HttpRequest,
    response: HttpResponse,
    visit_id: int,
    payload: schemas.EnforcementIn,
    if_match: str | None = IfMatch,
) -> Status:
    """Formal enforcement — an order, a ban or a warning — with its legal basis."""
    enforcement_add(
        visit=_visit(request, visit_id),
        actor=_user(request),
        kind=payload.kind,
        text=payload.text,
        legal_basis=payload.legal_basis,
        deadline=payload.deadline,
        issued_on=payload.issued_on,
        expected_version=expected_version(if_match),
    )
    return Status(201, _answer(request, response, visit_id))


@router.put(
    "/visits/{visit_id}/report", response={200: schemas.VisitOut, **WRITE_ERRORS}, auth=WRITE
)
def update_report(
    request: HttpRequest,
    response: HttpResponse,
    visit_id: int,
    payload: schemas.VisitReportIn,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """The report's own fields, kept as a draft until it is sent."""
    visit_report_update(
        visit=_visit(request, visit_id),
        actor=_user(request),
        self_monitoring=payload.self_monitoring,
        follows_up=payload.follows_up,
        conclusion=payload.conclusion,
        expected_version=expected_version(if_match),
    )
    return _answer(request, response, visit_id)


@router.post(
    "/visits/{visit_id}/report/send", response={200: schemas.VisitOut, **WRITE_ERRORS}, auth=WRITE
)
def send_report(
    request: HttpRequest, response: HttpResponse, visit_id: int, if_match: str | None = IfMatch
) -> dict[str, Any]:
    """Send the report: the PDF is stored on the case and the business gets a message."""
    visit_report_send(
        visit=_visit(request, visit_id),
        actor=_user(request),
        expected_version=expected_version(if_match),
    )
    return _answer(request, response, visit_id)


@router.post(
    "/visits/{visit_id}/publish", response={200: schemas.VisitOut, **WRITE_ERRORS}, auth=WRITE
)
def publish_report(
    request: HttpRequest, response: HttpResponse, visit_id: int, if_match: str | None = IfMatch
) -> dict[str, Any]:
    """Publish the sent report (it is then in the public list of inspection reports)."""
    visit_publish(
        visit=_visit(request, visit_id),
        actor=_user(request),
        expected_version=expected_version(if_match),
    )
    return _answer(request, response, visit_id)
