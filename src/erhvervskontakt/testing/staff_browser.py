"""The fixtures of the staff pages' browser suites (workbench, inspections): a page per
person in its own context, staff logged in through the workbench's form, every axe-core
violation of any impact, screenshots as ``var/screenshots/workbench-*.png``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import axe_checker, new_context, screenshot_taker

STAFF_PASSWORD = "Medarbejder-2026"


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[[], Any]]:
    """``new_page()``: a page in a fresh context (own cookies), desktop size, Danish."""
    contexts: list[Any] = []

    def make() -> Any:
        context = new_context(browser, live_server.url)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    return screenshot_taker("workbench-")


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


@pytest.fixture
def axe() -> Callable[[Any], list[dict[str, Any]]]:
    """``axe(page)``: every WCAG 2.1 A/AA violation axe-core finds on the page, any impact."""
    return axe_checker(serious_only=False)
