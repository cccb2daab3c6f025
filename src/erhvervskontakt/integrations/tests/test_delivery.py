"""Webhook deliveries against a real HTTP receiver on a loopback port: signed, each event
once per subscriber (however often the worker runs, and when two race), retried with backoff
while the receiver is down or answers 500, given up after the limit where the admin shows it,
no redirects followed, no address outside the rules reached.

The scene: Fri 27 Nov 2026 10:00 in Copenhagen, the clock held still by time-machine; the
settle margin is 0 (``conftest``), so events are served at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from typing import Any

import pytest
from django.db import connection

from erhvervskontakt.audit.models import PersonalDataRead
from erhvervskontakt.cases.models import Event
from erhvervskontakt.cases.services.screening import case_screen
from erhvervskontakt.integrations import services
from erhvervskontakt.integrations.models import WebhookDelivery, WebhookSubscription
from erhvervskontakt.notifications import worker

pytestmark = pytest.mark.django_db(transaction=True)

T0 = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


@pytest.fixture
def clock_at_t0(time_machine: Any) -> Any:
    time_machine.move_to(T0, tick=False)
    return time_machine


def run_worker(deliver_all: Any, rounds: int = 4) -> None:
    """What the worker does, a few times over: sweep the webhooks, run the queue."""
    for _ in range(rounds):
        services.webhooks_sweep()
        deliver_all()


def verify(request: Any, secret: str, now: dt.datetime) -> dict[str, Any]:
    """What a receiver does with a POST, computed here independently of the product: the
    signature is HMAC-SHA256 with the secret over ``<t>.<body>``; the body is JSON."""
    header = request.headers["Erhvervskontakt-Signature"]
    fields = dict(part.split("=", 1) for part in header.split(","))
    assert set(fields) == {"t", "v1"}, header
    assert abs(int(fields["t"]) - int(now.timestamp())) <= 300
    expected = hmac.new(
        secret.encode(), fields["t"].encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(fields["v1"], expected)
    assert request.headers["Content-Type"].startswith("application/json")
    body = json.loads(request.body)
    assert request.headers["Erhvervskontakt-Event-Id"] == str(body["id"])
    assert request.headers["Erhvervskontakt-Delivery-Id"] == str(body["delivery"])
    return body


# --- once, signed -------------------------------------------------------------------------


def test_each_event_reaches_the_receiver_once_signed_so_the_receiver_can_verify_it(
    clock_at_t0, submit, karen, receiver, subscribe, deliver_all
):
    hook = receiver()
    subscription, secret = subscribe(karen, hook.url)
    case = case_screen(case=submit(), actor=karen)

    run_worker(deliver_all)  # the worker runs, and runs again: nothing is sent twice

    bodies = [verify(r, secret, T0) for r in hook.received]
    ids = [b["id"] for b in bodies]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(Event.objects.values_list("pk", flat=True))
    first = next(b for b in bodies if b["id"] == min(ids))
    event = Event.objects.get(pk=first["id"])
    assert first["case"] == case.reference and first["kind"] == event.kind
    assert first["text"] == event.text and first["subscription"] == subscription.pk
    assert {r.path for r in hook.received} == {"/hook"}
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_two_subscribers_each_get_each_event_once(
    clock_at_t0, submit, karen, lars, receiver, subscribe, deliver_all
):
    first, second = receiver(), receiver()
    subscribe(karen, first.url)
    subscribe(lars, second.url)
    submit()

    run_worker(deliver_all)

    events = sorted(Event.objects.values_list("pk", flat=True))
    for hook in (first, second):
        assert sorted(json.loads(b)["id"] for b in hook.bodies()) == events


def test_recording_twice_records_each_delivery_once(clock_at_t0, submit, karen, subscribe):
    subscribe(karen, "http://127.0.0.1:9/hook")
    submit()

    made = services.webhook_deliveries_record()
    again = services.webhook_deliveries_record()

    assert made == Event.objects.count() and again == 0
    assert WebhookDelivery.objects.count() == made


def test_two_workers_racing_for_one_delivery_send_it_once(
    clock_at_t0, submit, karen, receiver, subscribe
):
    hook = receiver(delay=0.5)  # the first worker is still sending when the second tries
    subscribe(karen, hook.url, kinds=["received"])
    submit()
    services.webhook_deliveries_record()
    delivery = WebhookDelivery.objects.get()
    start = threading.Barrier(2)
    results: list[str] = []

    def work() -> None:
        try:
            start.wait(5)
            results.append(services.webhook_deliver(delivery_id=delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert sorted(results) == ["sent", "skipped"]
    assert len(hook.received) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_two_workers_draining_the_queue_at_once_deliver_each_event_once(
    clock_at_t0, submit, karen, receiver, subscribe
):
    hook = receiver(delay=0.05)
    subscribe(karen, hook.url)
    for _ in range(3):
        submit()
    services.webhook_deliveries_record()
    services.webhook_deliveries_queue_due(now=at(0))  # a sweep queues them all again
    errors: list[BaseException] = []

    def drain() -> None:
        try:
            worker.drain()
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=drain) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not errors
    ids = [json.loads(b)["id"] for b in hook.bodies()]
    recorded = sorted(WebhookDelivery.objects.values_list("event_id", flat=True))
    assert sorted(ids) == recorded and len(ids) == len(set(ids))


# --- a receiver in trouble ----------------------------------------------------------------


def test_a_receiver_that_is_down_for_a_while_gets_the_event_after_retries(
    clock_at_t0, submit, karen, receiver, subscribe, deliver_all
):
    hook = receiver(start=False)  # its port is closed
    _subscription, secret = subscribe(karen, hook.url, kinds=["received"])
    submit()

    run_worker(deliver_all, rounds=1)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("retry", 1)
    assert "afvist" in delivery.last_error and delivery.next_attempt_at == at(60)

    clock_at_t0.move_to(at(30), tick=False)  # too early: not tried
    run_worker(deliver_all, rounds=1)
    delivery.refresh_from_db()
    assert delivery.attempts == 1

    clock_at_t0.move_to(at(61), tick=False)  # the second attempt: still down
    run_worker(deliver_all, rounds=1)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("retry", 2)
    assert delivery.next_attempt_at == at(61 + 120)

    hook.start()  # back up
    clock_at_t0.move_to(at(61 + 121), tick=False)
    run_worker(deliver_all)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("sent", 3, 200)
    assert len(hook.received) == 1
    assert verify(hook.received[0], secret, at(61 + 121))["id"] == delivery.event_id


def test_a_receiver_answering_500_is_retried_with_backoff_then_failed_and_shown_in_the_admin(
    clock_at_t0, submit, karen, receiver, subscribe, deliver_all, admin_client, settings
):
    hook = receiver(status=500, answer=b"Intern fejl i fagsystemet")
    subscribe(karen, hook.url, kinds=["received"])
    submit()

    elapsed = 0.0
    for attempt, wait in enumerate([60, 120, 240, None], start=1):
        run_worker(deliver_all, rounds=1)
        delivery = WebhookDelivery.objects.get()
        assert delivery.attempts == attempt and delivery.last_status_code == 500
        if wait is None:
            break
        assert delivery.status == "retry"
        assert delivery.next_attempt_at == at(elapsed + wait)  # 60 s, 2 min, 4 min
        elapsed += wait
        clock_at_t0.move_to(at(elapsed + 1), tick=False)
        elapsed += 1

    assert delivery.status == "failed" and delivery.next_attempt_at is None
    assert delivery.last_error == "HTTP 500: Intern fejl i fagsystemet"
    assert len(hook.received) == settings.WEBHOOKS_MAX_ATTEMPTS
    assert len(set(hook.bodies())) == 1  # the same body every time
    clock_at_t0.move_to(at(24 * 3600), tick=False)
    run_worker(deliver_all)  # given up: not tried again
    assert len(hook.received) == settings.WEBHOOKS_MAX_ATTEMPTS

    page = admin_client.get("/admin/integrations/webhookdelivery/?problem=yes")
    assert page.status_code == 200
    assert "HTTP 500: Intern fejl i fagsystemet" in page.content.decode()
    assert "Fejlet – opgivet" in page.content.decode()

    hook.status = 200  # the integrator fixed it; the administrator sends it again
    answer = admin_client.post(
        "/admin/integrations/webhookdelivery/",
        {"action": "retry_now", "_selected_action": [delivery.pk]},
    )
    assert answer.status_code == 302
    deliver_all()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert len(hook.received) == settings.WEBHOOKS_MAX_ATTEMPTS + 1


def test_a_redirect_is_not_followed(clock_at_t0, submit, karen, receiver, subscribe, deliver_all):
    elsewhere = receiver()
    redirecting = receiver(status=302, location=elsewhere.url)
    subscribe(karen, redirecting.url, kinds=["received"])
    submit()

    run_worker(deliver_all, rounds=1)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_status_code) == ("retry", 302)
    assert "følger ikke omdirigeringer" in delivery.last_error
    assert elsewhere.url in delivery.last_error
    assert len(redirecting.received) == 1 and elsewhere.received == []


def test_a_receiver_that_does_not_answer_in_time_is_a_failed_attempt(
    clock_at_t0, submit, karen, receiver, subscribe, deliver_all, settings
):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 1
    hook = receiver(delay=3)
    subscribe(karen, hook.url, kinds=["received"])
    submit()

    run_worker(deliver_all, rounds=1)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "retry"
    assert "inden for 1 sekunder" in delivery.last_error


def test_an_address_refused_at_delivery_is_given_up_and_never_reached(
    clock_at_t0, submit, karen, receiver, subscribe, deliver_all, settings
):
    hook = receiver()
    subscribe(karen, hook.url, kinds=["received"])  # allowed when it was made (tests)
    submit()
    settings.WEBHOOKS_ALLOW_LOOPBACK = False  # production's rule, checked at every delivery

    run_worker(deliver_all, rounds=1)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "ikke tilladt" in delivery.last_error
    assert hook.received == []


# --- subscriptions' states ----------------------------------------------------------------


def test_a_paused_subscription_holds_back_and_catches_up_when_resumed(
    clock_at_t0, submit, karen, receiver, subscribe, deliver_all
):
    hook = receiver()
    subscription, _ = subscribe(karen, hook.url)
    services.webhook_subscription_update(subscription=subscription, actor=karen, status="paused")
    submit()

    run_worker(deliver_all)
    assert hook.received == [] and WebhookDelivery.objects.count() == 0

    services.webhook_subscription_update(subscription=subscription, actor=karen, status="active")
    deliver_all()  # no sweep: resuming queues the catching up itself

    ids = sorted(json.loads(b)["id"] for b in hook.bodies())
    assert ids == sorted(Event.objects.values_list("pk", flat=True))


def test_a_deactivated_subscription_gives_up_what_waits_and_records_nothing_more(
    clock_at_t0, submit, karen, receiver, subscribe, deliver_all
):
    hook = receiver(start=False)
    subscription, _ = subscribe(karen, hook.url)
    submit()
    run_worker(deliver_all, rounds=1)  # down: waiting for a retry

    services.webhook_subscription_deactivate(subscription=subscription, actor=karen)
    hook.start()
    submit()
    clock_at_t0.move_to(at(3600), tick=False)
    run_worker(deliver_all)

    assert hook.received == []
    subscription.refresh_from_db()
    assert subscription.status == WebhookSubscription.Status.DEACTIVATED
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"failed"}
    assert all(
        "deaktiveret" in e for e in WebhookDelivery.objects.values_list("last_error", flat=True)
    )


def test_an_owner_who_may_no_longer_read_the_event_is_sent_nothing(
    clock_at_t0, submit, karen, receiver, subscribe, deliver_all
):
    hook = receiver()
    subscribe(karen, hook.url, kinds=["received"])
    submit()
    services.webhook_deliveries_record()
    karen.is_active = False  # she left the municipality
    karen.save()

    deliver_all()

    assert hook.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and "ikke længere se" in delivery.last_error


def test_a_sent_delivery_is_in_the_personal_data_read_log(
    clock_at_t0, submit, karen, receiver, subscribe, deliver_all
):
    hook = receiver()
    subscription, _ = subscribe(karen, hook.url, kinds=["received"])
    case = submit()
    before = PersonalDataRead.objects.count()

    run_worker(deliver_all)

    assert len(hook.received) == 1
    row = PersonalDataRead.objects.order_by("pk")[before:].get()
    assert (row.user_id, row.case_id, row.route) == (karen.pk, case.pk, "integrations:webhook")
    assert row.criterion.startswith(f"webhook={subscription.pk}:event=")


def test_a_case_change_records_its_webhooks_once_the_events_have_settled(
    clock_at_t0, submit, karen, receiver, subscribe, deliver_all, settings
):
    """After commit, a task deferred by the settle margin records the change's events
    (the database backend runs deferred tasks; the sweep covers the others)."""
    if worker.backend_name() != "database":
        pytest.skip("RQ runs deferred jobs only with its scheduler; the sweep covers it")
    settings.WEBHOOKS_FEED_SETTLE_SECONDS = 30
    hook = receiver()
    subscribe(karen, hook.url, kinds=["received"])
    submit()

    deliver_all()
    assert hook.received == []  # not settled yet, and the task waits for it

    clock_at_t0.move_to(at(32), tick=False)
    deliver_all()  # no sweep: the deferred task records, then the delivery is sent

    assert len(hook.received) == 1
