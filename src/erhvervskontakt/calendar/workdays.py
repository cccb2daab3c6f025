"""Working days: pure functions, no database.

A working day is Monday to Friday, not a Danish public holiday (the ``holidays`` package,
category public) and not one of the municipality's closing days. "N working days after D" is
the N-th working day strictly after D; with N = 0 it is D itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import holidays

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=256)
def danish_public_holidays(year: int) -> dict[dt.date, str]:
    """Danish public holidays of one year, with Danish names (no Store Bededag from 2024)."""
    found = holidays.country_holidays("DK", years=year, categories=("public",), language="da")
    return dict(found.items())


@dataclass(frozen=True)
class WorkingCalendar:
    """The municipality's calendar: weekends, public holidays and its own closing days.

    ``recurring`` holds (month, day) pairs closed every year (5 June, 24 and 31 December by
    default); ``one_off`` holds single dates.
    """

    recurring: frozenset[tuple[int, int]] = frozenset()
    one_off: frozenset[dt.date] = frozenset()
    _cache: dict[dt.date, bool] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(
        cls,
        *,
        recurring: Iterable[tuple[int, int]] = (),
        one_off: Iterable[dt.date] = (),
    ) -> WorkingCalendar:
        return cls(recurring=frozenset(recurring), one_off=frozenset(one_off))

    def closed_reason(self, day: dt.date) -> str | None:
        """Why ``day`` is not a working day, in Danish, or None when it is one."""
        if day.weekday() == 5:
            return "Lørdag"
        if day.weekday() == 6:
            return "Søndag"
        holiday = danish_public_holidays(day.year).get(day)
        if holiday:
            return holiday
        if day in self.one_off or (day.month, day.day) in self.recurring:
            return "Lukkedag"
        return None

    def is_working_day(self, day: dt.date) -> bool:
        cached = self._cache.get(day)
        if cached is None:
            cached = self.closed_reason(day) is None
            self._cache[day] = cached
        return cached

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day strictly after ``start`` (``start`` itself for 0)."""
        if days < 0:
            raise ValueError("days must be zero or more")
        current = start
        remaining = days
        while remaining:
            current += ONE_DAY
            if self.is_working_day(current):
                remaining -= 1
        return current

    def subtract_working_days(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day strictly before ``start``."""
        if days < 0:
            raise ValueError("days must be zero or more")
        current = start
        remaining = days
        while remaining:
            current -= ONE_DAY
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end; negative when end is before start.

        The inverse of :meth:`add_working_days`: ``working_days_between(d, add(d, n)) == n``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += ONE_DAY
            if self.is_working_day(current):
                count += 1
        return count

    def on_or_before(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the last working day before it."""
        while not self.is_working_day(day):
            day -= ONE_DAY
        return day
