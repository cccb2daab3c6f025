"""My cases, the department's inbox and search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from erhvervskontakt.accounts.models import User
from erhvervskontakt.cases.selectors import (
    MY_CASE_FILTERS,
    case_search,
    department_colleagues,
    department_inbox,
    my_businesses,
    my_cases,
)
from erhvervskontakt.common import clock
from erhvervskontakt.web.access import staff_required
from erhvervskontakt.web.pages import render_page

from .common import case_rows, paginate, row_links


@staff_required
def my_cases_view(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("vis", "open")
    if show not in MY_CASE_FILTERS:
        show = "open"
    order = "received" if request.GET.get("sorter") == "received" else "due"
    user: User = request.user  # type: ignore[assignment]
    page = paginate(request, my_cases(user=user, show=show, order=order))
    business_link = row_links("workbench:business")
    return render_page(
        request,
        "workbench/my_cases.html",
        {
            "page": page,
            "rows": case_rows(list(page.object_list)),
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
        {"q": query, "page": page, "rows": case_rows(list(page.object_list)) if page else []},
    )
