"""Inspection visits (tilsynsbesøg) in the workbench: the inspection carried out as a case of the
business — times offered, the visit recorded, the report sent and published.

Longer than ~600 lines on purpose: one page family (the visit), its form parsing and its
clocks, which only these pages use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from erhvervskontakt.accounts.models import User
from erhvervskontakt.accounts.selectors import active_staff_get
from erhvervskontakt.cases.models import Deliverable
from erhvervskontakt.cases.selectors import department_colleagues
from erhvervskontakt.cases.services.plan import deliverable_mark_delivered
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import Conflict, DomainError, NotFound, ValidationFailed
from erhvervskontakt.inspections import selectors
from erhvervskontakt.inspections.models import AFTER_VISIT, Enforcement, Finding, Kind, Visit
from erhvervskontakt.inspections.services.carrying_out import (
    enforcement_add,
    finding_add,
    visit_mark_visited,
)
from erhvervskontakt.inspections.services.reporting import (
    visit_publish,
    visit_report_send,
    visit_report_update,
)
from erhvervskontakt.inspections.services.visits import (
    visit_cancel,
    visit_create,
    visit_fix_time,
    visit_offer_slots,
    visit_update_focus,
)
from erhvervskontakt.web.access import staff_required
from erhvervskontakt.web.files import document_response
from erhvervskontakt.web.pages import render_page
from erhvervskontakt.web.readlog import logs_personal_data, read_subject

from .common import PER_PAGE, posted_version, status_for

# --- visits (tilsynsbesøg): the inspection carried out as a case of the business -------------
#
# The list, the page that creates a visit for a unit (from the unit page or a plan item) and
# the visit page with one small form per step. Each form posts to ``besoeg/<id>/<action>/``;
# a refusal re-renders the visit page with the message at that form and what was typed (422,
# or 409 when the visit changed meanwhile: the page then shows it as it is now).

SLOT_ROWS = 3  # empty time rows the offer form starts with


SLOT_ROWS_MAX = 8  # the most times a business can be offered at once


SOON_DAYS = 14  # a clock this close to its deadline is marked "snart"


BEFORE_VISIT = (Visit.Status.PLANNED, Visit.Status.OFFERED, Visit.Status.BOOKED)


def _visit_states() -> list[tuple[str, str]]:
    return [
        ("open", _("Åbne")),
        ("report_due", _("Rapport mangler")),
        ("unpublished", _("Ikke offentliggjort")),
        ("all", _("Alle")),
    ]


@dataclass(frozen=True)
class VisitClock:
    """One of a visit's two deadlines as the pages show it: in words and as a badge (never
    colour alone). ``state`` is none, ok, soon, today, overdue, done or late."""

    name: str
    due: dt.date | None
    done_on: dt.date | None
    state: str
    text: str

    @property
    def badge(self) -> str:
        return {
            "ok": "badge-info",
            "soon": "badge-warning",
            "today": "badge-warning",
            "overdue": "badge-error",
            "done": "badge-success",
            "late": "badge-warning",
        }.get(self.state, "")


def visit_clock(
    name: str, due: dt.date | None, done_on: dt.date | None, today: dt.date, done_text: str
) -> VisitClock:
    """Days left or days over the deadline (calendar days: the deadlines are months)."""
    if due is None:
        return VisitClock(name, None, done_on, "none", _("Løber fra tilsynsdatoen"))
    if done_on is not None:
        late = done_on > due
        text = done_text % {"day": date_format(done_on, _("j. F Y"))}
        if late:
            days = (done_on - due).days
            text += " – " + ngettext(
                "%(n)s dag efter fristen", "%(n)s dage efter fristen", days
            ) % {"n": days}
        return VisitClock(name, due, done_on, "late" if late else "done", text)
    days = (due - today).days
    if days < 0:
        text = ngettext("%(n)s dag over fristen", "%(n)s dage over fristen", -days) % {"n": -days}
        return VisitClock(name, due, None, "overdue", text)
    if days == 0:
        return VisitClock(name, due, None, "today", _("Frist i dag"))
    text = ngettext("%(n)s dag tilbage", "%(n)s dage tilbage", days) % {"n": days}
    return VisitClock(name, due, None, "soon" if days <= SOON_DAYS else "ok", text)


def visit_clocks(visit: Visit, today: dt.date) -> list[VisitClock]:
    """The report within 2 months and its publication within 4 months of the visit."""
    return [
        visit_clock(
            _("Rapport til virksomheden"),
            visit.report_due,
            visit.report_sent_on,
            today,
            _("Sendt %(day)s"),
        ),
        visit_clock(
            _("Offentliggørelse"),
            visit.publish_due,
            visit.published_on,
            today,
            _("Offentliggjort %(day)s"),
        ),
    ]


@staff_required
@require_GET
@logs_personal_data(use="view", purpose="inspection", lists=True)
def visit_list_view(request: HttpRequest) -> HttpResponse:
    """The visits by state (open, report due, unpublished, all), each with its two clocks."""
    user: User = request.user  # type: ignore[assignment]
    state = request.GET.get("vis", "open")
    states = _visit_states()
    if state not in dict(states):
        state = "open"
    page = Paginator(selectors.visits_list(user=user, state=state), PER_PAGE).get_page(
        request.GET.get("side")
    )
    today = clock.today()
    rows = [{"visit": visit, "clocks": visit_clocks(visit, today)} for visit in page.object_list]
    return render_page(
        request,
        "workbench/inspections/visit_list.html",
        {"page": page, "rows": rows, "state": state, "states": states},
    )


def _parse_date(
    value: str, field: str, errors: dict[str, str], *, required: bool
) -> dt.date | None:
    """A date from a form field (``YYYY-MM-DD``); a field error when it is not one."""
    value = value.strip()
    if not value:
        if required:
            errors[field] = _("Angiv en dato.")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[field] = _("Angiv en dato, fx 2026-12-01.")
        return None


def _parse_time(value: str, field: str, errors: dict[str, str]) -> dt.time | None:
    value = value.strip()
    if not value:
        errors[field] = _("Angiv et klokkeslæt.")
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        errors[field] = _("Angiv et klokkeslæt, fx 09:30.")
        return None


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=clock.local_tz())


def _invalid(errors: dict[str, str]) -> None:
    if errors:
        first = next(iter(errors.values()))
        raise ValidationFailed(
            first if len(errors) == 1 else _("Ret de markerede felter."), errors=errors
        )


def _slot_rows(
    post: QueryDict | None, *, more: bool = False, errors: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The offer form's rows: three empty ones, or what was posted (one more when asked),
    each with its fields' errors (``slot-<i>-date``, ``-start``, ``-end``)."""
    count = SLOT_ROWS
    if post is not None:
        try:
            count = int(post.get("slot_rows", ""))
        except ValueError:
            count = SLOT_ROWS
    count = min(max(count + (1 if more else 0), 1), SLOT_ROWS_MAX)
    errors = errors or {}
    fields = ("date", "start", "end")
    rows = []
    for i in range(count):
        rows.append(
            {
                "i": i,
                **{f: post.get(f"slot-{i}-{f}", "") if post is not None else "" for f in fields},
                "errors": {f: errors.get(f"slot-{i}-{f}", "") for f in (*fields, "line")},
                "ids": {f: f"slot-{i}-{f}-error" for f in (*fields, "line")},
                "focus": more and i == count - 1,
            }
        )
    return rows


def _filled_rows(post: QueryDict) -> list[dict[str, Any]]:
    return [
        row
        for row in _slot_rows(post)
        if row["date"].strip() or row["start"].strip() or row["end"].strip()
    ]


def _slot_errors(post: QueryDict, errors: dict[str, str]) -> dict[str, str]:
    """The offer form's errors by row: the service numbers the times it was given
    (``slots.<n>``), the n-th filled row; our own parse errors already name their field."""
    filled = _filled_rows(post)
    by_row = dict(errors)
    for key, message in errors.items():
        if key.startswith("slots."):
            try:
                row = filled[int(key.removeprefix("slots."))]
            except (ValueError, IndexError):
                continue
            by_row[f"slot-{row['i']}-line"] = message
    return by_row


def _slots(post: QueryDict) -> list[tuple[dt.datetime, dt.datetime]]:
    """The filled rows of the offer form as (start, end); an empty row is skipped."""
    errors: dict[str, str] = {}
    slots = []
    for row in _filled_rows(post):
        i = row["i"]
        day = _parse_date(row["date"], f"slot-{i}-date", errors, required=True)
        start = _parse_time(row["start"], f"slot-{i}-start", errors)
        end = _parse_time(row["end"], f"slot-{i}-end", errors)
        if day and start and end:
            slots.append((_at(day, start), _at(day, end)))
    _invalid(errors)
    if not slots:
        raise ValidationFailed.field("slot-0-date", _("Angiv mindst ét tidspunkt."))
    return slots


def _visit(request: HttpRequest, visit_id: int) -> Visit:
    try:
        return selectors.visit_get(user=request.user, visit_id=visit_id)  # type: ignore[arg-type]
    except NotFound as error:
        raise Http404(error.message) from error


def _visit_context(
    request: HttpRequest,
    visit: Visit,
    *,
    failed: str = "",
    general: str = "",
    errors: dict[str, str] | None = None,
    slot_rows: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    today = clock.today()
    findings = list(visit.findings.all())
    status = visit.status
    before = status in BEFORE_VISIT
    key = failed.replace("-", "_")
    agreements = [f for f in findings if f.kind == Finding.Kind.AGREEMENT]
    return {
        "visit": visit,
        "case": visit.case,
        "unit": visit.unit,
        "clocks": visit_clocks(visit, today),
        "slots": list(visit.slots.all()),
        "observations": [f for f in findings if f.kind == Finding.Kind.OBSERVATION],
        "advice": [f for f in findings if f.kind == Finding.Kind.ADVICE],
        "agreements": agreements,
        "agreements_done": bool(agreements)
        and all(
            f.deliverable is None or f.deliverable.status != Deliverable.Status.PENDING
            for f in agreements
        ),
        "enforcements": list(visit.enforcements.all()),
        "before_visit": before,
        # once booked, offering new times (or moving the visit) is folded away, unless the
        # inspector is at it (a refusal, or "Tilføj tidspunkt" without JavaScript)
        "booked": status == Visit.Status.BOOKED,
        "offer_open": failed in ("tider", "fast-tid") or slot_rows is not None,
        "may_mark_visited": status == Visit.Status.BOOKED
        or (before and visit.kind == Kind.UNPLANNED),
        "visited": status == Visit.Status.VISITED,
        "after_visit": status in AFTER_VISIT,
        "reported": status == Visit.Status.REPORTED,
        "slot_rows": slot_rows if slot_rows is not None else _slot_rows(None),
        "slot_rows_max": SLOT_ROWS_MAX,
        "finding_kinds": Finding.Kind.choices,
        "enforcement_kinds": Enforcement.Kind.choices,
        "follows_up": visit.follows_up,
        # the refused form's errors and what was typed, by form (``err.fast_tid``)
        "failed": failed,
        "general": general,
        "errors": errors or {},
        "err": {key: errors or {}} if failed else {},
        "typed": {key: request.POST} if failed else {},
        "today": today.isoformat(),
        "today_date": today,
        # the date the "carried out" form proposes: the booked day once it has come
        "visit_day": min(clock.local_date(visit.visit_at), today).isoformat()
        if visit.visit_at is not None
        else today.isoformat(),
    }


def _agreed_solution(visit: Visit, value: str) -> Deliverable:
    """The delivery-plan line of one of the visit's agreed solutions (never another case's)."""
    for finding in visit.findings.all():
        if (
            finding.kind == Finding.Kind.AGREEMENT
            and finding.deliverable is not None
            and str(finding.deliverable_id) == value
        ):
            return finding.deliverable
    raise NotFound(_("Den aftalte løsning findes ikke på besøget."))


def _visit_do(request: HttpRequest, visit: Visit, action: str) -> str:
    """One POSTed step on the visit: parse, call its service; the message when it worked."""
    post = request.POST
    actor: User = request.user  # type: ignore[assignment]
    version = posted_version(post)
    errors: dict[str, str] = {}
    if action == "fokus":
        visit_update_focus(
            visit=visit, actor=actor, focus=post.get("focus", ""), expected_version=version
        )
        return _("Det, tilsynet ser på, er gemt.")
    if action == "tider":
        visit_offer_slots(visit=visit, actor=actor, slots=_slots(post), expected_version=version)
        return _("Tidspunkterne er sendt til virksomheden, som vælger et af dem i portalen.")
    if action == "fast-tid":
        day = _parse_date(post.get("day", ""), "at", errors, required=True)
        time = _parse_time(post.get("time", ""), "at", errors)
        _invalid(errors)
        assert day is not None and time is not None
        visit_fix_time(
            visit=visit,
            actor=actor,
            at=_at(day, time),
            reason=post.get("reason", ""),
            expected_version=version,
        )
        return _("Tidspunktet er fastsat, og virksomheden har fået besked.")
    if action == "besoegt":
        visited_on = _parse_date(post.get("visited_on", ""), "visited_on", errors, required=True)
        _invalid(errors)
        assert visited_on is not None
        visit_mark_visited(
            visit=visit,
            actor=actor,
            visited_on=visited_on,
            physical=post.get("physical") == "ja",
            expected_version=version,
        )
        return _("Tilsynet er registreret som udført. Rapportens frist løber nu.")
    if action == "fund":
        due = _parse_date(post.get("due_date", ""), "due_date", errors, required=False)
        _invalid(errors)
        finding = finding_add(
            visit=visit,
            actor=actor,
            kind=post.get("kind", ""),
            text=post.get("text", ""),
            due_date=due,
        )
        if finding.kind == Finding.Kind.AGREEMENT:
            return _("Den aftalte løsning er gemt og står i virksomhedens leveranceplan.")
        return _("%(kind)s er gemt.") % {"kind": finding.get_kind_display()}
    if action == "haandhaevelse":
        deadline = _parse_date(post.get("deadline", ""), "deadline", errors, required=False)
        issued_on = _parse_date(post.get("issued_on", ""), "issued_on", errors, required=False)
        _invalid(errors)
        enforcement = enforcement_add(
            visit=visit,
            actor=actor,
            kind=post.get("kind", ""),
            text=post.get("text", ""),
            legal_basis=post.get("legal_basis", ""),
            deadline=deadline,
            issued_on=issued_on,
        )
        return _("%(kind)s er registreret.") % {"kind": enforcement.get_kind_display()}
    if action == "rapport":
        follows_up = {"ja": True, "nej": False}.get(post.get("follows_up", ""))
        visit_report_update(
            visit=visit,
            actor=actor,
            self_monitoring=post.get("self_monitoring", ""),
            follows_up=follows_up,
            conclusion=post.get("conclusion", ""),
            expected_version=version,
        )
        return _("Rapportens felter er gemt.")
    if action == "send":
        visit_report_send(visit=visit, actor=actor, expected_version=version)
        return _("Rapporten er sendt til virksomheden og ligger på sagen.")
    if action == "offentliggoer":
        visit_publish(visit=visit, actor=actor, expected_version=version)
        return _("Rapporten er offentliggjort.")
    if action == "loesning-udfoert":
        # The line is on the case: the case's version is what the form saw.
        deliverable_mark_delivered(
            deliverable=_agreed_solution(visit, post.get("deliverable", "")),
            actor=actor,
            expected_version=posted_version(post, "case_version"),
        )
        return _("Den aftalte løsning er markeret som udført.")
    if action == "aflys":
        visit_cancel(
            visit=visit, actor=actor, reason=post.get("reason", ""), expected_version=version
        )
        return _("Tilsynsbesøget er aflyst, og sagen er lukket.")
    raise Http404


VISIT_ACTIONS = (
    "fokus",
    "tider",
    "fast-tid",
    "besoegt",
    "fund",
    "haandhaevelse",
    "rapport",
    "send",
    "offentliggoer",
    "loesning-udfoert",
    "aflys",
)


@staff_required
@require_GET
@logs_personal_data(use="view", purpose="inspection")
def visit_view(request: HttpRequest, visit_id: int) -> HttpResponse:
    """The visit: what it looks at, the times, the findings, enforcement and the report."""
    visit = _visit(request, visit_id)
    read_subject(request, case=visit.case)
    return render_page(request, "workbench/inspections/visit.html", _visit_context(request, visit))


@staff_required
@require_POST
def visit_action(request: HttpRequest, visit_id: int, action: str) -> HttpResponse:
    """One step on the visit. A refusal shows the page as the visit is now, with the message
    at the form and what was typed; "Tilføj tidspunkt" without JavaScript shows the offer
    form again with one more row (nothing is saved)."""
    if action not in VISIT_ACTIONS:
        raise Http404
    visit = _visit(request, visit_id)
    if action == "tider" and request.POST.get("add_row"):
        context = _visit_context(request, visit, slot_rows=_slot_rows(request.POST, more=True))
        return render_page(request, "workbench/inspections/visit.html", context)
    try:
        done = _visit_do(request, visit, action)
    except DomainError as error:
        general, errors = error.message, dict(error.errors)
        if isinstance(error, Conflict):
            # The page below shows the visit as it is now, so it need not be reloaded.
            general = _(
                "Besøget er ændret af en anden, siden du åbnede siden. Siden viser det nu, "
                "som det er; se ændringerne, og prøv igen."
            )
            errors.pop("version", None)
        fresh = _visit(request, visit_id)
        context = _visit_context(
            request,
            fresh,
            failed=action,
            general=general,
            errors=errors,
            slot_rows=_slot_rows(request.POST, errors=_slot_errors(request.POST, errors))
            if action == "tider"
            else None,
        )
        return render_page(
            request, "workbench/inspections/visit.html", context, status=status_for(error)
        )
    messages.success(request, done)
    return redirect("workbench:inspections_staff:visit", visit_id=visit.pk)


@staff_required
@require_GET
def visit_slot_row_view(request: HttpRequest, visit_id: int) -> HttpResponse:
    """htmx: one more empty row for the offer form, numbered after the ``slot_rows`` it has;
    the form's row count is updated out of band."""
    _visit(request, visit_id)
    try:
        index = int(request.GET.get("slot_rows", ""))
    except ValueError:
        index = -1
    if not 0 <= index < SLOT_ROWS_MAX:
        return HttpResponse(status=422)
    row = _slot_rows(None)[0]
    row.update(i=index, focus=True, ids={f: f"slot-{index}-{f}-error" for f in row["ids"]})
    return render(
        request,
        "workbench/inspections/visit_slot_row.html",
        {
            "row": row,
            "next_rows": index + 1,
            "slot_rows_max": SLOT_ROWS_MAX,
        },
    )


@staff_required
@require_GET
@logs_personal_data(use="document", purpose="inspection")
def visit_report_preview(request: HttpRequest, visit_id: int) -> HttpResponse:
    """The report as it would be sent now (a draft), shown in the browser."""
    from erhvervskontakt.inspections.report import (
        report_pdf,  # WeasyPrint loads only when a report is made
    )

    visit = _visit(request, visit_id)
    if visit.status not in AFTER_VISIT:
        raise Http404("Rapporten kan først ses, når tilsynet er udført.")
    read_subject(request, case=visit.case)
    response = HttpResponse(report_pdf(visit, draft=True), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="Tilsynsrapport-udkast-{visit.case.reference}.pdf"'
    )
    return response


@staff_required
@require_GET
@logs_personal_data(use="document", purpose="inspection")
def visit_report_sent(request: HttpRequest, visit_id: int) -> FileResponse:
    """The report as it was sent to the business (the document on the case), shown in the
    browser."""
    visit = _visit(request, visit_id)
    document = visit.report_document
    if document is None:
        raise Http404("Rapporten er ikke sendt endnu.")
    read_subject(request, case=visit.case)
    return document_response(document, as_attachment=False)


def _new_visit_form(request: HttpRequest) -> dict[str, Any]:
    source = request.POST if request.method == "POST" else request.GET
    return {
        "p_number": source.get("p", "").strip(),
        "plan_item": source.get("plan_item", "").strip(),
        "kind": source.get("kind", ""),
        "focus": source.get("focus", ""),
        "physical": request.method != "POST" or source.get("physical") == "ja",
        "inspector": source.get("inspector", ""),
        "contact_name": source.get("contact_name", ""),
        "contact_email": source.get("contact_email", ""),
    }


def _create_visit(request: HttpRequest, user: User, form: dict[str, Any]) -> Visit:
    errors: dict[str, str] = {}
    unit = None
    if not form["p_number"]:
        errors["p"] = _("Angiv produktionsenhedens P-nummer.")
    else:
        try:
            unit = selectors.unit_page(user=user, p_number=form["p_number"]).unit
        except NotFound:
            errors["p"] = _("Der er ingen produktionsenhed med det P-nummer.")
    plan_item_id = None
    if form["plan_item"]:
        try:
            plan_item_id = int(form["plan_item"])
        except ValueError:
            errors["plan_item"] = _("Punktet findes ikke i planen.")
    inspector = None
    if form["inspector"] and form["inspector"] != user.username:
        try:
            inspector = active_staff_get(username=form["inspector"], field="inspector")
        except DomainError as error:
            errors.update(error.errors)
    _invalid(errors)
    assert unit is not None
    return visit_create(
        unit=unit,
        actor=user,
        kind=form["kind"],
        focus=form["focus"],
        physical=form["physical"],
        inspector=inspector,
        plan_item_id=plan_item_id,
        contact_name=form["contact_name"],
        contact_email=form["contact_email"],
    )


@staff_required
@require_http_methods(["GET", "POST"])
@logs_personal_data(use="view", purpose="inspection", lists=True)
def visit_new_view(request: HttpRequest) -> HttpResponse:
    """Create a visit for a unit (``?p=<P-nummer>``, from a plan item ``&plan_item=<id>``):
    it opens the inspection case of the business with the inspector as caseworker."""
    user: User = request.user  # type: ignore[assignment]
    form = _new_visit_form(request)
    errors: dict[str, str] = {}
    general = ""
    status = 200
    if request.method == "POST":
        try:
            visit = _create_visit(request, user, form)
        except DomainError as error:
            errors = dict(error.errors)
            general = error.message
            status = status_for(error)
        else:
            messages.success(
                request,
                _("Tilsynsbesøget er oprettet som sag %(reference)s.")
                % {"reference": visit.case.reference},
            )
            return redirect("workbench:inspections_staff:visit", visit_id=visit.pk)
    unit = None
    if form["p_number"]:
        try:
            unit = selectors.unit_page(user=user, p_number=form["p_number"]).unit
        except NotFound:
            unit = None
    if unit is not None:
        read_subject(request, business=unit.business, criterion=f"p={unit.p_number}")
    colleagues = (
        department_colleagues(department_id=user.department_id) if user.department_id else []
    )
    return render_page(
        request,
        "workbench/inspections/visit_new.html",
        {
            "form": form,
            "unit": unit,
            "kinds": Kind.choices,
            "colleagues": colleagues,
            "errors": errors,
            "general": general,
        },
        status=status,
    )
