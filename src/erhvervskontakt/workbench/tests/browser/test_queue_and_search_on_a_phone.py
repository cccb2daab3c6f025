"""In real Chromium at 390 px: the screening queue stacks each row (DKFDS's responsive table),
so the countdown is on the screen, not cut off; a staff search with no hits says "0 sager
fundet" and what was searched for."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from erhvervskontakt.testing.browser import DESKTOP, MOBILE

pytestmark = pytest.mark.django_db(transaction=True)


def _overflows(page, selector: str) -> list[str]:
    """The texts of the elements matching ``selector`` that reach past the viewport."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map((el) => el.textContent.trim())""",
        selector,
    )


def test_the_screening_queue_shows_every_countdown_on_a_phone(
    staff_login, screenshot, axe, karen, building_case
):
    cases = [building_case() for _ in range(2)]
    page = staff_login(karen)
    page.goto("/medarbejder/screening/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Henvendelser til screening")
    screenshot(page, "screening-queue")

    page.set_viewport_size(MOBILE)
    for case in cases:
        row = page.get_by_role("row").filter(has_text=case.reference)
        countdown = row.locator(".wb-badge")
        expect(countdown).to_have_text("5 arbejdsdage")
        box = countdown.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= MOBILE["width"]
    # Nothing in the queue reaches past the screen (no sideways scroll to find the clock).
    assert _overflows(page, ".wb-screening-queue td, .wb-screening-queue .wb-badge") == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert [v for v in axe(page) if v["impact"] in ("serious", "critical")] == []
    screenshot(page, "screening-queue-390")
    page.set_viewport_size(DESKTOP)


def test_a_search_without_hits_says_0_sager_and_what_was_searched_for(
    staff_login, screenshot, axe, karen, building_case
):
    case = building_case()
    page = staff_login(karen)
    page.goto("/medarbejder/soeg/")
    search = page.get_by_role("search")

    search.get_by_role("searchbox").fill("vindmølle")
    search.get_by_role("button", name="Søg").click()
    expect(page.get_by_role("status")).to_have_text("0 sager fundet for »vindmølle«")
    expect(page.get_by_role("row")).to_have_count(0)
    assert [v for v in axe(page) if v["impact"] in ("serious", "critical")] == []
    screenshot(page, "search-no-hits")
    page.set_viewport_size(MOBILE)
    screenshot(page, "search-no-hits-390")
    page.set_viewport_size(DESKTOP)

    search.get_by_role("searchbox").fill(case.reference)
    search.get_by_role("button", name="Søg").click()
    expect(page.get_by_role("status")).to_have_text(f"1 sag fundet for »{case.reference}«")
