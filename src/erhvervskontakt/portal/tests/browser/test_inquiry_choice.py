"""Step 1 helps a business choose (descriptions, a search that filters as one types and
without JavaScript), a question the catalogue marks as one a business may not know offers
"Ved ikke – vi hjælper jer", and that answer counts as an answer, not as missing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.rules import UNKNOWN
from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.testing.browser import new_context
from erhvervskontakt.testing.journey import log_in, next_step, start_inquiry, submit_on_review

pytestmark = pytest.mark.django_db(transaction=True)

ENVIRONMENT = "Miljøgodkendelse (bilag 2)"
OUTDOOR = "Udeservering"


@pytest.fixture
def described(catalogue: dict[str, ServiceType]) -> dict[str, ServiceType]:
    """The test catalogue with the front page's descriptions, and Listepunkt as a question a
    business may not know."""
    ServiceType.objects.filter(code="udeservering").update(
        description="Borde og stole på kommunens fortov foran restauranten eller caféen."
    )
    ServiceType.objects.filter(code="miljoegodkendelse").update(
        description="Godkendelse før en listevirksomhed bygges, tages i brug eller udvides."
    )
    Requirement.objects.filter(key="listepunkt").update(may_be_unknown=True)
    return catalogue


@pytest.fixture
def no_js_page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = new_context(browser, live_server.url)
    context.close()
    context = browser.new_context(
        base_url=live_server.url, locale="da-DK", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_step_one_describes_the_services_and_filters_them_as_one_types(
    page, log_in, owner, owner_password, described, axe, screenshot
):
    log_in(owner.username, owner_password)
    start_inquiry(page)

    # Each choice carries the front page's description, and each need says what it covers.
    expect(page.get_by_label(OUTDOOR, exact=True)).to_have_accessible_description(
        re.compile(r"^Borde og stole på kommunens fortov")
    )
    expect(page.get_by_role("group", name="Vej og udeareal")).to_have_accessible_description(
        re.compile("vej, fortov eller torv")
    )
    expect(page.get_by_text("Hjælp til at vælge")).to_be_visible()

    # A live filter: only what matches stays, and the count is announced.
    page.get_by_label("Søg blandt ydelserne").fill("fortov")
    expect(page.get_by_role("status").filter(has_text="passer")).to_have_text(
        "1 ydelse passer til søgningen."
    )
    expect(page.get_by_label(OUTDOOR, exact=True)).to_be_visible()
    expect(page.get_by_label(ENVIRONMENT, exact=True)).to_be_hidden()
    expect(page.get_by_role("group", name="Miljø", exact=True)).to_be_hidden()
    page.get_by_label(OUTDOOR, exact=True).check()
    screenshot(page, "inquiry-step1-search")
    assert axe(page) == []

    # A choice hidden by the filter is still sent.
    page.get_by_label("Søg blandt ydelserne").fill("godkendelse")
    page.get_by_label(ENVIRONMENT, exact=True).check()
    expect(page.get_by_label(OUTDOOR, exact=True)).to_be_hidden()
    page.get_by_label("Beskriv jeres planer").fill("Borde foran kantinen og en ny lakering.")
    next_step(page, 2)
    page.go_back()
    page.reload()
    expect(page.get_by_label(OUTDOOR, exact=True)).to_be_checked()
    expect(page.get_by_label(ENVIRONMENT, exact=True)).to_be_checked()


def test_without_javascript_the_search_filters_on_the_server_and_keeps_hidden_choices(
    no_js_page, owner, owner_password, described
):
    page = no_js_page
    log_in(page, owner.username, owner_password)
    start_inquiry(page)
    page.get_by_label(ENVIRONMENT, exact=True).check()
    page.get_by_label("Beskriv jeres planer").fill("Ny lakering.")
    next_step(page, 2)
    page.goto(page.url.replace("/trin/2/", "/trin/1/"))

    page.get_by_label("Søg blandt ydelserne").fill("fortov")
    page.get_by_role("button", name="Søg", exact=True).click()

    expect(page).to_have_url(re.compile(r"/trin/1/\?q=fortov$"))
    expect(page.get_by_role("status")).to_contain_text("1 ydelse passer til »fortov«.")
    expect(page.locator("input[type=checkbox][name=service_types]")).to_have_count(1)
    expect(
        page.get_by_text("Også valgt, men ikke vist i søgningen: " + ENVIRONMENT)
    ).to_be_visible()
    page.get_by_label(OUTDOOR, exact=True).check()
    next_step(page, 2)
    expect(page.locator("#krav-listepunkt")).to_be_attached()  # the environmental matter
    expect(page.locator("#krav-areal")).to_be_attached()  # and outdoor serving


def test_don_t_know_is_offered_where_the_catalogue_allows_it_and_is_an_answer(
    page, log_in, owner, owner_password, described, karen, client_for
):
    log_in(owner.username, owner_password)
    start_inquiry(page)
    page.get_by_label(ENVIRONMENT, exact=True).check()
    page.get_by_label("Beskriv jeres planer").fill("Vi vil lakere metaldele i den gamle hal.")
    next_step(page, 2)

    listepunkt = page.get_by_role("group", name=re.compile("^Listepunkt"))
    expect(listepunkt).to_have_accessible_description(re.compile("vælg »Ved ikke«"))
    listepunkt.get_by_label("Ved ikke – vi hjælper jer").check()
    # Matrikelnummer may not be unknown: no such option there.
    expect(page.get_by_label("Ved ikke – vi hjælper jer")).to_have_count(1)
    page.locator("#krav-matrikel").fill("12a Dalum By")
    expect(page.locator("#mangler")).not_to_contain_text("Listepunkt")
    next_step(page, 3)
    next_step(page, 4)

    row = page.get_by_role("row", name=re.compile("^Listepunkt"))
    expect(row).to_contain_text("Ved ikke – kommunen afklarer det med jer")
    expect(row).not_to_contain_text("Mangler")
    reference = submit_on_review(page)

    # Answered, so not missing: only the application form is asked for.
    missing = page.get_by_role("region", name="Vi mangler 1 ting fra jer")
    expect(missing).to_contain_text("Ansøgningsskema")
    expect(missing).not_to_contain_text("Listepunkt")
    case = Case.objects.get(reference=reference)
    assert case.answers.get(key="listepunkt").value == UNKNOWN

    # The business reads it on its case page; the coordinator at screening.
    page.goto(f"/sager/{reference}/")
    expect(page.get_by_role("row", name=re.compile("^Listepunkt"))).to_contain_text(
        "Ved ikke – kommunen afklarer det med jer"
    )
    staff = client_for(karen).get(f"/medarbejder/screening/{reference}/").content.decode()
    assert "Listepunkt: Ved ikke – afklares ved screeningen" in staff
