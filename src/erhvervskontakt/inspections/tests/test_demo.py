"""The demo municipality's register is big enough to plan from, and next year's plan follows
the rules (checked against the pure function's own inputs)."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import Counter

import pytest
from django.core.management import call_command
from time_machine import travel

from erhvervskontakt.businesses.models import ProductionUnit
from erhvervskontakt.inspections import rules, selectors
from erhvervskontakt.inspections.models import (
    Enforcement,
    Finding,
    InspectionPlan,
    RegisterEntry,
    RiskAssessment,
    Visit,
    VisitSlot,
)
from erhvervskontakt.notifications.models import Notification
from erhvervskontakt.surveys.models import Invitation

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
    _demo_visits_are_in_every_state()

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


def _demo_visits_are_in_every_state() -> None:
    """The demo's inspection visits (``demo.inspections.load_visits``), checked after the
    demo is loaded on Friday 27 November 2026."""
    visits = list(Visit.objects.select_related("case", "report_document"))
    statuses = Counter(v.status for v in visits)
    assert statuses == {
        "planned": 1, "offered": 2, "booked": 2, "visited": 3, "reported": 2, "published": 2,
        "cancelled": 1,
    }  # fmt: skip
    today = dt.date(2026, 11, 27)
    assert all(v.case.channel == "inspection" for v in visits)
    assert all(
        slot.starts_at.date() > today
        for slot in VisitSlot.objects.filter(status__in=["offered", "chosen"])
    )
    carried_out = [v for v in visits if v.visited_on is not None]
    assert all(v.inspection_id and v.report_due and v.publish_due for v in carried_out)
    waiting = [v for v in carried_out if v.status == "visited"]
    assert any(v.report_due < today for v in waiting)  # a report overdue
    assert any(today <= v.report_due <= today + dt.timedelta(days=14) for v in waiting)
    sent = [v for v in visits if v.report_sent_on is not None]
    assert all(v.report_document.original_name.endswith(".pdf") for v in sent)
    assert Enforcement.objects.filter(kind="order").count() == 1
    agreed = Finding.objects.filter(kind="agreement").select_related("deliverable")
    assert any(f.deliverable.status == "pending" and f.deliverable.due_date < today for f in agreed)
    assert any(f.deliverable.status == "delivered" for f in agreed)
    assert Invitation.objects.filter(occasion="inspection", responded_at__isnull=False).count() >= 2
    assert not Notification.objects.filter(case__channel="inspection").exists()  # replayed
    assert selectors.published_reports().count() == 2
