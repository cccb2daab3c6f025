"""The screening queue and the screening form: coordinator, estimate and the proposed delivery plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from erhvervskontakt.accounts.models import User
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases import promises, rules
from erhvervskontakt.cases.models import Case, CaseStatus, Deliverable
from erhvervskontakt.cases.selectors import (
    case_missing,
    case_requirements,
    coordinator_loads,
    open_cases_by_service_type,
    screening_queue,
)
from erhvervskontakt.cases.services.material import requirement_mark_not_needed
from erhvervskontakt.cases.services.screening import PlanLine, case_screen_checked
from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import DomainError
from erhvervskontakt.web.access import can_coordinate, staff_required
from erhvervskontakt.web.pages import render_page
from erhvervskontakt.web.readlog import logs_personal_data, read_subject

from .common import case_or_404, days_left, paginate, posted_version, status_for, urgency
from .documents import document_rows


@staff_required
@logs_personal_data(use="view", purpose="screening", lists=True)
def screening_queue_view(request: HttpRequest) -> HttpResponse:
    page = paginate(request, screening_queue(user=request.user))  # type: ignore[arg-type]
    calendar = working_calendar()
    today = clock.today()
    rows = []
    for case in page.object_list:
        days = days_left(calendar, today, case.screening_due)
        rows.append({"case": case, "days": days, "urgency": urgency(days), "late": -days})
    return render_page(
        request, "workbench/screening_queue.html", {"page": page, "rows": rows, "today": today}
    )


def case_answers(case: Case) -> list[tuple[str, Any]]:
    """The business's answers with the questions' labels (from the prefetched catalogue);
    a "Ved ikke" says that the coordinator settles it at screening."""
    requirements = case_requirements(case)
    found: list[tuple[str, Any]] = []
    for a in case.answers.all():
        requirement = requirements.get(a.key)
        value = a.value
        if requirement is not None and requirement.may_be_unknown and rules.is_unknown(value):
            value = _("Ved ikke – afklares ved screeningen")
        found.append((requirement.label if requirement is not None else a.key, value))
    return found


PLAN_ROWS_MAX = 80  # proposed lines and added lines one screening form may carry


FORM_FIELDS = ("coordinator", "estimate", "estimate_reason", "business_due", "note", "share_note")


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
    proposal = promises.propose(today, service_types, calendar)
    queues = open_cases_by_service_type([st.pk for st in service_types])
    missing = case_missing(case)
    settings_row = municipality()
    due_business = calendar.add_working_days(today, settings_row.business_deliverable_working_days)
    plan = [
        {
            "source": f"svar:{st.code}",
            "party": Deliverable.Party.MUNICIPALITY,
            "title": f"Svar: {st.name}",
            "due": proposal.line_dates[st.pk],
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
        "estimate": proposal.estimate,
        "promises": [
            {
                "service_type": st,
                "promise": proposal.promises[st.pk],
                "due": proposal.line_dates[st.pk],
                "queue": queues[st.pk],
                "governing": proposal.governing is proposal.promises[st.pk],
            }
            for st in service_types
        ],
        "missing": missing,
        "plan": plan,
        "business_due": due_business if missing else None,
        "governing": proposal.governing,
        "longest": next(
            (st for st in service_types if proposal.governing is proposal.promises[st.pk]), None
        ),
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


def _plan_lines(rows: list[dict[str, Any]]) -> tuple[list[PlanLine], list[int]]:
    """The rows as the screening service's plan, and the row each line came from.

    An untouched title or date is sent as "keep the proposal", so an answer line whose date
    the coordinator did not change follows the estimate. Blank added lines are skipped.
    """
    lines: list[PlanLine] = []
    where: list[int] = []
    for row in rows:
        if row["added"]:
            if not (row["title"].strip() or row["due"] or row["reason"].strip()):
                continue
            line = PlanLine(
                party=row["party"], title=row["title"], due_date=row["due"], reason=row["reason"]
            )
        else:
            kind, _sep, key = row["source"].partition(":")
            service_type, requirement_key = row["source"], ""  # unknown: the service refuses
            if kind == "svar" and key:
                service_type = key
            elif kind == "krav" and key:
                service_type, requirement_key = "", key
            line = PlanLine(
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
@logs_personal_data(use="view", purpose="screening")
def screening_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Screen an inquiry: the proposal (coordinator, estimate, delivery plan), all editable.

    Without JavaScript, "Tilføj linje" posts the form (``action=add_row``) and gets it back
    with one more blank line and everything typed kept; with htmx it fetches the line from
    ``screening_row_view``. Confirming calls one service, in one transaction.
    """
    case = case_or_404(request, reference)
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
                requirement_mark_not_needed(
                    case=case,
                    actor=request.user,  # type: ignore[arg-type]
                    requirement_key=post.get("requirement", ""),
                    reason=post.get("reason", ""),
                    expected_version=posted_version(post),
                )
                messages.success(request, _("Kravet er markeret som ikke nødvendigt."))
                return redirect("workbench:screening", reference=case.reference)
            except DomainError as error:
                errors, links = _spread_errors(dict(error.errors), [], [])
                general = error.message
                status = status_for(error)
        else:
            rows = _plan_rows(post, _proposal(case)["plan"])
            version = posted_version(post)
            if action == "add_row":
                if len(rows) < PLAN_ROWS_MAX:
                    rows.append(_blank_row(len(rows), focus=True))
                else:
                    general = _("Der kan ikke tilføjes flere linjer her; bekræft først.")
                    status = 422
            else:
                lines, where = _plan_lines(rows)
                try:
                    screened = case_screen_checked(
                        case=case,
                        actor=request.user,  # type: ignore[arg-type]
                        coordinator=post.get("coordinator") or None,
                        note=post.get("note", ""),
                        share_note=post.get("share_note") == "1",
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
                    status = status_for(error)
                    if status == 409:
                        version = None  # they saw the message: the next confirm is theirs
        case = case_or_404(request, reference)
    read_subject(request, case=case)
    context: dict[str, Any] = {
        "case": case,
        "answers": case_answers(case),
        "documents": document_rows(case),
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
    case = case_or_404(request, reference)
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
