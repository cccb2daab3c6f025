"""The working-day calendar as pure functions (no database).

Every expected date is counted by hand; the comment beside it shows the count. "N working days
after D" is the N-th working day strictly after D, so D itself is never counted.
"""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.calendar.workdays import WorkingCalendar, danish_public_holidays

D = dt.date

# The municipality's defaults, written out here rather than read from the code under test:
# Grundlovsdag (5 June), juleaftensdag (24 Dec) and nytårsaftensdag (31 Dec).
DEFAULT = WorkingCalendar.of(recurring={(6, 5), (12, 24), (12, 31)})
# Only weekends and public holidays: shows what the closing days add.
BARE = WorkingCalendar()


# --- What is a working day ---------------------------------------------------------------


def test_the_public_holidays_of_2026_are_exactly_the_ten_danish_ones():
    # given the holidays package, category public, in Danish
    # when the holidays of 2026 are read
    found = danish_public_holidays(2026)

    # then they are these, with no Grundlovsdag, juleaften or nytårsaften (those are the
    # municipality's closing days, not public holidays) and no Store Bededag
    assert found == {
        D(2026, 1, 1): "Nytårsdag",
        D(2026, 4, 2): "Skærtorsdag",
        D(2026, 4, 3): "Langfredag",
        D(2026, 4, 5): "Påskedag",
        D(2026, 4, 6): "Anden påskedag",
        D(2026, 5, 14): "Kristi himmelfartsdag",
        D(2026, 5, 24): "Pinsedag",
        D(2026, 5, 25): "Anden pinsedag",
        D(2026, 12, 25): "Juledag",
        D(2026, 12, 26): "Anden juledag",
    }


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 11, 23),  # Monday
        D(2026, 11, 24),  # Tuesday
        D(2026, 11, 25),  # Wednesday
        D(2026, 11, 26),  # Thursday
        D(2026, 11, 27),  # Friday
    ],
)
def test_an_ordinary_weekday_is_a_working_day_with_no_reason_to_be_closed(day):
    assert DEFAULT.is_working_day(day)
    assert DEFAULT.closed_reason(day) is None


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2026, 11, 28), "Lørdag"),
        (D(2026, 11, 29), "Søndag"),
        (D(2026, 1, 1), "Nytårsdag"),
        (D(2026, 4, 2), "Skærtorsdag"),
        (D(2026, 4, 3), "Langfredag"),
        (D(2026, 4, 6), "Anden påskedag"),
        (D(2026, 5, 14), "Kristi himmelfartsdag"),
        (D(2026, 5, 25), "Anden pinsedag"),
        (D(2026, 12, 25), "Juledag"),
        (D(2026, 6, 5), "Lukkedag"),  # Friday, Grundlovsdag
        (D(2026, 12, 24), "Lukkedag"),  # Thursday, juleaftensdag
        (D(2026, 12, 31), "Lukkedag"),  # Thursday, nytårsaftensdag
    ],
)
def test_a_closed_day_says_why_in_danish(day, reason):
    assert not DEFAULT.is_working_day(day)
    assert DEFAULT.closed_reason(day) == reason


def test_a_weekend_day_that_is_also_a_holiday_is_closed_as_a_weekend_day():
    # 26 December 2026 is a Saturday and Anden juledag
    assert DEFAULT.closed_reason(D(2026, 12, 26)) == "Lørdag"


def test_store_bededag_2023_is_a_holiday():
    # Friday 5 May 2023 was the last Store Bededag
    assert not DEFAULT.is_working_day(D(2023, 5, 5))
    assert DEFAULT.closed_reason(D(2023, 5, 5)) == "Store bededag"


@pytest.mark.parametrize(
    "former_store_bededag",
    [D(2024, 4, 26), D(2025, 5, 16), D(2026, 5, 1)],  # all Fridays, Easter + 26 days
)
def test_the_former_store_bededag_is_a_working_day_from_2024(former_store_bededag):
    assert DEFAULT.is_working_day(former_store_bededag)


def test_closing_days_are_working_days_in_a_calendar_without_them():
    # 5 June and 24/31 December 2026 fall on weekdays and are not public holidays
    for day in (D(2026, 6, 5), D(2026, 12, 24), D(2026, 12, 31)):
        assert BARE.is_working_day(day)
        assert not DEFAULT.is_working_day(day)


def test_a_recurring_closing_day_is_closed_every_year():
    calendar = WorkingCalendar.of(recurring={(11, 24)})

    assert not calendar.is_working_day(D(2026, 11, 24))  # Tuesday
    assert not calendar.is_working_day(D(2027, 11, 24))  # Wednesday
    assert calendar.is_working_day(D(2026, 11, 25))


def test_a_one_off_closing_day_is_closed_that_year_only():
    calendar = WorkingCalendar.of(one_off={D(2026, 11, 24)})

    assert not calendar.is_working_day(D(2026, 11, 24))  # Tuesday
    assert calendar.closed_reason(D(2026, 11, 24)) == "Lukkedag"
    assert calendar.is_working_day(D(2027, 11, 24))  # Wednesday, a year later


def test_calendars_with_the_same_closing_days_are_equal_whatever_they_have_looked_up():
    used = WorkingCalendar.of(recurring=[(12, 24)], one_off=[D(2026, 11, 24)])
    used.add_working_days(D(2026, 1, 1), 100)

    fresh = WorkingCalendar.of(recurring={(12, 24)}, one_off={D(2026, 11, 24)})

    assert used == fresh
    assert hash(used) == hash(fresh)


# --- Counting forward ----------------------------------------------------------------------


def test_zero_working_days_after_a_day_is_that_day_even_when_it_is_closed():
    assert DEFAULT.add_working_days(D(2026, 11, 26), 0) == D(2026, 11, 26)  # Thursday
    assert DEFAULT.add_working_days(D(2026, 11, 28), 0) == D(2026, 11, 28)  # Saturday


def test_one_working_day_after_a_weekday_is_the_next_day():
    # Thursday 26 Nov -> Friday 27 Nov
    assert DEFAULT.add_working_days(D(2026, 11, 26), 1) == D(2026, 11, 27)


def test_one_working_day_after_a_friday_is_the_monday():
    # Friday 27 Nov; Sat 28, Sun 29 closed -> Monday 30 Nov
    assert DEFAULT.add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)


def test_one_working_day_after_a_saturday_is_the_monday():
    # Saturday 28 Nov; Sun 29 closed -> Monday 30 Nov
    assert DEFAULT.add_working_days(D(2026, 11, 28), 1) == D(2026, 11, 30)


def test_five_working_days_after_a_saturday_is_the_next_friday():
    # Saturday 28 Nov: Mon 30=1, Tue 1 Dec=2, Wed 2=3, Thu 3=4, Fri 4=5
    assert DEFAULT.add_working_days(D(2026, 11, 28), 5) == D(2026, 12, 4)


def test_five_working_days_after_a_sunday_is_the_next_friday():
    # Sunday 29 Nov: Mon 30=1 ... Fri 4 Dec=5
    assert DEFAULT.add_working_days(D(2026, 11, 29), 5) == D(2026, 12, 4)


def test_five_working_days_after_a_monday_is_the_next_monday():
    # Monday 23 Nov: Tue 24=1, Wed 25=2, Thu 26=3, Fri 27=4, (weekend), Mon 30=5
    assert DEFAULT.add_working_days(D(2026, 11, 23), 5) == D(2026, 11, 30)


def test_five_working_days_after_22_december_2026_skips_christmas_and_new_year():
    # Tue 22 Dec: Wed 23=1; Thu 24 closing day, Fri 25 Juledag, Sat 26, Sun 27;
    # Mon 28=2, Tue 29=3, Wed 30=4; Thu 31 closing day, Fri 1 Jan Nytårsdag, Sat 2, Sun 3;
    # Mon 4 Jan=5
    assert DEFAULT.add_working_days(D(2026, 12, 22), 5) == D(2027, 1, 4)


def test_without_closing_days_christmas_2026_costs_only_the_public_holidays():
    # Tue 22 Dec: Wed 23=1, Thu 24=2; Fri 25 Juledag, Sat 26, Sun 27; Mon 28=3, Tue 29=4,
    # Wed 30=5
    assert BARE.add_working_days(D(2026, 12, 22), 5) == D(2026, 12, 30)


def test_five_working_days_after_22_december_2025_lands_on_5_january():
    # Mon 22 Dec: Tue 23=1; Wed 24 closing day, Thu 25 and Fri 26 holidays, weekend;
    # Mon 29=2, Tue 30=3; Wed 31 closing day, Thu 1 Jan Nytårsdag; Fri 2 Jan=4; weekend;
    # Mon 5 Jan=5
    assert DEFAULT.add_working_days(D(2025, 12, 22), 5) == D(2026, 1, 5)


def test_five_working_days_after_the_wednesday_before_easter_2026():
    # Wed 1 Apr: Thu 2 Skærtorsdag, Fri 3 Langfredag, Sat 4, Sun 5 Påskedag,
    # Mon 6 Anden påskedag; Tue 7=1, Wed 8=2, Thu 9=3, Fri 10=4, (weekend), Mon 13=5
    assert DEFAULT.add_working_days(D(2026, 4, 1), 5) == D(2026, 4, 13)


def test_five_working_days_after_the_monday_before_easter_2026():
    # Mon 30 Mar: Tue 31=1, Wed 1 Apr=2; Thu 2 to Mon 6 closed; Tue 7=3, Wed 8=4, Thu 9=5
    assert DEFAULT.add_working_days(D(2026, 3, 30), 5) == D(2026, 4, 9)


def test_five_working_days_after_the_wednesday_before_easter_2025():
    # Wed 16 Apr: Thu 17 Skærtorsdag, Fri 18 Langfredag, weekend, Mon 21 Anden påskedag;
    # Tue 22=1, Wed 23=2, Thu 24=3, Fri 25=4, (weekend), Mon 28=5
    assert DEFAULT.add_working_days(D(2025, 4, 16), 5) == D(2025, 4, 28)


def test_five_working_days_across_kristi_himmelfart_2026():
    # Mon 11 May: Tue 12=1, Wed 13=2; Thu 14 Kristi himmelfartsdag; Fri 15=3 (an ordinary
    # working day); (weekend); Mon 18=4, Tue 19=5
    assert DEFAULT.add_working_days(D(2026, 5, 11), 5) == D(2026, 5, 19)


def test_five_working_days_across_pinse_2026():
    # Fri 22 May: Sat 23, Sun 24 Pinsedag, Mon 25 Anden pinsedag; Tue 26=1, Wed 27=2,
    # Thu 28=3, Fri 29=4, (weekend), Mon 1 Jun=5
    assert DEFAULT.add_working_days(D(2026, 5, 22), 5) == D(2026, 6, 1)


def test_five_working_days_across_grundlovsdag_2026():
    # Mon 1 Jun: Tue 2=1, Wed 3=2, Thu 4=3; Fri 5 Grundlovsdag (closing day); weekend;
    # Mon 8=4, Tue 9=5
    assert DEFAULT.add_working_days(D(2026, 6, 1), 5) == D(2026, 6, 9)


def test_ten_working_days_across_kristi_himmelfart_grundlovsdag_and_pinse_2025():
    # Wed 28 May: Thu 29 Kristi himmelfartsdag; Fri 30=1; weekend; Mon 2 Jun=2, Tue 3=3,
    # Wed 4=4; Thu 5 Grundlovsdag; Fri 6=5; Sat 7, Sun 8 Pinsedag, Mon 9 Anden pinsedag;
    # Tue 10=6, Wed 11=7, Thu 12=8, Fri 13=9, (weekend), Mon 16=10
    assert DEFAULT.add_working_days(D(2025, 5, 28), 5) == D(2025, 6, 6)
    assert DEFAULT.add_working_days(D(2025, 5, 28), 10) == D(2025, 6, 16)


def test_five_working_days_across_store_bededag_2023_skip_it():
    # Thu 4 May 2023: Fri 5 Store bededag; weekend; Mon 8=1, Tue 9=2, Wed 10=3, Thu 11=4,
    # Fri 12=5
    assert DEFAULT.add_working_days(D(2023, 5, 4), 5) == D(2023, 5, 12)


def test_five_working_days_across_the_former_store_bededag_2024_count_it():
    # Thu 25 Apr 2024: Fri 26=1, (weekend), Mon 29=2, Tue 30=3, Wed 1 May=4 (1 May is not
    # a public holiday), Thu 2 May=5
    assert DEFAULT.add_working_days(D(2024, 4, 25), 5) == D(2024, 5, 2)


def test_one_working_day_after_the_thursday_before_the_former_store_bededag_2025():
    # Thu 15 May 2025 -> Fri 16 May, no longer a holiday
    assert DEFAULT.add_working_days(D(2025, 5, 15), 1) == D(2025, 5, 16)


def test_a_one_off_closing_day_pushes_the_count_by_one_day():
    # Mon 23 Nov with Wed 25 Nov closed: Tue 24=1, Thu 26=2, Fri 27=3, Mon 30=4, Tue 1 Dec=5
    calendar = WorkingCalendar.of(one_off={D(2026, 11, 25)})

    assert calendar.add_working_days(D(2026, 11, 23), 5) == D(2026, 12, 1)


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError, match="zero or more"):
        DEFAULT.add_working_days(D(2026, 11, 26), -1)
    with pytest.raises(ValueError, match="zero or more"):
        DEFAULT.subtract_working_days(D(2026, 11, 26), -1)


# --- Counting backward and between --------------------------------------------------------


def test_five_working_days_before_4_january_2027_is_22_december_2026():
    # Mon 4 Jan: Wed 30 Dec=1, Tue 29=2, Mon 28=3, Wed 23=4, Tue 22=5
    assert DEFAULT.subtract_working_days(D(2027, 1, 4), 5) == D(2026, 12, 22)


def test_one_working_day_before_a_monday_is_the_friday():
    assert DEFAULT.subtract_working_days(D(2026, 11, 30), 1) == D(2026, 11, 27)


def test_one_working_day_before_the_tuesday_after_easter_2026_is_the_wednesday_before():
    # Tue 7 Apr: Mon 6, Sun 5, Sat 4, Fri 3, Thu 2 closed -> Wed 1 Apr
    assert DEFAULT.subtract_working_days(D(2026, 4, 7), 1) == D(2026, 4, 1)


def test_zero_working_days_before_a_day_is_that_day():
    assert DEFAULT.subtract_working_days(D(2026, 11, 29), 0) == D(2026, 11, 29)


def test_the_working_days_between_22_december_2026_and_4_january_2027_are_five():
    # counted d with 22 Dec < d <= 4 Jan: 23, 28, 29, 30 Dec and 4 Jan
    assert DEFAULT.working_days_between(D(2026, 12, 22), D(2027, 1, 4)) == 5


def test_the_working_days_between_are_negative_when_the_end_comes_first():
    assert DEFAULT.working_days_between(D(2027, 1, 4), D(2026, 12, 22)) == -5


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 11, 26), D(2026, 11, 26), 0),  # the same day
        (D(2026, 11, 27), D(2026, 11, 30), 1),  # Friday to Monday: only the Monday
        (D(2026, 11, 28), D(2026, 11, 29), 0),  # Saturday to Sunday
        (D(2026, 11, 26), D(2026, 11, 27), 1),  # Thursday to Friday: the Friday
        (D(2026, 4, 1), D(2026, 4, 6), 0),  # Wednesday to Anden påskedag: all closed
    ],
)
def test_the_working_days_between_count_the_end_but_not_the_start(start, end, expected):
    assert DEFAULT.working_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 11, 26), D(2026, 11, 26)),  # Thursday, a working day: itself
        (D(2026, 11, 28), D(2026, 11, 27)),  # Saturday -> Friday
        (D(2026, 11, 29), D(2026, 11, 27)),  # Sunday -> Friday
        (D(2026, 4, 6), D(2026, 4, 1)),  # Anden påskedag -> Wednesday before Skærtorsdag
        # Sun 3 Jan, Sat 2, Fri 1 Nytårsdag, Thu 31 Dec closing day -> Wed 30 Dec
        (D(2027, 1, 3), D(2026, 12, 30)),
    ],
)
def test_on_or_before_is_the_day_itself_or_the_last_working_day_before(day, expected):
    assert DEFAULT.on_or_before(day) == expected
