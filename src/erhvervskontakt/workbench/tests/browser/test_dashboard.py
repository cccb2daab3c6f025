"""The promise dashboard in a real browser: tiles, charts, a figure's cases, the filter."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.surveys import services as survey_services
from erhvervskontakt.surveys.services import questions_seed_defaults
from erhvervskontakt.testing.browser import DESKTOP, MOBILE

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_head_of_unit_reads_the_dashboard_and_opens_the_cases_behind_a_figure(
    staff_login, screenshot, make_case, karen, lars
):
    questions_seed_defaults()
    answered = []
    for score in ("5", "4", "2"):
        case = case_record_decision(
            case=make_case(screen=True), actor=karen, summary="Tilladelse givet."
        )
        _invitation, token = survey_services.invitation_create(case=case)
        survey_services.response_submit(token=token, answers={"overall": score})
        answered.append(case)
    waiting = make_case(screen=True)
    page = staff_login(lars)

    page.goto("/medarbejder/")
    page.get_by_role("link", name="Målinger").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Løfter og tilfredshed")
    expect(page.locator("svg.ek-chart").first).to_be_visible()
    satisfied = page.locator(".ek-tile").filter(has_text="Tilfredse virksomheder")
    expect(satisfied).to_contain_text("67 % (2 af 3)")
    screenshot(page, "dashboard")

    page.locator(".ek-tile").filter(has_text="Åbne sager nu").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sagerne bag tallet")
    expect(page.get_by_role("link", name=waiting.reference)).to_be_visible()
    for case in answered:
        expect(page.get_by_role("link", name=case.reference)).to_have_count(0)
    screenshot(page, "dashboard-cases")

    page.get_by_role("link", name="Tilbage til løfter og tilfredshed").click()
    page.get_by_label("Tovholder", exact=True).select_option("lars")
    page.get_by_role("button", name="Vis tal").click()
    expect(page.locator(".ek-tile").filter(has_text="Tilfredse virksomheder")).to_contain_text(
        "– (n = 0)"
    )


def test_each_tile_reads_as_a_verdict_on_a_desktop_and_a_phone(
    staff_login, screenshot, axe, make_case, karen, lars
):
    """The tile has the figure, its target, a verdict in words and its last 12 months; no
    list bullet, nothing cut off, at 1280 and at 390 px (issue 14, item 11)."""
    questions_seed_defaults()
    for score in ("5", "2"):
        case = case_record_decision(
            case=make_case(screen=True), actor=karen, summary="Tilladelse givet."
        )
        _invitation, token = survey_services.invitation_create(case=case)
        survey_services.response_submit(token=token, answers={"overall": score})
    page = staff_login(lars)
    found = {}
    for name, size in (("1280", DESKTOP), ("390", MOBILE)):
        page.set_viewport_size(size)
        page.goto("/medarbejder/maal/")
        satisfied = page.locator(".ek-tile").filter(has_text="Tilfredse virksomheder")
        expect(satisfied).to_contain_text("50 % (1 af 2)")
        expect(satisfied).to_contain_text("Mål: 80 %")
        expect(satisfied).to_contain_text("Under målet")
        expect(
            satisfied.get_by_role("img", name="Tilfredse virksomheder, de seneste 12 måneder")
        ).to_be_visible()
        expect(satisfied.locator("svg.ek-sparkline")).to_be_visible()
        tiles = page.locator(".ek-tile")
        for i in range(tiles.count()):
            tile = tiles.nth(i)
            # DKFDS's bullet (li::before "•") is gone.
            bullet = tile.evaluate("el => getComputedStyle(el, '::before').content")
            assert bullet in ("none", "normal", '""'), bullet
            # Nothing is cut off: no text is wider than its tile.
            clipped = tile.evaluate(
                "el => [...el.querySelectorAll('h2, p')].filter("
                "e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"
            )
            assert clipped == []
        # The bar charts' labels are written in full, never shortened with "…".
        labels = page.locator("svg.ek-chart text").all_text_contents()
        assert not [label for label in labels if label.endswith("…")]
        screenshot(page, f"dashboard-{name}")
        violations = axe(page)
        if violations:
            found[name] = violations
    assert found == {}
