"""REST API v1 endpoints: parse, call one service or selector, respond."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.selectors import business_get
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases.keyset import case_page
from erhvervskontakt.cases.models import Channel
from erhvervskontakt.cases.selectors import case_get
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.lifecycle import case_close, case_withdraw
from erhvervskontakt.cases.services.material import case_supply_answers
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.catalogue.selectors import service_type_list
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import Forbidden, ValidationFailed
from erhvervskontakt.measures import selectors as measures
from erhvervskontakt.measures.accuracy import promise_accuracy
from erhvervskontakt.measures.filters import MeasureFilter, read_filter
from erhvervskontakt.surveys.models import Occasion
from erhvervskontakt.surveys.selectors import overall_positive
from erhvervskontakt.web.readlog import logs_personal_data, read_subject

from . import cursors, schemas
from .auth import INTAKE, READ, WRITE
from .concurrency import IfMatch, checked, tag
from .presenters import (
    accuracy_stats_out,
    business_out,
    case_detail,
    case_summary,
    processing_time_out,
    promise_stats_out,
    share_out,
)

public = Router(tags=["Katalog og kalender"])
cases = Router(tags=["Sager"])
businesses = Router(tags=["Virksomheder"])
stats = Router(tags=["Nøgletal"])

# Every error an operation can answer, all in the one error shape (api.urls): 400 unreadable
# body, 401 no or bad token, 403 not yours to do, 404 unknown or not yours to see, 409 not in
# this state, 413 too large, 422 invalid input, 429 too many attempts, 500 unexpected (with the
# request id to report), 503 the database or storage is down for a moment (Retry-After).
PUBLIC_ERRORS: dict[int, Any] = dict.fromkeys((400, 404, 413, 422, 429, 500, 503), schemas.ErrorOut)
ERRORS: dict[int, Any] = dict.fromkeys(
    (400, 401, 403, 404, 409, 413, 422, 429, 500, 503), schemas.ErrorOut
)
# A write that changes a case may also answer 412: its If-Match named a version that is no
# longer stored (api.concurrency), and nothing was changed.
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 412: schemas.ErrorOut}


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


def _idempotency_key(request: HttpRequest) -> str | None:
    key = request.headers.get("Idempotency-Key") or None
    if key is not None and not key.isprintable():
        raise ValidationFailed.field("Idempotency-Key", "Nøglen må kun indeholde synlige tegn.")
    return key


@public.get(
    "/service-types", response={200: list[schemas.ServiceTypeOut], **PUBLIC_ERRORS}, auth=None
)
def list_service_types(request: HttpRequest) -> list[dict[str, Any]]:
    """The public service catalogue with each service type's requirements and targets."""
    return [
        {
            "code": st.code,
            "name": st.name,
            "group": st.group,
            "description": st.description,
            "department": st.department.name,
            "target_working_days": st.target_working_days,
            "service_target_days": st.service_target_days,
            "kle_code": st.kle_code,
            "requirements": [
                {
                    "key": r.key,
                    "label": r.label,
                    "kind": r.kind,
                    "mandatory": r.mandatory,
                    "type": r.value_type,
                    "choices": r.choices if r.value_type == "choice" else [],
                    "help_text": r.help_text,
                }
                for r in st.requirements.all()
            ],
        }
        for st in service_type_list()
    ]


@public.get(
    "/calendar/add-working-days",
    response={200: schemas.WorkingDaysOut, **PUBLIC_ERRORS},
    auth=None,
)
def add_working_days(
    request: HttpRequest, start: schemas.CalendarDate, days: int = Query(..., ge=0, le=2000)
) -> dict[str, Any]:
    """The N-th working day strictly after ``start`` (weekends, holidays, closing days skipped)."""
    try:
        date = working_calendar().add_working_days(start, days)
    except OverflowError:
        raise ValidationFailed.field("start", "Datoen ligger for langt ude i fremtiden.") from None
    return {"start": start, "days": days, "date": date}


@cases.post("/inquiries", response={201: schemas.CaseOut, **ERRORS}, auth=INTAKE)
def submit_inquiry(
    request: HttpRequest, response: HttpResponse, payload: schemas.InquiryIn
) -> Status:
    """Register an inquiry; the answer has its reference, screening deadline and what is missing.

    Send an ``Idempotency-Key`` header to make retries safe: the same key and body again
    returns the same case (with ``Idempotent-Replayed: true``), never a second one.
    """
    case = inquiry_submit(
        actor=_user(request),
        cvr=payload.cvr,
        business_name=payload.business_name or "",
        contact=payload.contact.model_dump(),
        service_types=payload.service_types,
        description=payload.description,
        answers=payload.answers,
        channel=payload.channel,
        received_at=payload.received_at,
        default_channel=Channel.API,
        idempotency_key=_idempotency_key(request),
    )
    if case.replayed:
        response["Idempotent-Replayed"] = "true"
    response["Location"] = f"/api/v1/cases/{case.reference}"
    return Status(201, case_detail(case, clock.today(), staff=_user(request).is_staff))


@cases.get("/cases", response={200: schemas.CasePageOut, **ERRORS}, auth=READ)
@decorate_view(logs_personal_data(use="api_read", purpose="case_handling", lists=True))
def list_cases(
    request: HttpRequest,
    status: schemas.CaseStatusCode | None = None,
    cvr: schemas.Cvr | None = None,
    coordinator: schemas.Username | None = None,
    overdue: bool | None = None,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = cursors.CursorParam,
    # Bounded so the SQL OFFSET fits a 64-bit integer on every database.
    offset: int = Query(
        0, ge=0, le=1_000_000_000, description="Spring så mange over (små lister; ellers cursor)."
    ),
    expand: Literal["plan"] | None = Query(
        None,
        description="plan: each case also with what is missing, its delivery plan and its "
        "tasks (as the detail has them); without it those are null and the list is lean.",
    ),
) -> dict[str, Any]:
    """Cases you may see, newest first; staff see all, a business user its own.

    Page on with ``next`` (a keyset cursor: as fast on the last page as on the first, and
    stable while cases arrive); ``offset`` may be used instead for small lists. ``count`` is
    exact up to 10,000 (``count_exact``); beyond that it says 10,000 and ``count_exact`` is
    false, so a list of a million cases is not counted row by row."""
    key = cursors.decode("cases", cursor, str, int)
    if key is not None and offset:
        raise ValidationFailed.field("offset", "Brug enten cursor eller offset, ikke begge.")
    after = None
    if key is not None:
        try:
            after = (dt.datetime.fromisoformat(key[0]), key[1])
        except ValueError:
            raise ValidationFailed.field("cursor", "Ukendt cursor.") from None
    plan = expand == "plan"
    page = case_page(
        user=_user(request),
        status=status,
        cvr=cvr,
        coordinator=coordinator,
        overdue=overdue,
        after=after,
        offset=offset,
        limit=limit,
        with_plan=plan,
    )
    today = clock.today()
    last = page.items[-1] if page.has_next else None
    following = cursors.encode("cases", last.received_at.isoformat(), last.pk) if last else None
    return {
        "items": [case_summary(c, today, plan=plan) for c in page.items],
        "count": page.count,
        "count_exact": page.count_exact,
        "next": cursors.next_link(request, following),
    }


@cases.get("/cases/{reference}", response={200: schemas.CaseOut, **ERRORS}, auth=READ)
@decorate_view(logs_personal_data(use="api_read", purpose="case_handling"))
def get_case(
    request: HttpRequest, response: HttpResponse, reference: schemas.Reference
) -> dict[str, Any]:
    """One case with its delivery plan, tasks and timeline (the full log for staff; for a
    business the history written for it). The ``ETag`` is the case's version."""
    user = _user(request)
    case = case_get(user=user, reference=reference)
    read_subject(request, case=case)
    tag(response, case.version)
    return case_detail(case, clock.today(), staff=user.is_staff)


def _detail(request: HttpRequest, response: HttpResponse, reference: str) -> dict[str, Any]:
    """The case after a write, read again as the caller may see it, with its new ETag."""
    user = _user(request)
    case = case_get(user=user, reference=reference)
    tag(response, case.version)
    return case_detail(case, clock.today(), staff=user.is_staff)


@cases.post(
    "/cases/{reference}/screening", response={200: schemas.CaseOut, **WRITE_ERRORS}, auth=WRITE
)
def screen_case(
    request: HttpRequest,
    response: HttpResponse,
    reference: schemas.Reference,
    payload: schemas.ScreeningIn,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """Screen the inquiry (staff): completeness, coordinator, estimate, delivery plan."""
    user = _user(request)
    checked(
        case_get(user=user, reference=reference),
        if_match,
        lambda case: case_screen(
            case=case, actor=user, coordinator=payload.coordinator, note=payload.note or ""
        ),
    )
    return _detail(request, response, reference)


@cases.post(
    "/cases/{reference}/answers", response={200: schemas.CaseOut, **WRITE_ERRORS}, auth=INTAKE
)
def supply_answers(
    request: HttpRequest,
    response: HttpResponse,
    reference: schemas.Reference,
    payload: schemas.AnswersIn,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """Answer questions of the case (e.g. what screening found missing)."""
    user = _user(request)
    checked(
        case_get(user=user, reference=reference),
        if_match,
        lambda case: case_supply_answers(case=case, actor=user, answers=payload.answers),
    )
    return _detail(request, response, reference)


@cases.post(
    "/cases/{reference}/documents",
    response={201: schemas.CaseOut, **WRITE_ERRORS},
    auth=INTAKE,
    # The path's one URL name for both its methods (the read log names the route by it).
    url_name="case_documents",
)
def add_document(
    request: HttpRequest,
    response: HttpResponse,
    reference: schemas.Reference,
    file: File[UploadedFile],
    requirement: Form[str] = "",
    if_match: str | None = IfMatch,
) -> Status:
    """Upload a document (PDF, PNG, JPEG, TIFF, DOCX, XLSX, ODT), optionally for a requirement."""
    user = _user(request)
    checked(
        case_get(user=user, reference=reference),
        if_match,
        lambda case: case_add_document(
            case=case, actor=user, upload=file, requirement_key=requirement
        ),
    )
    return Status(201, _detail(request, response, reference))


@cases.post(
    "/cases/{reference}/decision", response={200: schemas.CaseOut, **WRITE_ERRORS}, auth=WRITE
)
def record_decision(
    request: HttpRequest,
    response: HttpResponse,
    reference: schemas.Reference,
    payload: schemas.DecisionIn,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    """The municipality's answer is delivered (staff): the case becomes answered."""
    user = _user(request)
    checked(
        case_get(user=user, reference=reference),
        if_match,
        lambda case: case_record_decision(case=case, actor=user, summary=payload.summary),
    )
    return _detail(request, response, reference)


@cases.post("/cases/{reference}/close", response={200: schemas.CaseOut, **WRITE_ERRORS}, auth=WRITE)
def close_case(
    request: HttpRequest,
    response: HttpResponse,
    reference: schemas.Reference,
    payload: schemas.NoteIn | None = None,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    user = _user(request)
    note = payload.note if payload and payload.note else ""
    checked(
        case_get(user=user, reference=reference),
        if_match,
        lambda case: case_close(case=case, actor=user, note=note),
    )
    return _detail(request, response, reference)


@cases.post(
    "/cases/{reference}/withdraw", response={200: schemas.CaseOut, **WRITE_ERRORS}, auth=WRITE
)
def withdraw_case(
    request: HttpRequest,
    response: HttpResponse,
    reference: schemas.Reference,
    payload: schemas.WithdrawIn | None = None,
    if_match: str | None = IfMatch,
) -> dict[str, Any]:
    user = _user(request)
    reason = payload.reason if payload and payload.reason else ""
    checked(
        case_get(user=user, reference=reference),
        if_match,
        lambda case: case_withdraw(case=case, actor=user, reason=reason),
    )
    return _detail(request, response, reference)


@businesses.get("/businesses/{cvr}", response={200: schemas.BusinessOut, **ERRORS}, auth=READ)
@decorate_view(logs_personal_data(use="api_read", purpose="case_handling"))
def get_business(request: HttpRequest, cvr: schemas.Cvr) -> dict[str, Any]:
    business = business_get(user=_user(request), cvr=cvr)
    read_subject(request, business=business)
    return business_out(business)


# --- figures: the promise dashboard's and the public page's (issue 17) ---------------------


def _staff_filter(
    request: HttpRequest,
    start: dt.date | None,
    end: dt.date | None,
    department: str | None,
    service_type: str | None,
    coordinator: str | None,
) -> MeasureFilter:
    """The dashboard's filter, refused (422, per field) where the dashboard would fall back."""
    if not _user(request).is_staff:
        raise Forbidden("Kun kommunens medarbejdere kan se nøgletallene.")
    f, errors = read_filter(
        clock.today(),
        start=start,
        end=end,
        department=department,
        service_type=service_type,
        coordinator=coordinator,
    )
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)
    return f


@stats.get("/stats/promises", response={200: schemas.PromiseStatsOut, **ERRORS}, auth=READ)
# As the dashboard: a coordinator's figures are about that person.
@decorate_view(logs_personal_data(use="api_read", purpose="statistics", lists=True))
def promise_stats(
    request: HttpRequest,
    start: dt.date | None = None,
    end: dt.date | None = None,
    department: schemas.DepartmentCode | None = None,
    service_type: schemas.ServiceTypeCode | None = None,
    coordinator: schemas.Username | None = None,
) -> dict[str, Any]:
    """The promise dashboard's figures (staff): screening on time, answers on the promised
    date, national service targets, satisfaction with its n, and the backlog now.

    Filter as the dashboard's: the period (``start``, ``end``; at most five years; by default
    the last 12 months) and optionally a department, a service type and a coordinator."""
    f = _staff_filter(request, start, end, department, service_type, coordinator)
    return promise_stats_out(measures.promise_dashboard(f), overall_positive(f))


@stats.get("/stats/accuracy", response={200: schemas.AccuracyStatsOut, **ERRORS}, auth=READ)
# As the dashboard: a coordinator's figures are about that person.
@decorate_view(logs_personal_data(use="api_read", purpose="statistics", lists=True))
def accuracy_stats(
    request: HttpRequest,
    start: dt.date | None = None,
    end: dt.date | None = None,
    department: schemas.DepartmentCode | None = None,
    service_type: schemas.ServiceTypeCode | None = None,
    coordinator: schemas.Username | None = None,
) -> dict[str, Any]:
    """How well the answer promises held (staff), against the original promise and only
    once its date has passed: hit rate with its Wilson 95 % interval and n, median slack and
    lateness, promise ÷ median; the whole, per service type, per month, per basis.

    Filter as the dashboard's: the period (``start``, ``end``; at most five years; by default
    the last 12 months) and optionally a department, a service type and a coordinator."""
    f = _staff_filter(request, start, end, department, service_type, coordinator)
    return accuracy_stats_out(promise_accuracy(f))


PUBLIC_STATS_SECONDS = 300  # as the public page's cached part


@stats.get(
    "/stats/processing-times", response={200: schemas.PublicStatsOut, **PUBLIC_ERRORS}, auth=None
)
def public_stats(request: HttpRequest) -> dict[str, Any]:
    """The public processing-times page's figures (no login), over the last 12 months:
    processing times per service type, screening on time, satisfaction, and how well the
    answer promises held. Recomputed at most every five minutes."""
    today = clock.today()
    key = f"api:stats:public:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        f = MeasureFilter.last_12_months(today)
        kept = measures.screening(f).kept
        found = {
            "start": f.start,
            "end": f.end,
            "processing_times": [processing_time_out(r) for r in measures.processing_times(f)],
            "screening": share_out(kept.part, kept.n),
            "satisfaction": share_out(*overall_positive(f)),
            "inspection_satisfaction": share_out(
                *overall_positive(f, occasion=Occasion.INSPECTION)
            ),
            "accuracy": accuracy_stats_out(promise_accuracy(f)),
        }
        cache.set(key, found, PUBLIC_STATS_SECONDS)
    return found
