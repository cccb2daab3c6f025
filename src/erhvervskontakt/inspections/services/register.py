"""The inspection register (tilsynsregister) and the risk assessment of a production unit,
and inspections recorded as done (``inspection_record``), which complete their plan item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import ProductionUnit
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import ValidationFailed

from .. import rules
from ..models import Category, Inspection, Kind, PlanItem, RegisterEntry, RiskAssessment
from .core import REASON_MAX, _date, _event, _require_staff

PARAMETER_NAMES = {
    "a": "A (miljøledelse)",
    "b": "B (regelefterlevelse)",
    "c": "C (kemikalier og farligt affald)",
    "d": "D (emissioner)",
    "e": "E (omgivelsernes sårbarhed)",
}


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
