"""The annual inspection plan (tilsynsplan): proposed from the register
(``plan_propose``) and adjusted by an inspector, with a reason, item by item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import ProductionUnit
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import NotFound, ValidationFailed

from .. import rules, selectors
from ..models import PLANNED_KINDS, InspectionPlan, Kind, PlanAdjustment, PlanItem
from .core import _event, _reason, _require_staff

# --- the annual plan ---------------------------------------------------------------------


@dataclass
class ProposalResult:
    plan: InspectionPlan
    created: int
    updated: int
    withdrawn: int
    kept: int


@transaction.atomic
def plan_propose(*, year: int, progress: Callable[[str], None] = lambda _: None) -> ProposalResult:
    """Compute the year's plan from the register (``rules.annual_plan``) and store it.

    Safe to run again: items an inspector adjusted, and items done, are kept as they are;
    the rest of the earlier proposal is replaced — items the new proposal still has are
    updated in place, items it no longer has are cancelled ("no longer proposed"), never
    deleted. The plan row is locked so two runs for one year are serialised.
    """
    if not 2000 <= year <= 2100:
        raise ValidationFailed.field("year", "Angiv et år mellem 2000 og 2100.")
    plan, _ = InspectionPlan.objects.get_or_create(year=year, defaults={"proposed_at": clock.now()})
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    progress(f"Læser registret for {year} …")
    facts = selectors.register_facts(year=year)
    progress(f"{len(facts)} enheder i registret; beregner planen …")
    proposal = rules.annual_plan(facts, year, anchor=selectors.period_anchor())
    existing = {(i.unit_id, i.kind): i for i in plan.items.all()}
    created = updated = withdrawn = kept = 0
    wanted = set()
    new_items = []
    for planned in proposal:
        key = (planned.key, planned.kind)
        wanted.add(key)
        item = existing.get(key)
        if item is None:
            new_items.append(
                PlanItem(
                    plan=plan,
                    unit_id=planned.key,
                    category=planned.category,
                    kind=planned.kind,
                    why=planned.why,
                    due_by=planned.due_by,
                    month=planned.due_by.month if planned.due_by else None,
                )
            )
        elif item.adjusted or item.status == PlanItem.Status.DONE:
            kept += 1
        else:
            item.category, item.why, item.due_by = planned.category, planned.why, planned.due_by
            item.status = PlanItem.Status.PLANNED
            item.save(update_fields=["category", "why", "due_by", "status", "updated_at"])
            updated += 1
    PlanItem.objects.bulk_create(new_items, batch_size=500)
    created = len(new_items)
    for key, item in existing.items():
        if key in wanted or item.adjusted or item.status != PlanItem.Status.PLANNED:
            if key not in wanted:
                kept += 1
            continue
        item.status = PlanItem.Status.CANCELLED
        item.why = f"{item.why} [Ikke længere i forslaget {clock.today():%d.%m.%Y}]"[:2000]
        item.save(update_fields=["status", "why", "updated_at"])
        withdrawn += 1
    plan.proposed_at = clock.now()
    plan.save(update_fields=["proposed_at"])
    progress(f"Nye {created}, opdaterede {updated}, trukket tilbage {withdrawn}, bevaret {kept}.")
    return ProposalResult(plan, created, updated, withdrawn, kept)


def _log(item: PlanItem, *, action: str, actor: User, reason: str, text: str) -> None:
    PlanAdjustment.objects.create(
        item=item, action=action, actor=actor, at=clock.now(), reason=reason, text=text
    )
    _event(
        item.unit,
        kind="inspection_plan",
        actor=actor,
        text=f"Tilsynsplan {item.plan.year}: {text} Begrundelse: {reason}",
    )


def _month(value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        month = int(str(value))
    except ValueError:
        month = 0
    if not 1 <= month <= 12:
        raise ValidationFailed.field("month", "Vælg en måned fra 1 til 12.")
    return month


@transaction.atomic
def plan_item_add(
    *,
    plan: InspectionPlan,
    p_number: str,
    kind: str,
    actor: User,
    reason: str,
    month: object = None,
) -> PlanItem:
    """An inspector puts a unit on the plan (or back on it), with a reason."""
    _require_staff(actor)
    text = _reason(reason)
    if kind not in PLANNED_KINDS:
        raise ValidationFailed.field(
            "kind", "Vælg basistilsyn, prioriteret tilsyn eller opstartstilsyn."
        )
    chosen_month = _month(month)
    unit = ProductionUnit.objects.filter(p_number=(p_number or "").strip(), active=True).first()
    if unit is None:
        raise ValidationFailed.field("p_number", "Der er ingen aktiv P-enhed med det P-nummer.")
    facts = {f.key: f for f in selectors.register_facts(year=plan.year)}
    fact = facts.get(unit.pk)
    if fact is None:
        raise ValidationFailed.field("p_number", "Enheden er ikke i tilsynsregistret.")
    taken = set(
        plan.items.filter(unit=unit)
        .exclude(status=PlanItem.Status.CANCELLED)
        .values_list("kind", flat=True)
    )
    if kind in taken:
        raise ValidationFailed.field("kind", "Enheden har allerede den type tilsyn på planen.")
    clash = {Kind.BASIC: Kind.PRIORITISED, Kind.PRIORITISED: Kind.BASIC}.get(Kind(kind))
    if clash is not None and (
        clash in taken
        or (
            kind == Kind.PRIORITISED
            and any(i.kind == Kind.BASIC and i.on.year == plan.year for i in fact.inspections)
        )
    ):
        raise ValidationFailed.field(
            "kind", "En enhed får ikke både basistilsyn og prioriteret tilsyn samme år."
        )
    item = PlanItem.objects.select_for_update().filter(plan=plan, unit=unit, kind=kind).first()
    if item is None:
        item = PlanItem.objects.create(
            plan=plan,
            unit=unit,
            category=fact.category,
            kind=kind,
            why=f"Tilføjet af {actor.display_name}: {text}",
            month=chosen_month,
            adjusted=True,
        )
    else:
        item.status = PlanItem.Status.PLANNED
        item.adjusted = True
        item.month = chosen_month
        item.why = f"{item.why} [Tilføjet igen af {actor.display_name}: {text}]"[:2000]
        item.save(update_fields=["status", "adjusted", "month", "why", "updated_at"])
    _log(
        item,
        action=PlanAdjustment.Action.ADD,
        actor=actor,
        reason=text,
        text=f"{item.get_kind_display()} af P-enhed {unit.p_number} tilføjet.",
    )
    return item


def _item_for_change(*, item_id: int, plan: InspectionPlan) -> PlanItem:
    item = (
        PlanItem.objects.select_for_update()
        .select_related("unit", "plan")
        .filter(pk=item_id, plan=plan)
        .first()
    )
    if item is None:
        raise NotFound("Punktet findes ikke i planen.")
    if item.status != PlanItem.Status.PLANNED:
        raise ValidationFailed.field("item", "Kun planlagte punkter kan ændres.")
    return item


@transaction.atomic
def plan_item_cancel(*, plan: InspectionPlan, item_id: int, actor: User, reason: str) -> PlanItem:
    """Take an item off the plan (cancelled, kept with the reason)."""
    _require_staff(actor)
    text = _reason(reason)
    item = _item_for_change(item_id=item_id, plan=plan)
    item.status = PlanItem.Status.CANCELLED
    item.adjusted = True
    item.save(update_fields=["status", "adjusted", "updated_at"])
    _log(
        item,
        action=PlanAdjustment.Action.CANCEL,
        actor=actor,
        reason=text,
        text=f"{item.get_kind_display()} af P-enhed {item.unit.p_number} fjernet.",
    )
    return item


@transaction.atomic
def plan_item_move(
    *, plan: InspectionPlan, item_id: int, month: object, actor: User, reason: str
) -> PlanItem:
    """Move an item to another month of the year, with a reason."""
    _require_staff(actor)
    text = _reason(reason)
    chosen = _month(month)
    if chosen is None:
        raise ValidationFailed.field("month", "Vælg en måned fra 1 til 12.")
    item = _item_for_change(item_id=item_id, plan=plan)
    before = item.month
    item.month = chosen
    item.adjusted = True
    item.save(update_fields=["month", "adjusted", "updated_at"])
    _log(
        item,
        action=PlanAdjustment.Action.MOVE,
        actor=actor,
        reason=text,
        text=f"{item.get_kind_display()} af P-enhed {item.unit.p_number} flyttet"
        f" fra {before or 'ingen måned'} til måned {chosen}.",
    )
    return item
