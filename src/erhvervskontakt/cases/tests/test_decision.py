"""The answer (``case_record_decision``): the case answered, the municipality's part
delivered, the promise kept or not, and who may give it.

Calendar used below: received Fri 27 Nov 2026, screened Mon 30 Nov; outdoor serving takes
10 working days, so the estimate is Mon 14 Dec 2026 (Dec 1–4, 7–11, 14). ``case_in(status)``
(conftest.py) brings a case to a state through the services.
"""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.cases.models import CaseStatus
from erhvervskontakt.cases.services.decision import case_record_decision
from erhvervskontakt.cases.services.material import case_supply_answers
from erhvervskontakt.common.errors import Forbidden, ValidationFailed

from .conftest import cph

pytestmark = pytest.mark.django_db


# --- decision ----------------------------------------------------------------------------


def test_a_decision_answers_the_case_and_delivers_the_municipalitys_part(
    case_in, karen, time_machine
):
    case = case_in(CaseStatus.IN_PROGRESS)
    events_before = case.events.count()

    time_machine.move_to(cph(2026, 12, 10, 14), tick=False)
    answered = case_record_decision(
        case=case, actor=karen, summary="  Tilladelse til 6 borde til 31.10.2027. "
    )

    assert answered.status == CaseStatus.ANSWERED
    assert answered.answered_at == cph(2026, 12, 10, 14)
    assert answered.decision_summary == "Tilladelse til 6 borde til 31.10.2027."
    assert answered.version == case.version + 1
    assert list(answered.deliverables.values_list("party", "status", "delivered_at")) == [
        ("municipality", "delivered", cph(2026, 12, 10, 14))
    ]
    assert list(answered.tasks.values_list("status", "done_at")) == [
        ("done", cph(2026, 12, 10, 14))
    ]
    assert list(answered.events.values_list("kind", flat=True)[events_before:]) == [
        "status_changed",
        "answered",
    ]
    event = answered.events.get(kind="answered")
    assert event.text == (
        "Svar givet 10.12.2026 (inden den lovede dato 14.12.2026): "
        "Tilladelse til 6 borde til 31.10.2027."
    )
    assert event.data == {"on_time": True}
    assert event.actor == karen


def test_an_answer_on_the_promised_day_keeps_the_promise(case_in, karen, time_machine):
    case = case_in(CaseStatus.IN_PROGRESS)

    time_machine.move_to(cph(2026, 12, 14, 16), tick=False)
    answered = case_record_decision(case=case, actor=karen, summary="Tilladelse.")

    assert answered.events.get(kind="answered").data == {"on_time": True}


def test_an_answer_after_the_promised_day_says_so(case_in, karen, time_machine):
    case = case_in(CaseStatus.IN_PROGRESS)

    time_machine.move_to(cph(2026, 12, 15, 9), tick=False)
    answered = case_record_decision(case=case, actor=karen, summary="Tilladelse.")

    event = answered.events.get(kind="answered")
    assert event.text == "Svar givet 15.12.2026 (efter den lovede dato 14.12.2026): Tilladelse."
    assert event.data == {"on_time": False}


def test_waiting_for_the_business_does_not_break_the_promise(case_in, karen, owner, time_machine):
    case = case_in(CaseStatus.AWAITING_BUSINESS)
    time_machine.move_to(cph(2026, 12, 3, 11), tick=False)
    # Paused Dec 1, 2, 3 = 3 working days: the estimate moves from Mon 14 to Thu 17 Dec.
    case = case_supply_answers(case=case, actor=owner, answers={"areal": 12})
    assert case.estimated_answer_date == dt.date(2026, 12, 17)

    time_machine.move_to(cph(2026, 12, 16, 12), tick=False)
    answered = case_record_decision(case=case, actor=karen, summary="Tilladelse.")

    event = answered.events.get(kind="answered")
    assert event.data == {"on_time": True}
    assert "inden den lovede dato 17.12.2026" in event.text


@pytest.mark.parametrize("summary", ["", "   "])
def test_a_decision_needs_a_summary(case_in, karen, state_of, summary):
    case = case_in(CaseStatus.IN_PROGRESS)
    before = state_of(case)

    with pytest.raises(ValidationFailed) as refused:
        case_record_decision(case=case, actor=karen, summary=summary)

    assert list(refused.value.errors) == ["summary"]
    assert state_of(case) == before


def test_a_business_user_cannot_record_a_decision(case_in, owner, state_of):
    case = case_in(CaseStatus.IN_PROGRESS)
    before = state_of(case)

    with pytest.raises(Forbidden):
        case_record_decision(case=case, actor=owner, summary="Ja tak.")

    assert state_of(case) == before
