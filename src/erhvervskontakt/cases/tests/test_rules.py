"""The pure case rules: screening due, answer estimate, service target, missing material and
answer validation. No database: service types and requirements are unsaved model instances.

Expected dates are worked out by hand (the count is in the comment beside each one). Instants
are written in UTC to show which local (Europe/Copenhagen) date they fall on.
"""

from __future__ import annotations

import datetime as dt
import math
from zoneinfo import ZoneInfo

import pytest

from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.cases import rules
from erhvervskontakt.cases.rules import MissingItem
from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.common.errors import ValidationFailed

D = dt.date
UTC = dt.UTC
CPH = ZoneInfo("Europe/Copenhagen")
# The municipality's default closing days: 5 June, 24 and 31 December.
DEFAULT = WorkingCalendar.of(recurring={(6, 5), (12, 24), (12, 31)})


def utc(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0):
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def service_type(
    code: str, target_working_days: int = 10, service_target_days: int | None = None
) -> ServiceType:
    return ServiceType(
        code=code,
        name=code,
        target_working_days=target_working_days,
        service_target_days=service_target_days,
    )


def requirement(
    key: str,
    *,
    label: str | None = None,
    kind: str = Requirement.Kind.FIELD,
    value_type: str = Requirement.Type.TEXT,
    mandatory: bool = True,
    choices: list[dict[str, str]] | None = None,
) -> Requirement:
    return Requirement(
        key=key,
        label=label or key.capitalize(),
        kind=kind,
        value_type=value_type,
        mandatory=mandatory,
        choices=choices or [],
    )


# --- Screening due --------------------------------------------------------------------------


def test_screening_is_due_five_working_days_after_a_weekday_receipt():
    # received Mon 23 Nov 2026 10:00 local: Tue 24=1, Wed 25=2, Thu 26=3, Fri 27=4, Mon 30=5
    received = dt.datetime(2026, 11, 23, 10, 0, tzinfo=CPH)

    assert rules.screening_due(received, DEFAULT, 5) == D(2026, 11, 30)


def test_screening_of_an_inquiry_received_on_a_saturday_is_due_the_next_friday():
    # Sat 28 Nov 2026: Mon 30=1, Tue 1 Dec=2, Wed 2=3, Thu 3=4, Fri 4=5
    received = dt.datetime(2026, 11, 28, 14, 0, tzinfo=CPH)

    assert rules.screening_due(received, DEFAULT, 5) == D(2026, 12, 4)


def test_screening_received_22_december_2026_is_due_4_january_after_the_holidays():
    # Tue 22 Dec: Wed 23=1; Thu 24 closing day, Fri 25 Juledag, weekend; Mon 28=2, Tue 29=3,
    # Wed 30=4; Thu 31 closing day, Fri 1 Jan Nytårsdag, weekend; Mon 4 Jan=5
    received = dt.datetime(2026, 12, 22, 9, 0, tzinfo=CPH)

    assert rules.screening_due(received, DEFAULT, 5) == D(2027, 1, 4)


def test_screening_uses_the_municipalitys_number_of_working_days():
    # Mon 23 Nov 2026, 3 working days: Tue 24=1, Wed 25=2, Thu 26=3
    received = dt.datetime(2026, 11, 23, 10, 0, tzinfo=CPH)

    assert rules.screening_due(received, DEFAULT, 3) == D(2026, 11, 26)


def test_screening_counts_the_municipalitys_own_closing_days():
    # Mon 23 Nov 2026 with Wed 25 Nov closed: Tue 24=1, Thu 26=2, Fri 27=3, Mon 30=4,
    # Tue 1 Dec=5
    calendar = WorkingCalendar.of(one_off={D(2026, 11, 25)})
    received = dt.datetime(2026, 11, 23, 10, 0, tzinfo=CPH)

    assert rules.screening_due(received, calendar, 5) == D(2026, 12, 1)


# Winter time (UTC+1). Thu 26 Nov 2026 counts to Thu 3 Dec (Fri 27=1, Mon 30=2, Tue 1=3,
# Wed 2=4, Thu 3=5); Fri 27 Nov counts to Fri 4 Dec (Mon 30=1, Tue 1=2, Wed 2=3, Thu 3=4, Fri 4=5).


def test_a_receipt_at_23_30_utc_in_winter_counts_from_the_next_local_day():
    # 2026-11-26 23:30 UTC is Fri 27 Nov 00:30 in Copenhagen
    assert rules.screening_due(utc(2026, 11, 26, 23, 30), DEFAULT, 5) == D(2026, 12, 4)


def test_a_receipt_at_local_midnight_in_winter_counts_from_the_new_day():
    # 2026-11-26 23:00:00 UTC is Fri 27 Nov 00:00:00 in Copenhagen
    assert rules.screening_due(utc(2026, 11, 26, 23, 0), DEFAULT, 5) == D(2026, 12, 4)


def test_a_receipt_one_second_before_local_midnight_in_winter_counts_from_that_day():
    # 2026-11-26 22:59:59 UTC is Thu 26 Nov 23:59:59 in Copenhagen
    assert rules.screening_due(utc(2026, 11, 26, 22, 59, 59), DEFAULT, 5) == D(2026, 12, 3)


def test_a_receipt_in_another_time_zone_counts_from_its_copenhagen_date():
    # Thu 26 Nov 2026 19:30 in New York (UTC-5) is Fri 27 Nov 01:30 in Copenhagen
    received = dt.datetime(2026, 11, 26, 19, 30, tzinfo=ZoneInfo("America/New_York"))

    assert rules.screening_due(received, DEFAULT, 5) == D(2026, 12, 4)


# Summer time (UTC+2). Wed 17 Jun 2026 counts to Wed 24 Jun (Thu 18=1, Fri 19=2, Mon 22=3,
# Tue 23=4, Wed 24=5); Thu 18 Jun counts to Thu 25 Jun (Fri 19=1, Mon 22=2, ..., Thu 25=5).


def test_a_receipt_at_22_30_utc_in_summer_counts_from_the_next_local_day():
    # 2026-06-17 22:30 UTC is Thu 18 Jun 00:30 in Copenhagen
    assert rules.screening_due(utc(2026, 6, 17, 22, 30), DEFAULT, 5) == D(2026, 6, 25)


def test_a_receipt_at_local_midnight_in_summer_counts_from_the_new_day():
    # 2026-06-17 22:00:00 UTC is Thu 18 Jun 00:00:00 in Copenhagen
    assert rules.screening_due(utc(2026, 6, 17, 22, 0), DEFAULT, 5) == D(2026, 6, 25)


def test_a_receipt_one_second_before_local_midnight_in_summer_counts_from_that_day():
    # 2026-06-17 21:59:59 UTC is Wed 17 Jun 23:59:59 in Copenhagen
    assert rules.screening_due(utc(2026, 6, 17, 21, 59, 59), DEFAULT, 5) == D(2026, 6, 24)


def test_a_receipt_at_22_30_utc_is_still_the_same_local_day_in_winter():
    # 2026-11-26 22:30 UTC is Thu 26 Nov 23:30 in Copenhagen (UTC+1, not UTC+2)
    assert rules.screening_due(utc(2026, 11, 26, 22, 30), DEFAULT, 5) == D(2026, 12, 3)


# Spring switch: Sun 29 Mar 2026, 01:00 UTC (02:00 local becomes 03:00). From Sun 29 Mar:
# Mon 30=1, Tue 31=2, Wed 1 Apr=3; Thu 2 to Mon 6 Easter closed; Tue 7=4, Wed 8=5.
# From Mon 30 Mar: Tue 31=1, Wed 1=2; Easter; Tue 7=3, Wed 8=4, Thu 9=5.


def test_a_receipt_just_before_the_spring_switch_counts_from_that_sunday():
    # 2026-03-29 00:59:59 UTC is Sun 29 Mar 01:59:59 CET
    assert rules.screening_due(utc(2026, 3, 29, 0, 59, 59), DEFAULT, 5) == D(2026, 4, 8)


def test_a_receipt_just_after_the_spring_switch_counts_from_that_sunday():
    # 2026-03-29 01:00:00 UTC is Sun 29 Mar 03:00:00 CEST
    assert rules.screening_due(utc(2026, 3, 29, 1, 0), DEFAULT, 5) == D(2026, 4, 8)


def test_the_evening_after_the_spring_switch_is_already_summer_time():
    # 2026-03-29 22:30 UTC is Mon 30 Mar 00:30 CEST (with UTC+1 it would still be Sunday)
    assert rules.screening_due(utc(2026, 3, 29, 22, 30), DEFAULT, 5) == D(2026, 4, 9)


def test_the_evening_before_the_spring_switch_is_still_winter_time():
    # 2026-03-28 23:30 UTC is Sun 29 Mar 00:30 CET (with UTC+2 it would be 01:30, same day);
    # 2026-03-28 22:59:59 UTC is Sat 28 Mar 23:59:59 CET: Saturday counts the same as Sunday
    assert rules.screening_due(utc(2026, 3, 28, 23, 30), DEFAULT, 5) == D(2026, 4, 8)
    assert rules.screening_due(utc(2026, 3, 28, 22, 59, 59), DEFAULT, 5) == D(2026, 4, 8)


# Autumn switch: Sun 25 Oct 2026, 01:00 UTC (03:00 local becomes 02:00 again). From
# Sun 25 Oct: Mon 26=1, Tue 27=2, Wed 28=3, Thu 29=4, Fri 30=5. From Mon 26 Oct:
# Tue 27=1, Wed 28=2, Thu 29=3, Fri 30=4, Mon 2 Nov=5.


def test_both_runs_of_the_repeated_hour_in_autumn_belong_to_that_sunday():
    # 00:30 UTC is 02:30 CEST, 01:30 UTC is 02:30 CET, both Sun 25 Oct
    assert rules.screening_due(utc(2026, 10, 25, 0, 30), DEFAULT, 5) == D(2026, 10, 30)
    assert rules.screening_due(utc(2026, 10, 25, 1, 30), DEFAULT, 5) == D(2026, 10, 30)


def test_the_evening_after_the_autumn_switch_is_already_winter_time():
    # 2026-10-25 22:30 UTC is Sun 25 Oct 23:30 CET (with UTC+2 it would be Monday)
    assert rules.screening_due(utc(2026, 10, 25, 22, 30), DEFAULT, 5) == D(2026, 10, 30)


def test_a_receipt_at_local_midnight_after_the_autumn_switch_counts_from_monday():
    # 2026-10-25 23:00:00 UTC is Mon 26 Oct 00:00:00 CET
    assert rules.screening_due(utc(2026, 10, 25, 23, 0), DEFAULT, 5) == D(2026, 11, 2)


def test_a_receipt_without_a_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        rules.screening_due(dt.datetime(2026, 11, 26, 10, 0), DEFAULT, 5)


# --- Answer estimate ------------------------------------------------------------------------


def test_the_answer_estimate_follows_the_slowest_service_type():
    # screened Mon 30 Nov 2026, slowest target 20 working days: Dec 1-4 = 1-4, 7-11 = 5-9,
    # 14-18 = 10-14, 21=15, 22=16, 23=17; Thu 24 closing day, Fri 25 Juledag, weekend;
    # Mon 28=18, Tue 29=19, Wed 30=20
    kinds = [service_type("udeservering", 5), service_type("byggetilladelse", 20)]

    assert rules.answer_estimate(D(2026, 11, 30), kinds, DEFAULT) == D(2026, 12, 30)


def test_the_answer_estimate_does_not_depend_on_the_order_of_the_service_types():
    kinds = [service_type("byggetilladelse", 20), service_type("udeservering", 5)]

    assert rules.answer_estimate(D(2026, 11, 30), kinds, DEFAULT) == D(2026, 12, 30)


def test_the_answer_estimate_of_one_service_type_is_its_target():
    # screened Mon 30 Nov 2026, 5 working days: Tue 1 Dec=1 ... Fri 4=4, Mon 7=5
    kinds = [service_type("udeservering", 5)]

    assert rules.answer_estimate(D(2026, 11, 30), kinds, DEFAULT) == D(2026, 12, 7)


def test_the_answer_estimate_without_service_types_is_the_screening_day():
    assert rules.answer_estimate(D(2026, 11, 30), [], DEFAULT) == D(2026, 11, 30)


# --- National service target ----------------------------------------------------------------


def test_the_service_target_is_the_longest_one_among_the_service_types():
    kinds = [
        service_type("a", service_target_days=40),
        service_type("b", service_target_days=None),
        service_type("c", service_target_days=60),
    ]

    assert rules.service_target_days(kinds) == 60


def test_there_is_no_service_target_when_no_service_type_has_one():
    assert rules.service_target_days([service_type("a"), service_type("b")]) is None
    assert rules.service_target_days([]) is None


def test_the_service_target_date_counts_calendar_days_from_fully_informed():
    # Fri 27 Nov 2026 + 40 calendar days: 3 to 30 Nov, 31 to 31 Dec, 6 to 6 Jan 2027;
    # weekends and holidays count
    assert rules.service_target_date(D(2026, 11, 27), 40, 0) == D(2027, 1, 6)


def test_the_service_target_date_moves_by_the_days_spent_waiting_for_the_business():
    # Fri 27 Nov 2026 + 30 + 4 waiting = 34 calendar days: 3 to 30 Nov, 31 to 31 Dec
    assert rules.service_target_date(D(2026, 11, 27), 30, 4) == D(2026, 12, 31)


def test_there_is_no_service_target_date_before_the_case_is_fully_informed():
    assert rules.service_target_date(None, 40, 0) is None


def test_there_is_no_service_target_date_without_a_service_target():
    assert rules.service_target_date(D(2026, 11, 27), None, 0) is None


# --- Missing material -------------------------------------------------------------------------


def test_mandatory_fields_without_an_answer_are_missing():
    needed = [("udeservering", [requirement("areal", label="Areal i m²"), requirement("borde")])]

    missing = rules.missing_items(needed, answered=["borde"], documented=[])

    assert missing == [MissingItem("udeservering", "areal", "Areal i m²", "field")]


def test_a_document_is_satisfied_by_an_upload_and_not_by_an_answer():
    plan = requirement("plan", label="Situationsplan", kind=Requirement.Kind.DOCUMENT)
    needed = [("udeservering", [plan])]

    assert rules.missing_items(needed, answered=["plan"], documented=[]) == [
        MissingItem("udeservering", "plan", "Situationsplan", "document")
    ]
    assert rules.missing_items(needed, answered=[], documented=["plan"]) == []


def test_an_answer_is_not_satisfied_by_an_upload():
    needed = [("udeservering", [requirement("areal")])]

    assert rules.missing_items(needed, answered=[], documented=["areal"]) == [
        MissingItem("udeservering", "areal", "Areal", "field")
    ]


def test_optional_requirements_are_never_missing():
    needed = [("udeservering", [requirement("bemaerkning", mandatory=False)])]

    assert rules.missing_items(needed, answered=[], documented=[]) == []


def test_a_waived_requirement_is_not_missing():
    needed = [("udeservering", [requirement("areal"), requirement("borde")])]

    missing = rules.missing_items(needed, answered=[], documented=[], waived=["areal"])

    assert [item.key for item in missing] == ["borde"]


def test_a_key_asked_by_two_service_types_is_missing_once_under_the_first():
    needed = [
        ("udeservering", [requirement("matrikel", label="Matrikelnummer")]),
        ("byggetilladelse", [requirement("matrikel", label="Matr.nr."), requirement("areal")]),
    ]

    missing = rules.missing_items(needed, answered=[], documented=[])

    assert missing == [
        MissingItem("udeservering", "matrikel", "Matrikelnummer", "field"),
        MissingItem("byggetilladelse", "areal", "Areal", "field"),
    ]


def test_one_answer_satisfies_a_key_asked_by_two_service_types():
    needed = [
        ("udeservering", [requirement("matrikel")]),
        ("byggetilladelse", [requirement("matrikel")]),
    ]

    assert rules.missing_items(needed, answered=["matrikel"], documented=[]) == []


def test_a_key_optional_in_one_service_type_and_mandatory_in_another_is_missing():
    needed = [
        ("udeservering", [requirement("matrikel", mandatory=False)]),
        ("byggetilladelse", [requirement("matrikel", label="Matr.nr.")]),
    ]

    missing = rules.missing_items(needed, answered=[], documented=[])

    assert missing == [MissingItem("byggetilladelse", "matrikel", "Matr.nr.", "field")]


def test_missing_items_are_listed_in_the_order_the_service_types_ask_them():
    needed = [
        ("a", [requirement("tredje"), requirement("første")]),
        ("b", [requirement("anden")]),
    ]

    missing = rules.missing_items(needed, answered=[], documented=[])

    assert [item.key for item in missing] == ["tredje", "første", "anden"]


def test_requirements_by_key_asks_a_shared_key_once():
    first = requirement("matrikel", label="Matrikelnummer")
    second = requirement("matrikel", label="Matr.nr.")
    areal = requirement("areal")

    found = rules.requirements_by_key([("a", [first]), ("b", [second, areal])])

    assert list(found) == ["matrikel", "areal"]
    assert found["matrikel"] is first
    assert found["areal"] is areal


@pytest.mark.parametrize("optional_first", [True, False])
def test_requirements_by_key_keeps_the_mandatory_version_of_a_shared_key(optional_first):
    optional = requirement("matrikel", label="Valgfri", mandatory=False)
    mandatory = requirement("matrikel", label="Obligatorisk", mandatory=True)
    pairs = [optional, mandatory] if optional_first else [mandatory, optional]

    found = rules.requirements_by_key([("a", [pairs[0]]), ("b", [pairs[1]])])

    assert found == {"matrikel": mandatory}


def test_requirements_by_key_includes_optional_requirements():
    optional = requirement("bemaerkning", mandatory=False)

    assert rules.requirements_by_key([("a", [optional])]) == {"bemaerkning": optional}


# --- One answer ------------------------------------------------------------------------------

TEXT = requirement("beskrivelse", label="Beskrivelse", value_type=Requirement.Type.TEXT)
NUMBER = requirement("areal", label="Areal", value_type=Requirement.Type.NUMBER)
BOOLEAN = requirement("alkohol", label="Alkohol", value_type=Requirement.Type.BOOLEAN)
DATE = requirement("start", label="Startdato", value_type=Requirement.Type.DATE)
CHOICE = requirement(
    "placering",
    label="Placering",
    value_type=Requirement.Type.CHOICE,
    choices=[{"value": "fortov", "label": "Fortov"}, {"value": "plads", "label": "Plads"}],
)
DOCUMENT = requirement("plan", label="Situationsplan", kind=Requirement.Kind.DOCUMENT)


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        (TEXT, "Borde foran caféen", "Borde foran caféen"),
        (TEXT, "  Borde foran caféen \n", "Borde foran caféen"),
        (TEXT, "x" * 5000, "x" * 5000),
        (NUMBER, 12, 12),
        (NUMBER, 0, 0),
        (NUMBER, -3, -3),
        (NUMBER, 12.5, 12.5),
        (BOOLEAN, True, True),
        (BOOLEAN, False, False),
        (DATE, "2026-11-27", "2026-11-27"),
        (DATE, " 2026-11-27 ", "2026-11-27"),
        (DATE, "2028-02-29", "2028-02-29"),
        (CHOICE, "fortov", "fortov"),
        (CHOICE, "plads", "plads"),
    ],
)
def test_a_good_answer_is_kept_in_its_stored_form(kind, value, stored):
    cleaned = rules.clean_answer(kind, value)

    assert cleaned == stored
    assert type(cleaned) is type(stored)


@pytest.mark.parametrize("kind", [TEXT, NUMBER, BOOLEAN, DATE, CHOICE])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_empty_answer_is_refused_for_every_type(kind, value):
    with pytest.raises(ValueError, match=f"Svaret på »{kind.label}« er tomt"):
        rules.clean_answer(kind, value)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (TEXT, 12, "»Beskrivelse« skal besvares med tekst"),
        (TEXT, ["Borde"], "»Beskrivelse« skal besvares med tekst"),
        (TEXT, "x" * 5001, "»Beskrivelse« må højst være 5000 tegn"),
        (NUMBER, "12", "»Areal« skal besvares med et tal"),
        (NUMBER, True, "»Areal« skal besvares med et tal"),
        (NUMBER, [12], "»Areal« skal besvares med et tal"),
        (NUMBER, math.nan, "»Areal« skal besvares med et endeligt tal"),
        (NUMBER, math.inf, "»Areal« skal besvares med et endeligt tal"),
        (NUMBER, -math.inf, "»Areal« skal besvares med et endeligt tal"),
        (BOOLEAN, "true", r"»Alkohol« skal besvares med ja \(true\) eller nej \(false\)"),
        (BOOLEAN, 1, r"»Alkohol« skal besvares med ja \(true\) eller nej \(false\)"),
        (BOOLEAN, 0, r"»Alkohol« skal besvares med ja \(true\) eller nej \(false\)"),
        (DATE, D(2026, 11, 27), "»Startdato« skal være en gyldig dato som ÅÅÅÅ-MM-DD"),
        (DATE, 20261127, "»Startdato« skal være en gyldig dato som ÅÅÅÅ-MM-DD"),
        (DATE, "27-11-2026", "»Startdato« skal være en gyldig dato som ÅÅÅÅ-MM-DD"),
        (DATE, "27.11.2026", "»Startdato« skal være en gyldig dato som ÅÅÅÅ-MM-DD"),
        (DATE, "2026-02-30", "»Startdato« skal være en gyldig dato som ÅÅÅÅ-MM-DD"),
        (DATE, "2027-02-29", "»Startdato« skal være en gyldig dato som ÅÅÅÅ-MM-DD"),
        (DATE, "i morgen", "»Startdato« skal være en gyldig dato som ÅÅÅÅ-MM-DD"),
        (DATE, "20261127", "»Startdato« skal være en gyldig dato som ÅÅÅÅ-MM-DD"),
        (DATE, "2026-W48-5", "»Startdato« skal være en gyldig dato som ÅÅÅÅ-MM-DD"),
        (TEXT, "  " + "x" * 5001, "»Beskrivelse« må højst være 5000 tegn"),
        (CHOICE, "gade", "»Placering« skal være en af: fortov, plads"),
        (CHOICE, "Fortov", "»Placering« skal være en af: fortov, plads"),
        (CHOICE, 1, "»Placering« skal være en af: fortov, plads"),
    ],
)
def test_a_bad_answer_is_refused_saying_what_is_wrong(kind, value, message):
    with pytest.raises(ValueError, match=message):
        rules.clean_answer(kind, value)


def test_an_answer_to_a_requirement_of_unknown_type_is_refused():
    odd = requirement("farve", label="Farve", value_type="colour")

    with pytest.raises(ValueError, match="»Farve« har en ukendt type"):
        rules.clean_answer(odd, "rød")


# --- A whole answer set -------------------------------------------------------------------

ASKED = {r.key: r for r in (TEXT, NUMBER, BOOLEAN, DATE, CHOICE, DOCUMENT)}


def test_a_good_answer_set_is_returned_in_its_stored_form():
    answers = {
        "beskrivelse": " Seks borde ",
        "areal": 12,
        "alkohol": False,
        "start": "2027-04-01",
        "placering": "fortov",
    }

    cleaned = rules.clean_answers(answers, ASKED)

    assert cleaned == {
        "beskrivelse": "Seks borde",
        "areal": 12,
        "alkohol": False,
        "start": "2027-04-01",
        "placering": "fortov",
    }


def test_no_answers_are_an_empty_answer_set():
    assert rules.clean_answers(None, ASKED) == {}
    assert rules.clean_answers({}, ASKED) == {}


@pytest.mark.parametrize("answers", [["areal", 12], "areal=12", 12])
def test_answers_that_are_not_an_object_are_refused(answers):
    with pytest.raises(ValidationFailed) as raised:
        rules.clean_answers(answers, ASKED)

    assert raised.value.errors == {"answers": "Svarene skal være et objekt {nøgle: værdi}."}


def test_the_error_names_the_field_the_answers_came_in():
    with pytest.raises(ValidationFailed) as raised:
        rules.clean_answers({"areal": "tolv"}, ASKED, field="svar")

    assert raised.value.errors == {"svar.areal": "»Areal« skal besvares med et tal."}


def test_an_answer_to_a_question_the_case_does_not_ask_is_refused():
    with pytest.raises(ValidationFailed) as raised:
        rules.clean_answers({"areal": 12, "skostørrelse": 44}, ASKED)

    assert raised.value.errors == {
        "answers.skostørrelse": "Ydelserne på sagen spørger ikke om »skostørrelse«."
    }


def test_a_document_cannot_be_answered_with_a_value():
    with pytest.raises(ValidationFailed) as raised:
        rules.clean_answers({"plan": "se vedhæftet"}, ASKED)

    assert raised.value.errors == {"answers.plan": "»Situationsplan« er et dokument: upload det."}


def test_every_bad_answer_is_reported_at_once_and_nothing_is_kept():
    answers = {
        "beskrivelse": "Seks borde",  # good
        "areal": "tolv",
        "alkohol": "ja",
        "start": "2026-13-01",
        "placering": "gade",
        "plan": "vedhæftet",
        "ukendt": 1,
    }

    with pytest.raises(ValidationFailed) as raised:
        rules.clean_answers(answers, ASKED)

    assert raised.value.message == "Nogle svar kan ikke bruges."
    assert raised.value.errors == {
        "answers.areal": "»Areal« skal besvares med et tal.",
        "answers.alkohol": "»Alkohol« skal besvares med ja (true) eller nej (false).",
        "answers.start": "»Startdato« skal være en gyldig dato som ÅÅÅÅ-MM-DD.",
        "answers.placering": "»Placering« skal være en af: fortov, plads.",
        "answers.plan": "»Situationsplan« er et dokument: upload det.",
        "answers.ukendt": "Ydelserne på sagen spørger ikke om »ukendt«.",
    }


def test_an_empty_answer_in_a_set_is_reported_under_its_key():
    with pytest.raises(ValidationFailed) as raised:
        rules.clean_answers({"beskrivelse": "  "}, ASKED)

    assert raised.value.errors == {"answers.beskrivelse": "Svaret på »Beskrivelse« er tomt."}
