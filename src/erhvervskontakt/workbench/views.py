"""Staff pages (medarbejdernes arbejdsbord): parse the request, call one service or selector,
render.

Reads go through the selectors, which scope by ``Case.objects.visible_to`` (a caseworker
asking for a case outside their department gets 404). Writes go through ``cases.services``;
a refusal (``DomainError``) is shown beside the form it concerns, with what the person typed
put back. Every edit form carries the version of the case (or task) it was rendered with.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import quote
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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from erhvervskontakt.accounts.models import User
from erhvervskontakt.accounts.selectors import active_staff_get
from erhvervskontakt.businesses import services as business_services
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.businesses.selectors import business_get, production_units_for
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases import rules, services
from erhvervskontakt.cases.models import Case, CaseStatus, Channel, Deliverable, Task
from erhvervskontakt.cases.selectors import (
    MY_CASE_FILTERS,
    MyCases,
    case_clock_events,
    case_get,
    case_get_for_staff_view,
    case_messages_page,
    case_missing,
    case_requirements,
    case_search,
    case_timeline_page,
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
from erhvervskontakt.surveys.selectors import case_responses

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


def paginate(request: HttpRequest, queryset: QuerySet[Any] | MyCases) -> Page[Any]:
    """One page of a list: a count query and the page's rows (with their prefetches)."""
    # MyCases pages by slices and counts, which is all a Paginator uses.
    return Paginator(cast(Any, queryset), PER_PAGE).get_page(request.GET.get("side"))


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


def is_htmx(request: HttpRequest) -> bool:
    """htmx asks for a part of a page (``HX-Request: true``); a plain form gets the page."""
    return request.headers.get("HX-Request") == "true"


def render_part(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """A part of a page for htmx: a section, a row or a page of a list (no page frame)."""
    page = {"can_coordinate": can_coordinate(request.user), **context}
    return render(request, template, page, status=status)


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


PLAN_ROWS_MAX = 80  # proposed lines and added lines one screening form may carry
FORM_FIELDS = ("coordinator", "estimate", "estimate_reason", "business_due", "note")


def _parties() -> list[tuple[str, str]]:
    return [
        (Deliverable.Party.MUNICIPALITY, _("Kommunen")),
        (Deliverable.Party.BUSINESS, _("Virksomheden")),
    ]


def _proposal(case: Case) -> dict[str, Any]:
    """What screening now would propose: coordinator, estimate, delivery plan.

    The plan's titles are the ones the screening service stores (in Danish; the portal shows
    them in the business's language), so an untouched line is no change.
    """
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
        {
            "source": f"svar:{st.code}",
            "party": Deliverable.Party.MUNICIPALITY,
            "title": f"Svar: {st.name}",
            "due": estimate,
        }
        for st in service_types
    ] + [
        {
            "source": f"krav:{item.key}",
            "party": Deliverable.Party.BUSINESS,
            "title": f"{'Send' if item.kind == 'document' else 'Oplys'}: {item.label}",
            "due": due_business,
        }
        for item in missing
    ]
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


def _blank_row(index: int, *, focus: bool = False) -> dict[str, Any]:
    """An empty line the coordinator may fill in to add it to the plan."""
    return {
        "i": index,
        "added": True,
        "source": "",
        "party": "",
        "title": "",
        "due": "",
        "leave_out": False,
        "reason": "",
        "errors": {},
        "focus": focus,
    }


def _plan_rows(post: QueryDict | None, plan: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The plan's lines as the form shows them: the proposal and one blank line, or exactly
    what was posted (``plan_rows`` lines named ``plan-<i>-<field>``)."""
    labels = dict(_parties())
    if post is None or "plan_rows" not in post:
        rows = [
            {
                "i": i,
                "added": False,
                "source": line["source"],
                "party": line["party"],
                "party_label": labels[line["party"]],
                "title": line["title"],
                "proposed_title": line["title"],
                "due": line["due"].isoformat() if line["due"] else "",
                "proposed_due": line["due"].isoformat() if line["due"] else "",
                "leave_out": False,
                "reason": "",
                "errors": {},
            }
            for i, line in enumerate(plan)
        ]
        return [*rows, _blank_row(len(rows))]
    parties = {line["source"]: line["party"] for line in plan}
    try:
        count = min(max(int(post.get("plan_rows", "")), 0), PLAN_ROWS_MAX)
    except ValueError:
        count = 0
    rows = []
    for i in range(count):
        values = {
            name: post.get(f"plan-{i}-{name}", "")
            for name in ("source", "party", "title", "proposed_title", "due_date", "proposed_due")
        }
        source = values["source"]
        party = parties.get(source, "") if source else values["party"]
        rows.append(
            {
                "i": i,
                "added": not source,
                "source": source,
                "party": party,
                "party_label": labels.get(party, ""),
                "title": values["title"],
                "proposed_title": values["proposed_title"],
                "due": values["due_date"],
                "proposed_due": values["proposed_due"],
                "leave_out": post.get(f"plan-{i}-leave_out") == "1",
                "reason": post.get(f"plan-{i}-reason", ""),
                "errors": {},
            }
        )
    return rows


def _plan_lines(rows: list[dict[str, Any]]) -> tuple[list[services.PlanLine], list[int]]:
    """The rows as the screening service's plan, and the row each line came from.

    An untouched title or date is sent as "keep the proposal", so an answer line whose date
    the coordinator did not change follows the estimate. Blank added lines are skipped.
    """
    lines: list[services.PlanLine] = []
    where: list[int] = []
    for row in rows:
        if row["added"]:
            if not (row["title"].strip() or row["due"] or row["reason"].strip()):
                continue
            line = services.PlanLine(
                party=row["party"], title=row["title"], due_date=row["due"], reason=row["reason"]
            )
        else:
            kind, _sep, key = row["source"].partition(":")
            service_type, requirement_key = row["source"], ""  # unknown: the service refuses
            if kind == "svar" and key:
                service_type = key
            elif kind == "krav" and key:
                service_type, requirement_key = "", key
            line = services.PlanLine(
                service_type=service_type,
                requirement_key=requirement_key,
                title=None if row["title"] == row["proposed_title"] else row["title"],
                due_date=None if row["due"] == row["proposed_due"] else row["due"],
                leave_out=row["leave_out"],
                reason=row["reason"],
            )
        lines.append(line)
        where.append(row["i"])
    return lines, where


def _spread_errors(
    errors: dict[str, str], rows: list[dict[str, Any]], where: list[int]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Put the service's ``plan.<n>.<field>`` errors on their rows; the rest stay on the form.

    Returns the form's errors and the error summary's (link, message) pairs, in order.
    """
    form: dict[str, str] = {}
    links: list[tuple[str, str]] = []
    by_index = {row["i"]: row for row in rows}
    for key, message in errors.items():
        parts = key.split(".")
        if parts[0] == "plan" and len(parts) > 1 and parts[1].isdigit():
            position = int(parts[1])
            if position < len(where):
                row = by_index[where[position]]
                field = parts[2] if len(parts) > 2 else "line"
                row["errors"][field] = message
                has_input = field in ("title", "due_date", "reason") or (
                    field == "party" and row["added"]
                )
                anchor = f"plan-{row['i']}-{field}" if has_input else f"plan-{row['i']}"
                links.append(
                    (
                        f"#{anchor}",
                        _("Linje %(number)s: %(message)s")
                        % {"number": row["i"] + 1, "message": message},
                    )
                )
                continue
        form[key] = message
        links.append((f"#{key}" if key in FORM_FIELDS else "", message))
    return form, links


def _edited(post: QueryDict, field: str) -> str | None:
    """A date field the coordinator changed from the proposal, else None."""
    value = post.get(field, "")
    return value if value and value != post.get(f"proposed_{field}") else None


@staff_required
@require_http_methods(["GET", "POST"])
def screening_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Screen an inquiry: the proposal (coordinator, estimate, delivery plan), all editable.

    Without JavaScript, "Tilføj linje" posts the form (``action=add_row``) and gets it back
    with one more blank line and everything typed kept; with htmx it fetches the line from
    ``screening_row_view``. Confirming calls one service, in one transaction.
    """
    case = _case(request, reference)
    if not can_coordinate(request.user) and request.method == "POST":
        return render_page(
            request,
            "workbench/refused.html",
            {"message": _("Kun tovholdere screener henvendelser.")},
            status=403,
        )
    errors: dict[str, str] = {}
    links: list[tuple[str, str]] = []
    general = ""
    status = 200
    rows: list[dict[str, Any]] | None = None
    version: int | None = None
    post = request.POST
    if request.method == "POST" and case.status == CaseStatus.RECEIVED:
        action = post.get("action", "")
        if action == "not_needed":
            try:
                services.requirement_mark_not_needed(
                    case=case,
                    actor=request.user,  # type: ignore[arg-type]
                    requirement_key=post.get("requirement", ""),
                    reason=post.get("reason", ""),
                    expected_version=_version(post),
                )
                messages.success(request, _("Kravet er markeret som ikke nødvendigt."))
                return redirect("workbench:screening", reference=case.reference)
            except DomainError as error:
                errors, links = _spread_errors(dict(error.errors), [], [])
                general = error.message
                status = _status_for(error)
        else:
            rows = _plan_rows(post, _proposal(case)["plan"])
            version = _version(post)
            if action == "add_row":
                if len(rows) < PLAN_ROWS_MAX:
                    rows.append(_blank_row(len(rows), focus=True))
                else:
                    general = _("Der kan ikke tilføjes flere linjer her; bekræft først.")
                    status = 422
            else:
                lines, where = _plan_lines(rows)
                try:
                    screened = services.case_screen_checked(
                        case=case,
                        actor=request.user,  # type: ignore[arg-type]
                        coordinator=post.get("coordinator") or None,
                        note=post.get("note", ""),
                        estimate=_edited(post, "estimate"),
                        estimate_reason=post.get("estimate_reason", ""),
                        business_due=_edited(post, "business_due"),
                        plan=lines,
                        expected_version=version,
                    )
                    messages.success(
                        request,
                        _("%(reference)s er screenet; virksomheden kan se resultatet nu.")
                        % {"reference": screened.reference},
                    )
                    return redirect("workbench:case", reference=screened.reference)
                except DomainError as error:
                    errors, links = _spread_errors(dict(error.errors), rows, where)
                    general = error.message
                    status = _status_for(error)
                    if status == 409:
                        version = None  # they saw the message: the next confirm is theirs
        case = _case(request, reference)
    context: dict[str, Any] = {
        "case": case,
        "answers": _answers(case),
        "errors": errors,
        "general": general,
        "posted": post,
        "parties": _parties(),
    }
    context.update(_proposal(case))
    if rows is None:
        rows = _plan_rows(None, context["plan"])
    messages_shown = {message for _href, message in links}
    if general and general not in messages_shown:
        links.insert(0, ("", general))
    context.update(
        {
            "rows": rows,
            "error_links": links,
            "version": case.version if version is None else version,
        }
    )
    return render_page(request, "workbench/screening.html", context, status=status)


@staff_required
@require_GET
def screening_row_view(request: HttpRequest, reference: str) -> HttpResponse:
    """htmx: one more blank line for the screening form's delivery plan, numbered after the
    ``plan_rows`` lines the form has; the form's line count is updated out of band."""
    case = _case(request, reference)
    if not can_coordinate(request.user) or case.status != CaseStatus.RECEIVED:
        return HttpResponse(status=403)
    try:
        index = int(request.GET.get("plan_rows", ""))
    except ValueError:
        index = -1
    if not 0 <= index < PLAN_ROWS_MAX:
        return HttpResponse(status=422)
    return render(
        request,
        "workbench/_plan_row.html",
        {"row": _blank_row(index, focus=True), "parties": _parties(), "next_rows": index + 1},
    )


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


def _links(name: str) -> Callable[[str], str]:
    """``reverse(name, args=[value])`` for every row of a list at the cost of one reverse.

    For URLs whose one argument is a plain path segment (a case reference, a CVR number). A
    page of cases has 50 links or more, and each ``reverse`` matches the URL patterns anew.
    """
    marker = "~value~"
    head, tail = reverse(name, args=[marker]).split(marker)
    return lambda value: f"{head}{quote(value, safe='')}{tail}"


def _case_rows(cases: list[Case]) -> list[dict[str, Any]]:
    """Each case with its links, its next deliverable on either side and whether it is
    overdue."""
    today = clock.today()
    case_link, business_link = _links("workbench:case"), _links("workbench:business")
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
                "url": case_link(case.reference),
                "business_url": business_link(case.business.cvr),
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
    business_link = _links("workbench:business")
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
            "businesses": [
                (business, open_cases, business_link(business.cvr))
                for business, open_cases in my_businesses(user=user)
            ],
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


# The case view's paged lists, newest first; each name is its query parameter (the page
# number) and the id of its section.
CASE_LISTS = ("tidslinje", "notater", "dialog")
# Delivery-plan changes answer htmx with the plan section, in place.
PLAN_ACTIONS = ("leverance-ny", "leverance-ret", "leverance-frafald", "leverance-udfoert")


def _staff_case(request: HttpRequest, reference: str) -> Case:
    """The case for the staff case view, without its timeline and messages (paged apart)."""
    try:
        return case_get_for_staff_view(user=request.user, reference=reference)  # type: ignore[arg-type]
    except NotFound as error:
        raise Http404(error.message) from error


def _page_number(request: HttpRequest, name: str) -> int:
    try:
        return int(request.GET.get(name, "1"))
    except ValueError:
        return 1


def _case_list(request: HttpRequest, case: Case, name: str) -> dict[str, Any]:
    """One paged list of the case view with the links to its older and newer pages.

    Without JavaScript each link is the case view with that list one page on (the other
    lists keep their pages); htmx fetches only the older page (``older_part``) and appends it.
    """
    user: User = request.user  # type: ignore[assignment]
    number = _page_number(request, name)
    page: Any
    if name == "tidslinje":
        page = case_timeline_page(user=user, case=case, page=number)
    else:
        page = case_messages_page(user=user, case=case, internal=name == "notater", page=number)
    base = reverse("workbench:case", kwargs={"reference": case.reference})

    def link(to: int) -> str:
        query = request.GET.copy()
        query[name] = str(to)
        return f"{base}?{query.urlencode()}#{name}"

    return {
        "name": name,
        "page": page,
        "older_url": link(page.number + 1) if page.has_older else "",
        "older_part": f"{base}?{name}={page.number + 1}" if page.has_older else "",
        "newer_url": link(page.number - 1) if page.has_newer else "",
    }


def _case_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """Everything the case view shows, in the same number of queries for any case."""
    user: User = request.user  # type: ignore[assignment]
    kinds = [kind for group in CLOCK_EVENTS.values() for kind in group]
    events = case_clock_events(user=user, case=case, kinds=kinds)
    history = {name: [e for e in events if e.kind in group] for name, group in CLOCK_EVENTS.items()}
    return {
        "case": case,
        "answers": _answers(case),
        "missing": case_missing(case) if case.is_open else [],
        "timeline": _case_list(request, case, "tidslinje"),
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
        "internal_notes": _case_list(request, case, "notater"),
        "dialogue": _case_list(request, case, "dialog"),
        "survey_responses": case_responses(case),
    }


@staff_required
def case_view(request: HttpRequest, reference: str) -> HttpResponse:
    """The staff case view; htmx's "Vis ældre" gets only the next page of one list."""
    case = _staff_case(request, reference)
    wanted = [name for name in CASE_LISTS if name in request.GET]
    if is_htmx(request) and len(wanted) == 1:
        return render_part(
            request,
            "workbench/_case_list_older.html",
            {"case": case, "list": _case_list(request, case, wanted[0]), "appended": True},
        )
    return render_page(request, "workbench/case.html", _case_context(request, case))


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
        # A line the business delivers outside the portal (an agreed solution from an
        # inspection, say): staff confirm it is done. Requirement lines are delivered by the
        # material itself, and the service refuses them.
        "leverance-udfoert": (
            False,
            lambda: services.deliverable_mark_delivered(
                deliverable=deliverable(), actor=actor, expected_version=version
            ),
            _("Leverancen er markeret som udført."),
        ),
    }


@staff_required
@require_POST
def case_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """One change on the case; a delivery-plan change asked by htmx answers with the plan
    section (and the parts it may have moved), everything else with a redirect."""
    case = _staff_case(request, reference)
    actions = _case_actions(request, case)
    if action not in actions:
        raise Http404
    coordinators_only, call, done = actions[action]
    in_place = is_htmx(request) and action in PLAN_ACTIONS
    if coordinators_only and not can_coordinate(request.user):
        return _case_refused(
            request, case, action, _("Kun tovholdere kan gøre dette."), {}, 403, in_place=in_place
        )
    try:
        call()
    except DomainError as error:
        # Show the refusal at its form, with what was typed; the page shows the case as it
        # is now (so the new version), and the person decides whether to try again.
        fresh = _staff_case(request, reference)
        return _case_refused(
            request,
            fresh,
            action,
            error.message,
            error.errors,
            _status_for(error),
            in_place=in_place,
        )
    if in_place:
        return _plan_changed(request, reference, done)
    messages.success(request, done)
    return redirect("workbench:case", reference=case.reference)


def _case_refused(
    request: HttpRequest,
    case: Case,
    action: str,
    message: str,
    errors: dict[str, str],
    status: int,
    *,
    in_place: bool,
) -> HttpResponse:
    context = _case_context(request, case)
    context.update(
        failed=action,
        failed_line=_failed_line(request, case, action),
        general=message,
        errors=errors,
        posted=request.POST,
    )
    if in_place:
        return render_part(request, "workbench/_case_plan.html", context, status=status)
    return render_page(request, "workbench/case.html", context, status=status)


def _failed_line(request: HttpRequest, case: Case, action: str) -> int | None:
    """The pending deliverable whose change, waiver or marking as done was refused, to show
    the refusal (and what was typed) in its own line; None when the line can no longer be
    edited."""
    if action not in ("leverance-ret", "leverance-frafald", "leverance-udfoert"):
        return None
    if not case.is_open:
        return None
    try:
        pk = int(request.POST.get("deliverable", ""))
    except ValueError:
        return None
    line = next((d for d in case.deliverables.all() if d.pk == pk), None)
    return pk if line is not None and line.status == Deliverable.Status.PENDING else None


def _plan_changed(request: HttpRequest, reference: str, done: str) -> HttpResponse:
    """htmx, after a delivery-plan change: the plan section, and out of band the parts the
    change may have moved (status, clocks, missing items, timeline) and a status message.

    The ``wb-case-version`` event tells the page's other case forms that rendered the version
    this change was made from that the case is now at the new version (the change was
    theirs); a form that saw an older version stays stale and is refused as before.
    """
    case = _staff_case(request, reference)
    context = _case_context(request, case)
    context.update(notice=done, oob=True)
    response = render_part(request, "workbench/_case_plan_changed.html", context)
    response["HX-Trigger"] = json.dumps(
        {"wb-case-version": {"from": _version(request.POST), "to": case.version}}
    )
    return response


TASK_ACTIONS = ("tag", "giv", "faerdig")


def _task_do(request: HttpRequest, task: Task, action: str) -> str:
    """Call the task's service; the message to show when it succeeded."""
    actor: User = request.user  # type: ignore[assignment]
    version = _version(request.POST)
    if action == "tag":
        services.task_claim(task=task, actor=actor, expected_version=version)
        return _("Du har taget opgaven.")
    if action == "giv":
        assignee = active_staff_get(username=request.POST.get("assignee", ""))
        services.task_assign(task=task, actor=actor, assignee=assignee, expected_version=version)
        return _("Opgaven er givet til %(name)s.") % {"name": assignee.display_name}
    services.task_complete(
        task=task, actor=actor, note=request.POST.get("note", ""), expected_version=version
    )
    return _("Opgaven er markeret som færdig.")


@staff_required
@require_POST
def task_action(request: HttpRequest, task_id: int, action: str) -> HttpResponse:
    """Claim, assign or complete a department task. A plain form goes back to the page it
    came from; htmx gets the task's row, refusals (a stale version) shown in it."""
    actor: User = request.user  # type: ignore[assignment]
    try:
        task = task_get(user=actor, pk=task_id)
    except NotFound as error:
        raise Http404(error.message) from error
    if action not in TASK_ACTIONS:
        raise Http404
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    back = back or reverse("workbench:case", kwargs={"reference": task.case.reference})
    try:
        done = _task_do(request, task, action)
    except DomainError as error:
        if is_htmx(request):
            return _task_row(request, task_id, back, error=error.message, status=_status_for(error))
        messages.error(request, error.message)
        response = redirect(back)
        response.status_code = 303
        return response
    if is_htmx(request):
        return _task_row(request, task_id, back, notice=done)
    messages.success(request, done)
    return redirect(back)


def _task_row(
    request: HttpRequest,
    task_id: int,
    back: str,
    *,
    notice: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """htmx: the task's row as it is now. From the inbox (``fra=indbakke``) it keeps its
    "give to" form; on the case view (``fra=sag``) the timeline's first page comes along."""
    user: User = request.user  # type: ignore[assignment]
    task = task_get(user=user, pk=task_id)
    where = request.POST.get("fra", "")
    context: dict[str, Any] = {
        "task": task,
        "task_error": error,
        "notice": notice,
        "next_url": back,
        "row_from": where,
        "posted": request.POST,
        "oob": True,
    }
    if where == "indbakke" and user.department_id:
        context["colleagues"] = department_colleagues(department_id=user.department_id)
    if where == "sag" and notice:
        context["case"] = task.case
        context["timeline"] = _case_list(request, task.case, "tidslinje")
    return render_part(request, "workbench/_task_changed.html", context, status=status)


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
            "units": production_units_for(user=user, business=business),
            "errors": errors,
            "posted": request.POST,
        },
        status=status,
    )
