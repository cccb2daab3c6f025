"""The demo municipality's register is big enough to plan from, and next year's plan follows
the rules (checked against the pure function's own inputs)."""

from __future__ import annotations

import io
import math
from collections import Counter

import pytest
from django.core.management import call_command
from time_machine import travel

from erhvervskontakt.businesses.models import ProductionUnit
from erhvervskontakt.inspections import rules, selectors
from erhvervskontakt.inspections.models import InspectionPlan, RegisterEntry, RiskAssessment

pytestmark = pytest.mark.django_db


def test_the_demo_has_about_200_units_and_the_2027_plan_keeps_the_rules(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with travel("2026-11-27 10:00 +01:00", tick=False):
        call_command("load_demo", cases=30, stdout=io.StringIO(), verbosity=0)
    numbers = list(ProductionUnit.objects.values_list("p_number", flat=True))
    assert len(numbers) == 200 == len(set(numbers))
    assert all(len(n) == 10 and n.isdigit() for n in numbers)
    categories = Counter(RegisterEntry.objects.values_list("category", flat=True))
    assert set(categories) == {"1a", "1b", "2"} and min(categories.values()) >= 20
    assert RiskAssessment.objects.values("unit").distinct().count() >= 180

    out = io.StringIO()
    call_command("plan_inspections", "2027", stdout=out)
    plan = InspectionPlan.objects.get(year=2027)
    facts = selectors.register_facts(year=2027)
    kinds = Counter(plan.items.values_list("kind", flat=True))
    assert kinds["basic"] > 0 and kinds["prioritised"] > 0 and kinds["start_up"] > 0
    category_2 = [f for f in facts if f.category == "2"]
    inspected = set(plan.items.filter(category="2").values_list("unit_id", flat=True))
    assert len(inspected) >= math.ceil(len(category_2) / 4)
    assert [(i.key, i.kind, i.why) for i in rules.annual_plan(facts, 2027)] == [
        (i.unit_id, i.kind, i.why) for i in plan.items.order_by("id")
    ]
