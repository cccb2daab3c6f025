"""The Content-Security-Policy in a real browser: the harness's fixtures (a fresh page for a
business or public visitor, staff logged in through the workbench form)."""

from erhvervskontakt.testing.browser import page
from erhvervskontakt.testing.staff_browser import new_page, staff_login

__all__ = ["new_page", "page", "staff_login"]
