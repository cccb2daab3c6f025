"""An inspection visit from first to last, in a real browser, with the inspector and the
business each in their own browser: the inspector creates the visit from the unit's page and
offers times; the business picks one in the portal; the inspector records the visit, the
dialogue (observation, advice, an agreed solution with a due date), an indskærpelse, the
report's fields, previews the PDF, sends the report and publishes it; the business sees the
report and the agreed solution in its delivery plan. axe-core (WCAG 2.1 A/AA, any impact) on
each staff page in each state."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from erhvervskontakt.calendar.selectors import add_working_days
from erhvervskontakt.common import clock
from erhvervskontakt.inspections.models import Enforcement, Finding, Visit
from erhvervskontakt.testing.catalogue import ensure_inspection_service_type
from erhvervskontakt.testing.journey import PASSWORD, log_in

pytestmark = pytest.mark.django_db(transaction=True)

FOCUS = "Oplag af olie og kemikalier, og hvordan spild samles op."
AGREED = "Spildbakke under olietønderne i gården"


def test_an_inspector_carries_a_visit_from_times_to_a_published_report(
    register, catalogue, karen, owner, staff_login, new_page, axe, screenshot
):
    ensure_inspection_service_type()
    unit = register("2", name="Lakeriet")
    owner.set_password(PASSWORD)
    owner.save(update_fields=["password"])
    found: dict[str, list[dict[str, Any]]] = {}
    first, second = (add_working_days(clock.today(), n) for n in (10, 11))
    due = clock.today() + dt.timedelta(days=30)

    # The inspector opens the visit from the unit's page.
    inspector = staff_login(karen)
    inspector.goto(f"/medarbejder/tilsyn/enheder/{unit.p_number}/")
    inspector.get_by_role("link", name="Opret tilsynsbesøg").click()
    expect(inspector.get_by_role("heading", level=1)).to_have_text("Opret tilsynsbesøg")
    inspector.get_by_role("button", name="Opret tilsynsbesøg").click()  # nothing filled in
    expect(inspector.get_by_text("Skriv, hvad tilsynet skal se på.").first).to_be_visible()
    found["new visit refused"] = axe(inspector)
    inspector.get_by_label("Type tilsyn").select_option(label="Basistilsyn")
    inspector.get_by_label("Det ser tilsynet på").fill(FOCUS)
    inspector.get_by_role("button", name="Opret tilsynsbesøg").click()
    expect(inspector.get_by_role("heading", level=1)).to_have_text("Tilsynsbesøg: Lakeriet")
    expect(inspector.get_by_text("Tilsynsbesøget er oprettet som sag")).to_be_visible()
    visit = Visit.objects.get(unit=unit)
    reference = visit.case.reference
    found["visit planned"] = axe(inspector)

    # Three rows to start with; "Tilføj tidspunkt" adds a fourth in place, focused.
    inspector.locator("#slot-0-date").fill(first.isoformat())
    inspector.locator("#slot-0-start").fill("09:00")
    inspector.locator("#slot-0-end").fill("11:00")
    inspector.locator("#slot-1-date").fill(second.isoformat())
    inspector.locator("#slot-1-start").fill("13:00")
    inspector.locator("#slot-1-end").fill("12:00")  # ends before it starts
    inspector.get_by_role("button", name="Tilføj tidspunkt").click()
    expect(inspector.locator("#slot-3-date")).to_be_focused()
    inspector.get_by_role("button", name="Send tidspunkter til virksomheden").click()
    expect(inspector.locator("#slot-1-line-error")).to_contain_text("Sluttidspunktet")
    expect(inspector.locator("#slot-0-start")).to_have_value("09:00")
    screenshot(inspector, "inspection-visit-times-refused")
    found["times refused"] = axe(inspector)
    inspector.locator("#slot-1-end").fill("15:00")
    inspector.get_by_role("button", name="Send tidspunkter til virksomheden").click()
    expect(inspector.get_by_text("Tidspunkterne er sendt til virksomheden")).to_be_visible()
    found["times offered"] = axe(inspector)

    # The business picks the second time in the portal.
    business = new_page()
    log_in(business, owner.username)
    business.goto(f"/sager/{reference}/")
    section = business.locator("section.visit")
    expect(section.get_by_role("heading", name="Tilsynsbesøg")).to_be_visible()
    section.get_by_role("radio").nth(1).check()
    section.get_by_role("button", name="Vælg tidspunkt").click()
    expect(business.get_by_text("Besøget er aftalt til").first).to_be_visible()

    # The inspector sees the booked time and records the visit.
    inspector.reload()
    expect(inspector.locator("#besoeg-status")).to_contain_text("Tid aftalt")
    expect(inspector.get_by_role("cell", name="Valgt")).to_be_visible()
    found["visit booked"] = axe(inspector)
    inspector.get_by_role("button", name="Markér tilsynet som udført").click()
    expect(inspector.get_by_text("Tilsynet er registreret som udført.")).to_be_visible()
    expect(inspector.get_by_text("dage tilbage").first).to_be_visible()

    # The dialogue: an observation, advice, and a solution agreed with a due date.
    findings = inspector.locator("#fund")
    findings.get_by_label("Observation").check()
    findings.get_by_label("Tekst").fill("Olietønder står direkte på asfalten.")
    findings.get_by_role("button", name="Tilføj").click()
    expect(inspector.get_by_text("Observation er gemt.")).to_be_visible()
    findings.get_by_label("Rådgivning").check()
    findings.get_by_label("Tekst").fill("Brug absorberende granulat ved spild.")
    findings.get_by_role("button", name="Tilføj").click()
    findings.get_by_label("Aftalt løsning").check()
    findings.get_by_label("Tekst").fill(AGREED)
    findings.get_by_role("button", name="Tilføj").click()  # no due date yet
    expect(findings.locator("#finding-due-error")).to_contain_text(
        "Angiv, hvornår løsningen skal være på plads."
    )
    expect(findings.get_by_label("Tekst")).to_have_value(AGREED)
    found["agreement refused"] = axe(inspector)
    findings.get_by_label("Frist for virksomheden").fill(due.isoformat())
    findings.get_by_role("button", name="Tilføj").click()
    expect(inspector.get_by_text("Den aftalte løsning er gemt")).to_be_visible()

    # Enforcement, in its own box.
    box = inspector.locator("#haandhaevelse")
    box.get_by_text("Registrér påbud, forbud eller indskærpelse").click()
    box.get_by_label("Indskærpelse").check()
    box.get_by_label("Forholdet og kravet").fill("Kemikalier skal opbevares under tag.")
    box.get_by_label("Hjemmel").fill("Miljøbeskyttelseslovens § 69, stk. 1")
    box.get_by_label("Frist").fill((clock.today() + dt.timedelta(days=14)).isoformat())
    box.get_by_role("button", name="Registrér håndhævelse").click()
    expect(inspector.get_by_text("Indskærpelse er registreret.")).to_be_visible()
    expect(inspector.locator("#haandhaevelse")).to_contain_text("Miljøbeskyttelseslovens § 69")
    screenshot(inspector, "inspection-visit-findings")
    found["visit with findings"] = axe(inspector)

    # The report: its fields, the draft as PDF, sent, published.
    report = inspector.locator("#rapport")
    report.get_by_label("Konklusion på egenkontrol").fill("Egenkontrollen er ført.")
    report.get_by_label("Ja", exact=True).check()
    report.get_by_label("Samlet konklusion").fill("Virksomheden overholder i det store hele.")
    report.get_by_role("button", name="Gem rapportens felter").click()
    expect(inspector.get_by_text("Rapportens felter er gemt.")).to_be_visible()
    href = inspector.get_by_role("link", name=re.compile("Se udkast")).get_attribute("href")
    preview = inspector.request.get(href)
    assert preview.status == 200 and preview.headers["content-type"] == "application/pdf"
    assert preview.body().startswith(b"%PDF")
    inspector.get_by_role("button", name="Send rapport").click()
    expect(inspector.get_by_text("Rapporten er sendt til virksomheden")).to_be_visible()
    expect(inspector.locator("#besoeg-status")).to_contain_text("Rapport sendt")
    found["report sent"] = axe(inspector)
    inspector.get_by_role("button", name="Offentliggør").click()
    expect(inspector.get_by_text("Rapporten er offentliggjort.")).to_be_visible()
    expect(inspector.locator("#besoeg-status")).to_contain_text("Rapport offentliggjort")
    screenshot(inspector, "inspection-visit")
    found["report published"] = axe(inspector)
    inspector.goto("/medarbejder/tilsyn/besoeg/?vis=all")
    expect(inspector.get_by_role("link", name="Lakeriet")).to_be_visible()
    found["visit list"] = axe(inspector)
    inspector.goto(f"/medarbejder/sager/{reference}/")
    inspector.get_by_role("link", name="Gå til tilsynsbesøget").click()
    expect(inspector.get_by_role("heading", level=1)).to_have_text("Tilsynsbesøg: Lakeriet")

    # The business sees the report and the agreed solution in its delivery plan.
    business.goto(f"/sager/{reference}/")
    expect(business.get_by_role("link", name="Hent tilsynsrapporten (PDF)")).to_be_visible()
    plan = business.locator("section", has=business.locator("#leveranceplan"))
    expect(plan).to_contain_text(AGREED)

    done = Visit.objects.get(pk=visit.pk)
    assert done.status == Visit.Status.PUBLISHED and done.report_document is not None
    assert Finding.objects.filter(visit=done).count() == 3
    assert Enforcement.objects.get(visit=done).kind == Enforcement.Kind.WARNING
    assert {name: v for name, v in found.items() if v} == {}
