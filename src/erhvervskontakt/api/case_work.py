"""REST API v1: the work on a case that the portal and the workbench do (issue 18) —
messages, the delivery plan, tasks, documents — and the business register's list and fixed
contact person. Parse, call one service or selector, present; the same services as the
pages, so the same rules, events and e-mails.

Writes that change a case take ``If-Match`` (``api.concurrency``): the case's version, or
for a task the task's. Reads of one case send its ``ETag``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.decorators import decorate_view

from erhvervskontakt.accounts.selectors import active_staff_get
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.businesses.selectors import business_get, business_page
from erhvervskontakt.businesses.services import business_change_contact_person
from erhvervskontakt.cases.keyset import case_messages, task_page
from erhvervskontakt.cases.models import Case, Deliverable, Document, Message, Task
from erhvervskontakt.cases.selectors import (
    case_get,
    case_version,
    deliverable_get,
    task_get,
)
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.plan import (
    deliverable_add,
    deliverable_change,
    deliverable_mark_delivered,
    deliverable_waive,
)
from erhvervskontakt.cases.services.tasks import task_assign, task_claim, task_complete
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import Forbidden, NotFound
from erhvervskontakt.web.files import document_response
from erhvervskontakt.web.readlog import logs_personal_data, read_subject

from . import cursors, schemas
from .auth import INTAKE, READ, WRITE
from .concurrency import IfMatch, checked, expected_version, tag
from .presenters import business_out, person
from .routers import ERRORS, WRITE_ERRORS, _user, cases

work = Router(tags=["Sagens arbejde"])
directory = Router(tags=["Virksomheder"])

Limit = Query(50, ge=1, le=200, description="Rækker pr. side (højst 200).")


def _case(request: HttpRequest, reference: str) -> Case:
    """The case with its plan, tasks and documents (the lists here read their own
    timeline or messages, if any)."""
    return case_get(user=_user(request), reference=reference, with_timeline=False)


# --- messages -------------------------------------------------------------------------------


def message_out(message: Message) -> dict[str, Any]:
    author = message.author
    return {
        "id": message.pk,
        "at": message.created_at,
        "author": author.display_name if author else None,
        "party": "municipality" if author is None or author.is_staff else "business",
        "body": message.body,
        "internal": message.internal,
    }


@work.get(
    "/cases/{reference}/messages", response={200: schemas.MessagePageOut, **ERRORS}, auth=READ
)
@decorate_view(logs_personal_data(use="api_read", purpose="case_handling"))
def list_messages(
    request: HttpRequest,
    response: HttpResponse,
    reference: schemas.Reference,
    cursor: str | None = cursors.CursorParam,
    limit: int = Limit,
) -> dict[str, Any]:
    """The case's messages, oldest first: the dialogue with the business, and for staff
    also the internal notes (``internal``), which a business never sees."""
    user = _user(request)
    case = _case(request, reference)
    read_subject(request, case=case)
    after = cursors.decode("messages", cursor, int)
    page = case_messages(user=user, case=case, after=after[0] if after else None, limit=limit)
    tag(response, case.version)
    last = cursors.encode("messages", page.items[-1].pk) if page.has_next else None
    return {
        "items": [message_out(m) for m in page.items],
        "next": cursors.next_link(request, last),
    }


@work.post(
    "/cases/{reference}/messages", response={201: schemas.MessageOut, **WRITE_ERRORS}, auth=WRITE
)
def post_message(
    request: HttpRequest,
    response: HttpResponse,
    reference: schemas.Reference,
    payload: schemas.MessageIn,
    if_match: str | None = IfMatch,
) -> Status:
    """Write to the other side of the case (the business to the municipality, or staff to
    the business, who is told by e-mail); staff may write an internal note instead."""
    user = _user(request)
    message = checked(
        _case(request, reference),
        if_match,
        lambda case: case_message_post(
            case=case, actor=user, body=payload.body, internal=payload.internal
        ),
    )
    tag(response, case_version(message.case))
    return Status(201, message_out(message))


# --- the delivery plan ----------------------------------------------------------------------


def deliverable_out(d: Deliverable, today: dt.date, *, staff: bool) -> dict[str, Any]:
    return {
        "id": d.pk,
        "party": d.party,
        "title": d.title,
        "due_date": d.due_date,
        "status": d.status,
        "overdue": d.is_overdue(today),
        "requirement": d.requirement_key or None,
        "service_type": d.service_type.code if d.service_type else None,
        "created_at": d.created_at,
        "delivered_at": d.delivered_at,
        "note": d.note if staff else None,
    }


def _line(request: HttpRequest, reference: str, deliverable_id: int) -> Deliverable:
    return deliverable_get(case=_case(request, reference), pk=deliverable_id)


def _line_out(
    request: HttpRequest, response: HttpResponse, reference: str, deliverable: Deliverable
) -> dict[str, Any]:
    case = _case(request, reference)
    tag(response, case.version)
    line = deliverable_get(case=case, pk=deliverable.pk)
    return deliverable_out(line, clock.today(), staff=_user(request).is_staff)


@work.get(
    "/cases/{reference}/deliverables",
    response={200: list[schemas.DeliverableDetailOut], **ERRORS},
    auth=READ,
)
@decorate_view(logs_personal_data(use="api_read", purpose="case_handling"))
def list_deliverables(
    request: HttpRequest, response: HttpResponse, reference: schemas.Reference
) -> list[dict[str, Any]]:
    """The delivery plan: what the business delivers and what the municipality delivers,
    and by when (by date)."""
    user = _user(request)
    case = _case(request, reference)
    read_subject(request, case=case)
    tag(response, case.version)
    today = clock.today()
    return [deliverable_out(d, today, staff=user.is_staff) for d in case.deliverables.all()]


@work.post(
    "/cases/{reference}/deliverables",
    response={201: schemas.DeliverableDetailOut, **WRITE_ERRORS},
    auth=WRITE,
)
def add_deliverable(
    request: HttpRequest,
    response: HttpResponse,
    reference: schemas.Reference,
    payload: schemas.DeliverableIn,
    if_match: str | None = IfMatch,
) -> Status:
    """A new line in the delivery plan, on either side (staff)."""
    added = deliverable_add(
        case=_case(request, reference),
        actor=_user(request),
        party=payload.party,
        title=payload.title,
        due_date=payload.due_date,
        reason=payload.reason,
        expected_version=expected_version(if_match),
        tell_business=payload.tell_business,
    )
    return Status(201, _line_out(request, response, reference, added))


@work.patch(
    "/cases/{reference}/deliverables/{deliverable_id}",
    response={200: schemas.DeliverableDetailOut, **WRITE_ERRORS},
    auth=WRITE,
)
def change_deliverable(
    request: HttpRequest,
    response: HttpResponse,
    reference: schemas.Reference,
    deliverable_id: int,
    payload: schemas.DeliverableChangeIn,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """Change a pending line's text or date, with the reason (staff)."""
    changed = deliverable_change(
        deliverable=_line(request, reference, deliverable_id),
        actor=_user(request),
        reason=payload.reason,
        title=payload.title,
        due_date=payload.due_date,
        expected_version=expected_version(if_match),
        tell_business=payload.tell_business,
    )
    return _line_out(request, response, reference, changed)


@work.post(
    "/cases/{reference}/deliverables/{deliverable_id}/waive",
    response={200: schemas.DeliverableDetailOut, **WRITE_ERRORS},
    auth=WRITE,
)
def waive_deliverable(
    request: HttpRequest,
    response: HttpResponse,
    reference: schemas.Reference,
    deliverable_id: int,
    payload: schemas.ReasonIn,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """A pending line is no longer needed (frafaldet), with the reason (staff)."""
    waived = deliverable_waive(
        deliverable=_line(request, reference, deliverable_id),
        actor=_user(request),
        reason=payload.reason,
        expected_version=expected_version(if_match),
        tell_business=payload.tell_business,
    )
    return _line_out(request, response, reference, waived)


@work.post(
    "/cases/{reference}/deliverables/{deliverable_id}/delivered",
    response={200: schemas.DeliverableDetailOut, **WRITE_ERRORS},
    auth=INTAKE,
)
def deliver_deliverable(
    request: HttpRequest,
    response: HttpResponse,
    reference: schemas.Reference,
    deliverable_id: int,
    payload: schemas.DeliveredIn | None = None,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """A pending line is delivered: staff confirm any line; the business its own lines (not
    those for a requirement, which the answer or document itself delivers)."""
    delivered = deliverable_mark_delivered(
        deliverable=_line(request, reference, deliverable_id),
        actor=_user(request),
        note=payload.note if payload else "",
        expected_version=expected_version(if_match),
    )
    return _line_out(request, response, reference, delivered)


# --- tasks ----------------------------------------------------------------------------------


def task_out(task: Task, *, staff: bool) -> dict[str, Any]:
    codes = [st.code for st in task.service_types.all()]
    return {
        "id": task.pk,
        "version": task.version,
        "case": task.case.reference,
        "department": task.department.code,
        "service_type": codes[0] if codes else None,
        "service_types": codes,
        "status": task.status,
        "assignee": task.assignee.username if task.assignee else None,
        "created_at": task.created_at,
        "due": task.due_date,
        "done_at": task.done_at,
        "result": task.result if staff else None,
    }


@work.get(
    "/cases/{reference}/tasks", response={200: list[schemas.TaskDetailOut], **ERRORS}, auth=READ
)
@decorate_view(logs_personal_data(use="api_read", purpose="case_handling"))
def list_case_tasks(
    request: HttpRequest, response: HttpResponse, reference: schemas.Reference
) -> list[dict[str, Any]]:
    """The departments' tasks on the case (the result for staff only)."""
    case = _case(request, reference)
    read_subject(request, case=case)
    tag(response, case.version)
    staff = _user(request).is_staff
    for task in case.tasks.all():
        task.case = case  # the prefetched delivery plan gives each its own date
    return [task_out(t, staff=staff) for t in case.tasks.all()]


@work.get("/tasks", response={200: schemas.TaskPageOut, **ERRORS}, auth=READ)
@decorate_view(logs_personal_data(use="api_read", purpose="case_handling", lists=True))
def list_tasks(
    request: HttpRequest,
    department: schemas.DepartmentCode | None = None,
    status: schemas.TaskStatusCode | None = None,
    assignee: schemas.Username | None = None,
    cursor: str | None = cursors.CursorParam,
    limit: int = Limit,
) -> dict[str, Any]:
    """Tasks across cases (staff), by id: e.g. a department's inbox
    (``department=byg&status=open``) or one person's (``assignee=…``)."""
    after = cursors.decode("tasks", cursor, int)
    page = task_page(
        user=_user(request),
        department=department,
        status=status,
        assignee=assignee,
        after=after[0] if after else None,
        limit=limit,
    )
    last = cursors.encode("tasks", page.items[-1].pk) if page.has_next else None
    return {
        "items": [task_out(t, staff=True) for t in page.items],
        "next": cursors.next_link(request, last),
    }


def _task(request: HttpRequest, task_id: int) -> Task:
    return task_get(user=_user(request), pk=task_id)


def _task_out(request: HttpRequest, response: HttpResponse, task: Task) -> dict[str, Any]:
    fresh = _task(request, task.pk)
    tag(response, fresh.version)
    return task_out(fresh, staff=True)


@work.get("/tasks/{task_id}", response={200: schemas.TaskDetailOut, **ERRORS}, auth=READ)
@decorate_view(logs_personal_data(use="api_read", purpose="case_handling"))
def get_task(request: HttpRequest, response: HttpResponse, task_id: int) -> dict[str, Any]:
    """One task (staff); its ETag is the task's version."""
    task = _task(request, task_id)  # another business's: 404 before 403
    if not _user(request).is_staff:
        raise Forbidden("Kun kommunens medarbejdere kan se opgaverne.")
    read_subject(request, case=task.case)
    tag(response, task.version)
    return task_out(task, staff=True)


@work.post(
    "/tasks/{task_id}/claim", response={200: schemas.TaskDetailOut, **WRITE_ERRORS}, auth=WRITE
)
def claim_task(
    request: HttpRequest, response: HttpResponse, task_id: int, if_match: str | None = IfMatch
) -> dict[str, Any]:
    """Take the task yourself (staff of its department, or a coordinator)."""
    task = task_claim(
        task=_task(request, task_id),
        actor=_user(request),
        expected_version=expected_version(if_match),
    )
    return _task_out(request, response, task)


@work.post(
    "/tasks/{task_id}/assign", response={200: schemas.TaskDetailOut, **WRITE_ERRORS}, auth=WRITE
)
def assign_task(
    request: HttpRequest,
    response: HttpResponse,
    task_id: int,
    payload: schemas.AssignIn,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """Give the task to a colleague of its department."""
    task = task_assign(
        task=_task(request, task_id),
        actor=_user(request),
        assignee=active_staff_get(username=payload.assignee),
        expected_version=expected_version(if_match),
    )
    return _task_out(request, response, task)


@work.post(
    "/tasks/{task_id}/done", response={200: schemas.TaskDetailOut, **WRITE_ERRORS}, auth=WRITE
)
def complete_task(
    request: HttpRequest,
    response: HttpResponse,
    task_id: int,
    payload: schemas.TaskDoneIn,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """The department's share is done, with its result; optionally shared with the business
    and its answer lines of the delivery plan marked delivered."""
    task = task_complete(
        task=_task(request, task_id),
        actor=_user(request),
        result=payload.result,
        share_result=payload.share_result,
        deliver_answer=payload.deliver_answer,
        expected_version=expected_version(if_match),
    )
    return _task_out(request, response, task)


# --- documents ------------------------------------------------------------------------------


def document_out(document: Document, reference: str) -> dict[str, Any]:
    uploader = document.uploaded_by
    return {
        "id": document.pk,
        "name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "requirement": document.requirement_key or None,
        "deliverable": document.deliverable_id,
        "uploaded_at": document.uploaded_at,
        "uploaded_by": "system"
        if uploader is None
        else "municipality"
        if uploader.is_staff
        else "business",
        "download": f"/api/v1/cases/{reference}/documents/{document.pk}",
    }


# On the router that has POST on the same path (ninja answers 405 for a path's other
# methods when they are on another router).
@cases.get(
    "/cases/{reference}/documents",
    response={200: list[schemas.DocumentOut], **ERRORS},
    auth=READ,
    url_name="case_documents",
)
@decorate_view(logs_personal_data(use="api_read", purpose="case_handling"))
def list_documents(
    request: HttpRequest, response: HttpResponse, reference: schemas.Reference
) -> list[dict[str, Any]]:
    """The case's documents with their type (judged from the content at upload), size and
    SHA-256, and where to download each."""
    case = _case(request, reference)
    read_subject(request, case=case)
    tag(response, case.version)
    return [document_out(d, case.reference) for d in case.documents.all()]


@work.get(
    "/cases/{reference}/documents/{document_id}",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            # The same key as ninja's own (an int): a "200" beside it would be written twice.
            200: {
                "description": "The file, as an attachment in the type judged at upload.",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
    auth=READ,
)
@decorate_view(logs_personal_data(use="document", purpose="case_handling"))
def download_document(
    request: HttpRequest, reference: schemas.Reference, document_id: int
) -> FileResponse:
    """The file itself, streamed as an attachment (``nosniff``, no caching), in the type
    judged from its content when it was uploaded."""
    case = _case(request, reference)
    document = next((d for d in case.documents.all() if d.pk == document_id), None)
    if document is None:
        raise NotFound("Dokumentet findes ikke på sagen.")
    read_subject(request, case=case)
    return document_response(document, as_attachment=True)


# --- businesses -----------------------------------------------------------------------------


@directory.get("/businesses", response={200: schemas.BusinessPageOut, **ERRORS}, auth=READ)
@decorate_view(logs_personal_data(use="search", purpose="case_handling", lists=True))
def list_businesses(
    request: HttpRequest,
    name: str = Query("", max_length=200, pattern=schemas.NO_NUL),
    cvr: schemas.Cvr | None = None,
    cursor: str | None = cursors.CursorParam,
    limit: int = Limit,
) -> dict[str, Any]:
    """The businesses you may see, by CVR number (staff: all; a business user: those it acts
    for), optionally by a part of the name or one CVR number."""
    after = cursors.decode("businesses", cursor, str)
    rows, more = business_page(
        user=_user(request),
        name=name,
        cvr=cvr or "",
        after=after[0] if after else None,
        limit=limit,
    )
    last = cursors.encode("businesses", rows[-1].cvr) if more else None
    return {"items": [business_out(b) for b in rows], "next": cursors.next_link(request, last)}


def _business(request: HttpRequest, cvr: str) -> Business:
    return business_get(user=_user(request), cvr=cvr)


@directory.get(
    "/businesses/{cvr}/contact-person",
    response={200: schemas.PersonOut | None, **ERRORS},
    auth=READ,
)
@decorate_view(logs_personal_data(use="api_read", purpose="case_handling"))
def get_contact_person(request: HttpRequest, cvr: schemas.Cvr) -> dict[str, str] | None:
    """The business's fixed contact person (tovholder), or null before the first screening."""
    business = _business(request, cvr)
    read_subject(request, business=business)
    return person(business.contact_person)


@directory.put(
    "/businesses/{cvr}/contact-person", response={200: schemas.BusinessOut, **ERRORS}, auth=WRITE
)
def set_contact_person(
    request: HttpRequest, cvr: schemas.Cvr, payload: schemas.ContactPersonIn
) -> dict[str, Any]:
    """Give the business another fixed contact person (coordinators), with a reason; the
    change is logged on the business."""
    user = _user(request)
    found = _business(request, cvr)  # another business's: 404 before 403
    if not user.is_staff:
        raise Forbidden("Kun kommunens tovholdere kan skifte fast kontaktperson.")
    business = business_change_contact_person(
        business=found,
        actor=user,
        username=payload.coordinator,
        reason=payload.reason,
    )
    return business_out(_business(request, business.cvr))
