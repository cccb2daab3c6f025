"""The staff journeys of issue 5 in real Chromium, with screenshots for review."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from erhvervskontakt.cases.models import Case, CaseStatus, Channel, Task
from erhvervskontakt.cases.services.material import requirement_mark_not_needed
from erhvervskontakt.common import clock
from erhvervskontakt.testing.journey import PASSWORD
from erhvervskontakt.testing.journey import log_in as portal_log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_screen_an_inquiry_end_to_end_and_the_business_sees_the_result(
    staff_login, new_page, screenshot, karen, lars, owner, make_case
):
    case = make_case()
    page = staff_login(karen)

    page.goto("/medarbejder/screening/")
    screenshot(page, "screening-queue")
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Screening af {case.reference}")
    page.get_by_label("Tovholder").select_option("lars")
    screenshot(page, "screening-view")
    page.get_by_role("button", name="Bekræft screening").click()
    expect(page.get_by_text("er screenet; virksomheden kan se resultatet nu")).to_be_visible()
    screenshot(page, "case-after-screening")

    owner.set_password(PASSWORD)
    owner.save(update_fields=["password"])
    business_page = new_page()
    portal_log_in(business_page, owner.username)
    business_page.goto(f"/sager/{case.reference}/")
    expect(business_page.get_by_text("Lars Lund").first).to_be_visible()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


def test_register_a_phone_inquiry_with_a_past_receipt_time(
    staff_login, screenshot, karen, business, catalogue
):
    day = clock.today() - dt.timedelta(days=2)
    page = staff_login(karen)

    page.goto("/medarbejder/ny-henvendelse/")
    page.get_by_label("Kanal", exact=True).select_option("phone")
    page.get_by_label("Modtaget (dato og klokkeslæt)").fill(day.isoformat())
    page.get_by_label("Klokkeslæt", exact=True).fill("08:15")
    page.get_by_label("CVR-nummer", exact=True).fill(business.cvr)
    page.get_by_label("Kontaktperson", exact=True).fill("Eva Ejer")
    page.get_by_label("E-mail", exact=True).fill("eva@fynsk.dk")
    page.get_by_label("Rådgivning", exact=False).first.check()
    page.get_by_label("Beskrivelse", exact=True).fill("Ringede om en ny lagerhal")
    screenshot(page, "register-phone-inquiry")
    page.get_by_role("button", name="Registrér henvendelsen").click()

    expect(page.get_by_text("Henvendelsen er registreret som")).to_be_visible()
    case = Case.objects.get()
    assert case.channel == Channel.PHONE
    assert clock.local_date(case.received_at) == day


def test_a_caseworker_completes_a_task_and_the_coordinator_records_the_answer(
    staff_login, screenshot, karen, bodil, make_case, building_case
):
    case = building_case(screen=True)
    requirement_mark_not_needed(
        case=case, actor=karen, requirement_key="tegninger", reason="Findes i arkivet"
    )
    worker = staff_login(bodil)

    worker.goto("/medarbejder/afdeling/")
    screenshot(worker, "department-inbox")
    worker.get_by_role("button", name="Tag opgaven").click()
    expect(worker.get_by_text("Du har taget opgaven.")).to_be_visible()
    worker.get_by_text("Markér som færdig").click()
    worker.get_by_label("Resultat (kort)").fill("Byggetilladelse kan gives.")
    worker.get_by_role("button", name="Afslut opgaven").click()
    expect(worker.get_by_text("Opgaven er markeret som færdig.")).to_be_visible()
    assert Task.objects.get(case=case).status == Task.Status.DONE

    coordinator = staff_login(karen)
    coordinator.goto(f"/medarbejder/sager/{case.reference}/")
    expect(coordinator.get_by_text("Opgaven for Byggeri er færdig (Bodil Bach).")).to_be_visible()
    expect(coordinator.locator("#opgaver")).to_contain_text("Resultat: Byggetilladelse kan gives.")
    coordinator.get_by_label("Svaret kort").fill("Byggetilladelse givet")
    screenshot(coordinator, "case-view")
    coordinator.get_by_role("button", name="Registrér svar").click()
    expect(coordinator.get_by_text("Svaret er registreret")).to_be_visible()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ANSWERED
