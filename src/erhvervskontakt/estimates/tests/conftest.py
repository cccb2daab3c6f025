"""Estimates test set-up: real cases made by the real services with the clock travelled."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.screening import case_screen

CONTACT = {"name": "Eva Ejer", "email": "eva@fynsk.dk", "phone": "+45 12 34 56 78"}


def at(day: str | dt.date) -> Any:
    """Travel to 10:00 Copenhagen time on ``day`` (the clock stands still)."""
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T10:00:00+01:00"), tick=False)


def submitted_case(
    owner: Any,
    business: Any,
    day: str | dt.date,
    service_types: tuple[str, ...] = ("udeservering",),
) -> Any:
    """An inquiry (outdoor seating, unless other ``service_types``) submitted on ``day``."""
    with at(day):
        return inquiry_submit(
            actor=owner,
            cvr=business.cvr,
            service_types=list(service_types),
            description="Seks borde foran caféen.",
            contact=dict(CONTACT),
            answers={"areal": 12},
        )


def screened_case(
    owner: Any,
    business: Any,
    staff: Any,
    day: str | dt.date,
    service_types: tuple[str, ...] = ("udeservering",),
) -> Any:
    """An inquiry submitted and screened on ``day``."""
    case = submitted_case(owner, business, day, service_types)
    with at(day):
        return case_screen(case=case, actor=staff)


def answered_history(
    owner: Any, business: Any, staff: Any, *, start: dt.date, count: int, slower: int = 0
) -> list[Any]:
    """``count`` cases screened on consecutive working days from ``start``, each answered
    3..12 working days later (in turn; ``slower`` more): a history to learn from."""
    calendar = working_calendar()
    cases = []
    for number in range(count):
        screened = calendar.add_working_days(start, number)
        case = screened_case(owner, business, staff, screened)
        with at(calendar.add_working_days(screened, 3 + slower + number % 10)):
            cases.append(case_record_decision(case=case, actor=staff, summary="Tilladelse givet."))
    return cases
