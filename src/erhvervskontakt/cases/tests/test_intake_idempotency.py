"""Intake with an ``Idempotency-Key``: the same request again returns the same case, another
body with the key is a conflict, keys are a user's own, and a refusal does not use one up.

Calendar used below (Denmark, public holidays + closing days 5 Jun, 24 Dec, 31 Dec):
November/December 2026 — Fri 27 Nov, Sat 28, Sun 29, Mon 30 Nov … Fri 4 Dec;
Thu 24 Dec closing day, Fri 25 Dec Juledag, Sat 26 Anden juledag, Thu 31 Dec closing day,
Fri 1 Jan 2027 Nytårsdag.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from erhvervskontakt.cases.models import Case
from erhvervskontakt.common.errors import Conflict, ValidationFailed

from .conftest import NEW_CVR

pytestmark = pytest.mark.django_db


# --- idempotency -------------------------------------------------------------------------


def test_the_same_idempotency_key_and_body_return_the_same_case(submit, db_counts):
    first = submit(idempotency_key="order-4711")
    after_first = db_counts()

    again = submit(idempotency_key="order-4711")

    assert again.pk == first.pk
    assert again.reference == first.reference
    assert again.replayed is True
    assert first.replayed is False
    assert Case.objects.count() == 1
    assert db_counts() == after_first


def test_the_same_idempotency_key_with_another_body_is_a_conflict(submit, db_counts):
    submit(idempotency_key="order-4711")
    after_first = db_counts()

    with pytest.raises(Conflict):
        submit(idempotency_key="order-4711", description="Noget helt andet")

    assert db_counts() == after_first


def test_idempotency_keys_belong_to_one_user(submit, karen, business):
    by_owner = submit(idempotency_key="order-4711")

    by_karen = submit(actor=karen, idempotency_key="order-4711")

    assert by_karen.pk != by_owner.pk
    assert by_karen.replayed is False


def test_a_refused_inquiry_does_not_use_up_its_idempotency_key(submit, karen):
    with pytest.raises(ValidationFailed):
        submit(actor=karen, cvr=NEW_CVR, idempotency_key="k-1")  # new business, no name

    case = submit(actor=karen, cvr=NEW_CVR, business_name="Nyt Bryggeri ApS", idempotency_key="k-1")

    assert case.replayed is False
    assert case.business.name == "Nyt Bryggeri ApS"


def test_without_an_idempotency_key_the_same_body_twice_makes_two_cases(submit):
    submit()
    submit()

    assert Case.objects.count() == 2


def test_an_idempotent_retry_may_write_the_same_instant_with_another_offset(submit, karen):
    # 09:30 in Copenhagen (winter) is 08:30 UTC: one moment, two spellings
    first = submit(
        actor=karen,
        received_at=dt.datetime(2026, 11, 25, 9, 30, tzinfo=ZoneInfo("Europe/Copenhagen")),
        channel="phone",
        description="Ring om udeservering",
        idempotency_key="phone-1",
    )
    again = submit(
        actor=karen,
        received_at=dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.UTC),
        channel="phone",
        description="  Ring om udeservering \n",
        idempotency_key="phone-1",
    )

    assert again.pk == first.pk
    assert again.replayed is True
