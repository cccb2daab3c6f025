"""Issue 14 in real Chromium: the loops of daily work close (documents, internal notes,
the department's own dates), with screenshots of the changed pages at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.cases.models import Case, Deliverable, Task
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.common import clock
from erhvervskontakt.common.tests.files import pdf, pdf_bytes
from erhvervskontakt.notifications.models import Notification
from erhvervskontakt.testing.browser import DESKTOP, MOBILE
from erhvervskontakt.testing.journey import (
    PASSWORD,
    drawings_pdf,
    submit_two_matter_inquiry,
)
from erhvervskontakt.testing.journey import log_in as portal_log_in
from erhvervskontakt.web.templatetags.pages import long_date

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_see_the_documents_by_label_and_download_and_open_them(
    staff_login, screenshot, axe, karen, owner, building_case
):
    case = building_case(screen=True)
    case_add_document(
        case=case, actor=owner, upload=pdf("tegninger.pdf"), requirement_key="tegninger"
    )
    page = staff_login(karen)
    page.goto(f"/medarbejder/sager/{case.reference}/")

    documents = page.get_by_role("region", name="Dokumenter")
    row = documents.get_by_role("row").filter(has_text="tegninger.pdf")
    expect(row.get_by_role("cell", name="Tegninger", exact=True)).to_be_visible()
    with page.expect_download() as download:
        row.get_by_role("link", name="Hent tegninger.pdf").click()
    assert download.value.suggested_filename == "tegninger.pdf"
    assert Path(download.value.path()).read_bytes() == pdf_bytes()

    with page.context.expect_page() as opened:
        row.get_by_role("link", name="Vis tegninger.pdf").click()
    shown = opened.value
    shown.wait_for_load_state()
    assert shown.url.endswith("?vis=1")
    shown.close()

    assert [v for v in axe(page) if v["impact"] in ("serious", "critical")] == []
    screenshot(page, "case-documents")
    page.set_viewport_size(MOBILE)
    screenshot(page, "case-documents-390")


def _long(day) -> str:
    with translation.override("da"):
        return long_date(day)


def test_the_daily_loop_closes_from_inquiry_to_the_unread_message(
    new_page, staff_login, screenshot, axe, tmp_path, karen, bodil, owner, catalogue
):
    """Issue 14's journey: a new inquiry; screening with two departments on different
    dates; each department sees its own date; the business delivers a plan line from the case
    page; a caseworker completes a task with a result; the coordinator is told of the
    business's message and sees it unread."""
    road_worker = StaffFactory(
        username="vera",
        first_name="Vera",
        last_name="Vej",
        department=catalogue["udeservering"].department,
    )
    owner.set_password(PASSWORD)
    owner.save(update_fields=["password"])
    business = new_page()
    portal_log_in(business, owner.username)
    reference = submit_two_matter_inquiry(business)  # building permit and outdoor serving

    # Screening: each department's answer line has its own date; a line for the business.
    coordinator = staff_login(karen)
    coordinator.goto(f"/medarbejder/screening/{reference}/")
    building_row = coordinator.locator("fieldset").filter(
        has_text="Kommunen: Svar: Byggetilladelse til industri og lager"
    )
    road_row = coordinator.locator("fieldset").filter(has_text="Kommunen: Svar: Udeservering")
    building_due = building_row.locator("input[type=date]").input_value()
    road_due = road_row.locator("input[type=date]").input_value()
    assert road_due < building_due  # 10 and 30 working days, not the slowest for both
    new_line = coordinator.locator("fieldset").filter(has_text="Ny linje").last
    new_line.get_by_label("Hvem").select_option("business")
    new_line.get_by_label("Hvad").fill("Støjberegning for ventilationsanlægget")
    noise_due = clock.today() + dt.timedelta(days=21)
    new_line.get_by_label("Senest").fill(noise_due.isoformat())
    coordinator.get_by_label("Intern note til screeningen").fill("Ejeren er ny; ring før tilsyn.")
    screenshot(coordinator, "screening-two-departments")
    coordinator.get_by_role("button", name="Bekræft screening").click()
    expect(
        coordinator.get_by_text("er screenet; virksomheden kan se resultatet nu")
    ).to_be_visible()
    case = Case.objects.get(reference=reference)
    assert case.estimated_answer_date.isoformat() == building_due

    # Each department sees its own date in its inbox.
    building_inbox = staff_login(bodil)
    building_inbox.goto("/medarbejder/afdeling/")
    row = building_inbox.locator("li.wb-inbox-row").filter(has_text=reference)
    expect(row).to_contain_text(_long(dt.date.fromisoformat(building_due)))
    road_inbox = staff_login(road_worker)
    road_inbox.goto("/medarbejder/afdeling/")
    road_row_inbox = road_inbox.locator("li.wb-inbox-row").filter(has_text=reference)
    expect(road_row_inbox).to_contain_text(_long(dt.date.fromisoformat(road_due)))
    expect(road_row_inbox).not_to_contain_text(_long(dt.date.fromisoformat(building_due)))
    screenshot(road_inbox, "inbox-own-date")

    # The business delivers the noise calculation from its case page.
    business.goto(f"/sager/{reference}/")
    expect(business.get_by_text("Vi mangler ikke noget fra jer.")).to_have_count(0)
    expect(business.get_by_text("Ejeren er ny")).to_have_count(0)  # the note is internal
    form = business.locator("form.missing-item").filter(has_text="Støjberegning")
    form.get_by_label("Dokument").set_input_files(str(drawings_pdf(tmp_path)))
    form.get_by_label("Svar eller bemærkning").fill("Beregningen fra vores rådgiver.")
    screenshot(business, "case-deliver-line")
    form.get_by_role("button", name="Markér som leveret").click()
    expect(
        business.get_by_text("I har leveret: Støjberegning for ventilationsanlægget.")
    ).to_be_visible()
    assert [v for v in axe(business) if v["impact"] in ("serious", "critical")] == []
    business.set_viewport_size(MOBILE)
    screenshot(business, "case-deliver-line-390")
    business.set_viewport_size(DESKTOP)
    assert Deliverable.objects.get(case=case, title__startswith="Støjberegning").status == (
        "delivered"
    )

    # The building caseworker completes the task with a result.
    building_inbox.goto(f"/medarbejder/sager/{reference}/")
    card = building_inbox.locator(
        f"#opgave-{Task.objects.get(case=case, department__code='byggeri').pk}"
    )
    card.get_by_role("button", name="Tag opgaven").click()
    expect(card.get_by_role("button", name="Tag opgaven")).to_have_count(0)
    card.get_by_text("Markér som færdig").click()
    card.get_by_label("Resultat (kort)").fill("Tilladelse kan gives; vilkår om støjskærm.")
    card.get_by_role("button", name="Afslut opgaven").click()
    expect(building_inbox.get_by_text("Opgaven er markeret som færdig.")).to_be_visible()
    task = Task.objects.get(case=case, department__code="byggeri")
    assert (task.status, task.result) == ("done", "Tilladelse kan gives; vilkår om støjskærm.")

    # The business writes; the coordinator is told at once and sees it unread.
    business.goto(f"/sager/{reference}/")
    expect(business.get_by_text("vilkår om støjskærm")).to_have_count(0)  # the result is internal
    business.get_by_label("Skriv til jeres tovholder").fill("Kan vi få svaret før jul?")
    business.get_by_role("button", name="Send besked").click()
    expect(business.get_by_text("Kan vi få svaret før jul?").first).to_be_visible()
    notice = Notification.objects.get(kind="business_message", recipient_user=karen)
    assert reference in notice.subject
    coordinator.goto("/medarbejder/mine-sager/")
    row = coordinator.get_by_role("row").filter(has_text=reference)
    expect(row.get_by_text("1 ulæst besked")).to_be_visible()
    screenshot(coordinator, "my-cases-unread-journey")
    row.get_by_role("link", name=reference).click()
    coordinator.goto("/medarbejder/mine-sager/")
    expect(
        coordinator.get_by_role("row").filter(has_text=reference).get_by_text("ulæst")
    ).to_have_count(0)
