"""The municipality's working calendar with O(1) look-ups, for bulk loading.

``IndexedCalendar`` is a ``WorkingCalendar`` (same closing days, same public holidays) whose
answers inside a fixed range come from tables built by asking the real calendar once per day;
outside the range it falls back to the real day-by-day methods. Passed to the real rules
(``cases.rules.screening_due``, ``answer_estimate`` …) it gives exactly their answers, only
faster: the tests compare it with ``WorkingCalendar`` day by day.
"""

from __future__ import annotations

import datetime as dt
from array import array

from erhvervskontakt.calendar.workdays import WorkingCalendar


class IndexedCalendar(WorkingCalendar):
    _first: dt.date
    _last: dt.date
    _cumulative: array[int]  # working days in [first, first + i]
    _working: list[dt.date]  # the working days in the range, in order

    @classmethod
    def build(cls, base: WorkingCalendar, first: dt.date, last: dt.date) -> IndexedCalendar:
        calendar = cls(recurring=base.recurring, one_off=base.one_off)
        cumulative: array[int] = array("l")
        working: list[dt.date] = []
        day = first
        while day <= last:
            if base.is_working_day(day):
                working.append(day)
            cumulative.append(len(working))
            day += dt.timedelta(days=1)
        object.__setattr__(calendar, "_first", first)
        object.__setattr__(calendar, "_last", last)
        object.__setattr__(calendar, "_cumulative", cumulative)
        object.__setattr__(calendar, "_working", working)
        return calendar

    def _inside(self, day: dt.date) -> bool:
        return self._first <= day <= self._last

    def count_to(self, day: dt.date) -> int:
        """Working days from the start of the range up to and including ``day``."""
        return self._cumulative[(day - self._first).days]

    def nth(self, ordinal: int) -> dt.date:
        """The ``ordinal``-th working day of the range (1-based)."""
        return self._working[ordinal - 1]

    @property
    def size(self) -> int:
        return len(self._working)

    def is_working_day(self, day: dt.date) -> bool:
        if not self._inside(day):
            return super().is_working_day(day)
        index = (day - self._first).days
        before = self._cumulative[index - 1] if index else 0
        return self._cumulative[index] > before

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        if days < 0:
            raise ValueError("days must be zero or more")
        if days == 0:
            return start
        if self._inside(start):
            ordinal = self.count_to(start) + days
            if ordinal <= len(self._working):
                return self._working[ordinal - 1]
        return super().add_working_days(start, days)

    def subtract_working_days(self, start: dt.date, days: int) -> dt.date:
        if days < 0:
            raise ValueError("days must be zero or more")
        if days == 0:
            return start
        if self._inside(start):
            before = self.count_to(start) - (1 if self.is_working_day(start) else 0)
            ordinal = before - days + 1
            if ordinal >= 1:
                return self._working[ordinal - 1]
        return super().subtract_working_days(start, days)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        if self._inside(start) and self._inside(end):
            return self.count_to(end) - self.count_to(start)
        return super().working_days_between(start, end)

    def on_or_before(self, day: dt.date) -> dt.date:
        if self._inside(day) and self.count_to(day) > 0:
            return self._working[self.count_to(day) - 1]
        return super().on_or_before(day)
