"""A visit before it is carried out: times offered and one chosen by the business, the time
fixed by the inspector, the focus changed, and the visit cancelled with its case.

The set-up is in conftest.py: the clock frozen at Friday 27 November 2026, 10:00 in
Copenhagen (``friday``), the inspector ``soeren``, ``create(**fields)``, and a visit
``offered``, ``booked``, ``visited`` or ``ready`` to send its report.
"""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.businesses.models import Membership
from erhvervskontakt.cases.models import Case, Event, Message, Task
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.lifecycle import case_close, case_withdraw
from erhvervskontakt.common.errors import (
    Conflict,
    Forbidden,
    IllegalTransition,
    NotFound,
    ValidationFailed,
)
from erhvervskontakt.inspections import selectors
from erhvervskontakt.inspections.models import Visit, VisitSlot
from erhvervskontakt.inspections.services.carrying_out import visit_mark_visited
from erhvervskontakt.inspections.services.visits import (
    visit_cancel,
    visit_choose_slot,
    visit_fix_time,
    visit_offer_slots,
    visit_update_focus,
)
from erhvervskontakt.notifications.models import Notification

from .conftest import FOCUS, THREE, cph, kinds, state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("friday")]


# --- offering times and choosing one -------------------------------------------------------


def test_offered_times_are_stored_in_order_and_sent_to_the_business(
    create, soeren, django_capture_on_commit_callbacks
):
    visit = create()

    with django_capture_on_commit_callbacks(execute=True):
        offered = visit_offer_slots(
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
    booked = visit_choose_slot(visit=offered, actor=owner, slot_id=first.pk)
    assert booked.visit_at == cph(2026, 12, 7, 9)

    again = visit_offer_slots(
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
        visit_offer_slots(visit=offered, actor=soeren, slots=given)

    assert refused.value.errors == errors
    assert (counts(), state(offered)) == (before, was)


def test_times_offered_on_a_stale_page_are_refused(offered, soeren, counts):
    before, was = counts(), state(offered)
    with pytest.raises(Conflict) as stale:
        visit_offer_slots(visit=offered, actor=soeren, slots=list(THREE), expected_version=1)
    assert "genindlæs siden" in stale.value.message
    assert (counts(), state(offered)) == (before, was)


def test_the_business_picks_a_time_and_the_visit_is_booked(offered, owner):
    second = offered.slots.order_by("starts_at")[1]

    booked = visit_choose_slot(visit=offered, actor=owner, slot_id=second.pk)

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

    again = visit_choose_slot(visit=booked, actor=owner, slot_id=chosen.pk)

    assert again.status == "booked"
    assert (counts(), state(booked)) == (before, was)


def test_another_business_cannot_choose_a_time_nor_see_the_visit(offered, other_owner, counts):
    slot = offered.slots.first()
    before, was = counts(), state(offered)

    with pytest.raises(NotFound):
        visit_choose_slot(visit=offered, actor=other_owner, slot_id=slot.pk)

    assert (counts(), state(offered)) == (before, was)
    assert selectors.visit_for_case(case=offered.case, user=other_owner) is None
    with pytest.raises(NotFound):
        selectors.visit_get(user=other_owner, visit_id=offered.pk)
    assert selectors.visits_by_case(user=other_owner, case_ids=[offered.case_id]) == {}


def test_a_former_member_cannot_choose_a_time(offered, owner, business, counts):
    Membership.objects.filter(user=owner, business=business).update(active=False)
    before = counts()
    with pytest.raises(NotFound):
        visit_choose_slot(visit=offered, actor=owner, slot_id=offered.slots.first().pk)
    assert counts() == before
    assert selectors.visit_for_case(case=offered.case, user=owner) is None


def test_staff_may_choose_for_the_business_but_not_a_byggeri_caseworker(
    offered, soeren, bodil, counts
):
    slot = offered.slots.order_by("starts_at").last()
    before = counts()
    with pytest.raises(Forbidden):
        visit_choose_slot(visit=offered, actor=bodil, slot_id=slot.pk)
    assert counts() == before

    booked = visit_choose_slot(visit=offered, actor=soeren, slot_id=slot.pk)

    assert booked.visit_at == cph(2026, 12, 10, 13)
    assert Event.objects.get(kind="visit_slot_chosen").text.startswith(
        "Tid til tilsynsbesøget valgt af Søren Krogh for virksomheden:"
    )


def test_only_an_offered_future_time_of_this_visit_can_be_chosen(
    offered, owner, create, soeren, counts, time_machine
):
    elsewhere = visit_offer_slots(
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
            visit_choose_slot(visit=offered, actor=owner, slot_id=slot_id)
        assert refused.value.errors == {"slot": message}

    time_machine.move_to(cph(2026, 12, 8, 12), tick=False)  # the first two are past
    first = offered.slots.order_by("starts_at").first()
    with pytest.raises(ValidationFailed) as past:
        visit_choose_slot(visit=offered, actor=owner, slot_id=first.pk)
    assert past.value.errors == {"slot": "Tidspunktet er overstået; vælg et andet."}
    assert (counts(), state(offered)) == (before, was)

    planned = create()
    with pytest.raises(IllegalTransition):
        visit_choose_slot(visit=planned, actor=owner, slot_id=first.pk)


# --- fixing the time, the focus ---------------------------------------------------------------


def test_the_inspector_fixes_the_time_and_the_business_is_told(offered, soeren):
    fixed = visit_fix_time(
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
        visit_fix_time(visit=offered, actor=soeren, at=cph(2026, 11, 27, 9))
    assert refused.value.errors == {"at": "Tidspunktet ligger i fortiden."}
    with pytest.raises(ValidationFailed):
        visit_fix_time(visit=offered, actor=soeren, at="2026-12-09")  # type: ignore[arg-type]
    assert (counts(), state(offered)) == (before, was)


def test_the_focus_changes_before_the_visit_only(booked, soeren, counts):
    changed = visit_update_focus(
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
        visit_update_focus(visit=changed, actor=soeren, focus=" ")
    visit_mark_visited(visit=changed, actor=soeren, visited_on=dt.date(2026, 11, 27), physical=True)
    with pytest.raises(IllegalTransition):
        visit_update_focus(visit=changed, actor=soeren, focus="Noget andet.")
    assert Visit.objects.get(pk=booked.pk).focus == "Støj fra ventilationen."
    assert counts()["Event"] == before["Event"] + 1  # only the visited event


# --- cancelling, and the case ------------------------------------------------------------------


def test_cancelling_withdraws_the_times_tells_the_business_and_withdraws_the_case(
    create, plan_item, soeren, owner
):
    visit = visit_fix_time(
        visit=create(plan_item_id=plan_item.pk), actor=soeren, at=cph(2026, 12, 7, 9)
    )

    cancelled = visit_cancel(
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
        visit_cancel(visit=planned, actor=soeren, reason=" ")
    assert refused.value.errors == {"reason": "Angiv en begrundelse."}
    with pytest.raises(IllegalTransition):
        visit_cancel(visit=visited, actor=soeren, reason="For sent.")
    assert counts() == before
    # A planned visit the business never heard of is cancelled without a message.
    visit_cancel(visit=planned, actor=soeren, reason="Dobbeltoprettet.")
    assert not Message.objects.filter(case=planned.case).exists()


def test_the_business_cannot_withdraw_an_inspection_case(booked, owner, counts):
    before, was = counts(), state(booked)
    with pytest.raises(Forbidden):
        case_withdraw(case=booked.case, actor=owner, reason="Vi gider ikke.")
    assert (counts(), state(booked)) == (before, was)


def test_the_visit_and_its_case_change_in_one_transaction(booked, soeren, karen, counts):
    """A visit service that fails halfway (the case was ended meanwhile) leaves nothing: not
    the visit's status, not its timeline event, not its times."""
    case_record_decision(case=booked.case, actor=karen, summary="Afsluttet.")
    case_close(case=booked.case, actor=karen)
    before, was = counts(), state(booked)

    with pytest.raises(IllegalTransition):
        visit_cancel(visit=booked, actor=soeren, reason="Sagen er afsluttet.")
    with pytest.raises(IllegalTransition):
        visit_offer_slots(visit=booked, actor=soeren, slots=list(THREE))

    assert (counts(), state(booked)) == (before, was)
    assert Visit.objects.get(pk=booked.pk).status == "booked"
