"""Inspection visits through their services and selectors: a visit is a case of the business,
offered times, a booked visit, findings and agreed solutions in the delivery plan,
enforcement apart, the report on time, publication — and who may do and see what.

The clock is frozen with time-machine at Friday 27 November 2026, 10:00 in Copenhagen, unless
a test moves it. Personas (src/conftest.py): ``soeren`` (below) is the inspector, a Miljø
caseworker; ``karen`` and ``lars`` are coordinators; ``bodil`` is a Byggeri caseworker;
``owner`` acts for ``business``, ``other_owner`` for ``other_business``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from erhvervskontakt.accounts.models import User
from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.businesses.models import Business, BusinessEvent, Membership, ProductionUnit
from erhvervskontakt.businesses.services import production_unit_register
from erhvervskontakt.businesses.tests.factories import BusinessFactory
from erhvervskontakt.cases import services as case_services
from erhvervskontakt.cases.models import (
    Case,
    CaseStatus,
    Channel,
    Deliverable,
    Document,
    Event,
    Message,
    Task,
)
from erhvervskontakt.cases.selectors import my_cases
from erhvervskontakt.catalogue.models import Municipality, ServiceType
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import (
    Conflict,
    Forbidden,
    IllegalTransition,
    NotFound,
    ValidationFailed,
)
from erhvervskontakt.inspections import selectors, services
from erhvervskontakt.inspections.models import (
    Enforcement,
    Finding,
    Inspection,
    InspectionPlan,
    PlanItem,
    Visit,
    VisitSlot,
)
from erhvervskontakt.notifications.models import Notification
from erhvervskontakt.surveys.models import Invitation

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
FOCUS = "Oplag af olie og kemikalier, spildbakker og olieudskilleren."


def cph(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


# --- set-up ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def friday(time_machine: Any) -> None:
    time_machine.move_to(cph(2026, 11, 27), tick=False)


@pytest.fixture
def miljoetilsyn(catalogue: dict[str, ServiceType]) -> ServiceType:
    return ServiceType.objects.create(
        code="miljoetilsyn",
        name="Miljøtilsyn",
        group=ServiceType.Group.ENVIRONMENT,
        department=catalogue["miljoegodkendelse"].department,
        target_working_days=40,
        kle_code="09.00.05",
        requestable=False,
    )


@pytest.fixture
def soeren(miljoetilsyn: ServiceType) -> User:
    return StaffFactory(
        username="soeren",
        first_name="Søren",
        last_name="Krogh",
        department=miljoetilsyn.department,
    )


@pytest.fixture
def unit(business: Business, karen: User, lars: User) -> ProductionUnit:
    business.contact_person = lars
    business.save(update_fields=["contact_person"])
    return production_unit_register(
        business=business,
        p_number="1017300001",
        name="Fynsk Maskinfabrik Værksted",
        address="Industrivej 1, 5000 Odense C",
        actor=karen,
    )


@pytest.fixture
def other_unit(other_business: Business, karen: User) -> ProductionUnit:
    return production_unit_register(
        business=other_business, p_number="1017300002", name="Anden Lakering", actor=karen
    )


@pytest.fixture
def create(unit: ProductionUnit, soeren: User, miljoetilsyn: ServiceType) -> Callable[..., Visit]:
    """``create(**fields)``: a basic inspection of ``unit`` opened by the inspector."""

    def make(**fields: Any) -> Visit:
        values: dict[str, Any] = {
            "unit": unit,
            "actor": soeren,
            "kind": "basic",
            "focus": FOCUS,
            "contact_name": "Eva Ejer",
            "contact_email": "eva@fynsk.dk",
        }
        values.update(fields)
        return services.visit_create(**values)

    return make


THREE = [
    (cph(2026, 12, 8, 9), cph(2026, 12, 8, 11)),
    (cph(2026, 12, 7, 9), cph(2026, 12, 7, 11)),
    (cph(2026, 12, 10, 13), cph(2026, 12, 10, 15)),
]


@pytest.fixture
def offered(create: Callable[..., Visit], soeren: User) -> Visit:
    return services.visit_offer_slots(visit=create(), actor=soeren, slots=list(THREE))


@pytest.fixture
def booked(offered: Visit, owner: User) -> Visit:
    first = offered.slots.order_by("starts_at").first()
    assert first is not None
    return services.visit_choose_slot(visit=offered, actor=owner, slot_id=first.pk)


@pytest.fixture
def visited(booked: Visit, soeren: User, time_machine: Any) -> Visit:
    """Carried out Monday 7 December 2026 (report by 7 Feb, publication by 7 Apr 2027)."""
    time_machine.move_to(cph(2026, 12, 7, 14), tick=False)
    return services.visit_mark_visited(
        visit=booked, actor=soeren, visited_on=dt.date(2026, 12, 7), physical=True
    )


@pytest.fixture
def counts() -> Callable[[], dict[str, int]]:
    """Row counts of everything a visit service may write."""
    models = (
        Case,
        Visit,
        VisitSlot,
        Finding,
        Enforcement,
        Event,
        Message,
        Deliverable,
        Document,
        Task,
        Inspection,
        BusinessEvent,
        Invitation,
        Notification,
    )

    def count() -> dict[str, int]:
        return {model.__name__: model.objects.count() for model in models}

    return count


def state(visit: Visit) -> dict[str, Any]:
    """Everything about a visit a service could change, read fresh."""
    row = Visit.objects.get(pk=visit.pk)
    return {
        "status": row.status,
        "version": row.version,
        "focus": row.focus,
        "visit_at": row.visit_at,
        "visited_on": row.visited_on,
        "report": (row.self_monitoring, row.follows_up, row.conclusion, row.report_sent_on),
        "published_on": row.published_on,
        "slots": list(row.slots.order_by("id").values_list("status", flat=True)),
        "case": Case.objects.filter(pk=row.case_id).values_list("status", "version").get(),
    }


def kinds(case: Case) -> list[str]:
    return list(Event.objects.filter(case=case).order_by("id").values_list("kind", flat=True))


# --- opening a visit ---------------------------------------------------------------------


def test_a_visit_is_a_case_of_the_business_opened_by_the_municipality(
    create, unit, soeren, lars, business
):
    visit = create()

    case = visit.case
    assert (visit.status, visit.kind, visit.physical, visit.focus) == (
        "planned",
        "basic",
        True,
        FOCUS,
    )
    assert (visit.unit, visit.inspector, visit.created_by, visit.version) == (
        unit,
        soeren,
        soeren,
        1,
    )
    assert case.business == business
    assert (case.channel, case.status) == (Channel.INSPECTION, CaseStatus.IN_PROGRESS)
    assert [st.code for st in case.service_types.all()] == ["miljoetilsyn"]
    assert (case.contact_name, case.contact_email) == ("Eva Ejer", "eva@fynsk.dk")
    # Opened already screened; the municipality promised no answer date.
    assert case.screened_on == dt.date(2026, 11, 27) and case.screened_by == soeren
    assert case.estimated_answer_date is None and case.promised_answer_date is None
    assert not Case.objects.overdue(dt.date(2027, 6, 1)).filter(pk=case.pk).exists()
    # The fixed contact person coordinates (and so has it in "my cases"); the inspector has
    # the Miljø task.
    assert case.coordinator == lars
    assert case in my_cases(user=lars)[:50]
    task = Task.objects.get(case=case)
    assert (task.department.name, task.assignee, task.status) == ("Miljø", soeren, "in_progress")
    assert kinds(case) == ["opened", "coordinator_appointed", "task_assigned", "visit_created"]
    events = {e.kind: e.text for e in case.events.all()}
    assert events["coordinator_appointed"] == (
        "Tovholder: Lars Lund (virksomhedens faste kontaktperson); orienteret om sagen."
    )
    assert events["visit_created"] == (
        "Tilsynsbesøg oprettet: basistilsyn (fysisk) af Fynsk Maskinfabrik Værksted, "
        f"P-nummer 1017300001. Tilsynsførende: Søren Krogh. Det ser vi på: {FOCUS}"
    )
    assert all(not e.internal for e in case.events.all())


def test_without_a_fixed_contact_person_the_least_loaded_coordinator_takes_it(
    create, unit, business, karen, lars
):
    business.contact_person = None
    business.save(update_fields=["contact_person"])
    elsewhere = BusinessFactory()
    Case.objects.create(
        reference="EK-2000-00001",
        year=2000,
        number=1,
        business=elsewhere,
        contact_name="Load",
        contact_email="load@firma.test",
        description="Belastning",
        channel="api",
        status=CaseStatus.IN_PROGRESS,
        received_at=cph(2026, 1, 5),
        screening_due=dt.date(2026, 1, 12),
        coordinator=karen,
    )

    visit = create()

    assert visit.case.coordinator == lars  # karen has one open case, lars none
    business.refresh_from_db()
    assert business.contact_person == lars
    assert "contact_person_changed" in kinds(visit.case)


def test_the_contact_defaults_to_a_member_then_the_latest_case_contact(
    create, business, owner, catalogue
):
    owner.first_name, owner.last_name, owner.email = "Ole", "Ejer", "ole@fynsk.dk"
    owner.save()

    first = create(contact_name="", contact_email="")  # no case yet: the portal user
    assert (first.case.contact_name, first.case.contact_email) == ("Ole Ejer", "ole@fynsk.dk")

    case_services.inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["raadgivning"],
        description="Spørgsmål om nyt lager.",
        contact={"name": "Eva Ejer", "email": "eva@fynsk.dk"},
    )
    second = create(contact_name="", contact_email="")  # the latest case's contact
    assert (second.case.contact_name, second.case.contact_email) == ("Eva Ejer", "eva@fynsk.dk")


def test_a_business_with_no_contact_at_all_must_be_given_one(create, counts):
    lonely = BusinessFactory()
    unit = production_unit_register(business=lonely, p_number="1017300010", name="X", actor=None)
    before = counts()

    with pytest.raises(ValidationFailed) as refused:
        create(unit=unit, contact_name="", contact_email="")

    assert refused.value.errors == {
        "contact_email": "Virksomheden har ingen kontaktperson endnu; angiv navn og e-mail."
    }
    assert counts() == before


def test_a_bad_visit_names_every_fault_and_opens_nothing(create, bodil, counts):
    before = counts()

    with pytest.raises(ValidationFailed) as refused:
        create(
            kind="start_up",
            focus="  ",
            physical=False,
            inspector=bodil,
            contact_name="",
            contact_email="ikke-en-adresse",
        )

    assert refused.value.errors == {
        "focus": "Skriv, hvad tilsynet skal se på.",
        "physical": "Basis- og opstartstilsyn skal være fysiske.",
        "inspector": "Bodil Bach kan ikke være tilsynsførende (Miljø, tovholder eller leder).",
        "contact_name": "Angiv navnet på virksomhedens kontaktperson.",
        "contact_email": "E-mailadressen er ikke gyldig.",
    }
    with pytest.raises(ValidationFailed) as unknown:
        create(kind="visit")
    assert unknown.value.errors == {"kind": "Vælg en type tilsyn."}
    assert counts() == before


def test_only_miljoe_coordinators_and_heads_open_visits(
    create, owner, bodil, karen, soeren, counts
):
    before = counts()
    for actor in (owner, bodil):
        with pytest.raises(Forbidden):
            create(actor=actor)
    assert counts() == before

    visit = create(actor=karen, inspector=soeren)  # a coordinator opens it for soeren
    assert visit.inspector.username == "soeren"
    assert visit.case.tasks.get().assignee.username == "soeren"


def test_without_the_service_type_in_the_catalogue_no_visit_is_opened(
    unit, soeren, miljoetilsyn, counts
):
    miljoetilsyn.active = False
    miljoetilsyn.save()
    before = counts()

    with pytest.raises(ValidationFailed) as refused:
        services.visit_create(unit=unit, actor=soeren, kind="basic", focus=FOCUS)

    assert "miljoetilsyn" in refused.value.errors["service_type"]
    assert counts() == before


def test_a_closed_unit_gets_no_visit(create, unit, counts):
    unit.active = False
    unit.save()
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        create()
    assert refused.value.errors == {"unit": "Produktionsenheden er lukket."}
    assert counts() == before


@pytest.fixture
def plan_item(unit: ProductionUnit) -> PlanItem:
    plan = InspectionPlan.objects.create(year=2026, proposed_at=cph(2026, 1, 2))
    return PlanItem.objects.create(
        plan=plan, unit=unit, category="1a", kind="basic", why="Basistilsyn i perioden."
    )


def test_a_visit_from_the_plan_must_match_its_item(
    create, plan_item, other_unit, soeren, counts, karen
):
    before = counts()
    with pytest.raises(ValidationFailed) as wrong_kind:
        create(kind="prioritised", plan_item_id=plan_item.pk)
    assert wrong_kind.value.errors == {
        "kind": "Punktet i tilsynsplanen er et basistilsyn; vælg den type."
    }
    with pytest.raises(ValidationFailed) as other:
        create(unit=other_unit, plan_item_id=plan_item.pk)
    assert other.value.errors == {"plan_item": "Punktet findes ikke i enhedens tilsynsplan."}
    assert counts() == before

    visit = create(plan_item_id=plan_item.pk)
    assert visit.plan_item == plan_item
    assert "Fra tilsynsplan 2026." in Event.objects.get(kind="visit_created").text
    with pytest.raises(ValidationFailed) as twice:
        create(plan_item_id=plan_item.pk)
    assert twice.value.errors == {
        "plan_item": "Der er allerede et tilsynsbesøg for punktet i tilsynsplanen."
    }

    # A cancelled visit frees the item; a done item takes no visit.
    services.visit_cancel(visit=visit, actor=soeren, reason="Virksomheden holder lukket.")
    assert create(plan_item_id=plan_item.pk).plan_item == plan_item
    PlanItem.objects.filter(pk=plan_item.pk).update(status="done")
    Visit.objects.filter(plan_item=plan_item).update(status="cancelled")
    with pytest.raises(ValidationFailed) as done:
        create(plan_item_id=plan_item.pk)
    assert done.value.errors == {"plan_item": "Punktet i tilsynsplanen er ikke længere planlagt."}


def test_the_case_opening_refuses_what_the_visit_would(
    business, miljoetilsyn, owner, bodil, karen, counts
):
    before = counts()
    with pytest.raises(Forbidden):
        case_services.case_open_by_municipality(
            business=business,
            actor=owner,
            service_type=miljoetilsyn,
            description="Tilsyn",
            contact_name="Eva",
            contact_email="eva@fynsk.dk",
            caseworker=karen,
        )
    with pytest.raises(ValidationFailed) as refused:
        case_services.case_open_by_municipality(
            business=business,
            actor=karen,
            service_type=miljoetilsyn,
            description="",
            contact_name="Eva",
            contact_email="eva@",
            caseworker=bodil,
            channel="fax",
        )
    assert set(refused.value.errors) == {"channel", "description", "contact.email", "caseworker"}
    assert counts() == before


# --- offering times and choosing one -------------------------------------------------------


def test_offered_times_are_stored_in_order_and_sent_to_the_business(
    create, soeren, django_capture_on_commit_callbacks
):
    visit = create()

    with django_capture_on_commit_callbacks(execute=True):
        offered = services.visit_offer_slots(
            visit=visit, actor=soeren, slots=list(THREE), expected_version=1
        )

    assert offered.status == "offered" and offered.version == 2
    assert [(s.starts_at, s.ends_at, s.status) for s in offered.slots.all()] == [
        (cph(2026, 12, 7, 9), cph(2026, 12, 7, 11), "offered"),
        (cph(2026, 12, 8, 9), cph(2026, 12, 8, 11), "offered"),
        (cph(2026, 12, 10, 13), cph(2026, 12, 10, 15), "offered"),
    ]
    message = Message.objects.get(case=visit.case)
    assert not message.internal and message.author == soeren
    assert (
        "Vælg det tidspunkt, der passer jer bedst, under sagen i selvbetjeningen:\n"
        "- mandag 7. december 2026 kl. 09.00–11.00\n"
        "- tirsdag 8. december 2026 kl. 09.00–11.00\n"
        "- torsdag 10. december 2026 kl. 13.00–15.00"
    ) in message.body
    assert f"Det ser vi på: {FOCUS}" in message.body
    assert Event.objects.get(case=visit.case, kind="visit_slots_offered").text == (
        "Virksomheden er tilbudt 3 tidspunkter til tilsynsbesøget: "
        "mandag 7. december 2026 kl. 09.00–11.00; tirsdag 8. december 2026 kl. 09.00–11.00; "
        "torsdag 10. december 2026 kl. 13.00–15.00."
    )
    # The message goes out as the existing staff message e-mail.
    mail = Notification.objects.get(case=visit.case)
    assert (mail.kind, mail.recipient_email) == ("staff_message", "eva@fynsk.dk")


def test_new_times_withdraw_the_earlier_ones_and_a_booked_time(offered, owner, soeren):
    first = offered.slots.order_by("starts_at").first()
    booked = services.visit_choose_slot(visit=offered, actor=owner, slot_id=first.pk)
    assert booked.visit_at == cph(2026, 12, 7, 9)

    again = services.visit_offer_slots(
        visit=booked, actor=soeren, slots=[(cph(2026, 12, 14, 9), cph(2026, 12, 14, 10))]
    )

    assert (again.status, again.visit_at) == ("offered", None)
    assert list(again.slots.values_list("status", flat=True)) == [
        "withdrawn",
        "withdrawn",
        "withdrawn",
        "offered",
    ]
    assert (
        Event.objects.filter(kind="visit_slots_offered")
        .last()
        .text.endswith("Den aftalte tid er trukket tilbage.")
    )


@pytest.mark.parametrize(
    ("given", "errors"),
    [
        ([], {"slots": "Tilbyd mindst ét tidspunkt."}),
        (
            [(cph(2026, 12, d, 9), cph(2026, 12, d, 10)) for d in range(1, 10)],
            {"slots": "Tilbyd højst 8 tidspunkter."},
        ),
        (
            [(cph(2026, 11, 27, 9), cph(2026, 11, 27, 11))],
            {"slots.0": "Tidspunktet ligger i fortiden; tilbyd en tid frem i tiden."},
        ),
        (
            [
                (cph(2026, 12, 7, 9), cph(2026, 12, 7, 11)),
                (cph(2026, 12, 8, 11), cph(2026, 12, 8, 9)),
                (cph(2026, 12, 9, 22), cph(2026, 12, 10, 1)),
                (dt.datetime(2026, 12, 11, 9), dt.datetime(2026, 12, 11, 10)),
                ("i morgen", "kl. 10"),
            ],
            {
                "slots.1": "Sluttidspunktet skal ligge efter starttidspunktet.",
                "slots.2": "Start og slut skal ligge på samme dag.",
                "slots.3": "Angiv dato, start og slut.",
                "slots.4": "Angiv dato, start og slut.",
            },
        ),
        (
            [
                (cph(2026, 12, 7, 9), cph(2026, 12, 7, 11)),
                (cph(2026, 12, 7, 10), cph(2026, 12, 7, 12)),
            ],
            {
                "slots": "Tidspunkterne mandag 7. december 2026 kl. 09.00–11.00 og "
                "mandag 7. december 2026 kl. 10.00–12.00 overlapper."
            },
        ),
    ],
)
def test_bad_times_are_refused_and_nothing_changes(offered, soeren, counts, given, errors):
    before, was = counts(), state(offered)

    with pytest.raises(ValidationFailed) as refused:
        services.visit_offer_slots(visit=offered, actor=soeren, slots=given)

    assert refused.value.errors == errors
    assert (counts(), state(offered)) == (before, was)


def test_times_offered_on_a_stale_page_are_refused(offered, soeren, counts):
    before, was = counts(), state(offered)
    with pytest.raises(Conflict) as stale:
        services.visit_offer_slots(
            visit=offered, actor=soeren, slots=list(THREE), expected_version=1
        )
    assert "genindlæs siden" in stale.value.message
    assert (counts(), state(offered)) == (before, was)


def test_the_business_picks_a_time_and_the_visit_is_booked(offered, owner):
    second = offered.slots.order_by("starts_at")[1]

    booked = services.visit_choose_slot(visit=offered, actor=owner, slot_id=second.pk)

    assert (booked.status, booked.visit_at) == ("booked", cph(2026, 12, 8, 9))
    assert [(s.pk == second.pk, s.status) for s in booked.slots.all()] == [
        (False, "withdrawn"),
        (True, "chosen"),
        (False, "withdrawn"),
    ]
    assert VisitSlot.objects.get(pk=second.pk).chosen_by == owner
    event = Event.objects.get(kind="visit_slot_chosen")
    assert (event.actor, event.text) == (
        owner,
        "Tid til tilsynsbesøget valgt af virksomheden: tirsdag 8. december 2026 kl. 09.00–11.00.",
    )


def test_choosing_the_chosen_time_again_changes_nothing(booked, owner, counts):
    chosen = booked.slots.get(status="chosen")
    before, was = counts(), state(booked)

    again = services.visit_choose_slot(visit=booked, actor=owner, slot_id=chosen.pk)

    assert again.status == "booked"
    assert (counts(), state(booked)) == (before, was)


def test_another_business_cannot_choose_a_time_nor_see_the_visit(offered, other_owner, counts):
    slot = offered.slots.first()
    before, was = counts(), state(offered)

    with pytest.raises(NotFound):
        services.visit_choose_slot(visit=offered, actor=other_owner, slot_id=slot.pk)

    assert (counts(), state(offered)) == (before, was)
    assert selectors.visit_for_case(case=offered.case, user=other_owner) is None
    with pytest.raises(NotFound):
        selectors.visit_get(user=other_owner, visit_id=offered.pk)
    assert selectors.visits_by_case(user=other_owner, case_ids=[offered.case_id]) == {}


def test_a_former_member_cannot_choose_a_time(offered, owner, business, counts):
    Membership.objects.filter(user=owner, business=business).update(active=False)
    before = counts()
    with pytest.raises(NotFound):
        services.visit_choose_slot(visit=offered, actor=owner, slot_id=offered.slots.first().pk)
    assert counts() == before
    assert selectors.visit_for_case(case=offered.case, user=owner) is None


def test_staff_may_choose_for_the_business_but_not_a_byggeri_caseworker(
    offered, soeren, bodil, counts
):
    slot = offered.slots.order_by("starts_at").last()
    before = counts()
    with pytest.raises(Forbidden):
        services.visit_choose_slot(visit=offered, actor=bodil, slot_id=slot.pk)
    assert counts() == before

    booked = services.visit_choose_slot(visit=offered, actor=soeren, slot_id=slot.pk)

    assert booked.visit_at == cph(2026, 12, 10, 13)
    assert Event.objects.get(kind="visit_slot_chosen").text.startswith(
        "Tid til tilsynsbesøget valgt af Søren Krogh for virksomheden:"
    )


def test_only_an_offered_future_time_of_this_visit_can_be_chosen(
    offered, owner, create, soeren, counts, time_machine
):
    elsewhere = services.visit_offer_slots(
        visit=create(kind="unplanned"),
        actor=soeren,
        slots=[(cph(2026, 12, 15, 9), cph(2026, 12, 15, 10))],
    )
    foreign = elsewhere.slots.get()
    before, was = counts(), state(offered)
    for slot_id, message in (
        (foreign.pk, "Vælg et af de tilbudte tidspunkter."),
        ("x", "Vælg et af de tilbudte tidspunkter."),
    ):
        with pytest.raises(ValidationFailed) as refused:
            services.visit_choose_slot(visit=offered, actor=owner, slot_id=slot_id)
        assert refused.value.errors == {"slot": message}

    time_machine.move_to(cph(2026, 12, 8, 12), tick=False)  # the first two are past
    first = offered.slots.order_by("starts_at").first()
    with pytest.raises(ValidationFailed) as past:
        services.visit_choose_slot(visit=offered, actor=owner, slot_id=first.pk)
    assert past.value.errors == {"slot": "Tidspunktet er overstået; vælg et andet."}
    assert (counts(), state(offered)) == (before, was)

    planned = create()
    with pytest.raises(IllegalTransition):
        services.visit_choose_slot(visit=planned, actor=owner, slot_id=first.pk)


# --- fixing the time, the focus ---------------------------------------------------------------


def test_the_inspector_fixes_the_time_and_the_business_is_told(offered, soeren):
    fixed = services.visit_fix_time(
        visit=offered,
        actor=soeren,
        at=cph(2026, 12, 9, 8, 30),
        reason="Aftalt i telefonen med Eva.",
        expected_version=offered.version,
    )

    assert (fixed.status, fixed.visit_at) == ("booked", cph(2026, 12, 9, 8, 30))
    assert set(fixed.slots.values_list("status", flat=True)) == {"withdrawn"}
    assert Event.objects.get(kind="visit_time_fixed").text == (
        "Tid til tilsynsbesøget fastsat af kommunen: onsdag 9. december 2026 kl. 08.30. "
        "Begrundelse: Aftalt i telefonen med Eva."
    )
    message = Message.objects.filter(case=offered.case).last()
    assert message.body.startswith(
        "Vi kommer på miljøtilsyn (basistilsyn) hos Fynsk Maskinfabrik Værksted, Industrivej 1, "
        "5000 Odense C onsdag 9. december 2026 kl. 08.30.\n\nAftalt i telefonen med Eva."
    )


def test_a_time_in_the_past_cannot_be_fixed(offered, soeren, counts):
    before, was = counts(), state(offered)
    with pytest.raises(ValidationFailed) as refused:
        services.visit_fix_time(visit=offered, actor=soeren, at=cph(2026, 11, 27, 9))
    assert refused.value.errors == {"at": "Tidspunktet ligger i fortiden."}
    with pytest.raises(ValidationFailed):
        services.visit_fix_time(visit=offered, actor=soeren, at="2026-12-09")  # type: ignore[arg-type]
    assert (counts(), state(offered)) == (before, was)


def test_the_focus_changes_before_the_visit_only(booked, soeren, counts):
    changed = services.visit_update_focus(
        visit=booked, actor=soeren, focus="Støj fra ventilationen.", expected_version=booked.version
    )
    assert changed.focus == "Støj fra ventilationen."
    assert Event.objects.get(kind="visit_focus_changed").text == (
        "Det ser vi på (ændret): Støj fra ventilationen."
    )
    assert Case.objects.get(pk=booked.case_id).description == (
        "Basistilsyn af Fynsk Maskinfabrik Værksted (P-nummer 1017300001).\n\n"
        "Det ser vi på: Støj fra ventilationen."
    )

    before = counts()
    with pytest.raises(ValidationFailed):
        services.visit_update_focus(visit=changed, actor=soeren, focus=" ")
    services.visit_mark_visited(
        visit=changed, actor=soeren, visited_on=dt.date(2026, 11, 27), physical=True
    )
    with pytest.raises(IllegalTransition):
        services.visit_update_focus(visit=changed, actor=soeren, focus="Noget andet.")
    assert Visit.objects.get(pk=booked.pk).focus == "Støj fra ventilationen."
    assert counts()["Event"] == before["Event"] + 1  # only the visited event


# --- carrying out the visit -------------------------------------------------------------------


def test_marking_visited_records_the_inspection_completes_the_plan_item_and_starts_clocks(
    create, plan_item, soeren, owner, time_machine
):
    visit = services.visit_fix_time(
        visit=create(plan_item_id=plan_item.pk), actor=soeren, at=cph(2026, 12, 7, 9)
    )
    time_machine.move_to(cph(2026, 12, 7, 14), tick=False)

    done = services.visit_mark_visited(
        visit=visit,
        actor=soeren,
        visited_on=dt.date(2026, 12, 7),
        physical=True,
        expected_version=visit.version,
    )

    assert (done.status, done.visited_on, done.physical) == ("visited", dt.date(2026, 12, 7), True)
    assert (done.report_due, done.publish_due) == (dt.date(2027, 2, 7), dt.date(2027, 4, 7))
    inspection = done.inspection
    assert (inspection.unit, inspection.on, inspection.kind, inspection.physical) == (
        visit.unit,
        dt.date(2026, 12, 7),
        "basic",
        True,
    )
    plan_item.refresh_from_db()
    assert (plan_item.status, plan_item.inspection) == ("done", inspection)
    assert Event.objects.get(kind="visit_visited").text == (
        "Tilsyn udført 07.12.2026 (fysisk). Tilsynsrapporten sendes senest 07.02.2027 og "
        "offentliggøres senest 07.04.2027."
    )
    assert BusinessEvent.objects.filter(kind="inspection_done").count() == 1
    assert done.case.status == "in_progress"  # the case goes on: report, agreed solutions


@pytest.mark.parametrize(
    ("visited_on", "report_due", "publish_due"),
    [
        (dt.date(2026, 12, 31), dt.date(2027, 2, 28), dt.date(2027, 4, 30)),
        (dt.date(2027, 12, 31), dt.date(2028, 2, 29), dt.date(2028, 4, 30)),
        (dt.date(2026, 10, 31), dt.date(2026, 12, 31), dt.date(2027, 2, 28)),
        (dt.date(2027, 6, 30), dt.date(2027, 8, 30), dt.date(2027, 10, 30)),
    ],
)
def test_the_clocks_are_calendar_months_clamped_to_the_month_end(
    create, soeren, time_machine, visited_on, report_due, publish_due
):
    time_machine.move_to(cph(visited_on.year, visited_on.month, visited_on.day, 16), tick=False)
    visit = create(kind="unplanned")

    done = services.visit_mark_visited(
        visit=visit, actor=soeren, visited_on=visited_on, physical=False
    )

    assert (done.report_due, done.publish_due) == (report_due, publish_due)


def test_an_unplanned_inspection_may_be_recorded_unannounced(create, soeren):
    offered = services.visit_offer_slots(
        visit=create(kind="unplanned", focus="Klage over lugt."), actor=soeren, slots=list(THREE)
    )

    done = services.visit_mark_visited(
        visit=offered, actor=soeren, visited_on=dt.date(2026, 11, 26), physical=True
    )

    assert done.status == "visited" and done.inspection.kind == "unplanned"
    assert set(done.slots.values_list("status", flat=True)) == {"withdrawn"}


def test_a_planned_kind_needs_an_agreed_time_before_it_is_carried_out(
    create, offered, soeren, counts
):
    planned = create()
    before = counts()
    for visit in (planned, offered):
        with pytest.raises(IllegalTransition) as refused:
            services.visit_mark_visited(
                visit=visit, actor=soeren, visited_on=dt.date(2026, 11, 27), physical=True
            )
        assert "kun et ikke-planlagt tilsyn kan registreres uanmeldt" in refused.value.message
    assert counts() == before


def test_a_visit_cannot_be_carried_out_in_the_future_nor_a_basic_one_remotely(
    booked, soeren, counts
):
    before, was = counts(), state(booked)

    with pytest.raises(ValidationFailed) as refused:
        services.visit_mark_visited(
            visit=booked, actor=soeren, visited_on=dt.date(2026, 11, 28), physical=False
        )

    assert refused.value.errors == {
        "visited_on": "Et tilsyn kan ikke registreres frem i tiden.",
        "physical": "Basis- og opstartstilsyn skal være fysiske.",
    }
    with pytest.raises(ValidationFailed):
        services.visit_mark_visited(
            visit=booked, actor=soeren, visited_on="27-11-2026", physical=True
        )
    assert (counts(), state(booked)) == (before, was)


def test_a_visit_is_carried_out_once(visited, soeren, counts):
    before = counts()
    with pytest.raises(IllegalTransition):
        services.visit_mark_visited(
            visit=visited, actor=soeren, visited_on=dt.date(2026, 12, 7), physical=True
        )
    assert counts() == before


def test_a_byggeri_caseworker_and_the_business_cannot_work_on_the_visit(
    booked, bodil, owner, counts
):
    before, was = counts(), state(booked)
    for actor in (bodil, owner):
        with pytest.raises(Forbidden):
            services.visit_mark_visited(
                visit=booked, actor=actor, visited_on=dt.date(2026, 11, 27), physical=True
            )
        with pytest.raises(Forbidden):
            services.visit_update_focus(visit=booked, actor=actor, focus="Andet.")
        with pytest.raises(Forbidden):
            services.visit_cancel(visit=booked, actor=actor, reason="Nej.")
    assert (counts(), state(booked)) == (before, was)


# --- findings and enforcement ---------------------------------------------------------------


def test_an_agreed_solution_is_a_business_deliverable_with_its_due_date(visited, soeren):
    finding = services.finding_add(
        visit=visited,
        actor=soeren,
        kind="agreement",
        text="Spildbakke under olietønderne i værkstedet.",
        due_date=dt.date(2027, 1, 15),
    )

    deliverable = finding.deliverable
    assert (deliverable.case, deliverable.party, deliverable.status) == (
        visited.case,
        "business",
        "pending",
    )
    assert (deliverable.title, deliverable.due_date) == (
        "Spildbakke under olietønderne i værkstedet",
        dt.date(2027, 1, 15),
    )
    assert deliverable.note == "Aftalt ved miljøtilsyn 07.12.2026."
    assert Event.objects.filter(case=visited.case, kind="deliverable_added").count() == 1
    assert Event.objects.get(kind="visit_finding").text == (
        "Aftalt løsning: Spildbakke under olietønderne i værkstedet. Frist 15.01.2027."
    )
    # The existing follow-up sees it: after the due date the case is overdue.
    assert not Case.objects.overdue(dt.date(2027, 1, 15)).filter(pk=visited.case_id).exists()
    assert Case.objects.overdue(dt.date(2027, 1, 16)).filter(pk=visited.case_id).exists()
    # Observations and advice are findings only.
    services.finding_add(visit=visited, actor=soeren, kind="observation", text="Ryddeligt.")
    services.finding_add(visit=visited, actor=soeren, kind="advice", text="Brug absorbent.")
    seen = selectors.visit_for_case(case=visited.case, user=soeren)
    assert [(f.kind, f.deliverable_id is not None) for f in seen.findings.all()] == [
        ("agreement", True),
        ("observation", False),
        ("advice", False),
    ]
    assert Deliverable.objects.filter(case=visited.case).count() == 1


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"kind": "agreement", "text": "Spildbakke."},
            {"due_date": "Angiv, hvornår løsningen skal være på plads."},
        ),
        (
            {"kind": "observation", "text": "Ryddeligt.", "due_date": dt.date(2027, 1, 15)},
            {"due_date": "Kun en aftalt løsning har en frist."},
        ),
        (
            {"kind": "agreement", "text": "Spildbakke.", "due_date": dt.date(2026, 12, 6)},
            {"due_date": "Fristen kan ikke ligge i fortiden."},
        ),
        (
            {"kind": "agreement", "text": "Spildbakke.", "due_date": "snart"},
            {"due_date": "Angiv datoen som en dato, fx 2027-03-01."},
        ),
        (
            {"kind": "complaint", "text": " "},
            {
                "kind": "Vælg observation, rådgivning eller aftalt løsning.",
                "text": "Skriv konstateringen.",
            },
        ),
        ({"kind": "advice", "text": "x" * 2001}, {"text": "Teksten må højst være 2000 tegn."}),
    ],
)
def test_a_bad_finding_is_refused_and_nothing_changes(visited, soeren, counts, fields, errors):
    before, was = counts(), state(visited)
    with pytest.raises(ValidationFailed) as refused:
        services.finding_add(visit=visited, actor=soeren, **fields)
    assert refused.value.errors == errors
    assert (counts(), state(visited)) == (before, was)


def test_findings_are_recorded_after_the_visit_and_before_the_report(booked, soeren, counts):
    before = counts()
    with pytest.raises(IllegalTransition) as early:
        services.finding_add(visit=booked, actor=soeren, kind="observation", text="Ryddeligt.")
    assert "registreres efter besøget" in early.value.message
    with pytest.raises(IllegalTransition):
        services.enforcement_add(
            visit=booked, actor=soeren, kind="warning", text="x", legal_basis="§ 42"
        )
    assert counts() == before


def test_enforcement_is_recorded_apart_from_the_findings(visited, soeren, time_machine):
    time_machine.move_to(cph(2026, 12, 9, 11), tick=False)

    order = services.enforcement_add(
        visit=visited,
        actor=soeren,
        kind="order",
        text="Olieudskilleren skal tømmes og have alarm.",
        legal_basis="Miljøbeskyttelseslovens § 42",
        deadline=dt.date(2027, 2, 1),
    )
    warning = services.enforcement_add(
        visit=visited,
        actor=soeren,
        kind="warning",
        text="Affald skal sorteres.",
        legal_basis="Affaldsbekendtgørelsen § 68",
        issued_on=dt.date(2026, 12, 7),
    )

    assert (order.issued_on, order.deadline, warning.issued_on) == (
        dt.date(2026, 12, 9),
        dt.date(2027, 2, 1),
        dt.date(2026, 12, 7),
    )
    assert not Finding.objects.exists() and not Deliverable.objects.exists()
    assert Event.objects.filter(kind="visit_enforcement").first().text == (
        "Påbud meddelt 09.12.2026: Olieudskilleren skal tømmes og have alarm. "
        "Hjemmel: Miljøbeskyttelseslovens § 42. Frist 01.02.2027."
    )
    seen = selectors.visit_get(user=soeren, visit_id=visited.pk)
    assert [e.kind for e in seen.enforcements.all()] == ["warning", "order"]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"kind": "fine", "text": "", "legal_basis": ""},
            {
                "kind": "Vælg påbud, forbud eller indskærpelse.",
                "text": "Beskriv forholdet og kravet.",
                "legal_basis": "Angiv hjemmel, fx miljøbeskyttelseslovens § 42.",
            },
        ),
        (
            {"issued_on": dt.date(2026, 12, 6)},
            {"issued_on": "Håndhævelsen kan ikke være meddelt før tilsynet."},
        ),
        (
            {"issued_on": dt.date(2026, 12, 8)},
            {"issued_on": "Datoen kan ikke ligge i fremtiden."},
        ),
        (
            {"deadline": dt.date(2026, 12, 6)},
            {"deadline": "Fristen kan ikke ligge før håndhævelsen er meddelt."},
        ),
        ({"legal_basis": "§" * 251}, {"legal_basis": "Teksten må højst være 250 tegn."}),
    ],
)
def test_bad_enforcement_is_refused_and_nothing_changes(visited, soeren, counts, fields, errors):
    values = {"kind": "ban", "text": "Ingen afbrænding.", "legal_basis": "§ 42", **fields}
    before, was = counts(), state(visited)
    with pytest.raises(ValidationFailed) as refused:
        services.enforcement_add(visit=visited, actor=soeren, **values)
    assert refused.value.errors == errors
    assert (counts(), state(visited)) == (before, was)


# --- the report ---------------------------------------------------------------------------


def test_the_report_fields_are_kept_as_a_draft_until_sent(visited, soeren, counts):
    updated = services.visit_report_update(
        visit=visited,
        actor=soeren,
        self_monitoring="Egenkontrollen af olieudskilleren er ført.",
        follows_up=True,
        conclusion="Virksomheden overholder reglerne med de aftalte løsninger.",
        expected_version=visited.version,
    )

    assert (updated.self_monitoring, updated.follows_up, updated.conclusion) == (
        "Egenkontrollen af olieudskilleren er ført.",
        True,
        "Virksomheden overholder reglerne med de aftalte løsninger.",
    )
    event = Event.objects.get(kind="visit_report_draft")
    assert event.internal  # the business never sees the drafting
    before = counts()
    same = services.visit_report_update(
        visit=updated,
        actor=soeren,
        self_monitoring=updated.self_monitoring,
        follows_up=True,
        conclusion=updated.conclusion,
    )
    assert same.version == updated.version and counts() == before
    with pytest.raises(Conflict):
        services.visit_report_update(
            visit=updated,
            actor=soeren,
            self_monitoring="",
            follows_up=None,
            conclusion="",
            expected_version=visited.version,
        )
    with pytest.raises(ValidationFailed) as refused:
        services.visit_report_update(
            visit=updated,
            actor=soeren,
            self_monitoring="x" * 10_001,
            follows_up="måske",  # type: ignore[arg-type]
            conclusion="",
        )
    assert set(refused.value.errors) == {"self_monitoring", "follows_up"}
    assert counts() == before


def test_the_report_needs_its_conclusions_before_it_is_sent(visited, soeren, counts):
    before, was = counts(), state(visited)
    with pytest.raises(ValidationFailed) as refused:
        services.visit_report_send(visit=visited, actor=soeren)
    assert refused.value.errors == {
        "self_monitoring": "Skriv rapportens konklusion på egenkontrollen.",
        "conclusion": "Skriv rapportens samlede konklusion.",
    }
    assert (counts(), state(visited)) == (before, was)


@pytest.fixture
def ready(visited: Visit, soeren: User) -> Visit:
    services.finding_add(
        visit=visited,
        actor=soeren,
        kind="agreement",
        text="Spildbakke under olietønderne.",
        due_date=dt.date(2027, 1, 15),
    )
    services.enforcement_add(
        visit=visited, actor=soeren, kind="warning", text="Sortér affald.", legal_basis="§ 68"
    )
    return services.visit_report_update(
        visit=visited,
        actor=soeren,
        self_monitoring="Egenkontrollen er ført.",
        follows_up=True,
        conclusion="Reglerne overholdes med den aftalte løsning.",
    )


def test_sending_the_report_stores_the_pdf_tells_the_business_and_invites_to_the_survey(
    ready, soeren, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(cph(2026, 12, 14, 9), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.visit_report_send(visit=ready, actor=soeren, expected_version=ready.version)

    reference = sent.case.reference
    assert (sent.status, sent.report_sent_on) == ("reported", dt.date(2026, 12, 14))
    document = sent.report_document
    assert document.case == sent.case
    assert (document.original_name, document.content_type) == (
        f"Tilsynsrapport-{reference}.pdf",
        "application/pdf",
    )
    content = document.file.read()
    assert content.startswith(b"%PDF")
    assert (document.size, document.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    assert Event.objects.get(kind="visit_report_sent").text == (
        "Tilsynsrapporten er sendt til virksomheden 14.12.2026. "
        "Den offentliggøres senest 07.04.2027."
    )
    message = Message.objects.filter(case=sent.case).last()
    assert not message.internal
    assert f"Tilsynsrapporten ligger nu som dokument på sagen: Tilsynsrapport-{reference}.pdf" in (
        message.body
    )
    assert "Den løsning, vi aftalte, står i leveranceplanen med sin frist." in message.body
    # The survey after an inspection, e-mailed as answer surveys are, with its own link.
    invitation = Invitation.objects.get(case=sent.case)
    assert (invitation.occasion, invitation.email) == ("inspection", "eva@fynsk.dk")
    mails = dict(Notification.objects.filter(case=sent.case).values_list("kind", "body_text"))
    assert set(mails) == {"staff_message", "survey_invitation"}
    assert "/tilfredshed/" in mails["survey_invitation"]
    # Sending the report does not answer the case: the agreed solution is still open.
    assert sent.case.status == "in_progress" and sent.case.answered_at is None


def test_a_report_sent_in_replayed_history_invites_and_mails_nobody(
    ready, soeren, time_machine, django_capture_on_commit_callbacks
):
    """The demo replays history under ``clock.travel``: as the case hooks announce nothing
    from the past, no survey link is made and no e-mail recorded."""
    time_machine.move_to(cph(2026, 12, 14, 9), tick=False)

    with django_capture_on_commit_callbacks(execute=True), clock.travel(cph(2026, 12, 11, 9)):
        sent = services.visit_report_send(visit=ready, actor=soeren)

    assert (sent.status, sent.report_sent_on) == ("reported", dt.date(2026, 12, 11))
    assert not Invitation.objects.exists() and not Notification.objects.exists()


def test_no_survey_when_the_municipality_does_not_survey_after_inspections(
    ready, soeren, django_capture_on_commit_callbacks
):
    Municipality.objects.filter(pk=1).update(survey_after_inspection=False)

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.visit_report_send(visit=ready, actor=soeren)

    assert sent.status == "reported"
    assert not Invitation.objects.exists()
    assert list(Notification.objects.values_list("kind", flat=True)) == ["staff_message"]


def test_a_late_report_says_so_and_a_sent_report_is_final(ready, soeren, counts, time_machine):
    time_machine.move_to(cph(2027, 2, 8, 9), tick=False)  # report due 7 Feb 2027

    sent = services.visit_report_send(visit=ready, actor=soeren)

    assert Event.objects.get(kind="visit_report_sent").data["on_time"] is False
    assert "(efter fristen 07.02.2027)" in Event.objects.get(kind="visit_report_sent").text
    before = counts()
    with pytest.raises(IllegalTransition) as final:
        services.finding_add(visit=sent, actor=soeren, kind="observation", text="Glemt.")
    assert final.value.message == "Tilsynsrapporten er sendt; konstateringerne kan ikke ændres."
    with pytest.raises(IllegalTransition):
        services.visit_report_send(visit=sent, actor=soeren)
    with pytest.raises(IllegalTransition):
        services.visit_report_update(
            visit=sent, actor=soeren, self_monitoring="", follows_up=None, conclusion=""
        )
    assert counts() == before


def test_the_report_is_published_and_listed_publicly(ready, soeren, owner, time_machine):
    with pytest.raises(IllegalTransition):
        services.visit_publish(visit=ready, actor=soeren)  # not sent yet
    sent = services.visit_report_send(visit=ready, actor=soeren)
    assert selectors.published_report(visit_id=sent.pk) is None
    assert list(selectors.published_reports()) == []
    time_machine.move_to(cph(2027, 1, 4, 9), tick=False)

    published = services.visit_publish(visit=sent, actor=soeren, expected_version=sent.version)

    assert (published.status, published.published_on) == ("published", dt.date(2027, 1, 4))
    assert Event.objects.get(kind="visit_published").text == (
        "Tilsynsrapporten er offentliggjort 04.01.2027."
    )
    assert selectors.published_report(visit_id=sent.pk) == published
    assert list(selectors.published_reports()) == [published]
    with pytest.raises(IllegalTransition):
        services.visit_publish(visit=published, actor=soeren)
    with pytest.raises(Forbidden):
        services.visit_publish(visit=published, actor=owner)


# --- cancelling, and the case ------------------------------------------------------------------


def test_cancelling_withdraws_the_times_tells_the_business_and_withdraws_the_case(
    create, plan_item, soeren, owner
):
    visit = services.visit_fix_time(
        visit=create(plan_item_id=plan_item.pk), actor=soeren, at=cph(2026, 12, 7, 9)
    )

    cancelled = services.visit_cancel(
        visit=visit, actor=soeren, reason="Produktionen er flyttet.", expected_version=visit.version
    )

    assert cancelled.status == "cancelled"
    assert cancelled.case.status == "withdrawn"
    assert Task.objects.get(case=visit.case).status == "cancelled"
    plan_item.refresh_from_db()
    assert plan_item.status == "planned"  # the inspection is still to be done
    message = Message.objects.filter(case=visit.case).last()
    assert message.body.startswith(
        "Tilsynsbesøget hos Fynsk Maskinfabrik Værksted, Industrivej 1, 5000 Odense C "
        "mandag 7. december 2026 kl. 09.00 er aflyst.\n\nProduktionen er flyttet."
    )
    assert kinds(visit.case)[-3:] == ["visit_cancelled", "message", "status_changed"]


def test_a_cancellation_needs_a_reason_and_comes_before_the_visit(create, visited, soeren, counts):
    planned = create()
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        services.visit_cancel(visit=planned, actor=soeren, reason=" ")
    assert refused.value.errors == {"reason": "Angiv en begrundelse."}
    with pytest.raises(IllegalTransition):
        services.visit_cancel(visit=visited, actor=soeren, reason="For sent.")
    assert counts() == before
    # A planned visit the business never heard of is cancelled without a message.
    services.visit_cancel(visit=planned, actor=soeren, reason="Dobbeltoprettet.")
    assert not Message.objects.filter(case=planned.case).exists()


def test_the_business_cannot_withdraw_an_inspection_case(booked, owner, counts):
    before, was = counts(), state(booked)
    with pytest.raises(Forbidden):
        case_services.case_withdraw(case=booked.case, actor=owner, reason="Vi gider ikke.")
    assert (counts(), state(booked)) == (before, was)


def test_the_visit_and_its_case_change_in_one_transaction(booked, soeren, karen, counts):
    """A visit service that fails halfway (the case was ended meanwhile) leaves nothing: not
    the visit's status, not its timeline event, not its times."""
    case_services.case_record_decision(case=booked.case, actor=karen, summary="Afsluttet.")
    case_services.case_close(case=booked.case, actor=karen)
    before, was = counts(), state(booked)

    with pytest.raises(IllegalTransition):
        services.visit_cancel(visit=booked, actor=soeren, reason="Sagen er afsluttet.")
    with pytest.raises(IllegalTransition):
        services.visit_offer_slots(visit=booked, actor=soeren, slots=list(THREE))

    assert (counts(), state(booked)) == (before, was)
    assert Visit.objects.get(pk=booked.pk).status == "booked"


# --- reading visits -----------------------------------------------------------------------


def test_the_visit_of_a_case_is_seen_by_its_business_and_the_inspection_staff(
    ready, owner, other_owner, soeren, karen, bodil, admin_user, django_assert_num_queries
):
    case = ready.case
    for user in (owner, soeren, karen, admin_user):
        assert selectors.visit_for_case(case=case, user=user) == ready
    for user in (other_owner, bodil):
        assert selectors.visit_for_case(case=case, user=user) is None

    with django_assert_num_queries(4):  # the visit and its joins; slots; findings; enforcements
        visit = selectors.visit_for_case(case=case, user=owner)
        assert [f.deliverable.due_date for f in visit.findings.all()] == [dt.date(2027, 1, 15)]
        assert [e.kind for e in visit.enforcements.all()] == ["warning"]
        assert len(visit.slots.all()) == 3
        assert (visit.unit.business.name, visit.inspector.display_name) == (
            "Fynsk Maskinfabrik ApS",
            "Søren Krogh",
        )
    with pytest.raises(NotFound):
        selectors.visit_get(user=bodil, visit_id=ready.pk)


def test_the_staff_list_by_state_with_its_clocks(
    create, soeren, owner, time_machine, django_assert_num_queries
):
    planned = create()
    booked = services.visit_fix_time(visit=create(), actor=soeren, at=cph(2026, 12, 2, 9))
    time_machine.move_to(cph(2026, 12, 2, 12), tick=False)
    early = services.visit_mark_visited(
        visit=booked, actor=soeren, visited_on=dt.date(2026, 12, 2), physical=True
    )
    late = services.visit_mark_visited(
        visit=create(kind="unplanned"), actor=soeren, visited_on=dt.date(2026, 11, 20),
        physical=True,
    )  # fmt: skip
    reported = services.visit_report_send(
        visit=services.visit_report_update(
            visit=late, actor=soeren, self_monitoring="Ok.", follows_up=None, conclusion="Ok."
        ),
        actor=soeren,
    )
    cancelled = services.visit_cancel(visit=create(), actor=soeren, reason="Dublet.")

    def listed(state: str) -> list[int]:
        return [v.pk for v in selectors.visits_list(user=soeren, state=state)]

    assert listed("open") == [early.pk, planned.pk]
    assert listed("report_due") == [early.pk]
    assert listed("unpublished") == [reported.pk]
    assert listed("all") == [cancelled.pk, reported.pk, early.pk, planned.pk]
    with django_assert_num_queries(1):
        rows = list(selectors.visits_list(user=soeren, state="all"))
        assert {(v.unit.business.name, v.inspector.username, v.case.reference[:8]) for v in rows}
    with pytest.raises(Forbidden):
        selectors.visits_list(user=owner)
    with pytest.raises(ValidationFailed):
        selectors.visits_list(user=soeren, state="late")


def test_the_list_reads_in_one_query_however_long(create, soeren, django_assert_num_queries):
    for _ in range(2):
        create()
    with django_assert_num_queries(1):
        short = [
            (v.unit.name, v.inspector.display_name) for v in selectors.visits_list(user=soeren)
        ]
    for _ in range(4):
        create()
    with django_assert_num_queries(1):
        long = [(v.unit.name, v.inspector.display_name) for v in selectors.visits_list(user=soeren)]
    assert (len(short), len(long)) == (2, 6)


def test_a_units_visits_newest_first(create, unit, other_unit, soeren, time_machine):
    first = create()
    time_machine.move_to(cph(2026, 11, 30), tick=False)
    second = create(kind="unplanned")
    create(unit=other_unit, kind="unplanned", contact_name="A", contact_email="a@anden.dk")

    assert selectors.unit_visits(unit=unit) == [second, first]


def test_visits_by_case_for_a_case_list(create, owner, soeren, catalogue, business):
    visit = create()
    inquiry = case_services.inquiry_submit(
        actor=owner,
        cvr=business.cvr,
        service_types=["raadgivning"],
        description="Spørgsmål",
        contact={"name": "Eva", "email": "eva@fynsk.dk"},
    )
    found = selectors.visits_by_case(user=owner, case_ids=[visit.case_id, inquiry.pk])
    assert found == {visit.case_id: visit}
    assert selectors.visits_by_case(user=owner, case_ids=[]) == {}


def test_published_reports_are_searched_by_name_cvr_or_p_number(
    create, other_unit, soeren, business, other_business, time_machine
):
    def publish(visit: Visit) -> Visit:
        done = services.visit_mark_visited(
            visit=visit, actor=soeren, visited_on=dt.date(2026, 11, 27), physical=True
        )
        done = services.visit_report_update(
            visit=done, actor=soeren, self_monitoring="Ok.", follows_up=True, conclusion="Ok."
        )
        return services.visit_publish(
            visit=services.visit_report_send(visit=done, actor=soeren), actor=soeren
        )

    ours = publish(create(kind="unplanned"))
    time_machine.move_to(cph(2026, 11, 30), tick=False)
    theirs = publish(
        create(unit=other_unit, kind="unplanned", contact_name="A", contact_email="a@anden.dk")
    )
    unpublished = services.visit_mark_visited(
        visit=create(kind="unplanned"), actor=soeren, visited_on=dt.date(2026, 11, 30),
        physical=True,
    )  # fmt: skip

    def found(query: str) -> list[Visit]:
        return list(selectors.published_reports(query=query))

    assert found("") == [theirs, ours]  # newest first, never an unpublished one
    assert found("fynsk") == [ours]
    prefix = business.cvr[:4]
    assert found(prefix) == [v for v in (theirs, ours) if v.unit.business.cvr.startswith(prefix)]
    assert found(other_business.cvr) == [theirs]
    assert found("1017300002") == [theirs]
    assert found("10173 00001") == [ours]
    assert found("ingen sådan") == []
    assert selectors.published_report(visit_id=unpublished.pk) is None


def test_the_inspector_confirms_an_agreed_solution_is_in_place(visited, soeren, owner, counts):
    finding = services.finding_add(
        visit=visited,
        actor=soeren,
        kind="agreement",
        text="Spildbakke under olietønderne.",
        due_date=dt.date(2027, 1, 15),
    )
    before = counts()
    with pytest.raises(Forbidden):
        case_services.deliverable_mark_delivered(deliverable=finding.deliverable, actor=owner)
    assert counts() == before

    delivered = case_services.deliverable_mark_delivered(
        deliverable=finding.deliverable, actor=soeren, note="Set ved opfølgning på stedet."
    )

    assert (delivered.status, delivered.note) == ("delivered", "Set ved opfølgning på stedet.")
    assert Event.objects.filter(kind="deliverable_delivered").last().text == (
        "Leveret af virksomheden: Spildbakke under olietønderne. Set ved opfølgning på stedet."
    )
    with pytest.raises(IllegalTransition):
        case_services.deliverable_mark_delivered(deliverable=delivered, actor=soeren)
    material = Deliverable.objects.create(
        case=visited.case,
        party="business",
        title="Send: Tegninger",
        requirement_key="tegninger",
        due_date=dt.date(2027, 1, 15),
        created_at=cph(2026, 12, 7),
    )
    with pytest.raises(IllegalTransition):
        case_services.deliverable_mark_delivered(deliverable=material, actor=soeren)


def test_a_long_agreed_solution_is_shortened_to_a_plan_line(visited, soeren):
    text = "Olietønderne flyttes ind under tag og får spildbakker. " * 10
    finding = services.finding_add(
        visit=visited, actor=soeren, kind="agreement", text=text, due_date=dt.date(2027, 3, 1)
    )
    assert finding.text == text.strip()
    title = finding.deliverable.title
    assert len(title) == 250 and title.endswith("…") and title.startswith("Olietønderne flyttes")
