"""Portal test set-up: a clean login-attempt cache, logged-in clients, cases in given states.

The personas come from ``src/conftest.py``: ``owner`` acts for ``business``, ``other_owner``
for ``other_business``, ``karen`` and ``lars`` are coordinators.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.screening import case_screen

CONTACT = {"name": "Eva Ejer", "email": "eva@fynsk.dk", "phone": "+45 12 34 56 78"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Login attempts are counted in the cache; each test starts with none."""
    cache.clear()


@pytest.fixture
def owner_client(owner: User, client_for: Callable[[User], Client]) -> Client:
    return client_for(owner)


@pytest.fixture
def make_case(
    catalogue: dict[str, Any], owner: User, business: Business, karen: User
) -> Callable[..., Case]:
    """``make_case(service_types=[...], answers={...}, screen=True)``: a portal-like intake by
    ``owner`` for ``business``; screened by ``karen`` when asked."""

    def make(
        *,
        service_types: list[str] | None = None,
        answers: dict[str, Any] | None = None,
        screen: bool = False,
        for_business: Business | None = None,
        actor: User | None = None,
    ) -> Case:
        case = inquiry_submit(
            actor=actor or (karen if for_business is not None else owner),
            cvr=(for_business or business).cvr,
            service_types=service_types or ["udeservering"],
            description="Seks borde foran caféen på Vestergade.",
            contact=dict(CONTACT),
            answers={"areal": 12} if answers is None else answers,
        )
        if screen:
            case = case_screen(case=case, actor=karen)
        return case

    return make
