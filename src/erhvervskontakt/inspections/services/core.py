"""What the inspection services share: the staff check, the business's history
(``_event``), reasons and dates; and the "visits" section: how every visit service locks the
case and the visit, checks the version, saves, and writes its event on the case's timeline.
Imports nothing from the other modules of the package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import F
from django.utils import timezone

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import BusinessEvent, ProductionUnit
from erhvervskontakt.cases.models import Case, Event, sees_case
from erhvervskontakt.cases.services.core import business_line
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import (
    Forbidden,
    IllegalTransition,
    StaleVersion,
    ValidationFailed,
)

from .. import selectors
from ..models import Visit, VisitSlot

REASON_MAX = 500


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

TEXT_MAX = 5000
BEFORE_VISIT = (Visit.Status.PLANNED, Visit.Status.OFFERED, Visit.Status.BOOKED)
STALE_VISIT = (
    "Tilsynsbesøget er ændret af en anden, siden du åbnede det – genindlæs siden og prøv igen."
)


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


def _require_visit_staff(visit: Visit, actor: User) -> None:
    """Staff who see the visit's case (the one visibility rule of cases): its Miljø
    caseworkers, the inspector, coordinators, heads of unit and administrators."""
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        raise Forbidden("Kun kommunens medarbejdere kan ændre tilsynsbesøg.")
    if not sees_case(actor, visit.case):
        raise Forbidden("Tilsynsbesøget hører til Miljø; du har ikke adgang til sagen.")


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
        raise StaleVersion(STALE_VISIT, current=locked.version, errors={"version": STALE_VISIT})
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
    business_text: str = "",
    business_args: dict[str, Any] | None = None,
    **data: Any,
) -> Event:
    """The visit's entry in its case's timeline; the case's version moves (it changed).
    ``business_text``/``business_args``: what the business reads (``business_line``)."""
    line, kept = business_line(business_text, business_args)
    event = Event.objects.create(
        case_id=visit.case_id,
        at=clock.now(),
        kind=event_kind,
        actor=actor,
        text=text,
        data={"visit": visit.pk, **data},
        internal=internal,
        business_text=line,
        business_data=kept,
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


def _withdraw_slots(visit: Visit) -> int:
    return VisitSlot.objects.filter(
        visit=visit, status__in=[VisitSlot.Status.OFFERED, VisitSlot.Status.CHOSEN]
    ).update(status=VisitSlot.Status.WITHDRAWN)


def _require_visited(visit: Visit, what: str) -> None:
    if visit.status == Visit.Status.VISITED:
        return
    if visit.status in (Visit.Status.REPORTED, Visit.Status.PUBLISHED):
        raise IllegalTransition(f"Tilsynsrapporten er sendt; {what} kan ikke ændres.")
    raise IllegalTransition(f"Tilsynet er ikke udført endnu; {what} registreres efter besøget.")
