"""A visit carried out (``visit_mark_visited``: the inspection recorded, the report and
publication clocks started) and what it found: findings, agreed solutions in the
delivery plan, and enforcement apart.

The set-up is in conftest.py: the clock frozen at Friday 27 November 2026, 10:00 in
Copenhagen (``friday``), the inspector ``soeren``, ``create(**fields)``, and a visit
``offered``, ``booked``, ``visited`` or ``ready`` to send its report.
"""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.businesses.models import BusinessEvent
from erhvervskontakt.cases.models import Case, Deliverable, Event
from erhvervskontakt.cases.services.plan import deliverable_mark_delivered
from erhvervskontakt.common.errors import Forbidden, IllegalTransition, ValidationFailed
from erhvervskontakt.inspections import selectors
from erhvervskontakt.inspections.models import Finding
from erhvervskontakt.inspections.services.carrying_out import (
    enforcement_add,
    finding_add,
    visit_mark_visited,
)
from erhvervskontakt.inspections.services.visits import (
    visit_cancel,
    visit_fix_time,
    visit_offer_slots,
    visit_update_focus,
)

from .conftest import THREE, cph, state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday")]


# --- carrying out the visit -------------------------------------------------------------------


def test_marking_visited_records_the_inspection_completes_the_plan_item_and_starts_clocks(
    create, plan_item, soeren, owner, time_machine
):
    visit = visit_fix_time(
        visit=create(plan_item_id=plan_item.pk), actor=soeren, at=cph(2026, 12, 7, 9)
    )
    time_machine.move_to(cph(2026, 12, 7, 14), tick=False)

    done = visit_mark_visited(
        visit=visit,
        actor=soeren,
        visited_on=dt.date(2026, 12, 7),
        physical=True,
        expected_version=visit.version,
    )

    assert (done.status, done.visited_on, done.physical) == ("visited", dt.date(2026, 12, 7), True)
    assert (done.report_due, done.publish_due) == (dt.date(2027, 2, 7), dt.date(2027, 4, 7))
    inspection = done.inspection
    assert (inspection.unit, inspection.on, inspection.kind, inspection.physical) == (
        visit.unit,
        dt.date(2026, 12, 7),
        "basic",
        True,
    )
    plan_item.refresh_from_db()
    assert (plan_item.status, plan_item.inspection) == ("done", inspection)
    assert Event.objects.get(kind="visit_visited").text == (
        "Tilsyn udført 07.12.2026 (fysisk). Tilsynsrapporten sendes senest 07.02.2027 og "
        "offentliggøres senest 07.04.2027."
    )
    assert BusinessEvent.objects.filter(kind="inspection_done").count() == 1
    assert done.case.status == "in_progress"  # the case goes on: report, agreed solutions


@pytest.mark.parametrize(
    ("visited_on", "report_due", "publish_due"),
    [
        (dt.date(2026, 12, 31), dt.date(2027, 2, 28), dt.date(2027, 4, 30)),
        (dt.date(2027, 12, 31), dt.date(2028, 2, 29), dt.date(2028, 4, 30)),
        (dt.date(2026, 10, 31), dt.date(2026, 12, 31), dt.date(2027, 2, 28)),
        (dt.date(2027, 6, 30), dt.date(2027, 8, 30), dt.date(2027, 10, 30)),
    ],
)
def test_the_clocks_are_calendar_months_clamped_to_the_month_end(
    create, soeren, time_machine, visited_on, report_due, publish_due
):
    time_machine.move_to(cph(visited_on.year, visited_on.month, visited_on.day, 16), tick=False)
    visit = create(kind="unplanned")

    done = visit_mark_visited(visit=visit, actor=soeren, visited_on=visited_on, physical=False)

    assert (done.report_due, done.publish_due) == (report_due, publish_due)


def test_an_unplanned_inspection_may_be_recorded_unannounced(create, soeren):
    offered = visit_offer_slots(
        visit=create(kind="unplanned", focus="Klage over lugt."), actor=soeren, slots=list(THREE)
    )

    done = visit_mark_visited(
        visit=offered, actor=soeren, visited_on=dt.date(2026, 11, 26), physical=True
    )

    assert done.status == "visited" and done.inspection.kind == "unplanned"
    assert set(done.slots.values_list("status", flat=True)) == {"withdrawn"}


def test_a_planned_kind_needs_an_agreed_time_before_it_is_carried_out(
    create, offered, soeren, counts
):
    planned = create()
    before = counts()
    for visit in (planned, offered):
        with pytest.raises(IllegalTransition) as refused:
            visit_mark_visited(
                visit=visit, actor=soeren, visited_on=dt.date(2026, 11, 27), physical=True
            )
        assert "kun et ikke-planlagt tilsyn kan registreres uanmeldt" in refused.value.message
    assert counts() == before


def test_a_visit_cannot_be_carried_out_in_the_future_nor_a_basic_one_remotely(
    booked, soeren, counts
):
    before, was = counts(), state(booked)

    with pytest.raises(ValidationFailed) as refused:
        visit_mark_visited(
            visit=booked, actor=soeren, visited_on=dt.date(2026, 11, 28), physical=False
        )

    assert refused.value.errors == {
        "visited_on": "Et tilsyn kan ikke registreres frem i tiden.",
        "physical": "Basis- og opstartstilsyn skal være fysiske.",
    }
    with pytest.raises(ValidationFailed):
        visit_mark_visited(visit=booked, actor=soeren, visited_on="27-11-2026", physical=True)
    assert (counts(), state(booked)) == (before, was)


def test_a_visit_is_carried_out_once(visited, soeren, counts):
    before = counts()
    with pytest.raises(IllegalTransition):
        visit_mark_visited(
            visit=visited, actor=soeren, visited_on=dt.date(2026, 12, 7), physical=True
        )
    assert counts() == before


def test_a_byggeri_caseworker_and_the_business_cannot_work_on_the_visit(
    booked, bodil, owner, counts
):
    before, was = counts(), state(booked)
    for actor in (bodil, owner):
        with pytest.raises(Forbidden):
            visit_mark_visited(
                visit=booked, actor=actor, visited_on=dt.date(2026, 11, 27), physical=True
            )
        with pytest.raises(Forbidden):
            visit_update_focus(visit=booked, actor=actor, focus="Andet.")
        with pytest.raises(Forbidden):
            visit_cancel(visit=booked, actor=actor, reason="Nej.")
    assert (counts(), state(booked)) == (before, was)


# --- findings and enforcement ---------------------------------------------------------------


def test_an_agreed_solution_is_a_business_deliverable_with_its_due_date(visited, soeren):
    finding = finding_add(
        visit=visited,
        actor=soeren,
        kind="agreement",
        text="Spildbakke under olietønderne i værkstedet.",
        due_date=dt.date(2027, 1, 15),
    )

    deliverable = finding.deliverable
    assert (deliverable.case, deliverable.party, deliverable.status) == (
        visited.case,
        "business",
        "pending",
    )
    assert (deliverable.title, deliverable.due_date) == (
        "Spildbakke under olietønderne i værkstedet",
        dt.date(2027, 1, 15),
    )
    assert deliverable.note == "Aftalt ved miljøtilsyn 07.12.2026."
    assert Event.objects.filter(case=visited.case, kind="deliverable_added").count() == 1
    assert Event.objects.get(kind="visit_finding").text == (
        "Aftalt løsning: Spildbakke under olietønderne i værkstedet. Frist 15.01.2027."
    )
    # The existing follow-up sees it: after the due date the case is overdue.
    assert not Case.objects.overdue(dt.date(2027, 1, 15)).filter(pk=visited.case_id).exists()
    assert Case.objects.overdue(dt.date(2027, 1, 16)).filter(pk=visited.case_id).exists()
    # Observations and advice are findings only.
    finding_add(visit=visited, actor=soeren, kind="observation", text="Ryddeligt.")
    finding_add(visit=visited, actor=soeren, kind="advice", text="Brug absorbent.")
    seen = selectors.visit_for_case(case=visited.case, user=soeren)
    assert [(f.kind, f.deliverable_id is not None) for f in seen.findings.all()] == [
        ("agreement", True),
        ("observation", False),
        ("advice", False),
    ]
    assert Deliverable.objects.filter(case=visited.case).count() == 1


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"kind": "agreement", "text": "Spildbakke."},
            {"due_date": "Angiv, hvornår løsningen skal være på plads."},
        ),
        (
            {"kind": "observation", "text": "Ryddeligt.", "due_date": dt.date(2027, 1, 15)},
            {"due_date": "Kun en aftalt løsning har en frist."},
        ),
        (
            {"kind": "agreement", "text": "Spildbakke.", "due_date": dt.date(2026, 12, 6)},
            {"due_date": "Fristen kan ikke ligge i fortiden."},
        ),
        (
            {"kind": "agreement", "text": "Spildbakke.", "due_date": "snart"},
            {"due_date": "Angiv datoen som en dato, fx 2027-03-01."},
        ),
        (
            {"kind": "complaint", "text": " "},
            {
                "kind": "Vælg observation, rådgivning eller aftalt løsning.",
                "text": "Skriv konstateringen.",
            },
        ),
        ({"kind": "advice", "text": "x" * 2001}, {"text": "Teksten må højst være 2000 tegn."}),
    ],
)
def test_a_bad_finding_is_refused_and_nothing_changes(visited, soeren, counts, fields, errors):
    before, was = counts(), state(visited)
    with pytest.raises(ValidationFailed) as refused:
        finding_add(visit=visited, actor=soeren, **fields)
    assert refused.value.errors == errors
    assert (counts(), state(visited)) == (before, was)


def test_findings_are_recorded_after_the_visit_and_before_the_report(booked, soeren, counts):
    before = counts()
    with pytest.raises(IllegalTransition) as early:
        finding_add(visit=booked, actor=soeren, kind="observation", text="Ryddeligt.")
    assert "registreres efter besøget" in early.value.message
    with pytest.raises(IllegalTransition):
        enforcement_add(visit=booked, actor=soeren, kind="warning", text="x", legal_basis="§ 42")
    assert counts() == before


def test_enforcement_is_recorded_apart_from_the_findings(visited, soeren, time_machine):
    time_machine.move_to(cph(2026, 12, 9, 11), tick=False)

    order = enforcement_add(
        visit=visited,
        actor=soeren,
        kind="order",
        text="Olieudskilleren skal tømmes og have alarm.",
        legal_basis="Miljøbeskyttelseslovens § 42",
        deadline=dt.date(2027, 2, 1),
    )
    warning = enforcement_add(
        visit=visited,
        actor=soeren,
        kind="warning",
        text="Affald skal sorteres.",
        legal_basis="Affaldsbekendtgørelsen § 68",
        issued_on=dt.date(2026, 12, 7),
    )

    assert (order.issued_on, order.deadline, warning.issued_on) == (
        dt.date(2026, 12, 9),
        dt.date(2027, 2, 1),
        dt.date(2026, 12, 7),
    )
    assert not Finding.objects.exists() and not Deliverable.objects.exists()
    assert Event.objects.filter(kind="visit_enforcement").first().text == (
        "Påbud meddelt 09.12.2026: Olieudskilleren skal tømmes og have alarm. "
        "Hjemmel: Miljøbeskyttelseslovens § 42. Frist 01.02.2027."
    )
    seen = selectors.visit_get(user=soeren, visit_id=visited.pk)
    assert [e.kind for e in seen.enforcements.all()] == ["warning", "order"]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"kind": "fine", "text": "", "legal_basis": ""},
            {
                "kind": "Vælg påbud, forbud eller indskærpelse.",
                "text": "Beskriv forholdet og kravet.",
                "legal_basis": "Angiv hjemmel, fx miljøbeskyttelseslovens § 42.",
            },
        ),
        (
            {"issued_on": dt.date(2026, 12, 6)},
            {"issued_on": "Håndhævelsen kan ikke være meddelt før tilsynet."},
        ),
        (
            {"issued_on": dt.date(2026, 12, 8)},
            {"issued_on": "Datoen kan ikke ligge i fremtiden."},
        ),
        (
            {"deadline": dt.date(2026, 12, 6)},
            {"deadline": "Fristen kan ikke ligge før håndhævelsen er meddelt."},
        ),
        ({"legal_basis": "§" * 251}, {"legal_basis": "Teksten må højst være 250 tegn."}),
    ],
)
def test_bad_enforcement_is_refused_and_nothing_changes(visited, soeren, counts, fields, errors):
    values = {"kind": "ban", "text": "Ingen afbrænding.", "legal_basis": "§ 42", **fields}
    before, was = counts(), state(visited)
    with pytest.raises(ValidationFailed) as refused:
        enforcement_add(visit=visited, actor=soeren, **values)
    assert refused.value.errors == errors
    assert (counts(), state(visited)) == (before, was)


def test_the_inspector_confirms_an_agreed_solution_is_in_place(visited, soeren, owner, counts):
    finding = finding_add(
        visit=visited,
        actor=soeren,
        kind="agreement",
        text="Spildbakke under olietønderne.",
        due_date=dt.date(2027, 1, 15),
    )
    before = counts()
    with pytest.raises(Forbidden):
        deliverable_mark_delivered(deliverable=finding.deliverable, actor=owner)
    assert counts() == before

    delivered = deliverable_mark_delivered(
        deliverable=finding.deliverable, actor=soeren, note="Set ved opfølgning på stedet."
    )

    assert (delivered.status, delivered.note) == ("delivered", "Set ved opfølgning på stedet.")
    assert Event.objects.filter(kind="deliverable_delivered").last().text == (
        "Leveret af virksomheden: Spildbakke under olietønderne. Set ved opfølgning på stedet."
    )
    with pytest.raises(IllegalTransition):
        deliverable_mark_delivered(deliverable=delivered, actor=soeren)
    material = Deliverable.objects.create(
        case=visited.case,
        party="business",
        title="Send: Tegninger",
        requirement_key="tegninger",
        due_date=dt.date(2027, 1, 15),
        created_at=cph(2026, 12, 7),
    )
    with pytest.raises(IllegalTransition):
        deliverable_mark_delivered(deliverable=material, actor=soeren)


def test_a_long_agreed_solution_is_shortened_to_a_plan_line(visited, soeren):
    text = "Olietønderne flyttes ind under tag og får spildbakker. " * 10
    finding = finding_add(
        visit=visited, actor=soeren, kind="agreement", text=text, due_date=dt.date(2027, 3, 1)
    )
    assert finding.text == text.strip()
    title = finding.deliverable.title
    assert len(title) == 250 and title.endswith("…") and title.startswith("Olietønderne flyttes")
