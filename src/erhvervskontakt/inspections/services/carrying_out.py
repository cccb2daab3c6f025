"""The visit carried out (``visit_mark_visited``: the inspection recorded, the report and
publication clocks started) and what it found: observations, advice and agreed solutions
(``finding_add``), and formal enforcement (``enforcement_add``).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from erhvervskontakt.accounts.models import User
from erhvervskontakt.cases.models import Deliverable
from erhvervskontakt.cases.services.plan import deliverable_add
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import IllegalTransition, ValidationFailed

from .. import rules
from ..models import Enforcement, Finding, Kind, PlanItem, Visit
from .core import (
    BEFORE_VISIT,
    TEXT_MAX,
    _collect,
    _date,
    _fmt,
    _lock_visit,
    _raise,
    _reload,
    _require_visit_staff,
    _require_visited,
    _save_visit,
    _text,
    _visit_event,
    _withdraw_slots,
)
from .register import inspection_record

REPORT_MONTHS = 2
PUBLISH_MONTHS = 4
LEGAL_BASIS_MAX = 250


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
        business_text=gettext_noop(
            "Tilsynet er udført %(visit_date)s. I får tilsynsrapporten senest %(report_date)s."
        ),
        business_args={"visit_date": day, "report_date": visit.report_due},
        visited_on=day.isoformat(),
        report_due=visit.report_due.isoformat(),
        publish_due=visit.publish_due.isoformat(),
    )
    return _reload(visit)


def _deliverable_title(text: str) -> str:
    """The agreed solution as a line of the delivery plan: one line, no closing full stop."""
    line = " ".join(text.split()).rstrip(".")
    return line if len(line) <= 250 else line[:249] + "…"


@transaction.atomic
def finding_add(
    *,
    visit: Visit,
    actor: User,
    kind: str,
    text: str,
    due_date: dt.date | None = None,
    expected_version: int | None = None,
) -> Finding:
    """Record an observation, advice given, or a solution agreed with the business.

    An agreed solution needs a due date (not in the past) and becomes a line on the
    business's side of the delivery plan, so the deliverable reminders follow it up.
    """
    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit, expected_version)
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
    expected_version: int | None = None,
) -> Enforcement:
    """Record formal enforcement — an order (påbud), a ban (forbud) or a warning
    (indskærpelse) — apart from the dialogue's findings. ``issued_on`` (default today) is
    between the visit and today; a deadline is not before it."""
    _require_visit_staff(visit, actor)
    visit = _lock_visit(visit, expected_version)
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
        business_text=gettext_noop("Kommunen har meddelt jer: %(kind)s. Se tilsynet på sagen."),
        business_args={"kind": Enforcement.Kind(kind).label},
        enforcement=enforcement.pk,
        kind=kind,
    )
    return enforcement
