"""The public page of processing times in Chromium: no serious or critical accessibility
violations (axe-core, WCAG 2.1 A/AA) at desktop and mobile width, in Danish and English,
with figures and without."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from erhvervskontakt.testing.browser import DESKTOP, MOBILE

from ..conftest import d

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _own_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


def test_the_page_is_accessible_with_and_without_figures(page, axe, screenshot, make_case, today):
    found = {}

    def visit(name: str) -> None:
        cache.clear()
        response = page.goto("/sagsbehandlingstider/")
        assert response.status == 200
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        violations = axe(page)
        if violations:
            found[name] = violations

    visit("empty")
    expect(page.get_by_role("table")).to_contain_text("Ingen sager endnu")
    for n in range(3):
        make_case(
            service_types=["byggetilladelse-erhverv"],
            received=d(9, 1),
            screened_on=d(9, 2),
            screening_working_days=1,
            answered_on=d(10, 1 + n),
            answer_working_days=20 + n,
            service_target_met=True,
        )
    visit("with figures")
    expect(page.get_by_role("row", name="Byggetilladelse til industri og lager")).to_contain_text(
        "100 % inden for 50 dage (n = 3)"
    )
    screenshot(page, "measures-processing-times-desktop")
    page.set_viewport_size(MOBILE)
    visit("with figures (mobile)")
    screenshot(page, "measures-processing-times-mobile")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Processing times")
    visit("English")

    assert found == {}


def test_on_a_phone_the_table_caption_reads_as_one_line_not_a_word_a_line(
    page, screenshot, make_case, today
):
    """At 390 px the rows stack (DKFDS responsive headers); the caption stayed a column as
    wide as its longest word (issue 14, item 14). Whole days there too (item 12)."""
    for n in range(2):
        make_case(
            service_types=["byggetilladelse-erhverv"],
            received=d(9, 1),
            screened_on=d(9, 2),
            screening_working_days=1,
            answered_on=d(10, 1 + n),
            answer_working_days=20 + n,
            service_target_met=True,
        )
    for name, size in (("1280", DESKTOP), ("390", MOBILE)):
        page.set_viewport_size(size)
        cache.clear()
        page.goto("/sagsbehandlingstider/")
        caption = page.locator("caption")
        expect(caption).to_have_text("Svartider pr. ydelse, de seneste 12 måneder")
        box = caption.bounding_box()
        line = caption.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
        assert box["height"] <= 2 * line + 1, (name, box, line)  # at most two lines
        row = page.get_by_role("row", name="Byggetilladelse til industri og lager")
        expect(row).to_contain_text("22 arbejdsdage")  # median 21,5 → 22, never "21,5"
        expect(row).not_to_contain_text(",")
        screenshot(page, f"processing-times-{name}")


def test_the_promises_kept_read_as_a_table_and_a_chart_in_both_languages(
    page, axe, screenshot, make_case, today
):
    """How well the promises held: the sentence with its interval, a row per service type,
    the chart of promised against actual with its text alternative; no axe violations."""
    for n, (promised, answered, deviation) in enumerate(
        [(d(10, 20), d(10, 16), -2), (d(10, 21), d(10, 21), 0), (d(11, 10), d(11, 12), 2)]
    ):
        make_case(
            service_types=["udeservering"],
            received=d(10, 1),
            screened_on=d(10, 2),
            screening_working_days=1,
            promised_answer_date=promised,
            estimate_at_screening=promised,
            estimate_basis={"basis": "history"},
            answered_on=answered,
            estimate_deviation_working_days=deviation,
            answer_working_days=10 + n,
        )
    found = {}
    for language in ("da", "en"):
        cache.clear()
        if language == "en":
            page.get_by_role("button", name="English").click()
        else:
            page.goto("/sagsbehandlingstider/")
        section = page.locator("#promises")
        expect(section).to_be_visible()
        table = page.locator("table:has(#promises-caption)")
        row = table.get_by_role("row", name="Udeservering")  # no English name in the catalogue
        expect(row).to_contain_text("2 af 3" if language == "da" else "2 of 3")
        chart = page.locator("svg[role=img]").filter(has=page.locator("title"))
        expect(chart.first).to_be_attached()
        violations = axe(page)
        if violations:
            found[language] = violations
        screenshot(page, f"processing-times-promises-{language}")
    assert found == {}
