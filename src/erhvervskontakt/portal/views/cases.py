"""My cases, the receipt and the case page (status, delivery plan, what is missing, the timeline)."""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from erhvervskontakt.cases import rules
from erhvervskontakt.cases.models import Case, Channel, Deliverable
from erhvervskontakt.cases.selectors import (
    case_list,
    case_missing,
    case_next_business_deliverable,
    case_requirements,
    draft_list,
)
from erhvervskontakt.common import clock
from erhvervskontakt.inspections import selectors as inspection_selectors
from erhvervskontakt.inspections.models import AFTER_VISIT, Finding, Visit, VisitSlot
from erhvervskontakt.web import labels
from erhvervskontakt.web.access import Acting, acting_for, business_user_required
from erhvervskontakt.web.pages import is_htmx, render_page

from ..forms import (
    FormErrors,
    build_questions,
    deliverable_title,
    input_id,
    missing_rows,
)
from .common import CASE_DOCUMENT_ID, CASES_PER_PAGE, SLOT_FIELD_ID, case_for
from .inquiry import step_list

LIST_FILTERS = {"aabne": True, "afsluttede": False, "alle": None}


MAX_PAGE = 100_000


@require_GET
@business_user_required
def case_list_view(request: HttpRequest, acting: Acting) -> HttpResponse:
    """My cases: the current business's cases, open or closed, a page at a time."""
    shown = request.GET.get("vis", "aabne")
    if shown not in LIST_FILTERS:
        shown = "aabne"
    try:
        # Bounded, so the SQL OFFSET fits a 64-bit integer on every database.
        page = min(max(1, int(request.GET.get("side", "1"))), MAX_PAGE)
    except ValueError:
        page = 1
    result = case_list(
        user=acting.user,
        cvr=acting.current.cvr,
        is_open=LIST_FILTERS[shown],
        limit=CASES_PER_PAGE,
        offset=(page - 1) * CASES_PER_PAGE,
    )
    pages = max(1, math.ceil(result.count / CASES_PER_PAGE))
    rows = []
    visits = inspection_selectors.visits_by_case(
        user=acting.user, case_ids=[case.pk for case in result.items]
    )
    for case in result.items:
        upcoming = case_next_business_deliverable(case)
        title = (
            deliverable_title(upcoming, case_requirements(case), case.service_types.all())
            if upcoming is not None
            else ""
        )
        visit = visits.get(case.pk)
        rows.append(
            {
                "case": case,
                "next": upcoming,
                "next_title": title,
                "visit": visit,
                "visit_status": _visit_status(visit) if visit is not None else "",
            }
        )
    return render_page(
        request,
        "portal/cases/list.html",
        {
            "rows": rows,
            "count": result.count,
            "shown": shown,
            "page": page,
            "pages": pages,
            "page_numbers": range(max(1, page - 3), min(pages, page + 3) + 1),
            "drafts": draft_list(user=acting.user, business=acting.current),
        },
    )


@require_GET
@business_user_required
def case_receipt(request: HttpRequest, acting: Acting, reference: str) -> HttpResponse:
    """Right after submitting: the reference, when we answer, and what is missing."""
    case = case_for(request, acting, reference)
    return render_page(
        request,
        "portal/inquiry/receipt.html",
        {
            "case": case,
            "missing": missing_rows(case_missing(case), case_requirements(case)),
            "steps": step_list(None, 5),
            "step": 5,
        },
    )


def _case_context(
    case: Case, *, errors: FormErrors | None = None, values: dict[str, str] | None = None
) -> dict[str, Any]:
    errors = errors or FormErrors()
    missing = case_missing(case)
    requirements = case_requirements(case)
    service_types = list(case.service_types.all())
    missing_keys = {item.key for item in missing}
    today = clock.today()
    plan: list[dict[str, Any]] = [
        {
            "deliverable": d,
            "party": d.party,
            "title": deliverable_title(d, requirements, service_types),
            "overdue": d.is_overdue(today),
            "anchor": (
                input_id(d.requirement_key)
                if case.is_open
                and d.status == Deliverable.Status.PENDING
                and d.requirement_key in missing_keys
                else ""
            ),
        }
        for d in case.deliverables.all()
    ]
    # The business's own lines that no requirement answers (a noise calculation the
    # coordinator added, an agreed solution from an inspection): each is delivered from here.
    open_lines: list[dict[str, Any]] = []
    for item in plan:
        line: Deliverable = item["deliverable"]
        if (
            case.is_open
            and case.channel != Channel.INSPECTION  # the inspector confirms those
            and line.party == Deliverable.Party.BUSINESS
            and line.status == Deliverable.Status.PENDING
            and not line.requirement_key
        ):
            item["anchor"] = f"leverance-{line.pk}-fil"
            open_lines.append(
                {
                    "item": item,
                    "file_id": f"leverance-{line.pk}-fil",
                    "note_id": f"leverance-{line.pk}-svar",
                    "note": (values or {}).get(f"leverance-{line.pk}", ""),
                }
            )
    questions = build_questions(
        [requirements[item.key] for item in missing if item.key in requirements],
        values=values or {},
        errors=errors,
    )
    return {
        "case": case,
        "errors": errors,
        "values": values or {},
        "open_lines": open_lines,
        # What "we still need from you" counts: the missing material and the open lines.
        "still_needed": (len(questions) if case.is_open else 0) + len(open_lines),
        "missing": missing_rows(missing, requirements),
        "missing_questions": questions,
        "ours": [item for item in plan if item["party"] == Deliverable.Party.BUSINESS],
        "theirs": [item for item in plan if item["party"] == Deliverable.Party.MUNICIPALITY],
        "answers": [
            (requirements.get(answer.key), answer)
            for answer in case.answers.all()
            if answer.key in requirements
        ],
        "requirements": requirements,
        "target_days": rules.service_target_days(service_types),
        "document_id": CASE_DOCUMENT_ID,
        "can_withdraw": case.is_open,
    }


def _visit_status(visit: Visit) -> str:
    """ "Tilsynsbesøg – tid aftalt": how the visit reads beside the case's status."""
    return str(labels.VISIT_STATUSES.get(visit.status, visit.get_status_display()))


def visit_when(starts_at: Any, ends_at: Any = None) -> str:
    """``tirsdag den 3. marts 2026 kl. 09.00–11.00`` in the municipality's time zone."""
    start = date_format(timezone.localtime(starts_at), _(r"l \d\e\n j. F Y \k\l. H.i"))
    if ends_at is None:
        return start
    end = date_format(timezone.localtime(ends_at), _("H.i"))
    return f"{start}–{end}"


def _visit_context(visit: Visit | None) -> dict[str, Any]:
    """The inspection visit on the business's case page: what is looked at, the times to
    choose from, the booked time, and after the visit the findings and any enforcement."""
    if visit is None:
        return {"visit": None}
    now = clock.now()
    slots = [
        {"slot": slot, "label": visit_when(slot.starts_at, slot.ends_at)}
        for slot in visit.slots.all()
        if slot.status == VisitSlot.Status.OFFERED and slot.starts_at > now
    ]
    after = visit.status in AFTER_VISIT
    findings = list(visit.findings.all()) if after else []
    # The booked window is the chosen slot's (from the prefetch); a time the inspector fixed
    # has no slot, so it shows its start only.
    booked = next(
        (
            slot
            for slot in visit.slots.all()
            if slot.status == VisitSlot.Status.CHOSEN and slot.starts_at == visit.visit_at
        ),
        None,
    )
    inspector = visit.inspector
    return {
        "visit": visit,
        "visit_status": _visit_status(visit),
        "visit_kind": str(labels.INSPECTION_KINDS.get(visit.kind, visit.get_kind_display())),
        "visit_slots": slots if visit.status == Visit.Status.OFFERED else [],
        "visit_when": (
            visit_when(visit.visit_at, booked.ends_at if booked else None) if visit.visit_at else ""
        ),
        # Whom the business meets and can reach about the visit (the same details as the
        # booking e-mail gives).
        "visit_inspector": {
            "name": inspector.display_name,
            "title": inspector.title,
            "email": inspector.email,
            "phone": inspector.phone,
        },
        "visit_after": after,
        "visit_findings": [
            (str(label), [f for f in findings if f.kind == kind])
            for kind, label in labels.FINDING_KINDS.items()
            if any(f.kind == kind for f in findings)
        ],
        "visit_agreements": [f for f in findings if f.kind == Finding.Kind.AGREEMENT],
        "visit_enforcements": [
            (str(labels.ENFORCEMENT_KINDS.get(e.kind, e.get_kind_display())), e)
            for e in (visit.enforcements.all() if after else [])
        ],
        "slot_field_id": SLOT_FIELD_ID,
    }


def render_case(
    request: HttpRequest,
    case: Case,
    *,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    notice: str = "",
) -> HttpResponse:
    """The case page, or (for htmx) just its delivery plan and missing items."""
    context = _case_context(case, errors=errors, values=values)
    context["notice"] = notice
    context["oob"] = is_htmx(request)
    if is_htmx(request):
        return render(request, "portal/cases/_material.html", context)
    acting = acting_for(request)
    visit = inspection_selectors.visit_for_case(case=case, user=acting.user) if acting else None
    context.update(_visit_context(visit))
    # An inspection is the municipality's own case: the business cannot withdraw it.
    context["can_withdraw"] = context["can_withdraw"] and context["visit"] is None
    slot_error = context["errors"].fields.pop(SLOT_FIELD_ID, "")
    if slot_error:
        # At the radio group if it is still shown; otherwise (the times have gone) at the top.
        context["errors"].add(SLOT_FIELD_ID if context.get("visit_slots") else None, slot_error)
    return render_page(request, "portal/cases/detail.html", context, status=422 if errors else 200)
