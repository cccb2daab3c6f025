"""Browser tests: Debian's Chromium driven by Playwright for Python, against a live server.

Never a downloaded browser: Chromium is /usr/bin/chromium (apt package ``chromium``).
Screenshots go to ``var/screenshots/`` (kept after ``make test`` for a reviewer to look at).
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


@pytest.fixture
def log_in(page: Any) -> Callable[[str, str], None]:
    """``log_in(username, password)`` through the portal's login form (labels as on the page)."""
    from .journey import log_in as through_form

    def do(username: str, password: str) -> None:
        through_form(page, username, password)

    return do


@pytest.fixture
def owner_password(owner: Any) -> str:
    """The business owner (``ejer@fynsk.dk``, acting for ``business``) gets a known password."""
    from .journey import PASSWORD

    owner.set_password(PASSWORD)
    owner.save(update_fields=["password"])
    return PASSWORD
