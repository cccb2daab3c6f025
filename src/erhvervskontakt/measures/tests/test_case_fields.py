"""The services store what the promise dashboard measures on the case row, and the
migration's backfill computes the same from the stored dates.

Calendar (Europe/Copenhagen, 2026): 24 December is a closing day, 25 December a public
holiday; outdoor serving (udeservering) takes 10 working days, advice (raadgivning) 5.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from erhvervskontakt.cases.models import Case, CaseStatus, Event
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.material import case_supply_answers
from erhvervskontakt.cases.services.plan import case_set_estimate
from erhvervskontakt.cases.services.screening import case_screen, case_screen_checked
from erhvervskontakt.catalogue.models import Requirement, ServiceType

from .conftest import cph, d

pytestmark = pytest.mark.django_db

MEASURED = (
    "screened_on",
    "screening_working_days",
    "promised_answer_date",
    "answered_on",
    "answer_working_days",
    "estimate_deviation_working_days",
    "service_target_met",
)
CONTACT = {"name": "Eva Ejer", "email": "eva@fynsk.dk"}


MEMBERSHIP = ("department_ids", "service_type_ids")


def measured(case: Case, fields: tuple[str, ...] = MEASURED) -> dict[str, Any]:
    return dict(Case.objects.filter(pk=case.pk).values(*fields).get())


def run_backfills() -> None:
    """The migrations' fills (0006: the measured dates, 0008: the membership) on all cases."""
    for name in ("0006_measure_fields_backfill", "0008_case_membership"):
        module = import_module(f"erhvervskontakt.cases.migrations.{name}")
        module.forwards(apps, SimpleNamespace(connection=connection))


@pytest.fixture
def story(catalogue, owner, business, karen, time_machine):
    """``story.submit(when, codes, answers)``, ``story.screen(case, when)``,
    ``story.answer(case, when)``: the real services at the given local times."""

    def travel(when: dt.datetime) -> None:
        time_machine.move_to(when, tick=False)

    def submit(when: dt.datetime, codes: list[str], answers: dict | None = None) -> Case:
        travel(when)
        return inquiry_submit(
            actor=owner,
            cvr=business.cvr,
            service_types=codes,
            description="Målt henvendelse",
            contact=CONTACT,
            answers=answers or {},
        )

    def screen(case: Case, when: dt.datetime) -> Case:
        travel(when)
        return case_screen(case=case, actor=karen)

    def answer(case: Case, when: dt.datetime) -> Case:
        travel(when)
        return case_record_decision(case=case, actor=karen, summary="Svar givet.")

    return SimpleNamespace(submit=submit, screen=screen, answer=answer, travel=travel)


@pytest.fixture
def with_target(catalogue) -> ServiceType:
    """A building service type with a national target of 40 days and one field to answer."""
    building = catalogue["byggetilladelse-erhverv"]
    st = ServiceType.objects.create(
        code="byggetilladelse-simpel",
        name="Byggetilladelse til simple konstruktioner",
        group=ServiceType.Group.BUILD,
        department=building.department,
        target_working_days=20,
        service_target_days=40,
        position=5,
    )
    Requirement.objects.create(service_type=st, key="matrikel", label="Matrikelnummer")
    return st


def answered_exactly_on_the_estimate(story) -> Case:
    # Received Monday 30 November 00:30 local time (Sunday 23:30 UTC): the local receipt
    # date is the 30th, so screening that morning took 0 working days. Estimate: 10 working
    # days later, Monday 14 December; answered that day.
    case = story.submit(cph(2026, 11, 30, 0, 30), ["udeservering"], {"areal": 12})
    story.screen(case, cph(2026, 11, 30, 10))
    return story.answer(case, cph(2026, 12, 14, 15))


def test_intake_stores_the_departments_and_service_types_the_filters_match(story, catalogue):
    building, environment = catalogue["byggetilladelse-erhverv"], catalogue["miljoegodkendelse"]

    case = story.submit(
        cph(2026, 11, 30, 10), [environment.code, building.code], {"matrikel": "12a"}
    )

    departments = sorted([building.department_id, environment.department_id])
    types = sorted([building.pk, environment.pk])
    assert measured(case, MEMBERSHIP) == {
        "department_ids": f"|{departments[0]}|{departments[1]}|",
        "service_type_ids": f"|{types[0]}|{types[1]}|",
    }


def test_screening_stores_the_date_its_working_days_and_the_promise(story):
    case = story.submit(cph(2026, 11, 30, 0, 30), ["udeservering"], {"areal": 12})

    assert measured(case) == dict.fromkeys(MEASURED)

    story.screen(case, cph(2026, 11, 30, 10))

    assert measured(case) == {
        **dict.fromkeys(MEASURED),
        "screened_on": d(11, 30),
        "screening_working_days": 0,
        "promised_answer_date": d(12, 14),
    }


def test_an_answer_exactly_on_the_estimate(story):
    case = answered_exactly_on_the_estimate(story)

    assert measured(case) == {
        "screened_on": d(11, 30),
        "screening_working_days": 0,
        "promised_answer_date": d(12, 14),
        "answered_on": d(12, 14),
        "answer_working_days": 10,
        "estimate_deviation_working_days": 0,
        "service_target_met": None,  # outdoor serving has no national target
    }


def holidays_between_screening_and_answer(story) -> Case:
    # Received Thursday 17 December, screened Monday 21st (2 working days: 18th, 21st).
    # Estimate: 5 working days after the 21st, skipping the 24th (closing day), the 25th
    # (Christmas Day) and the weekend: 22, 23, 28, 29, 30 December. Answered Monday 28th:
    # 3 working days after screening (22, 23, 28), 2 before the estimate.
    case = story.submit(cph(2026, 12, 17, 10), ["raadgivning"])
    story.screen(case, cph(2026, 12, 21, 10))
    return story.answer(case, cph(2026, 12, 28, 11))


def test_holidays_between_screening_and_answer_are_not_working_days(story):
    case = holidays_between_screening_and_answer(story)

    row = measured(case)
    assert row["screening_working_days"] == 2
    assert row["promised_answer_date"] == d(12, 30)
    assert row["answer_working_days"] == 3
    assert row["estimate_deviation_working_days"] == -2


def answered_the_saturday_after(story) -> Case:
    # Screened Friday 4 December; estimate 5 working days later, Friday 11 December;
    # answered Saturday 12th: no working day lies between, but the date has passed.
    case = story.submit(cph(2026, 11, 30, 10), ["raadgivning"])
    story.screen(case, cph(2026, 12, 4, 10))
    return story.answer(case, cph(2026, 12, 12, 10))


def test_an_answer_on_the_weekend_after_the_promise_is_one_working_day_late(story):
    case = answered_the_saturday_after(story)

    row = measured(case)
    assert (row["promised_answer_date"], row["answered_on"]) == (d(12, 11), d(12, 12))
    assert row["estimate_deviation_working_days"] == 1
    assert Event.objects.get(case=case, kind="answered").data["on_time"] is False


def waited_and_moved_by_hand(story, karen) -> Case:
    # Received Friday 27 November without the area; screened Monday 30th: waiting for the
    # business, promise Monday 14 December. The area comes Friday 4 December, after 4
    # working days of waiting: estimate and promise move to Friday 18 December. Staff then
    # move the estimate by hand to the 23rd; the promise measured stays the 18th. Answered
    # Monday 21st: one working day after the promise.
    case = story.submit(cph(2026, 11, 27, 9), ["udeservering"])
    case = story.screen(case, cph(2026, 11, 30, 10))
    assert case.status == CaseStatus.AWAITING_BUSINESS
    story.travel(cph(2026, 12, 4, 10))
    case = case_supply_answers(
        case=case, actor=case.business.memberships.first().user, answers={"areal": 20}
    )
    case = case_set_estimate(case=case, actor=karen, estimate=d(12, 23), reason="Travlt")
    return story.answer(case, cph(2026, 12, 21, 10))


def test_the_promise_moves_with_the_waiting_for_the_business_but_not_by_hand(story, karen):
    case = waited_and_moved_by_hand(story, karen)

    row = measured(case)
    assert case.estimated_answer_date == d(12, 23)
    assert row["promised_answer_date"] == d(12, 18)
    assert row["answer_working_days"] == 15  # 1–4, 7–11, 14–18, 21 December
    assert row["estimate_deviation_working_days"] == 1
    # The timeline compares with the estimate as it stood; the measure with the promise.
    assert Event.objects.get(case=case, kind="answered").data["on_time"] is True


def test_an_estimate_confirmed_at_screening_is_the_promise(story, karen):
    case = story.submit(cph(2026, 11, 27, 9), ["udeservering"], {"areal": 12})
    story.travel(cph(2026, 11, 30, 10))

    case = case_screen_checked(
        case=case, actor=karen, estimate=d(12, 18), estimate_reason="Mange sager"
    )

    row = measured(case)
    assert case.estimate_at_screening == row["promised_answer_date"] == d(12, 18)
    assert row["screening_working_days"] == 1


def national_targets(story, with_target) -> list[Case]:
    # Complete at intake Monday 2 November: fully informed that day, national target 40
    # calendar days later, Saturday 12 December. One answered Thursday 10th, one Monday 14th.
    cases = []
    for answered_at in (cph(2026, 12, 10, 12), cph(2026, 12, 14, 12)):
        case = story.submit(cph(2026, 11, 2, 10), [with_target.code], {"matrikel": "12a"})
        story.screen(case, cph(2026, 11, 3, 10))
        cases.append(story.answer(case, answered_at))
    return cases


def test_the_national_target_is_met_when_answered_on_or_before_its_date(story, with_target):
    met, missed = national_targets(story, with_target)

    assert met.service_target_date == missed.service_target_date == d(12, 12)
    assert measured(met)["service_target_met"] is True
    assert measured(missed)["service_target_met"] is False


def test_the_backfill_computes_what_the_services_stored(story, karen, with_target):
    cases = [
        answered_exactly_on_the_estimate(story),
        holidays_between_screening_and_answer(story),
        answered_the_saturday_after(story),
        waited_and_moved_by_hand(story, karen),
        *national_targets(story, with_target),
        story.screen(story.submit(cph(2026, 12, 28, 9), ["udeservering"]), cph(2026, 12, 29, 9)),
        story.submit(cph(2026, 12, 29, 10), ["raadgivning"]),  # not screened: nothing
    ]
    everything = MEASURED + MEMBERSHIP
    stored = {case.pk: measured(case, everything) for case in cases}
    Case.objects.update(**dict.fromkeys(MEASURED), department_ids="", service_type_ids="")

    run_backfills()

    assert {case.pk: measured(case, everything) for case in cases} == stored
