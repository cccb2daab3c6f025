"""The staff browser harness (Chromium via Playwright, live server, staff login, axe)."""

from erhvervskontakt.testing.staff_browser import axe, new_page, screenshot, staff_login

__all__ = ["axe", "new_page", "screenshot", "staff_login"]
