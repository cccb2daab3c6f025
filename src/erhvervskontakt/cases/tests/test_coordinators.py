"""Another coordinator for a case (``case_change_coordinator``); the business's fixed
contact person stays.

Calendar used below: received Fri 27 Nov 2026, screened Mon 30 Nov; outdoor serving takes
10 working days, so the estimate is Mon 14 Dec 2026 (Dec 1–4, 7–11, 14). ``case_in(status)``
(conftest.py) brings a case to a state through the services.
"""

from __future__ import annotations

import pytest

from erhvervskontakt.cases.models import CaseStatus
from erhvervskontakt.cases.services.coordinators import case_change_coordinator
from erhvervskontakt.common.errors import Forbidden, ValidationFailed

pytestmark = pytest.mark.django_db


# --- change of coordinator ---------------------------------------------------------------


def test_staff_can_change_the_coordinator_and_the_fixed_contact_stays(
    case_in, karen, lars, business
):
    case = case_in(CaseStatus.IN_PROGRESS)
    assert case.coordinator == karen
    business.refresh_from_db()
    assert business.contact_person == karen

    changed = case_change_coordinator(
        case=case, actor=karen, coordinator="lars", reason="Karen holder ferie."
    )

    assert changed.coordinator == lars
    assert changed.version == case.version + 1
    event = changed.events.order_by("id").last()
    assert event.kind == "coordinator_changed"
    assert event.actor == karen
    assert (
        event.text == "Tovholder: Lars Lund (før: Karen Kofoed). Begrundelse: Karen holder ferie."
    )
    assert event.data == {"old": "karen", "new": "lars"}
    business.refresh_from_db()
    assert business.contact_person == karen


def test_an_answered_case_can_get_a_new_coordinator(case_in, karen, lars):
    case = case_in(CaseStatus.ANSWERED)

    changed = case_change_coordinator(case=case, actor=karen, coordinator=lars)

    assert changed.coordinator == lars


def test_changing_to_the_same_coordinator_changes_nothing(case_in, karen, state_of):
    case = case_in(CaseStatus.IN_PROGRESS)
    before = state_of(case)

    case_change_coordinator(case=case, actor=karen, coordinator="karen")

    assert state_of(case) == before


@pytest.mark.parametrize("username", ["bodil", "findes-ikke"])
def test_the_new_coordinator_must_be_an_active_coordinator(
    case_in, karen, bodil, state_of, username
):
    case = case_in(CaseStatus.IN_PROGRESS)
    before = state_of(case)

    with pytest.raises(ValidationFailed) as refused:
        case_change_coordinator(case=case, actor=karen, coordinator=username)

    assert list(refused.value.errors) == ["coordinator"]
    assert state_of(case) == before


def test_a_business_user_cannot_change_the_coordinator(case_in, owner, lars, state_of):
    case = case_in(CaseStatus.IN_PROGRESS)
    before = state_of(case)

    with pytest.raises(Forbidden):
        case_change_coordinator(case=case, actor=owner, coordinator="lars")

    assert state_of(case) == before
