"""Screening with an edited delivery plan in real Chromium: the coordinator changes a line's
date, leaves a line out with a reason, adds lines (the second with "Tilføj linje", fetched by
htmx), confirms — and the business sees that plan in the portal at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from erhvervskontakt.cases.models import Case, CaseStatus, Deliverable
from erhvervskontakt.common import clock
from erhvervskontakt.testing.journey import PASSWORD
from erhvervskontakt.testing.journey import log_in as portal_log_in

pytestmark = pytest.mark.django_db(transaction=True)


def long_date(day: dt.date) -> str:
    """As the Danish portal writes a date: 17. december 2026."""
    with translation.override("da"):
        return date_format(day, "j. F Y")


def test_the_coordinator_edits_the_plan_at_screening_and_the_business_sees_it(
    staff_login, new_page, screenshot, karen, owner, make_case
):
    case = make_case(
        service_types=["byggetilladelse-erhverv", "udeservering"],
        answers={"matrikel": "12a", "etageareal": 400, "areal": 12},
    )  # the drawings are missing
    answer_due = clock.today() + dt.timedelta(days=20)
    fire_plan_due = clock.today() + dt.timedelta(days=15)
    meeting_due = clock.today() + dt.timedelta(days=5)
    page = staff_login(karen)

    page.goto(f"/medarbejder/screening/{case.reference}/")
    outdoor = page.get_by_role("group", name="Kommunen: Svar: Udeservering")
    outdoor.get_by_label("Senest").fill(answer_due.isoformat())
    outdoor.get_by_label("Begrundelse").fill("Politiet skal høres først")
    drawings = page.get_by_role("group", name="Virksomheden: Send: Tegninger")
    drawings.get_by_label("Udelad linjen").check()
    drawings.get_by_label("Begrundelse").fill("Tegningerne ligger i byggesagsarkivet")
    first_new = page.get_by_role("group", name="Ny linje")
    first_new.get_by_label("Hvem").select_option(label="Virksomheden")
    first_new.get_by_label("Hvad").fill("Send brandplan")
    first_new.get_by_label("Senest").fill(fire_plan_due.isoformat())

    page.evaluate("window.samePage = true")
    page.get_by_role("button", name="Tilføj linje").click()
    new_lines = page.get_by_role("group", name="Ny linje")
    expect(new_lines).to_have_count(2)
    second_new = new_lines.nth(1)
    expect(second_new.get_by_label("Hvem")).to_be_focused()
    assert page.evaluate("window.samePage") is True  # htmx added the line; no page load
    expect(new_lines.first.get_by_label("Hvad")).to_have_value("Send brandplan")
    second_new.get_by_label("Hvem").select_option(label="Kommunen")
    second_new.get_by_label("Hvad").fill("Forhåndsmøde på adressen")
    second_new.get_by_label("Senest").fill(meeting_due.isoformat())
    screenshot(page, "screening-plan-edited")
    page.get_by_role("button", name="Bekræft screening").click()

    expect(page.get_by_text("er screenet; virksomheden kan se resultatet nu")).to_be_visible()
    expect(page.get_by_text("Tegningerne ligger i byggesagsarkivet").first).to_be_visible()
    screenshot(page, "screening-plan-confirmed")
    plan = {d.title: d for d in Deliverable.objects.filter(case=case)}
    assert plan["Svar: Udeservering"].due_date == answer_due
    assert plan["Send: Tegninger"].status == Deliverable.Status.WAIVED
    assert plan["Send brandplan"].party == Deliverable.Party.BUSINESS
    assert plan["Forhåndsmøde på adressen"].party == Deliverable.Party.MUNICIPALITY
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS

    owner.set_password(PASSWORD)
    owner.save(update_fields=["password"])
    business = new_page()
    portal_log_in(business, owner.username)
    business.goto(f"/sager/{case.reference}/")
    ours = business.locator(".deliverable", has_text="Send brandplan")
    expect(ours).to_contain_text(long_date(fire_plan_due))
    expect(business.locator(".deliverable", has_text="Send: Tegninger")).to_contain_text(
        "Frafaldet"
    )
    expect(business.locator(".deliverable", has_text="Svar: Udeservering")).to_contain_text(
        long_date(answer_due)
    )
    expect(business.locator(".deliverable", has_text="Forhåndsmøde på adressen")).to_contain_text(
        long_date(meeting_due)
    )
    screenshot(business, "screening-plan-portal")
