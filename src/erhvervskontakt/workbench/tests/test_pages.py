"""Workbench pages through the Django test client: what staff see and what their forms do."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import make_password

from erhvervskontakt.cases.models import Case, CaseStatus, Channel, Event, Message, Task
from erhvervskontakt.cases.services.coordinators import case_change_coordinator
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.cases.services.tasks import task_claim
from erhvervskontakt.common import clock

from .conftest import CONTACT, snapshot

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


def text(response) -> str:
    return response.content.decode()


# --- login -----------------------------------------------------------------------------------


def test_staff_log_in_at_the_workbench_login(client, karen):
    karen.password = make_password("hemmelig-kode-1")
    karen.save()

    response = client.post(
        "/medarbejder/log-ind/", {"username": "karen", "password": "hemmelig-kode-1"}
    )

    assert response.status_code == 302
    assert client.get("/medarbejder/screening/").status_code == 200


def test_a_business_user_is_refused_at_the_workbench_login(client, owner):
    owner.password = make_password("hemmelig-kode-1")
    owner.save()

    response = client.post(
        "/medarbejder/log-ind/", {"username": owner.username, "password": "hemmelig-kode-1"}
    )

    assert response.status_code == 422
    assert "Kun kommunens medarbejdere" in text(response)
    assert "_auth_user_id" not in client.session


# --- screening queue and view ----------------------------------------------------------------------


def _backdated(karen, business, catalogue, days_ago: int) -> Case:
    return inquiry_submit(
        actor=karen,
        cvr=business.cvr,
        service_types=["udeservering"],
        description="Telefonisk henvendelse om borde",
        contact=dict(CONTACT),
        answers={"areal": 10},
        channel=Channel.PHONE,
        received_at=clock.now() - dt.timedelta(days=days_ago),
    )


def test_the_queue_lists_received_cases_most_urgent_first_with_overdue_in_words(
    client_for, karen, business, catalogue, make_case
):
    fresh = make_case()
    old = _backdated(karen, business, catalogue, days_ago=20)
    screened = make_case(screen=True)

    page = text(client_for(karen).get("/medarbejder/screening/"))

    assert page.index(old.reference) < page.index(fresh.reference)
    assert screened.reference not in page
    assert "Overskredet med" in page
    assert "wb-badge-overdue" in page


def test_the_screening_view_proposes_coordinator_estimate_and_plan(
    client_for, karen, lars, give_cases, building_case
):
    give_cases(karen, 3)
    case = building_case()

    page = text(client_for(karen).get(f"/medarbejder/screening/{case.reference}/"))

    assert "Tegninger" in page  # the missing item
    assert "Ikke nødvendigt" in page
    assert "Foreslået: Lars Lund" in page  # least loaded
    assert "3 åbne sager" in page and "0 åbne sager" in page
    assert "30 arbejdsdage efter screeningen" in page


def test_confirming_the_screening_shows_the_result_to_the_business_at_once(
    client_for, karen, lars, owner, make_case
):
    case = make_case()

    response = client_for(karen).post(
        f"/medarbejder/screening/{case.reference}/",
        {"version": case.version, "coordinator": "lars", "note": "Ok"},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.coordinator == lars
    portal = text(client_for(owner).get(f"/sager/{case.reference}/"))
    assert "Lars Lund" in portal


def test_marking_a_requirement_not_needed_from_the_screening_view(client_for, karen, building_case):
    case = building_case()

    response = client_for(karen).post(
        f"/medarbejder/screening/{case.reference}/",
        {
            "action": "not_needed",
            "requirement": "tegninger",
            "reason": "Ingen facadeændring",
            "version": case.version,
        },
    )

    assert response.status_code == 302
    assert Event.objects.filter(case=case, kind="requirement_not_needed").exists()


def test_a_stale_screening_form_is_refused_keeping_what_was_typed(
    client_for, karen, lars, make_case
):
    case = make_case()
    seen = case.version
    case_message_post(case=case, actor=lars, body="Jeg kigger på den", internal=True)
    before = snapshot(case)

    response = client_for(karen).post(
        f"/medarbejder/screening/{case.reference}/",
        {"version": seen, "coordinator": "lars", "note": "Min vigtige note"},
    )

    assert response.status_code == 409
    assert "ændret af en anden" in text(response)
    assert "Min vigtige note" in text(response)
    assert snapshot(case) == before


def test_an_edited_estimate_at_screening_is_the_promise(client_for, karen, make_case):
    case = make_case()
    wanted = clock.today() + dt.timedelta(days=70)

    client_for(karen).post(
        f"/medarbejder/screening/{case.reference}/",
        {
            "version": case.version,
            "coordinator": "karen",
            "estimate": wanted.isoformat(),
            "proposed_estimate": "2000-01-01",
            "estimate_reason": "Sommerferie",
        },
    )

    case.refresh_from_db()
    assert case.estimated_answer_date == wanted == case.estimate_at_screening


# --- register an inquiry -----------------------------------------------------------------------


def _registration(business, **overrides):
    data = {
        "channel": "phone",
        "received_date": "",
        "received_time": "09:30",
        "cvr": business.cvr,
        "contact_name": "Eva Ejer",
        "contact_email": "eva@fynsk.dk",
        "service_types": ["raadgivning"],
        "description": "Ringede om råd til ny hal",
    }
    data.update(overrides)
    return data


def test_registering_a_phone_inquiry_starts_the_clock_at_its_receipt(
    client_for, karen, business, catalogue
):
    day = clock.today() - dt.timedelta(days=3)

    response = client_for(karen).post(
        "/medarbejder/ny-henvendelse/", _registration(business, received_date=day.isoformat())
    )

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == Channel.PHONE
    assert case.received_at == dt.datetime.combine(day, dt.time(9, 30), tzinfo=CPH)
    assert Event.objects.filter(case=case, kind="receipt_backdated").exists()


def test_a_receipt_time_in_the_future_is_refused_in_danish(client_for, karen, business, catalogue):
    tomorrow = clock.today() + dt.timedelta(days=1)

    response = client_for(karen).post(
        "/medarbejder/ny-henvendelse/",
        _registration(business, received_date=tomorrow.isoformat()),
    )

    assert response.status_code == 422
    assert "kan ikke ligge i fremtiden" in text(response)
    assert "Ringede om råd til ny hal" in text(response)  # kept
    assert not Case.objects.exists()


def test_registering_without_a_channel_or_service_is_refused(
    client_for, karen, business, catalogue
):
    response = client_for(karen).post(
        "/medarbejder/ny-henvendelse/",
        _registration(business, channel="portal", received_date=clock.today().isoformat()),
    )
    assert response.status_code == 422
    assert not Case.objects.exists()

    response = client_for(karen).post(
        "/medarbejder/ny-henvendelse/",
        _registration(business, service_types=[], received_date="2026-01-01"),
    )
    assert response.status_code == 422
    assert "Vælg mindst én ydelse" in text(response)


# --- the case ----------------------------------------------------------------------------------


def test_an_internal_note_is_shown_to_staff_and_never_to_the_business(
    client_for, karen, owner, make_case
):
    case = make_case(screen=True)

    client_for(karen).post(
        f"/medarbejder/sager/{case.reference}/notat/",
        {"version": case.version, "body": "Ring til brandvæsenet"},
    )

    assert "Ring til brandvæsenet" in text(
        client_for(karen).get(f"/medarbejder/sager/{case.reference}/")
    )
    assert "Ring til brandvæsenet" not in text(client_for(owner).get(f"/sager/{case.reference}/"))
    assert Message.objects.get().internal


def test_a_stale_case_form_is_refused_and_keeps_the_text(client_for, karen, lars, make_case):
    case = make_case(screen=True)
    seen = case.version
    case_change_coordinator(case=case, actor=lars, coordinator=lars)
    before = snapshot(case)

    response = client_for(karen).post(
        f"/medarbejder/sager/{case.reference}/notat/", {"version": seen, "body": "Lang tekst"}
    )

    assert response.status_code == 409
    assert "ændret af en anden" in text(response)
    assert "Lang tekst" in text(response)
    assert snapshot(case) == before


def test_the_case_view_shows_the_clocks_with_their_history(client_for, karen, building_case):
    case = building_case(screen=True)

    page = text(client_for(karen).get(f"/medarbejder/sager/{case.reference}/"))

    assert "De tre ure" in page
    assert "30 arbejdsdage efter screeningen" in page  # the estimate_set event
    assert "Opgaver i afdelingerne" in page and "Byggeri" in page


def test_recording_the_answer_with_a_decision_document(
    client_for, karen, owner, make_case, pdf_upload
):
    case = make_case(screen=True)

    response = client_for(karen).post(
        f"/medarbejder/sager/{case.reference}/svar/",
        {"version": case.version, "summary": "Tilladelse givet", "file": pdf_upload()},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED
    assert case.documents.get().original_name == "afgoerelse.pdf"
    assert "Tilladelse givet" in text(client_for(owner).get(f"/sager/{case.reference}/"))


def test_changing_a_deliverable_due_date_needs_a_reason(client_for, karen, make_case):
    case = make_case(screen=True)
    line = case.deliverables.first()
    before = snapshot(case)

    response = client_for(karen).post(
        f"/medarbejder/sager/{case.reference}/leverance-ret/",
        {"version": case.version, "deliverable": line.pk, "due_date": "2099-01-05", "reason": ""},
    )

    assert response.status_code == 422
    assert "Skriv en begrundelse" in text(response)
    assert snapshot(case) == before


def test_closing_an_answered_case(client_for, karen, make_case):
    case = make_case(screen=True)
    case = case_record_decision(case=case, actor=karen, summary="Ja")

    response = client_for(karen).post(
        f"/medarbejder/sager/{case.reference}/afslut/", {"version": case.version}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


# --- department inbox -----------------------------------------------------------------------


def test_a_caseworker_claims_and_completes_from_the_inbox_and_the_coordinator_sees_it(
    client_for, karen, bodil, building_case
):
    case = building_case(screen=True)
    task = case.tasks.get()
    client = client_for(bodil)

    inbox = text(client.get("/medarbejder/afdeling/"))
    assert case.reference in inbox
    client.post(f"/medarbejder/opgaver/{task.pk}/tag/", {"version": task.version})
    task.refresh_from_db()
    assert task.assignee == bodil
    client.post(
        f"/medarbejder/opgaver/{task.pk}/faerdig/",
        {"version": task.version, "result": "Tilladelse givet."},
    )

    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert case.reference not in text(client.get("/medarbejder/afdeling/"))
    coordinator_view = text(client_for(karen).get(f"/medarbejder/sager/{case.reference}/"))
    assert "Opgaven for Byggeri er færdig (Bodil Bach)" in coordinator_view


def test_a_stale_task_action_is_refused_with_a_message(client_for, bodil, building_case):
    case = building_case(screen=True)
    task = case.tasks.get()
    stale = task.version
    task_claim(task=task, actor=bodil)

    response = client_for(bodil).post(
        f"/medarbejder/opgaver/{task.pk}/faerdig/", {"version": stale}, follow=True
    )

    assert "Opgaven er ændret af en anden" in text(response)
    assert Task.objects.get(pk=task.pk).status == Task.Status.IN_PROGRESS


def test_giving_a_task_to_someone_unknown_says_so_and_changes_nothing(
    client_for, karen, bodil, building_case
):
    case = building_case(screen=True)
    task = case.tasks.get()

    response = client_for(bodil).post(
        f"/medarbejder/opgaver/{task.pk}/giv/",
        {"version": task.version, "assignee": "ingen-saadan"},
        follow=True,
    )

    assert "Vælg en aktiv kollega fra listen." in text(response)
    unchanged = Task.objects.get(pk=task.pk)
    assert (unchanged.assignee, unchanged.version) == (None, task.version)


# --- my cases, business, search ----------------------------------------------------------------


def test_my_cases_lists_what_i_coordinate_and_filters_overdue(
    client_for, karen, lars, make_case, building_case
):
    mine = building_case(screen=True)
    theirs = make_case()
    case_screen(case=theirs, actor=karen, coordinator=lars)

    page = text(client_for(karen).get("/medarbejder/mine-sager/"))
    assert mine.reference in page
    assert "Send: Tegninger" in page  # next deliverable from the business
    overdue = text(client_for(karen).get("/medarbejder/mine-sager/?vis=overdue"))
    assert mine.reference not in overdue


def test_changing_the_fixed_contact_person_on_the_business_page(client_for, karen, lars, business):
    response = client_for(karen).post(
        f"/medarbejder/virksomheder/{business.cvr}/", {"coordinator": "lars", "reason": "Ferie"}
    )

    assert response.status_code == 302
    business.refresh_from_db()
    assert business.contact_person == lars
    page = text(client_for(karen).get(f"/medarbejder/virksomheder/{business.cvr}/"))
    assert "Begrundelse: Ferie" in page


@pytest.mark.parametrize("how", ["reference", "cvr", "name", "description"])
def test_search_finds_a_case(client_for, karen, make_case, business, other_business, how):
    case = make_case()
    query = {
        "reference": case.reference.lower(),
        "cvr": business.cvr,
        "name": "maskinfabrik",
        "description": "caféen",
    }[how]

    page = text(client_for(karen).get("/medarbejder/soeg/", {"q": query}))

    assert case.reference in page
    assert "1 sag fundet" in page


def test_the_workbench_speaks_english_when_asked(client_for, karen, make_case):
    from django.conf import settings

    make_case()
    client = client_for(karen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = text(client.get("/medarbejder/screening/"))

    assert "Inquiries to screen" in page
    assert "1 inquiry is waiting for screening." in page


def test_the_deadline_for_missing_material_can_be_set_at_screening(
    client_for, karen, building_case
):
    case = building_case()
    due = clock.today() + dt.timedelta(days=30)

    response = client_for(karen).post(
        f"/medarbejder/screening/{case.reference}/",
        {
            "version": case.version,
            "coordinator": "karen",
            "business_due": due.isoformat(),
            "proposed_business_due": "2000-01-01",
        },
    )

    assert response.status_code == 302
    drawings = case.deliverables.get(requirement_key="tegninger")
    assert drawings.due_date == due
    # The lines are made with the deadline (no change the business was never told of), and
    # the screening's result tells the business the date.
    assert not Event.objects.filter(case=case, kind="deliverable_changed").exists()
    told = Event.objects.get(case=case, kind="screened").business_text
    assert f"Send det senest {due.day}." in told
