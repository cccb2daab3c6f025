"""The life of a case: legal and illegal state changes, close, withdraw; every change is an
event and bumps ``version``; nothing is deleted.

Calendar used below: received Fri 27 Nov 2026, screened Mon 30 Nov; outdoor serving takes
10 working days, so the estimate is Mon 14 Dec 2026 (Dec 1–4, 7–11, 14). ``case_in(status)``
(conftest.py) brings a case to a state through the services.
"""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError

from erhvervskontakt.cases.models import Case, CaseStatus, Deliverable, Document, Event, Task
from erhvervskontakt.cases.services.coordinators import case_change_coordinator
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.documents import case_add_document
from erhvervskontakt.cases.services.lifecycle import case_close, case_withdraw
from erhvervskontakt.cases.services.material import case_supply_answers
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.common.errors import Forbidden, IllegalTransition, NotFound

from .conftest import cph, upload

pytestmark = pytest.mark.django_db


# --- illegal transitions -----------------------------------------------------------------


ALL = [s.value for s in CaseStatus]


def _screen(case, karen, owner):
    return case_screen(case=case, actor=karen)


def _decide(case, karen, owner):
    return case_record_decision(case=case, actor=karen, summary="Tilladelse.")


def _close(case, karen, owner):
    return case_close(case=case, actor=karen)


def _withdraw(case, karen, owner):
    return case_withdraw(case=case, actor=owner)


def _answer(case, karen, owner):
    return case_supply_answers(case=case, actor=owner, answers={"areal": 20})


def _document(case, karen, owner):
    return case_add_document(case=case, actor=owner, upload=upload("x.pdf", b"%PDF-1.4"))


def _new_coordinator(case, karen, owner):
    return case_change_coordinator(case=case, actor=karen, coordinator="lars")


ILLEGAL = [
    (_screen, [s for s in ALL if s != CaseStatus.RECEIVED]),
    (_decide, [s for s in ALL if s != CaseStatus.IN_PROGRESS]),
    (_close, [s for s in ALL if s != CaseStatus.ANSWERED]),
    (_withdraw, [CaseStatus.ANSWERED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN]),
    (_answer, [CaseStatus.ANSWERED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN]),
    (_document, [CaseStatus.ANSWERED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN]),
    (_new_coordinator, [CaseStatus.CLOSED, CaseStatus.WITHDRAWN]),
]


@pytest.mark.parametrize(
    ("action", "status"),
    [(action, status) for action, statuses in ILLEGAL for status in statuses],
    ids=[
        f"{action.__name__[1:]}-from-{status}"
        for action, statuses in ILLEGAL
        for status in statuses
    ],
)
def test_an_illegal_change_is_refused_and_changes_nothing(
    case_in, karen, lars, owner, state_of, action, status
):
    case = case_in(status)
    before = state_of(case)

    with pytest.raises(IllegalTransition):
        action(case, karen, owner)

    assert state_of(case) == before
    assert not Document.objects.exists()


def test_the_illegal_transition_says_what_is_wrong(case_in, karen):
    case = case_in(CaseStatus.IN_PROGRESS)

    with pytest.raises(IllegalTransition) as refused:
        case_close(case=case, actor=karen)

    assert refused.value.message == (
        "En sag med status »Under behandling« kan ikke få status »Afsluttet«."
    )


# --- close -------------------------------------------------------------------------------


def test_an_answered_case_can_be_closed(case_in, karen, time_machine):
    case = case_in(CaseStatus.ANSWERED)
    events_before = case.events.count()

    time_machine.move_to(cph(2026, 12, 18, 15), tick=False)
    closed = case_close(case=case, actor=karen, note="Borde opstillet.")

    assert closed.status == CaseStatus.CLOSED
    assert closed.closed_at == cph(2026, 12, 18, 15)
    assert closed.version == case.version + 1
    [event] = closed.events.all()[events_before:]
    assert event.kind == "status_changed"
    assert event.text == "Status: Besvaret → Afsluttet. Borde opstillet."
    assert event.data == {"old": "answered", "new": "closed"}


def test_a_business_user_cannot_close_a_case(case_in, owner, state_of):
    case = case_in(CaseStatus.ANSWERED)
    before = state_of(case)

    with pytest.raises(Forbidden):
        case_close(case=case, actor=owner)

    assert state_of(case) == before


# --- withdraw ----------------------------------------------------------------------------


def test_the_business_can_withdraw_its_own_case_and_open_promises_are_waived(
    submit, karen, owner, time_machine
):
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = submit(service_types=["byggetilladelse-erhverv"], answers={"matrikel": "12a"})
    time_machine.move_to(cph(2026, 11, 30, 9), tick=False)
    case = case_screen(case=case, actor=karen)
    time_machine.move_to(cph(2026, 12, 2, 9), tick=False)
    case = case_supply_answers(case=case, actor=owner, answers={"etageareal": 900})

    time_machine.move_to(cph(2026, 12, 4, 16), tick=False)
    withdrawn = case_withdraw(case=case, actor=owner, reason="Vi bygger et andet sted.")

    assert withdrawn.status == CaseStatus.WITHDRAWN
    assert withdrawn.withdrawn_at == cph(2026, 12, 4, 16)
    assert withdrawn.paused_since is None
    plan = {(d.party, d.requirement_key): (d.status, d.note) for d in withdrawn.deliverables.all()}
    assert plan == {
        ("municipality", ""): ("waived", "Sagen er trukket tilbage."),
        ("business", "etageareal"): ("delivered", ""),  # what was delivered stays delivered
        ("business", "tegninger"): ("waived", "Sagen er trukket tilbage."),
    }
    assert list(withdrawn.tasks.values_list("status", "done_at")) == [
        ("cancelled", cph(2026, 12, 4, 16))
    ]
    event = withdrawn.events.order_by("id").last()
    assert event.kind == "status_changed"
    assert event.actor == owner
    assert event.data == {"old": "awaiting_business", "new": "withdrawn"}
    assert "Vi bygger et andet sted." in event.text


def test_staff_can_withdraw_a_case_for_the_business(case_in, karen):
    case = case_in(CaseStatus.IN_PROGRESS)

    withdrawn = case_withdraw(case=case, actor=karen)

    assert withdrawn.status == CaseStatus.WITHDRAWN
    assert list(withdrawn.deliverables.values_list("status", flat=True)) == ["waived"]
    assert list(withdrawn.tasks.values_list("status", flat=True)) == ["cancelled"]
    assert withdrawn.events.order_by("id").last().actor == karen


def test_a_case_can_be_withdrawn_before_screening(case_in, owner):
    case = case_in(CaseStatus.RECEIVED)

    withdrawn = case_withdraw(case=case, actor=owner)

    assert withdrawn.status == CaseStatus.WITHDRAWN
    assert withdrawn.events.order_by("id").last().data == {"old": "received", "new": "withdrawn"}


def test_another_business_cannot_withdraw_a_case_it_cannot_see(case_in, other_owner, state_of):
    case = case_in(CaseStatus.IN_PROGRESS)
    before = state_of(case)

    with pytest.raises(NotFound):
        case_withdraw(case=case, actor=other_owner)

    assert state_of(case) == before


def test_a_business_user_whose_access_ended_cannot_withdraw(case_in, owner, state_of):
    case = case_in(CaseStatus.IN_PROGRESS)
    owner.memberships.update(active=False)
    before = state_of(case)

    with pytest.raises(NotFound):
        case_withdraw(case=case, actor=owner)

    assert state_of(case) == before


# --- the record: events, version, nothing deleted ----------------------------------------


def test_every_change_is_an_event_and_a_new_version_and_nothing_is_lost(
    submit, karen, lars, owner, time_machine, pdf_bytes
):
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = submit(service_types=["byggetilladelse-erhverv"], answers={})
    steps = [
        (cph(2026, 11, 30, 9), lambda c: case_screen(case=c, actor=karen)),
        (
            cph(2026, 12, 1, 9),
            lambda c: case_supply_answers(
                case=c, actor=owner, answers={"matrikel": "12a", "etageareal": 900}
            ),
        ),
        (
            cph(2026, 12, 2, 9),
            lambda c: case_add_document(
                case=c, actor=owner, upload=upload("t.pdf", pdf_bytes), requirement_key="tegninger"
            ),
        ),
        (
            cph(2026, 12, 3, 9),
            lambda c: case_change_coordinator(case=c, actor=karen, coordinator="lars"),
        ),
        (
            cph(2026, 12, 4, 9),
            lambda c: case_record_decision(case=c, actor=lars, summary="Tilladelse."),
        ),
        (cph(2026, 12, 7, 9), lambda c: case_close(case=c, actor=lars)),
    ]
    versions = [case.version]
    seen: list[int] = list(Event.objects.filter(case=case).values_list("id", flat=True))

    for moment, step in steps:
        time_machine.move_to(moment, tick=False)
        step(case)
        case.refresh_from_db()
        versions.append(case.version)
        now_ids = list(Event.objects.filter(case=case).values_list("id", flat=True))
        assert now_ids[: len(seen)] == seen  # earlier events are all still there
        assert len(now_ids) > len(seen)  # and this change added at least one
        assert set(
            Event.objects.filter(id__in=set(now_ids) - set(seen)).values_list("at", flat=True)
        ) == {moment}
        seen = now_ids

    assert versions == [1, 2, 3, 4, 5, 6, 7]
    assert case.status == CaseStatus.CLOSED
    assert Deliverable.objects.filter(case=case).count() == 4  # 1 municipality + 3 business
    assert Task.objects.filter(case=case).count() == 1


def test_a_case_with_a_timeline_cannot_be_deleted(case_in):
    case = case_in(CaseStatus.CLOSED)

    with pytest.raises(ProtectedError):
        Case.objects.filter(pk=case.pk).delete()

    assert Case.objects.filter(pk=case.pk).exists()
    assert Event.objects.filter(case=case).count() > 0
