"""The workbench's browser harness (Chromium via Playwright, live server, staff login, axe)."""

from erhvervskontakt.workbench.tests.browser.conftest import (  # noqa: F401  (fixtures)
    axe,
    new_page,
    screenshot,
    staff_login,
)
