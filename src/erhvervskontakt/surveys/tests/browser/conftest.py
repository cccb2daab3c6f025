"""Browser tests of the survey (the harness: ``erhvervskontakt.testing.browser``)."""

from erhvervskontakt.testing.browser import axe, page, screenshot

__all__ = ["axe", "page", "screenshot"]
