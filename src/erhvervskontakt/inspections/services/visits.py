"""A visit before it is carried out: opened as a case of the business (``visit_create``),
times offered and one chosen, or the time fixed, the focus changed, or the visit cancelled.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Membership, ProductionUnit
from erhvervskontakt.cases.models import Case, Channel
from erhvervskontakt.cases.services.lifecycle import case_open_by_municipality, case_withdraw
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.catalogue.selectors import service_type_by_code
from erhvervskontakt.common import announcements, clock
from erhvervskontakt.common.errors import Forbidden, IllegalTransition, NotFound, ValidationFailed

from ..announcements import VisitBooked
from ..models import Kind, PlanItem, Visit, VisitSlot
from .core import (
    BEFORE_VISIT,
    TEXT_MAX,
    _collect,
    _lock_visit,
    _raise,
    _reason,
    _reload,
    _require_visit_staff,
    _save_visit,
    _text,
    _visit_event,
    _withdraw_slots,
)

SERVICE_TYPE_CODE = "miljoetilsyn"
MAX_SLOTS = 8
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip


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
        business_text=gettext_noop(
            "Vi har foreslået tidspunkter til tilsynsbesøget. Vælg det, der passer jer, på sagen."
        ),
        business_args={},
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
def visit_choose_slot(
    *, visit: Visit, actor: User, slot_id: int, expected_version: int | None = None
) -> Visit:
    """The business (an active member) — or staff for it — picks one of the offered times.

    The visit is booked for it and the other times are withdrawn. Choosing the time already
    chosen again (a double click) changes nothing.
    """
    _require_member_or_staff(visit, actor)
    visit = _lock_visit(visit, expected_version)
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
        business_text=gettext_noop("Tilsynsbesøget er aftalt: %(when)s."),
        business_args={"when": when_text(slot.starts_at, slot.ends_at)},
        slot=slot.pk,
    )
    announcements.announce(VisitBooked(visit=visit.pk, slot=slot.pk))
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
        business_text=gettext_noop(
            "Kommunen har fastsat tidspunktet for tilsynsbesøget: %(when)s."
        ),
        business_args={"when": when},
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
    _visit_event(
        visit,
        "visit_focus_changed",
        actor,
        f"Det ser vi på (ændret): {text}",
        business_text=gettext_noop("Vi har ændret, hvad vi ser på ved tilsynet: %(focus)s"),
        business_args={"focus": text},
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
    _visit_event(
        visit,
        "visit_cancelled",
        actor,
        f"Tilsynsbesøget er aflyst. Begrundelse: {why}",
        business_text=gettext_noop("Tilsynsbesøget er aflyst."),
        business_args={},
    )
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
