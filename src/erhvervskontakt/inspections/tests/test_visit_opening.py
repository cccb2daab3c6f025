"""Opening an inspection visit (``visit_create``): a case of the business opened by the
municipality, its coordinator and contact, a visit from the plan, and what is refused.

The set-up is in conftest.py: the clock frozen at Friday 27 November 2026, 10:00 in
Copenhagen (``friday``), the inspector ``soeren``, ``create(**fields)``, and a visit
``offered``, ``booked``, ``visited`` or ``ready`` to send its report.
"""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.businesses.services import production_unit_register
from erhvervskontakt.businesses.tests.factories import BusinessFactory
from erhvervskontakt.cases.models import Case, CaseStatus, Channel, Event, Task
from erhvervskontakt.cases.selectors import my_cases
from erhvervskontakt.cases.services.intake import inquiry_submit
from erhvervskontakt.cases.services.lifecycle import case_open_by_municipality
from erhvervskontakt.common.errors import Forbidden, ValidationFailed
from erhvervskontakt.inspections.models import PlanItem, Visit
from erhvervskontakt.inspections.services.visits import visit_cancel, visit_create

from .conftest import FOCUS, cph, kinds

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday")]


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

    inquiry_submit(
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
        visit_create(unit=unit, actor=soeren, kind="basic", focus=FOCUS)

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
    visit_cancel(visit=visit, actor=soeren, reason="Virksomheden holder lukket.")
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
        case_open_by_municipality(
            business=business,
            actor=owner,
            service_type=miljoetilsyn,
            description="Tilsyn",
            contact_name="Eva",
            contact_email="eva@fynsk.dk",
            caseworker=karen,
        )
    with pytest.raises(ValidationFailed) as refused:
        case_open_by_municipality(
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
