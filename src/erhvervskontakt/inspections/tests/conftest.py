"""Inspection test set-up: ``register(...)`` puts units in the register through the services.

Personas from ``src/conftest.py``: ``karen`` (coordinator, here the inspector), ``bodil``
(caseworker), ``owner`` (business user of ``business``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import count

import pytest

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business, ProductionUnit
from erhvervskontakt.businesses.services import production_unit_register
from erhvervskontakt.inspections import services

REASONS = {k: f"Begrundelse {k.upper()}" for k in "abcde"}


@pytest.fixture
def register(business: Business, karen: User) -> Callable[..., ProductionUnit]:
    """``register(category, scores=(a,b,c,d,e) | None, since="2020-01-01", done=[(date, kind)])``."""
    numbers = count(1)

    def make(
        category: str = "2",
        *,
        scores: tuple[int, int, int, int, int] | None = (3, 3, 3, 3, 3),
        since: str = "2020-01-01",
        done: tuple[tuple[str, str], ...] = (),
        start_up: bool = False,
        started_on: dt.date | None = None,
        name: str | None = None,
    ) -> ProductionUnit:
        n = next(numbers)
        unit = production_unit_register(
            business=business,
            p_number=f"{1000000000 + n}",
            name=name or f"Enhed {n}",
            started_on=started_on,
            actor=karen,
        )
        services.register_entry_add(
            unit=unit, category=category, valid_from=since, start_up_required=start_up, actor=karen
        )
        if scores is not None:
            services.risk_assessment_record(
                unit=unit,
                actor=karen,
                scores=dict(zip("abcde", scores, strict=True)),
                reasons=REASONS,
                assessed_on="2024-01-01",
            )
        for on, kind in done:
            services.inspection_record(unit=unit, on=on, kind=kind, actor=karen)
        return unit

    return make
