"""What a business does on its case: answers and documents delivered, a visit time chosen, a
message, the inquiry withdrawn — and the case page itself, which shows a refused form's
errors once (Post/Redirect/Get, see ``_refused``).

Every action's address answers a GET (a reload, the back button, a login's ``?next=``) by
going to its place on the case page, never with 405.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.selectors import (
    case_get,
    case_requirements,
    deliverable_get,
)
from erhvervskontakt.cases.services import lifecycle
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.material import case_supply_answers
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.plan import deliverable_mark_delivered
from erhvervskontakt.catalogue.models import Requirement
from erhvervskontakt.common.errors import DomainError, NotFound
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

View = Callable[..., HttpResponse]

# The refused form of one case, kept in the session for the next view of the case page.
REFUSAL_KEY = "portal:case-refusal"


def _case_url(reference: str, anchor: str = "") -> str:
    return reverse("portal:case_detail", args=[reference]) + (f"#{anchor}" if anchor else "")


def _posted_here(anchor: str) -> Callable[[View], View]:
    """A case action takes a POST; a GET of its address (the page a refused post used to be
    left on, reloaded or bookmarked) goes to the action's place on the case page (``anchor``)
    instead of answering 405."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, reference: str, **kwargs: Any) -> HttpResponse:
            if request.method in ("GET", "HEAD"):
                return redirect(_case_url(reference, anchor))
            if request.method != "POST":
                return HttpResponseNotAllowed(["GET", "POST"])
            return view(request, reference=reference, **kwargs)

        return wrapper

    return decorate


def _refused(
    request: HttpRequest,
    case: Case,
    errors: FormErrors,
    values: dict[str, str] | None = None,
) -> HttpResponse:
    """A refused form ends at the case's own address, with its errors and what was typed.

    With htmx (the forms of the delivery plan and what is missing) the section is rendered in
    place; the address bar never left the case page, so nothing more is needed. A plain form
    post (the message, "another document", the visit time — with or without JavaScript, as
    those forms are not enhanced — and every form without JavaScript) is answered with
    Post/Redirect/Get: the errors and the typed values go into the session for one view of
    the case page, and a 303 sends the browser there. We chose that over rendering the page
    at the action's address and rewriting it with ``history.replaceState``, because that
    needs JavaScript, and one path for both keeps reload and back safe: a reload shows the
    case page afresh and never posts again. A file cannot be kept; the field says to choose
    it again. No fragment: the page opens at its top, at the error summary (DKFDS focuses
    it), whose links go to the fields.
    """
    if is_htmx(request):
        return render_case(request, case, errors=errors, values=values)
    request.session[REFUSAL_KEY] = {
        "reference": case.reference,
        "fields": dict(errors.fields),
        "general": list(errors.general),
        "values": dict(values or {}),
    }
    return HttpResponseRedirect(_case_url(case.reference), status=303)


@require_GET
@business_user_required
def case_page(request: HttpRequest, acting: Acting, reference: str) -> HttpResponse:
    """The case page; right after a refused plain form (``_refused``), once, with its errors
    and what was typed. It answers 200: the page was found, the refusal was the post's."""
    case = case_for(request, acting, reference)
    refusal = request.session.pop(REFUSAL_KEY, None)
    if not isinstance(refusal, dict) or refusal.get("reference") != case.reference:
        return render_case(request, case)
    errors = FormErrors(
        fields={str(k): str(v) for k, v in dict(refusal.get("fields") or {}).items()},
        general=[str(m) for m in list(refusal.get("general") or [])],
    )
    values = {str(k): str(v) for k, v in dict(refusal.get("values") or {}).items()}
    response = render_case(request, case, errors=errors, values=values)
    response.status_code = 200
    return response


def _after_material(request: HttpRequest, acting: Acting, case: Case, notice: str) -> HttpResponse:
    """Material received: htmx gets the fresh section, a plain form goes back to the page."""
    if is_htmx(request):
        fresh = case_get(user=acting.user, reference=case.reference)
        return render_case(request, fresh, notice=notice)
    messages.success(request, notice)
    return redirect(_case_url(case.reference, "materiale"))


@_posted_here("materiale")
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
        return _refused(request, case, errors, values)
    return _after_material(request, acting, case, _("Tak. Vi har modtaget jeres oplysninger."))


@_posted_here("dokumenter")
@business_user_required
def case_document(request: HttpRequest, acting: Acting, reference: str) -> HttpResponse:
    """Upload a document in place: for a missing requirement, or any other document."""
    case = case_for(request, acting, reference)
    key = request.POST.get("requirement", "").strip()
    field_id = input_id(key) if key else CASE_DOCUMENT_ID
    upload = request.FILES.get("file")
    errors = FormErrors()
    if upload is None:
        errors.add(field_id, _("Vælg den fil, I vil sende."))
    else:
        try:
            case_add_document(case=case, actor=acting.user, upload=upload, requirement_key=key)
        except DomainError as error:
            errors.add_domain_error(error, file_field=field_id)
    if errors:
        return _refused(request, case, errors)
    return _after_material(request, acting, case, _("Tak. Vi har modtaget dokumentet."))


def line_field_id(deliverable_id: int) -> str:
    """The file field of one delivery-plan line's form on the case page."""
    return f"leverance-{deliverable_id}-fil"


@_posted_here("leveranceplan")
@business_user_required
def case_deliver(
    request: HttpRequest, acting: Acting, reference: str, deliverable_id: int
) -> HttpResponse:
    """The business delivers one of its lines of the delivery plan from the case page: a
    document sent against the line, a short answer, or both — or it marks the line as
    delivered (it was handed over another way)."""
    case = case_for(request, acting, reference)
    try:
        deliverable = deliverable_get(case=case, pk=deliverable_id)
    except NotFound as error:
        raise Http404 from error
    note = request.POST.get("note", "")
    errors = FormErrors()
    try:
        deliverable_mark_delivered(
            deliverable=deliverable,
            actor=acting.user,
            note=note,
            upload=request.FILES.get("file"),
        )
    except DomainError as error:
        field_id = line_field_id(deliverable_id)
        for key, message in error.errors.items():
            errors.add(f"leverance-{deliverable_id}-svar" if key == "note" else field_id, message)
        if not error.errors:
            errors.add(field_id, error.message)
        return _refused(request, case, errors, {f"leverance-{deliverable_id}": note})
    return _after_material(
        request,
        acting,
        case,
        _("Tak. Vi har modtaget det: %(title)s.") % {"title": deliverable.title},
    )


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


@_posted_here("tilsynsbesoeg")
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
        return _refused(request, case, errors)
    chosen = next((slot for slot in visit.slots.all() if slot.pk == slot_id), None)
    when = visit_when(visit.visit_at, chosen.ends_at if chosen is not None else None)
    messages.success(request, _("Tak. Besøget er aftalt til %(when)s.") % {"when": when})
    return redirect(_case_url(case.reference, "tilsynsbesoeg"))


@_posted_here("beskeder")
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
        return _refused(request, case, errors, {"besked": body})
    messages.success(request, _("Jeres besked er sendt."))
    return redirect(_case_url(case.reference, "beskeder"))


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
