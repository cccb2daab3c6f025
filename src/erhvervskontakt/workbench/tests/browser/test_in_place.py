"""htmx in real Chromium: rows and sections change in place, refusals show where they happened,
and without JavaScript the same pages work with plain forms and links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.cases.models import Case, Deliverable, Message, Task
from erhvervskontakt.testing.browser import DESKTOP
from erhvervskontakt.testing.staff_browser import STAFF_PASSWORD

from ..test_case_view_pages import add_events

pytestmark = pytest.mark.django_db(transaction=True)
MARK = "() => { window.stillTheSamePage = true; }"
SAME = "() => window.stillTheSamePage === true"


@pytest.fixture
def birgit(bodil):
    return StaffFactory(
        username="birgit", first_name="Birgit", last_name="Berg", department=bodil.department
    )


@pytest.fixture
def no_js_page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="da-DK", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_the_second_of_two_caseworkers_sees_the_refusal_in_the_row(
    staff_login, screenshot, bodil, birgit, building_case
):
    task = building_case(screen=True).tasks.get()
    first, second = staff_login(bodil), staff_login(birgit)
    for page in (first, second):
        page.goto("/medarbejder/afdeling/")
        page.evaluate(MARK)

    first.locator(f"#opgave-{task.pk}-tag").click()
    expect(first.locator(f"#opgave-{task.pk}")).to_contain_text("I gang – Bodil Bach")
    second.locator(f"#opgave-{task.pk}-tag").click()

    row = second.locator(f"#opgave-{task.pk}")
    expect(row.get_by_role("alert")).to_contain_text("Opgaven er ændret af en anden")
    expect(row).to_contain_text("I gang – Bodil Bach")
    expect(row.get_by_role("alert")).to_be_focused()
    screenshot(second, "inbox-refused-in-place")
    assert second.evaluate(SAME) and first.evaluate(SAME), "a page was reloaded"
    assert Task.objects.get(pk=task.pk).assignee == bodil


def test_a_plan_change_in_place_keeps_the_other_forms_of_the_page_current(
    staff_login, screenshot, karen, make_case
):
    case = make_case(screen=True)
    line = case.deliverables.get()
    page = staff_login(karen)
    page.goto(f"/medarbejder/sager/{case.reference}/")
    page.evaluate(MARK)

    row = page.locator(f"#leverance-{line.pk}")
    row.get_by_text("Ret eller frafald").click()
    row.get_by_label("Senest").fill("2099-01-05")
    row.get_by_label("Begrundelse (intern)", exact=True).fill("Afventer høring")
    row.get_by_role("button", name="Gem ændring").click()

    expect(page.locator("#wb-toasts")).to_contain_text("Leverancen er ændret.")
    expect(page.locator("#tidslinje")).to_contain_text("Afventer høring")
    expect(page.locator("#leveranceplan")).to_contain_text("5. januar 2099")
    screenshot(page, "plan-changed-in-place")
    assert page.evaluate(SAME)
    assert str(Deliverable.objects.get(pk=line.pk).due_date) == "2099-01-05"

    # The note form was rendered before the change; it still saves (a plain POST).
    page.get_by_label("Nyt internt notat").fill("Høringen er sendt")
    page.get_by_role("button", name="Gem notat").click()
    expect(page.get_by_text("Notatet er gemt.")).to_be_visible()
    assert Message.objects.filter(case=case, body="Høringen er sendt").exists()


def test_a_stale_plan_form_is_refused_in_place_with_the_text_kept(
    staff_login, karen, lars, make_case
):
    case = make_case(screen=True)
    line = case.deliverables.get()
    page = staff_login(karen)
    page.goto(f"/medarbejder/sager/{case.reference}/")
    other = staff_login(lars)
    other.goto(f"/medarbejder/sager/{case.reference}/")
    other.get_by_label("Nyt internt notat").fill("Jeg tager den")
    other.get_by_role("button", name="Gem notat").click()
    expect(other.get_by_text("Notatet er gemt.")).to_be_visible()
    before = Case.objects.get(pk=case.pk).version

    row = page.locator(f"#leverance-{line.pk}")
    row.get_by_text("Ret eller frafald").click()
    row.get_by_label("Begrundelse for at frafalde").fill("Ansøgningen er trukket")
    row.get_by_role("button", name="Frafald").click()

    row = page.locator(f"#leverance-{line.pk}")
    expect(row.get_by_role("alert")).to_contain_text("ændret af en anden")
    expect(row.get_by_label("Begrundelse for at frafalde")).to_have_value("Ansøgningen er trukket")
    assert Deliverable.objects.get(pk=line.pk).status == Deliverable.Status.PENDING
    assert Case.objects.get(pk=case.pk).version == before


def test_vis_aeldre_appends_the_next_page_of_the_timeline(staff_login, karen, make_case):
    case = make_case(screen=True)
    add_events(case, 60)
    page = staff_login(karen)
    page.goto(f"/medarbejder/sager/{case.reference}/")
    page.evaluate(MARK)
    timeline = page.locator("#tidslinje-liste > li")
    expect(timeline).to_have_count(25)

    page.locator("#tidslinje-aeldre").focus()
    page.keyboard.press("Enter")

    expect(timeline).to_have_count(50)
    expect(timeline.nth(25)).to_contain_text("Hændelse nr. 035")
    expect(timeline.nth(25)).to_be_focused()
    assert page.evaluate(SAME)


def test_without_javascript_the_inbox_and_the_timeline_work_as_plain_pages(
    no_js_page, bodil, building_case
):
    case = building_case(screen=True)
    task = case.tasks.get()
    add_events(case, 30)
    bodil.set_password(STAFF_PASSWORD)
    bodil.save(update_fields=["password"])
    page = no_js_page
    page.goto("/medarbejder/log-ind/")
    page.get_by_label("Brugernavn").fill(bodil.username)
    page.get_by_label("Adgangskode").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log på").click()
    expect(page).to_have_url(re.compile(r"/medarbejder/afdeling/$"))

    page.locator(f"#opgave-{task.pk}-tag").click()
    expect(page.locator(".portal-messages")).to_contain_text("Du har taget opgaven.")
    expect(page.locator(f"#opgave-{task.pk}")).to_contain_text("I gang – Bodil Bach")

    page.goto(f"/medarbejder/sager/{case.reference}/")
    page.get_by_role("link", name="Vis ældre").first.click()
    expect(page).to_have_url(re.compile(r"/sager/[^/]+/\?tidslinje=2#tidslinje$"))
    expect(page.locator("#tidslinje-liste")).to_contain_text("Hændelse nr. 005")
    expect(page.get_by_role("link", name="Vis nyere")).to_be_visible()
