"""Delivery: queued on the configured backend, retried with backoff, never silently lost.

Received Fri 27 Nov 2026 09:00; the clock moves in seconds from there.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from erhvervskontakt.notifications import worker
from erhvervskontakt.notifications.models import Notification
from erhvervskontakt.notifications.services import delivery, sweep

from .conftest import cph

pytestmark = pytest.mark.django_db(transaction=True)

T0 = cph(2026, 11, 27, 9)


@pytest.fixture
def received(building_case, time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(T0, tick=False)
    return building_case()


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def receipt() -> Notification:
    return Notification.objects.get(kind="receipt")


def queued_tasks() -> int:
    """Delivery tasks waiting in the configured queue (database table or Redis list)."""
    if worker.backend_name() == "rq":
        import django_rq

        return int(django_rq.get_queue("default").count)
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().count()


def lose_the_queue() -> None:
    """What a broker restart or a wiped queue does: every queued task is gone."""
    if worker.backend_name() == "rq":
        import django_rq

        django_rq.get_queue("default").empty()
    else:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()


def test_a_recorded_e_mail_is_queued_on_the_configured_backend_and_sent_by_the_worker(
    received, smtp
):
    assert receipt().status == Notification.Status.PENDING
    assert queued_tasks() == 1

    assert worker.drain() == 1

    assert receipt().status == Notification.Status.SENT
    assert receipt().sent_at == T0
    assert len(smtp.received) == 1
    assert queued_tasks() == 0


def test_a_refused_send_keeps_its_error_and_is_retried_with_backoff(
    received, smtp, deliver_all, time_machine
):
    smtp.refuse_data = "451 4.3.0 Mailbox busy, try again later"
    deliver_all()

    first = receipt()
    assert first.status == Notification.Status.RETRY
    assert first.attempts == 1
    assert first.last_error == "SMTPDataError: 451 4.3.0 Mailbox busy, try again later"
    assert first.next_attempt_at == at(60)

    time_machine.move_to(at(30), tick=False)  # too early: nothing is queued or sent
    assert sweep.sweep().queued == 0
    deliver_all()
    assert receipt().attempts == 1

    time_machine.move_to(at(61), tick=False)  # the second attempt, refused again
    assert sweep.sweep().queued == 1
    deliver_all()
    assert receipt().attempts == 2
    assert receipt().next_attempt_at == at(61 + 120)  # twice as long

    smtp.refuse_data = None
    time_machine.move_to(at(61 + 121), tick=False)
    sweep.sweep()
    deliver_all()

    sent = receipt()
    assert sent.status == Notification.Status.SENT
    assert sent.attempts == 3
    assert len(smtp.received) == 1


def test_after_the_last_attempt_an_administrator_sees_the_error_and_sends_it_again(
    received, smtp, deliver_all, time_machine, settings, admin_client
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    smtp.refuse_rcpt = "550 5.1.1 <ejer@fynsk.dk>: Recipient address rejected"
    deliver_all()
    time_machine.move_to(at(61), tick=False)
    sweep.sweep()
    deliver_all()

    failed = receipt()
    assert failed.status == Notification.Status.FAILED
    assert failed.next_attempt_at is None
    assert failed.last_error == (
        "Modtageren blev afvist: 550 5.1.1 <ejer@fynsk.dk>: Recipient address rejected"
    )
    time_machine.move_to(at(24 * 3600), tick=False)  # a day later: given up, not retried
    assert sweep.sweep().queued == 0

    changelist = reverse("admin:notifications_notification_changelist")
    page = admin_client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert received.reference in page
    assert "Fejlet – opgivet" in page
    assert "550 5.1.1 &lt;ejer@fynsk.dk&gt;: Recipient address rejected" in page

    smtp.refuse_rcpt = None
    response = admin_client.post(
        changelist, {"action": "retry_now", "_selected_action": [failed.pk]}, follow=True
    )
    assert "1 e-mail(s) sendes igen." in response.content.decode()
    deliver_all()

    assert receipt().status == Notification.Status.SENT
    assert len(smtp.received) == 1


def test_a_notification_whose_task_was_lost_is_queued_again_by_the_sweep(
    received, smtp, deliver_all, time_machine
):
    lose_the_queue()
    deliver_all()
    assert smtp.received == []

    time_machine.move_to(at(60), tick=False)  # its task may still be in the queue
    assert sweep.sweep().queued == 0
    time_machine.move_to(at(301), tick=False)  # queued longer ago than a lease: lost
    assert sweep.sweep().queued == 1
    deliver_all()

    assert receipt().status == Notification.Status.SENT
    assert len(smtp.received) == 1


def test_a_delivery_task_run_twice_sends_once(received, smtp):
    first = delivery.notification_deliver(notification_id=receipt().pk)
    second = delivery.notification_deliver(notification_id=receipt().pk)

    assert (first, second) == ("sent", "skipped")
    assert len(smtp.received) == 1


def test_the_sweep_can_itself_be_queued_as_a_task(building_case, karen, smtp, time_machine):
    from erhvervskontakt.notifications.tasks import sweep_due

    time_machine.move_to(cph(2026, 11, 27, 9), tick=False)
    building_case()
    time_machine.move_to(cph(2026, 12, 7, 8), tick=False)

    sweep_due.enqueue()
    while worker.drain():
        pass

    assert smtp.kinds() == ["coordinator_digest", "receipt"]
