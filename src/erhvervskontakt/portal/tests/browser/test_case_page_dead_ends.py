"""In real Chromium: no dead ends on the case page. A refused message ends at the case's own
address with the error and the typed text (with JavaScript and without), and a reload shows
the page afresh instead of 405; an action's address opened directly goes to its place on the
page. A booked inspection visit shows its time window and whom the business meets, with the
inspector's title, phone and e-mail. axe-core (WCAG 2.1 A/AA): no serious or critical
violations."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from erhvervskontakt.businesses.services import production_unit_register
from erhvervskontakt.calendar.selectors import add_working_days
from erhvervskontakt.cases.models import Message
from erhvervskontakt.cases.services.messages import MAX_MESSAGE
from erhvervskontakt.common import clock
from erhvervskontakt.inspections.services.visits import visit_create, visit_offer_slots
from erhvervskontakt.testing.browser import DESKTOP, MOBILE
from erhvervskontakt.testing.catalogue import ensure_inspection_service_type
from erhvervskontakt.testing.journey import log_in

pytestmark = pytest.mark.django_db(transaction=True)

TOO_LONG = "Hvornår kommer I ud og ser på hallen? " + "x" * MAX_MESSAGE
WEEKDAYS = "mandag|tirsdag|onsdag|torsdag|fredag"


@pytest.fixture
def no_js_page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
        java_script_enabled=False,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _refuse_a_message(page: Any, case_url: str) -> None:
    page.goto(case_url)
    page.get_by_label("Skriv til jeres tovholder").fill(TOO_LONG)
    page.get_by_role("button", name="Send besked").click()

    expect(page).to_have_url(re.compile(rf"{re.escape(case_url)}$"))
    expect(page.get_by_role("alert")).to_contain_text(f"Beskeden må højst være {MAX_MESSAGE} tegn.")
    expect(page.get_by_label("Skriv til jeres tovholder")).to_have_value(TOO_LONG)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_refused_message_ends_at_the_case_page_and_a_reload_is_no_dead_end(
    page, no_js_page, axe, screenshot, owner, owner_password, make_case, javascript
):
    browser_page = page if javascript else no_js_page
    case = make_case(
        service_types=["byggetilladelse-erhverv"],
        answers={"matrikel": "12a", "etageareal": 400},
        screen=True,
    )
    case_url = f"/sager/{case.reference}/"
    log_in(browser_page, owner.username, owner_password)

    _refuse_a_message(browser_page, case_url)
    found = axe(browser_page) if javascript else []
    if javascript:
        screenshot(browser_page, "portal-case-message-refused")
        browser_page.set_viewport_size(MOBILE)
        found += axe(browser_page)
        screenshot(browser_page, "portal-case-message-refused-390")
        browser_page.set_viewport_size(DESKTOP)
    assert not Message.objects.filter(case=case).exists()

    response = browser_page.reload()
    assert response is not None and response.status == 200
    expect(browser_page.get_by_role("alert")).to_have_count(0)
    expect(browser_page.get_by_label("Skriv til jeres tovholder")).to_have_value("")

    # The action's own address, opened (a bookmark, a login's ?next=): its place on the page.
    response = browser_page.goto(f"{case_url}besked/")
    assert response is not None and response.status == 200
    expect(browser_page).to_have_url(re.compile(rf"{re.escape(case_url)}#beskeder$"))

    browser_page.get_by_label("Skriv til jeres tovholder").fill("Tak, vi venter.")
    browser_page.get_by_role("button", name="Send besked").click()
    expect(browser_page.get_by_text("Jeres besked er sendt.")).to_be_visible()
    assert found == [], json.dumps(found, indent=2, ensure_ascii=False)


def test_a_booked_visit_shows_its_window_and_the_inspector_s_contact_details(
    page, axe, screenshot, owner, owner_password, business, catalogue, karen
):
    karen.title = "Miljømedarbejder"
    karen.email = "karen.kofoed@kommune.dk"
    karen.phone = "+45 65 51 12 34"
    karen.save(update_fields=["title", "email", "phone"])
    ensure_inspection_service_type()
    unit = production_unit_register(
        business=business,
        p_number="1012345678",
        name="Værkstedet Vestergade",
        address="Vestergade 10, 5000 Odense C",
        actor=karen,
    )
    visit = visit_create(
        unit=unit, actor=karen, kind="basic", focus="Oplag af olie.", inspector=karen
    )
    day = add_working_days(clock.today(), 10)
    start = dt.datetime.combine(day, dt.time(9), tzinfo=clock.local_tz())
    visit = visit_offer_slots(
        visit=visit, actor=karen, slots=[(start, start + dt.timedelta(hours=2))]
    )

    log_in(page, owner.username, owner_password)
    page.goto(f"/sager/{visit.case.reference}/")
    page.get_by_role("group", name="Vælg et tidspunkt for besøget").get_by_role("radio").check()
    page.get_by_role("button", name="Vælg tidspunkt").click()

    expect(
        page.get_by_text(re.compile(r"^Tak\. Besøget er aftalt til .+ kl\. 09\.00–11\.00\.$"))
    ).to_be_visible()
    section = page.get_by_role("region", name="Tilsynsbesøg")
    window = re.compile(
        rf"Besøget er aftalt til ({WEEKDAYS}) den {day.day}\. .+ kl\. 09\.00–11\.00\."
    )
    expect(section.get_by_text(window)).to_be_visible()
    inspector = section.get_by_role("row", name=re.compile("^Tilsynsførende"))
    expect(inspector).to_contain_text("Karen Kofoed")
    expect(inspector).to_contain_text("Miljømedarbejder")
    expect(inspector.get_by_role("link", name="karen.kofoed@kommune.dk")).to_have_attribute(
        "href", "mailto:karen.kofoed@kommune.dk"
    )
    expect(inspector.get_by_role("link", name="+45 65 51 12 34")).to_have_attribute(
        "href", "tel:+4565511234"
    )
    found = {"booked": axe(page)}
    screenshot(page, "portal-inspection-visit-window")
    page.set_viewport_size(MOBILE)
    # On a phone the facts stack (nothing of the window or the contact details cut off).
    cut_off = page.evaluate(
        """() => [...document.querySelectorAll('.visit-facts th, .visit-facts td, .visit-facts a')]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map((el) => el.textContent.trim())"""
    )
    assert cut_off == []
    found["booked (390 px)"] = axe(page)
    screenshot(page, "portal-inspection-visit-window-390")
    page.set_viewport_size(DESKTOP)
    assert not any(found.values()), json.dumps(found, indent=2, ensure_ascii=False)
