"""Answers after intake (``case_supply_answers``): a changed answer logged with the old
value, bad answers refused, the same answers again change nothing.

Calendar used below: received Fri 27 Nov 2026, screened Mon 30 Nov; outdoor serving takes
10 working days, so the estimate is Mon 14 Dec 2026 (Dec 1–4, 7–11, 14). ``case_in(status)``
(conftest.py) brings a case to a state through the services.
"""

from __future__ import annotations

import pytest

from erhvervskontakt.cases.models import CaseStatus
from erhvervskontakt.cases.services.material import case_supply_answers
from erhvervskontakt.common.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


# --- answers after intake ----------------------------------------------------------------


def test_a_changed_answer_is_logged_with_the_old_value(case_in, owner):
    case = case_in(CaseStatus.IN_PROGRESS)

    changed = case_supply_answers(case=case, actor=owner, answers={"areal": 20})

    assert changed.answers.get(key="areal").value == 20
    event = changed.events.order_by("id").last()
    assert event.kind == "answer_changed"
    assert event.data == {"key": "areal", "old": 12, "new": 20}


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({}, "answers"),
        ({"areal": "stor"}, "answers.areal"),
        ({"matrikel": "1a"}, "answers.matrikel"),
    ],
)
def test_bad_answers_after_intake_are_refused(case_in, owner, state_of, answers, field):
    case = case_in(CaseStatus.AWAITING_BUSINESS)
    before = state_of(case)

    with pytest.raises(ValidationFailed) as refused:
        case_supply_answers(case=case, actor=owner, answers=answers)

    assert list(refused.value.errors) == [field]
    assert state_of(case) == before


def test_another_business_cannot_answer_on_a_case(case_in, other_owner, state_of):
    case = case_in(CaseStatus.AWAITING_BUSINESS)
    before = state_of(case)

    with pytest.raises(NotFound):
        case_supply_answers(case=case, actor=other_owner, answers={"areal": 12})

    assert state_of(case) == before


def test_the_same_answers_again_change_nothing(building_case, owner, state_of):
    before = state_of(building_case)

    again = case_supply_answers(
        case=building_case, actor=owner, answers={"matrikel": "12a", "areal": 10}
    )

    assert state_of(building_case) == before
    assert again.version == before["version"]
