"""Staff pages (medarbejdernes arbejdsbord): parse the request, call one service or selector,
render.

Reads go through the selectors, which scope by ``Case.objects.visible_to`` (a caseworker
asking for a case outside their department gets 404). Writes go through ``cases.services``;
a refusal (``DomainError``) is shown beside the form it concerns, with what the person typed
put back. Every edit form carries the version of the case (or task) it was rendered with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from erhvervskontakt.accounts.models import User
from erhvervskontakt.accounts.selectors import active_staff_get
from erhvervskontakt.businesses import services as business_services
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.businesses.selectors import business_get
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases import rules, services
from erhvervskontakt.cases.models import Case, CaseStatus, Channel, Deliverable
from erhvervskontakt.cases.selectors import (
    MY_CASE_FILTERS,
    case_get,
    case_missing,
    case_requirements,
    case_search,
    coordinator_loads,
    deliverable_get,
    department_colleagues,
    department_inbox,
    my_businesses,
    my_cases,
    screening_queue,
    task_get,
)
from erhvervskontakt.catalogue.selectors import municipality, service_type_list
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import DomainError, NotFound

from .access import can_coordinate, is_workbench_user, staff_required

PER_PAGE = 25
CPH = ZoneInfo("Europe/Copenhagen")
STAFF_CHANNELS = (Channel.PHONE, Channel.EMAIL, Channel.LETTER, Channel.MEETING)


# --- small helpers ---------------------------------------------------------------------------


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HttpResponse:
    page: dict[str, Any] = {
        "municipality": municipality(),
        "can_coordinate": can_coordinate(request.user),
    }
    page.update(context or {})
    return render(request, template, page, status=status)


def paginate(request: HttpRequest, queryset: QuerySet[Any]) -> Page[Any]:
    """One page of a list: a count query and the page's rows (with their prefetches)."""
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("side"))


def _case(request: HttpRequest, reference: str) -> Case:
    try:
        return case_get(user=request.user, reference=reference)  # type: ignore[arg-type]
    except NotFound as error:
        raise Http404(error.message) from error


def _version(post: QueryDict) -> int | None:
    try:
        return int(post.get("version", ""))
    except ValueError:
        return None


def _status_for(error: DomainError) -> int:
    return error.status_code if error.status_code in (403, 404, 409, 422) else 400


def _days_left(calendar: Any, today: dt.date, due: dt.date) -> int:
    return int(calendar.working_days_between(today, due))


def _urgency(days: int) -> str:
    if days < 0:
        return "overdue"
    if days == 0:
        return "today"
    if days <= 1:
        return "soon"
    return "ok"


# --- log in and out --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Staff log in with username and password (Django auth); business users are refused."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = AuthenticationForm(request, data=request.POST or None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            user = form.get_user()
            if is_workbench_user(user):
                login(request, user)
                return redirect(next_url or reverse("workbench:home"))
            error = _("Kun kommunens medarbejdere kan logge på arbejdsbordet.")
        else:
            error = _("Brugernavnet eller adgangskoden er forkert.")
    return render_page(
        request,
        "workbench/login.html",
        {"error": error, "username": request.POST.get("username", ""), "next": next_url},
        status=422 if error else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("workbench:login")


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    if can_coordinate(request.user):
        return redirect("workbench:screening_queue")
    return redirect("workbench:inbox")


# --- screening -------------------------------------------------------------------------------


@staff_required
def screening_queue_view(request: HttpRequest) -> HttpResponse:
    page = paginate(request, screening_queue(user=request.user))  # type: ignore[arg-type]
    calendar = working_calendar()
    today = clock.today()
    rows = []
    for case in page.object_list:
        days = _days_left(calendar, today, case.screening_due)
        rows.append({"case": case, "days": days, "urgency": _urgency(days), "late": -days})
    return render_page(
        request, "workbench/screening_queue.html", {"page": page, "rows": rows, "today": today}
    )


def _answers(case: Case) -> list[tuple[str, Any]]:
    """The business's answers with the questions' labels (from the prefetched catalogue)."""
    requirements = case_requirements(case)
    return [
        (requirements[a.key].label if a.key in requirements else a.key, a.value)
        for a in case.answers.all()
    ]


def _proposal(case: Case) -> dict[str, Any]:
    """What screening now would propose: coordinator, estimate, delivery plan."""
    loads = coordinator_loads()
    fixed = case.business.contact_person
    fixed_ok = bool(fixed and fixed.is_active and fixed.is_staff and fixed.is_coordinator)
    proposed: User | None
    if case.coordinator is not None and case.coordinator.is_coordinator:
        proposed, why = case.coordinator, _("valgt før screeningen")
    elif fixed_ok:
        proposed, why = fixed, _("virksomhedens faste kontaktperson")
    elif loads:
        proposed, why = loads[0].user, _("tovholderen med færrest åbne sager")
    else:
        proposed, why = None, ""
    calendar = working_calendar()
    today = clock.today()
    service_types = list(case.service_types.all())
    estimate = rules.answer_estimate(today, service_types, calendar) if service_types else None
    missing = case_missing(case)
    settings_row = municipality()
    due_business = calendar.add_working_days(today, settings_row.business_deliverable_working_days)
    plan = [
        {"party": _("Kommunen"), "title": _("Svar: %(name)s") % {"name": st.name}, "due": estimate}
        for st in service_types
    ] + [{"party": _("Virksomheden"), "title": item.label, "due": due_business} for item in missing]
    return {
        "loads": loads,
        "proposed": proposed,
        "why": why,
        "estimate": estimate,
        "missing": missing,
        "plan": plan,
        "business_due": due_business if missing else None,
        "longest": max(service_types, key=lambda st: st.target_working_days, default=None),
    }


@staff_required
@require_http_methods(["GET", "POST"])
def screening_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not can_coordinate(request.user) and request.method == "POST":
        return render_page(
            request,
            "workbench/refused.html",
            {"message": _("Kun tovholdere screener henvendelser.")},
            status=403,
        )
    errors: dict[str, str] = {}
    general = ""
    status = 200
    if request.method == "POST" and case.status == CaseStatus.RECEIVED:
        post = request.POST
        try:
            if post.get("action") == "not_needed":
                services.requirement_mark_not_needed(
                    case=case,
                    actor=request.user,  # type: ignore[arg-type]
                    requirement_key=post.get("requirement", ""),
                    reason=post.get("reason", ""),
                    expected_version=_version(post),
                )
                messages.success(request, _("Kravet er markeret som ikke nødvendigt."))
                return redirect("workbench:screening", reference=case.reference)
            edited: dict[str, dt.date | None] = {"estimate": None, "business_due": None}
            for field in edited:
                if post.get(field) and post.get(field) != post.get(f"proposed_{field}"):
                    try:
                        edited[field] = dt.date.fromisoformat(post[field])
                    except ValueError:
                        errors[field] = _("Angiv en dato, fx 2026-12-01.")
            if not errors:
                screened = services.case_screen_checked(
                    case=case,
                    actor=request.user,  # type: ignore[arg-type]
                    coordinator=post.get("coordinator") or None,
                    note=post.get("note", ""),
                    estimate=edited["estimate"],
                    estimate_reason=post.get("estimate_reason", ""),
                    business_due=edited["business_due"],
                    expected_version=_version(post),
                )
                messages.success(
                    request,
                    _("%(reference)s er screenet; virksomheden kan se resultatet nu.")
                    % {"reference": screened.reference},
                )
                return redirect("workbench:case", reference=screened.reference)
            status = 422
        except DomainError as error:
            errors = dict(error.errors)
            general = error.message
            status = _status_for(error)
        case = _case(request, reference)
    context = {
        "case": case,
        "answers": _answers(case),
        "errors": errors,
        "general": general,
        "posted": request.POST,
    }
    context.update(_proposal(case))
    return render_page(request, "workbench/screening.html", context, status=status)


# --- register an inquiry ---------------------------------------------------------------------


def _received_at(post: QueryDict) -> tuple[dt.datetime | None, str]:
    day, time = post.get("received_date", ""), post.get("received_time", "")
    if not day:
        return None, _("Angiv, hvornår henvendelsen blev modtaget.")
    try:
        moment = dt.datetime.fromisoformat(f"{day}T{time or '00:00'}")
    except ValueError:
        return None, _("Angiv dato og klokkeslæt, fx 2026-11-27 og 09:30.")
    return moment.replace(tzinfo=CPH), ""


@staff_required
@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    """An inquiry that came by phone, e-mail, letter or meeting, with its real receipt time."""
    errors: dict[str, str] = {}
    general = ""
    status = 200
    post = request.POST
    if request.method == "POST":
        received_at, problem = _received_at(post)
        if post.get("channel") not in STAFF_CHANNELS:
            errors["channel"] = _("Vælg, hvordan henvendelsen kom ind.")
        if problem:
            errors["received_at"] = problem
        if not errors:
            try:
                case = services.inquiry_submit(
                    actor=request.user,  # type: ignore[arg-type]
                    cvr=post.get("cvr", ""),
                    business_name=post.get("business_name", ""),
                    service_types=post.getlist("service_types"),
                    description=post.get("description", ""),
                    contact={
                        "name": post.get("contact_name", ""),
                        "email": post.get("contact_email", ""),
                        "phone": post.get("contact_phone", ""),
                    },
                    channel=post.get("channel"),
                    received_at=received_at,
                )
            except DomainError as error:
                errors = {
                    key.replace("contact.", "contact_"): msg for key, msg in error.errors.items()
                }
                general = error.message
                status = _status_for(error)
            else:
                messages.success(
                    request,
                    _("Henvendelsen er registreret som %(reference)s.")
                    % {"reference": case.reference},
                )
                target = "workbench:screening" if can_coordinate(request.user) else "workbench:case"
                return redirect(target, reference=case.reference)
        else:
            status = 422
    now = clock.now().astimezone(CPH)
    return render_page(
        request,
        "workbench/register.html",
        {
            "errors": errors,
            "general": general,
            "posted": post,
            "chosen": post.getlist("service_types"),
            "service_types": service_type_list(),
            "channels": [(c.value, c.label) for c in STAFF_CHANNELS],
            "default_date": now.date().isoformat(),
            "default_time": now.strftime("%H:%M"),
        },
        status=status,
    )


# --- my cases, department inbox, search ------------------------------------------------------


def _case_rows(cases: list[Case]) -> list[dict[str, Any]]:
    """Each case with its next deliverable on either side and whether it is overdue."""
    today = clock.today()
    rows = []
    for case in cases:
        pending = [d for d in case.deliverables.all() if d.status == Deliverable.Status.PENDING]
        business = [d for d in pending if d.party == Deliverable.Party.BUSINESS]
        municipal = [d for d in pending if d.party == Deliverable.Party.MUNICIPALITY]
        overdue = any(d.due_date < today for d in pending) or (
            (case.status == CaseStatus.RECEIVED and case.screening_due < today)
            or (
                case.status == CaseStatus.IN_PROGRESS
                and case.estimated_answer_date is not None
                and case.estimated_answer_date < today
            )
        )
        rows.append(
            {
                "case": case,
                "next_business": business[0] if business else None,
                "next_municipality": municipal[0] if municipal else None,
                "overdue": overdue,
                "today": today,
            }
        )
    return rows


@staff_required
def my_cases_view(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("vis", "open")
    if show not in MY_CASE_FILTERS:
        show = "open"
    order = "received" if request.GET.get("sorter") == "received" else "due"
    user: User = request.user  # type: ignore[assignment]
    page = paginate(request, my_cases(user=user, show=show, order=order))
    return render_page(
        request,
        "workbench/my_cases.html",
        {
            "page": page,
            "rows": _case_rows(list(page.object_list)),
            "show": show,
            "order": order,
            "filters": [
                ("open", _("Åbne")),
                ("overdue", _("Overskredne")),
                ("awaiting_business", _("Afventer virksomheden")),
                ("all", _("Alle")),
            ],
            "businesses": my_businesses(user=user),
        },
    )


@staff_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    show = request.GET.get("vis", "open")
    page = paginate(request, department_inbox(user=user, show=show))
    colleagues = (
        department_colleagues(department_id=user.department_id) if user.department_id else []
    )
    return render_page(
        request,
        "workbench/inbox.html",
        {"page": page, "show": show, "colleagues": colleagues, "today": clock.today()},
    )


@staff_required
def search_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page = paginate(request, case_search(user=request.user, query=query)) if query else None  # type: ignore[arg-type]
    return render_page(
        request,
        "workbench/search.html",
        {"q": query, "page": page, "rows": _case_rows(list(page.object_list)) if page else []},
    )


# --- the case --------------------------------------------------------------------------------


CLOCK_EVENTS = {
    "estimate": ("estimate_set", "estimate_moved"),
    "service_target": ("fully_informed", "service_target_moved"),
    "screening": ("received", "receipt_backdated", "screened"),
}


def _case_context(case: Case) -> dict[str, Any]:
    events = list(case.events.all())
    history = {name: [e for e in events if e.kind in kinds] for name, kinds in CLOCK_EVENTS.items()}
    return {
        "case": case,
        "answers": _answers(case),
        "missing": case_missing(case) if case.is_open else [],
        "events": list(reversed(events)),
        "clock_history": history,
        "coordinators": coordinator_loads(),
        "business_deliverables": [
            d for d in case.deliverables.all() if d.party == Deliverable.Party.BUSINESS
        ],
        "municipality_deliverables": [
            d for d in case.deliverables.all() if d.party == Deliverable.Party.MUNICIPALITY
        ],
        "parties": Deliverable.Party.choices,
        "today": clock.today(),
        "internal_notes": [m for m in case.messages.all() if m.internal],
        "dialogue": [m for m in case.messages.all() if not m.internal],
    }


@staff_required
def case_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    return render_page(request, "workbench/case.html", _case_context(case))


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        from erhvervskontakt.common.errors import ValidationFailed

        raise ValidationFailed.field(field, _("Angiv en dato, fx 2026-12-01.")) from None


def _case_actions(
    request: HttpRequest, case: Case
) -> dict[str, tuple[bool, Callable[[], Any], str]]:
    """action → (coordinators only, the service call, the message when it succeeded)."""
    post = request.POST
    actor: User = request.user  # type: ignore[assignment]
    version = _version(post)

    def checked(change: Callable[[Case], Any]) -> Callable[[], Any]:
        return lambda: services.case_update_checked(
            case=case, expected_version=version, change=change
        )

    def deliverable() -> Deliverable:
        try:
            return deliverable_get(case=case, pk=int(post.get("deliverable", "0")))
        except ValueError as error:
            raise Http404 from error

    return {
        "notat": (
            False,
            checked(
                lambda c: services.case_message_post(
                    case=c, actor=actor, body=post.get("body", ""), internal=True
                )
            ),
            _("Notatet er gemt."),
        ),
        "besked": (
            False,
            checked(
                lambda c: services.case_message_post(
                    case=c, actor=actor, body=post.get("body", ""), internal=False
                )
            ),
            _("Beskeden er sendt til virksomheden."),
        ),
        "tovholder": (
            True,
            checked(
                lambda c: services.case_change_coordinator(
                    case=c,
                    actor=actor,
                    coordinator=post.get("coordinator", ""),
                    reason=post.get("reason", ""),
                )
            ),
            _("Tovholderen er skiftet."),
        ),
        "svar": (
            False,
            lambda: services.case_record_decision_with_document(
                case=case,
                actor=actor,
                summary=post.get("summary", ""),
                upload=request.FILES.get("file"),
                expected_version=version,
            ),
            _("Svaret er registreret; virksomheden kan se det nu."),
        ),
        "afslut": (
            True,
            checked(lambda c: services.case_close(case=c, actor=actor, note=post.get("note", ""))),
            _("Sagen er afsluttet."),
        ),
        "svardato": (
            True,
            lambda: services.case_set_estimate(
                case=case,
                actor=actor,
                estimate=_date(post.get("estimate", ""), "estimate"),
                reason=post.get("reason", ""),
                expected_version=version,
            ),
            _("Den forventede svardato er ændret."),
        ),
        "ikke-noedvendigt": (
            False,
            lambda: services.requirement_mark_not_needed(
                case=case,
                actor=actor,
                requirement_key=post.get("requirement", ""),
                reason=post.get("reason", ""),
                expected_version=version,
            ),
            _("Kravet er markeret som ikke nødvendigt."),
        ),
        "leverance-ny": (
            False,
            lambda: services.deliverable_add(
                case=case,
                actor=actor,
                party=post.get("party", ""),
                title=post.get("title", ""),
                due_date=post.get("due_date", ""),  # type: ignore[arg-type]
                reason=post.get("reason", ""),
                expected_version=version,
            ),
            _("Leverancen er tilføjet."),
        ),
        "leverance-ret": (
            False,
            lambda: services.deliverable_change(
                deliverable=deliverable(),
                actor=actor,
                title=post.get("title") or None,
                due_date=post.get("due_date") or None,  # type: ignore[arg-type]
                reason=post.get("reason", ""),
                expected_version=version,
            ),
            _("Leverancen er ændret."),
        ),
        "leverance-frafald": (
            False,
            lambda: services.deliverable_waive(
                deliverable=deliverable(),
                actor=actor,
                reason=post.get("reason", ""),
                expected_version=version,
            ),
            _("Leverancen er frafaldet."),
        ),
    }


@staff_required
@require_POST
def case_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    case = _case(request, reference)
    actions = _case_actions(request, case)
    if action not in actions:
        raise Http404
    coordinators_only, call, done = actions[action]
    context = _case_context(case)
    if coordinators_only and not can_coordinate(request.user):
        context.update(
            failed=action, general=_("Kun tovholdere kan gøre dette."), posted=request.POST
        )
        return render_page(request, "workbench/case.html", context, status=403)
    try:
        call()
    except DomainError as error:
        # Show the refusal at its form, with what was typed; the page shows the case as it
        # is now (so the new version), and the person decides whether to try again.
        context = _case_context(_case(request, reference))
        context.update(
            failed=action, general=error.message, errors=error.errors, posted=request.POST
        )
        return render_page(request, "workbench/case.html", context, status=_status_for(error))
    messages.success(request, done)
    return redirect("workbench:case", reference=case.reference)


@staff_required
@require_POST
def task_action(request: HttpRequest, task_id: int, action: str) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    try:
        task = task_get(user=actor, pk=task_id)
    except NotFound as error:
        raise Http404(error.message) from error
    version = _version(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = back or reverse("workbench:case", kwargs={"reference": task.case.reference})
    try:
        if action == "tag":
            services.task_claim(task=task, actor=actor, expected_version=version)
            messages.success(request, _("Du har taget opgaven."))
        elif action == "giv":
            assignee = active_staff_get(username=request.POST.get("assignee", ""))
            services.task_assign(
                task=task, actor=actor, assignee=assignee, expected_version=version
            )
            messages.success(
                request, _("Opgaven er givet til %(name)s.") % {"name": assignee.display_name}
            )
        elif action == "faerdig":
            services.task_complete(
                task=task, actor=actor, note=request.POST.get("note", ""), expected_version=version
            )
            messages.success(request, _("Opgaven er markeret som færdig."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
        response = redirect(back)
        response.status_code = 303
        return response
    return redirect(back)


# --- the business ----------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def business_view(request: HttpRequest, cvr: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        business: Business = business_get(user=user, cvr=cvr)
    except DomainError as error:
        raise Http404(error.message) from error
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not can_coordinate(user):
            errors["coordinator"] = _("Kun tovholdere kan skifte fast kontaktperson.")
            status = 403
        else:
            try:
                business_services.business_change_contact_person(
                    business=business,
                    actor=user,
                    username=request.POST.get("coordinator", ""),
                    reason=request.POST.get("reason", ""),
                )
            except DomainError as error:
                errors = dict(error.errors) or {"coordinator": error.message}
                status = _status_for(error)
            else:
                messages.success(request, _("Den faste kontaktperson er skiftet."))
                return redirect("workbench:business", cvr=business.cvr)
    cases = (
        Case.objects.visible_to(user)
        .filter(business=business)
        .select_related("coordinator")
        .order_by("-received_at", "-id")
    )
    page = paginate(request, cases)
    return render_page(
        request,
        "workbench/business.html",
        {
            "business": business,
            "page": page,
            "coordinators": coordinator_loads(),
            "events": list(business.events.select_related("actor").order_by("-at", "-id")[:20]),
            "members": list(business.memberships.select_related("user").filter(active=True)),
            "errors": errors,
            "posted": request.POST,
        },
        status=status,
    )
