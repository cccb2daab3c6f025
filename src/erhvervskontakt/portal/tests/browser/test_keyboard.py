"""The new-inquiry flow with the keyboard alone: Tab, Shift+Tab, Space, Enter and typing —
no mouse clicks, no filling of fields by script. Reading ``document.activeElement`` is the
test's only look behind the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from erhvervskontakt.cases.models import Case
from erhvervskontakt.testing.journey import ANSWERS, DESCRIPTION
from erhvervskontakt.testing.keyboard import (
    assert_focus_visible,
    by_id,
    by_text,
    describe,
    focused,
    tab_to,
    type_into,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_keyboard_alone_brings_an_inquiry_from_the_front_page_to_the_receipt(
    page, owner, owner_password, catalogue
):
    # Log in with the keyboard too.
    page.goto("/log-ind/")
    type_into(page, "brugernavn", owner.username)
    type_into(page, "adgangskode", owner_password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine sager")

    page.goto("/")
    # The skip link is the first tab stop; it is visible then and moves focus to <main>.
    page.keyboard.press("Tab")
    first = focused(page)
    assert (first["tag"], first["href"]) == ("a", "#main-content"), describe(first)
    assert first["text"] == "Gå til sidens indhold"
    expect(page.locator("a.skipnav")).to_be_in_viewport()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"

    # From <main>, the next stops are the page's own content: the call to action.
    link = tab_to(page, by_text("Ny henvendelse"), limit=3)
    assert link["href"] == "/henvendelse/ny/"
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/henvendelse/ny/$"))

    tab_to(page, by_text("Start ny henvendelse"))
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/henvendelse/\d+/trin/1/$"))

    # Step 1: two matters ticked with Space, the plan typed, Enter on "Næste".
    for code in ("ydelser", "ydelse-udeservering"):
        tab_to(page, by_id(code))
        assert_focus_visible(page)
        page.keyboard.press("Space")
        assert focused(page)["checked"], code
    type_into(page, "beskrivelse", DESCRIPTION)
    tab_to(page, by_text("Næste"))
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/henvendelse/\d+/trin/2/$"))

    # Step 2: the questions of both matters; Shift+Tab goes back to correct an answer.
    type_into(page, "krav-matrikel", ANSWERS["matrikel"])
    type_into(page, "krav-etageareal", "85")
    type_into(page, "krav-areal", ANSWERS["areal"])
    tab_to(page, by_id("krav-etageareal"), back=True, limit=5)
    assert_focus_visible(page)
    page.keyboard.press("End")
    page.keyboard.type("0")
    assert focused(page)["value"] == ANSWERS["etageareal"]
    tab_to(page, by_text("Næste"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/henvendelse/\d+/trin/3/$"))

    # Step 3: past the upload fields (the drawings come later) to "Næste".
    tab_to(page, by_id("krav-tegninger"))
    assert_focus_visible(page)
    tab_to(page, by_text("Næste"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/henvendelse/\d+/trin/4/$"))

    # Step 4: review and send.
    tab_to(page, by_text("Send henvendelsen"))
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/sager/[^/]+/kvittering/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tak – vi har modtaget jeres henvendelse"
    )

    case = Case.objects.get()
    assert sorted(case.service_types.values_list("code", flat=True)) == [
        "byggetilladelse-erhverv",
        "udeservering",
    ]
    assert {a.key: a.value for a in case.answers.all()} == {
        "matrikel": "12a Odense Bygrænse",
        "etageareal": 850,
        "areal": 12,
    }
    assert case.description == DESCRIPTION
