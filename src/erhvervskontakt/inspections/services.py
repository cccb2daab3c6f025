"""Writes for environmental inspection: the register, risk assessments, inspections done and
the annual plan. Every change is logged on the business's history (``BusinessEvent``) in the
same transaction; plan adjustments also in ``PlanAdjustment`` with the inspector's reason.
Visits — inspections carried out as a dialogue with the business — are cases of the business
and write their timeline events on the case (see the "visits" section). Nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import BusinessEvent, Membership, ProductionUnit
from erhvervskontakt.cases.models import Case, Channel, Deliverable, Event
from erhvervskontakt.cases.services import (
    case_add_generated_document,
    case_message_post,
    case_open_by_municipality,
    case_withdraw,
    deliverable_add,
)
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.catalogue.selectors import service_type_by_code
from erhvervskontakt.common import announcements, clock
from erhvervskontakt.common.errors import (
    Conflict,
    Forbidden,
    IllegalTransition,
    NotFound,
    ValidationFailed,
)

from . import rules, selectors
from .announcements import VisitReportSent
from .models import (
    PLANNED_KINDS,
    Category,
    Enforcement,
    Finding,
    Inspection,
    InspectionPlan,
    Kind,
    PlanAdjustment,
    PlanItem,
    RegisterEntry,
    RiskAssessment,
    Visit,
    VisitSlot,
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


# --- visits: the inspection as a case of the business ------------------------------------
#
# A visit is a case of the business (decision 9): opened by the municipality with service
# type ``miljoetilsyn``, the inspector as the caseworker and the fixed contact person as the
# coordinator. Every write below locks the case, then the visit (the order the case services
# lock in), checks ``expected_version`` against ``Visit.version`` where it is given, and
# writes its timeline event on the case in the same transaction. Timeline event kinds:
# visit_created, visit_slots_offered, visit_slot_chosen, visit_time_fixed,
# visit_focus_changed, visit_visited, visit_finding, visit_enforcement, visit_report_draft
# (internal), visit_report_sent, visit_published, visit_cancelled.

SERVICE_TYPE_CODE = "miljoetilsyn"
MAX_SLOTS = 8
TEXT_MAX = 5000
REPORT_TEXT_MAX = 10_000
LEGAL_BASIS_MAX = 250
REPORT_MONTHS = 2
PUBLISH_MONTHS = 4
BEFORE_VISIT = (Visit.Status.PLANNED, Visit.Status.OFFERED, Visit.Status.BOOKED)
STALE_VISIT = (
    "Tilsynsbesøget er ændret af en anden, siden du åbnede det – genindlæs siden og prøv igen."
)
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


def when_text(starts_at: dt.datetime, ends_at: dt.datetime | None = None) -> str:
    """A time as a Dane writes it: »mandag 7. december 2026 kl. 09.00–11.00« (local time)."""
    start = starts_at.astimezone(clock.local_tz())
    text = (
        f"{WEEKDAYS[start.weekday()]} {start.day}. {MONTHS[start.month - 1]} {start.year}"
        f" kl. {start:%H.%M}"
    )
    if ends_at is not None:
        text += f"–{ends_at.astimezone(clock.local_tz()):%H.%M}"
    return text


def _inspection_service_type() -> ServiceType:
    found = service_type_by_code(SERVICE_TYPE_CODE)
    if found is None:
        raise ValidationFailed.field(
            "service_type",
            f"Ydelsen Miljøtilsyn (kode »{SERVICE_TYPE_CODE}«) findes ikke i kataloget; "
            "en administrator skal oprette den.",
        )
    return found


def _may_inspect(user: User, department_id: int) -> bool:
    """Staff who may be the inspector, or open visits: Miljø, coordinators, heads, admins."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (
            user.is_superuser
            or user.is_coordinator
            or user.is_head_of_unit
            or user.department_id == department_id
        )
    )


def _require_visit_staff(visit: Visit, actor: User) -> None:
    """Staff who see the visit's case (the one visibility rule of cases): its Miljø
    caseworkers, the inspector, coordinators, heads of unit and administrators."""
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        raise Forbidden("Kun kommunens medarbejdere kan ændre tilsynsbesøg.")
    if not Case.objects.visible_to(actor).filter(pk=visit.case_id).exists():
        raise Forbidden("Tilsynsbesøget hører til Miljø; du har ikke adgang til sagen.")


def _require_member_or_staff(visit: Visit, actor: User) -> None:
    if actor.is_authenticated and actor.is_active and actor.is_staff:
        _require_visit_staff(visit, actor)
        return
    member = (
        actor.is_authenticated
        and actor.is_active
        and Membership.objects.filter(
            user=actor, business_id=visit.case.business_id, active=True
        ).exists()
    )
    if not member:
        raise NotFound("Tilsynsbesøget findes ikke.")


def _lock_visit(visit: Visit, expected_version: int | None = None) -> Visit:
    """The case row, then the visit row, under lock (the order the case services use), so
    two inspectors (or the business choosing a slot) are serialised."""
    list(Case.objects.select_for_update().filter(pk=visit.case_id).values_list("pk", flat=True))
    locked = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("case", "case__business", "unit", "unit__business", "inspector")
        .get(pk=visit.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(STALE_VISIT, errors={"version": STALE_VISIT})
    return locked


def _save_visit(visit: Visit, *fields: str) -> None:
    visit.version = F("version") + 1
    visit.save(update_fields=[*fields, "version"])
    visit.refresh_from_db(fields=["version"])


def _visit_event(
    visit: Visit,
    event_kind: str,
    actor: User | None,
    text: str,
    *,
    internal: bool = False,
    **data: Any,
) -> Event:
    """The visit's entry in its case's timeline; the case's version moves (it changed)."""
    event = Event.objects.create(
        case_id=visit.case_id,
        at=clock.now(),
        kind=event_kind,
        actor=actor,
        text=text,
        data={"visit": visit.pk, **data},
        internal=internal,
    )
    Case.objects.filter(pk=visit.case_id).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    return event


def _reload(visit: Visit) -> Visit:
    return selectors.visit_queryset().get(pk=visit.pk)


def _text(value: object, field: str, *, missing: str, limit: int, required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise ValidationFailed.field(field, missing)
    if len(text) > limit:
        raise ValidationFailed.field(field, f"Teksten må højst være {limit} tegn.")
    return text


def _collect(errors: dict[str, str], check: Callable[[], Any]) -> Any:
    try:
        return check()
    except ValidationFailed as error:
        errors.update(error.errors)
        return None


def _raise(errors: dict[str, str], summary: str) -> None:
    if errors:
        messages = list(errors.values())
        raise ValidationFailed(messages[0] if len(messages) == 1 else summary, errors=errors)


def _aware(value: object, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        raise ValidationFailed.field(field, "Angiv dato og klokkeslæt.")
    return value


def _default_contact(business_id: int) -> tuple[str, str]:
    """The business's latest case contact, else its first active member, else blank."""
    latest = (
        Case.objects.filter(business_id=business_id)
        .exclude(contact_email="")
        .order_by("-received_at", "-id")
        .values_list("contact_name", "contact_email")
        .first()
    )
    if latest is not None:
        return latest[0], latest[1]
    member = (
        Membership.objects.filter(business_id=business_id, active=True, user__is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if member is not None:
        user = member.user
        email = user.email or (user.username if "@" in user.username else "")
        return (user.get_full_name() or user.display_name or email), email
    return "", ""


def _clean_contact(name: str, email: str, errors: dict[str, str]) -> tuple[str, str]:
    name, email = (name or "").strip(), (email or "").strip()
    if not name:
        errors["contact_name"] = "Angiv navnet på virksomhedens kontaktperson."
    elif len(name) > 150:
        errors["contact_name"] = "Navnet må højst være 150 tegn."
    if not email:
        errors["contact_email"] = "Angiv kontaktpersonens e-mail."
    else:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors["contact_email"] = "E-mailadressen er ikke gyldig."
    return name, email


def _case_description(kind: str, unit: ProductionUnit, focus: str) -> str:
    """The case's description: what is inspected and what will be looked at."""
    return (
        f"{Kind(kind).label} af {unit.name} (P-nummer {unit.p_number}).\n\nDet ser vi på: {focus}"
    )


@transaction.atomic
def visit_create(
    *,
    unit: ProductionUnit,
    actor: User,
    kind: str,
    focus: str,
    physical: bool = True,
    inspector: User | None = None,
    plan_item_id: int | None = None,
    contact_name: str = "",
    contact_email: str = "",
) -> Visit:
    """Open an inspection visit: a case of the unit's business (``case_open_by_municipality``)
    and the visit, planned. ``inspector`` (default the actor) is given the Miljø task.

    The contact is the one given, else the business's latest case contact, else its first
    active portal user. A plan item, if given, must be the unit's, planned, of the same kind
    and without another visit under way.
    """
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        raise Forbidden("Kun kommunens medarbejdere kan oprette tilsynsbesøg.")
    service_type = _inspection_service_type()
    if not _may_inspect(actor, service_type.department_id):
        raise Forbidden(
            f"Kun {service_type.department.name}, tovholdere og ledere kan oprette tilsynsbesøg."
        )
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = "Vælg en type tilsyn."
    text = _collect(
        errors,
        lambda: _text(focus, "focus", missing="Skriv, hvad tilsynet skal se på.", limit=TEXT_MAX),
    )
    if kind in (Kind.BASIC, Kind.START_UP) and not physical:
        errors["physical"] = "Basis- og opstartstilsyn skal være fysiske."
    if not unit.active:
        errors["unit"] = "Produktionsenheden er lukket."
    chosen = inspector or actor
    if not _may_inspect(chosen, service_type.department_id):
        errors["inspector"] = (
            f"{chosen.display_name} kan ikke være tilsynsførende"
            f" ({service_type.department.name}, tovholder eller leder)."
        )
    item: PlanItem | None = None
    if plan_item_id is not None:
        item = (
            PlanItem.objects.select_for_update()
            .select_related("plan")
            .filter(pk=plan_item_id)
            .first()
        )
        if item is None or item.unit_id != unit.pk:
            errors["plan_item"] = "Punktet findes ikke i enhedens tilsynsplan."
            item = None
        elif item.status != PlanItem.Status.PLANNED:
            errors["plan_item"] = "Punktet i tilsynsplanen er ikke længere planlagt."
        elif item.visits.exclude(status=Visit.Status.CANCELLED).exists():
            errors["plan_item"] = "Der er allerede et tilsynsbesøg for punktet i tilsynsplanen."
        elif kind in Kind.values and kind != item.kind:
            errors["kind"] = (
                f"Punktet i tilsynsplanen er et {item.get_kind_display().lower()}; vælg den type."
            )
    name, email = contact_name, contact_email
    if not (name or "").strip() and not (email or "").strip():
        name, email = _default_contact(unit.business_id)
        if not email:
            errors["contact_email"] = (
                "Virksomheden har ingen kontaktperson endnu; angiv navn og e-mail."
            )
    if "contact_email" not in errors:
        name, email = _clean_contact(name, email, errors)
    _raise(errors, "Tilsynsbesøget er ikke udfyldt korrekt.")
    label = Kind(kind).label
    case = case_open_by_municipality(
        business=unit.business,
        actor=actor,
        service_type=service_type,
        description=_case_description(kind, unit, text),
        contact_name=name,
        contact_email=email,
        caseworker=chosen,
        channel=Channel.INSPECTION,
        opened=f"Miljøtilsyn: {label.lower()} af P-enhed {unit.p_number} ({unit.name}).",
    )
    visit = Visit.objects.create(
        case=case,
        unit=unit,
        kind=kind,
        physical=bool(physical),
        plan_item=item,
        inspector=chosen,
        focus=text,
        created_by=actor,
        created_at=clock.now(),
    )
    _visit_event(
        visit,
        "visit_created",
        actor,
        f"Tilsynsbesøg oprettet: {label.lower()} ({'fysisk' if physical else 'ikke fysisk'})"
        f" af {unit.name}, P-nummer {unit.p_number}. Tilsynsførende: {chosen.display_name}."
        + (f" Fra tilsynsplan {item.plan.year}." if item is not None else "")
        + f" Det ser vi på: {text}",
        kind=kind,
        inspector=chosen.username,
    )
    return _reload(visit)


def _check_slots(slots: object, now: dt.datetime, errors: dict[str, str]) -> list[tuple[Any, Any]]:
    if not isinstance(slots, list | tuple) or not slots:
        errors["slots"] = "Tilbyd mindst ét tidspunkt."
        return []
    if len(slots) > MAX_SLOTS:
        errors["slots"] = f"Tilbyd højst {MAX_SLOTS} tidspunkter."
        return []
    good: list[tuple[dt.datetime, dt.datetime]] = []
    for index, pair in enumerate(slots):
        at = f"slots.{index}"
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            errors[at] = "Angiv dato, start og slut."
            continue
        start, end = pair
        if not all(isinstance(v, dt.datetime) and timezone.is_aware(v) for v in (start, end)):
            errors[at] = "Angiv dato, start og slut."
        elif start <= now:
            errors[at] = "Tidspunktet ligger i fortiden; tilbyd en tid frem i tiden."
        elif end <= start:
            errors[at] = "Sluttidspunktet skal ligge efter starttidspunktet."
        elif clock.local_date(start) != clock.local_date(end):
            errors[at] = "Start og slut skal ligge på samme dag."
        else:
            good.append((start, end))
    if not errors:
        ordered = sorted(good)
        for before, after in pairwise(ordered):
            if after[0] < before[1]:
                errors["slots"] = (
                    f"Tidspunkterne {when_text(*before)} og {when_text(*after)} overlapper."
                )
                break
        good = ordered
    return good


def _withdraw_slots(visit: Visit) -> int:
    return VisitSlot.objects.filter(
        visit=visit, status__in=[VisitSlot.Status.OFFERED, VisitSlot.Status.CHOSEN]
    ).update(status=VisitSlot.Status.WITHDRAWN)


def _address(unit: ProductionUnit) -> str:
    return f"{unit.name}, {unit.address}" if unit.address else unit.name


@transaction.atomic
def visit_offer_slots(
    *,
    visit: Visit,
    actor: User,
    slots: list[tuple[dt.datetime, dt.datetime]],
    expected_version: int | None = None,
) -> Visit:
    """Offer the business 1–8 times to choose from (in the future, start before end on one
    local day, no overlap). Earlier offered times — and a time already agreed — are
    withdrawn. The business gets a message (e-mailed) listing them."""
    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit, expected_version)
    if visit.status not in BEFORE_VISIT:
        raise IllegalTransition(
            f"Tilsynsbesøget er {visit.get_status_display().lower()}; der kan ikke tilbydes tider."
        )
    now = clock.now()
    errors: dict[str, str] = {}
    chosen = _check_slots(slots, now, errors)
    _raise(errors, "Tidspunkterne er ikke udfyldt korrekt.")
    was_booked = visit.status == Visit.Status.BOOKED
    _withdraw_slots(visit)
    VisitSlot.objects.bulk_create(
        VisitSlot(visit=visit, starts_at=start, ends_at=end, created_at=now)
        for start, end in chosen
    )
    visit.status = Visit.Status.OFFERED
    visit.visit_at = None
    _save_visit(visit, "status", "visit_at")
    times = [when_text(start, end) for start, end in chosen]
    _visit_event(
        visit,
        "visit_slots_offered",
        actor,
        f"Virksomheden er tilbudt {len(times)} tidspunkt{'er' if len(times) > 1 else ''}"
        f" til tilsynsbesøget: {'; '.join(times)}."
        + (" Den aftalte tid er trukket tilbage." if was_booked else ""),
    )
    case_message_post(
        case=visit.case,
        actor=actor,
        body=(
            f"Vi vil gerne komme på miljøtilsyn ({visit.get_kind_display().lower()}) hos "
            f"{_address(visit.unit)}.\n\n"
            "Vælg det tidspunkt, der passer jer bedst, under sagen i selvbetjeningen:\n"
            + "\n".join(f"- {t}" for t in times)
            + f"\n\nDet ser vi på: {visit.focus}\n\n"
            "Passer ingen af tiderne, så skriv til os her på sagen."
            f"\n\nVenlig hilsen\n{visit.inspector.display_name}"
        ),
    )
    return _reload(visit)


@transaction.atomic
def visit_choose_slot(*, visit: Visit, actor: User, slot_id: int) -> Visit:
    """The business (an active member) — or staff for it — picks one of the offered times.

    The visit is booked for it and the other times are withdrawn. Choosing the time already
    chosen again (a double click) changes nothing.
    """
    _require_member_or_staff(visit, actor)
    visit = _lock_visit(visit)
    try:
        wanted = int(slot_id)
    except (TypeError, ValueError):
        raise ValidationFailed.field("slot", "Vælg et af de tilbudte tidspunkter.") from None
    slot = VisitSlot.objects.filter(visit=visit, pk=wanted).first()
    if (
        visit.status == Visit.Status.BOOKED
        and slot is not None
        and slot.status == VisitSlot.Status.CHOSEN
    ):
        return _reload(visit)
    if visit.status != Visit.Status.OFFERED:
        raise IllegalTransition(
            "Der er ingen tidspunkter at vælge imellem"
            f" (tilsynsbesøget er {visit.get_status_display().lower()})."
        )
    if slot is None:
        raise ValidationFailed.field("slot", "Vælg et af de tilbudte tidspunkter.")
    if slot.status != VisitSlot.Status.OFFERED:
        raise ValidationFailed.field("slot", "Tidspunktet er ikke længere tilbudt; vælg et andet.")
    if slot.starts_at <= clock.now():
        raise ValidationFailed.field("slot", "Tidspunktet er overstået; vælg et andet.")
    VisitSlot.objects.filter(visit=visit, status=VisitSlot.Status.OFFERED).exclude(
        pk=slot.pk
    ).update(status=VisitSlot.Status.WITHDRAWN)
    slot.status = VisitSlot.Status.CHOSEN
    slot.chosen_by = actor
    slot.save(update_fields=["status", "chosen_by"])
    visit.status = Visit.Status.BOOKED
    visit.visit_at = slot.starts_at
    _save_visit(visit, "status", "visit_at")
    who = f"af {actor.display_name} for virksomheden" if actor.is_staff else "af virksomheden"
    _visit_event(
        visit,
        "visit_slot_chosen",
        actor,
        f"Tid til tilsynsbesøget valgt {who}: {when_text(slot.starts_at, slot.ends_at)}.",
        slot=slot.pk,
    )
    return _reload(visit)


@transaction.atomic
def visit_fix_time(
    *,
    visit: Visit,
    actor: User,
    at: dt.datetime,
    reason: str = "",
    expected_version: int | None = None,
) -> Visit:
    """The inspector fixes the time (offered times are withdrawn); the business is told."""
    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit, expected_version)
    if visit.status not in BEFORE_VISIT:
        raise IllegalTransition(
            f"Tilsynsbesøget er {visit.get_status_display().lower()}; tiden kan ikke fastsættes."
        )
    errors: dict[str, str] = {}
    moment = _collect(errors, lambda: _aware(at, "at"))
    if moment is not None and moment <= clock.now():
        errors["at"] = "Tidspunktet ligger i fortiden."
    why = _collect(errors, lambda: _reason(reason, required=False)) or ""
    _raise(errors, "Tidspunktet er ikke udfyldt korrekt.")
    if visit.status == Visit.Status.BOOKED and visit.visit_at == moment:
        return _reload(visit)
    _withdraw_slots(visit)
    visit.status = Visit.Status.BOOKED
    visit.visit_at = moment
    _save_visit(visit, "status", "visit_at")
    when = when_text(moment)
    _visit_event(
        visit,
        "visit_time_fixed",
        actor,
        f"Tid til tilsynsbesøget fastsat af kommunen: {when}."
        + (f" Begrundelse: {why}" if why else ""),
    )
    case_message_post(
        case=visit.case,
        actor=actor,
        body=(
            f"Vi kommer på miljøtilsyn ({visit.get_kind_display().lower()}) hos "
            f"{_address(visit.unit)} {when}."
            + (f"\n\n{why}" if why else "")
            + f"\n\nDet ser vi på: {visit.focus}\n\n"
            "Passer tiden ikke, så skriv til os her på sagen."
            f"\n\nVenlig hilsen\n{visit.inspector.display_name}"
        ),
    )
    return _reload(visit)


@transaction.atomic
def visit_update_focus(
    *, visit: Visit, actor: User, focus: str, expected_version: int | None = None
) -> Visit:
    """Change what the visit will look at (the business sees it); before the visit only."""
    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit, expected_version)
    if visit.status not in BEFORE_VISIT:
        raise IllegalTransition("Fokus kan kun ændres før besøget.")
    text = _text(focus, "focus", missing="Skriv, hvad tilsynet skal se på.", limit=TEXT_MAX)
    if text == visit.focus:
        return _reload(visit)
    visit.focus = text
    _save_visit(visit, "focus")
    Case.objects.filter(pk=visit.case_id).update(
        description=_case_description(visit.kind, visit.unit, text)
    )
    _visit_event(visit, "visit_focus_changed", actor, f"Det ser vi på (ændret): {text}")
    return _reload(visit)


def _date_value(value: object, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValidationFailed.field(field, "Angiv en dato, fx 2027-03-01.")
    return _date(value, field, "datoen")


@transaction.atomic
def visit_mark_visited(
    *,
    visit: Visit,
    actor: User,
    visited_on: dt.date,
    physical: bool,
    expected_version: int | None = None,
) -> Visit:
    """The visit was carried out on ``visited_on`` (not in the future): the inspection is
    recorded in the register (completing the plan item) and the clocks start — the report
    within 2 months, its publication within 4 (calendar months, clamped to the month's end).

    From a booked time; an unplanned inspection may also be recorded unannounced (from
    planned or offered, whose offered times are then withdrawn).
    """
    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit, expected_version)
    if visit.status not in BEFORE_VISIT:
        raise IllegalTransition(
            f"Tilsynsbesøget er {visit.get_status_display().lower()}; det kan ikke registreres"
            " som udført igen."
        )
    if visit.status != Visit.Status.BOOKED and visit.kind != Kind.UNPLANNED:
        raise IllegalTransition(
            "Besøget har ingen aftalt tid; aftal eller fastsæt tiden først"
            " (kun et ikke-planlagt tilsyn kan registreres uanmeldt)."
        )
    errors: dict[str, str] = {}
    day = _collect(errors, lambda: _date_value(visited_on, "visited_on"))
    if day is not None and day > clock.today():
        errors["visited_on"] = "Et tilsyn kan ikke registreres frem i tiden."
    if visit.kind in (Kind.BASIC, Kind.START_UP) and not physical:
        errors["physical"] = "Basis- og opstartstilsyn skal være fysiske."
    _raise(errors, "Tilsynet er ikke udfyldt korrekt.")
    inspection = inspection_record(
        unit=visit.unit,
        on=day,
        kind=visit.kind,
        physical=bool(physical),
        actor=actor,
        note=f"Tilsynsbesøg, sag {visit.case.reference}.",
    )
    if visit.plan_item_id is not None:
        # The visit's own plan item is done even when inspection_record matched by year
        # found another (a visit for next year's plan carried out in December).
        PlanItem.objects.filter(pk=visit.plan_item_id, status=PlanItem.Status.PLANNED).update(
            status=PlanItem.Status.DONE, inspection=inspection, updated_at=timezone.now()
        )
    if visit.status == Visit.Status.OFFERED:
        _withdraw_slots(visit)
    visit.status = Visit.Status.VISITED
    visit.visited_on = day
    visit.physical = bool(physical)
    visit.inspection = inspection
    visit.report_due = rules.add_months(day, REPORT_MONTHS)
    visit.publish_due = rules.add_months(day, PUBLISH_MONTHS)
    _save_visit(
        visit, "status", "visited_on", "physical", "inspection", "report_due", "publish_due"
    )
    _visit_event(
        visit,
        "visit_visited",
        actor,
        f"Tilsyn udført {_fmt(day)} ({'fysisk' if physical else 'ikke fysisk'}). "
        f"Tilsynsrapporten sendes senest {_fmt(visit.report_due)} og offentliggøres senest "
        f"{_fmt(visit.publish_due)}.",
        visited_on=day.isoformat(),
        report_due=visit.report_due.isoformat(),
        publish_due=visit.publish_due.isoformat(),
    )
    return _reload(visit)


def _require_visited(visit: Visit, what: str) -> None:
    if visit.status == Visit.Status.VISITED:
        return
    if visit.status in (Visit.Status.REPORTED, Visit.Status.PUBLISHED):
        raise IllegalTransition(f"Tilsynsrapporten er sendt; {what} kan ikke ændres.")
    raise IllegalTransition(f"Tilsynet er ikke udført endnu; {what} registreres efter besøget.")


def _deliverable_title(text: str) -> str:
    """The agreed solution as a line of the delivery plan: one line, no closing full stop."""
    line = " ".join(text.split()).rstrip(".")
    return line if len(line) <= 250 else line[:249] + "…"


@transaction.atomic
def finding_add(
    *, visit: Visit, actor: User, kind: str, text: str, due_date: dt.date | None = None
) -> Finding:
    """Record an observation, advice given, or a solution agreed with the business.

    An agreed solution needs a due date (not in the past) and becomes a line on the
    business's side of the delivery plan, so the deliverable reminders follow it up.
    """
    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit)
    _require_visited(visit, "konstateringerne")
    errors: dict[str, str] = {}
    if kind not in Finding.Kind.values:
        errors["kind"] = "Vælg observation, rådgivning eller aftalt løsning."
    body = _collect(
        errors, lambda: _text(text, "text", missing="Skriv konstateringen.", limit=2000)
    )
    day: dt.date | None = None
    if due_date not in (None, ""):
        day = _collect(errors, lambda: _date_value(due_date, "due_date"))
        if kind != Finding.Kind.AGREEMENT and "kind" not in errors:
            errors["due_date"] = "Kun en aftalt løsning har en frist."
        elif day is not None and day < clock.today():
            errors["due_date"] = "Fristen kan ikke ligge i fortiden."
    elif kind == Finding.Kind.AGREEMENT:
        errors["due_date"] = "Angiv, hvornår løsningen skal være på plads."
    _raise(errors, "Konstateringen er ikke udfyldt korrekt.")
    deliverable = None
    if kind == Finding.Kind.AGREEMENT:
        assert day is not None and visit.visited_on is not None
        deliverable = deliverable_add(
            case=visit.case,
            actor=actor,
            party=Deliverable.Party.BUSINESS,
            title=_deliverable_title(body),
            due_date=day,
            reason=f"Aftalt ved miljøtilsyn {_fmt(visit.visited_on)}.",
        )
    finding = Finding.objects.create(
        visit=visit,
        kind=kind,
        text=body,
        deliverable=deliverable,
        created_by=actor,
        created_at=clock.now(),
    )
    _save_visit(visit)
    label = Finding.Kind(kind).label
    _visit_event(
        visit,
        "visit_finding",
        actor,
        f"{label}: {body}" + (f" Frist {_fmt(day)}." if day else ""),
        finding=finding.pk,
        kind=kind,
    )
    return finding


@transaction.atomic
def enforcement_add(
    *,
    visit: Visit,
    actor: User,
    kind: str,
    text: str,
    legal_basis: str,
    deadline: dt.date | None = None,
    issued_on: dt.date | None = None,
) -> Enforcement:
    """Record formal enforcement — an order (påbud), a ban (forbud) or a warning
    (indskærpelse) — apart from the dialogue's findings. ``issued_on`` (default today) is
    between the visit and today; a deadline is not before it."""
    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit)
    _require_visited(visit, "håndhævelser")
    errors: dict[str, str] = {}
    if kind not in Enforcement.Kind.values:
        errors["kind"] = "Vælg påbud, forbud eller indskærpelse."
    body = _collect(
        errors,
        lambda: _text(text, "text", missing="Beskriv forholdet og kravet.", limit=TEXT_MAX),
    )
    basis = _collect(
        errors,
        lambda: _text(
            legal_basis, "legal_basis", missing="Angiv hjemmel, fx miljøbeskyttelseslovens § 42.",
            limit=LEGAL_BASIS_MAX,
        ),
    )  # fmt: skip
    issued = clock.today()
    if issued_on not in (None, ""):
        issued = _collect(errors, lambda: _date_value(issued_on, "issued_on")) or issued
    assert visit.visited_on is not None
    if "issued_on" not in errors:
        if issued > clock.today():
            errors["issued_on"] = "Datoen kan ikke ligge i fremtiden."
        elif issued < visit.visited_on:
            errors["issued_on"] = "Håndhævelsen kan ikke være meddelt før tilsynet."
    end: dt.date | None = None
    if deadline not in (None, ""):
        end = _collect(errors, lambda: _date_value(deadline, "deadline"))
        if end is not None and "issued_on" not in errors and end < issued:
            errors["deadline"] = "Fristen kan ikke ligge før håndhævelsen er meddelt."
    _raise(errors, "Håndhævelsen er ikke udfyldt korrekt.")
    enforcement = Enforcement.objects.create(
        visit=visit,
        kind=kind,
        text=body,
        legal_basis=basis,
        deadline=end,
        issued_on=issued,
        created_by=actor,
        created_at=clock.now(),
    )
    _save_visit(visit)
    _visit_event(
        visit,
        "visit_enforcement",
        actor,
        f"{Enforcement.Kind(kind).label} meddelt {_fmt(issued)}: {body} Hjemmel: {basis}."
        + (f" Frist {_fmt(end)}." if end else ""),
        enforcement=enforcement.pk,
        kind=kind,
    )
    return enforcement


@transaction.atomic
def visit_report_update(
    *,
    visit: Visit,
    actor: User,
    self_monitoring: str,
    follows_up: bool | None,
    conclusion: str,
    expected_version: int | None = None,
) -> Visit:
    """The report's own fields: the conclusion on self-monitoring, whether the unit follows
    up, and the overall conclusion. Until the report is sent."""
    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit, expected_version)
    _require_visited(visit, "rapporten")
    errors: dict[str, str] = {}
    monitoring = _collect(
        errors,
        lambda: _text(
            self_monitoring, "self_monitoring", missing="", limit=REPORT_TEXT_MAX, required=False
        ),
    )
    summary = _collect(
        errors,
        lambda: _text(conclusion, "conclusion", missing="", limit=REPORT_TEXT_MAX, required=False),
    )
    if follows_up is not None and not isinstance(follows_up, bool):
        errors["follows_up"] = "Vælg ja, nej eller ikke relevant."
    _raise(errors, "Rapporten er ikke udfyldt korrekt.")
    if (monitoring, follows_up, summary) == (
        visit.self_monitoring,
        visit.follows_up,
        visit.conclusion,
    ):
        return _reload(visit)
    visit.self_monitoring = monitoring
    visit.follows_up = follows_up
    visit.conclusion = summary
    _save_visit(visit, "self_monitoring", "follows_up", "conclusion")
    _visit_event(
        visit, "visit_report_draft", actor, "Udkast til tilsynsrapporten opdateret.", internal=True
    )
    return _reload(visit)


@transaction.atomic
def visit_report_send(*, visit: Visit, actor: User, expected_version: int | None = None) -> Visit:
    """Send the inspection report: the PDF (``report.report_pdf``) is stored on the case as
    »Tilsynsrapport-<sagsnummer>.pdf«, the business gets a message, and — if the municipality
    surveys after inspections — a survey invitation. The case is not answered by this: the
    agreed solutions are still open; the inspector ends the case when they are done."""
    from .report import report_filename, report_pdf  # WeasyPrint loads slowly

    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit, expected_version)
    _require_visited(visit, "rapporten")
    errors: dict[str, str] = {}
    if not visit.self_monitoring.strip():
        errors["self_monitoring"] = "Skriv rapportens konklusion på egenkontrollen."
    if not visit.conclusion.strip():
        errors["conclusion"] = "Skriv rapportens samlede konklusion."
    _raise(errors, "Rapporten mangler konklusioner.")
    today = clock.today()
    full = _reload(visit)
    full.report_sent_on = today  # the date the PDF carries
    name = report_filename(full)
    document = case_add_generated_document(
        case=visit.case, actor=actor, name=name, content=report_pdf(full)
    )
    visit.report_sent_on = today
    visit.report_document = document
    visit.status = Visit.Status.REPORTED
    _save_visit(visit, "report_sent_on", "report_document", "status")
    assert visit.report_due is not None and visit.visited_on is not None
    late = today > visit.report_due
    _visit_event(
        visit,
        "visit_report_sent",
        actor,
        f"Tilsynsrapporten er sendt til virksomheden {_fmt(today)}"
        + (f" (efter fristen {_fmt(visit.report_due)})." if late else ".")
        + f" Den offentliggøres senest {_fmt(visit.publish_due)}.",
        document=document.pk,
        on_time=not late,
    )
    agreed = visit.findings.filter(kind=Finding.Kind.AGREEMENT).count()
    case_message_post(
        case=visit.case,
        actor=actor,
        body=(
            f"Tak for besøget {_fmt(visit.visited_on)}. Tilsynsrapporten ligger nu som dokument"
            f" på sagen: {name}."
            + (
                f"\n\nDe {agreed} løsninger, vi aftalte, står i leveranceplanen med deres frister."
                if agreed > 1
                else "\n\nDen løsning, vi aftalte, står i leveranceplanen med sin frist."
                if agreed == 1
                else ""
            )
            + "\n\nRapporten offentliggøres på kommunens hjemmeside senest"
            f" {_fmt(visit.publish_due)}, som miljøtilsynsbekendtgørelsen kræver."
            f"\n\nVenlig hilsen\n{visit.inspector.display_name}"
        ),
    )
    # Notifications invites the business to the survey, if the municipality surveys after
    # inspections (``notifications.hooks.visit_report_sent``).
    announcements.announce(VisitReportSent(visit=visit.pk))
    return _reload(visit)


@transaction.atomic
def visit_publish(*, visit: Visit, actor: User, expected_version: int | None = None) -> Visit:
    """Publish the sent report (it is then in the public list of inspection reports)."""
    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit, expected_version)
    if visit.status != Visit.Status.REPORTED:
        raise IllegalTransition(
            "Kun en sendt tilsynsrapport kan offentliggøres"
            f" (tilsynsbesøget er {visit.get_status_display().lower()})."
        )
    today = clock.today()
    visit.published_on = today
    visit.status = Visit.Status.PUBLISHED
    _save_visit(visit, "published_on", "status")
    late = visit.publish_due is not None and today > visit.publish_due
    _visit_event(
        visit,
        "visit_published",
        actor,
        f"Tilsynsrapporten er offentliggjort {_fmt(today)}"
        + (f" (efter fristen {_fmt(visit.publish_due)})." if late else "."),
        on_time=not late,
    )
    return _reload(visit)


@transaction.atomic
def visit_cancel(
    *, visit: Visit, actor: User, reason: str, expected_version: int | None = None
) -> Visit:
    """Cancel a visit before it is carried out (with the reason): the times are withdrawn, a
    business that knew of a time is told, and the case is withdrawn. A plan item stays
    planned (the inspection is still to be done)."""
    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit, expected_version)
    if visit.status not in BEFORE_VISIT:
        raise IllegalTransition(
            f"Tilsynsbesøget er {visit.get_status_display().lower()}; det kan ikke aflyses."
        )
    why = _reason(reason)
    told = visit.status in (Visit.Status.OFFERED, Visit.Status.BOOKED)
    _withdraw_slots(visit)
    visit.status = Visit.Status.CANCELLED
    _save_visit(visit, "status")
    _visit_event(visit, "visit_cancelled", actor, f"Tilsynsbesøget er aflyst. Begrundelse: {why}")
    if told:
        case_message_post(
            case=visit.case,
            actor=actor,
            body=(
                f"Tilsynsbesøget hos {_address(visit.unit)}"
                + (f" {when_text(visit.visit_at)}" if visit.visit_at else "")
                + f" er aflyst.\n\n{why}\n\nVenlig hilsen\n{visit.inspector.display_name}"
            ),
        )
    case_withdraw(case=visit.case, actor=actor, reason=f"Tilsynsbesøget er aflyst: {why}")
    return _reload(visit)
