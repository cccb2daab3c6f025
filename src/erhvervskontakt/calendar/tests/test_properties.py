"""Properties of the working-day calendar that hold for every date, count and closing-day set."""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays
from dateutil.easter import easter
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from erhvervskontakt.calendar.workdays import WorkingCalendar

DEFAULT = WorkingCalendar.of(recurring={(6, 5), (12, 24), (12, 31)})

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
counts = st.integers(min_value=0, max_value=300)
positive_counts = st.integers(min_value=1, max_value=300)
month_days = st.builds(
    lambda day: (day.month, day.day),
    st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2001, 12, 31)),  # no 29 Feb
)
calendars = st.builds(
    lambda recurring, one_off: WorkingCalendar.of(recurring=recurring, one_off=one_off),
    st.frozensets(month_days, max_size=20),
    st.frozensets(dates, max_size=40),
)
# a calendar and a date near its one-off closing days, so that they are actually met
calendars_and_dates = calendars.flatmap(
    lambda calendar: st.tuples(
        st.just(calendar),
        st.sampled_from(sorted(calendar.one_off)).map(lambda d: d - dt.timedelta(days=3))
        if calendar.one_off
        else dates,
    )
)
quick = settings(max_examples=200, deadline=None)


@cache
def public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("DK", years=year, categories=("public",)))


def is_working_day_by_the_rules(calendar: WorkingCalendar, day: dt.date) -> bool:
    """The rule written out independently: Mon-Fri, no public holiday, no closing day."""
    return (
        day.weekday() < 5
        and day not in public_holidays(day.year)
        and day not in calendar.one_off
        and (day.month, day.day) not in calendar.recurring
    )


# --- The default calendar -----------------------------------------------------------------


@quick
@given(start=dates, n=positive_counts)
def test_n_working_days_after_a_day_is_a_working_day(start, n):
    assert DEFAULT.is_working_day(DEFAULT.add_working_days(start, n))


@quick
@given(start=dates, n=positive_counts)
def test_n_working_days_after_a_day_is_strictly_later(start, n):
    assert DEFAULT.add_working_days(start, n) > start


@quick
@given(start=dates)
def test_zero_working_days_after_a_day_is_the_day_itself(start):
    assert DEFAULT.add_working_days(start, 0) == start


@quick
@given(start=dates, n=counts, m=counts)
def test_more_working_days_land_strictly_later(start, n, m):
    assume(n != m)
    n, m = sorted((n, m))

    assert DEFAULT.add_working_days(start, n) < DEFAULT.add_working_days(start, m)


@quick
@given(first=dates, second=dates, n=counts)
def test_a_later_start_never_lands_earlier(first, second, n):
    early, late = sorted((first, second))

    assert DEFAULT.add_working_days(early, n) <= DEFAULT.add_working_days(late, n)


@quick
@given(start=dates, n=counts)
def test_the_working_days_between_a_day_and_n_working_days_later_are_n(start, n):
    assert DEFAULT.working_days_between(start, DEFAULT.add_working_days(start, n)) == n


@quick
@given(first=dates, days_apart=st.integers(-400, 400))
def test_the_working_days_between_are_antisymmetric(first, days_apart):
    second = first + dt.timedelta(days=days_apart)

    assert DEFAULT.working_days_between(first, second) == -DEFAULT.working_days_between(
        second, first
    )


@quick
@given(start=dates, n=counts)
def test_counting_back_undoes_counting_forward_from_a_working_day(start, n):
    assume(DEFAULT.is_working_day(start))

    later = DEFAULT.add_working_days(start, n)

    assert DEFAULT.subtract_working_days(later, n) == start


@quick
@given(end=dates, n=counts)
def test_counting_forward_undoes_counting_back_from_a_working_day(end, n):
    assume(DEFAULT.is_working_day(end))

    earlier = DEFAULT.subtract_working_days(end, n)

    assert DEFAULT.add_working_days(earlier, n) == end


@quick
@given(day=dates)
def test_on_or_before_is_the_latest_working_day_not_after_the_day(day):
    found = DEFAULT.on_or_before(day)

    assert found <= day
    assert DEFAULT.is_working_day(found)
    # nothing between it and the day is a working day
    assert DEFAULT.working_days_between(found, day) == 0


@quick
@given(day=dates)
def test_a_day_is_a_working_day_exactly_when_the_rules_say_so(day):
    assert DEFAULT.is_working_day(day) == is_working_day_by_the_rules(DEFAULT, day)


@quick
@given(year=st.integers(2000, 2100))
def test_the_days_around_easter_are_never_working_days(year):
    sunday = easter(year)
    for offset in (
        -3,
        -2,
        1,
        39,
        50,
    ):  # Skærtorsdag, Langfredag, 2. påske, Kr. himmelfart, 2. pinse
        assert not DEFAULT.is_working_day(sunday + dt.timedelta(days=offset))


@quick
@given(year=st.integers(2000, 2100))
def test_store_bededag_is_closed_up_to_2023_and_a_working_day_from_2024(year):
    store_bededag = easter(year) + dt.timedelta(days=26)  # the fourth Friday after Easter

    assert DEFAULT.is_working_day(store_bededag) == (year >= 2024)


@quick
@given(year=st.integers(2000, 2100))
def test_christmas_new_year_and_grundlovsdag_are_never_working_days(year):
    for day in (
        dt.date(year, 6, 5),
        dt.date(year, 12, 24),
        dt.date(year, 12, 25),
        dt.date(year, 12, 26),
        dt.date(year, 12, 31),
        dt.date(year, 1, 1),
    ):
        assert not DEFAULT.is_working_day(day)


# --- Any set of closing days --------------------------------------------------------------


@quick
@given(calendar_and_start=calendars_and_dates, n=positive_counts)
def test_with_any_closing_days_n_working_days_after_is_an_open_weekday(calendar_and_start, n):
    calendar, start = calendar_and_start

    found = calendar.add_working_days(start, n)

    assert found > start
    assert is_working_day_by_the_rules(calendar, found)
    assert found not in calendar.one_off
    assert (found.month, found.day) not in calendar.recurring


@quick
@given(calendar_and_start=calendars_and_dates, n=counts)
def test_with_any_closing_days_counting_between_inverts_counting_forward(calendar_and_start, n):
    calendar, start = calendar_and_start

    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@quick
@given(calendar_and_start=calendars_and_dates, n=counts)
def test_with_any_closing_days_counting_back_undoes_counting_forward(calendar_and_start, n):
    calendar, start = calendar_and_start
    assume(calendar.is_working_day(start))

    assert calendar.subtract_working_days(calendar.add_working_days(start, n), n) == start


@quick
@given(calendar_and_start=calendars_and_dates, n=counts, extra=st.frozensets(dates, max_size=20))
def test_more_closing_days_never_make_the_answer_earlier(calendar_and_start, n, extra):
    calendar, start = calendar_and_start
    more_closed = WorkingCalendar.of(recurring=calendar.recurring, one_off=calendar.one_off | extra)

    assert more_closed.add_working_days(start, n) >= calendar.add_working_days(start, n)


@quick
@given(calendar_and_start=calendars_and_dates, n=counts)
def test_with_any_closing_days_no_calendar_is_faster_than_weekends_and_holidays_alone(
    calendar_and_start, n
):
    calendar, start = calendar_and_start

    assert calendar.add_working_days(start, n) >= WorkingCalendar().add_working_days(start, n)


@quick
@given(calendar_and_day=calendars_and_dates)
def test_with_any_closing_days_a_day_is_a_working_day_exactly_when_the_rules_say_so(
    calendar_and_day,
):
    calendar, day = calendar_and_day
    for offset in range(7):  # the week from the day on, through the nearby closing day
        current = day + dt.timedelta(days=offset)
        assert calendar.is_working_day(current) == is_working_day_by_the_rules(calendar, current)


@quick
@given(calendar_and_day=calendars_and_dates)
def test_with_any_closing_days_on_or_before_is_a_working_day_not_after_the_day(calendar_and_day):
    calendar, day = calendar_and_day

    found = calendar.on_or_before(day)

    assert found <= day
    assert calendar.is_working_day(found)
    assert calendar.working_days_between(found, day) == 0
