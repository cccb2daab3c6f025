"""Workbench browser tests: Debian's Chromium driven by Playwright, against a live server.

The fixtures are copied from the portal's browser harness (portal/tests/browser/conftest.py)
so the two suites stay independent. Screenshots go to ``var/screenshots/workbench-*.png``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
STAFF_PASSWORD = "Medarbejder-2026"


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[[], Any]]:
    """``new_page()``: a page in a fresh context (own cookies), desktop size, Danish."""
    contexts: list[Any] = []

    def make() -> Any:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=DESKTOP,
            locale="da-DK",
            timezone_id="Europe/Copenhagen",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"workbench-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def staff_login(new_page: Callable[[], Any]) -> Callable[[Any], Any]:
    """``staff_login(user)``: a page logged in through the workbench login form."""

    def login(user: Any) -> Any:
        user.set_password(STAFF_PASSWORD)
        user.save(update_fields=["password"])
        page = new_page()
        page.goto("/medarbejder/log-ind/")
        page.get_by_label("Brugernavn").fill(user.username)
        page.get_by_label("Adgangskode").fill(STAFF_PASSWORD)
        page.get_by_role("button", name="Log på").click()
        page.wait_for_url("**/medarbejder/**")
        return page

    return login


AXE = (
    Path(settings.BASE_DIR)
    / "src"
    / "erhvervskontakt"
    / "portal"
    / "static"
    / "vendor"
    / "axe.min.js"
)
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def axe() -> Callable[[Any], list[dict[str, Any]]]:
    """``axe(page)``: every WCAG 2.1 A/AA violation axe-core finds on the page, any impact."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make assets`")
    source = AXE.read_text(encoding="utf-8")

    def check(page: Any) -> list[dict[str, Any]]:
        page.add_script_tag(content=source)
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
        ]

    return check
