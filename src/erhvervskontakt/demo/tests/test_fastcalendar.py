from __future__ import annotations

import datetime as dt

from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.demo.fastcalendar import IndexedCalendar


def test_the_indexed_calendar_agrees_with_the_real_one_day_by_day():
    real = WorkingCalendar.of(recurring={(6, 5), (12, 24), (12, 31)}, one_off={dt.date(2025, 5, 2)})
    first, last = dt.date(2024, 11, 1), dt.date(2026, 2, 28)
    fast = IndexedCalendar.build(real, first, last)
    day = first - dt.timedelta(days=10)  # also a little outside the range (fallback)
    while day <= last + dt.timedelta(days=10):
        assert fast.is_working_day(day) == real.is_working_day(day), day
        assert fast.on_or_before(day) == real.on_or_before(day), day
        for n in (0, 1, 2, 5, 10, 37):
            assert fast.add_working_days(day, n) == real.add_working_days(day, n), (day, n)
            assert fast.subtract_working_days(day, n) == real.subtract_working_days(day, n)
        for other in (day - dt.timedelta(days=9), day + dt.timedelta(days=23)):
            assert fast.working_days_between(day, other) == real.working_days_between(day, other)
        day += dt.timedelta(days=1)
    # Christmas and Easter are skipped the same way.
    assert fast.add_working_days(dt.date(2025, 12, 23), 1) == dt.date(2025, 12, 29)
    assert fast.add_working_days(dt.date(2025, 4, 16), 1) == dt.date(2025, 4, 22)
