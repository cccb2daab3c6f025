"""Inspection test set-up: ``register(...)`` puts units in the register through the services.

Personas from ``src/conftest.py``: ``karen`` (coordinator, here the inspector), ``bodil``
(caseworker), ``owner`` (business user of ``business``).

Inspection visits (``test_visit_*.py``): ``soeren`` (below) is the inspector, a Miljø
caseworker; ``karen`` and ``lars`` are coordinators (``lars`` the business's fixed contact
person); ``bodil`` is a Byggeri caseworker; ``owner`` acts for ``business``, ``other_owner`` for
``other_business``. ``create(**fields)`` opens a visit of ``unit``; ``offered``, ``booked``,
``visited`` and ``ready`` are a visit in that state; ``counts()`` and ``state(visit)`` tell
that nothing changed. The visit tests use ``friday`` (``pytest.mark.usefixtures``): the clock
frozen with time-machine at Friday 27 November 2026, 10:00 in Copenhagen, unless a test
moves it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from erhvervskontakt.accounts.models import User
from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.businesses.models import Business, BusinessEvent, ProductionUnit
from erhvervskontakt.businesses.services import production_unit_register
from erhvervskontakt.cases.models import Case, Deliverable, Document, Event, Message, Task
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.inspections.models import (
    Enforcement,
    Finding,
    Inspection,
    InspectionPlan,
    PlanItem,
    Visit,
    VisitSlot,
)
from erhvervskontakt.inspections.services.carrying_out import (
    enforcement_add,
    finding_add,
    visit_mark_visited,
)
from erhvervskontakt.inspections.services.register import (
    inspection_record,
    register_entry_add,
    risk_assessment_record,
)
from erhvervskontakt.inspections.services.reporting import visit_report_update
from erhvervskontakt.inspections.services.visits import (
    visit_choose_slot,
    visit_create,
    visit_offer_slots,
)
from erhvervskontakt.notifications.models import Notification
from erhvervskontakt.surveys.models import Invitation

REASONS = {k: f"Begrundelse {k.upper()}" for k in "abcde"}


@pytest.fixture
def register(business: Business, karen: User) -> Callable[..., ProductionUnit]:
    """``register(category, scores=(a,b,c,d,e) | None, since="2020-01-01", done=[(date, kind)])``."""
    numbers = count(1)

    def make(
        category: str = "2",
        *,
        scores: tuple[int, int, int, int, int] | None = (3, 3, 3, 3, 3),
        since: str = "2020-01-01",
        done: tuple[tuple[str, str], ...] = (),
        start_up: bool = False,
        started_on: dt.date | None = None,
        name: str | None = None,
    ) -> ProductionUnit:
        n = next(numbers)
        unit = production_unit_register(
            business=business,
            p_number=f"{1000000000 + n}",
            name=name or f"Enhed {n}",
            started_on=started_on,
            actor=karen,
        )
        register_entry_add(
            unit=unit, category=category, valid_from=since, start_up_required=start_up, actor=karen
        )
        if scores is not None:
            risk_assessment_record(
                unit=unit,
                actor=karen,
                scores=dict(zip("abcde", scores, strict=True)),
                reasons=REASONS,
                assessed_on="2024-01-01",
            )
        for on, kind in done:
            inspection_record(unit=unit, on=on, kind=kind, actor=karen)
        return unit

    return make


CPH = ZoneInfo("Europe/Copenhagen")
FOCUS = "Oplag af olie og kemikalier, spildbakker og olieudskilleren."


def cph(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


# --- set-up ------------------------------------------------------------------------------


@pytest.fixture
def friday(time_machine: Any) -> None:
    time_machine.move_to(cph(2026, 11, 27), tick=False)


@pytest.fixture
def miljoetilsyn(catalogue: dict[str, ServiceType]) -> ServiceType:
    return ServiceType.objects.create(
        code="miljoetilsyn",
        name="Miljøtilsyn",
        group=ServiceType.Group.ENVIRONMENT,
        department=catalogue["miljoegodkendelse"].department,
        target_working_days=40,
        kle_code="09.00.05",
        requestable=False,
    )


@pytest.fixture
def soeren(miljoetilsyn: ServiceType) -> User:
    return StaffFactory(
        username="soeren",
        first_name="Søren",
        last_name="Krogh",
        department=miljoetilsyn.department,
    )


@pytest.fixture
def unit(business: Business, karen: User, lars: User) -> ProductionUnit:
    business.contact_person = lars
    business.save(update_fields=["contact_person"])
    return production_unit_register(
        business=business,
        p_number="1017300001",
        name="Fynsk Maskinfabrik Værksted",
        address="Industrivej 1, 5000 Odense C",
        actor=karen,
    )


@pytest.fixture
def other_unit(other_business: Business, karen: User) -> ProductionUnit:
    return production_unit_register(
        business=other_business, p_number="1017300002", name="Anden Lakering", actor=karen
    )


@pytest.fixture
def create(unit: ProductionUnit, soeren: User, miljoetilsyn: ServiceType) -> Callable[..., Visit]:
    """``create(**fields)``: a basic inspection of ``unit`` opened by the inspector."""

    def make(**fields: Any) -> Visit:
        values: dict[str, Any] = {
            "unit": unit,
            "actor": soeren,
            "kind": "basic",
            "focus": FOCUS,
            "contact_name": "Eva Ejer",
            "contact_email": "eva@fynsk.dk",
        }
        values.update(fields)
        return visit_create(**values)

    return make


THREE = [
    (cph(2026, 12, 8, 9), cph(2026, 12, 8, 11)),
    (cph(2026, 12, 7, 9), cph(2026, 12, 7, 11)),
    (cph(2026, 12, 10, 13), cph(2026, 12, 10, 15)),
]


@pytest.fixture
def offered(create: Callable[..., Visit], soeren: User) -> Visit:
    return visit_offer_slots(visit=create(), actor=soeren, slots=list(THREE))


@pytest.fixture
def booked(offered: Visit, owner: User) -> Visit:
    first = offered.slots.order_by("starts_at").first()
    assert first is not None
    return visit_choose_slot(visit=offered, actor=owner, slot_id=first.pk)


@pytest.fixture
def visited(booked: Visit, soeren: User, time_machine: Any) -> Visit:
    """Carried out Monday 7 December 2026 (report by 7 Feb, publication by 7 Apr 2027)."""
    time_machine.move_to(cph(2026, 12, 7, 14), tick=False)
    return visit_mark_visited(
        visit=booked, actor=soeren, visited_on=dt.date(2026, 12, 7), physical=True
    )


@pytest.fixture
def counts() -> Callable[[], dict[str, int]]:
    """Row counts of everything a visit service may write."""
    models = (
        Case,
        Visit,
        VisitSlot,
        Finding,
        Enforcement,
        Event,
        Message,
        Deliverable,
        Document,
        Task,
        Inspection,
        BusinessEvent,
        Invitation,
        Notification,
    )

    def count() -> dict[str, int]:
        return {model.__name__: model.objects.count() for model in models}

    return count


def state(visit: Visit) -> dict[str, Any]:
    """Everything about a visit a service could change, read fresh."""
    row = Visit.objects.get(pk=visit.pk)
    return {
        "status": row.status,
        "version": row.version,
        "focus": row.focus,
        "visit_at": row.visit_at,
        "visited_on": row.visited_on,
        "report": (row.self_monitoring, row.follows_up, row.conclusion, row.report_sent_on),
        "published_on": row.published_on,
        "slots": list(row.slots.order_by("id").values_list("status", flat=True)),
        "case": Case.objects.filter(pk=row.case_id).values_list("status", "version").get(),
    }


def kinds(case: Case) -> list[str]:
    return list(Event.objects.filter(case=case).order_by("id").values_list("kind", flat=True))


@pytest.fixture
def plan_item(unit: ProductionUnit) -> PlanItem:
    plan = InspectionPlan.objects.create(year=2026, proposed_at=cph(2026, 1, 2))
    return PlanItem.objects.create(
        plan=plan, unit=unit, category="1a", kind="basic", why="Basistilsyn i perioden."
    )


@pytest.fixture
def ready(visited: Visit, soeren: User) -> Visit:
    finding_add(
        visit=visited,
        actor=soeren,
        kind="agreement",
        text="Spildbakke under olietønderne.",
        due_date=dt.date(2027, 1, 15),
    )
    enforcement_add(
        visit=visited, actor=soeren, kind="warning", text="Sortér affald.", legal_basis="§ 68"
    )
    return visit_report_update(
        visit=visited,
        actor=soeren,
        self_monitoring="Egenkontrollen er ført.",
        follows_up=True,
        conclusion="Reglerne overholdes med den aftalte løsning.",
    )
