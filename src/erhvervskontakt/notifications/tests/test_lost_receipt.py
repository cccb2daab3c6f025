"""A receipt whose recording was lost is made up by the sweep.

The e-mails a change causes are recorded by a listener after the case's transaction commits
(``common.announcements``). If the database goes away in between (PostgreSQL restarting, the
fault test in ``web/tests/test_database_faults.py``), the case is there and its receipt is
not. Here the listener never runs (a test's transaction is never committed, so nothing after
commit runs): the case exists without its receipt, as after that fault.
"""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.notifications.models import Kind, Notification
from erhvervskontakt.notifications.services.sweep import RECEIPT_CATCH_UP, sweep

from .conftest import cph

pytestmark = pytest.mark.django_db


def test_the_sweep_records_a_receipt_the_listener_never_recorded(submit, time_machine):
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = submit()
    assert not Notification.objects.filter(case=case).exists()  # the listener did not run
    time_machine.move_to(cph(2026, 11, 27, 9, 5), tick=False)

    report = sweep()

    receipt = Notification.objects.get(case=case, kind=Kind.RECEIPT)
    assert receipt.recipient_email == case.contact_email
    assert report.recorded[Kind.RECEIPT] == 1
    assert sweep().recorded[Kind.RECEIPT] == 0  # once
    assert Notification.objects.filter(case=case, kind=Kind.RECEIPT).count() == 1


def test_a_case_older_than_the_catch_up_window_is_left_alone(submit, time_machine):
    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    case = submit()
    time_machine.move_to(cph(2026, 11, 27, 9) + RECEIPT_CATCH_UP + dt.timedelta(minutes=1))

    sweep()

    assert not Notification.objects.filter(case=case, kind=Kind.RECEIPT).exists()
