"""Workbench browser tests: Debian's Chromium driven by Playwright, against a live server
(the harness: ``erhvervskontakt.testing.staff_browser``)."""

from erhvervskontakt.testing.staff_browser import axe, new_page, screenshot, staff_login

__all__ = ["axe", "new_page", "screenshot", "staff_login"]
