"""Writes for environmental inspection: the register, risk assessments, inspections done and
the annual plan. Every change is logged on the business's history (``BusinessEvent``) in the
same transaction; plan adjustments also in ``PlanAdjustment`` with the inspector's reason.
Nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import transaction

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import BusinessEvent, ProductionUnit
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import Forbidden, NotFound, ValidationFailed

from . import rules, selectors
from .models import (
    PLANNED_KINDS,
    Category,
    Inspection,
    InspectionPlan,
    Kind,
    PlanAdjustment,
    PlanItem,
    RegisterEntry,
    RiskAssessment,
)

REASON_MAX = 500
PARAMETER_NAMES = {
    "a": "A (miljøledelse)",
    "b": "B (regelefterlevelse)",
    "c": "C (kemikalier og farligt affald)",
    "d": "D (emissioner)",
    "e": "E (omgivelsernes sårbarhed)",
}


def _require_staff(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        raise Forbidden("Kun kommunens medarbejdere kan ændre tilsynsregistret.")


def _event(unit: ProductionUnit, *, kind: str, actor: User | None, text: str) -> None:
    BusinessEvent.objects.create(
        business_id=unit.business_id, at=clock.now(), kind=kind, actor=actor, text=text
    )


def _reason(value: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed.field("reason", "Angiv en begrundelse.")
    if len(text) > REASON_MAX:
        raise ValidationFailed.field("reason", f"Begrundelsen må højst være {REASON_MAX} tegn.")
    return text


def _date(value: object, field: str, label: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationFailed.field(field, f"Angiv {label} som en dato, fx 2027-03-01.") from None


# --- register and risk assessment --------------------------------------------------------


@transaction.atomic
def register_entry_add(
    *,
    unit: ProductionUnit,
    category: str,
    valid_from: dt.date | str,
    start_up_required: bool = False,
    actor: User,
    note: str = "",
) -> RegisterEntry:
    """Put the unit in the register (or change its category) from ``valid_from``.

    The history is kept: the new entry is in force from its date, earlier ones before it.
    """
    _require_staff(actor)
    if category not in Category.values:
        raise ValidationFailed.field("category", "Vælg kategori 1a, 1b eller 2.")
    day = _date(valid_from, "valid_from", "gælder fra")
    if not unit.active:
        raise ValidationFailed.field("unit", "Produktionsenheden er lukket.")
    if len((note or "").strip()) > REASON_MAX:
        raise ValidationFailed.field("note", f"Bemærkningen må højst være {REASON_MAX} tegn.")
    entry = RegisterEntry.objects.create(
        unit=unit,
        category=category,
        valid_from=day,
        start_up_required=bool(start_up_required),
        note=(note or "").strip(),
        created_by=actor,
    )
    flag = " (bilag 2: opstartstilsyn)" if entry.start_up_required else ""
    _event(
        unit,
        kind="inspection_register",
        actor=actor,
        text=f"Tilsynsregister: P-enhed {unit.p_number} i kategori {category}{flag}"
        f" fra {day:%d.%m.%Y}.",
    )
    return entry


def clean_assessment(
    scores: Mapping[str, object], reasons: Mapping[str, object]
) -> tuple[dict[str, int], dict[str, str]]:
    """Scores 1, 3 or 5 and a short justification for each of A–E; every error at once."""
    errors: dict[str, str] = {}
    clean_scores: dict[str, int] = {}
    clean_reasons: dict[str, str] = {}
    for key in rules.PARAMETERS:
        name = PARAMETER_NAMES[key]
        raw = scores.get(key)
        try:
            value = int(str(raw).strip()) if raw is not None and not isinstance(raw, bool) else 0
        except ValueError:
            value = 0
        if value not in rules.SCORES:
            errors[key] = f"Giv parameter {name} scoren 1, 3 eller 5."
        else:
            clean_scores[key] = value
        text = str(reasons.get(key) or "").strip()
        if not text:
            errors[f"{key}_reason"] = f"Begrund scoren for parameter {name}."
        elif len(text) > REASON_MAX:
            errors[f"{key}_reason"] = f"Begrundelsen for {name} må højst være {REASON_MAX} tegn."
        else:
            clean_reasons[key] = text
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)
    return clean_scores, clean_reasons


@transaction.atomic
def risk_assessment_record(
    *,
    unit: ProductionUnit,
    actor: User,
    scores: Mapping[str, object],
    reasons: Mapping[str, object],
    assessed_on: dt.date | str | None = None,
) -> RiskAssessment:
    """Record a new risk assessment; it becomes the unit's current one (the old stay)."""
    _require_staff(actor)
    clean_scores, clean_reasons = clean_assessment(scores, reasons)
    day = (
        clock.today() if assessed_on in (None, "") else _date(assessed_on, "assessed_on", "datoen")
    )
    if day > clock.today():
        raise ValidationFailed.field(
            "assessed_on", "En risikovurdering kan ikke dateres frem i tiden."
        )
    if not unit.register_entries.exists():
        raise ValidationFailed.field("unit", "Enheden er ikke i tilsynsregistret endnu.")
    score = rules.weighted_score(*(clean_scores[k] for k in rules.PARAMETERS))
    assessment = RiskAssessment.objects.create(
        unit=unit,
        assessed_on=day,
        assessed_by=actor,
        score=score,
        **clean_scores,
        **{f"{k}_reason": v for k, v in clean_reasons.items()},
    )
    _event(
        unit,
        kind="risk_assessment",
        actor=actor,
        text=f"Risikovurdering af P-enhed {unit.p_number}: score {rules.format_score(score)}"
        f" (A{clean_scores['a']} B{clean_scores['b']} C{clean_scores['c']}"
        f" D{clean_scores['d']} E{clean_scores['e']}).",
    )
    return assessment


@transaction.atomic
def inspection_record(
    *,
    unit: ProductionUnit,
    on: dt.date | str,
    kind: str,
    physical: bool = True,
    actor: User | None,
    note: str = "",
) -> Inspection:
    """Record an inspection carried out; a planned one completes the matching plan item
    (same unit, kind and year), which is locked so two recordings cannot both claim it."""
    if actor is not None:
        _require_staff(actor)
    if kind not in Kind.values:
        raise ValidationFailed.field("kind", "Vælg en type tilsyn.")
    day = _date(on, "on", "datoen")
    if day > clock.today():
        raise ValidationFailed.field("on", "Et tilsyn kan ikke registreres frem i tiden.")
    if kind in (Kind.BASIC, Kind.START_UP) and not physical:
        raise ValidationFailed.field("physical", "Basis- og opstartstilsyn skal være fysiske.")
    inspection = Inspection.objects.create(
        unit=unit,
        on=day,
        kind=kind,
        physical=bool(physical),
        note=(note or "").strip()[:REASON_MAX],
        recorded_by=actor,
    )
    item = (
        PlanItem.objects.select_for_update()
        .filter(plan__year=day.year, unit=unit, kind=kind, status=PlanItem.Status.PLANNED)
        .first()
    )
    if item is not None:
        item.status = PlanItem.Status.DONE
        item.inspection = inspection
        item.save(update_fields=["status", "inspection", "updated_at"])
    _event(
        unit,
        kind="inspection_done",
        actor=actor,
        text=f"{inspection.get_kind_display()} af P-enhed {unit.p_number} {day:%d.%m.%Y}"
        f" ({'fysisk' if physical else 'ikke fysisk'}).",
    )
    return inspection


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
