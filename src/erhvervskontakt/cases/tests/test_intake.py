"""Intake (``inquiry_submit``): reference, screening deadline, what is missing, and refusals
that write nothing.

Calendar used below (Denmark, public holidays + closing days 5 Jun, 24 Dec, 31 Dec):
November/December 2026 — Fri 27 Nov, Sat 28, Sun 29, Mon 30 Nov … Fri 4 Dec;
Thu 24 Dec closing day, Fri 25 Dec Juledag, Sat 26 Anden juledag, Thu 31 Dec closing day,
Fri 1 Jan 2027 Nytårsdag.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Answer, Case, CaseStatus, Channel, Event
from erhvervskontakt.cases.selectors import case_missing
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common.errors import Conflict, Forbidden, ValidationFailed

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
UTC = dt.UTC
NEW_CVR = "13585628"  # valid (modulus 11), not used by any fixture


def cph(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


def missing_keys(case: Case) -> list[str]:
    return [item.key for item in case_missing(case)]


# --- reference ---------------------------------------------------------------------------


def test_references_are_sequential_within_the_year(submit, time_machine):
    time_machine.move_to(cph(2026, 11, 27), tick=False)

    first = submit()
    second = submit()
    third = submit()

    assert [first.reference, second.reference, third.reference] == [
        "EK-2026-00001",
        "EK-2026-00002",
        "EK-2026-00003",
    ]
    assert (third.year, third.number) == (2026, 3)


def test_a_new_year_restarts_the_numbers_at_one(submit, time_machine):
    time_machine.move_to(cph(2026, 12, 30, 14), tick=False)
    submit()
    last_of_2026 = submit()

    time_machine.move_to(cph(2027, 1, 4, 8), tick=False)
    first_of_2027 = submit()

    assert last_of_2026.reference == "EK-2026-00002"
    assert first_of_2027.reference == "EK-2027-00001"


def test_the_year_of_the_reference_is_the_local_year(submit, time_machine):
    # 31 Dec 2026 23:30 UTC is 1 Jan 2027 00:30 in Copenhagen: a 2027 case.
    time_machine.move_to(dt.datetime(2026, 12, 31, 23, 30, tzinfo=UTC), tick=False)

    case = submit()

    assert case.reference == "EK-2027-00001"


def test_a_refused_inquiry_does_not_use_up_a_number(submit, time_machine):
    time_machine.move_to(cph(2026, 11, 27), tick=False)

    with pytest.raises(ValidationFailed):
        submit(service_types=["findes-ikke"])
    case = submit()

    assert case.reference == "EK-2026-00001"


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


# --- missing material --------------------------------------------------------------------


def test_what_is_missing_is_known_at_intake_and_a_shared_key_is_asked_once(submit):
    case = submit(
        service_types=["byggetilladelse-erhverv", "miljoegodkendelse"],
        answers={},
    )

    # Mandatory only (ibrugtagning is optional); matrikel is asked by both, listed once
    # under the first service type that asks it.
    assert [(m.service_type, m.key, m.kind) for m in case_missing(case)] == [
        ("byggetilladelse-erhverv", "matrikel", "field"),
        ("byggetilladelse-erhverv", "etageareal", "field"),
        ("byggetilladelse-erhverv", "tegninger", "document"),
        ("miljoegodkendelse", "listepunkt", "field"),
        ("miljoegodkendelse", "ansoegningsskema", "document"),
    ]
    assert case.status == CaseStatus.RECEIVED
    assert case.fully_informed_on is None


def test_one_answer_to_a_shared_key_satisfies_both_service_types(submit):
    case = submit(
        service_types=["byggetilladelse-erhverv", "miljoegodkendelse"],
        answers={"matrikel": "12a Odense Bygrunde", "listepunkt": "K206"},
    )

    assert missing_keys(case) == ["etageareal", "tegninger", "ansoegningsskema"]
    assert dict(case.answers.values_list("key", "value")) == {
        "matrikel": "12a Odense Bygrunde",
        "listepunkt": "K206",
    }


def test_answers_are_stored_in_their_clean_form(submit):
    case = submit(
        service_types=["byggetilladelse-erhverv"],
        answers={
            "matrikel": "  12a Odense Bygrunde ",
            "etageareal": 1250.5,
            "ibrugtagning": "2027-03-01",
        },
    )

    assert dict(case.answers.values_list("key", "value")) == {
        "matrikel": "12a Odense Bygrunde",
        "etageareal": 1250.5,
        "ibrugtagning": "2027-03-01",
    }
    assert missing_keys(case) == ["tegninger"]


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"etageareal": "mange"}, "answers.etageareal"),
        ({"etageareal": True}, "answers.etageareal"),
        ({"matrikel": 12}, "answers.matrikel"),
        ({"matrikel": "   "}, "answers.matrikel"),
        ({"ibrugtagning": "01-03-2027"}, "answers.ibrugtagning"),
        ({"listepunkt": "X999"}, "answers.listepunkt"),
        ({"tegninger": "se vedhæftet"}, "answers.tegninger"),
        ({"findes-ikke": "x"}, "answers.findes-ikke"),
    ],
)
def test_answers_of_the_wrong_type_are_refused_and_nothing_is_written(
    submit, db_counts, answers, field
):
    before = db_counts()

    with pytest.raises(ValidationFailed) as refused:
        submit(service_types=["byggetilladelse-erhverv", "miljoegodkendelse"], answers=answers)

    assert list(refused.value.errors) == [field]
    assert db_counts() == before


def test_every_wrong_answer_is_reported_at_once(submit, db_counts):
    before = db_counts()

    with pytest.raises(ValidationFailed) as refused:
        submit(
            service_types=["byggetilladelse-erhverv"],
            answers={"matrikel": "12a", "etageareal": "stor", "ibrugtagning": "snart"},
        )

    assert set(refused.value.errors) == {"answers.etageareal", "answers.ibrugtagning"}
    assert db_counts() == before


# --- refusals that write nothing ---------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"service_types": ["findes-ikke"]}, "service_types"),
        ({"service_types": ["udeservering", "findes-ikke"]}, "service_types"),
        ({"service_types": []}, "service_types"),
        ({"service_types": "udeservering"}, "service_types"),
        ({"cvr": "12345678"}, "cvr"),  # bad check digit
        ({"cvr": "1234567"}, "cvr"),
        ({"cvr": "ABCDEFGH"}, "cvr"),
        ({"description": "   "}, "description"),
        ({"contact": {"name": "Eva", "email": "ikke-en-adresse"}}, "contact.email"),
        ({"contact": {"email": "eva@fynsk.dk"}}, "contact.name"),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_nothing_is_written(
    submit, karen, db_counts, fields, field
):
    before = db_counts()

    with pytest.raises(ValidationFailed) as refused:
        submit(actor=karen, **fields)

    assert field in refused.value.errors
    assert db_counts() == before


@pytest.mark.parametrize("who", ["owner", "karen"])
def test_a_service_type_the_municipality_opens_itself_cannot_be_asked_for(
    submit, catalogue, db_counts, request, who
):
    own = ServiceType.objects.create(
        code="miljoetilsyn",
        name="Miljøtilsyn",
        group=ServiceType.Group.ENVIRONMENT,
        department=catalogue["miljoegodkendelse"].department,
        target_working_days=40,
        requestable=False,
    )
    before = db_counts()

    with pytest.raises(ValidationFailed) as refused:
        submit(actor=request.getfixturevalue(who), service_types=["udeservering", own.code])

    assert refused.value.errors == {
        "service_types": "Miljøtilsyn kan ikke vælges i en henvendelse; "
        "kommunen opretter selv den slags sager."
    }
    assert db_counts() == before


def test_all_field_errors_are_reported_together(submit, karen):
    with pytest.raises(ValidationFailed) as refused:
        submit(actor=karen, cvr="12345678", service_types=[], description="")

    assert set(refused.value.errors) == {"cvr", "service_types", "description"}


# --- the business ------------------------------------------------------------------------


def test_a_new_business_is_registered_from_the_inquiry(submit, karen):
    case = submit(actor=karen, cvr=NEW_CVR, business_name="  Nyt Bryggeri ApS ")

    business = Business.objects.get(cvr=NEW_CVR)
    assert case.business == business
    assert business.name == "Nyt Bryggeri ApS"


def test_a_new_business_needs_a_name(submit, karen, db_counts):
    before = db_counts()

    with pytest.raises(ValidationFailed) as refused:
        submit(actor=karen, cvr=NEW_CVR)

    assert list(refused.value.errors) == ["business_name"]
    assert db_counts() == before


@pytest.mark.parametrize("written", ["{a} {b}", "DK{a}{b}", "DK {a} {b}", "dk{a}{b}", " {a}{b} "])
def test_a_cvr_with_spaces_or_a_dk_prefix_finds_the_business(submit, business, karen, written):
    cvr = written.format(a=business.cvr[:4], b=business.cvr[4:])

    case = submit(actor=karen, cvr=cvr)

    assert case.business == business
    assert Business.objects.count() == 1


# --- idempotency -------------------------------------------------------------------------


def test_the_same_idempotency_key_and_body_return_the_same_case(submit, db_counts):
    first = submit(idempotency_key="order-4711")
    after_first = db_counts()

    again = submit(idempotency_key="order-4711")

    assert again.pk == first.pk
    assert again.reference == first.reference
    assert again.replayed is True
    assert first.replayed is False
    assert Case.objects.count() == 1
    assert db_counts() == after_first


def test_the_same_idempotency_key_with_another_body_is_a_conflict(submit, db_counts):
    submit(idempotency_key="order-4711")
    after_first = db_counts()

    with pytest.raises(Conflict):
        submit(idempotency_key="order-4711", description="Noget helt andet")

    assert db_counts() == after_first


def test_idempotency_keys_belong_to_one_user(submit, karen, business):
    by_owner = submit(idempotency_key="order-4711")

    by_karen = submit(actor=karen, idempotency_key="order-4711")

    assert by_karen.pk != by_owner.pk
    assert by_karen.replayed is False


def test_a_refused_inquiry_does_not_use_up_its_idempotency_key(submit, karen):
    with pytest.raises(ValidationFailed):
        submit(actor=karen, cvr=NEW_CVR, idempotency_key="k-1")  # new business, no name

    case = submit(actor=karen, cvr=NEW_CVR, business_name="Nyt Bryggeri ApS", idempotency_key="k-1")

    assert case.replayed is False
    assert case.business.name == "Nyt Bryggeri ApS"


def test_without_an_idempotency_key_the_same_body_twice_makes_two_cases(submit):
    submit()
    submit()

    assert Case.objects.count() == 2


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


# --- what is recorded --------------------------------------------------------------------


def test_intake_records_the_inquiry_and_its_receipt_in_the_timeline(submit, owner, time_machine):
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)

    case = submit(service_types=["byggetilladelse-erhverv"], answers={"matrikel": "12a"})

    assert case.status == CaseStatus.RECEIVED
    assert case.version == 1
    assert case.contact_name == "Eva Ejer"
    assert case.contact_email == "eva@fynsk.dk"
    assert list(case.service_types.values_list("code", flat=True)) == ["byggetilladelse-erhverv"]
    received = Event.objects.get(case=case)
    assert received.kind == "received"
    assert received.actor == owner
    assert received.at == cph(2026, 11, 27, 9)
    assert "Screening senest 04.12.2026" in received.text
    answer = Answer.objects.get(case=case)
    assert (answer.key, answer.value, answer.provided_by) == ("matrikel", "12a", owner)


def test_an_idempotent_retry_may_write_the_same_instant_with_another_offset(submit, karen):
    # 09:30 in Copenhagen (winter) is 08:30 UTC: one moment, two spellings
    first = submit(
        actor=karen,
        received_at=dt.datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("Europe/Copenhagen")),
        channel="phone",
        description="Ring om udeservering",
        idempotency_key="phone-1",
    )
    again = submit(
        actor=karen,
        received_at=dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.UTC),
        channel="phone",
        description="  Ring om udeservering \n",
        idempotency_key="phone-1",
    )

    assert again.pk == first.pk
    assert again.replayed is True
