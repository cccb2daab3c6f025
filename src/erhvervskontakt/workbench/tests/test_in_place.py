"""htmx partial updates: the department inbox and the case view change a task's row or the
delivery plan in place, through the same services, with the same refusals shown in the part.

A request with ``HX-Request: true`` gets the part (no page frame); without it the same URL
answers as before (redirect after POST), which test_pages.py covers.
"""

from __future__ import annotations

import json

import pytest

from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.cases.models import Case, Deliverable, Event, Task
from erhvervskontakt.cases.services.coordinators import case_change_coordinator

from .conftest import snapshot

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def birgit(bodil):
    """A second caseworker in Byggeri, Bodil's colleague."""
    return StaffFactory(
        username="birgit", first_name="Birgit", last_name="Berg", department=bodil.department
    )


def task_post(client, task, action, version, **data):
    return client.post(
        f"/medarbejder/opgaver/{task.pk}/{action}/",
        {"version": version, "next": "/medarbejder/afdeling/", **data},
        **HTMX,
    )


# --- the department inbox ----------------------------------------------------------------


def test_claiming_from_the_inbox_answers_htmx_with_the_row_and_a_status_message(
    client_for, bodil, birgit, building_case
):
    task = building_case(screen=True).tasks.get()

    response = task_post(client_for(bodil), task, "tag", task.version, fra="indbakke")

    assert response.status_code == 200
    page = text(response)
    assert "<html" not in page, "htmx gets the row, not the page"
    assert page.startswith(f'<li id="opgave-{task.pk}"')
    assert "I gang – Bodil Bach" in page
    assert 'hx-swap-oob="innerHTML:#wb-toasts"' in page
    assert "Du har taget opgaven." in page
    assert "Giv opgaven" in page and "Birgit Berg" in page  # the inbox row keeps its form
    claimed = Task.objects.get(pk=task.pk)
    assert (claimed.assignee, claimed.version) == (bodil, task.version + 1)
    assert f'name="version" value="{claimed.version}"' in page


def test_the_second_of_two_caseworkers_is_refused_in_the_row_and_nothing_is_lost(
    client_for, bodil, birgit, building_case
):
    task = building_case(screen=True).tasks.get()
    seen = task.version  # both opened the inbox at this version
    task_post(client_for(bodil), task, "tag", seen, fra="indbakke")
    before = snapshot(task.case)

    response = task_post(client_for(birgit), task, "tag", seen, fra="indbakke")

    assert response.status_code == 409
    page = text(response)
    assert page.startswith(f'<li id="opgave-{task.pk}"')
    assert 'role="alert"' in page
    assert "Opgaven er ændret af en anden" in page
    assert "I gang – Bodil Bach" in page, "the row shows the task as it is now"
    assert "wb-toasts" not in page, "a refusal is no success message"
    assert snapshot(task.case) == before
    assert Task.objects.get(pk=task.pk).assignee == bodil


def test_giving_a_task_to_someone_unknown_is_refused_in_the_row_with_the_choice_kept(
    client_for, bodil, birgit, building_case
):
    task = building_case(screen=True).tasks.get()
    before = snapshot(task.case)

    response = task_post(
        client_for(bodil), task, "giv", task.version, fra="indbakke", assignee="ingen-saadan"
    )

    assert response.status_code == 422
    assert "Vælg en aktiv kollega fra listen." in text(response)
    assert snapshot(task.case) == before


def test_giving_a_task_to_a_colleague_in_place(client_for, bodil, birgit, building_case):
    task = building_case(screen=True).tasks.get()

    response = task_post(
        client_for(bodil), task, "giv", task.version, fra="indbakke", assignee="birgit"
    )

    assert response.status_code == 200
    assert "I gang – Birgit Berg" in text(response)
    assert "Opgaven er givet til Birgit Berg." in text(response)
    assert Task.objects.get(pk=task.pk).assignee == birgit


def test_completing_on_the_case_view_brings_the_timeline_along(
    client_for, karen, bodil, building_case
):
    case = building_case(screen=True)
    task = case.tasks.get()

    response = task_post(
        client_for(bodil), task, "faerdig", task.version, fra="sag", result="Ingen indsigelser."
    )

    assert response.status_code == 200
    page = text(response)
    assert "Færdig – Bodil Bach" in page
    assert "Resultat: Ingen indsigelser." in page
    assert "Markér som færdig" not in page, "a done task is only reopened"
    assert "Genåbn opgaven" in page
    assert '<section id="tidslinje"' in page and 'hx-swap-oob="true"' in page
    assert "Opgaven for Byggeri er færdig (Bodil Bach)" in page
    assert Task.objects.get(pk=task.pk).status == Task.Status.DONE


def test_a_task_of_a_case_out_of_sight_is_404_also_for_htmx(client_for, bodil, make_case):
    road = make_case(screen=True)  # no Byggeri task: Bodil does not see the case
    task = road.tasks.get()
    before = snapshot(road)

    response = task_post(client_for(bodil), task, "tag", task.version, fra="indbakke")

    assert response.status_code == 404
    assert snapshot(road) == before


# --- the delivery plan on the case view -------------------------------------------------------


def plan_post(client, case, action, **data):
    return client.post(f"/medarbejder/sager/{case.reference}/{action}/", data, **HTMX)


def test_changing_a_deliverable_in_place_answers_with_the_plan_and_what_it_moved(
    client_for, karen, make_case
):
    case = make_case(screen=True)
    line = case.deliverables.get()

    response = plan_post(
        client_for(karen),
        case,
        "leverance-ret",
        version=case.version,
        deliverable=line.pk,
        title=line.title,
        due_date="2099-01-05",
        reason="Høring i naboskabet",
    )

    assert response.status_code == 200
    page = text(response)
    assert page.startswith('<section id="leveranceplan"')
    assert "<html" not in page
    for part in ("sagsoverblik", "ure", "mangler-boks", "tidslinje"):
        assert f'id="{part}" ' in page or f'id="{part}"' in page, part
    assert page.count('hx-swap-oob="true"') == 4
    assert "Leverancen er ændret." in page
    assert "Høring i naboskabet" in page  # the new event, in the timeline's first page
    fresh = Case.objects.get(pk=case.pk)
    assert json.loads(response["HX-Trigger"]) == {
        "wb-case-version": {"from": case.version, "to": fresh.version}
    }
    assert str(Deliverable.objects.get(pk=line.pk).due_date) == "2099-01-05"
    assert Event.objects.filter(case=case, kind="deliverable_changed").count() == 1


def test_a_stale_plan_change_is_refused_in_its_line_keeping_what_was_typed(
    client_for, karen, lars, make_case
):
    case = make_case(screen=True)
    line = case.deliverables.get()
    seen = case.version
    case_change_coordinator(case=case, actor=lars, coordinator=lars)
    before = snapshot(case)

    response = plan_post(
        client_for(karen),
        case,
        "leverance-ret",
        version=seen,
        deliverable=line.pk,
        title="Svar om udeservering",
        due_date="2099-02-02",
        reason="Min lange begrundelse",
    )

    assert response.status_code == 409
    page = text(response)
    assert page.startswith('<section id="leveranceplan"')
    assert "ændret af en anden" in page
    assert "<details open>" in page
    assert 'value="Min lange begrundelse"' in page and 'value="2099-02-02"' in page
    assert f'name="version" value="{Case.objects.get(pk=case.pk).version}"' in page
    assert "HX-Trigger" not in response
    assert snapshot(case) == before


def test_adding_a_deliverable_without_a_title_marks_the_field_in_place(
    client_for, karen, make_case
):
    case = make_case(screen=True)
    before = snapshot(case)

    response = plan_post(
        client_for(karen),
        case,
        "leverance-ny",
        version=case.version,
        party="business",
        title="",
        due_date="2099-01-05",
    )

    assert response.status_code == 422
    page = text(response)
    assert 'id="new-title" name="title" value="" aria-invalid="true"' in page
    assert "Skriv, hvad der skal leveres." in page
    assert 'value="2099-01-05"' in page
    assert snapshot(case) == before


def test_waiving_the_missing_drawings_in_place_moves_the_case_on(client_for, karen, building_case):
    case = building_case(screen=True)
    drawings = case.deliverables.get(party=Deliverable.Party.BUSINESS)
    assert case.status == "awaiting_business"

    response = plan_post(
        client_for(karen),
        case,
        "leverance-frafald",
        version=case.version,
        deliverable=drawings.pk,
        reason="Findes i arkivet",
    )

    assert response.status_code == 200
    page = text(response)
    assert Case.objects.get(pk=case.pk).status == "in_progress"
    assert "Alle obligatoriske oplysninger og dokumenter er modtaget." in page  # missing box
    assert "Under behandling" in page  # the status line, out of band


def test_an_unknown_deliverable_is_404_in_place_and_changes_nothing(client_for, karen, make_case):
    case = make_case(screen=True)
    before = snapshot(case)

    response = plan_post(
        client_for(karen), case, "leverance-frafald", version=case.version, deliverable=999999
    )

    assert response.status_code == 404
    assert snapshot(case) == before


def test_other_case_actions_answer_htmx_as_a_plain_form(client_for, karen, make_case):
    case = make_case(screen=True)

    response = plan_post(client_for(karen), case, "notat", version=case.version, body="Husk")

    assert response.status_code == 302
