"""Browser fixtures (Chromium page, axe-core, screenshots) for the public page."""

from erhvervskontakt.testing.browser import axe, page, screenshot

__all__ = ["axe", "page", "screenshot"]
