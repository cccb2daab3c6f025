"""What a business does on its case: answers and documents delivered, a visit time chosen, a
message, the inquiry withdrawn."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.selectors import (
    case_get,
    case_requirements,
)
from erhvervskontakt.cases.services import lifecycle
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.material import case_supply_answers
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.catalogue.models import Requirement
from erhvervskontakt.common.errors import DomainError
from erhvervskontakt.inspections import selectors as inspection_selectors
from erhvervskontakt.inspections.services.visits import visit_choose_slot
from erhvervskontakt.web.access import Acting, business_user_required
from erhvervskontakt.web.files import document_response
from erhvervskontakt.web.pages import is_htmx, render_page

from ..forms import (
    FormErrors,
    answers_from_post,
    input_id,
    raw_answers_from_post,
)
from .cases import render_case, visit_when
from .common import CASE_DOCUMENT_ID, SLOT_FIELD_ID, case_for


def _after_material(request: HttpRequest, acting: Acting, case: Case, notice: str) -> HttpResponse:
    """Material received: htmx gets the fresh section, a plain form goes back to the page."""
    if is_htmx(request):
        fresh = case_get(user=acting.user, reference=case.reference)
        return render_case(request, fresh, notice=notice)
    messages.success(request, notice)
    return redirect(reverse("portal:case_detail", args=[case.reference]) + "#materiale")


@require_POST
@business_user_required
def case_answers(request: HttpRequest, acting: Acting, reference: str) -> HttpResponse:
    """Answer missing questions in place on the case page."""
    case = case_for(request, acting, reference)
    fields = [r for r in case_requirements(case).values() if r.kind == Requirement.Kind.FIELD]
    values = raw_answers_from_post(request.POST, fields)
    errors = FormErrors()
    try:
        case_supply_answers(
            case=case, actor=acting.user, answers=answers_from_post(request.POST, fields)
        )
    except DomainError as error:
        errors.add_domain_error(error)
        return render_case(request, case, errors=errors, values=values)
    return _after_material(request, acting, case, _("Tak. Vi har modtaget jeres oplysninger."))


@require_POST
@business_user_required
def case_document(request: HttpRequest, acting: Acting, reference: str) -> HttpResponse:
    """Upload a document in place: for a missing requirement, or any other document."""
    case = case_for(request, acting, reference)
    key = request.POST.get("requirement", "").strip()
    field_id = input_id(key) if key else CASE_DOCUMENT_ID
    upload = request.FILES.get("file")
    errors = FormErrors()
    if upload is None:
        errors.add(field_id, _("Vælg den fil, du vil sende."))
    else:
        try:
            case_add_document(case=case, actor=acting.user, upload=upload, requirement_key=key)
        except DomainError as error:
            errors.add_domain_error(error, file_field=field_id)
    if errors:
        return render_case(request, case, errors=errors)
    return _after_material(request, acting, case, _("Tak. Vi har modtaget dokumentet."))


@require_GET
@business_user_required
def case_document_download(
    request: HttpRequest, acting: Acting, reference: str, document_id: int
) -> FileResponse:
    case = case_for(request, acting, reference)
    document = next((d for d in case.documents.all() if d.pk == document_id), None)
    if document is None:
        raise Http404
    return document_response(document, as_attachment=True)


@require_POST
@business_user_required
def case_visit_slot(request: HttpRequest, acting: Acting, reference: str) -> HttpResponse:
    """The business picks one of the times offered for the inspection visit."""
    case = case_for(request, acting, reference)
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
            visit = visit_choose_slot(visit=visit, actor=acting.user, slot_id=slot_id)
        except DomainError as error:
            # Whatever field the service names, the answer is this one radio group.
            for message in error.errors.values():
                errors.add(SLOT_FIELD_ID, message)
            if not error.errors:
                errors.add(None, error.message)
    if errors:
        return render_case(request, case, errors=errors)
    messages.success(
        request,
        _("Tak. Besøget er aftalt til %(when)s.") % {"when": visit_when(visit.visit_at)},
    )
    return redirect(reverse("portal:case_detail", args=[case.reference]) + "#tilsynsbesoeg")


@require_POST
@business_user_required
def case_message(request: HttpRequest, acting: Acting, reference: str) -> HttpResponse:
    """A message to the coordinator."""
    case = case_for(request, acting, reference)
    body = request.POST.get("body", "")
    try:
        case_message_post(case=case, actor=acting.user, body=body)
    except DomainError as error:
        errors = FormErrors()
        errors.add_domain_error(error)
        return render_case(request, case, errors=errors, values={"besked": body})
    messages.success(request, _("Din besked er sendt."))
    return redirect(reverse("portal:case_detail", args=[case.reference]) + "#beskeder")


@require_http_methods(["GET", "POST"])
@business_user_required
def case_withdraw(request: HttpRequest, acting: Acting, reference: str) -> HttpResponse:
    """Withdraw the inquiry, after a confirmation page."""
    case = case_for(request, acting, reference)
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
            lifecycle.case_withdraw(case=case, actor=acting.user, reason=reason[:1000])
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
