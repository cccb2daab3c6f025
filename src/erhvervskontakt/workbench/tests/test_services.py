"""The services the workbench added (cases/services.py, section "workbench"), at service level.

Each refusal is checked to change nothing (``snapshot``); each edit carries the version the
person saw, and a stale version is refused with Conflict.
"""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.businesses import services as business_services
from erhvervskontakt.businesses.models import BusinessEvent
from erhvervskontakt.cases.models import CaseStatus, Deliverable, Event, Task
from erhvervskontakt.cases.selectors import case_missing, case_queryset
from erhvervskontakt.cases.services.coordinators import case_change_coordinator
from erhvervskontakt.cases.services.core import case_update_checked
from erhvervskontakt.cases.services.decision import (
    case_record_decision,
    case_record_decision_with_document,
)
from erhvervskontakt.cases.services.material import requirement_mark_not_needed
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.plan import (
    case_set_estimate,
    deliverable_add,
    deliverable_change,
    deliverable_waive,
)
from erhvervskontakt.cases.services.screening import case_screen, case_screen_checked
from erhvervskontakt.cases.services.tasks import task_assign, task_claim, task_complete
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import Conflict, Forbidden, IllegalTransition, ValidationFailed

from .conftest import snapshot

pytestmark = pytest.mark.django_db


def fresh(case):
    return case_queryset(user=_staff()).get(pk=case.pk)


def _staff():
    class Reader:
        is_authenticated = True
        is_active = True
        is_staff = True
        is_superuser = True
        department_id = None

    return Reader()


# --- requirement_mark_not_needed ---------------------------------------------------------------


def test_marking_a_missing_requirement_not_needed_before_screening_removes_it(karen, building_case):
    case = building_case()
    assert [m.key for m in case_missing(case)] == ["tegninger"]

    case = requirement_mark_not_needed(
        case=case,
        actor=karen,
        requirement_key="tegninger",
        reason="Tilbygning uden ændret facade",
        expected_version=case.version,
    )

    assert case_missing(case) == []
    # Fully informed from today: the national target's clock starts before screening.
    assert case.fully_informed_on == clock.today()
    assert case.service_target_date is not None
    waived = case.deliverables.get(requirement_key="tegninger")
    assert waived.status == Deliverable.Status.WAIVED
    assert waived.note == "Tilbygning uden ændret facade"
    event = case.events.get(kind="requirement_not_needed")
    assert "Tilbygning uden ændret facade" in event.text
    # screening then finds the case complete
    screened = case_screen(case=case, actor=karen)
    assert screened.status == CaseStatus.IN_PROGRESS


def test_marking_not_needed_on_a_waiting_case_resumes_it(karen, building_case):
    case = building_case(screen=True)
    assert case.status == CaseStatus.AWAITING_BUSINESS

    case = requirement_mark_not_needed(
        case=case, actor=karen, requirement_key="tegninger", reason="Findes i arkivet"
    )

    assert case.status == CaseStatus.IN_PROGRESS
    assert case.fully_informed_on == clock.today()
    assert case.deliverables.get(requirement_key="tegninger").status == "waived"
    # Not "the material is received": it was waived.
    assert case.events.filter(text__contains="Der mangler ikke længere materiale").exists()
    assert not case.events.filter(text__contains="Materialet fra virksomheden er modtaget").exists()


@pytest.mark.parametrize(
    ("key", "reason", "error"),
    [
        ("tegninger", "  ", ValidationFailed),
        ("matrikel", "Ikke nødvendig", ValidationFailed),  # answered, so not missing
        ("ukendt", "Ikke nødvendig", ValidationFailed),
    ],
)
def test_marking_not_needed_refuses_bad_input_and_changes_nothing(
    karen, building_case, key, reason, error
):
    case = building_case()
    before = snapshot(case)

    with pytest.raises(error):
        requirement_mark_not_needed(case=case, actor=karen, requirement_key=key, reason=reason)

    assert snapshot(case) == before


def test_marking_not_needed_with_a_stale_version_is_a_conflict(karen, building_case):
    case = building_case()
    before = snapshot(case)

    with pytest.raises(Conflict) as refused:
        requirement_mark_not_needed(
            case=case,
            actor=karen,
            requirement_key="tegninger",
            reason="x",
            expected_version=case.version - 1,
        )

    assert "ændret af en anden" in refused.value.message
    assert snapshot(case) == before


def test_a_business_user_cannot_mark_requirements_not_needed(owner, building_case):
    case = building_case()
    before = snapshot(case)

    with pytest.raises(Forbidden):
        requirement_mark_not_needed(case=case, actor=owner, requirement_key="tegninger", reason="x")

    assert snapshot(case) == before


# --- estimate ------------------------------------------------------------------------------------


def test_setting_the_estimate_moves_the_municipality_deliverables_and_logs_why(karen, make_case):
    case = make_case(screen=True)
    old = case.estimated_answer_date
    new = old + dt.timedelta(days=14)

    case = case_set_estimate(
        case=case, actor=karen, estimate=new, reason="Høring", expected_version=case.version
    )

    assert case.estimated_answer_date == new
    municipal = case.deliverables.get(party=Deliverable.Party.MUNICIPALITY)
    assert municipal.due_date == new
    moved = case.events.filter(kind="estimate_moved").last()
    assert "Høring" in moved.text
    assert moved.data["old"] == old.isoformat()


def test_an_estimate_in_the_past_or_without_reason_is_refused(karen, make_case):
    case = make_case(screen=True)
    before = snapshot(case)

    with pytest.raises(ValidationFailed):
        case_set_estimate(
            case=case, actor=karen, estimate=clock.today() - dt.timedelta(days=1), reason="x"
        )
    with pytest.raises(ValidationFailed):
        case_set_estimate(
            case=case, actor=karen, estimate=clock.today() + dt.timedelta(days=9), reason=""
        )

    assert snapshot(case) == before


# --- screening as confirmed --------------------------------------------------------------------


def test_screening_with_an_edited_estimate_promises_that_date(karen, lars, make_case):
    case = make_case()
    wanted = clock.today() + dt.timedelta(days=60)

    case = case_screen_checked(
        case=case,
        actor=karen,
        coordinator="lars",
        estimate=wanted,
        estimate_reason="Kræver høring",
        expected_version=case.version,
    )

    assert case.coordinator == lars
    assert case.estimated_answer_date == wanted
    assert case.estimate_at_screening == wanted
    assert case.business.contact_person == lars


def test_screening_a_case_changed_since_it_was_opened_is_a_conflict(karen, make_case):
    case = make_case()
    seen = case.version
    case_message_post(case=case, actor=karen, body="Notat", internal=True)
    before = snapshot(case)

    with pytest.raises(Conflict):
        case_screen_checked(case=case, actor=karen, expected_version=seen)

    assert snapshot(case) == before


# --- delivery plan -----------------------------------------------------------------------------


def test_adding_changing_and_waiving_deliverables_is_logged(karen, make_case):
    case = make_case(screen=True)
    due = clock.today() + dt.timedelta(days=10)

    added = deliverable_add(
        case=case,
        actor=karen,
        party="business",
        title="Send brandplan",
        due_date=due,
        expected_version=case.version,
    )
    case = fresh(case)
    changed = deliverable_change(
        deliverable=added,
        actor=karen,
        due_date=due + dt.timedelta(days=5),
        reason="Virksomheden bad om mere tid",
        expected_version=case.version,
    )
    case = fresh(case)
    waived = deliverable_waive(
        deliverable=changed, actor=karen, reason="Ikke relevant", expected_version=case.version
    )

    assert waived.status == Deliverable.Status.WAIVED
    assert waived.due_date == due + dt.timedelta(days=5)
    kinds = list(Event.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[-3:] == ["deliverable_added", "deliverable_changed", "deliverable_waived"]
    texts = " ".join(Event.objects.filter(case=case).values_list("text", flat=True))
    assert "Virksomheden bad om mere tid" in texts
    assert "Ikke relevant" in texts


def test_waiving_the_missing_business_deliverable_resumes_the_case(karen, building_case):
    case = building_case(screen=True)
    drawings = case.deliverables.get(requirement_key="tegninger")

    deliverable_waive(deliverable=drawings, actor=karen, reason="Ikke nødvendigt")

    assert fresh(case).status == CaseStatus.IN_PROGRESS


def test_deliverable_edits_with_a_stale_version_change_nothing(karen, make_case):
    case = make_case(screen=True)
    line = case.deliverables.first()
    stale = case.version - 1
    before = snapshot(case)

    with pytest.raises(Conflict):
        deliverable_change(
            deliverable=line, actor=karen, title="Nyt", reason="x", expected_version=stale
        )
    with pytest.raises(Conflict):
        deliverable_waive(deliverable=line, actor=karen, reason="x", expected_version=stale)
    with pytest.raises(Conflict):
        deliverable_add(
            case=case,
            actor=karen,
            party="business",
            title="x",
            due_date=clock.today(),
            expected_version=stale,
        )

    assert snapshot(case) == before


def test_deliverable_add_reports_every_bad_field(karen, make_case):
    case = make_case(screen=True)
    before = snapshot(case)

    with pytest.raises(ValidationFailed) as refused:
        deliverable_add(case=case, actor=karen, party="nobody", title="", due_date="x")

    assert set(refused.value.errors) == {"party", "title", "due_date"}
    assert snapshot(case) == before


def test_a_delivered_deliverable_cannot_be_waived(karen, make_case):
    case = make_case(screen=True)
    case = case_record_decision(case=case, actor=karen, summary="Ja")
    line = case.deliverables.get(party="municipality")
    before = snapshot(case)

    with pytest.raises(IllegalTransition):
        deliverable_waive(deliverable=line, actor=karen, reason="x")

    assert snapshot(case) == before


# --- tasks ---------------------------------------------------------------------------------------


def test_a_caseworker_claims_and_completes_their_departments_task(bodil, building_case):
    case = building_case(screen=True)
    task = case.tasks.get()

    task = task_claim(task=task, actor=bodil, expected_version=task.version)
    assert (task.status, task.assignee) == (Task.Status.IN_PROGRESS, bodil)
    task = task_complete(
        task=task, actor=bodil, result="Tilladelse givet.", expected_version=task.version
    )

    assert task.status == Task.Status.DONE
    assert task.done_at is not None
    kinds = list(Event.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[-2:] == ["task_claimed", "task_done"]


def test_a_coordinator_assigns_a_task_to_a_caseworker_of_the_department(
    karen, bodil, lars, building_case
):
    case = building_case(screen=True)
    task = case.tasks.get()

    task = task_assign(task=task, actor=karen, assignee=bodil)

    assert task.assignee == bodil
    before = snapshot(case)
    with pytest.raises(ValidationFailed):
        # Lars is a coordinator, so he may; a caseworker of another department may not
        from erhvervskontakt.accounts.tests.factories import StaffFactory
        from erhvervskontakt.catalogue.models import Department

        other = StaffFactory(department=Department.objects.get(code="vej"))
        task_assign(task=task, actor=karen, assignee=other)
    assert snapshot(case) == before


def test_a_caseworker_of_another_department_cannot_touch_the_task(building_case):
    from erhvervskontakt.accounts.tests.factories import StaffFactory
    from erhvervskontakt.catalogue.models import Department

    case = building_case(screen=True)
    task = case.tasks.get()
    road = StaffFactory(department=Department.objects.get(code="vej"))
    before = snapshot(case)

    with pytest.raises(Forbidden):
        task_claim(task=task, actor=road)
    with pytest.raises(Forbidden):
        task_complete(task=task, actor=road, result="Tilladelse givet.")

    assert snapshot(case) == before


def test_two_caseworkers_claiming_the_same_task_the_second_gets_a_conflict(bodil, building_case):
    from erhvervskontakt.accounts.tests.factories import StaffFactory

    case = building_case(screen=True)
    task = case.tasks.get()
    colleague = StaffFactory(department=bodil.department)
    seen = task.version
    task_claim(task=task, actor=bodil, expected_version=seen)
    before = snapshot(case)

    with pytest.raises(Conflict):
        task_claim(task=task, actor=colleague, expected_version=seen)

    assert snapshot(case) == before
    assert Task.objects.get(pk=task.pk).assignee == bodil


def test_a_done_task_cannot_be_completed_again(bodil, building_case):
    case = building_case(screen=True)
    task = task_complete(task=case.tasks.get(), actor=bodil, result="Tilladelse givet.")
    before = snapshot(case)

    with pytest.raises(IllegalTransition):
        task_complete(task=task, actor=bodil, result="Igen.")

    assert snapshot(case) == before


# --- decision with document, checked updates ------------------------------------------------------


def test_recording_the_decision_with_a_document_attaches_it(karen, make_case, pdf_upload):
    case = make_case(screen=True)

    case = case_record_decision_with_document(
        case=case,
        actor=karen,
        summary="Tilladelse givet",
        upload=pdf_upload(),
        expected_version=case.version,
    )

    assert case.status == CaseStatus.ANSWERED
    assert [d.original_name for d in case.documents.all()] == ["afgoerelse.pdf"]


def test_a_decision_that_is_refused_stores_no_document(karen, building_case, pdf_upload):
    case = building_case(screen=True)  # awaiting the drawings
    before = snapshot(case)

    with pytest.raises(IllegalTransition):
        case_record_decision_with_document(
            case=case, actor=karen, summary="Ja", upload=pdf_upload()
        )

    assert snapshot(case) == before


def test_case_update_checked_refuses_a_stale_version(karen, lars, make_case):
    case = make_case(screen=True)
    before = snapshot(case)

    with pytest.raises(Conflict):
        case_update_checked(
            case=case,
            expected_version=case.version + 1,
            change=lambda c: case_change_coordinator(case=c, actor=karen, coordinator=lars),
        )

    assert snapshot(case) == before


# --- business contact person ---------------------------------------------------------------------


def test_a_coordinator_changes_the_fixed_contact_person_and_it_is_logged(karen, lars, business):
    business_services.business_change_contact_person(
        business=business, actor=karen, username="lars", reason="Ferie"
    )

    business.refresh_from_db()
    assert business.contact_person == lars
    assert "Ferie" in BusinessEvent.objects.filter(business=business).last().text


def test_a_caseworker_cannot_change_the_fixed_contact_person(bodil, karen, business):
    with pytest.raises(Forbidden):
        business_services.business_change_contact_person(
            business=business, actor=bodil, username="karen"
        )
    business.refresh_from_db()
    assert business.contact_person is None
    assert not BusinessEvent.objects.filter(kind="contact_person_changed").exists()
