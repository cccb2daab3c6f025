"""Reads of cases. Every list and detail goes through ``Case.objects.visible_to(user)``.

Longer than ~600 lines on purpose: every read of a case (lists, the inbox, the case view's
pages, the unread badge) shares the one visibility rule and the prefetches that keep their
query counts constant, and they are kept side by side so a new read starts from them. Split
it by capability (as the services are) when it grows further.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.cvr import normalise_cvr
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.catalogue.selectors import service_types_by_codes
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import NotFound, ValidationFailed

from . import rules
from .models import (
    OPEN_STATUSES,
    Case,
    CaseQuerySet,
    CaseStatus,
    Deliverable,
    Document,
    Event,
    InquiryDraft,
    Message,
    Task,
)


def _service_types_prefetch() -> Prefetch:
    return Prefetch(
        "service_types",
        queryset=ServiceType.objects.select_related("department")
        .order_by("position", "id")
        .prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.order_by("position", "id"))
        ),
    )


def case_queryset(*, user: User, with_timeline: bool = True) -> QuerySet[Case]:
    """Visible cases with everything the case representation shows, in constant queries."""
    queryset = (
        Case.objects.visible_to(user)
        .select_related("business", "coordinator")
        .prefetch_related(
            _service_types_prefetch(),
            "answers",
            Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")),
            Prefetch(
                "deliverables",
                queryset=Deliverable.objects.select_related("service_type").order_by(
                    "due_date", "id"
                ),
            ),
            Prefetch(
                "tasks",
                queryset=Task.objects.select_related("department", "assignee")
                .prefetch_related(
                    Prefetch(
                        "service_types", queryset=ServiceType.objects.order_by("position", "id")
                    )
                )
                .order_by("id"),
            ),
        )
    )
    if with_timeline:
        # Internal notes and their events are for staff only.
        events = Event.objects.select_related("actor").order_by("at", "id")
        messages = Message.objects.select_related("author").order_by("created_at", "id")
        if not user.is_staff:
            # The business reads a short history written for it, not the internal log.
            events = events.filter(internal=False).exclude(business_text="")
            messages = messages.filter(internal=False)
        queryset = queryset.prefetch_related(
            Prefetch("events", queryset=events), Prefetch("messages", queryset=messages)
        )
    return queryset


def case_get(*, user: User, reference: str, with_timeline: bool = True) -> Case:
    """One case the user may see, or NotFound (also when it exists but is someone else's);
    without its timeline and messages when the caller shows neither."""
    case = (
        case_queryset(user=user, with_timeline=with_timeline)
        .filter(reference=reference.strip().upper())
        .first()
    )
    if case is None:
        raise NotFound(f"Sagen {reference} findes ikke.")
    return case


@dataclass(frozen=True)
class CasePage:
    items: list[Case]
    count: int


def filtered_cases(
    queryset: QuerySet[Case],
    *,
    status: str | None = None,
    cvr: str | None = None,
    coordinator: str | None = None,
    overdue: bool | None = None,
    is_open: bool | None = None,
) -> QuerySet[Case]:
    """The case lists' filters (the API's and the portal's): a status (checked), a CVR number
    (normalised), a coordinator's user name, overdue or not, open or ended.

    ``is_open`` keeps only open cases (True) or only answered, closed and withdrawn (False).
    """
    if is_open is not None:
        queryset = (
            queryset.filter(status__in=OPEN_STATUSES)
            if is_open
            else queryset.exclude(status__in=OPEN_STATUSES)
        )
    if status:
        if status not in CaseStatus.values:
            raise ValidationFailed.field(
                "status", f"Ukendt status; brug en af: {', '.join(CaseStatus.values)}."
            )
        queryset = queryset.filter(status=status)
    if cvr:
        queryset = queryset.filter(business__cvr=normalise_cvr(cvr))
    if coordinator:
        queryset = queryset.filter(coordinator__username=coordinator)
    if overdue is not None:
        late = Case.objects.overdue(clock.today()).values("pk")
        queryset = queryset.filter(pk__in=late) if overdue else queryset.exclude(pk__in=late)
    return queryset


def case_list(
    *,
    user: User,
    status: str | None = None,
    cvr: str | None = None,
    coordinator: str | None = None,
    overdue: bool | None = None,
    limit: int = 50,
    offset: int = 0,
    is_open: bool | None = None,
) -> CasePage:
    """A page of the user's visible cases, newest first, with the total count (exact: for
    small lists; the API pages with ``cases.keyset.case_page``)."""
    queryset = filtered_cases(
        case_queryset(user=user, with_timeline=False),
        status=status,
        cvr=cvr,
        coordinator=coordinator,
        overdue=overdue,
        is_open=is_open,
    )
    count = queryset.count()
    items = list(queryset.order_by("-received_at", "-id")[offset : offset + limit])
    return CasePage(items=items, count=count)


def _service_type_requirements(case: Case) -> list[tuple[str, Sequence[Requirement]]]:
    return [(st.code, list(st.requirements.all())) for st in case.service_types.all()]


def case_requirements(case: Case) -> dict[str, Requirement]:
    """Every requirement the case's service types ask, by key."""
    return rules.requirements_by_key(_service_type_requirements(case))  # type: ignore[return-value]


def case_missing(case: Case) -> list[rules.MissingItem]:
    """Mandatory requirements with no answer or document (uses prefetched relations)."""
    waived = {
        d.requirement_key
        for d in case.deliverables.all()
        if d.status == Deliverable.Status.WAIVED
        and d.party == Deliverable.Party.BUSINESS
        and d.requirement_key
    }
    return rules.missing_items(
        _service_type_requirements(case),
        answered=(a.key for a in case.answers.all()),
        documented=(d.requirement_key for d in case.documents.all() if d.requirement_key),
        waived=waived,
    )


def coordinator_open_cases(queryset: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """A coordinator's open cases: the one definition every count of them uses.

    They are the cases in an open state (received, in progress, awaiting the business:
    ``OPEN_STATUSES``) whose coordinator (tovholder) the person is, inquiries and inspection
    visits alike: both are cases the coordinator carries (a visit's coordinator is the
    business's fixed contact person, decision 9). Not counted: answered, closed and
    withdrawn cases, and the cases of a business the person is fixed contact person for but
    another coordinator carries ("Mine sager" lists those too, and says how many apart).

    "Mine sager" (``coordinator_open_count``), the coordinator choice lists' "N åbne sager"
    (``coordinator_loads``), the least-loaded rule's numbers (``case_open_count_by_coordinator``)
    and the promise dashboard's workload (``coordinator_open_counts``) all read it, so the
    same person has the same number everywhere. ``queryset`` narrows it (the cases a person
    may see, a dashboard filter); a period does not apply: it is the open cases now.
    """
    base = Case.objects.all() if queryset is None else queryset
    return base.filter(status__in=OPEN_STATUSES, coordinator__isnull=False)


@dataclass(frozen=True)
class OpenCount:
    """A coordinator's open cases (``coordinator_open_cases``), and how many are overdue."""

    open: int
    overdue: int = 0


def coordinator_open_counts(
    *, within: Q | None = None, overdue: Q | None = None
) -> dict[int, OpenCount]:
    """Each coordinator's open cases (``coordinator_open_cases``) by coordinator id, in one
    query; ``within`` narrows the cases (e.g. a dashboard's department), ``overdue`` is the
    condition for the overdue ones (not counted without it)."""
    queryset = coordinator_open_cases()
    if within is not None:
        queryset = queryset.filter(within)
    aggregates: dict[str, Any] = {"n": Count("*")}
    if overdue is not None:
        aggregates["overdue"] = Count(Value(1), filter=overdue)
    rows = queryset.order_by().values("coordinator").annotate(**aggregates)
    return {row["coordinator"]: OpenCount(row["n"], row.get("overdue", 0)) for row in rows}


def case_open_count_by_coordinator() -> dict[int, int]:
    """Open cases per coordinator id (``coordinator_open_cases``; for the least-loaded rule
    and the workbench's coordinator choices)."""
    return {pk: count.open for pk, count in coordinator_open_counts().items()}


def coordinator_open_count(user: User) -> int:
    """How many open cases ``user`` is coordinator of (``coordinator_open_cases``)."""
    return coordinator_open_cases().filter(coordinator=user).count()


def case_next_business_deliverable(case: Case) -> Deliverable | None:
    """What the business must deliver next: its pending deliverable due first, if any.

    Reads the prefetched delivery plan (``case_queryset``), so a list needs no extra query.
    """
    pending = [
        d
        for d in case.deliverables.all()
        if d.party == Deliverable.Party.BUSINESS and d.status == Deliverable.Status.PENDING
    ]
    return min(pending, key=lambda d: (d.due_date, d.pk), default=None)


def deliverable_is_overdue(deliverable: Deliverable, today: dt.date | None = None) -> bool:
    return deliverable.is_overdue(today or clock.today())


def draft_get(*, user: User, pk: int) -> InquiryDraft:
    """One of the user's own unsubmitted drafts, or NotFound."""
    draft = (
        InquiryDraft.objects.select_related("business")
        .prefetch_related("documents")
        .filter(pk=pk, user=user, submitted_case__isnull=True)
        .first()
    )
    if draft is None:
        raise NotFound("Kladden findes ikke.")
    return draft


def draft_list(*, user: User, business: Business | None = None) -> list[InquiryDraft]:
    """The user's unsubmitted drafts, most recently touched first (for one business if given)."""
    queryset = InquiryDraft.objects.select_related("business").filter(
        user=user, submitted_case__isnull=True
    )
    if business is not None:
        queryset = queryset.filter(business=business)
    return list(queryset.order_by("-updated_at", "-id"))


def draft_submitted_reference(*, user: User, pk: int) -> str | None:
    """The reference of the case the user's draft became, or None if it is not submitted."""
    return (
        InquiryDraft.objects.filter(pk=pk, user=user, submitted_case__isnull=False)
        .values_list("submitted_case__reference", flat=True)
        .first()
    )


def draft_service_types(draft: InquiryDraft) -> list[ServiceType]:
    """The draft's chosen service types, in the order chosen, with department and requirements."""
    codes = list(draft.data.get("service_types") or [])
    found = service_types_by_codes(codes)
    return [found[code] for code in codes if code in found]


def draft_requirements(
    draft: InquiryDraft, service_types: Sequence[ServiceType] | None = None
) -> dict[str, Requirement]:
    """Every requirement the draft's service types ask, by key; a shared key is asked once."""
    chosen = draft_service_types(draft) if service_types is None else service_types
    pairs = [(st.code, list(st.requirements.all())) for st in chosen]
    return rules.requirements_by_key(pairs)  # type: ignore[return-value]


def draft_missing(
    draft: InquiryDraft, service_types: Sequence[ServiceType] | None = None
) -> list[rules.MissingItem]:
    """Mandatory requirements the draft has no answer or (current) document for yet.

    The same rule as ``case_missing``, so what the review step shows is what the receipt says.
    Reads ``draft.documents`` (prefetched by ``draft_get``).
    """
    chosen = draft_service_types(draft) if service_types is None else service_types
    return rules.missing_items(
        [(st.code, list(st.requirements.all())) for st in chosen],
        answered=(draft.data.get("answers") or {}).keys(),
        documented=(
            d.requirement_key for d in draft.documents.all() if not d.replaced and d.requirement_key
        ),
    )


# --- workbench ---------------------------------------------------------------------------
#
# Reads for the staff workbench. Every list is scoped by ``visible_to``, paginated by the
# caller (a sliced queryset), and runs a fixed number of queries whatever its length.


def _list_prefetch(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """What a workbench list row shows: business, coordinator, tasks, delivery plan.

    The description (long text) is not shown in lists; leaving it out keeps the rows the
    database must sort small.
    """
    return (
        queryset.defer("description")
        .select_related("business", "coordinator")
        .prefetch_related(
            Prefetch(
                "tasks",
                queryset=Task.objects.select_related("department", "assignee").order_by("id"),
            ),
            Prefetch("deliverables", queryset=Deliverable.objects.order_by("due_date", "id")),
        )
    )


def screening_queue(*, user: User) -> QuerySet[Case]:
    """Every unscreened (received) case the user may see, the most urgent first."""
    return (
        Case.objects.visible_to(user)
        .filter(status=CaseStatus.RECEIVED)
        .select_related("business", "coordinator")
        .order_by("screening_due", "received_at", "id")
    )


@dataclass(frozen=True)
class CoordinatorLoad:
    user: User
    open_cases: int


def coordinator_loads() -> list[CoordinatorLoad]:
    """All active coordinators with their open cases, least loaded first (two queries)."""
    counts = case_open_count_by_coordinator()
    loads = [
        CoordinatorLoad(user=u, open_cases=counts.get(u.pk, 0))
        for u in User.objects.coordinators().order_by("username", "id")
    ]
    return sorted(loads, key=lambda load: (load.open_cases, load.user.username, load.user.pk))


MY_CASE_FILTERS = ("open", "overdue", "awaiting_business", "all")


def my_cases(*, user: User, show: str = "open", order: str = "due") -> MyCases:
    """Cases the user coordinates or whose business has the user as fixed contact person.

    ``show``: open (default), overdue, awaiting_business or all; ``order``: due (the next
    date that matters first) or received (newest first).
    """

    def shown(cases: CaseQuerySet) -> CaseQuerySet:
        if show == "overdue":
            # Overdue among my cases (not "mine among all overdue", which scans every case).
            # Only open cases are overdue; saying so first lets the index skip the closed
            # ones before any late deliverable is looked up.
            return cases.filter(status__in=OPEN_STATUSES).overdue(clock.today())
        if show == "awaiting_business":
            return cases.filter(status=CaseStatus.AWAITING_BUSINESS)
        if show != "all":
            return cases.filter(status__in=OPEN_STATUSES)
        return cases

    visible = Case.objects.visible_to(user)
    # A join, not "business in (subquery)": SQLite without statistics then starts from my
    # businesses, not from every overdue or open case.
    fixed_contact = visible.filter(business__contact_person=user)
    return MyCases(
        coordinated=shown(visible.filter(coordinator=user)),
        fixed_contact=shown(fixed_contact),
        # Not mine first, so the filter (a late deliverable looked up per case when overdue)
        # is only tried on the others' cases.
        others=shown(fixed_contact.exclude(coordinator=user)),
        order="received" if order == "received" else "due",
    )


class MyCases:
    """My cases in order, as a list a ``Paginator`` can page (it only counts and slices).

    "Coordinator is me OR business is one of mine" is a condition no one index answers, so
    as one query the database reads every open case row to find mine, counts them, and reads
    and sorts them all again for one page. Here each half — the cases I coordinate, the
    cases of the businesses I am fixed contact for — is read on its own from an index that
    also carries the status and the dates (``case_coordinator_status_due``,
    ``case_business_status_due``; newest first ``case_coordinator_received``,
    ``case_business_received``), so by due date no case row is read but the page's own:

    - the count is the cases I coordinate plus the other cases of my businesses (the
      halves made disjoint, so nothing is counted twice), in one query;
    - a page is the first ``stop`` (sort key, id) of each half — the top of a union is
      within the tops of its parts — merged and sliced; then only those cases are loaded.
    """

    def __init__(
        self,
        *,
        coordinated: QuerySet[Case],
        fixed_contact: QuerySet[Case],
        others: QuerySet[Case],
        order: str,
    ) -> None:
        """``others``: the cases of ``fixed_contact`` that are not in ``coordinated``."""
        self.coordinated = coordinated
        self.fixed_contact = fixed_contact
        self.others = others
        self.newest_first = order == "received"

    def count(self) -> int:
        return self._union().count()

    def count_upto(self, limit: int) -> int:
        """The count, read over at most ``limit`` rows (a capped count for long lists)."""
        return self._union()[:limit].count()

    def _union(self) -> QuerySet[Case, Any]:
        parts = [half.order_by().values("pk") for half in (self.coordinated, self.others)]
        return parts[0].union(parts[1], all=True)

    def __len__(self) -> int:
        return self.count()

    def _keys(self, half: QuerySet[Case], stop: int) -> QuerySet[Case, tuple[Any, int]]:
        if self.newest_first:
            return half.order_by("-received_at", "-id").values_list("received_at", "id")[:stop]
        due = Coalesce("estimated_answer_date", "screening_due")
        return half.annotate(due=due).order_by("due", "id").values_list("due", "id")[:stop]

    def __getitem__(self, index: slice) -> list[Case]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("Page through MyCases with a plain slice.")
        start, stop = index.start or 0, index.stop
        if stop is None or start < 0 or stop < start:
            raise ValueError("A page needs 0 <= start <= stop.")
        if stop == start:
            return []
        # Newest first reads the whole of the second half from case_business_received, which
        # has no coordinator to leave out mine by; a case in both halves has the same key in
        # both, so the set holds it once.
        second = self.fixed_contact if self.newest_first else self.others
        tops: set[tuple[Any, int]] = set()
        for half in (self.coordinated, second):
            tops.update(self._keys(half, stop))
        ids = [pk for _, pk in sorted(tops, reverse=self.newest_first)[start:stop]]
        found = {case.pk: case for case in _list_prefetch(Case.objects.filter(pk__in=ids))}
        return [found[pk] for pk in ids if pk in found]


def my_businesses(*, user: User, limit: int = 50) -> list[tuple[Business, int]]:
    """Up to ``limit`` businesses for which the user is the fixed contact person, by name,
    each with its number of open cases (two queries, counted for the shown ones only)."""
    businesses = list(
        Business.objects.visible_to(user)
        .filter(contact_person=user)
        .order_by("name", "cvr")[:limit]
    )
    counts = dict(
        Case.objects.filter(business__in=businesses, status__in=OPEN_STATUSES)
        .values("business")
        .annotate(n=Count("id"))
        .values_list("business", "n")
    )
    return [(business, counts.get(business.pk, 0)) for business in businesses]


def department_inbox(*, user: User, show: str = "open") -> QuerySet[Task]:
    """Open tasks of the user's department (``mine``: only those given to the user)."""
    if user.department_id is None:
        return Task.objects.none()
    # A department's tasks are visible to its staff by the visibility rule itself
    # (Case.objects.visible_to), so no further scoping query is needed here.
    queryset = Task.objects.filter(
        department_id=user.department_id,
        status__in=[Task.Status.OPEN, Task.Status.IN_PROGRESS],
    )
    if show == "mine":
        queryset = queryset.filter(assignee=user)
    elif show == "unclaimed":
        queryset = queryset.filter(assignee__isnull=True)
    return (
        queryset.select_related(
            "case", "case__business", "case__coordinator", "department", "assignee"
        )
        .prefetch_related(
            Prefetch("service_types", queryset=ServiceType.objects.order_by("position", "id"))
        )
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


def task_get(*, user: User, pk: int) -> Task:
    """A task on a case the user may see, or NotFound."""
    task = (
        Task.objects.select_related("case", "department", "assignee")
        .filter(pk=pk, case__in=Case.objects.visible_to(user))
        .first()
    )
    if task is None:
        raise NotFound("Opgaven findes ikke.")
    return task


def deliverable_get(*, case: Case, pk: int) -> Deliverable:
    """A line of the delivery plan of a case already read through ``visible_to``."""
    found = next((d for d in case.deliverables.all() if d.pk == pk), None)
    if found is None:
        raise NotFound("Leverancen findes ikke.")
    return found


def department_colleagues(*, department_id: int) -> list[User]:
    """Active staff of a department, for assigning a task."""
    return list(
        User.objects.filter(is_active=True, is_staff=True, department_id=department_id).order_by(
            "first_name", "last_name", "username"
        )
    )


def case_search(*, user: User, query: str) -> QuerySet[Case]:
    """Cases matching a reference, CVR number, business name or address, or description text.

    On PostgreSQL the description is matched with full-text search (Danish); elsewhere with
    a case-insensitive substring. An exact reference or CVR number is an indexed lookup.
    """
    from django.db import connection
    from django.db.models import Q

    text = " ".join((query or "").split())[:200]
    base = Case.objects.visible_to(user)
    if not text:
        return base.none()
    upper = text.upper()
    digits = text.replace(" ", "")
    if upper.startswith("EK-"):
        condition = Q(reference=upper) | Q(reference__startswith=upper)
    elif digits.isdigit() and len(digits) == 8:
        condition = Q(business__cvr=digits)
    else:
        # Each part is an indexed lookup of case ids (trigram on the business, full text on
        # the description, on PostgreSQL); their UNION keeps the planner from scanning
        # every case to evaluate an OR across two tables.
        businesses = Business.objects.filter(
            Q(name__icontains=text) | Q(address__icontains=text)
        ).values("pk")
        by_business = Case.objects.filter(business_id__in=businesses).values("pk")
        if connection.vendor == "postgresql":
            # The same expression as the index case_description_fts (migration 0004); a
            # constant clause, the text is a query parameter.
            by_text = Case.objects.extra(
                where=["to_tsvector('danish', description) @@ websearch_to_tsquery('danish', %s)"],
                params=[text],
            ).values("pk")
        else:
            by_text = Case.objects.filter(description__icontains=text).values("pk")
        condition = Q(pk__in=by_business.order_by().union(by_text.order_by()))
    return _list_prefetch(base.filter(condition)).order_by("-received_at", "-id")


# --- workbench case view pages ---
#
# The staff case view shows its timeline and its messages newest first, a page at a time, so
# the page costs the same few queries for a case with ten events as for one with ten thousand.
# Each reader takes a case already read through ``visible_to`` (``case_get_for_staff_view``).

CASE_VIEW_PAGE_SIZE = 25
CASE_VIEW_LAST_PAGE = 10_000  # a bound on the offset a typed-in page number can ask for


@dataclass(frozen=True)
class _NewestFirst:
    number: int  # from 1, the newest page
    has_older: bool

    @property
    def has_newer(self) -> bool:
        return self.number > 1


@dataclass(frozen=True)
class EventPage(_NewestFirst):
    """One page of a case's timeline, newest first."""

    items: list[Event]


@dataclass(frozen=True)
class MessagePage(_NewestFirst):
    """One page of a case's dialogue or internal notes, newest first."""

    items: list[Message]


def case_get_for_staff_view(*, user: User, reference: str) -> Case:
    """One case the user may see, with all it shows except its timeline and messages (which
    come a page at a time), or NotFound."""
    case = (
        case_queryset(user=user, with_timeline=False)
        .filter(reference=reference.strip().upper())
        .first()
    )
    if case is None:
        raise NotFound(f"Sagen {reference} findes ikke.")
    return case


def _page_bounds(page: int, per_page: int) -> tuple[int, int, int]:
    """The page number (clamped) and the slice that reads it: one row more than a page, so
    a single query also says whether there are older rows."""
    number = min(max(1, page), CASE_VIEW_LAST_PAGE)
    start = (number - 1) * per_page
    return number, start, start + per_page + 1


def case_timeline_page(
    *, user: User, case: Case, page: int = 1, per_page: int = CASE_VIEW_PAGE_SIZE
) -> EventPage:
    """A page of the case's timeline, newest first; internal events only for staff."""
    events = Event.objects.filter(case=case).select_related("actor").order_by("-at", "-id")
    if not user.is_staff:
        events = events.filter(internal=False).exclude(business_text="")
    number, start, stop = _page_bounds(page, per_page)
    rows = list(events[start:stop])
    return EventPage(number=number, has_older=len(rows) > per_page, items=rows[:per_page])


def case_messages_page(
    *, user: User, case: Case, internal: bool, page: int = 1, per_page: int = CASE_VIEW_PAGE_SIZE
) -> MessagePage:
    """A page of the case's dialogue with the business (``internal=False``) or of its internal
    notes (``internal=True``, staff only), newest first."""
    if internal and not user.is_staff:
        return MessagePage(number=1, has_older=False, items=[])
    messages = (
        Message.objects.filter(case=case, internal=internal)
        .select_related("author")
        .order_by("-created_at", "-id")
    )
    number, start, stop = _page_bounds(page, per_page)
    rows = list(messages[start:stop])
    return MessagePage(number=number, has_older=len(rows) > per_page, items=rows[:per_page])


def case_clock_events(*, user: User, case: Case, kinds: Sequence[str]) -> list[Event]:
    """The events of the given kinds (those that set or moved a clock), oldest first."""
    events = (
        Event.objects.filter(case=case, kind__in=list(kinds))
        .select_related("actor")
        .order_by("at", "id")
    )
    if not user.is_staff:
        events = events.filter(internal=False)
    return list(events)


def with_list_relations(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """``queryset`` with what a workbench case list row shows (constant queries per page)."""
    return _list_prefetch(queryset)


# --- unread messages from the business --------------------------------------------------


def _unread_business_messages(user: User) -> QuerySet[Message]:
    """The business's messages, not yet read, on cases the user coordinates or has a task on.

    Only staff have them, and the coordinator and a task's assignee always see the case
    (``visible_to``), so no wider scope is needed; ``case_messages_mark_read`` reads them.
    """
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return Message.objects.none()
    unread = Message.objects.filter(internal=False, read_at__isnull=True, author__is_staff=False)
    assigned = Task.objects.filter(assignee=user).values("case_id")
    return unread.filter(case__coordinator=user) | unread.filter(case_id__in=assigned)


def unread_message_count(*, user: User) -> int:
    """How many of the business's messages wait to be read by the user (the menu's badge)."""
    return _unread_business_messages(user).count()


def unread_messages_by_case(*, user: User, case_ids: Sequence[int]) -> dict[int, int]:
    """Unread business messages per case among ``case_ids`` (one query for a list page)."""
    if not case_ids:
        return {}
    rows = (
        _unread_business_messages(user)
        .filter(case_id__in=list(case_ids))
        .values("case_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["case_id"]: row["n"] for row in rows}


def timeline_version() -> int:
    """The newest timeline event's id: every change of a case writes one, so a cached figure
    keyed by it is never stale (the primary key answers at once)."""
    return Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def open_cases_by_service_type(service_type_ids: Sequence[int]) -> dict[int, int]:
    """How many open cases (received, in progress or waiting for the business) each service
    type has now: the queue a new promise joins. One query."""
    counts = dict(
        Case.objects.open()
        .filter(service_types__in=list(service_type_ids))
        .values("service_types")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
        .values_list("service_types", "n")
    )
    return {pk: counts.get(pk, 0) for pk in service_type_ids}


def case_version(case: Case) -> int:
    """The case's stored version now (its ETag in the API), in one small query."""
    return Case.objects.filter(pk=case.pk).values_list("version", flat=True).get()
