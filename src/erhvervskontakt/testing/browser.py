"""The browser harness: Debian's Chromium driven by Playwright for Python, against a live
server (one shared Chromium, ``browser`` in src/conftest.py; a fresh context per page).

Never a downloaded browser: Chromium is /usr/bin/chromium (apt package ``chromium``, which
``make test`` installs when it is missing). Screenshots go to ``var/screenshots/`` (kept
after ``make test`` for a reviewer to look at). Each suite's conftest makes its fixtures
from these helpers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
AXE = (
    Path(settings.BASE_DIR) / "src" / "erhvervskontakt" / "web" / "static" / "vendor" / "axe.min.js"
)
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def new_context(browser: Any, base_url: str) -> Any:
    """A fresh browser context (no cookies) at desktop size, Danish first."""
    context = browser.new_context(
        base_url=base_url, viewport=DESKTOP, locale="da-DK", timezone_id="Europe/Copenhagen"
    )
    context.set_default_timeout(10_000)
    return context


def screenshot_taker(prefix: str = "") -> Callable[[Any, str], Path]:
    """``take(page, name)``: full-page PNG at the page's size, in var/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{prefix}{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def axe_checker(*, serious_only: bool) -> Callable[[Any], list[dict[str, Any]]]:
    """``check(page)``: the WCAG 2.1 A/AA violations axe-core finds on the page (only the
    serious and critical ones when ``serious_only``)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make assets`")

    def check(page: Any) -> list[dict[str, Any]]:
        # From the static files, not as inline script: the pages' Content-Security-Policy
        # allows only scripts from their own origin (and the browser suites keep it on).
        page.add_script_tag(url="/static/vendor/axe.min.js")
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            WCAG_21_AA,
        )
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
            if not serious_only or v["impact"] in ("serious", "critical")
        ]

    return check


# --- the fixtures of the business and public pages' suites (their conftests import them) ---


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) at desktop size, Danish first."""
    context = new_context(browser, live_server.url)
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """``screenshot(page, name)``: full-page PNG at the page's size, in var/screenshots/."""
    return screenshot_taker()


@pytest.fixture
def axe() -> Callable[[Any], list[dict[str, Any]]]:
    """``axe(page)``: the serious and critical WCAG 2.1 A/AA violations axe-core finds."""
    return axe_checker(serious_only=True)
