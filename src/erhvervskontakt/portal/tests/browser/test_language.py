"""The language switch: the portal in English and back in Danish, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def heading(page):
    return page.get_by_role("heading", level=1)


def test_language_switch_shows_the_portal_in_english_and_back_in_danish(
    page, log_in, owner, owner_password, catalogue
):
    page.goto("/")
    expect(heading(page)).to_have_text("Én indgang til kommunen for virksomheder")
    expect(page.locator("html")).to_have_attribute("lang", "da")

    page.get_by_role("button", name="English").click()

    expect(heading(page)).to_have_text("One entrance to the municipality for businesses")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    expect(page.get_by_role("heading", name="What we can help with")).to_be_visible()

    # The choice sticks: a business user's pages are English too, after logging in.
    page.goto("/log-ind/")
    expect(heading(page)).to_have_text("Log in")
    page.get_by_label("Email address", exact=True).fill(owner.username)
    page.get_by_label("Password", exact=True).fill(owner_password)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(heading(page)).to_have_text("My cases")

    page.get_by_role("button", name="Dansk").click()

    expect(heading(page)).to_have_text("Mine sager")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("button", name="Dansk")).to_have_attribute("aria-current", "true")
