"""My cases, the department's inbox and search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from erhvervskontakt.accounts.models import User
from erhvervskontakt.cases.selectors import (
    MY_CASE_FILTERS,
    case_search,
    coordinator_open_count,
    department_colleagues,
    department_inbox,
    my_businesses,
    my_cases,
    unread_messages_by_case,
)
from erhvervskontakt.common import clock
from erhvervskontakt.web.access import staff_required
from erhvervskontakt.web.pages import render_page
from erhvervskontakt.web.readlog import logs_personal_data

from .common import case_rows, paginate, row_links


@staff_required
@logs_personal_data(use="view", purpose="case_handling", lists=True)
def my_cases_view(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("vis", "open")
    if show not in MY_CASE_FILTERS:
        show = "open"
    order = "received" if request.GET.get("sorter") == "received" else "due"
    user: User = request.user  # type: ignore[assignment]
    page = paginate(request, my_cases(user=user, show=show, order=order))
    business_link = row_links("workbench:business")
    rows = case_rows(list(page.object_list))
    unread = unread_messages_by_case(user=user, case_ids=[row["case"].pk for row in rows])
    for row in rows:
        row["unread"] = unread.get(row["case"].pk, 0)
    return render_page(
        request,
        "workbench/my_cases.html",
        {
            "page": page,
            "rows": rows,
            "show": show,
            "order": order,
            # The same number as the coordinator choices and the dashboard show for me.
            "coordinated_open": coordinator_open_count(user),
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


INBOX_SHOW = ("open", "unclaimed", "mine")
INBOX_STATUS = ("", "open", "in_progress", "overdue")
INBOX_ORDER: dict[str, tuple[Any, ...]] = {
    "frist": (F("due_date").asc(nulls_last=True), "id"),
    "frist-senest": (F("due_date").desc(nulls_last=True), "-id"),
    "modtaget": ("-case__received_at", "-id"),
}


def _inbox_choice(request: HttpRequest, name: str, allowed: Sequence[str], default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


@staff_required
@logs_personal_data(use="view", purpose="case_handling", lists=True)
def inbox_view(request: HttpRequest) -> HttpResponse:
    """The department's open tasks, a compact list: filtered by whose they are (``vis``) and
    their status (``status``, also ``overdue``: past the department's own date), sorted by
    that date or by receipt (``sorter``). Plain GET parameters, so it works without JS."""
    user: User = request.user  # type: ignore[assignment]
    show = _inbox_choice(request, "vis", INBOX_SHOW, "open")
    status = _inbox_choice(request, "status", INBOX_STATUS, "")
    order = _inbox_choice(request, "sorter", tuple(INBOX_ORDER), "frist")
    today = clock.today()
    tasks = department_inbox(user=user, show=show)
    if status == "overdue":
        tasks = tasks.filter(due_date__lt=today)  # the department's own date, stored
    elif status:
        tasks = tasks.filter(status=status)
    # The task card offers to deliver the department's answer lines: the plan comes along.
    tasks = tasks.order_by(*INBOX_ORDER[order]).prefetch_related("case__deliverables")
    page = paginate(request, tasks)
    colleagues = (
        department_colleagues(department_id=user.department_id) if user.department_id else []
    )
    query = {"vis": show, "status": status, "sorter": order}
    return render_page(
        request,
        "workbench/inbox.html",
        {
            "page": page,
            "show": show,
            "status": status,
            "order": order,
            "query": urlencode(query),
            "shows": [
                ("open", _("Alle åbne")),
                ("unclaimed", _("Ikke fordelt")),
                ("mine", _("Mine")),
            ],
            "statuses": [
                ("", _("Alle")),
                ("open", _("Åben")),
                ("in_progress", _("I gang")),
                ("overdue", _("Over fristen")),
            ],
            "orders": [
                ("frist", _("Frist, tidligste først")),
                ("frist-senest", _("Frist, seneste først")),
                ("modtaget", _("Senest modtaget")),
            ],
            "colleagues": colleagues,
            "today": today,
        },
    )


@staff_required
@logs_personal_data(
    use="search",
    purpose="case_handling",
    lists=True,
    choosable=("screening", "case_handling", "inspection"),
)
def search_view(request: HttpRequest) -> HttpResponse:
    """Staff search: every search answers with its count and what was searched for, also when
    nothing matched ("0 sager fundet for »…«")."""
    query = request.GET.get("q", "").strip()
    page = paginate(request, case_search(user=request.user, query=query)) if query else None  # type: ignore[arg-type]
    return render_page(
        request,
        "workbench/search.html",
        {
            "q": query,
            "page": page,
            # An empty Page is falsy, so the template asks this, not ``page``.
            "searched": page is not None,
            "rows": case_rows(list(page.object_list)) if page is not None else [],
        },
    )
