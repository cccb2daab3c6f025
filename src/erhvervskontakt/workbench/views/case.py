"""The case page and what staff do on it: the delivery plan, messages, answers, the decision."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from erhvervskontakt.accounts.models import User
from erhvervskontakt.cases.models import Case, Deliverable
from erhvervskontakt.cases.selectors import (
    case_clock_events,
    case_get_for_staff_view,
    case_messages_page,
    case_missing,
    case_timeline_page,
    coordinator_loads,
    deliverable_get,
)
from erhvervskontakt.cases.services.coordinators import case_change_coordinator
from erhvervskontakt.cases.services.core import case_update_checked
from erhvervskontakt.cases.services.decision import case_record_decision_with_document
from erhvervskontakt.cases.services.lifecycle import case_close
from erhvervskontakt.cases.services.material import requirement_mark_not_needed
from erhvervskontakt.cases.services.messages import case_message_post, case_messages_mark_read
from erhvervskontakt.cases.services.plan import (
    case_set_estimate,
    deliverable_add,
    deliverable_change,
    deliverable_mark_delivered,
    deliverable_waive,
)
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import DomainError, NotFound
from erhvervskontakt.estimates.selectors import Reestimate, case_reestimate_or_reason
from erhvervskontakt.surveys.selectors import case_responses
from erhvervskontakt.web.access import can_coordinate, staff_required
from erhvervskontakt.web.pages import is_htmx, render_page, render_part
from erhvervskontakt.web.readlog import logs_personal_data, read_subject

from .common import posted_version, status_for
from .documents import document_rows
from .screening import case_answers

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


def case_list_part(request: HttpRequest, case: Case, name: str) -> dict[str, Any]:
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
    today = clock.today()
    # The promise at the case's age, from the curves the worker stored (issue 17).
    reestimate = case_reestimate_or_reason(case, today=today)
    return {
        "case": case,
        "answers": case_answers(case),
        "documents": document_rows(case),
        "missing": case_missing(case) if case.is_open else [],
        "timeline": case_list_part(request, case, "tidslinje"),
        "clock_history": history,
        "reestimate": reestimate if isinstance(reestimate, Reestimate) else None,
        "reestimate_missing": "" if isinstance(reestimate, Reestimate) else reestimate.value,
        "coordinators": coordinator_loads(),
        "business_deliverables": [
            d for d in case.deliverables.all() if d.party == Deliverable.Party.BUSINESS
        ],
        "municipality_deliverables": [
            d for d in case.deliverables.all() if d.party == Deliverable.Party.MUNICIPALITY
        ],
        "parties": Deliverable.Party.choices,
        "today": today,
        "internal_notes": case_list_part(request, case, "notater"),
        "dialogue": case_list_part(request, case, "dialog"),
        "survey_responses": case_responses(case),
    }


@staff_required
@logs_personal_data(use="view", purpose="case_handling")
def case_view(request: HttpRequest, reference: str) -> HttpResponse:
    """The staff case view; htmx's "Vis ældre" gets only the next page of one list."""
    case = _staff_case(request, reference)
    read_subject(request, case=case)
    case_messages_mark_read(case=case, actor=request.user)  # type: ignore[arg-type]
    wanted = [name for name in CASE_LISTS if name in request.GET]
    if is_htmx(request) and len(wanted) == 1:
        return render_part(
            request,
            "workbench/_case_list_older.html",
            {"case": case, "list": case_list_part(request, case, wanted[0]), "appended": True},
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
    version = posted_version(post)

    def checked(change: Callable[[Case], Any]) -> Callable[[], Any]:
        return lambda: case_update_checked(case=case, expected_version=version, change=change)

    def deliverable() -> Deliverable:
        try:
            return deliverable_get(case=case, pk=int(post.get("deliverable", "0")))
        except ValueError as error:
            raise Http404 from error

    return {
        "notat": (
            False,
            checked(
                lambda c: case_message_post(
                    case=c, actor=actor, body=post.get("body", ""), internal=True
                )
            ),
            _("Notatet er gemt."),
        ),
        "besked": (
            False,
            checked(
                lambda c: case_message_post(
                    case=c, actor=actor, body=post.get("body", ""), internal=False
                )
            ),
            _("Beskeden er sendt til virksomheden."),
        ),
        "tovholder": (
            True,
            checked(
                lambda c: case_change_coordinator(
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
            lambda: case_record_decision_with_document(
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
            checked(lambda c: case_close(case=c, actor=actor, note=post.get("note", ""))),
            _("Sagen er afsluttet."),
        ),
        "svardato": (
            True,
            lambda: case_set_estimate(
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
            lambda: requirement_mark_not_needed(
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
            lambda: deliverable_add(
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
            lambda: deliverable_change(
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
            lambda: deliverable_waive(
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
            lambda: deliverable_mark_delivered(
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
            status_for(error),
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
        {"wb-case-version": {"from": posted_version(request.POST), "to": case.version}}
    )
    return response
