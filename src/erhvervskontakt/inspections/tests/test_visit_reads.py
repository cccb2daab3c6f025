"""Reading visits through the selectors: who sees a visit, the staff list by state with its
clocks (in one query), a unit's visits, visits by case, and the published reports.

The set-up is in conftest.py: the clock frozen at Friday 27 November 2026, 10:00 in
Copenhagen (``friday``), the inspector ``soeren``, ``create(**fields)``, and a visit
``offered``, ``booked``, ``visited`` or ``ready`` to send its report.
"""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.common.errors import Forbidden, NotFound, ValidationFailed
from erhvervskontakt.inspections import selectors
from erhvervskontakt.inspections.models import Visit
from erhvervskontakt.inspections.services.carrying_out import visit_mark_visited
from erhvervskontakt.inspections.services.reporting import (
    visit_publish,
    visit_report_send,
    visit_report_update,
)
from erhvervskontakt.inspections.services.visits import visit_cancel, visit_fix_time

from .conftest import cph

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday")]


# --- reading visits -----------------------------------------------------------------------


def test_the_visit_of_a_case_is_seen_by_its_business_and_the_inspection_staff(
    ready, owner, other_owner, soeren, karen, bodil, admin_user, django_assert_num_queries
):
    case = ready.case
    for user in (owner, soeren, karen, admin_user):
        assert selectors.visit_for_case(case=case, user=user) == ready
    for user in (other_owner, bodil):
        assert selectors.visit_for_case(case=case, user=user) is None

    with django_assert_num_queries(4):  # the visit and its joins; slots; findings; enforcements
        visit = selectors.visit_for_case(case=case, user=owner)
        assert [f.deliverable.due_date for f in visit.findings.all()] == [dt.date(2027, 1, 15)]
        assert [e.kind for e in visit.enforcements.all()] == ["warning"]
        assert len(visit.slots.all()) == 3
        assert (visit.unit.business.name, visit.inspector.display_name) == (
            "Fynsk Maskinfabrik ApS",
            "Søren Krogh",
        )
    with pytest.raises(NotFound):
        selectors.visit_get(user=bodil, visit_id=ready.pk)


def test_the_staff_list_by_state_with_its_clocks(
    create, soeren, owner, time_machine, django_assert_num_queries
):
    planned = create()
    booked = visit_fix_time(visit=create(), actor=soeren, at=cph(2026, 12, 2, 9))
    time_machine.move_to(cph(2026, 12, 2, 12), tick=False)
    early = visit_mark_visited(
        visit=booked, actor=soeren, visited_on=dt.date(2026, 12, 2), physical=True
    )
    late = visit_mark_visited(
        visit=create(kind="unplanned"), actor=soeren, visited_on=dt.date(2026, 11, 20),
        physical=True,
    )  # fmt: skip
    reported = visit_report_send(
        visit=visit_report_update(
            visit=late, actor=soeren, self_monitoring="Ok.", follows_up=None, conclusion="Ok."
        ),
        actor=soeren,
    )
    cancelled = visit_cancel(visit=create(), actor=soeren, reason="Dublet.")

    def listed(state: str) -> list[int]:
        return [v.pk for v in selectors.visits_list(user=soeren, state=state)]

    assert listed("open") == [early.pk, planned.pk]
    assert listed("report_due") == [early.pk]
    assert listed("unpublished") == [reported.pk]
    assert listed("all") == [cancelled.pk, reported.pk, early.pk, planned.pk]
    with django_assert_num_queries(1):
        rows = list(selectors.visits_list(user=soeren, state="all"))
        assert {(v.unit.business.name, v.inspector.username, v.case.reference[:8]) for v in rows}
    with pytest.raises(Forbidden):
        selectors.visits_list(user=owner)
    with pytest.raises(ValidationFailed):
        selectors.visits_list(user=soeren, state="late")


def test_the_list_reads_in_one_query_however_long(create, soeren, django_assert_num_queries):
    for _ in range(2):
        create()
    with django_assert_num_queries(1):
        short = [
            (v.unit.name, v.inspector.display_name) for v in selectors.visits_list(user=soeren)
        ]
    for _ in range(4):
        create()
    with django_assert_num_queries(1):
        long = [(v.unit.name, v.inspector.display_name) for v in selectors.visits_list(user=soeren)]
    assert (len(short), len(long)) == (2, 6)


def test_a_units_visits_newest_first(create, unit, other_unit, soeren, time_machine):
    first = create()
    time_machine.move_to(cph(2026, 11, 30), tick=False)
    second = create(kind="unplanned")
    create(unit=other_unit, kind="unplanned", contact_name="A", contact_email="a@anden.dk")

    assert selectors.unit_visits(unit=unit) == [second, first]


def test_visits_by_case_for_a_case_list(create, owner, soeren, catalogue, business):
    visit = create()
    inquiry = inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["raadgivning"],
        description="Spørgsmål",
        contact={"name": "Eva", "email": "eva@fynsk.dk"},
    )
    found = selectors.visits_by_case(user=owner, case_ids=[visit.case_id, inquiry.pk])
    assert found == {visit.case_id: visit}
    assert selectors.visits_by_case(user=owner, case_ids=[]) == {}


def test_published_reports_are_searched_by_name_cvr_or_p_number(
    create, other_unit, soeren, business, other_business, time_machine
):
    def publish(visit: Visit) -> Visit:
        done = visit_mark_visited(
            visit=visit, actor=soeren, visited_on=dt.date(2026, 11, 27), physical=True
        )
        done = visit_report_update(
            visit=done, actor=soeren, self_monitoring="Ok.", follows_up=True, conclusion="Ok."
        )
        return visit_publish(visit=visit_report_send(visit=done, actor=soeren), actor=soeren)

    ours = publish(create(kind="unplanned"))
    time_machine.move_to(cph(2026, 11, 30), tick=False)
    theirs = publish(
        create(unit=other_unit, kind="unplanned", contact_name="A", contact_email="a@anden.dk")
    )
    unpublished = visit_mark_visited(
        visit=create(kind="unplanned"), actor=soeren, visited_on=dt.date(2026, 11, 30),
        physical=True,
    )  # fmt: skip

    def found(query: str) -> list[Visit]:
        return list(selectors.published_reports(query=query))

    assert found("") == [theirs, ours]  # newest first, never an unpublished one
    assert found("fynsk") == [ours]
    prefix = business.cvr[:4]
    assert found(prefix) == [v for v in (theirs, ours) if v.unit.business.cvr.startswith(prefix)]
    assert found(other_business.cvr) == [theirs]
    assert found("1017300002") == [theirs]
    assert found("10173 00001") == [ours]
    assert found("ingen sådan") == []
    assert selectors.published_report(visit_id=unpublished.pk) is None
