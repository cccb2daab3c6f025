"""The portal's browser fixtures (Chromium page, axe-core, screenshots) for the public page."""

from erhvervskontakt.portal.tests.browser.conftest import axe, page, screenshot

__all__ = ["axe", "page", "screenshot"]
