"""Intake and the time of receipt: the screening deadline, staff registering an inquiry
that arrived earlier (channel, receipt time), and a complete inquiry fully informed from
the day it was received.

Calendar used below (Denmark, public holidays + closing days 5 Jun, 24 Dec, 31 Dec):
November/December 2026 — Fri 27 Nov, Sat 28, Sun 29, Mon 30 Nov … Fri 4 Dec;
Thu 24 Dec closing day, Fri 25 Dec Juledag, Sat 26 Anden juledag, Thu 31 Dec closing day,
Fri 1 Jan 2027 Nytårsdag.
"""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.cases.models import Channel
from erhvervskontakt.common.errors import Forbidden, ValidationFailed

from .conftest import CPH, NEW_CVR, UTC, cph, missing_keys

pytestmark = pytest.mark.django_db


# --- screening deadline ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "due", "why"),
    [
        (cph(2026, 11, 27), dt.date(2026, 12, 4), "Fri → Mon 30, Tue 1, Wed 2, Thu 3, Fri 4 Dec"),
        (cph(2026, 11, 28, 11), dt.date(2026, 12, 4), "Saturday: counting starts Mon 30 Nov"),
        (
            cph(2026, 12, 21),
            dt.date(2026, 12, 30),
            "Mon 21 → Tue 22, Wed 23, (24 closed, 25 Juledag, 26–27 weekend) Mon 28, Tue 29, Wed 30",
        ),
        (
            cph(2026, 12, 22),
            dt.date(2027, 1, 4),
            "Tue 22 → 23, 28, 29, 30, (31 closed, 1 Jan Nytårsdag, 2–3 weekend) Mon 4 Jan",
        ),
        (
            cph(2026, 3, 31),
            dt.date(2026, 4, 10),
            "Tue 31 Mar → Wed 1 Apr, (Easter: Thu 2 – Mon 6) Tue 7, Wed 8, Thu 9, Fri 10",
        ),
    ],
)
def test_screening_is_due_five_working_days_after_receipt(submit, time_machine, now, due, why):
    time_machine.move_to(now, tick=False)

    case = submit()

    assert case.received_at == now
    assert case.screening_due == due, why


def test_screening_due_counts_from_the_local_date_just_after_midnight(submit, time_machine):
    # 26 Nov 2026 23:30 UTC is Fri 27 Nov 00:30 in Copenhagen: due Fri 4 Dec, not Thu 3 Dec
    # (which it would be if the UTC date, Thu 26 Nov, were used).
    time_machine.move_to(dt.datetime(2026, 11, 26, 23, 30, tzinfo=UTC), tick=False)

    case = submit()

    assert case.screening_due == dt.date(2026, 12, 4)


# --- staff registering an inquiry that arrived earlier -----------------------------------


def test_staff_can_register_a_letter_received_earlier_and_the_clock_starts_at_receipt(
    submit, time_machine, karen
):
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    letter_arrived = cph(2026, 11, 25, 14)

    case = submit(actor=karen, channel=Channel.LETTER, received_at=letter_arrived)

    assert case.channel == Channel.LETTER
    assert case.received_at == letter_arrived
    # Wed 25 Nov + 5: Thu 26, Fri 27, Mon 30, Tue 1, Wed 2 Dec.
    assert case.screening_due == dt.date(2026, 12, 2)
    assert case.created_by == karen
    assert list(case.events.values_list("kind", flat=True)) == [
        "received",
        "receipt_backdated",
        "fully_informed",
    ]
    backdated = case.events.get(kind="receipt_backdated")
    assert "25.11.2026" in backdated.text
    assert backdated.actor == karen


def test_staff_can_register_a_phone_inquiry_from_earlier_today(submit, time_machine, karen):
    time_machine.move_to(cph(2026, 11, 27, 15), tick=False)

    case = submit(actor=karen, channel=Channel.PHONE, received_at=cph(2026, 11, 27, 8, 5))

    assert case.channel == Channel.PHONE
    assert case.screening_due == dt.date(2026, 12, 4)


@pytest.mark.parametrize(
    ("received_at", "why"),
    [
        (cph(2026, 11, 27, 10, 1), "one minute in the future"),
        (dt.datetime(2026, 11, 26, 9, 0), "naive: no time zone"),
        (cph(2025, 10, 1), "more than a year back"),
    ],
)
def test_staff_cannot_give_an_impossible_receipt_time(
    submit, time_machine, karen, db_counts, received_at, why
):
    time_machine.move_to(cph(2026, 11, 27, 10), tick=False)
    before = db_counts()

    with pytest.raises(ValidationFailed) as refused:
        submit(actor=karen, channel=Channel.LETTER, received_at=received_at)

    assert list(refused.value.errors) == ["received_at"], why
    assert db_counts() == before


def test_staff_can_register_an_inquiry_received_almost_a_year_ago(submit, time_machine, karen):
    time_machine.move_to(cph(2026, 11, 27, 10), tick=False)

    case = submit(actor=karen, channel=Channel.LETTER, received_at=cph(2025, 12, 1, 10))

    # Mon 1 Dec 2025 + 5: Tue 2, Wed 3, Thu 4, Fri 5, Mon 8 Dec 2025.
    assert case.screening_due == dt.date(2025, 12, 8)
    assert case.reference == "EK-2026-00001"  # numbered in the year it was registered


def test_an_unknown_channel_is_refused(submit, karen, db_counts):
    before = db_counts()

    with pytest.raises(ValidationFailed) as refused:
        submit(actor=karen, channel="fax")

    assert list(refused.value.errors) == ["channel"]
    assert db_counts() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"channel": Channel.LETTER}, "channel"),
        ({"received_at": dt.datetime(2026, 11, 20, 9, tzinfo=CPH)}, "received_at"),
    ],
)
def test_a_business_user_cannot_set_channel_or_receipt_time(
    submit, time_machine, db_counts, fields, field
):
    time_machine.move_to(cph(2026, 11, 27), tick=False)
    before = db_counts()

    with pytest.raises(ValidationFailed) as refused:
        submit(**fields)

    assert list(refused.value.errors) == [field]
    assert db_counts() == before


def test_a_business_users_inquiry_is_received_now_through_the_default_channel(
    submit, time_machine, owner
):
    time_machine.move_to(cph(2026, 11, 27, 9, 15), tick=False)

    case = submit(default_channel=Channel.PORTAL)

    assert case.channel == Channel.PORTAL
    assert case.received_at == cph(2026, 11, 27, 9, 15)
    assert case.created_by == owner


def test_a_business_user_cannot_submit_for_another_business(submit, other_business, db_counts):
    before = db_counts()

    with pytest.raises(Forbidden):
        submit(cvr=other_business.cvr)

    assert db_counts() == before


def test_a_business_user_cannot_submit_for_a_cvr_we_do_not_know(submit, db_counts):
    before = db_counts()

    with pytest.raises(Forbidden):
        submit(cvr=NEW_CVR, business_name="Ny ApS")

    assert db_counts() == before


def test_an_inactive_user_cannot_submit(submit, owner, db_counts):
    owner.is_active = False
    owner.save()
    before = db_counts()

    with pytest.raises(Forbidden):
        submit()

    assert db_counts() == before


# --- complete at intake ------------------------------------------------------------------


def test_a_complete_inquiry_is_fully_informed_from_the_local_date_of_receipt(
    submit, simple_construction, time_machine
):
    # Received Fri 27 Nov 2026 00:30 local (26 Nov 23:30 UTC).
    time_machine.move_to(dt.datetime(2026, 11, 26, 23, 30, tzinfo=UTC), tick=False)

    case = submit(service_types=[simple_construction.code], answers={"matrikel": "12a"})

    assert missing_keys(case) == []
    assert case.fully_informed_on == dt.date(2026, 11, 27)
    # 27 Nov + 40 calendar days: 3 more in November, 31 in December, 6 in January → 6 Jan.
    assert case.service_target_date == dt.date(2027, 1, 6)
    event = case.events.get(kind="fully_informed")
    assert "27.11.2026" in event.text
    assert "06.01.2027" in event.text


def test_a_complete_letter_is_fully_informed_from_the_day_it_arrived(
    submit, simple_construction, time_machine, karen
):
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)

    case = submit(
        actor=karen,
        channel=Channel.LETTER,
        received_at=cph(2026, 11, 25, 11),
        service_types=[simple_construction.code],
        answers={"matrikel": "12a"},
    )

    assert case.fully_informed_on == dt.date(2026, 11, 25)
    # 25 Nov + 40 days: 5 more in November, 31 in December, 4 in January → 4 Jan.
    assert case.service_target_date == dt.date(2027, 1, 4)


def test_a_complete_inquiry_without_a_national_target_has_no_target_date(submit, time_machine):
    time_machine.move_to(cph(2026, 11, 27), tick=False)

    case = submit(service_types=["udeservering"], answers={"areal": 12})

    assert case.fully_informed_on == dt.date(2026, 11, 27)
    assert case.service_target_date is None


def test_the_longest_national_target_of_the_case_governs(submit, simple_construction, time_machine):
    time_machine.move_to(cph(2026, 11, 27), tick=False)

    # Simple construction (40 days) together with outdoor serving (none): 40 days apply.
    case = submit(
        service_types=["udeservering", simple_construction.code],
        answers={"matrikel": "12a", "areal": 8},
    )

    assert case.service_target_date == dt.date(2027, 1, 6)


def test_an_incomplete_inquiry_is_not_fully_informed(submit, time_machine):
    time_machine.move_to(cph(2026, 11, 27), tick=False)

    case = submit(service_types=["byggetilladelse-erhverv"], answers={"matrikel": "12a"})

    assert case.fully_informed_on is None
    assert case.service_target_date is None
    assert not case.events.filter(kind="fully_informed").exists()
