"""The date rules of reminders, escalations, surveys and retries, worked out by hand.

Default calendar: weekends, Danish public holidays, and the closing days 5 June, 24 and 31
December. Easter 2026: Thu 2 Apr, Fri 3 Apr and Mon 6 Apr are holidays.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.notifications import rules

from .conftest import cph

CALENDAR = WorkingCalendar.of(recurring={(6, 5), (12, 24), (12, 31)})
d = dt.date


@pytest.mark.parametrize(
    ("due", "before", "reminder"),
    [
        (d(2026, 12, 14), 2, d(2026, 12, 10)),  # Mon → Thu the week before
        (d(2026, 4, 7), 1, d(2026, 4, 1)),  # not Easter Monday: Wed before Maundy Thursday
        (d(2026, 12, 28), 1, d(2026, 12, 23)),  # not 25–27 Dec, nor the closed 24th
        (d(2027, 1, 4), 2, d(2026, 12, 29)),  # over New Year: 1 Jan holiday, 31 Dec closed
        (d(2026, 6, 8), 1, d(2026, 6, 4)),  # Mon 8 Jun: Fri 5 Jun is Grundlovsdag
        (d(2026, 12, 14), 0, d(2026, 12, 14)),  # on the day itself
        (d(2026, 12, 13), 0, d(2026, 12, 11)),  # a due date on a Sunday: the Friday
    ],
)
def test_a_reminder_falls_on_a_working_day_n_working_days_before(due, before, reminder):
    assert rules.deliverable_reminder_date(due, before, CALENDAR) == reminder


@given(
    due=st.dates(min_value=d(2024, 1, 1), max_value=d(2030, 12, 31)),
    before=st.integers(min_value=0, max_value=15),
)
def test_a_reminder_is_never_on_a_closed_day_nor_after_the_due_date(due, before):
    reminder = rules.deliverable_reminder_date(due, before, CALENDAR)

    assert CALENDAR.is_working_day(reminder)
    assert reminder <= due


def test_the_reminder_is_due_from_its_date_until_the_due_date_on_working_days():
    due = d(2026, 12, 14)

    assert not rules.deliverable_reminder_is_due(d(2026, 12, 9), due, 2, CALENDAR)
    assert rules.deliverable_reminder_is_due(d(2026, 12, 10), due, 2, CALENDAR)
    assert rules.deliverable_reminder_is_due(d(2026, 12, 11), due, 2, CALENDAR)
    assert not rules.deliverable_reminder_is_due(d(2026, 12, 12), due, 2, CALENDAR)  # Sat
    assert rules.deliverable_reminder_is_due(d(2026, 12, 14), due, 2, CALENDAR)
    assert not rules.deliverable_reminder_is_due(d(2026, 12, 15), due, 2, CALENDAR)


def test_an_overdue_notice_waits_for_a_working_day_after_the_due_date():
    due = d(2026, 12, 18)  # Friday

    assert not rules.overdue_notice_is_due(d(2026, 12, 18), due, CALENDAR)
    assert not rules.overdue_notice_is_due(d(2026, 12, 19), due, CALENDAR)
    assert rules.overdue_notice_is_due(d(2026, 12, 21), due, CALENDAR)
    assert not rules.overdue_notice_is_due(d(2026, 12, 24), due, CALENDAR)  # closed


def test_a_missed_screening_is_escalated_on_the_next_working_day():
    due = d(2026, 12, 4)

    assert not rules.escalation_is_due(d(2026, 12, 4), due, CALENDAR)
    assert not rules.escalation_is_due(d(2026, 12, 5), due, CALENDAR)
    assert rules.escalation_is_due(d(2026, 12, 7), due, CALENDAR)


def test_a_screening_is_due_soon_today_and_on_the_next_working_day():
    friday = d(2026, 12, 4)

    assert rules.screening_is_due_soon(friday, d(2026, 12, 4), CALENDAR)
    assert rules.screening_is_due_soon(friday, d(2026, 12, 7), CALENDAR)  # Monday
    assert not rules.screening_is_due_soon(friday, d(2026, 12, 8), CALENDAR)
    assert not rules.screening_is_due_soon(friday, d(2026, 12, 3), CALENDAR)  # late, not soon


def test_an_estimate_is_at_risk_in_the_last_n_working_days_before_it():
    estimate = d(2026, 12, 14)  # Monday; five working days before: Mon 7 Dec

    assert not rules.estimate_is_at_risk(d(2026, 12, 4), estimate, 5, CALENDAR)
    assert rules.estimate_is_at_risk(d(2026, 12, 7), estimate, 5, CALENDAR)
    assert rules.estimate_is_at_risk(d(2026, 12, 14), estimate, 5, CALENDAR)
    assert not rules.estimate_is_at_risk(d(2026, 12, 15), estimate, 5, CALENDAR)


def test_a_survey_goes_out_from_the_next_working_day_within_the_window():
    answered = d(2026, 12, 23)

    assert not rules.survey_is_due(d(2026, 12, 23), answered, CALENDAR, 30)
    assert rules.survey_is_due(d(2026, 12, 28), answered, CALENDAR, 30)  # after Christmas
    assert rules.survey_is_due(d(2027, 1, 22), answered, CALENDAR, 30)
    assert not rules.survey_is_due(d(2027, 1, 25), answered, CALENDAR, 30)


def test_the_digest_goes_out_on_working_days_from_the_hour():
    assert not rules.digest_is_due(cph(2026, 12, 7, 6, 59), CALENDAR, 7)
    assert rules.digest_is_due(cph(2026, 12, 7, 7, 0), CALENDAR, 7)
    assert not rules.digest_is_due(cph(2026, 12, 24, 9, 0), CALENDAR, 7)


def test_retries_back_off_exponentially_up_to_a_cap():
    delays = [rules.retry_delay(n, base_seconds=60).total_seconds() for n in range(1, 11)]

    assert delays == [60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600]
    with pytest.raises(ValueError):
        rules.retry_delay(0, base_seconds=60)


def test_a_change_stamped_far_from_the_wall_clock_is_a_replay():
    now = cph(2026, 12, 7, 10)

    assert not rules.is_replay(now - dt.timedelta(seconds=2), now)
    assert rules.is_replay(now - dt.timedelta(days=200), now)
