"""The business owner's whole journey in a real browser: a two-matter inquiry with the
drawings left out, the receipt that says what is missing and by when we answer, and the
drawings supplied from the case page once a coordinator has screened the case."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from erhvervskontakt.cases.models import Case, CaseStatus, Deliverable
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.testing.journey import (
    answer_questions,
    choose_matters,
    drawings_pdf,
    next_step,
    start_inquiry,
    submit_on_review,
    upload_missing_document,
)

pytestmark = pytest.mark.django_db(transaction=True)

WEEKDAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
MONTHS = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]


def test_owner_submits_two_matters_without_drawings_then_supplies_them_from_the_case_page(
    page, log_in, owner, owner_password, catalogue, karen, tmp_path
):
    log_in(owner.username, owner_password)

    start_inquiry(page)
    choose_matters(page)

    # Step 2 asks the questions of both matters, each once.
    expect(page.get_by_role("heading", level=1)).to_have_text("Oplysninger")
    for key in ("matrikel", "etageareal", "ibrugtagning", "areal"):
        expect(page.locator(f"#krav-{key}")).to_have_count(1)
    answer_questions(page)

    # Step 3: the drawings are asked for, and skipped.
    expect(page.get_by_role("heading", level=1)).to_have_text("Dokumenter")
    expect(page.get_by_label(re.compile(r"^Tegninger"))).to_be_visible()
    next_step(page, 4)

    # Step 4: the review shows what was answered and that the drawings are missing.
    review = page.locator("main")
    expect(review.get_by_role("row", name=re.compile("Matrikelnummer"))).to_contain_text(
        "12a Odense Bygrænse"
    )
    expect(review.get_by_role("row", name=re.compile("^Tegninger"))).to_contain_text("Mangler")
    reference = submit_on_review(page)

    # The receipt: the reference, the screening deadline as a date, the missing drawings.
    case = Case.objects.get(reference=reference)
    assert reference and page.locator("h1").inner_text().startswith("Tak")
    due = case.screening_due
    expect(page.locator(".receipt-deadline")).to_have_text(
        f"I hører fra os senest {WEEKDAYS[due.weekday()]} den {due.day}. "
        f"{MONTHS[due.month - 1]} {due.year}."
    )
    missing = page.get_by_role("region", name="Vi mangler 1 ting fra jer")
    link = missing.get_by_role("link", name="Send Tegninger")
    expect(link).to_have_attribute("href", f"/sager/{reference}/#krav-tegninger")

    # The link leads to the case page, where the drawings can be sent in place.
    link.click()
    expect(page).to_have_url(re.compile(rf"/sager/{reference}/#krav-tegninger$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Sag {reference}")
    expect(page.locator("#krav-tegninger")).to_be_attached()
    expect(page.get_by_text("I får en tovholder, når vi screener henvendelsen")).to_be_visible()

    # A coordinator screens the case: the delivery plan now has both columns.
    case_screen(case=case, actor=karen)
    page.reload()
    plan = page.get_by_role("region", name="Leveranceplan")
    ours = plan.locator(".col-md-6").filter(has=page.get_by_role("heading", name="Det leverer I"))
    theirs = plan.locator(".col-md-6").filter(
        has=page.get_by_role("heading", name="Det leverer vi")
    )
    expect(ours.locator(".deliverable")).to_have_count(1)
    expect(ours.locator(".deliverable")).to_contain_text("Send: Tegninger")
    expect(ours.locator(".deliverable")).to_contain_text("Afventer")
    expect(theirs.locator(".deliverable")).to_have_count(2)
    expect(theirs).to_contain_text("Svar: Byggetilladelse til industri og lager")
    expect(theirs).to_contain_text("Svar: Udeservering")
    expect(page.get_by_role("region", name="Jeres tovholder")).to_contain_text("Karen Kofoed")
    expect(page.locator("#sagsstatus")).to_have_text("Afventer jer")

    # Send the drawings from the missing item's own form (htmx swaps the section in place).
    upload_missing_document(page, "tegninger", drawings_pdf(tmp_path))
    expect(page.get_by_role("status").filter(has_text="Vi har modtaget dokumentet")).to_be_visible()
    expect(page.get_by_role("region", name="Det mangler vi fra jer")).to_contain_text(
        "Vi mangler ikke noget fra jer."
    )
    expect(page.locator("form.missing-item")).to_have_count(0)
    expect(ours.locator(".deliverable")).to_contain_text("Leveret")
    expect(page.locator("#dokumentliste")).to_contain_text("tegninger-lagerhal.pdf")

    # And it is so on the server, and after a reload.
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    drawings = case.deliverables.get(requirement_key="tegninger")
    assert drawings.status == Deliverable.Status.DELIVERED
    assert case.documents.get(requirement_key="tegninger").content_type == "application/pdf"
    page.reload()
    expect(ours.locator(".deliverable")).to_contain_text("Leveret")
    expect(page.locator("#sagsstatus")).to_have_text("Under behandling")
