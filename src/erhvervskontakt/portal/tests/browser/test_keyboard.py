"""The new-inquiry flow with the keyboard alone: Tab, Shift+Tab, Space, Enter and typing —
no mouse clicks, no filling of fields by script. Reading ``document.activeElement`` is the
test's only look behind the page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from erhvervskontakt.cases.models import Case

from .journey import ANSWERS, DESCRIPTION

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED = """() => {
    const e = document.activeElement;
    return {
        tag: e.tagName.toLowerCase(), id: e.id || "", name: e.getAttribute("name") || "",
        type: e.getAttribute("type") || "", value: e.value === undefined ? "" : String(e.value),
        text: (e.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 60),
        checked: !!e.checked,
        href: e.getAttribute("href") || "",
    };
}"""

# A focus indicator on the element itself, or — for DKFDS's checkboxes and radios, where the
# real input is hidden — on the ::before box of its label that draws the control.
FOCUS_RING = """() => {
    const visible = (s) => (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0)
        || (s.boxShadow && s.boxShadow !== "none");
    const e = document.activeElement;
    const own = getComputedStyle(e);
    if (own.opacity !== "0" && own.visibility !== "hidden") return visible(own);
    const label = e.id && document.querySelector(`label[for="${e.id}"]`);
    return !!label && visible(getComputedStyle(label, "::before"));
}"""


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(FOCUSED)


def describe(info: dict[str, Any]) -> str:
    return f"{info['tag']}#{info['id']}[{info['name']}] {info['text']!r}"


def tab_to(
    page: Any, wanted: Callable[[dict[str, Any]], bool], *, limit: int = 60, back: bool = False
) -> dict[str, Any]:
    """Press Tab (or Shift+Tab) until the focused element is the wanted one."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        info = focused(page)
        if wanted(info):
            return info
        seen.append(describe(info))
    raise AssertionError("never reached; focus went through:\n" + "\n".join(seen))


def by_id(element_id: str) -> Callable[[dict[str, Any]], bool]:
    return lambda info: info["id"] == element_id


def by_text(text: str) -> Callable[[dict[str, Any]], bool]:
    return lambda info: info["text"] == text


def assert_focus_visible(page: Any) -> None:
    assert page.evaluate(FOCUS_RING), f"no visible focus on {describe(focused(page))}"


def type_into(page: Any, element_id: str, text: str) -> None:
    tab_to(page, by_id(element_id))
    assert_focus_visible(page)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


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
