"""Reads of the calendar: the municipality's working calendar as it is stored."""

from __future__ import annotations

import datetime as dt

from .models import ClosingDay
from .workdays import WorkingCalendar


def working_calendar() -> WorkingCalendar:
    """The calendar with the closing days stored now (one query)."""
    recurring: set[tuple[int, int]] = set()
    one_off: set[dt.date] = set()
    for day, is_recurring in ClosingDay.objects.values_list("date", "recurring"):
        if is_recurring:
            recurring.add((day.month, day.day))
        else:
            one_off.add(day)
    return WorkingCalendar.of(recurring=recurring, one_off=one_off)


def add_working_days(start: dt.date, days: int) -> dt.date:
    return working_calendar().add_working_days(start, days)
