"""Completing a department task records what the department concluded, may attach its
decision and deliver its answer line, and can be undone with a reason; the business reads
only what concerns it (issue 14, item 5). Who may do what is one rule (item 10)."""

from __future__ import annotations

import pytest

from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.cases import rules
from erhvervskontakt.cases.models import Deliverable, Document, Event, Task
from erhvervskontakt.cases.services.tasks import task_claim, task_complete, task_reopen
from erhvervskontakt.catalogue.models import Department
from erhvervskontakt.common.errors import Conflict, Forbidden, IllegalTransition, ValidationFailed

from .conftest import snapshot

pytestmark = pytest.mark.django_db


def business_history(case):
    """What the business may read of the timeline: events not internal, in its words."""
    return list(
        Event.objects.filter(case=case, internal=False)
        .exclude(business_text="")
        .values_list("business_text", flat=True)
    )


def test_completing_needs_a_result_and_changes_nothing_without_one(bodil, building_case):
    case = building_case(screen=True)
    task = case.tasks.get()
    before = snapshot(case)

    with pytest.raises(ValidationFailed) as refused:
        task_complete(task=task, actor=bodil, result="   ", expected_version=task.version)

    assert refused.value.errors == {"result": "Skriv kort, hvad afdelingen er kommet frem til."}
    assert snapshot(case) == before


def test_the_result_is_stored_and_stays_internal(bodil, building_case):
    case = building_case(screen=True)
    task = case.tasks.get()

    done = task_complete(task=task, actor=bodil, result="Byggetilladelse kan gives, skitse ok.")

    task = Task.objects.get(pk=done.pk)
    assert (task.status, task.done_by, task.result) == (
        Task.Status.DONE,
        bodil,
        "Byggetilladelse kan gives, skitse ok.",
    )
    event = Event.objects.filter(case=case, kind="task_done").get()
    assert "skitse ok" in event.text and event.internal and event.business_text == ""
    assert not any("skitse ok" in text for text in business_history(case))
    assert not Event.objects.filter(case=case, internal=False, text__contains="skitse ok").exists()


def test_a_shared_result_is_told_to_the_business(bodil, building_case):
    case = building_case(screen=True)

    task_complete(
        task=case.tasks.get(), actor=bodil, result="Ingen bemærkninger.", share_result=True
    )

    assert (
        business_history(case)[-1] == "Byggeri har afsluttet sin del af sagen: Ingen bemærkninger."
    )


def test_completing_with_the_decision_delivers_the_departments_answer_line(
    bodil, make_case, pdf_upload
):
    case = make_case(
        service_types=["byggetilladelse-erhverv", "udeservering"],
        answers={"matrikel": "12a", "etageareal": 400, "areal": 10},
        screen=True,
    )
    task = case.tasks.get(department__code="byggeri")

    task_complete(
        task=task,
        actor=bodil,
        result="Tilladelse givet.",
        upload=pdf_upload(),
        deliver_answer=True,
        expected_version=task.version,
    )

    task = Task.objects.get(pk=task.pk)
    document = Document.objects.get(case=case)
    assert task.result_document == document
    lines = {
        d.title: (d.status, d.delivered_by)
        for d in Deliverable.objects.filter(case=case, party="municipality")
    }
    assert lines == {
        "Svar: Byggetilladelse til industri og lager": (Deliverable.Status.DELIVERED, bodil),
        "Svar: Udeservering": (Deliverable.Status.PENDING, None),
    }
    assert document.deliverable is not None and document.deliverable.title.startswith("Svar: Bygg")
    history = business_history(case)
    assert (
        "Kommunen har leveret: Svar: Byggetilladelse til industri og lager (afgoerelse.pdf)."
        in history
    )
    assert not any("Tilladelse givet" in text for text in history)


def test_a_refused_upload_stores_nothing_and_reports_the_result_too(bodil, building_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = building_case(screen=True)
    task = case.tasks.get()
    before = snapshot(case)

    with pytest.raises(ValidationFailed) as refused:
        task_complete(
            task=task,
            actor=bodil,
            result="",
            upload=SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 10),
            deliver_answer=True,
        )

    assert set(refused.value.errors) == {"result", "file"}
    assert snapshot(case) == before


def test_a_done_task_is_reopened_with_a_reason_the_business_does_not_see(bodil, building_case):
    case = building_case(screen=True)
    task = task_claim(task=case.tasks.get(), actor=bodil)
    task = task_complete(task=task, actor=bodil, result="Afslag.", expected_version=task.version)

    with pytest.raises(ValidationFailed) as refused:
        task_reopen(task=task, actor=bodil, reason=" ", expected_version=task.version)
    assert refused.value.errors == {"reason": "Skriv en begrundelse."}

    task = task_reopen(
        task=task, actor=bodil, reason="Nye tegninger modtaget.", expected_version=task.version
    )

    task = Task.objects.get(pk=task.pk)
    assert (task.status, task.assignee, task.done_at, task.done_by) == (
        Task.Status.IN_PROGRESS,
        bodil,
        None,
        None,
    )
    assert task.result == "Afslag.", "the last result is kept"
    event = Event.objects.filter(case=case, kind="task_reopened").get()
    assert "Nye tegninger modtaget." in event.text and event.internal


def test_reopening_a_task_someone_changed_meanwhile_is_a_conflict(bodil, building_case):
    case = building_case(screen=True)
    task = task_complete(task=case.tasks.get(), actor=bodil, result="Ok.")
    seen = task.version - 1  # the card was rendered before the task was completed
    before = snapshot(case)

    with pytest.raises(Conflict):
        task_reopen(task=task, actor=bodil, reason="Fejl.", expected_version=seen)

    assert snapshot(case) == before


def test_an_open_task_cannot_be_reopened(bodil, building_case):
    case = building_case(screen=True)
    before = snapshot(case)

    with pytest.raises(IllegalTransition):
        task_reopen(task=case.tasks.get(), actor=bodil, reason="Hvorfor?")

    assert snapshot(case) == before


def test_another_departments_caseworker_can_neither_complete_nor_reopen(bodil, building_case):
    case = building_case(screen=True)
    road = StaffFactory(department=Department.objects.get(code="vej"))
    task = case.tasks.get()
    before = snapshot(case)

    with pytest.raises(Forbidden):
        task_complete(task=task, actor=road, result="Ok.")
    assert snapshot(case) == before

    task = task_complete(task=task, actor=bodil, result="Ok.")
    before = snapshot(case)
    with pytest.raises(Forbidden):
        task_reopen(task=task, actor=road, reason="Fejl.")
    assert snapshot(case) == before


# --- the one rule of who may do what -------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "mine", "expected"),
    [
        ("byggeri", "open", False, {"claim", "assign", "complete"}),
        ("byggeri", "in_progress", True, {"assign", "complete"}),
        ("byggeri", "in_progress", False, {"claim", "assign", "complete"}),
        ("byggeri", "done", False, {"reopen"}),
        ("byggeri", "cancelled", False, set()),
        ("vej", "open", False, set()),
        ("vej", "done", False, set()),
        ("coordinator", "open", False, {"claim", "assign", "complete"}),
    ],
)
def test_the_actions_a_task_offers(catalogue, who, status, mine, expected):
    building = Department.objects.get(code="byggeri")
    user = (
        StaffFactory(is_coordinator=True)
        if who == "coordinator"
        else StaffFactory(department=Department.objects.get(code=who))
    )

    actions = rules.task_actions(
        user,
        department_id=building.pk,
        status=status,
        assignee_id=user.pk if mine else None,
    )

    assert actions == expected
