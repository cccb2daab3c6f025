"""The core path without JavaScript: plain forms and redirects carry an inquiry from login to
the receipt, and a document and a message to the case page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from erhvervskontakt.cases.models import Case, CaseStatus
from erhvervskontakt.testing.browser import DESKTOP
from erhvervskontakt.testing.journey import (
    drawings_pdf,
    log_in,
    submit_two_matter_inquiry,
    upload_missing_document,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_js_page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
        java_script_enabled=False,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_without_javascript_an_inquiry_is_submitted_and_the_missing_document_and_a_message_sent(
    no_js_page, owner, owner_password, catalogue, tmp_path
):
    page = no_js_page
    log_in(page, owner.username, owner_password)
    # Really no JavaScript: the head script that swaps "no-js" for "js" did not run.
    expect(page.locator("html")).to_have_class("no-js")
    # Without the drawer script the main menu is shown inline.
    expect(
        page.locator(".navigation-menu").get_by_role("link", name="Ny henvendelse")
    ).to_be_visible()

    reference = submit_two_matter_inquiry(page)

    expect(page.locator(".receipt-deadline")).to_contain_text("I hører fra os senest")
    page.get_by_role("link", name="Send Tegninger").click()
    expect(page).to_have_url(re.compile(rf"/sager/{reference}/#krav-tegninger$"))

    upload_missing_document(page, "tegninger", drawings_pdf(tmp_path))

    # A plain POST, then a redirect back to the case page with the confirmation.
    expect(page).to_have_url(re.compile(rf"/sager/{reference}/#materiale$"))
    expect(page.get_by_role("status")).to_contain_text("Tak. Vi har modtaget dokumentet.")
    expect(page.get_by_role("region", name="Det mangler vi fra jer")).to_contain_text(
        "Vi mangler ikke noget fra jer."
    )
    expect(page.locator("#dokumentliste")).to_contain_text("tegninger-lagerhal.pdf")

    # And a message to the coordinator, the third part of the core path.
    page.get_by_label("Skriv til jeres tovholder").fill("Tegningerne er nu sendt.")
    page.get_by_role("button", name="Send besked").click()
    expect(page.get_by_role("status")).to_contain_text("Jeres besked er sendt.")
    expect(page.locator(".message-list")).to_contain_text("Tegningerne er nu sendt.")

    case = Case.objects.get(reference=reference)
    assert case.status == CaseStatus.RECEIVED
    assert case.messages.get().body == "Tegningerne er nu sendt."
    assert case.documents.get().requirement_key == "tegninger"
    assert case.fully_informed_on is not None
