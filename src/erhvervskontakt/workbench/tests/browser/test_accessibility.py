"""axe-core (WCAG 2.1 A and AA rules) on every workbench page, as a coordinator and as a
caseworker, in the states they meet them (empty, with rows, with a refusal shown); and the
keyboard alone: the skip link, Tab to the screening queue's main action, Enter on the inbox's
claim button (htmx, in place), focus always visible.

One tour per persona collects the findings of all pages, so a failure lists every page at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from erhvervskontakt.cases.models import Task
from erhvervskontakt.cases.services.material import requirement_mark_not_needed
from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.testing.keyboard import (
    FOCUSED,
    assert_focus_visible,
    by_text,
    describe,
    tab_to,
)

pytestmark = pytest.mark.django_db(transaction=True)


class Tour:
    """Visit pages and run axe on each; ``found`` maps a page to its violations."""

    def __init__(self, page: Any, axe: Callable[[Any], list[dict[str, Any]]]) -> None:
        self.page = page
        self.axe = axe
        self.found: dict[str, list[dict[str, Any]]] = {}
        self.visited: list[str] = []

    def check(self, name: str) -> None:
        expect(self.page.get_by_role("heading", level=1)).to_be_visible()
        self.visited.append(name)
        violations = self.axe(self.page)
        if violations:
            self.found[name] = violations

    def visit(self, name: str, path: str, *, status: int = 200) -> None:
        response = self.page.goto(path)
        assert response.status == status, f"{name}: {path} answered {response.status}"
        self.check(name)

    def assert_clean(self) -> None:
        assert not self.found, "WCAG 2.1 A/AA violations:\n" + json.dumps(
            self.found, indent=2, ensure_ascii=False
        )


@pytest.fixture
def cases(make_case, building_case, karen, owner):
    """A received inquiry, a screened building case with a history, and one still missing
    its drawings."""
    received = make_case()
    screened = building_case(screen=True)
    requirement_mark_not_needed(
        case=screened, actor=karen, requirement_key="tegninger", reason="Findes i arkivet"
    )
    case_message_post(case=screened, actor=karen, body="Ring til brand", internal=True)
    case_message_post(case=screened, actor=owner, body="Hvornår hører vi noget?")
    waiting = building_case(screen=True)
    return {"received": received, "screened": screened, "waiting": waiting}


def test_no_workbench_page_has_accessibility_violations_for_a_coordinator(
    new_page, staff_login, axe, karen, lars, business, cases
):
    anonymous = Tour(new_page(), axe)
    anonymous.visit("login", "/medarbejder/log-ind/")
    anonymous.page.get_by_label("Brugernavn").fill("karen")
    anonymous.page.get_by_label("Adgangskode").fill("forkert")
    anonymous.page.get_by_role("button", name="Log på").click()
    expect(anonymous.page.get_by_role("alert")).to_be_visible()
    anonymous.check("login with an error")
    anonymous.assert_clean()

    tour = Tour(staff_login(karen), axe)
    screened, received = cases["screened"], cases["received"]
    tour.visit("home (screening queue)", "/medarbejder/")
    tour.visit("screening view", f"/medarbejder/screening/{received.reference}/")
    tour.visit("register", "/medarbejder/ny-henvendelse/")
    tour.page.get_by_role("button", name="Registrér henvendelsen").click()
    expect(tour.page.get_by_role("alert").first).to_be_visible()
    tour.check("register with errors")
    tour.visit("my cases", "/medarbejder/mine-sager/")
    tour.visit("inbox (no department)", "/medarbejder/afdeling/")
    tour.visit("search", "/medarbejder/soeg/")
    tour.visit("search with results", "/medarbejder/soeg/?q=borde")
    tour.visit("case view", f"/medarbejder/sager/{screened.reference}/")
    tour.visit(
        "case view, awaiting the business", f"/medarbejder/sager/{cases['waiting'].reference}/"
    )
    tour.visit("case view, received", f"/medarbejder/sager/{received.reference}/")
    # A refusal shown in place (htmx): a new deliverable without a title.
    tour.page.goto(f"/medarbejder/sager/{screened.reference}/")
    tour.page.get_by_text("Tilføj leverance").click()
    tour.page.get_by_role("button", name="Tilføj", exact=True).click()
    expect(tour.page.locator("#new-title")).to_have_attribute("aria-invalid", "true")
    tour.check("case view with a refusal in the plan")
    tour.visit("business view", f"/medarbejder/virksomheder/{business.cvr}/")
    tour.visit("promise dashboard", "/medarbejder/maal/")
    tour.visit("promise dashboard, bad filter", "/medarbejder/maal/?fra=x", status=422)
    tour.visit("cases behind a figure", "/medarbejder/maal/sager/?tal=screening.due")
    tour.visit("survey comments", "/medarbejder/tilfredshed/")
    tour.page.get_by_role("button", name="English").click()
    expect(tour.page.locator("html")).to_have_attribute("lang", "en")
    tour.visit("case view (English)", f"/medarbejder/sager/{screened.reference}/")

    assert len(tour.visited) == 18, tour.visited
    tour.assert_clean()

    # The check can fail: a control without a name on the same page is found.
    tour.page.evaluate(
        """() => document.querySelector("main").insertAdjacentHTML(
            "beforeend", "<button type='button'></button><input type='text'>")"""
    )
    assert {v["id"] for v in axe(tour.page)} >= {"button-name", "label"}


def test_no_workbench_page_has_accessibility_violations_for_a_caseworker(
    new_page, staff_login, axe, bodil, business, cases
):
    tour = Tour(staff_login(bodil), axe)
    screened = cases["screened"]
    tour.visit("home (inbox)", "/medarbejder/")
    tour.visit("screening queue (nothing for Byggeri)", "/medarbejder/screening/")
    tour.visit("screening view (already screened)", f"/medarbejder/screening/{screened.reference}/")
    # Only coordinators screen: the refused page.
    tour.page.evaluate(
        """() => {
            const form = document.createElement("form");
            form.method = "post";
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").cloneNode();
            form.appendChild(token);
            document.body.appendChild(form);
            form.submit();
        }"""
    )
    expect(tour.page.get_by_role("heading", level=1)).to_have_text("Ingen adgang")
    tour.check("refused")
    tour.visit("register", "/medarbejder/ny-henvendelse/")
    tour.visit("my cases (none)", "/medarbejder/mine-sager/")
    tour.visit("inbox", "/medarbejder/afdeling/")
    tour.page.get_by_role("button", name="Tag opgaven").first.click()
    expect(tour.page.locator("#wb-toasts")).to_contain_text("Du har taget opgaven.")
    tour.check("inbox after a claim in place")
    # On a phone the menu is a drawer that the Menu button opens (reflow, WCAG 1.4.10).
    tour.page.set_viewport_size({"width": 390, "height": 844})
    tour.visit("inbox (mobile)", "/medarbejder/afdeling/")
    tour.page.get_by_role("button", name="Menu").click()
    expect(tour.page.locator("#mobile-menu").get_by_role("link", name="Søg")).to_be_visible()
    tour.check("inbox (mobile, menu open)")
    tour.page.set_viewport_size({"width": 1280, "height": 900})
    tour.visit("search with results", "/medarbejder/soeg/?q=borde")
    tour.visit("case view", f"/medarbejder/sager/{screened.reference}/")
    tour.visit("business view", f"/medarbejder/virksomheder/{business.cvr}/")
    tour.visit(
        "case out of sight (404)", f"/medarbejder/sager/{cases['received'].reference}/", status=404
    )
    tour.visit("promise dashboard", "/medarbejder/maal/")
    tour.visit("cases behind a figure", "/medarbejder/maal/sager/?tal=backlog.open")
    tour.visit("survey comments", "/medarbejder/tilfredshed/")
    tour.visit("dashboard for one department", "/medarbejder/maal/?afdeling=byggeri")

    assert len(tour.visited) == 18, tour.visited
    tour.assert_clean()


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(FOCUSED)


def test_the_keyboard_reaches_the_screening_queue_s_main_action_from_the_skip_link(
    staff_login, karen, cases
):
    page = staff_login(karen)
    page.goto("/medarbejder/screening/")

    page.keyboard.press("Tab")
    first = focused(page)
    assert (first["tag"], first["href"]) == ("a", "#main-content"), describe(first)
    expect(page.locator("a.skipnav")).to_be_in_viewport()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"

    # The first stop in <main> is the most urgent inquiry: open it for screening.
    reference = cases["received"].reference
    link = tab_to(page, by_text(reference), limit=3)
    assert link["href"] == f"/medarbejder/screening/{reference}/"
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Screening af {reference}")


def test_the_inbox_claim_button_works_with_enter_in_place_and_focus_stays_visible(
    staff_login, bodil, cases
):
    task = cases["screened"].tasks.get()
    page = staff_login(bodil)
    page.goto("/medarbejder/afdeling/")
    page.evaluate("() => { window.stillTheSamePage = true; }")

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    claim = tab_to(page, lambda info: info["id"] == f"opgave-{task.pk}-tag")
    assert claim["text"].startswith("Tag opgaven")
    assert_focus_visible(page)
    page.keyboard.press("Enter")

    row = page.locator(f"#opgave-{task.pk}")
    expect(row).to_contain_text("I gang – Bodil Bach")
    expect(page.locator("#wb-toasts")).to_contain_text("Du har taget opgaven.")
    assert page.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded"
    # The task is hers now, so the claim button is gone: focus is on the row's status line,
    # and visible.
    expect(page.locator(f"#opgave-{task.pk}-tag")).to_have_count(0)
    expect(page.locator(f"#opgave-{task.pk}-status")).to_be_focused()
    assert_focus_visible(page)
    # The next Tab goes on from there, to the row's next action.
    page.keyboard.press("Tab")
    assert focused(page)["id"] == f"opgave-{task.pk}-faerdig"
    assert_focus_visible(page)
    claimed = Task.objects.get(pk=task.pk)
    assert (claimed.assignee, claimed.status) == (bodil, Task.Status.IN_PROGRESS)
    assert re.search(r"\d", str(claimed.version))
