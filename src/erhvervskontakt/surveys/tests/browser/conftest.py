"""Browser tests of the survey: Debian's Chromium driven by Playwright, against a live server.

The fixtures follow portal/tests/browser/conftest.py: one shared Chromium (``browser`` in
src/conftest.py), a fresh context per test, screenshots to ``var/screenshots/``, axe-core for
the WCAG 2.1 A/AA check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
AXE = (
    Path(settings.BASE_DIR)
    / "src"
    / "erhvervskontakt"
    / "portal"
    / "static"
    / "vendor"
    / "axe.min.js"
)
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) at desktop size, Danish first."""
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="da-DK", timezone_id="Europe/Copenhagen"
    )
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """``screenshot(page, name)``: full-page PNG at the page's size, in var/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe() -> Callable[[Any], list[dict[str, Any]]]:
    """``axe(page)``: the serious and critical WCAG 2.1 A/AA violations axe-core finds."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make assets`")
    source = AXE.read_text(encoding="utf-8")

    def check(page: Any) -> list[dict[str, Any]]:
        page.add_script_tag(content=source)
        result = page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
            })"""
        )
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return check
