"""One refused answer in step 2 keeps the valid answers of the same submit, shows the
refused one as typed with its error, and "Vi mangler stadig" says what the page holds."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from erhvervskontakt.cases.models import InquiryDraft
from erhvervskontakt.testing.journey import choose_matters, start_inquiry

pytestmark = pytest.mark.django_db(transaction=True)

BUILDING = ["Byggetilladelse til industri og lager"]


def test_a_refused_answer_keeps_the_valid_ones_and_the_box_lists_only_what_is_not_there(
    page, log_in, owner, owner_password, catalogue, screenshot
):
    log_in(owner.username, owner_password)
    start_inquiry(page)
    choose_matters(page, BUILDING, "Ny lagerhal bag fabrikken.")

    page.locator("#krav-matrikel").fill("12a Odense Bygrænse")
    page.locator("#krav-etageareal").fill("ca. 600 m2")
    page.get_by_role("button", name="Næste").click()

    # The refused value as typed, with its error; the valid one kept.
    expect(page.locator("#krav-etageareal")).to_have_value("ca. 600 m2")
    expect(page.locator("#krav-etageareal")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("»Etageareal i m²« skal besvares med et tal.").first).to_be_visible()
    expect(page.locator("#krav-matrikel")).to_have_value("12a Odense Bygrænse")
    box = page.locator("#mangler")
    expect(box).not_to_contain_text("Matrikelnummer")
    expect(box.get_by_role("listitem").filter(has_text="Etageareal")).to_contain_text(
        "svaret skal rettes"
    )
    screenshot(page, "inquiry-step2-refused-answer")

    # Stored, not only shown: a reload (or coming back later) still has it.
    page.reload()
    expect(page.locator("#krav-matrikel")).to_have_value("12a Odense Bygrænse")
    draft = InquiryDraft.objects.get()
    assert draft.data["answers"] == {"matrikel": "12a Odense Bygrænse"}

    # Corrected, the step goes on.
    page.locator("#krav-etageareal").fill("600")
    page.get_by_role("button", name="Næste").click()
    expect(page).to_have_url(re.compile(r"/trin/3/$"))
    draft.refresh_from_db()
    assert draft.data["answers"] == {"matrikel": "12a Odense Bygrænse", "etageareal": 600}


def test_the_live_check_keeps_the_valid_answers_beside_a_refused_one(
    page, log_in, owner, owner_password, catalogue
):
    log_in(owner.username, owner_password)
    start_inquiry(page)
    choose_matters(page, BUILDING, "Ny lagerhal bag fabrikken.")
    box = page.locator("#mangler")
    expect(box).to_contain_text("Matrikelnummer")

    page.locator("#krav-matrikel").fill("12a Odense Bygrænse")
    page.locator("#krav-etageareal").fill("ca. 600 m2")
    page.locator("#krav-etageareal").blur()

    # The box, updated in place, lists only what the page does not hold yet.
    expect(box.get_by_role("listitem").filter(has_text="Etageareal")).to_contain_text(
        "svaret skal rettes"
    )
    expect(box).not_to_contain_text("Matrikelnummer")
    expect(box).to_contain_text("Tegninger")
