"""Hand-made data sets for the KPI tests.

The clock stands on Wednesday 2 December 2026, 12:00 in Copenhagen (``today``); most tests
measure November 2026 (``NOVEMBER``). ``make_case`` writes a case row with the stored
measurement columns given directly — the selectors only read those columns, and the services'
filling of them is tested through the services in ``test_case_fields``.

Catalogue (src/erhvervskontakt/catalogue/tests/factories.py): ``byggetilladelse-erhverv``
(Byggeri, national target 50 days), ``miljoegodkendelse`` (Miljø, 130 days), ``udeservering``
(Vej og Park, no national target), ``raadgivning`` (Erhvervskontakt, none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from erhvervskontakt.accounts.models import User
from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case, CaseStatus
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.measures.filters import MeasureFilter

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = dt.date(2026, 12, 2)
NOVEMBER = MeasureFilter(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
NOVEMBER_2ND = dt.date(2026, 11, 2)


def cph(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return cph(day.year, day.month, day.day, hour)


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture
def today(time_machine: Any) -> dt.date:
    time_machine.move_to(cph(2026, 12, 2, 12), tick=False)
    return TODAY


@pytest.fixture
def hanne(db: None) -> User:
    """The head of unit: sees every case."""
    return StaffFactory(
        username="hanne", first_name="Hanne", last_name="Holm", is_head_of_unit=True
    )


_numbers = count(1)


@pytest.fixture
def make_case(
    catalogue: dict[str, ServiceType], business: Business, karen: User
) -> Callable[..., Case]:
    """``make_case(received=date, service_types=[codes], status=…, channel=…, **columns)``: a
    case row as the services would have left it, with the given columns;
    ``screened_at``/``answered_at`` follow ``screened_on``/``answered_on`` unless given."""

    def make(
        *,
        received: dt.date = NOVEMBER_2ND,
        service_types: Iterable[str] = ("udeservering",),
        status: str | None = None,
        coordinator: User | str | None = "karen",
        channel: str = "portal",
        **columns: Any,
    ) -> Case:
        number = next(_numbers)
        if status is None:
            status = (
                CaseStatus.CLOSED
                if columns.get("answered_on")
                else CaseStatus.IN_PROGRESS
                if columns.get("screened_on")
                else CaseStatus.RECEIVED
            )
        if coordinator == "karen":
            coordinator = karen if status != CaseStatus.RECEIVED else None
        values: dict[str, Any] = {
            "screening_due": received + dt.timedelta(days=7),
            "screened_at": at(columns["screened_on"]) if columns.get("screened_on") else None,
            "answered_at": at(columns["answered_on"], 14) if columns.get("answered_on") else None,
        }
        values.update(columns)
        chosen = [catalogue[code] for code in service_types]
        case = Case.objects.create(
            reference=f"EK-2026-{90000 + number:05d}",
            year=2026,
            number=90000 + number,
            business=business,
            contact_name="Eva Ejer",
            contact_email="eva@fynsk.dk",
            description="Målt sag",
            channel=channel,
            status=status,
            received_at=at(received, 9),
            coordinator=coordinator,
            **Case.membership(chosen),
            **values,
        )
        case.service_types.set(chosen)
        return case

    return make
