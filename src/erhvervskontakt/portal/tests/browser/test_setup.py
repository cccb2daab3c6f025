"""The browser harness itself works: Debian's Chromium opens the live portal."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_chromium_opens_the_front_page(page, screenshot):
    response = page.goto("/")

    assert response.status == 200
    assert page.locator("h1").first.is_visible()
    assert screenshot(page, "setup-front").stat().st_size > 1000


def test_axe_reports_a_violation_planted_in_the_page(page, axe):
    """So that "no violations" elsewhere means axe looked, not that it never runs."""
    page.goto("/")
    page.evaluate(
        """() => {
            const img = document.createElement("img");
            img.src = "/static/web/favicon.svg";
            document.querySelector("main").append(img);
        }"""
    )

    found = {violation["id"]: violation for violation in axe(page)}

    assert found["image-alt"]["impact"] == "critical"
