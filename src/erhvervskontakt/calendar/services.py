"""Writes of the calendar: the municipality's closing days."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from erhvervskontakt.common.errors import ValidationFailed

from .models import RECURRING_YEAR, ClosingDay

DEFAULT_RECURRING = [
    (6, 5, "Grundlovsdag"),
    (12, 24, "Juleaftensdag"),
    (12, 31, "Nytårsaftensdag"),
]


@transaction.atomic
def closing_days_seed_defaults() -> int:
    """Store the default recurring closing days (5 June, 24 and 31 December) if missing."""
    created = 0
    for month, day, name in DEFAULT_RECURRING:
        _, made = ClosingDay.objects.get_or_create(
            date=dt.date(RECURRING_YEAR, month, day), recurring=True, defaults={"name": name}
        )
        created += made
    return created


@transaction.atomic
def closing_day_add(*, day: dt.date, name: str, recurring: bool = False) -> ClosingDay:
    """A closing day; recurring ones repeat on the same month and day every year."""
    if recurring and (day.month, day.day) == (2, 29):
        raise ValidationFailed.field("day", "En årlig lukkedag kan ikke ligge den 29. februar.")
    if not (name or "").strip():
        raise ValidationFailed.field("name", "Giv lukkedagen et navn.")
    stored = day.replace(year=RECURRING_YEAR) if recurring else day
    closing, _ = ClosingDay.objects.get_or_create(
        date=stored, recurring=recurring, defaults={"name": name}
    )
    return closing
