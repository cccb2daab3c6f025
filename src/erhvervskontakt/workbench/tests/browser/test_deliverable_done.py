"""»Markér som udført« in the case view's delivery plan, in real Chromium: the line changes in
place (no reload), the status message is shown, focus lands on the plan, and the page stays
free of WCAG 2.1 A/AA violations."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from erhvervskontakt.cases.models import Deliverable
from erhvervskontakt.cases.services.plan import deliverable_add
from erhvervskontakt.common import clock

pytestmark = pytest.mark.django_db(transaction=True)
MARK = "() => { window.stillTheSamePage = true; }"
SAME = "() => window.stillTheSamePage === true"


def test_an_agreed_solution_is_marked_done_in_place(staff_login, screenshot, axe, karen, make_case):
    case = make_case(screen=True)
    line = deliverable_add(
        case=case,
        actor=karen,
        party="business",
        title="Spildbakke under olietønderne",
        due_date=clock.today() + dt.timedelta(days=20),
    )
    page = staff_login(karen)
    page.goto(f"/medarbejder/sager/{case.reference}/")
    page.evaluate(MARK)
    assert axe(page) == []

    row = page.locator(f"#leverance-{line.pk}")
    row.get_by_role("button", name="Markér som udført").click()

    expect(page.locator("#wb-toasts")).to_contain_text("Leverancen er markeret som udført.")
    row = page.locator(f"#leverance-{line.pk}")
    expect(row).to_contain_text("Leveret")
    expect(row.get_by_role("button", name="Markér som udført")).to_have_count(0)
    expect(page.locator("#tidslinje")).to_contain_text(
        "Leveret af virksomheden: Spildbakke under olietønderne."
    )
    expect(page.locator("#plan-heading")).to_be_focused()
    screenshot(page, "plan-line-marked-done-in-place")
    assert page.evaluate(SAME), "the page was reloaded"
    assert axe(page) == []
    assert Deliverable.objects.get(pk=line.pk).status == Deliverable.Status.DELIVERED
