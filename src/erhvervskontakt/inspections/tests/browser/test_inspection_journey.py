"""An inspector in a real browser: from the menu to the register, a risk assessment with its
score, next year's plan computed and one item moved with a reason; axe (WCAG 2.1 AA) on each
page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from erhvervskontakt.inspections.models import PlanAdjustment, PlanItem, RiskAssessment

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_inspector_assesses_a_unit_and_adjusts_the_plan(
    register, karen, staff_login, axe, screenshot
):
    unit = register("1a", scores=None, name="Galvaniseringen")
    register("2", scores=(1, 1, 1, 1, 1), name="Snedkeriet", done=(("2024-05-01", "basic"),))
    page = staff_login(karen)
    found = {}

    page.get_by_role("link", name="Miljøtilsyn").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilsynsregister")
    found["register"] = axe(page)
    page.get_by_role("link", name=unit.p_number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Galvaniseringen")

    # A first attempt without justifications is refused beside the fields.
    page.get_by_role("button", name="Gem risikovurdering").click()
    expect(
        page.get_by_text("Giv parameter A (miljøledelse) scoren 1, 3 eller 5.").first
    ).to_be_visible()
    found["unit refused"] = axe(page)
    for key, score in zip("abcde", (5, 5, 5, 3, 3), strict=True):
        page.locator(f"#{key}-{score}").check()
        page.locator(f"#{key}_reason").fill(f"Vurdering af {key.upper()}")
    page.get_by_role("button", name="Gem risikovurdering").click()
    expect(page.get_by_text("Risikovurderingen er gemt: score 4,33.")).to_be_visible()
    expect(page.get_by_text("Hvert år", exact=True)).to_be_visible()
    found["unit"] = axe(page)
    assert str(RiskAssessment.objects.get(unit=unit).score) == "4.33"

    page.goto("/medarbejder/tilsyn/plan/2027/")
    page.get_by_role("button", name="Beregn forslag").click()
    expect(
        page.get_by_text("Kategori 1a uden risikovurdering")
        .or_(page.get_by_text("Kategori 1a med score 4,33 > 3,6: tilsyn hvert år"))
        .first
    ).to_be_visible()
    found["plan"] = axe(page)
    item = PlanItem.objects.get(unit=unit)
    row = page.locator(f"#item-{item.pk}")
    row.get_by_text("Flyt eller fjern").click()
    row.get_by_label("Måned").select_option("9")
    row.get_by_label("Begrundelse").fill("Virksomheden holder sommerferie")
    row.get_by_role("button", name="Flyt").click()
    expect(page.get_by_text("Tilsynet er flyttet.")).to_be_visible()
    expect(page.get_by_text("Begrundelse: Virksomheden holder sommerferie")).to_be_visible()
    screenshot(page, "inspection-plan")
    assert PlanItem.objects.get(unit=unit).month == 9
    assert PlanAdjustment.objects.get().reason == "Virksomheden holder sommerferie"
    assert {name: v for name, v in found.items() if v} == {}
