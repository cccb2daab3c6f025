"""Intake (``inquiry_submit``): reference, what is missing, the business, what is
recorded, and refusals that write nothing.

Calendar used below (Denmark, public holidays + closing days 5 Jun, 24 Dec, 31 Dec):
November/December 2026 — Fri 27 Nov, Sat 28, Sun 29, Mon 30 Nov … Fri 4 Dec;
Thu 24 Dec closing day, Fri 25 Dec Juledag, Sat 26 Anden juledag, Thu 31 Dec closing day,
Fri 1 Jan 2027 Nytårsdag.
"""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Answer, CaseStatus, Event
from erhvervskontakt.cases.selectors import case_missing
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common.errors import ValidationFailed

from .conftest import NEW_CVR, UTC, cph, missing_keys

pytestmark = pytest.mark.django_db


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
