"""When a reminder is due, and how long to wait before trying a failed send again.

Pure functions, no database: the sweep reads the candidates and asks these. Dates are local
(Europe/Copenhagen) dates; reminders, escalations and surveys go out on working days only.
"""

from __future__ import annotations

import datetime as dt

from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.common import announcements


def deliverable_reminder_date(
    due: dt.date, working_days_before: int, calendar: WorkingCalendar
) -> dt.date:
    """The day to remind the business of a deliverable: N working days before it is due.

    A reminder that would fall on a weekend, a holiday or a closing day moves to the working
    day before it (e.g. due Tue 7 April 2026, one day before: Easter Monday, Sunday, Saturday,
    Good Friday and Maundy Thursday are closed, so Wed 1 April).
    """
    if working_days_before == 0:
        return calendar.on_or_before(due)
    return calendar.subtract_working_days(due, working_days_before)


def deliverable_reminder_is_due(
    today: dt.date, due: dt.date, working_days_before: int, calendar: WorkingCalendar
) -> bool:
    """From the reminder date until the due date itself (a sweep that missed a day catches up)."""
    return (
        calendar.is_working_day(today)
        and deliverable_reminder_date(due, working_days_before, calendar) <= today <= due
    )


def overdue_notice_is_due(today: dt.date, due: dt.date, calendar: WorkingCalendar) -> bool:
    """The first working day after the due date (and later, if the sweep missed it)."""
    return calendar.is_working_day(today) and today > due


def screening_is_due_soon(
    today: dt.date, screening_due: dt.date, calendar: WorkingCalendar
) -> bool:
    """Due today or on the next working day (for the coordinator's digest)."""
    return today <= screening_due <= calendar.add_working_days(today, 1)


def escalation_is_due(today: dt.date, screening_due: dt.date, calendar: WorkingCalendar) -> bool:
    """The screening deadline has passed: escalate on the next working day."""
    return calendar.is_working_day(today) and today > screening_due


def estimate_is_at_risk(
    today: dt.date, estimate: dt.date, working_days_before: int, calendar: WorkingCalendar
) -> bool:
    """The answer is due within N working days (and not yet past): open tasks put it at risk."""
    start = calendar.subtract_working_days(estimate, working_days_before)
    return start <= today <= estimate


def survey_is_due(
    today: dt.date, answered_on: dt.date, calendar: WorkingCalendar, window_days: int
) -> bool:
    """From the first working day after the answer, within ``window_days`` calendar days.

    The window keeps a first deployment (or a long outage) from surveying old cases.
    """
    return (
        calendar.is_working_day(today)
        and calendar.add_working_days(answered_on, 1) <= today
        and today <= answered_on + dt.timedelta(days=window_days)
    )


def digest_is_due(local_now: dt.datetime, calendar: WorkingCalendar, hour: int) -> bool:
    """The daily digest goes out on working days, from ``hour`` o'clock local time."""
    return calendar.is_working_day(local_now.date()) and local_now.hour >= hour


def retry_delay(attempt: int, *, base_seconds: int, cap_seconds: int = 6 * 3600) -> dt.timedelta:
    """Exponential backoff after the ``attempt``-th failed try: base, 2×, 4×, … up to the cap."""
    if attempt < 1:
        raise ValueError("attempt counts from 1")
    seconds = min(base_seconds * 2 ** min(attempt - 1, 30), cap_seconds)
    return dt.timedelta(seconds=seconds)


def is_replay(at: dt.datetime, wall_clock: dt.datetime, *, tolerance_seconds: int = 300) -> bool:
    """A change stamped far from the wall clock was replayed (``clock.travel``, the demo).

    Announcing replayed history would e-mail businesses about the past, so it is not done.
    """
    return announcements.is_replay(at, wall_clock, tolerance_seconds=tolerance_seconds)
