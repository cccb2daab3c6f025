"""Environmental inspection in the workbench: the register of production units, a unit's page, the
yearly inspection plan (``/medarbejder/tilsyn/``)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from erhvervskontakt.accounts.models import User
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import DomainError, NotFound
from erhvervskontakt.inspections import rules, selectors
from erhvervskontakt.inspections.models import PLANNED_KINDS, Category, Kind, PlanItem
from erhvervskontakt.inspections.services.planning import (
    plan_item_add,
    plan_item_cancel,
    plan_item_move,
    plan_propose,
)
from erhvervskontakt.inspections.services.register import (
    PARAMETER_NAMES,
    inspection_record,
    register_entry_add,
    risk_assessment_record,
)
from erhvervskontakt.web.access import staff_required
from erhvervskontakt.web.pages import render_page
from erhvervskontakt.web.readlog import logs_personal_data, read_subject

from .common import PER_PAGE, status_for

MONTHS = [
    (1, "januar"), (2, "februar"), (3, "marts"), (4, "april"), (5, "maj"), (6, "juni"),
    (7, "juli"), (8, "august"), (9, "september"), (10, "oktober"), (11, "november"),
    (12, "december"),
]  # fmt: skip


@staff_required
@require_GET
@logs_personal_data(use="view", purpose="inspection", lists=True)
def register_view(request: HttpRequest) -> HttpResponse:
    """The register: active units by category, score highest first (the priority lists)."""
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(selectors.register_units(user=user), PER_PAGE).get_page(
        request.GET.get("side")
    )
    rows = [
        {
            "unit": unit,
            "category": unit.current_category,
            "score": unit.current_score,
            "score_text": rules.format_score(unit.current_score),
            "frequency": rules.frequency_text(unit.current_category, unit.current_score),
            "start_up": unit.start_up_flag,
        }
        for unit in page.object_list
    ]
    return render_page(
        request,
        "workbench/inspections/register.html",
        {"page": page, "rows": rows, "year": clock.today().year + 1},
    )


def _unit_post(request: HttpRequest, user: User, data: selectors.UnitPage) -> str:
    """One of the unit page's forms: a risk assessment, an inspection done, a category."""
    form = request.POST.get("form", "assessment")
    if form == "inspection":
        inspection = inspection_record(
            unit=data.unit,
            on=request.POST.get("on", ""),
            kind=request.POST.get("kind", ""),
            physical=request.POST.get("physical") == "ja",
            actor=user,
            note=request.POST.get("note", ""),
        )
        return _("%(kind)s den %(day)s er registreret.") % {
            "kind": inspection.get_kind_display(),
            "day": inspection.on.strftime("%d.%m.%Y"),
        }
    if form == "register":
        register_entry_add(
            unit=data.unit,
            category=request.POST.get("category", ""),
            valid_from=request.POST.get("valid_from", ""),
            start_up_required=request.POST.get("start_up_required") == "ja",
            actor=user,
            note=request.POST.get("note", ""),
        )
        return _("Registreringen er gemt.")
    assessment = risk_assessment_record(
        unit=data.unit,
        actor=user,
        scores={key: request.POST.get(key, "") for key in rules.PARAMETERS},
        reasons={key: request.POST.get(f"{key}_reason", "") for key in rules.PARAMETERS},
        assessed_on=request.POST.get("assessed_on", ""),
    )
    return _("Risikovurderingen er gemt: score %(score)s.") % {
        "score": rules.format_score(assessment.score)
    }


@staff_required
@require_http_methods(["GET", "POST"])
@logs_personal_data(use="view", purpose="inspection")
def unit_view(request: HttpRequest, p_number: str) -> HttpResponse:
    """A unit's register history, risk assessments and inspections; a new assessment (POST)."""
    user: User = request.user  # type: ignore[assignment]
    try:
        data = selectors.unit_page(user=user, p_number=p_number)
    except NotFound as error:
        raise Http404(error.message) from error
    read_subject(request, business=data.unit.business, criterion=f"p={data.unit.p_number}")
    errors: dict[str, str] = {}
    general = ""
    status = 200
    form = request.POST.get("form", "assessment") if request.method == "POST" else ""
    if request.method == "POST":
        try:
            message = _unit_post(request, user, data)
        except DomainError as error:
            errors = dict(error.errors)
            general = error.message
            status = status_for(error)
        else:
            messages.success(request, message)
            return redirect("workbench:inspections_staff:unit", p_number=data.unit.p_number)
    parameters = [
        {
            "key": key,
            "label": PARAMETER_NAMES[key],
            "value": request.POST.get(key, ""),
            "reason": request.POST.get(f"{key}_reason", ""),
            "error": errors.get(key, ""),
            "reason_error": errors.get(f"{key}_reason", ""),
        }
        for key in rules.PARAMETERS
    ]
    return render_page(
        request,
        "workbench/inspections/unit.html",
        {
            "data": data,
            "score_text": rules.format_score(data.current.score if data.current else None),
            "parameters": parameters,
            "scores": rules.SCORES,
            "errors": errors if form in ("", "assessment") else {},
            "general": general if form in ("", "assessment") else "",
            "inspection_errors": errors if form == "inspection" else {},
            "inspection_general": general if form == "inspection" else "",
            "register_errors": errors if form == "register" else {},
            "register_general": general if form == "register" else "",
            "posted": request.POST,
            "form": form,
            "kinds": Kind.choices,
            "categories": Category.choices,
            "today": clock.today().isoformat(),
            "visits": selectors.unit_visits(unit=data.unit),
            "assessed_on": request.POST.get("assessed_on", "") or clock.today().isoformat(),
        },
        status=status,
    )


@staff_required
@require_GET
def plan_current_view(request: HttpRequest) -> HttpResponse:
    return redirect("workbench:inspections_staff:plan", year=clock.today().year)


def _adjust(request: HttpRequest, user: User, year: int) -> str:
    """One POSTed change to the plan: returns the message for the person."""
    action = request.POST.get("action", "")
    if action == "propose":
        result = plan_propose(year=year)
        return _("Forslaget er beregnet: %(n)s nye, %(u)s opdaterede punkter.") % {
            "n": result.created,
            "u": result.updated,
        }
    plan = selectors.plan_get(user=user, year=year)
    if plan is None:
        raise NotFound(_("Der er ingen plan for året endnu."))
    reason = request.POST.get("reason", "")
    if action == "add":
        plan_item_add(
            plan=plan,
            p_number=request.POST.get("p_number", ""),
            kind=request.POST.get("kind", ""),
            actor=user,
            reason=reason,
            month=request.POST.get("month", ""),
        )
        return _("Tilsynet er tilføjet planen.")
    try:
        item_id = int(request.POST.get("item", ""))
    except ValueError:
        raise NotFound(_("Punktet findes ikke i planen.")) from None
    if action == "cancel":
        plan_item_cancel(plan=plan, item_id=item_id, actor=user, reason=reason)
        return _("Tilsynet er fjernet fra planen.")
    if action == "move":
        plan_item_move(
            plan=plan,
            item_id=item_id,
            month=request.POST.get("month", ""),
            actor=user,
            reason=reason,
        )
        return _("Tilsynet er flyttet.")
    raise NotFound(_("Ukendt handling."))


@staff_required
@require_http_methods(["GET", "POST"])
@logs_personal_data(use="view", purpose="inspection", lists=True)
def plan_view(request: HttpRequest, year: int) -> HttpResponse:
    """The year's plan by category and kind, each item with why; plan vs done; adjustments."""
    user: User = request.user  # type: ignore[assignment]
    if not 2000 <= year <= 2100:
        raise Http404(_("Året findes ikke."))
    errors: dict[str, str] = {}
    general = ""
    status = 200
    if request.method == "POST":
        try:
            message = _adjust(request, user, year)
        except DomainError as error:
            errors = dict(error.errors)
            general = error.message
            status = status_for(error)
        else:
            messages.success(request, message)
            return redirect("workbench:inspections_staff:plan", year=year)
    plan = selectors.plan_get(user=user, year=year)
    groups: list[dict[str, Any]] = []
    counts: list[dict[str, Any]] = []
    if plan is not None:
        items = list(selectors.plan_items(user=user, plan=plan))
        for (category, kind), members in groupby(items, key=lambda i: (i.category, i.kind)):
            rows = list(members)
            groups.append(
                {
                    "category": category,
                    "kind": Kind(kind).label,
                    "items": rows,
                    "planned": sum(1 for i in rows if i.status != PlanItem.Status.CANCELLED),
                    "done": sum(1 for i in rows if i.status == PlanItem.Status.DONE),
                }
            )
        counts = [
            {**row, "kind_label": Kind(row["kind"]).label}
            for row in selectors.plan_counts(plan=plan)
        ]
    try:
        posted_item = int(request.POST.get("item", "0"))
    except ValueError:
        posted_item = 0
    return render_page(
        request,
        "workbench/inspections/plan.html",
        {
            "year": year,
            "plan": plan,
            "groups": groups,
            "counts": counts,
            "total_planned": sum(c["planned"] for c in counts),
            "total_done": sum(c["done"] for c in counts),
            "months": MONTHS,
            "kinds": [(k.value, k.label) for k in PLANNED_KINDS],
            "errors": errors,
            "general": general,
            "posted": request.POST,
            "posted_item": posted_item,
            "previous_year": year - 1,
            "next_year": year + 1,
        },
        status=status,
    )
