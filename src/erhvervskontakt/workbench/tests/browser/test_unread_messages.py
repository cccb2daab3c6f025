"""In real Chromium: a message from the business shows as unread, in words, on the
coordinator's "Mine sager" row and menu item, and is gone once the case has been opened."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from erhvervskontakt.cases.services.messages import case_message_post
from erhvervskontakt.testing.browser import DESKTOP, MOBILE

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_unread_badge_appears_when_the_business_writes_and_goes_when_the_case_is_opened(
    staff_login, screenshot, axe, karen, owner, building_case
):
    case = building_case(screen=True)
    page = staff_login(karen)
    page.goto("/medarbejder/mine-sager/")
    menu = page.get_by_role("navigation").get_by_role("link", name=re.compile("^Mine sager"))
    expect(menu.first).to_have_text("Mine sager")
    expect(page.get_by_text("ulæst")).to_have_count(0)

    case_message_post(case=case, actor=owner, body="Hvornår hører vi fra jer?")
    case_message_post(case=case, actor=owner, body="Tegningerne kommer i morgen.")
    page.reload()

    expect(menu.first).to_have_text("Mine sager (2 ulæste)")
    row = page.get_by_role("row").filter(has_text=case.reference)
    expect(row.get_by_text("2 ulæste beskeder")).to_be_visible()
    assert [v for v in axe(page) if v["impact"] in ("serious", "critical")] == []
    screenshot(page, "my-cases-unread")
    page.set_viewport_size(MOBILE)
    screenshot(page, "my-cases-unread-390")
    page.set_viewport_size(DESKTOP)

    row.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(page.get_by_text("Tegningerne kommer i morgen.").first).to_be_visible()
    page.goto("/medarbejder/mine-sager/")

    expect(menu.first).to_have_text("Mine sager")
    expect(page.get_by_text("ulæst")).to_have_count(0)
