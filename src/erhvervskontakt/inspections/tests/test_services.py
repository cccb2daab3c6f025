"""The register, risk assessments, inspections done and the stored plan, through the services."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from erhvervskontakt.businesses.models import BusinessEvent
from erhvervskontakt.common.errors import Forbidden, NotFound, ValidationFailed
from erhvervskontakt.inspections import selectors
from erhvervskontakt.inspections.models import (
    InspectionPlan,
    PlanAdjustment,
    PlanItem,
    RiskAssessment,
)
from erhvervskontakt.inspections.services.planning import (
    plan_item_add,
    plan_item_cancel,
    plan_item_move,
    plan_propose,
)
from erhvervskontakt.inspections.services.register import (
    inspection_record,
    register_entry_add,
    risk_assessment_record,
)

from .conftest import REASONS

pytestmark = pytest.mark.django_db


def test_a_risk_assessment_stores_the_exact_weighted_score_and_keeps_history(register, karen):
    unit = register("1a", scores=(1, 3, 5, 3, 5))
    risk_assessment_record(
        unit=unit,
        actor=karen,
        scores={"a": "5", "b": "5", "c": "5", "d": "3", "e": "3"},
        reasons=REASONS,
        assessed_on="2025-06-01",
    )
    history = list(unit.risk_assessments.order_by("-assessed_on").values_list("score", flat=True))
    assert history == [Decimal("4.33"), Decimal("3.27")]
    page = selectors.unit_page(user=karen, p_number=unit.p_number)
    assert page.current is not None and page.current.score == Decimal("4.33")
    assert page.frequency == "Hvert år"
    assert BusinessEvent.objects.filter(kind="risk_assessment").last().text == (
        f"Risikovurdering af P-enhed {unit.p_number}: score 4,33 (A5 B5 C5 D3 E3)."
    )


def test_a_bad_assessment_names_every_fault_in_danish_and_changes_nothing(register, karen):
    unit = register("2")
    before = RiskAssessment.objects.count(), BusinessEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        risk_assessment_record(
            unit=unit,
            actor=karen,
            scores={"a": "2", "b": "3", "c": "x", "d": "5", "e": ""},
            reasons={"a": "ok", "b": " ", "c": "ok", "d": "ok", "e": "x" * 501},
        )
    assert refused.value.errors == {
        "a": "Giv parameter A (miljøledelse) scoren 1, 3 eller 5.",
        "b_reason": "Begrund scoren for parameter B (regelefterlevelse).",
        "c": "Giv parameter C (kemikalier og farligt affald) scoren 1, 3 eller 5.",
        "e": "Giv parameter E (omgivelsernes sårbarhed) scoren 1, 3 eller 5.",
        "e_reason": "Begrundelsen for E (omgivelsernes sårbarhed) må højst være 500 tegn.",
    }
    assert (RiskAssessment.objects.count(), BusinessEvent.objects.count()) == before


def test_a_business_user_cannot_assess(register, owner):
    unit = register("2")
    with pytest.raises(Forbidden):
        risk_assessment_record(
            unit=unit, actor=owner, scores=dict.fromkeys("abcde", 3), reasons=REASONS
        )
    with pytest.raises(Forbidden):
        selectors.register_units(user=owner)


def test_the_register_history_decides_the_category_for_the_year(register, karen):
    unit = register("1b", since="2020-01-01")
    register_entry_add(unit=unit, category="2", valid_from="2027-01-01", actor=karen)
    register_entry_add(unit=unit, category="1a", valid_from="2027-07-01", actor=karen)
    categories = {
        year: selectors.register_facts(year=year)[0].category for year in (2026, 2027, 2028)
    }
    assert categories == {2026: "1b", 2027: "2", 2028: "1a"}


def test_the_command_stores_the_plan_and_keeps_the_inspectors_adjustments(register, karen):
    # Eight category-2 units all with a basic in 2024: floor ceil(8/4) = 2 prioritised, the
    # two highest scores. One 1b unit never inspected: basic (1 owing, 3 years left → 1).
    for scores in [(5, 5, 5, 5, 5), (5, 5, 5, 3, 3)] + [(1, 1, 1, 1, 1)] * 6:
        register("2", scores=scores, done=(("2024-05-01", "basic"),))
    lonely = register("1b", scores=(3, 3, 3, 3, 3))
    out = io.StringIO()
    call_command("plan_inspections", "2027", stdout=out)
    plan = InspectionPlan.objects.get(year=2027)
    items = {(i.unit.p_number, i.kind): i for i in plan.items.select_related("unit")}
    assert sorted(items) == [
        ("1000000001", "prioritised"),
        ("1000000002", "prioritised"),
        (lonely.p_number, "basic"),
    ]
    assert "Tilsynsplan 2027: 3 planlagte tilsyn." in out.getvalue()
    assert "Læser registret for 2027" in out.getvalue()

    # The inspector moves one and takes another off; the register changes; run again.
    moved = items[("1000000001", "prioritised")]
    plan_item_move(plan=plan, item_id=moved.pk, month=9, actor=karen, reason="Sæson")
    gone = items[(lonely.p_number, "basic")]
    plan_item_cancel(plan=plan, item_id=gone.pk, actor=karen, reason="Lukker snart")
    call_command("plan_inspections", "2027", stdout=io.StringIO())
    call_command("plan_inspections", "2027", stdout=io.StringIO())

    after = {
        (i.unit.p_number, i.kind): (i.status, i.month) for i in plan.items.select_related("unit")
    }
    assert after == {
        ("1000000001", "prioritised"): ("planned", 9),
        ("1000000002", "prioritised"): ("planned", None),
        (lonely.p_number, "basic"): ("cancelled", None),
    }
    assert PlanItem.objects.count() == 3
    assert list(PlanAdjustment.objects.order_by("id").values_list("action", "reason")) == [
        ("move", "Sæson"),
        ("cancel", "Lukker snart"),
    ]


def test_a_proposal_no_longer_made_is_cancelled_not_deleted(register, karen):
    unit = register("1b", scores=(3, 3, 3, 3, 3))
    plan_propose(year=2027)
    register_entry_add(unit=unit, category="2", valid_from="2027-01-01", actor=karen)
    inspection_record(unit=unit, on="2024-03-01", kind="basic", actor=karen)
    result = plan_propose(year=2027)
    statuses = list(PlanItem.objects.values_list("kind", "status"))
    assert ("basic", "cancelled") in statuses
    assert result.withdrawn == 1


def test_recording_the_inspection_marks_the_plan_item_done(register, karen, time_machine):
    time_machine.move_to("2027-03-10 12:00 +01:00")
    unit = register("1b", scores=(3, 3, 3, 3, 3))
    plan_propose(year=2027)
    inspection = inspection_record(unit=unit, on="2027-03-09", kind="basic", actor=karen)
    item = PlanItem.objects.get()
    assert (item.status, item.inspection) == ("done", inspection)
    call_command("plan_inspections", "2027", stdout=io.StringIO())
    assert PlanItem.objects.get().status == "done"
    plan = InspectionPlan.objects.get()
    assert selectors.plan_counts(plan=plan) == [
        {"category": "1b", "kind": "basic", "planned": 1, "done": 1, "cancelled": 0}
    ]


def test_adjustments_need_a_reason_and_keep_the_basic_prioritised_rule(register, karen):
    unit = register("2", scores=(5, 5, 5, 5, 5))
    plan = plan_propose(year=2027).plan
    item = plan.items.get()
    assert item.kind == "basic"  # never had a basic inspection in 2024–2029
    with pytest.raises(ValidationFailed) as no_reason:
        plan_item_cancel(plan=plan, item_id=item.pk, actor=karen, reason="  ")
    assert no_reason.value.errors == {"reason": "Angiv en begrundelse."}
    with pytest.raises(ValidationFailed) as clash:
        plan_item_add(
            plan=plan, p_number=unit.p_number, kind="prioritised", actor=karen, reason="Klage"
        )
    assert clash.value.errors == {
        "kind": "En enhed får ikke både basistilsyn og prioriteret tilsyn samme år."
    }
    with pytest.raises(ValidationFailed) as unknown:
        plan_item_add(plan=plan, p_number="9999999999", kind="basic", actor=karen, reason="x")
    assert unknown.value.errors == {"p_number": "Der er ingen aktiv P-enhed med det P-nummer."}
    with pytest.raises(NotFound):
        plan_item_move(plan=plan, item_id=item.pk + 99, month=3, actor=karen, reason="x")
    assert PlanAdjustment.objects.count() == 0
    assert plan.items.get().status == "planned"


def test_the_command_refuses_a_nonsense_year(db):
    with pytest.raises(CommandError, match=r"Angiv et år mellem 2000 og 2100\."):
        call_command("plan_inspections", "1999", stdout=io.StringIO())
