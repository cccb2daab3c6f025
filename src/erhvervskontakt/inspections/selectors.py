"""Reads for environmental inspection. The register and the plan are staff only: every read
starts from ``ProductionUnit.objects.visible_to`` and refuses a user who is not staff, so a
business user never reaches the register. Visits are cases of the business: whoever sees the
case sees its visit (the business its own), and published reports are public."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Membership, ProductionUnit
from erhvervskontakt.cases.models import Case
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import Forbidden, NotFound, ValidationFailed

from . import rules
from .models import (
    PLANNED_KINDS,
    Finding,
    Inspection,
    InspectionPlan,
    PlanItem,
    RegisterEntry,
    RiskAssessment,
    Visit,
)

if TYPE_CHECKING:
    from erhvervskontakt.measures.filters import MeasureFilter


def period_anchor() -> int:
    """The first year of a basic-inspection period (docs/decisions/0007)."""
    return int(getattr(settings, "INSPECTION_PERIOD_ANCHOR_YEAR", rules.PERIOD_ANCHOR_YEAR))


def _staff_units(user: User) -> QuerySet[ProductionUnit]:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise Forbidden("Kun kommunens medarbejdere har adgang til tilsynsregistret.")
    return ProductionUnit.objects.visible_to(user)


def _current_entry(on: dt.date) -> QuerySet[RegisterEntry]:
    return RegisterEntry.objects.filter(unit=OuterRef("pk"), valid_from__lte=on).order_by(
        "-valid_from", "-id"
    )


def _current_assessment() -> QuerySet[RiskAssessment]:
    return RiskAssessment.objects.filter(unit=OuterRef("pk")).order_by("-assessed_on", "-id")


def register_units(*, user: User, on: dt.date | None = None) -> QuerySet[ProductionUnit]:
    """Active units in the register on ``on`` (today), with ``current_category``,
    ``current_score`` and ``start_up_required`` annotated: one query per page, whatever its
    length. Ordered by category, then score highest first (the priority lists)."""
    day = on or clock.today()
    entry = _current_entry(day)
    return (
        _staff_units(user)
        .filter(active=True)
        .annotate(
            current_category=Subquery(entry.values("category")[:1]),
            start_up_flag=Subquery(entry.values("start_up_required")[:1]),
            current_score=Subquery(_current_assessment().values("score")[:1]),
        )
        .filter(current_category__isnull=False)
        .select_related("business")
        .order_by("current_category", F("current_score").desc(nulls_last=True), "p_number")
    )


@dataclass
class UnitPage:
    unit: ProductionUnit
    entries: list[RegisterEntry]
    current_entry: RegisterEntry | None
    assessments: list[RiskAssessment]
    current: RiskAssessment | None
    inspections: list[Inspection]
    frequency: str


def unit_get(*, user: User, p_number: str, field: str = "p_number") -> ProductionUnit:
    """A unit by P-number for staff who are to act on it (one query); ValidationFailed on
    ``field`` when there is none (it is what the form or request named)."""
    unit = _staff_units(user).select_related("business").filter(p_number=p_number).first()
    if unit is None:
        raise ValidationFailed.field(field, "Der er ingen produktionsenhed med det P-nummer.")
    return unit


def unit_page(*, user: User, p_number: str) -> UnitPage:
    """A unit with its register history, risk assessments and inspections (4 queries)."""
    unit = _staff_units(user).select_related("business").filter(p_number=p_number).first()
    if unit is None:
        raise NotFound("Produktionsenheden findes ikke.")
    today = clock.today()
    entries = list(
        unit.register_entries.select_related("created_by").order_by("-valid_from", "-id")
    )
    assessments = list(
        unit.risk_assessments.select_related("assessed_by").order_by("-assessed_on", "-id")
    )
    current_entry = next((e for e in entries if e.valid_from <= today), None)
    current = assessments[0] if assessments else None
    return UnitPage(
        unit=unit,
        entries=entries,
        current_entry=current_entry,
        assessments=assessments,
        current=current,
        inspections=list(unit.inspections.order_by("-on", "-id")),
        frequency=rules.frequency_text(
            current_entry.category if current_entry else None, current.score if current else None
        ),
    )


def register_facts(*, year: int) -> list[rules.UnitFacts]:
    """The register as the plan sees it for ``year``: active units with a category in force
    on 1 January (or their first one, if they enter the register during the year), the
    current score and every recorded inspection. Four queries, whatever the size."""
    start = dt.date(year, 1, 1)
    units = {u.pk: u for u in ProductionUnit.objects.filter(active=True)}
    entries: dict[int, list[RegisterEntry]] = defaultdict(list)
    for entry in RegisterEntry.objects.filter(unit__active=True).order_by("valid_from", "id"):
        entries[entry.unit_id].append(entry)
    scores: dict[int, Decimal] = {}
    for unit_id, score in (
        RiskAssessment.objects.filter(unit__active=True)
        .order_by("assessed_on", "id")
        .values_list("unit_id", "score")
    ):
        scores[unit_id] = score  # the last one wins: the newest
    done: dict[int, list[rules.PastInspection]] = defaultdict(list)
    for unit_id, on, kind, physical in Inspection.objects.filter(unit__active=True).values_list(
        "unit_id", "on", "kind", "physical"
    ):
        done[unit_id].append(rules.PastInspection(on=on, kind=kind, physical=physical))
    facts = []
    for unit_id, history in entries.items():
        unit = units.get(unit_id)
        if unit is None:
            continue
        first = history[0]
        in_force = [e for e in history if e.valid_from <= max(start, first.valid_from)]
        entry = in_force[-1]
        facts.append(
            rules.UnitFacts(
                key=unit_id,
                p_number=unit.p_number,
                category=entry.category,
                registered_on=first.valid_from,
                score=scores.get(unit_id),
                start_up_required=entry.start_up_required,
                started_on=unit.started_on,
                inspections=tuple(sorted(done.get(unit_id, []), key=lambda i: i.on)),
            )
        )
    return sorted(facts, key=lambda f: f.p_number)


def plan_get(*, user: User, year: int) -> InspectionPlan | None:
    _staff_units(user)
    return InspectionPlan.objects.filter(year=year).first()


def plan_items(*, user: User, plan: InspectionPlan) -> QuerySet[PlanItem]:
    """The plan's items with their unit and business (one query), by category, kind, P-number."""
    _staff_units(user)
    return (
        plan.items.select_related("unit", "unit__business", "inspection")
        .prefetch_related("adjustments")
        .order_by("category", "kind", "status", "unit__p_number")
    )


def plan_counts(*, plan: InspectionPlan) -> list[dict[str, Any]]:
    """Plan vs done per category and kind: planned (not cancelled), done, cancelled."""
    rows = (
        plan.items.values("category", "kind")
        .annotate(
            planned=Count("id", filter=~Q(status=PlanItem.Status.CANCELLED)),
            done=Count("id", filter=Q(status=PlanItem.Status.DONE)),
            cancelled=Count("id", filter=Q(status=PlanItem.Status.CANCELLED)),
        )
        .order_by("category", "kind")
    )
    return list(rows)


def planned_kinds() -> tuple[str, ...]:
    return tuple(str(k) for k in PLANNED_KINDS)


# --- the report clocks: reminders and the dashboard ----------------------------------------


def visits_with_report_clock_between(*, first: dt.date, last: dt.date) -> QuerySet[Visit]:
    """Visits whose running clock falls due from ``first`` to ``last``: the report (visited,
    not yet sent; ``report_due``) or its publication (reported, not yet published;
    ``publish_due``). With the case, its business, the unit and the inspector (one query).

    For the notification sweep: the system, not a person, asks, so there is no user scope.
    """
    return (
        Visit.objects.filter(
            Q(
                status=Visit.Status.VISITED,
                report_sent_on__isnull=True,
                report_due__range=(first, last),
            )
            | Q(
                status=Visit.Status.REPORTED,
                published_on__isnull=True,
                publish_due__range=(first, last),
            )
        )
        .select_related("case__business", "unit", "inspector")
        .order_by("id")
    )


@dataclass(frozen=True)
class InspectionFigures:
    """The report clocks for the visits carried out in a period, and what is overdue now.

    A report counts once it is decided: sent (on time or late), or not sent when its
    deadline has passed (late); a report still within its deadline is pending and counted
    in neither part nor n. The same for publication.
    """

    visited: int
    report_on_time: int
    report_late: int
    report_pending: int
    publish_on_time: int
    publish_late: int
    publish_pending: int
    reports_overdue_now: int  # not in the period: all visits, today
    publications_overdue_now: int

    @property
    def report_decided(self) -> int:
        return self.report_on_time + self.report_late

    @property
    def publish_decided(self) -> int:
        return self.publish_on_time + self.publish_late


def inspection_figures(f: MeasureFilter, *, today: dt.date) -> InspectionFigures:
    """Reports sent within 2 months and published within 4 of the visits carried out in the
    period (``visited_on``), and the reports and publications overdue today: one aggregate.

    The filter's department, service type and coordinator apply to the visit's case.
    """
    period = Q(visited_on__range=(f.start, f.end))
    sent, published = Q(report_sent_on__isnull=False), Q(published_on__isnull=False)
    not_sent, not_published = Q(report_sent_on__isnull=True), Q(published_on__isnull=True)
    totals = (
        Visit.objects.filter(f.case_q("case__"))
        .exclude(status=Visit.Status.CANCELLED)
        .aggregate(
            visited=Count("id", filter=period),
            report_on_time=Count(
                "id", filter=period & sent & Q(report_sent_on__lte=F("report_due"))
            ),
            report_late=Count(
                "id",
                filter=period
                & (
                    (sent & Q(report_sent_on__gt=F("report_due")))
                    | (not_sent & Q(report_due__lt=today))
                ),
            ),
            report_pending=Count("id", filter=period & not_sent & Q(report_due__gte=today)),
            publish_on_time=Count(
                "id", filter=period & published & Q(published_on__lte=F("publish_due"))
            ),
            publish_late=Count(
                "id",
                filter=period
                & (
                    (published & Q(published_on__gt=F("publish_due")))
                    | (not_published & Q(publish_due__lt=today))
                ),
            ),
            publish_pending=Count("id", filter=period & not_published & Q(publish_due__gte=today)),
            reports_overdue_now=Count(
                "id",
                filter=Q(status=Visit.Status.VISITED, report_due__lt=today) & not_sent,
            ),
            publications_overdue_now=Count(
                "id",
                filter=Q(status=Visit.Status.REPORTED, publish_due__lt=today) & not_published,
            ),
        )
    )
    return InspectionFigures(**totals)


# --- visits: the inspection as a case of the business ------------------------------------
# A visit is seen by whoever sees its case (``Case.objects.visible_to``): the business's
# active members, and the staff the case rule lets in (Miljø, the inspector, coordinators,
# heads of unit, administrators). Published reports are public.

VISIT_STATES = ("open", "report_due", "unpublished", "all")
OPEN_VISIT_STATUSES = (
    Visit.Status.PLANNED,
    Visit.Status.OFFERED,
    Visit.Status.BOOKED,
    Visit.Status.VISITED,
)


def _with_relations(queryset: QuerySet[Visit]) -> QuerySet[Visit]:
    return queryset.select_related(
        "case",
        "case__business",
        "case__coordinator",
        "unit",
        "unit__business",
        "inspector",
        "inspection",
        "plan_item",
        "report_document",
    ).prefetch_related(
        "slots",
        Prefetch("findings", queryset=Finding.objects.select_related("deliverable")),
        "enforcements",
    )


def visit_queryset() -> QuerySet[Visit]:
    """Visits with everything the visit pages and the report read (four queries in all).
    Not scoped: for services and the report, after access was checked."""
    return _with_relations(Visit.objects.all())


def _visible_visits(user: User) -> QuerySet[Visit]:
    """The same rule as ``Case.objects.visible_to``, written on the visit so that staff who
    see every case do not pay for a sub-select of all cases."""
    if not (user.is_authenticated and user.is_active):
        return Visit.objects.none()
    if user.is_staff:
        if (
            getattr(user, "department_id", None) is None
            or user.is_superuser
            or getattr(user, "is_coordinator", False)
            or getattr(user, "is_head_of_unit", False)
        ):
            return Visit.objects.all()
        return Visit.objects.filter(case__in=Case.objects.visible_to(user))
    mine = Membership.objects.filter(user=user, active=True).values("business_id")
    return Visit.objects.filter(case__business_id__in=mine)


def visit_for_case(*, case: Case, user: User) -> Visit | None:
    """The case's visit with unit, inspector, slots, findings (with their deliverable) and
    enforcements; None if the case is no visit or the user does not see it."""
    return _with_relations(_visible_visits(user).filter(case=case)).first()


def visits_by_case(*, user: User, case_ids: list[int]) -> dict[int, Visit]:
    """The visits of these cases the user sees, by case id (one query; for case lists)."""
    if not case_ids:
        return {}
    found = _visible_visits(user).filter(case_id__in=case_ids).select_related("unit")
    return {visit.case_id: visit for visit in found}


def visit_get(*, user: User, visit_id: int) -> Visit:
    """One visit as ``visit_for_case`` reads it; NotFound when the user does not see it."""
    visit = _with_relations(_visible_visits(user).filter(pk=visit_id)).first()
    if visit is None:
        raise NotFound("Tilsynsbesøget findes ikke.")
    return visit


def visits_list(*, user: User, state: str = "open") -> QuerySet[Visit]:
    """Staff's list of visits (one query whatever its length), by state:

    ``open`` — not reported or cancelled, by time (unbooked last); ``report_due`` — carried
    out, report not sent, by the report deadline; ``unpublished`` — report sent, not
    published, by the publication deadline; ``all`` — newest first.
    """
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise Forbidden("Kun kommunens medarbejdere har adgang til tilsynsbesøgene.")
    if state not in VISIT_STATES:
        raise ValidationFailed.field(
            "state", "Vælg åbne, rapport mangler, ikke offentliggjort eller alle."
        )
    queryset = _visible_visits(user).select_related(
        "case", "case__business", "unit", "unit__business", "inspector"
    )
    if state == "open":
        return queryset.filter(status__in=OPEN_VISIT_STATUSES).order_by(
            F("visit_at").asc(nulls_last=True), "created_at", "id"
        )
    if state == "report_due":
        return queryset.filter(status=Visit.Status.VISITED).order_by("report_due", "id")
    if state == "unpublished":
        return queryset.filter(status=Visit.Status.REPORTED).order_by("publish_due", "id")
    return queryset.order_by("-created_at", "-id")


def visit_page(
    *, user: User, state: str = "all", after: int | None = None, limit: int = 50
) -> tuple[list[Visit], bool]:
    """A keyset page of the visits the user sees, by id (the API's list; stable while
    visits are added): staff see them by the case visibility rule, a business user its own.
    ``state`` as in ``visits_list``. Four queries whatever the page's length (the visit with
    its case, unit and inspector; its slots, findings and enforcements). Returns the rows
    and whether there are more after them."""
    if state not in VISIT_STATES:
        raise ValidationFailed.field("state", "Vælg open, report_due, unpublished eller all.")
    queryset = _visible_visits(user)
    if state == "open":
        queryset = queryset.filter(status__in=OPEN_VISIT_STATUSES)
    elif state == "report_due":
        queryset = queryset.filter(status=Visit.Status.VISITED)
    elif state == "unpublished":
        queryset = queryset.filter(status=Visit.Status.REPORTED)
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    rows = list(_with_relations(queryset).order_by("id")[: limit + 1])
    return rows[:limit], len(rows) > limit


def unit_visits(*, unit: ProductionUnit) -> list[Visit]:
    """The unit's visits, newest first, with case and inspector (one query); staff pages."""
    return list(unit.visits.select_related("case", "inspector").order_by("-created_at", "-id"))


def _published() -> QuerySet[Visit]:
    return Visit.objects.filter(
        status=Visit.Status.PUBLISHED, published_on__isnull=False
    ).select_related("case", "unit", "unit__business", "report_document")


def published_reports(*, query: str = "") -> QuerySet[Visit]:
    """Public: the published inspection reports, newest first; ``query`` matches the
    business's name (part of it), or the start of its CVR number or the unit's P-number."""
    queryset = _published().order_by("-published_on", "-id")
    text = (query or "").strip()[:100]
    if not text:
        return queryset
    match = Q(unit__business__name__icontains=text) | Q(unit__name__icontains=text)
    digits = text.replace(" ", "")
    if digits.isdigit():
        match |= Q(unit__business__cvr__startswith=digits) | Q(unit__p_number__startswith=digits)
    return queryset.filter(match)


def published_report(*, visit_id: int) -> Visit | None:
    """Public: one published report (with its document), or None."""
    return _published().filter(pk=visit_id).first()
