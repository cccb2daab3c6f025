"""The login log: kept 180 days (NemLog-in's rule), then pruned by the sweep; the assertion
replay guard is pruned once its assertions can no longer be used anyway."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from erhvervskontakt.common import clock
from erhvervskontakt.identity.models import LoginEvent, SeenAssertion
from erhvervskontakt.identity.services.login_log import login_event_record, session_fingerprint
from erhvervskontakt.notifications.services.sweep import sweep

pytestmark = pytest.mark.django_db


def test_the_sweep_prunes_login_lines_after_180_days_and_keeps_younger_ones() -> None:
    start = clock.now()
    with time_machine.travel(start, tick=False):
        old = login_event_record(kind="login", method="mitid_erhverv", cvr="10079195")
        SeenAssertion.objects.create(
            assertion_id="_old", seen_at=start, not_on_or_after=start + dt.timedelta(minutes=5)
        )
    with time_machine.travel(start + dt.timedelta(days=100), tick=False):
        young = login_event_record(kind="refused", method="mitid_erhverv", reason="loa")

    with time_machine.travel(start + dt.timedelta(days=181), tick=False):
        report = sweep()

    assert report.logins_pruned == 1
    assert list(LoginEvent.objects.values_list("pk", flat=True)) == [young.pk]
    assert not LoginEvent.objects.filter(pk=old.pk).exists()
    assert not SeenAssertion.objects.exists()


def test_the_log_keeps_a_hash_of_the_session_never_the_key() -> None:
    event = login_event_record(kind="login", method="portal_password", session_key="abc123")

    assert event.session == session_fingerprint("abc123") != "abc123"
    assert len(event.session) == 64


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown login event"):
        login_event_record(kind="hacked", method="mitid_erhverv")
