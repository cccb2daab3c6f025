"""The Content-Security-Policy in real Chromium: walking the main pages of the portal, the
public pages and the workbench, with htmx doing its in-place work and DKFDS its components,
the browser blocks nothing and logs no error — and it would say so if it did."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case, Task
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.testing.browser import MOBILE
from erhvervskontakt.testing.journey import (
    PASSWORD,
    answer_questions,
    choose_matters,
    drawings_pdf,
    log_in,
    next_step,
    start_inquiry,
    submit_on_review,
    upload_missing_document,
)
from erhvervskontakt.testing.staff_browser import STAFF_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# Runs in every document before its own scripts: hands each violation the browser reports to
# the test (Playwright's init scripts and bindings are not subject to the page's policy).
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation({
    page: location.pathname,
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile + ":" + event.lineNumber,
    sample: event.sample,
  });
});
"""


class Watch:
    """What the browser blocked or complained about on a page, across its navigations."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.violations: list[dict[str, Any]] = []
        self.errors: list[str] = []
        self.policies: dict[str, str] = {}
        page.expose_binding("reportViolation", lambda _source, v: self.violations.append(v))
        page.add_init_script(LISTEN)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"{message.location.get('url', '')}: {message.text}")

    def _response(self, response: Any) -> None:
        if response.request.resource_type == "document":
            policy = response.headers.get("content-security-policy", "")
            self.policies[response.url] = policy

    def assert_clean(self) -> None:
        self.page.wait_for_timeout(300)  # violation events are queued as tasks
        assert self.violations == []
        assert self.errors == []
        assert self.policies, "no page was loaded"
        for url, policy in self.policies.items():
            script_src = re.search(r"script-src ([^;]*)", policy)
            assert script_src, f"{url} has no script-src in its policy: {policy!r}"
            assert "unsafe-inline" not in script_src.group(1), url
            assert "unsafe-eval" not in script_src.group(1), url
            assert "frame-ancestors 'none'" in policy, url


@pytest.fixture
def watched(page: Any) -> Watch:
    return Watch(page)


@pytest.fixture
def staff_page(new_page: Callable[[], Any]) -> Callable[[User], Watch]:
    """A watched page, logged in through the workbench form (so the login page is walked)."""

    def make(user: User) -> Watch:
        user.set_password(STAFF_PASSWORD)
        user.save(update_fields=["password"])
        watch = Watch(new_page())
        page = watch.page
        page.goto("/medarbejder/log-ind/")
        page.get_by_label("Brugernavn").fill(user.username)
        page.get_by_label("Adgangskode").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Log på").click()
        page.wait_for_url("**/medarbejder/**")
        return watch

    return make


@pytest.fixture
def building_case(catalogue: dict[str, Any], owner: User, business: Business) -> Callable[[], Case]:
    def make() -> Case:
        return inquiry_submit(
            actor=owner,
            cvr=business.cvr,
            service_types=["byggetilladelse-erhverv"],
            description="Ny lagerhal bag fabrikken.",
            contact={"name": "Eva Ejer", "email": "eva@fynsk.dk", "phone": "+45 12 34 56 78"},
            answers={"matrikel": "12a", "etageareal": 400},
        )

    return make


def test_the_watch_sees_a_blocked_inline_style_and_script(watched: Watch) -> None:
    """The check below can fail: markup with inline style and script is refused and seen."""
    page = watched.page
    page.goto("/")
    page.evaluate(
        """() => document.body.insertAdjacentHTML("beforeend",
             '<p style="color: red">x</p><img src="/nothing" onerror="window.ran = true">')"""
    )
    page.wait_for_timeout(300)

    directives = {v["directive"] for v in watched.violations}
    assert "style-src-attr" in directives and "script-src-attr" in directives
    assert page.evaluate("() => window.ran === undefined")


def test_the_business_owner_s_pages_work_under_the_policy(
    watched: Watch, owner: User, catalogue: dict[str, Any], karen: User, tmp_path: Any
) -> None:
    owner.set_password(PASSWORD)
    owner.save(update_fields=["password"])
    page = watched.page

    page.goto("/")
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))  # site-head.js ran
    log_in(page, owner.username)

    # Step 1: the catalogue filter (site.js) narrows the list as one types.
    start_inquiry(page)
    page.locator("#ydelse-soeg").fill("udeservering")
    expect(page.locator("#ydelse-soeg-status")).to_contain_text("passer til søgningen")
    page.locator("#ydelse-soeg").fill("")
    choose_matters(page)

    # Step 2: htmx's live check updates the box of what is still missing, in place.
    box = page.locator("#mangler")
    expect(box).to_contain_text("Matrikelnummer")
    page.evaluate("() => { window.samePage = true; }")
    page.locator("#krav-matrikel").fill("12a Odense Bygrænse")
    page.locator("#krav-matrikel").blur()
    expect(box).not_to_contain_text("Matrikelnummer")
    assert page.evaluate("() => window.samePage === true")
    answer_questions(page)
    next_step(page, 4)
    reference = submit_on_review(page)

    # The case page: a missing document sent from its own form, swapped in place by htmx.
    case_screen(case=Case.objects.get(reference=reference), actor=karen)
    page.goto(f"/sager/{reference}/")
    page.evaluate("() => { window.samePage = true; }")
    upload_missing_document(page, "tegninger", drawings_pdf(tmp_path))
    expect(page.get_by_role("status").filter(has_text="Vi har modtaget dokumentet")).to_be_visible()
    assert page.evaluate("() => window.samePage === true")

    # The language switch (a plain form post, allowed by form-action 'self').
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    watched.assert_clean()


def test_the_public_pages_and_the_api_docs_work_under_the_policy(watched: Watch, db: None) -> None:
    page = watched.page

    page.goto("/sagsbehandlingstider/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_be_visible()  # Swagger UI rendered

    watched.assert_clean()


def test_the_workbench_s_pages_work_under_the_policy(
    staff_page: Callable[[User], Watch],
    karen: User,
    lars: User,
    bodil: User,
    building_case: Callable[[], Case],
) -> None:
    case = building_case()
    coordinator = staff_page(karen)
    page = coordinator.page

    # Screening: "Tilføj linje" fetches a new plan line with htmx, then the screening is confirmed.
    page.goto(f"/medarbejder/screening/{case.reference}/")
    page.evaluate("() => { window.samePage = true; }")
    page.get_by_role("button", name="Tilføj linje").click()
    expect(page.get_by_role("group", name="Ny linje")).to_have_count(2)
    assert page.evaluate("() => window.samePage === true")
    page.get_by_role("button", name="Bekræft screening").click()
    expect(page.get_by_text("er screenet; virksomheden kan se resultatet nu")).to_be_visible()
    coordinator.assert_clean()

    # The case page: the caseworker takes the task on its card, in place.
    caseworker = staff_page(bodil)
    page = caseworker.page
    task = Task.objects.get(case=case)
    page.goto(f"/medarbejder/sager/{case.reference}/")
    page.evaluate("() => { window.samePage = true; }")
    page.locator(f"#opgave-{task.pk}-tag").click()
    expect(page.locator(f"#opgave-{task.pk}")).to_contain_text("I gang – Bodil Bach")
    assert page.evaluate("() => window.samePage === true")
    # On a phone the menu is DKFDS's drawer, opened by its JavaScript.
    page.set_viewport_size(MOBILE)
    page.goto("/medarbejder/afdeling/")
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#mobile-menu").get_by_role("link", name="Søg")).to_be_visible()
    caseworker.assert_clean()

    # The dashboard with its charts (server-drawn SVG, sized by the style sheet).
    head = staff_page(lars)
    page = head.page
    page.goto("/medarbejder/")
    page.get_by_role("link", name="Målinger").first.click()
    chart = page.locator("svg.ek-chart").first
    expect(chart).to_be_visible()
    width = chart.evaluate("svg => svg.getBoundingClientRect().width")
    assert 0 < width <= int(chart.get_attribute("width") or 0)
    head.assert_clean()
