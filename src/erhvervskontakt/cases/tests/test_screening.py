"""Screening (``case_screen``): completeness, coordinator, estimate, delivery plan, tasks.

Calendar used below: Mon 30 Nov 2026 is the usual screening day. Working days after it:
Dec 1–4 (1–4), 7–11 (5–9), 14–18 (10–14), 21–23 (15–17; Thu 24 closed, Fri 25 Juledag,
Sat 26 Anden juledag), 28–30 (18–20; Thu 31 closed, Fri 1 Jan Nytårsdag), Jan 4–8 (21–25),
11–15 (26–30), 18–22 (31–35), 25–29 (36–40), Feb 1–5 (41–45), 8–12 (46–50),
15–19 (51–55), 22–26 (56–60).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.businesses.models import BusinessEvent
from erhvervskontakt.cases.models import CaseStatus, Deliverable, Event, Task
from erhvervskontakt.cases.services.coordinators import case_change_coordinator
from erhvervskontakt.cases.services.material import case_supply_answers
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.catalogue.models import Municipality
from erhvervskontakt.common.errors import Forbidden, IllegalTransition, ValidationFailed

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")


def cph(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


@pytest.fixture
def received(submit, time_machine):
    """``received(**inquiry)``: received Fri 27 Nov 2026 09:00; the clock then stands on
    Mon 30 Nov 09:00, ready to screen."""

    def make(**fields):
        time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
        case = submit(**fields)
        time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
        return case

    return make


# --- who may screen, and when ------------------------------------------------------------


def test_a_business_user_cannot_screen(received, owner, karen, state_of):
    # (karen exists, so the refusal is not for want of a coordinator)
    case = received()
    before = state_of(case)

    with pytest.raises(Forbidden):
        case_screen(case=case, actor=owner)

    assert state_of(case) == before
    assert not BusinessEvent.objects.exists()


def test_an_inactive_staff_member_cannot_screen(received, karen, lars, state_of):
    case = received()
    lars.is_active = False
    lars.save()
    before = state_of(case)

    with pytest.raises(Forbidden):
        case_screen(case=case, actor=lars)

    assert state_of(case) == before


def test_only_those_who_coordinate_screen_whichever_interface_asks(
    received, bodil, karen, state_of
):
    """The workbench shows the screening form to coordinators only; the API asks the same
    service, so the rule lives here (a caseworker's token used to screen through the API)."""
    case = received()
    before = state_of(case)

    with pytest.raises(Forbidden, match="Kun tovholdere kan screene henvendelser"):
        case_screen(case=case, actor=bodil)

    assert state_of(case) == before
    assert case_screen(case=case, actor=karen).screened_by == karen


def test_a_case_is_screened_only_once(received, karen, lars, state_of):
    case = case_screen(case=received(), actor=karen)
    before = state_of(case)

    with pytest.raises(IllegalTransition):
        case_screen(case=case, actor=lars)

    assert state_of(case) == before


def test_screening_records_who_and_when(received, karen):
    screened = case_screen(case=received(), actor=karen)

    assert screened.screened_at == cph(2026, 11, 30, 9)
    assert screened.screened_by == karen
    assert screened.version == 2


# --- coordinator -------------------------------------------------------------------------


def test_screening_keeps_the_fixed_contact_person(received, business, karen, lars, give_cases):
    # Lars is the fixed contact although Karen has fewer open cases.
    business.contact_person = lars
    business.save()
    give_cases(lars, 3)

    screened = case_screen(case=received(), actor=karen)

    assert screened.coordinator == lars
    business.refresh_from_db()
    assert business.contact_person == lars
    assert not BusinessEvent.objects.filter(business=business).exists()
    appointed = screened.events.get(kind="coordinator_appointed")
    assert "Lars Lund" in appointed.text
    assert "faste kontaktperson" in appointed.text
    assert not screened.events.filter(kind="contact_person_changed").exists()


def test_without_a_fixed_contact_the_least_loaded_coordinator_is_appointed(
    received, business, karen, lars, give_cases
):
    # Karen 2 open; Lars 1 open (answered, closed and withdrawn cases are not load).
    give_cases(karen, 1, CaseStatus.IN_PROGRESS)
    give_cases(karen, 1, CaseStatus.AWAITING_BUSINESS)
    give_cases(lars, 1, CaseStatus.RECEIVED)
    give_cases(lars, 2, CaseStatus.ANSWERED)
    give_cases(lars, 2, CaseStatus.CLOSED)
    give_cases(lars, 2, CaseStatus.WITHDRAWN)

    screened = case_screen(case=received(), actor=karen)

    assert screened.coordinator == lars
    assert "færrest åbne sager" in screened.events.get(kind="coordinator_appointed").text


def test_the_least_loaded_coordinator_becomes_the_fixed_contact_person(
    received, business, karen, lars, give_cases
):
    give_cases(karen, 1)
    case = received()

    screened = case_screen(case=case, actor=karen)

    business.refresh_from_db()
    assert business.contact_person == lars
    changed = BusinessEvent.objects.get(business=business)
    assert changed.kind == "contact_person_changed"
    assert changed.actor == karen
    assert case.reference in changed.text
    event = screened.events.get(kind="contact_person_changed")
    assert event.text == "Lars Lund er nu virksomhedens faste kontaktperson."
    assert event.actor == karen


def test_a_tie_in_load_goes_to_the_first_username(received, karen, lars, give_cases):
    give_cases(karen, 1)
    give_cases(lars, 1)
    give_cases(StaffFactory(username="mette", is_coordinator=True), 1)

    screened = case_screen(case=received(), actor=lars)

    assert screened.coordinator == karen  # "karen" < "lars" < "mette"


def test_inactive_coordinators_and_other_staff_are_never_appointed(
    received, karen, lars, bodil, give_cases
):
    give_cases(karen, 2)
    give_cases(lars, 1)
    StaffFactory(username="aage", is_coordinator=True, is_active=False)  # no load, inactive

    screened = case_screen(case=received(), actor=karen)

    # Bodil (a caseworker, no load) and Aage (inactive) are passed over.
    assert screened.coordinator == lars


def test_an_inactive_fixed_contact_person_is_skipped_and_replaced(
    received, business, karen, lars, give_cases
):
    business.contact_person = lars
    business.save()
    lars.is_active = False
    lars.save()
    give_cases(karen, 4)

    screened = case_screen(case=received(), actor=karen)

    assert screened.coordinator == karen
    business.refresh_from_db()
    assert business.contact_person == karen
    assert "før: Lars Lund" in BusinessEvent.objects.get(business=business).text


def test_a_fixed_contact_person_who_is_no_longer_a_coordinator_is_skipped(
    received, business, karen, lars
):
    business.contact_person = lars
    business.save()
    lars.is_coordinator = False
    lars.save()

    screened = case_screen(case=received(), actor=karen)

    assert screened.coordinator == karen
    business.refresh_from_db()
    assert business.contact_person == karen


def test_staff_can_name_the_coordinator_by_username(received, business, karen, lars):
    business.contact_person = karen
    business.save()

    screened = case_screen(case=received(), actor=karen, coordinator="lars")

    assert screened.coordinator == lars
    assert "valgt af medarbejderen" in screened.events.get(kind="coordinator_appointed").text
    business.refresh_from_db()
    assert business.contact_person == karen  # an active fixed contact stays


def test_a_named_coordinator_becomes_fixed_contact_of_a_business_without_one(
    received, business, karen, lars
):
    case_screen(case=received(), actor=karen, coordinator=lars)

    business.refresh_from_db()
    assert business.contact_person == lars


@pytest.mark.parametrize("username", ["findes-ikke", "bodil", "aage", "ejer@fynsk.dk"])
def test_a_coordinator_who_is_not_an_active_coordinator_is_refused(
    received, karen, bodil, owner, state_of, username
):
    StaffFactory(username="aage", is_coordinator=True, is_active=False)
    case = received()
    before = state_of(case)

    with pytest.raises(ValidationFailed) as refused:
        case_screen(case=case, actor=karen, coordinator=username)

    assert list(refused.value.errors) == ["coordinator"]
    assert state_of(case) == before


def test_screening_is_refused_when_there_is_no_active_coordinator(received, state_of):
    case = received()
    before = state_of(case)
    head = StaffFactory(username="hanne", is_head_of_unit=True)  # screens, coordinates nothing

    with pytest.raises(ValidationFailed) as refused:
        case_screen(case=case, actor=head)

    assert list(refused.value.errors) == ["coordinator"]
    assert state_of(case) == before


# --- estimate and status -----------------------------------------------------------------


def test_the_estimate_is_the_screening_date_plus_the_longest_target(received, karen):
    # udeservering 10 working days, raadgivning 5: the longer one counts.
    case = received(service_types=["udeservering", "raadgivning"])

    screened = case_screen(case=case, actor=karen)

    # Mon 30 Nov + 10 working days: Dec 1–4, 7–11, Mon 14 Dec.
    assert screened.estimated_answer_date == dt.date(2026, 12, 14)
    assert screened.estimate_at_screening == dt.date(2026, 12, 14)
    estimate = screened.events.get(kind="estimate_set")
    assert "14.12.2026" in estimate.text
    assert "10 arbejdsdage" in estimate.text
    assert "Udeservering" in estimate.text


def test_the_estimate_runs_over_christmas_and_new_year(received, karen):
    case = received(
        service_types=["byggetilladelse-erhverv", "udeservering"],
        answers={"matrikel": "12a", "etageareal": 900, "areal": 10},
    )

    screened = case_screen(case=case, actor=karen)

    # Mon 30 Nov + 30 working days (see the table at the top): Fri 15 Jan 2027.
    assert screened.estimated_answer_date == dt.date(2027, 1, 15)


def test_the_estimate_counts_from_the_screening_date_not_the_receipt(received, karen, time_machine):
    case = received()
    time_machine.move_to(cph(2026, 12, 16, 13), tick=False)

    screened = case_screen(case=case, actor=karen)

    # Wed 16 Dec + 10: 17, 18, 21, 22, 23, (24–27 closed), 28, 29, 30, (31 Dec – 3 Jan
    # closed), Mon 4, Tue 5 Jan.
    assert screened.estimated_answer_date == dt.date(2027, 1, 5)
    assert "(efter fristen)" in screened.events.get(kind="screened").text


def test_a_complete_case_goes_into_progress(received, karen):
    screened = case_screen(case=received(), actor=karen)

    assert screened.status == CaseStatus.IN_PROGRESS
    assert screened.paused_since is None
    screened_event = screened.events.get(kind="screened")
    assert screened_event.data == {"complete": True, "missing": [], "on_time": True}
    assert "Alle oplysninger er modtaget." in screened_event.text


def test_a_case_with_missing_material_awaits_the_business(received, karen):
    case = received(service_types=["byggetilladelse-erhverv"], answers={"matrikel": "12a"})

    screened = case_screen(case=case, actor=karen)

    assert screened.status == CaseStatus.AWAITING_BUSINESS
    assert screened.paused_since == dt.date(2026, 11, 30)
    screened_event = screened.events.get(kind="screened")
    assert screened_event.data["missing"] == ["etageareal", "tegninger"]
    assert "Mangler 2: Etageareal i m²; Tegninger." in screened_event.text
    status = screened.events.get(kind="status_changed")
    assert status.data == {"old": "received", "new": "awaiting_business"}


def test_material_supplied_before_screening_counts(received, karen, owner):
    case = received(service_types=["udeservering"], answers={})
    case_supply_answers(case=case, actor=owner, answers={"areal": 14})

    screened = case_screen(case=case, actor=karen)

    assert screened.status == CaseStatus.IN_PROGRESS
    assert not screened.deliverables.filter(party=Deliverable.Party.BUSINESS).exists()


# --- delivery plan -----------------------------------------------------------------------


def test_the_delivery_plan_has_the_municipalitys_answers_and_the_missing_material(received, karen):
    case = received(
        service_types=["byggetilladelse-erhverv", "miljoegodkendelse"],
        answers={"matrikel": "12a", "listepunkt": "K206"},
    )

    screened = case_screen(case=case, actor=karen)

    # Each department its own date (issue 14, item 4): Mon 30 Nov + 30 working days
    # (byggetilladelse) = Fri 15 Jan 2027; + 60 (miljøgodkendelse) = Fri 26 Feb 2027, which is
    # the case's estimate. Business deliverables: Mon 30 Nov + 10 working days = Mon 14 Dec.
    plan = [
        (d.party, d.title, d.service_type and d.service_type.code, d.requirement_key, d.due_date)
        for d in screened.deliverables.order_by("id")
    ]
    assert plan == [
        (
            "municipality",
            "Svar: Byggetilladelse til industri og lager",
            "byggetilladelse-erhverv",
            "",
            dt.date(2027, 1, 15),
        ),
        (
            "municipality",
            "Svar: Miljøgodkendelse (bilag 2)",
            "miljoegodkendelse",
            "",
            dt.date(2027, 2, 26),
        ),
        ("business", "Oplys: Etageareal i m²", None, "etageareal", dt.date(2026, 12, 14)),
        ("business", "Send: Tegninger", None, "tegninger", dt.date(2026, 12, 14)),
        ("business", "Send: Ansøgningsskema", None, "ansoegningsskema", dt.date(2026, 12, 14)),
    ]
    assert set(screened.deliverables.values_list("status", flat=True)) == {"pending"}
    assert screened.events.get(kind="delivery_plan").text == (
        "Leveranceplan: kommunen leverer 2, virksomheden 3 (senest 14.12.2026)."
    )


def test_a_complete_case_has_only_municipality_deliverables(received, karen):
    screened = case_screen(case=received(), actor=karen)

    assert list(screened.deliverables.values_list("party", "due_date")) == [
        ("municipality", dt.date(2026, 12, 14))
    ]


def test_the_business_deadline_is_the_municipalitys_setting(received, karen):
    Municipality.objects.filter(pk=1).update(business_deliverable_working_days=3)
    case = received(service_types=["udeservering"], answers={})

    screened = case_screen(case=case, actor=karen)

    # Mon 30 Nov + 3 working days: Tue 1, Wed 2, Thu 3 Dec.
    business_due = screened.deliverables.get(party="business").due_date
    assert business_due == dt.date(2026, 12, 3)


def test_the_screening_deadline_is_the_municipalitys_setting(submit, time_machine):
    Municipality.objects.filter(pk=1).update(screening_working_days=3)
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)

    case = submit()

    # Fri 27 Nov + 3 working days: Mon 30 Nov, Tue 1, Wed 2 Dec (with the default 5: 4 Dec).
    assert case.screening_due == dt.date(2026, 12, 2)


# --- tasks -------------------------------------------------------------------------------


def test_one_task_per_department_with_all_its_service_types(received, karen, simple_construction):
    case = received(
        service_types=["byggetilladelse-erhverv", "udeservering", simple_construction.code],
        answers={"matrikel": "12a", "etageareal": 900, "areal": 10},
    )

    screened = case_screen(case=case, actor=karen)

    tasks = {
        task.department.code: sorted(st.code for st in task.service_types.all())
        for task in screened.tasks.all()
    }
    assert tasks == {
        "byggeri": ["byggetilladelse-erhverv", "byggetilladelse-simpel"],
        "vej": ["udeservering"],
    }
    assert set(Task.objects.filter(case=case).values_list("status", flat=True)) == {"open"}
    texts = list(screened.events.filter(kind="task_created").values_list("text", flat=True))
    assert len(texts) == 2
    assert (
        "Opgave til Byggeri: Byggetilladelse til industri og lager, "
        "Byggetilladelse til simple konstruktioner." in texts
    )


# --- the timeline ------------------------------------------------------------------------


def test_screening_writes_its_steps_to_the_timeline_in_order(received, karen):
    case = received(service_types=["udeservering"], answers={})
    before = list(Event.objects.filter(case=case).values_list("kind", flat=True))

    case_screen(case=case, actor=karen, note="Ring til ejeren om skitsen.")

    after = list(Event.objects.filter(case=case).values_list("kind", flat=True))
    assert after[: len(before)] == before
    assert after[len(before) :] == [
        "screened",
        "coordinator_appointed",
        "contact_person_changed",
        "estimate_set",
        "delivery_plan",
        "task_created",
        "status_changed",
    ]
    new_events = Event.objects.filter(case=case).exclude(kind__in=before)
    assert {e.actor_id for e in new_events} == {karen.pk}
    assert {e.at for e in new_events} == {cph(2026, 11, 30, 9)}
    assert "Intern note: Ring til ejeren om skitsen." in new_events.get(kind="screened").text


def test_a_coordinator_chosen_before_screening_is_kept(submit, karen, lars, business):
    # Given the business has no fixed contact and Karen has the fewer open cases,
    # but Lars was made coordinator while the inquiry waited for screening
    case = submit()
    case = case_change_coordinator(case=case, actor=karen, coordinator="lars")

    # When Karen screens it without naming a coordinator
    screened = case_screen(case=case, actor=karen)

    # Then Lars stays, and becomes the business's fixed contact person
    assert screened.coordinator == lars
    assert screened.business.contact_person == lars
    appointed = Event.objects.get(case=case, kind="coordinator_appointed")
    assert appointed.text == "Tovholder: Lars Lund (valgt før screeningen)."
