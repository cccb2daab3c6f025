"""Reads for environmental inspection. Staff only: every read starts from
``ProductionUnit.objects.visible_to`` and refuses a user who is not staff, so a business user
never reaches the register (the portal will show a business its own visits later)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import ProductionUnit
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import Forbidden, NotFound

from . import rules
from .models import (
    PLANNED_KINDS,
    Inspection,
    InspectionPlan,
    PlanItem,
    RegisterEntry,
    RiskAssessment,
)


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
