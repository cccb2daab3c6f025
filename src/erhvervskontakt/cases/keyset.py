"""Keyset-paginated reads (issue 18): pages that cost the same at the millionth row as at
the first, and stay stable while rows are added.

A page is read as "the ``limit`` rows after this key in this order", one row more than asked
so the same query says whether there is a next page; the caller turns the last row's key
into an opaque cursor. Lists never count exactly past ``COUNT_CAP``: the count is read over
at most ``COUNT_CAP + 1`` rows, so it is exact up to the cap and otherwise says only "more
than the cap" (``count_exact`` False). Every read starts from ``visible_to`` as in
``cases.selectors``, with the same prefetches, so query counts stay constant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Prefetch, Q, QuerySet

from erhvervskontakt.accounts.models import User
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common.errors import Forbidden, ValidationFailed

from .models import Case, Message, Task, sees_every_case
from .selectors import MyCases, case_queryset, filtered_cases

COUNT_CAP = 10_000

T = TypeVar("T")


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    items: list[T]
    has_next: bool
    count: int | None = None  # exact up to COUNT_CAP, else COUNT_CAP (count_exact False)
    count_exact: bool = True


def capped_count(rows: QuerySet[Any] | MyCases) -> tuple[int, bool]:
    """The number of rows, read over at most ``COUNT_CAP + 1`` of them: (count, exact).
    The API's lists and the workbench's paging (``MyCases`` counts its two halves)."""
    limit = COUNT_CAP + 1
    n = rows.count_upto(limit) if isinstance(rows, MyCases) else rows.order_by()[:limit].count()
    return (n, True) if n <= COUNT_CAP else (COUNT_CAP, False)


def _page(rows: list[T], limit: int) -> tuple[list[T], bool]:
    return rows[:limit], len(rows) > limit


# A case's place in the newest-first order of the case list.
CaseKey = tuple[dt.datetime, int]


def case_page(
    *,
    user: User,
    status: str | None = None,
    cvr: str | None = None,
    coordinator: str | None = None,
    overdue: bool | None = None,
    after: CaseKey | None = None,
    offset: int = 0,
    limit: int = 50,
    count: bool = True,
    with_plan: bool = True,
) -> KeysetPage[Case]:
    """The user's visible cases newest first (``received_at``, then id, both descending),
    after the case ``after`` when given (keyset) or from ``offset`` (small pages).

    ``with_plan`` False reads the rows, their business, coordinator and service types only
    (the API's list without ``expand=plan``): no answers, documents, delivery plans or tasks,
    which are most of a page's rows and model instances."""
    base = case_queryset(user=user, with_timeline=False) if with_plan else _lean_cases(user)
    queryset = filtered_cases(
        base,
        status=status,
        cvr=cvr,
        coordinator=coordinator,
        overdue=overdue,
    )
    total, exact = capped_count(queryset) if count else (None, True)
    ordered = queryset.order_by("-received_at", "-id")
    if after is not None:
        at, pk = after
        ordered = ordered.filter(Q(received_at__lt=at) | Q(received_at=at, id__lt=pk))
    rows = list(ordered[offset : offset + limit + 1])
    items, more = _page(rows, limit)
    return KeysetPage(items=items, has_next=more, count=total, count_exact=exact)


def _lean_cases(user: User) -> QuerySet[Case]:
    codes = ServiceType.objects.order_by("position", "id").only("id", "code")
    return (
        Case.objects.visible_to(user)
        .select_related("business", "coordinator")
        .defer("description", "decision_summary", "contact_name", "contact_email", "contact_phone")
        .prefetch_related(Prefetch("service_types", queryset=codes))
    )


def case_messages(
    *, user: User, case: Case, after: int | None = None, limit: int = 50
) -> KeysetPage[Message]:
    """The messages of a case already read through ``visible_to``, oldest first; internal
    notes for staff only."""
    messages = Message.objects.filter(case=case).select_related("author").order_by("id")
    if not user.is_staff:
        messages = messages.filter(internal=False)
    if after is not None:
        messages = messages.filter(pk__gt=after)
    items, more = _page(list(messages[: limit + 1]), limit)
    return KeysetPage(items=items, has_next=more)


TASK_STATUSES = tuple(Task.Status.values)


def task_page(
    *,
    user: User,
    department: str | None = None,
    status: str | None = None,
    assignee: str | None = None,
    after: int | None = None,
    limit: int = 50,
) -> KeysetPage[Task]:
    """Tasks of every case (staff), by id; a department's, a status's, a person's.

    Scoped by ``Case.objects.visible_to`` (skipped for those who see every case, so the
    coordinators' list is one indexed read); a business user has no task list (its cases
    show their tasks' state)."""
    if not user.is_staff:
        raise Forbidden("Kun kommunens medarbejdere kan se opgavelisterne.")
    tasks = Task.objects.all()
    if not sees_every_case(user):  # a caseworker: the tasks of the cases it may see
        tasks = tasks.filter(case__in=Case.objects.visible_to(user))
    if department:
        tasks = tasks.filter(department__code=department)
    if status:
        if status not in TASK_STATUSES:
            raise ValidationFailed.field(
                "status", f"Ukendt status; brug en af: {', '.join(TASK_STATUSES)}."
            )
        tasks = tasks.filter(status=status)
    if assignee:
        tasks = tasks.filter(assignee__username=assignee)
    if after is not None:
        tasks = tasks.filter(pk__gt=after)
    tasks = (
        tasks.select_related("case", "department", "assignee")
        .prefetch_related(
            Prefetch("service_types", queryset=ServiceType.objects.order_by("position", "id"))
        )
        .order_by("id")
    )
    items, more = _page(list(tasks[: limit + 1]), limit)
    return KeysetPage(items=items, has_next=more)
