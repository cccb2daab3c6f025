"""Reads of cases. Every list and detail goes through ``Case.objects.visible_to(user)``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

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
    CaseStatus,
    Deliverable,
    Event,
    InquiryDraft,
    Message,
    Task,
)


def _service_types_prefetch() -> Prefetch:
    return Prefetch(
        "service_types",
        queryset=ServiceType.objects.order_by("position", "id").prefetch_related(
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
            "documents",
            Prefetch("deliverables", queryset=Deliverable.objects.order_by("due_date", "id")),
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
            events = events.filter(internal=False)
            messages = messages.filter(internal=False)
        queryset = queryset.prefetch_related(
            Prefetch("events", queryset=events), Prefetch("messages", queryset=messages)
        )
    return queryset


def case_get(*, user: User, reference: str) -> Case:
    """One case the user may see, or NotFound (also when it exists but is someone else's)."""
    case = case_queryset(user=user).filter(reference=reference.strip().upper()).first()
    if case is None:
        raise NotFound(f"Sagen {reference} findes ikke.")
    return case


@dataclass(frozen=True)
class CasePage:
    items: list[Case]
    count: int


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
    """A page of the user's visible cases, newest first, with the total count.

    ``is_open`` keeps only open cases (True) or only answered, closed and withdrawn (False).
    """
    queryset = case_queryset(user=user, with_timeline=False)
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


def case_open_count_by_coordinator() -> dict[int, int]:
    """Open cases per coordinator id (for the least-loaded rule and the workbench)."""
    rows = (
        Case.objects.open()
        .filter(coordinator__isnull=False)
        .values("coordinator")
        .annotate(n=Count("id"))
    )
    return {row["coordinator"]: row["n"] for row in rows}


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
