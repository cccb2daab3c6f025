"""Business-facing pages: parse the request, call one service or selector, render.

Every write goes through ``cases.services``; every read through the selectors, which scope
what a business user may see (another business's case is simply not found: 404). A refusal
from a service (``DomainError``) is shown on the page at the field it concerns, with what
the person typed put back; it never becomes a server error.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.base_user import BaseUserManager
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from erhvervskontakt.accounts.models import User
from erhvervskontakt.cases import rules, services
from erhvervskontakt.cases.models import Case, Deliverable, InquiryDraft
from erhvervskontakt.cases.selectors import (
    case_get,
    case_list,
    case_missing,
    case_next_business_deliverable,
    case_requirements,
    draft_get,
    draft_list,
    draft_missing,
    draft_requirements,
    draft_service_types,
    draft_submitted_reference,
)
from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.catalogue.selectors import municipality, service_type_list
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import DomainError, NotFound
from erhvervskontakt.inspections import selectors as inspection_selectors
from erhvervskontakt.inspections import services as inspection_services
from erhvervskontakt.inspections.models import Finding, Visit, VisitSlot

from . import labels
from .access import Acting, acting_for, business_user_required, switch_business
from .forms import (
    FormErrors,
    answer_input_value,
    answers_from_post,
    build_questions,
    contact_from_post,
    deliverable_title,
    field_id_for,
    input_id,
    input_name,
    missing_rows,
    raw_answers_from_post,
    service_type_name,
)
from .ratelimit import LoginThrottle

CASES_PER_PAGE = 20
OTHER_DOCUMENT_ID = "andet-dokument"
CASE_DOCUMENT_ID = "dokument-fil"
SLOT_FIELD_ID = "tidspunkt"


# --- small helpers ---------------------------------------------------------------------------


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """Render with what the layout needs: the municipality and who the visitor acts for."""
    page = {"municipality": municipality(), "acting": acting_for(request)}
    page.update(context or {})
    return render(request, template, page, status=status)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def safe_next(request: HttpRequest, candidate: str) -> str:
    """``candidate`` if it is a path on this site, else ""."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _case_for(request: HttpRequest, acting: Acting, reference: str) -> Case:
    """The case if it belongs to one of the user's businesses (which becomes current), or 404."""
    try:
        case = case_get(user=acting.user, reference=reference)
    except NotFound as error:
        raise Http404(error.message) from error
    business = acting.find(case.business.cvr)
    if business is None:
        raise Http404
    if switch_business(request, acting, business):
        messages.info(request, _("Du handler nu for %(name)s.") % {"name": business.name})
    return case


# --- public pages ----------------------------------------------------------------------------


def _catalogue_groups() -> list[tuple[str, list[ServiceType]]]:
    """The active catalogue by need, in the order of the needs; needs without services left out."""
    catalogue = list(service_type_list())
    groups = [
        (str(label), [st for st in catalogue if st.group == group])
        for group, label in labels.GROUPS.items()
    ]
    return [(label, sts) for label, sts in groups if sts]


@require_GET
def front_page(request: HttpRequest) -> HttpResponse:
    """What the municipality offers businesses: the promise and the catalogue by need."""
    return render_page(request, "portal/front.html", {"groups": _catalogue_groups()})


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render_page(request, "portal/pages/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render_page(request, "portal/pages/privacy.html")


# --- log in and out --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Log in with e-mail and password; failures are counted and slowed down."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next") or "")
    errors = FormErrors()
    username = ""
    status = 200
    if request.method == "POST":
        # Usernames are e-mail addresses, stored with the domain in lower case.
        username = BaseUserManager.normalize_email(request.POST.get("username", "").strip())
        password = request.POST.get("password", "")
        if not username:
            errors.add("brugernavn", _("Skriv din e-mailadresse."))
        if not password:
            errors.add("adgangskode", _("Skriv din adgangskode."))
        if not errors:
            throttle = LoginThrottle.for_request(request, username)
            if throttle.is_blocked():
                errors.add(
                    None,
                    _(
                        "Der har været for mange forkerte forsøg på at logge på. "
                        "Vent 15 minutter, og prøv igen."
                    ),
                )
                status = 429
            else:
                user = authenticate(request, username=username, password=password)
                if user is None:
                    throttle.record_failure()
                    errors.add(None, _("E-mailadressen eller adgangskoden er forkert."))
                else:
                    throttle.reset()
                    login(request, user)
                    return _after_login(request, user, next_url)
        status = status if status != 200 else 422
    return render_page(
        request,
        "portal/login.html",
        {"errors": errors, "username": username, "next": next_url},
        status=status,
    )


def _after_login(request: HttpRequest, user: Any, next_url: str) -> HttpResponse:
    if user.is_staff:
        messages.info(
            request,
            _(
                "Du er logget på som medarbejder. Medarbejdernes arbejdsbord kommer snart; "
                "indtil da arbejder du i administrationen."
            ),
        )
        return redirect("portal:front")
    acting = acting_for(request)
    if acting is None:
        messages.warning(
            request,
            _(
                "Din bruger kan ikke handle for nogen virksomhed endnu. "
                "Kontakt kommunen, så giver vi dig adgang."
            ),
        )
        return redirect("portal:front")
    messages.success(request, _("Du er logget på."))
    return redirect(next_url or reverse("portal:case_list"))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("Du er logget af."))
    return redirect("portal:front")


@require_POST
@business_user_required
def switch_business_view(request: HttpRequest, acting: Acting) -> HttpResponse:
    """Act for another of the user's businesses."""
    business = acting.find(request.POST.get("cvr", ""))
    if business is None:
        messages.error(request, _("Du kan ikke handle for den virksomhed."))
    else:
        switch_business(request, acting, business)
        messages.success(request, _("Du handler nu for %(name)s.") % {"name": business.name})
    return redirect(safe_next(request, request.POST.get("next", "")) or "portal:case_list")


# --- new inquiry -----------------------------------------------------------------------------

STEP_TITLES = {
    1: gettext_lazy("Hvad drejer det sig om?"),
    2: gettext_lazy("Oplysninger"),
    3: gettext_lazy("Dokumenter"),
    4: gettext_lazy("Gennemse og send"),
    5: gettext_lazy("Kvittering"),
}


def _steps(draft: InquiryDraft | None, current: int) -> list[dict[str, Any]]:
    """The DKFDS step indicator: done steps link back, steps not reached are disabled."""
    reached = draft.step if draft is not None else current
    steps = []
    for number, title in STEP_TITLES.items():
        steps.append(
            {
                "number": number,
                "title": str(title),
                "current": number == current,
                "done": number < current,
                "disabled": number > reached or number == 5 or draft is None,
                "href": (
                    reverse("portal:inquiry_step", args=[draft.pk, number])
                    if draft is not None and number < 5
                    else ""
                ),
            }
        )
    return steps


@require_http_methods(["GET", "POST"])
@business_user_required
def inquiry_new(request: HttpRequest, acting: Acting) -> HttpResponse:
    """Start a new inquiry (a server-side draft), or pick up one begun earlier."""
    if request.method == "POST":
        try:
            draft = services.draft_create(actor=acting.user, business=acting.current)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("portal:inquiry_new")
        return redirect("portal:inquiry_step", draft.pk, 1)
    return render_page(
        request,
        "portal/inquiry/new.html",
        {"drafts": draft_list(user=acting.user, business=acting.current)},
    )


def _draft_for(request: HttpRequest, acting: Acting, draft_id: int) -> InquiryDraft | HttpResponse:
    """The user's open draft; a submitted one leads to its receipt; else 404."""
    try:
        draft = draft_get(user=acting.user, pk=draft_id)
    except NotFound as error:
        reference = draft_submitted_reference(user=acting.user, pk=draft_id)
        if reference:
            return redirect("portal:case_receipt", reference)
        raise Http404(error.message) from error
    business = acting.find(draft.business.cvr)
    if business is None:
        raise Http404
    switch_business(request, acting, business)
    return draft


def _save_parts(
    draft: InquiryDraft, actor: User, errors: FormErrors, parts: list[dict[str, Any]]
) -> InquiryDraft:
    """Save each part of a step on its own, so what is valid is kept even if a part is not."""
    for part in parts:
        try:
            draft = services.draft_update(draft=draft, actor=actor, **part)
        except DomainError as error:
            errors.add_domain_error(error)
    return draft


def _advance(request: HttpRequest, draft: InquiryDraft, actor: User, step: int) -> HttpResponse:
    """After a saved step: on to the next (or back, if that button was used)."""
    going_back = request.POST.get("action") == "back"
    if not going_back and draft.step < step + 1:
        # Refused if, say, it was submitted meanwhile in another tab: the step page sends
        # the user on to its receipt.
        with contextlib.suppress(DomainError):
            draft = services.draft_update(draft=draft, actor=actor, step=step + 1)
    target = max(1, step - 1) if going_back else step + 1
    return redirect("portal:inquiry_step", draft.pk, target)


@require_http_methods(["GET", "POST"])
@business_user_required
def inquiry_step(request: HttpRequest, acting: Acting, draft_id: int, step: int) -> HttpResponse:
    """One step of the new-inquiry flow; every POST saves to the draft."""
    if step not in (1, 2, 3, 4):
        raise Http404
    found = _draft_for(request, acting, draft_id)
    if isinstance(found, HttpResponse):
        return found
    draft = found
    if step > draft.step:
        return redirect("portal:inquiry_step", draft.pk, draft.step)
    if step > 1 and not draft.data.get("service_types"):
        return redirect("portal:inquiry_step", draft.pk, 1)
    handlers = {1: _step_matters, 2: _step_questions, 3: _step_documents, 4: _step_review}
    return handlers[step](request, acting, draft)


def _render_step(
    request: HttpRequest,
    draft: InquiryDraft,
    step: int,
    context: dict[str, Any],
    errors: FormErrors,
) -> HttpResponse:
    page = {
        "draft": draft,
        "step": step,
        "step_title": str(STEP_TITLES[step]),
        "steps": _steps(draft, step),
        "errors": errors,
        **context,
    }
    return render_page(
        request, f"portal/inquiry/step{step}.html", page, status=422 if errors else 200
    )


def _step_matters(request: HttpRequest, acting: Acting, draft: InquiryDraft) -> HttpResponse:
    errors = FormErrors()
    chosen = list(draft.data.get("service_types") or [])
    description = str(draft.data.get("description") or "")
    if request.method == "POST":
        chosen = request.POST.getlist("service_types")
        description = request.POST.get("description", "")
        draft = _save_parts(
            draft,
            acting.user,
            errors,
            [{"service_types": chosen}, {"description": description}],
        )
        if not errors:
            return _advance(request, draft, acting.user, 1)
    return _render_step(
        request,
        draft,
        1,
        {"groups": _catalogue_groups(), "chosen": chosen, "description": description},
        errors,
    )


def _asked_by(service_types: list[ServiceType]) -> dict[str, list[str]]:
    """For a requirement asked by more than one chosen matter: the matters' names."""
    found: dict[str, list[str]] = {}
    for st in service_types:
        for requirement in st.requirements.all():
            found.setdefault(requirement.key, []).append(service_type_name(st))
    return {key: names for key, names in found.items() if len(names) > 1}


def _contact_prefill(draft: InquiryDraft, user: User) -> dict[str, str]:
    stored = draft.data.get("contact") or {}
    if stored:
        return {k: str(stored.get(k) or "") for k in ("name", "email", "phone")}
    return {"name": user.get_full_name(), "email": user.email or user.username, "phone": user.phone}


def _step_questions(request: HttpRequest, acting: Acting, draft: InquiryDraft) -> HttpResponse:
    errors = FormErrors()
    service_types = draft_service_types(draft)
    requirements = draft_requirements(draft, service_types)
    fields = [r for r in requirements.values() if r.kind == Requirement.Kind.FIELD]
    stored = draft.data.get("answers") or {}
    values = {input_id(key): answer_input_value(value) for key, value in stored.items()}
    contact = _contact_prefill(draft, acting.user)
    if request.method == "POST":
        values = raw_answers_from_post(request.POST, fields)
        contact = contact_from_post(request.POST)
        draft = _save_parts(
            draft,
            acting.user,
            errors,
            [{"answers": answers_from_post(request.POST, fields)}, {"contact": contact}],
        )
        if not errors:
            return _advance(request, draft, acting.user, 2)
    return _render_step(
        request,
        draft,
        2,
        {
            "questions": build_questions(
                fields, values=values, errors=errors, asked_by=_asked_by(service_types)
            ),
            "contact": contact,
            "missing": missing_rows(draft_missing(draft, service_types), requirements),
            "unsaved": bool(errors),
            "service_types": service_types,
        },
        errors,
    )


def _missing_box(
    request: HttpRequest,
    acting: Acting,
    draft: InquiryDraft,
    service_types: list[ServiceType],
    errors: FormErrors,
) -> HttpResponse:
    refreshed = draft_get(user=acting.user, pk=draft.pk)
    requirements = draft_requirements(refreshed, service_types)
    return render(
        request,
        "portal/inquiry/_missing_inner.html",
        {
            "draft": refreshed,
            "missing": missing_rows(draft_missing(refreshed, service_types), requirements),
            "unsaved": errors,
        },
    )


@require_POST
@business_user_required
def inquiry_check(request: HttpRequest, acting: Acting, draft_id: int) -> HttpResponse:
    """htmx, while answering step 2: keep the answers and say what is still missing."""
    found = _draft_for(request, acting, draft_id)
    if isinstance(found, HttpResponse):
        return found
    draft = found
    service_types = draft_service_types(draft)
    fields = [
        r
        for r in draft_requirements(draft, service_types).values()
        if r.kind == Requirement.Kind.FIELD
    ]
    errors = FormErrors()
    _save_parts(draft, acting.user, errors, [{"answers": answers_from_post(request.POST, fields)}])
    return _missing_box(request, acting, draft, service_types, errors)


def _current_documents(draft: InquiryDraft) -> dict[str, Any]:
    return {d.requirement_key: d for d in draft.documents.all() if not d.replaced}


def _step_documents(request: HttpRequest, acting: Acting, draft: InquiryDraft) -> HttpResponse:
    errors = FormErrors()
    service_types = draft_service_types(draft)
    requirements = draft_requirements(draft, service_types)
    documents = [r for r in requirements.values() if r.kind == Requirement.Kind.DOCUMENT]
    if request.method == "POST":
        uploads = [
            (r.key, input_id(r.key), request.FILES.get(input_name(r.key))) for r in documents
        ]
        uploads.append(("", OTHER_DOCUMENT_ID, request.FILES.get("document-other")))
        for key, field_id, upload in uploads:
            if upload is None:
                continue
            try:
                services.draft_add_document(
                    draft=draft, actor=acting.user, upload=upload, requirement_key=key
                )
            except DomainError as error:
                errors.add_domain_error(error, file_field=field_id)
        if not errors:
            return _advance(request, draft, acting.user, 3)
        draft = draft_get(user=acting.user, pk=draft.pk)
    return _render_step(
        request,
        draft,
        3,
        {
            "questions": build_questions(
                documents, values={}, errors=errors, asked_by=_asked_by(service_types)
            ),
            "uploaded": _current_documents(draft),
            "other_id": OTHER_DOCUMENT_ID,
            "other_error": errors.get(OTHER_DOCUMENT_ID),
            "missing": missing_rows(draft_missing(draft, service_types), requirements),
        },
        errors,
    )


def _step_link(draft: InquiryDraft, key: str) -> str:
    """Where to correct a field a submission refused: the step that asks it."""
    if key in ("service_types", "description"):
        step = 1
    elif key in ("file", "requirement"):
        step = 3
    else:
        step = 2
    field_id = field_id_for(key) or ""
    url = reverse("portal:inquiry_step", args=[draft.pk, step])
    return f"{url}#{field_id}" if field_id else url


def _step_review(request: HttpRequest, acting: Acting, draft: InquiryDraft) -> HttpResponse:
    errors = FormErrors()
    links: list[tuple[str, str]] = []
    if request.method == "POST":
        if request.POST.get("action") == "back":
            return redirect("portal:inquiry_step", draft.pk, 3)
        try:
            case = services.draft_submit(draft=draft, actor=acting.user)
        except DomainError as error:
            errors.add_domain_error(error)
            if error.errors:
                links = [(_step_link(draft, k), m) for k, m in error.errors.items()]
            else:
                links = [("", error.message)]
        else:
            return redirect("portal:case_receipt", case.reference)
    service_types = draft_service_types(draft)
    requirements = draft_requirements(draft, service_types)
    answers = draft.data.get("answers") or {}
    return _render_step(
        request,
        draft,
        4,
        {
            "service_types": service_types,
            "description": draft.data.get("description") or "",
            "answered": [
                (r, answers.get(r.key))
                for r in requirements.values()
                if r.kind == Requirement.Kind.FIELD
            ],
            "document_requirements": [
                r for r in requirements.values() if r.kind == Requirement.Kind.DOCUMENT
            ],
            "uploaded": _current_documents(draft),
            "contact": draft.data.get("contact") or {},
            "missing": missing_rows(draft_missing(draft, service_types), requirements),
            "error_links": links,
        },
        errors,
    )


# --- cases ----------------------------------------------------------------------------------

LIST_FILTERS = {"aabne": True, "afsluttede": False, "alle": None}


@require_GET
@business_user_required
def case_list_view(request: HttpRequest, acting: Acting) -> HttpResponse:
    """My cases: the current business's cases, open or closed, a page at a time."""
    shown = request.GET.get("vis", "aabne")
    if shown not in LIST_FILTERS:
        shown = "aabne"
    try:
        page = max(1, int(request.GET.get("side", "1")))
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
    case = _case_for(request, acting, reference)
    return render_page(
        request,
        "portal/inquiry/receipt.html",
        {
            "case": case,
            "missing": missing_rows(case_missing(case), case_requirements(case)),
            "steps": _steps(None, 5),
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
    plan = [
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
    return {
        "case": case,
        "errors": errors,
        "values": values or {},
        "missing": missing_rows(missing, requirements),
        "missing_questions": build_questions(
            [requirements[item.key] for item in missing if item.key in requirements],
            values=values or {},
            errors=errors,
        ),
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


def _when(starts_at: Any, ends_at: Any = None) -> str:
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
        {"slot": slot, "label": _when(slot.starts_at, slot.ends_at)}
        for slot in visit.slots.all()
        if slot.status == VisitSlot.Status.OFFERED and slot.starts_at > now
    ]
    after = visit.status in (Visit.Status.VISITED, Visit.Status.REPORTED, Visit.Status.PUBLISHED)
    findings = list(visit.findings.all()) if after else []
    return {
        "visit": visit,
        "visit_status": _visit_status(visit),
        "visit_kind": str(labels.INSPECTION_KINDS.get(visit.kind, visit.get_kind_display())),
        "visit_slots": slots if visit.status == Visit.Status.OFFERED else [],
        "visit_when": _when(visit.visit_at) if visit.visit_at else "",
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


def _render_case(
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


@require_GET
@business_user_required
def case_detail(request: HttpRequest, acting: Acting, reference: str) -> HttpResponse:
    return _render_case(request, _case_for(request, acting, reference))


def _after_material(request: HttpRequest, acting: Acting, case: Case, notice: str) -> HttpResponse:
    """Material received: htmx gets the fresh section, a plain form goes back to the page."""
    if is_htmx(request):
        fresh = case_get(user=acting.user, reference=case.reference)
        return _render_case(request, fresh, notice=notice)
    messages.success(request, notice)
    return redirect(reverse("portal:case_detail", args=[case.reference]) + "#materiale")


@require_POST
@business_user_required
def case_answers(request: HttpRequest, acting: Acting, reference: str) -> HttpResponse:
    """Answer missing questions in place on the case page."""
    case = _case_for(request, acting, reference)
    fields = [r for r in case_requirements(case).values() if r.kind == Requirement.Kind.FIELD]
    values = raw_answers_from_post(request.POST, fields)
    errors = FormErrors()
    try:
        services.case_supply_answers(
            case=case, actor=acting.user, answers=answers_from_post(request.POST, fields)
        )
    except DomainError as error:
        errors.add_domain_error(error)
        return _render_case(request, case, errors=errors, values=values)
    return _after_material(request, acting, case, _("Tak. Vi har modtaget jeres oplysninger."))


@require_POST
@business_user_required
def case_document(request: HttpRequest, acting: Acting, reference: str) -> HttpResponse:
    """Upload a document in place: for a missing requirement, or any other document."""
    case = _case_for(request, acting, reference)
    key = request.POST.get("requirement", "").strip()
    field_id = input_id(key) if key else CASE_DOCUMENT_ID
    upload = request.FILES.get("file")
    errors = FormErrors()
    if upload is None:
        errors.add(field_id, _("Vælg den fil, du vil sende."))
    else:
        try:
            services.case_add_document(
                case=case, actor=acting.user, upload=upload, requirement_key=key
            )
        except DomainError as error:
            errors.add_domain_error(error, file_field=field_id)
    if errors:
        return _render_case(request, case, errors=errors)
    return _after_material(request, acting, case, _("Tak. Vi har modtaget dokumentet."))


@require_GET
@business_user_required
def case_document_download(
    request: HttpRequest, acting: Acting, reference: str, document_id: int
) -> FileResponse:
    case = _case_for(request, acting, reference)
    document = next((d for d in case.documents.all() if d.pk == document_id), None)
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except OSError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@require_POST
@business_user_required
def case_visit_slot(request: HttpRequest, acting: Acting, reference: str) -> HttpResponse:
    """The business picks one of the times offered for the inspection visit."""
    case = _case_for(request, acting, reference)
    visit = inspection_selectors.visit_for_case(case=case, user=acting.user)
    if visit is None:
        raise Http404
    errors = FormErrors()
    try:
        slot_id = int(request.POST.get("slot", ""))
    except ValueError:
        errors.add(SLOT_FIELD_ID, _("Vælg et af tidspunkterne for besøget."))
    else:
        try:
            visit = inspection_services.visit_choose_slot(
                visit=visit, actor=acting.user, slot_id=slot_id
            )
        except DomainError as error:
            # Whatever field the service names, the answer is this one radio group.
            for message in error.errors.values():
                errors.add(SLOT_FIELD_ID, message)
            if not error.errors:
                errors.add(None, error.message)
    if errors:
        return _render_case(request, case, errors=errors)
    messages.success(
        request,
        _("Tak. Besøget er aftalt til %(when)s.") % {"when": _when(visit.visit_at)},
    )
    return redirect(reverse("portal:case_detail", args=[case.reference]) + "#tilsynsbesoeg")


@require_POST
@business_user_required
def case_message(request: HttpRequest, acting: Acting, reference: str) -> HttpResponse:
    """A message to the coordinator."""
    case = _case_for(request, acting, reference)
    body = request.POST.get("body", "")
    try:
        services.case_message_post(case=case, actor=acting.user, body=body)
    except DomainError as error:
        errors = FormErrors()
        errors.add_domain_error(error)
        return _render_case(request, case, errors=errors, values={"besked": body})
    messages.success(request, _("Din besked er sendt."))
    return redirect(reverse("portal:case_detail", args=[case.reference]) + "#beskeder")


@require_http_methods(["GET", "POST"])
@business_user_required
def case_withdraw(request: HttpRequest, acting: Acting, reference: str) -> HttpResponse:
    """Withdraw the inquiry, after a confirmation page."""
    case = _case_for(request, acting, reference)
    detail = reverse("portal:case_detail", args=[case.reference])
    if inspection_selectors.visit_for_case(case=case, user=acting.user) is not None:
        messages.info(
            request,
            _(
                "Et tilsynsbesøg kan ikke trækkes tilbage. Skriv til os, hvis tidspunktet ikke passer."
            ),
        )
        return redirect(detail)
    if not case.is_open:
        messages.info(request, _("Sagen er ikke åben og kan ikke trækkes tilbage."))
        return redirect(detail)
    errors = FormErrors()
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            services.case_withdraw(case=case, actor=acting.user, reason=reason[:1000])
        except DomainError as error:
            errors.add_domain_error(error)
        else:
            messages.success(
                request,
                _("Henvendelsen %(reference)s er trukket tilbage.") % {"reference": case.reference},
            )
            return redirect(detail)
    return render_page(
        request,
        "portal/cases/withdraw.html",
        {"case": case, "errors": errors, "reason": reason},
        status=422 if errors else 200,
    )
