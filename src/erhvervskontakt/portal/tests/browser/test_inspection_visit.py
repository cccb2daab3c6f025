"""The business picks a time for its inspection visit in a real browser, then sees the visit's
findings, enforcement and report; the public list of reports. axe-core (WCAG 2.1 A/AA) on
each page, with no serious or critical violations."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from erhvervskontakt.businesses.services import production_unit_register
from erhvervskontakt.calendar.selectors import add_working_days
from erhvervskontakt.common import clock
from erhvervskontakt.inspections.models import Visit
from erhvervskontakt.inspections.services.carrying_out import (
    enforcement_add,
    finding_add,
    visit_mark_visited,
)
from erhvervskontakt.inspections.services.reporting import (
    visit_publish,
    visit_report_send,
    visit_report_update,
)
from erhvervskontakt.inspections.services.visits import visit_create, visit_offer_slots
from erhvervskontakt.testing.browser import MOBILE
from erhvervskontakt.testing.catalogue import ensure_inspection_service_type
from erhvervskontakt.testing.journey import log_in

pytestmark = pytest.mark.django_db(transaction=True)

FOCUS = "Oplag af olie og kemikalier i værkstedet."


def test_the_business_picks_a_time_and_later_reads_the_report(
    page, axe, screenshot, owner, owner_password, business, catalogue, karen
):
    ensure_inspection_service_type()
    unit = production_unit_register(
        business=business,
        p_number="1012345678",
        name="Værkstedet Vestergade",
        address="Vestergade 10, 5000 Odense C",
        actor=karen,
    )
    visit = visit_create(unit=unit, actor=karen, kind="basic", focus=FOCUS, inspector=karen)
    days = [add_working_days(clock.today(), n) for n in (10, 11)]
    slots = [
        (
            dt.datetime.combine(day, dt.time(9), tzinfo=clock.local_tz()),
            dt.datetime.combine(day, dt.time(11), tzinfo=clock.local_tz()),
        )
        for day in days
    ]
    visit = visit_offer_slots(visit=visit, actor=karen, slots=slots)
    reference = visit.case.reference
    found: dict[str, list[dict[str, Any]]] = {}

    log_in(page, owner.username, owner_password)
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Tilsynsbesøg – vælg et tidspunkt")
    found["my cases with a visit"] = axe(page)
    row.get_by_role("link", name="Vælg tidspunkt for tilsynsbesøget").click()

    expect(page.get_by_role("heading", name="Tilsynsbesøg")).to_be_visible()
    expect(page.get_by_text(FOCUS, exact=True)).to_be_visible()
    found["case page, times offered"] = axe(page)

    # Nothing chosen: refused with the DKFDS error summary, nothing changed.
    page.get_by_role("button", name="Vælg tidspunkt").click()
    expect(page.get_by_role("alert")).to_contain_text("Vælg et af tidspunkterne for besøget.")
    found["case page, no time chosen"] = axe(page)
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.OFFERED

    group = page.get_by_role("group", name="Vælg et tidspunkt for besøget")
    group.get_by_role("radio").nth(1).check()
    page.get_by_role("button", name="Vælg tidspunkt").click()

    expect(page.get_by_text(re.compile(r"^Tak\. Besøget er aftalt til"))).to_be_visible()
    expect(page.get_by_text("Tilsynsbesøg – tid aftalt").first).to_be_visible()
    booked = Visit.objects.get(pk=visit.pk)
    assert booked.status == Visit.Status.BOOKED
    assert booked.visit_at == slots[1][0]
    found["case page, booked"] = axe(page)
    screenshot(page, "portal-inspection-visit-booked")

    # After the visit (carried out today for the test) and the report.
    Visit.objects.filter(pk=visit.pk).update(visit_at=clock.now() - dt.timedelta(hours=3))
    visit = visit_mark_visited(
        visit=Visit.objects.get(pk=visit.pk), actor=karen, visited_on=clock.today(), physical=True
    )
    finding_add(visit=visit, actor=karen, kind="advice", text="Brug spildbakker under tromlerne.")
    finding_add(
        visit=visit,
        actor=karen,
        kind="agreement",
        text="Opsæt spildbakker",
        due_date=clock.today() + dt.timedelta(days=30),
    )
    enforcement_add(
        visit=visit,
        actor=karen,
        kind="order",
        text="Tæt afløbet i vaskehallen.",
        legal_basis="Miljøbeskyttelseslovens § 42",
        deadline=clock.today() + dt.timedelta(days=60),
    )
    visit = visit_report_update(
        visit=Visit.objects.get(pk=visit.pk),
        actor=karen,
        self_monitoring="I orden.",
        follows_up=True,
        conclusion="Afløbet skal tætnes.",
    )
    visit = visit_report_send(visit=visit, actor=karen)
    visit_publish(visit=Visit.objects.get(pk=visit.pk), actor=karen)

    page.goto(f"/sager/{reference}/")
    expect(page.get_by_role("heading", name="Påbud, forbud og indskærpelser")).to_be_visible()
    expect(page.get_by_text("Tæt afløbet i vaskehallen.", exact=True)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent tilsynsrapporten (PDF)").click()
    assert download.value.suggested_filename == f"Tilsynsrapport-{reference}.pdf"
    found["case page, reported"] = axe(page)
    page.set_viewport_size(MOBILE)
    found["case page, reported (mobile)"] = axe(page)
    screenshot(page, "portal-inspection-visit-reported-mobile")

    # The public list, logged out.
    page.context.clear_cookies()
    page.goto("/")
    page.get_by_role("link", name="Tilsynsrapporter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tilsynsrapporter")
    expect(page.get_by_role("row").filter(has_text="Værkstedet Vestergade")).to_contain_text(
        "Påbud"
    )
    found["public reports (mobile)"] = axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Søg efter virksomhed").fill("1012345678")
    page.get_by_role("button", name="Søg").click()
    expect(page.get_by_text("1 rapport matcher")).to_be_visible()
    found["public reports, searched"] = axe(page)
    screenshot(page, "public-inspection-reports")

    assert not any(found.values()), "serious or critical WCAG 2.1 A/AA violations:\n" + (
        json.dumps({k: v for k, v in found.items() if v}, indent=2, ensure_ascii=False)
    )
