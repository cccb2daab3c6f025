"""A task's own date is stored (``Task.due_date``, issue 18), so a department's inbox is an
indexed read in date order. It must always be what the rule says
(``cases.models.task_due_expression``): every write keeps it, the migration fills it for the
tasks already there, and the inbox orders by it."""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.cases.models import Deliverable, Task, task_due_expression
from erhvervskontakt.cases.selectors import department_inbox
from erhvervskontakt.cases.services.plan import deliverable_change, deliverable_waive
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.common import clock

pytestmark = pytest.mark.django_db


def stored_and_computed() -> tuple[dict[int, dt.date | None], dict[int, dt.date | None]]:
    rows = Task.objects.annotate(rule=task_due_expression()).values_list("pk", "due_date", "rule")
    return {pk: s for pk, s, _ in rows}, {pk: r for pk, _, r in rows}


@pytest.fixture
def cases(submit, karen):
    """Two screened two-department cases (Byggeri and Vej): one as screened, one whose Vej
    line was moved and whose Byggeri line was waived (its task falls back to the estimate)."""
    both = {
        "service_types": ["byggetilladelse-erhverv", "udeservering"],
        "answers": {"matrikel": "1a", "etageareal": 100, "areal": 10},
    }
    plain = case_screen(case=submit(actor=karen, **both), actor=karen)
    moved = case_screen(case=submit(actor=karen, **both), actor=karen)
    road = moved.deliverables.get(service_type__code="udeservering")
    deliverable_change(
        deliverable=road,
        actor=karen,
        due_date=clock.today() + dt.timedelta(days=60),
        reason="Politiets udtalelse",
    )
    building = moved.deliverables.get(service_type__code="byggetilladelse-erhverv")
    deliverable_waive(deliverable=building, actor=karen, reason="Søges senere")
    return plain, moved


def test_every_write_keeps_the_stored_date_the_rules(cases):
    _plain, moved = cases
    stored, computed = stored_and_computed()

    assert stored == computed
    assert len(stored) == 4 and None not in stored.values()
    road = Task.objects.get(case=moved, department__code="vej")
    assert road.due_date == clock.today() + dt.timedelta(days=60)
    building = Task.objects.get(case=moved, department__code="byggeri")
    assert building.due_date == moved.estimated_answer_date  # its line waived: the estimate
    waived = moved.deliverables.get(service_type__code="byggetilladelse-erhverv")
    assert waived.status == Deliverable.Status.WAIVED


def test_the_migration_fills_the_dates_of_the_tasks_already_there(cases):
    before, _ = stored_and_computed()
    Task.objects.update(due_date=None)

    module = import_module("erhvervskontakt.cases.migrations.0017_task_due_date")
    module.backfill(apps, SimpleNamespace(connection=connection))

    after, computed = stored_and_computed()
    assert after == before == computed


def test_the_inbox_is_in_the_order_of_the_stored_dates(cases, catalogue):
    plain, moved = cases
    road_worker = StaffFactory(username="vejmand", department=catalogue["udeservering"].department)

    inbox = list(department_inbox(user=road_worker))

    assert [t.case_id for t in inbox] == [plain.pk, moved.pk]  # moved's line is 60 days out
    assert [t.due_date for t in inbox] == sorted(t.due_date for t in inbox)
    # A later write that moves the plain case's line past the other one reorders the inbox.
    line = plain.deliverables.get(service_type__code="udeservering")
    deliverable_change(
        deliverable=line,
        actor=plain.coordinator,
        due_date=clock.today() + dt.timedelta(days=90),
        reason="Afventer høring",
    )
    assert [t.case_id for t in department_inbox(user=road_worker)] == [moved.pk, plain.pk]
