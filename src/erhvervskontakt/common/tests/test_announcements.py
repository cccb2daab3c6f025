"""Announcements reach their listeners after commit, never for a rollback, each on its own."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from django.db import transaction

from erhvervskontakt.common import announcements
from erhvervskontakt.common.announcements import Announcement


@dataclasses.dataclass(frozen=True, kw_only=True)
class Rang(Announcement):
    bell: int


@pytest.fixture
def heard(monkeypatch):
    """A fresh listener table with two listeners: one that fails and one that records."""
    monkeypatch.setattr(announcements, "_listeners", type(announcements._listeners)(list))
    got: list[int] = []

    def fails(rang: Rang) -> None:
        raise RuntimeError("the listener broke")

    def records(rang: Rang) -> None:
        got.append(rang.bell)

    announcements.subscribe(Rang, fails)
    announcements.subscribe(Rang, records)
    announcements.subscribe(Rang, records)  # once, however often ``ready`` runs
    return got


@pytest.mark.django_db(transaction=True)
def test_listeners_hear_a_committed_change_once_and_a_failing_one_is_logged(heard, caplog):
    with caplog.at_level(logging.ERROR), transaction.atomic():
        announcements.announce(Rang(bell=1))
        assert heard == []  # not before the commit

    assert heard == [1]
    assert "announce(Rang) -> " in caplog.text and "fails" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_nothing_is_announced_for_a_change_that_rolled_back(heard):
    with pytest.raises(ValueError), transaction.atomic():
        announcements.announce(Rang(bell=2))
        raise ValueError("rolled back")

    assert heard == []


def test_an_announcement_carries_the_domain_clock():
    from erhvervskontakt.common import clock

    assert abs((Rang(bell=3).at - clock.now()).total_seconds()) < 5
