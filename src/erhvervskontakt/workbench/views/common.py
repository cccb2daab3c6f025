"""What every staff page uses: paging, the case rows of a list, versions and errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, QueryDict
from django.urls import reverse
from django.utils.functional import cached_property

from erhvervskontakt.cases.keyset import capped_count
from erhvervskontakt.cases.models import Case, CaseStatus, Channel, Deliverable
from erhvervskontakt.cases.selectors import (
    MyCases,
    case_get,
)
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import DomainError, NotFound

PER_PAGE = 25


CPH = ZoneInfo("Europe/Copenhagen")


STAFF_CHANNELS = (Channel.PHONE, Channel.EMAIL, Channel.LETTER, Channel.MEETING)


class CappedPaginator(Paginator):
    """A Paginator whose count reads at most ``COUNT_CAP + 1`` rows (issue 18), as the API's
    lists do: exact up to the cap, and beyond it ``count_exact`` is False and the count is
    the cap, so the page says "more than 10,000" and pages up to the cap. A list that long
    is narrowed by its filters, not paged through; and counting every row on every page
    view was most of the longest lists' time (my cases, all, at 1,000,000 cases on
    PostgreSQL: 843 → 152 ms)."""

    count_exact = True

    @cached_property
    def count(self) -> int:
        found, self.count_exact = capped_count(cast(Any, self.object_list))
        return found


def paginate(request: HttpRequest, queryset: QuerySet[Any] | MyCases) -> Page[Any]:
    """One page of a list: a capped count query and the page's rows (with their
    prefetches)."""
    # MyCases pages by slices and counts, which is all a Paginator uses.
    return CappedPaginator(cast(Any, queryset), PER_PAGE).get_page(request.GET.get("side"))


def case_or_404(request: HttpRequest, reference: str) -> Case:
    try:
        return case_get(user=request.user, reference=reference)  # type: ignore[arg-type]
    except NotFound as error:
        raise Http404(error.message) from error


def posted_version(post: QueryDict, name: str = "version") -> int | None:
    """The version of the case (or visit; ``case_version``: of the visit's case) the form was
    rendered with (None: not checked)."""
    try:
        return int(post.get(name, ""))
    except ValueError:
        return None


def status_for(error: DomainError) -> int:
    return error.status_code if error.status_code in (403, 404, 409, 422) else 400


def days_left(calendar: Any, today: dt.date, due: dt.date) -> int:
    return int(calendar.working_days_between(today, due))


def urgency(days: int) -> str:
    if days < 0:
        return "overdue"
    if days == 0:
        return "today"
    if days <= 1:
        return "soon"
    return "ok"


def row_links(name: str) -> Callable[[str], str]:
    """``reverse(name, args=[value])`` for every row of a list at the cost of one reverse.

    For URLs whose one argument is a plain path segment (a case reference, a CVR number). A
    page of cases has 50 links or more, and each ``reverse`` matches the URL patterns anew.
    """
    marker = "~value~"
    head, tail = reverse(name, args=[marker]).split(marker)
    return lambda value: f"{head}{quote(value, safe='')}{tail}"


def case_rows(cases: list[Case]) -> list[dict[str, Any]]:
    """Each case with its links, its next deliverable on either side and whether it is
    overdue."""
    today = clock.today()
    case_link, business_link = row_links("workbench:case"), row_links("workbench:business")
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
