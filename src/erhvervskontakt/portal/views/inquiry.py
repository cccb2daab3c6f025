"""A new inquiry, step by step: matters, questions, documents, review; then it is submitted."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from erhvervskontakt.accounts.models import User
from erhvervskontakt.cases.models import InquiryDraft
from erhvervskontakt.cases.selectors import (
    draft_get,
    draft_list,
    draft_missing,
    draft_requirements,
    draft_service_types,
    draft_submitted_reference,
)
from erhvervskontakt.cases.services.drafts import (
    draft_add_document,
    draft_create,
    draft_keep_answers,
    draft_submit,
    draft_update,
)
from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.catalogue.selectors import (
    search_words,
    service_type_matches,
    service_type_search_text,
)
from erhvervskontakt.common.errors import DomainError, NotFound
from erhvervskontakt.web.access import Acting, business_user_required, switch_business
from erhvervskontakt.web.labels import answer_input_value, service_type_name
from erhvervskontakt.web.pages import render_page

from ..forms import (
    FormErrors,
    answers_from_post,
    build_questions,
    contact_from_post,
    field_id_for,
    input_id,
    input_name,
    missing_rows,
    raw_answers_from_post,
)
from .common import OTHER_DOCUMENT_ID
from .front import catalogue_groups

# What each need covers, to help a business choose in step 1 (by ``ServiceType.Group``).
GROUP_HINTS: dict[str, Promise] = {
    ServiceType.Group.START: gettext_lazy(
        "Når I starter, flytter eller udvider virksomheden – og arrangementer med mange gæster."
    ),
    ServiceType.Group.BUILD: gettext_lazy(
        "Nybyggeri, tilbygning, ombygning og ny anvendelse af bygninger."
    ),
    ServiceType.Group.ENVIRONMENT: gettext_lazy(
        "Godkendelser og anmeldelser af aktiviteter, der kan give støj, lugt eller "
        "forurening, og spildevand fra virksomheden."
    ),
    ServiceType.Group.ROAD: gettext_lazy(
        "Når I vil stille noget på eller grave i kommunens vej, fortov eller torv."
    ),
    ServiceType.Group.ADVICE: gettext_lazy(
        "Er I i tvivl om, hvad I skal søge om? Så start her – vi finder ud af det sammen."
    ),
}

STEP_TITLES = {
    1: gettext_lazy("Hvad drejer det sig om?"),
    2: gettext_lazy("Oplysninger"),
    3: gettext_lazy("Dokumenter"),
    4: gettext_lazy("Gennemse og send"),
    5: gettext_lazy("Kvittering"),
}


def step_list(draft: InquiryDraft | None, current: int) -> list[dict[str, Any]]:
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
            draft = draft_create(actor=acting.user, business=acting.current)
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
            draft = draft_update(draft=draft, actor=actor, **part)
        except DomainError as error:
            errors.add_domain_error(error)
    return draft


def _keep_answers(
    draft: InquiryDraft,
    actor: User,
    errors: FormErrors,
    answers: dict[str, Any],
    contact: dict[str, str] | None = None,
) -> InquiryDraft:
    """Keep every valid answer of the questions step; the refused ones become field errors."""
    try:
        kept = draft_keep_answers(draft=draft, actor=actor, answers=answers, contact=contact)
    except DomainError as error:
        errors.add_domain_error(error)
        return draft
    for key, message in kept.refused.items():
        errors.add(field_id_for(key), message)
    return kept.draft


def _advance(request: HttpRequest, draft: InquiryDraft, actor: User, step: int) -> HttpResponse:
    """After a saved step: on to the next (or back, if that button was used)."""
    going_back = request.POST.get("action") == "back"
    if not going_back and draft.step < step + 1:
        # Refused if, say, it was submitted meanwhile in another tab: the step page sends
        # the user on to its receipt.
        with contextlib.suppress(DomainError):
            draft = draft_update(draft=draft, actor=actor, step=step + 1)
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
        "steps": step_list(draft, step),
        "errors": errors,
        **context,
    }
    return render_page(
        request, f"portal/inquiry/step{step}.html", page, status=422 if errors else 200
    )


def _catalogue_choice(query: str, chosen: list[str]) -> dict[str, Any]:
    """Step 1's catalogue: the needs with their help, each service type with what a search
    looks in; with a search (``?q=``, filtered here, so it works without JavaScript), only
    the matching ones, and the chosen ones it hides carried as hidden fields."""
    words = search_words(query)
    groups = []
    hidden: list[ServiceType] = []
    shown = 0
    for label, service_types in catalogue_groups():
        group = service_types[0].group  # a need is listed only with its service types
        rows = []
        for st in service_types:
            if words and not service_type_matches(st, words):
                if st.code in chosen:
                    hidden.append(st)
                continue
            rows.append({"st": st, "search": service_type_search_text(st)})
        shown += len(rows)
        if rows or not words:
            groups.append(
                {"code": group, "label": label, "hint": GROUP_HINTS.get(group, ""), "rows": rows}
            )
    return {"groups": groups, "query": query, "shown": shown, "hidden_chosen": hidden}


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
    query = request.GET.get("q", "").strip()[:100]
    return _render_step(
        request,
        draft,
        1,
        {**_catalogue_choice(query, chosen), "chosen": chosen, "description": description},
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
        draft = _keep_answers(
            draft, acting.user, errors, answers_from_post(request.POST, fields), contact
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
            "missing": missing_rows(draft_missing(draft, service_types), requirements, errors),
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
            "missing": missing_rows(draft_missing(refreshed, service_types), requirements, errors),
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
    _keep_answers(draft, acting.user, errors, answers_from_post(request.POST, fields))
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
                draft_add_document(
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
            case = draft_submit(draft=draft, actor=acting.user)
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
