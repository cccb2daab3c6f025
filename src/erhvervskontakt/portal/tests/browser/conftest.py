"""Browser tests of the portal: Debian's Chromium driven by Playwright for Python, against a
live server (the harness: ``erhvervskontakt.testing.browser``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from erhvervskontakt.testing.browser import axe, page, screenshot

__all__ = ["axe", "page", "screenshot"]


@pytest.fixture
def log_in(page: Any) -> Callable[[str, str], None]:
    """``log_in(username, password)`` through the portal's login form (labels as on the page)."""
    from erhvervskontakt.testing.journey import log_in as through_form

    def do(username: str, password: str) -> None:
        through_form(page, username, password)

    return do


@pytest.fixture
def owner_password(owner: Any) -> str:
    """The business owner (``ejer@fynsk.dk``, acting for ``business``) gets a known password."""
    from erhvervskontakt.testing.journey import PASSWORD

    owner.set_password(PASSWORD)
    owner.save(update_fields=["password"])
    return PASSWORD
