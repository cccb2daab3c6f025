"""The browser harness itself works: Debian's Chromium opens the live portal."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_chromium_opens_the_front_page(page, screenshot):
    response = page.goto("/")

    assert response.status == 200
    assert page.locator("h1").first.is_visible()
    assert screenshot(page, "setup-front").stat().st_size > 1000
