"""axe-core (WCAG 2.1 A and AA rules) on every portal page, in the states a business owner
meets them: no serious or critical violations anywhere.

One tour collects the findings of all pages, so a failure lists every page at once.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.testing.browser import DESKTOP, MOBILE
from erhvervskontakt.testing.journey import (
    answer_questions,
    choose_matters,
    log_in,
    next_step,
    start_inquiry,
    submit_on_review,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_no_page_of_the_portal_has_serious_or_critical_accessibility_violations(
    page, axe, owner, owner_password, catalogue, karen
):
    found: dict[str, list[dict[str, Any]]] = {}
    visited: list[str] = []

    def check(name: str) -> None:
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        visited.append(name)
        violations = axe(page)
        if violations:
            found[name] = violations

    def visit(name: str, path: str, *, status: int = 200) -> None:
        response = page.goto(path)
        assert response.status == status, f"{name}: {path} answered {response.status}"
        check(name)

    # Anyone.
    visit("front", "/")
    page.set_viewport_size(MOBILE)
    visit("front (mobile)", "/")
    page.set_viewport_size(DESKTOP)
    visit("login", "/log-ind/")
    page.get_by_role("button", name="Log på", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Der er problemer")
    check("login with errors")
    visit("accessibility statement", "/tilgaengelighed/")
    visit("privacy", "/privatliv/")
    visit("404 (anonymous)", "/findes-ikke/", status=404)

    # The business owner, through a new inquiry.
    log_in(page, owner.username, owner_password)
    check("my cases (empty)")
    visit("new inquiry", "/henvendelse/ny/")
    start_inquiry(page)
    check("step 1")
    page.get_by_role("button", name="Næste").click()
    expect(page.get_by_role("alert")).to_contain_text("Der er problemer")
    check("step 1 with errors")
    choose_matters(page)
    check("step 2")
    page.locator("#krav-etageareal").fill("mange")
    page.get_by_role("button", name="Næste").click()
    expect(page.get_by_role("alert")).to_contain_text("Der er problemer")
    check("step 2 with errors")
    answer_questions(page)
    check("step 3")
    next_step(page, 4)
    check("step 4")
    reference = submit_on_review(page)
    check("receipt")

    visit("my cases", "/sager/")
    visit("case before screening", f"/sager/{reference}/")
    visit("withdraw confirmation", f"/sager/{reference}/traek-tilbage/")
    case_screen(case=Case.objects.get(reference=reference), actor=karen)
    visit("case after screening", f"/sager/{reference}/")
    page.set_viewport_size(MOBILE)
    visit("case after screening (mobile)", f"/sager/{reference}/")
    page.set_viewport_size(DESKTOP)
    page.locator("form.message-form").get_by_role("button", name="Send besked").click()
    expect(page.get_by_role("alert")).to_contain_text("Der er problemer")
    check("case with a message error")
    visit("404 (logged in)", "/sager/XX-0000-0000/", status=404)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    visit("case after screening (English)", f"/sager/{reference}/")

    assert len(visited) == 24, visited
    assert not found, "serious or critical WCAG 2.1 A/AA violations:\n" + json.dumps(
        found, indent=2, ensure_ascii=False
    )
