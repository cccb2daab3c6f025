"""Writes of the webhooks: subscriptions, recording deliveries from the feed, sending one
(once), retries, and the administrator's "send again".

Delivery follows the e-mail outbox (``notifications.services.delivery``, decision 0004):
a row per (subscription, event), recorded insert-or-ignore; a worker claims it with one
conditional UPDATE and a lease, POSTs it, and marks it sent, or schedules a retry with
exponential backoff until ``WEBHOOKS_MAX_ATTEMPTS``, then ``failed``. The queue is a fast
path; the sweep (``webhooks_sweep``) records and queues whatever is due, so a lost task or a
dead worker delays a delivery but never loses it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F

from erhvervskontakt.accounts.models import User
from erhvervskontakt.audit.models import Purpose, Use
from erhvervskontakt.audit.services import personal_data_read_record
from erhvervskontakt.cases.models import Event
from erhvervskontakt.common import clock
from erhvervskontakt.common.database import wait_for_database
from erhvervskontakt.common.errors import Conflict, Forbidden, ValidationFailed

from . import addresses, rules, selectors, sending
from .feed import event_payload
from .models import WebhookDelivery, WebhookSubscription

logger = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"  # noqa: S105 (a public prefix, not a secret)
KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_KINDS = 50
# Events recorded per subscription per transaction, and transactions per sweep at most
# (a subscription far behind catches up over a few sweeps, never in one long transaction).
RECORD_BATCH = 500
RECORD_BATCHES = 20
USER_AGENT = "Erhvervskontakt-Webhooks/1"

Status = WebhookDelivery.Status


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WEBHOOKS_LEASE_SECONDS)


# --- subscriptions ------------------------------------------------------------------------


def _require_staff(user: User) -> None:
    if not (user.is_active and user.is_staff):
        raise Forbidden("Kun kommunens medarbejdere og integrationer kan have webhooks.")


def url_clean(url: str) -> str:
    """The URL as stored, if the address rules allow it (``addresses``); else refused on
    ``url``. Also the admin form's check."""
    try:
        return addresses.parse_target(url).url
    except addresses.AddressRefused as refused:
        raise ValidationFailed.field("url", refused.message) from None


def name_clean(name: str) -> str:
    """The name, stripped; refused on ``name`` when empty or longer than 100."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed.field("name", "Giv abonnementet et navn.")
    if len(name) > 100:
        raise ValidationFailed.field("name", "Navnet må højst være 100 tegn.")
    return name


def kinds_clean(kinds: Iterable[str] | None) -> list[str]:
    """The kinds as stored: each once, sorted (empty: all); refused on ``kinds`` when one is
    not shaped like an event kind (``screened``, ``notification_sent``)."""
    chosen: list[str] = []
    for kind in kinds or []:
        kind = kind.strip()
        if not KIND_PATTERN.match(kind):
            raise ValidationFailed.field(
                "kinds", f"Ukendt form for hændelsestype: {kind[:40]!r} (fx »screened«)."
            )
        if kind not in chosen:
            chosen.append(kind)
    if len(chosen) > MAX_KINDS:
        raise ValidationFailed.field("kinds", f"Højst {MAX_KINDS} hændelsestyper.")
    return sorted(chosen)


@dataclass(frozen=True)
class Created:
    """A new subscription and its secret, which is shown this once and never again."""

    subscription: WebhookSubscription
    secret: str


@transaction.atomic
def webhook_subscription_create(
    *,
    owner: User,
    name: str,
    url: str,
    kinds: Sequence[str] | None = None,
    after: int | None = None,
) -> Created:
    """A subscription of ``owner`` (staff): from now on each event ``owner`` may read in the
    feed is POSTed to ``url``, signed with a new secret (returned once).

    It starts after the newest event (``after`` starts it after that event instead, e.g. a
    cursor the integrator read from the feed), so a new subscription is not flooded with
    the history; the integrator reads that from the feed."""
    _require_staff(owner)
    clean_name, clean_url, clean_kinds = name_clean(name), url_clean(url), kinds_clean(kinds)
    if after is None:
        after = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    moment = clock.now()
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    subscription = WebhookSubscription.objects.create(
        name=clean_name,
        url=clean_url,
        secret=secret,
        owner=owner,
        kinds=clean_kinds,
        cursor=after,
        created_at=moment,
        updated_at=moment,
    )
    logger.info(
        "webhook subscription created: subscription=%s owner=%s url=%s",
        subscription.pk,
        owner.username,
        clean_url,
    )
    return Created(subscription=subscription, secret=secret)


@transaction.atomic
def webhook_subscription_update(
    *,
    subscription: WebhookSubscription,
    actor: User | None,
    name: str | None = None,
    url: str | None = None,
    kinds: Sequence[str] | None = None,
    status: str | None = None,
) -> WebhookSubscription:
    """Rename it, move it to another URL, choose its kinds, or pause and resume it
    (``status``: ``active`` or ``paused``). A deactivated subscription stays so (409).

    Paused, nothing is recorded or sent; its place in the feed is kept, so when it is
    resumed it catches up with what happened meanwhile. Deliveries waiting to be sent go
    to the new URL, with the same secret. ``actor`` None: the administrator, from the
    admin (its own permission); anyone else must own it."""
    row = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if actor is not None:
        _require_staff(actor)
        if row.owner_id != actor.pk:
            raise Forbidden("Abonnementet er en anden brugers.")
    if row.status == WebhookSubscription.Status.DEACTIVATED:
        raise Conflict("Abonnementet er deaktiveret og kan ikke ændres; opret et nyt.")
    if status is not None and status not in (
        WebhookSubscription.Status.ACTIVE,
        WebhookSubscription.Status.PAUSED,
    ):
        raise ValidationFailed.field("status", "Status skal være »active« eller »paused«.")
    changes: list[str] = []
    for field, value in (
        ("name", None if name is None else name_clean(name)),
        ("url", None if url is None else url_clean(url)),
        ("kinds", None if kinds is None else kinds_clean(kinds)),
        ("status", status),
    ):
        if value is not None and getattr(row, field) != value:
            setattr(row, field, value)
            changes.append(field)
    if changes:
        row.updated_at = clock.now()
        row.save(update_fields=[*changes, "updated_at"])
        logger.info(
            "webhook subscription %s changed by %s: %s",
            row.pk,
            actor.username if actor else "the administrator",
            ", ".join(changes),
        )
        if "status" in changes and row.status == WebhookSubscription.Status.ACTIVE:
            transaction.on_commit(_catch_up, robust=True)
    return row


@transaction.atomic
def webhook_subscription_deactivate(
    *, subscription: WebhookSubscription, actor: User | None
) -> WebhookSubscription:
    """End the subscription for good (it is never deleted): nothing more is recorded, and
    the deliveries still waiting are given up, with the reason, where the admin shows them.
    ``actor`` None: the administrator, from the admin (its own permission)."""
    row = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if actor is not None:
        _require_staff(actor)
        if row.owner_id != actor.pk:
            raise Forbidden("Abonnementet er en anden brugers.")
    if row.status == WebhookSubscription.Status.DEACTIVATED:
        return row
    moment = clock.now()
    row.status = WebhookSubscription.Status.DEACTIVATED
    row.deactivated_at = row.updated_at = moment
    row.save(update_fields=["status", "deactivated_at", "updated_at"])
    WebhookDelivery.objects.filter(
        subscription=row, status__in=[Status.PENDING, Status.RETRY, Status.SENDING]
    ).update(
        status=Status.FAILED,
        next_attempt_at=None,
        claimed_until=None,
        last_error="Abonnementet er deaktiveret; leveringen er opgivet.",
        last_error_at=moment,
    )
    logger.info(
        "webhook subscription %s deactivated by %s",
        row.pk,
        actor.username if actor else "the administrator",
    )
    return row


# --- recording deliveries from the feed ---------------------------------------------------


def _record_batch(subscription_id: int, batch: int) -> tuple[list[int], bool]:
    """One transaction: the subscription locked, the next page of its owner's feed recorded
    as deliveries, its cursor moved. Returns the new deliveries' ids and whether the page
    was full (there may be more)."""
    with transaction.atomic():
        # Locked, so two sweeps at once record each page once and move the cursor once;
        # the unique (subscription, event) keeps it so even without the lock (SQLite).
        subscription = (
            WebhookSubscription.objects.select_for_update()
            .select_related("owner")
            .filter(pk=subscription_id, status=WebhookSubscription.Status.ACTIVE)
            .first()
        )
        if subscription is None:
            return [], False
        page = selectors.event_feed(
            user=subscription.owner,
            after=subscription.cursor,
            limit=batch,
            kinds=subscription.kinds or (),
        )
        if not page.items:
            return [], False
        moment = clock.now()
        WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(
                    subscription=subscription,
                    event=event,
                    created_at=moment,
                    next_attempt_at=moment,
                )
                for event in page.items
            ],
            ignore_conflicts=True,
        )
        WebhookSubscription.objects.filter(pk=subscription.pk).update(cursor=page.last)
        made = list(
            WebhookDelivery.objects.filter(
                subscription=subscription,
                event_id__in=[e.pk for e in page.items],
                status=Status.PENDING,
                queued_at__isnull=True,
            ).values_list("pk", flat=True)
        )
        transaction.on_commit(lambda: _queue_delivery(made))
        return made, page.more


def webhook_deliveries_record(
    *, batch: int = RECORD_BATCH, max_batches: int = RECORD_BATCHES
) -> int:
    """For each active subscription, its owner's settled feed events after its cursor
    become deliveries (each once), queued for sending after commit. Returns how many.

    Safe to run at any time, twice, or in two processes at once: recording is
    insert-or-ignore on (subscription, event), and the cursor moves in the same transaction
    as the rows it covers."""
    made = 0
    for subscription_id in selectors.active_subscription_ids():
        for _ in range(max_batches):
            ids, more = _record_batch(subscription_id, batch)
            made += len(ids)
            if not more:
                break
    return made


def _queue_delivery(ids: list[int]) -> None:
    """Queue a delivery task for each; if the queue is down, the next sweep does."""
    if not ids:
        return
    from .tasks import deliver_webhook

    WebhookDelivery.objects.filter(pk__in=ids).update(queued_at=clock.now())
    for position, pk in enumerate(ids):
        try:
            deliver_webhook.enqueue(pk)
        except Exception:
            logger.warning("Could not queue webhook delivery %s; the sweep will", pk, exc_info=True)
            WebhookDelivery.objects.filter(pk__in=ids[position:]).update(queued_at=None)
            return


def _catch_up() -> None:
    """A resumed subscription: what waited is queued now, and what happened while it was
    paused is recorded by a task at once (else by the next sweep)."""
    from .tasks import record_webhook_deliveries

    webhook_deliveries_queue_due()
    try:
        record_webhook_deliveries.enqueue()
    except Exception:
        logger.warning("Could not queue the webhooks' recording; the sweep will", exc_info=True)


def webhook_deliveries_queue_due(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Queue a task for every due delivery that has none (see the selector)."""
    now = now or clock.now()
    ids = list(
        selectors.deliveries_to_queue(now=now, lease=_lease()).values_list("pk", flat=True)[:limit]
    )
    _queue_delivery(ids)
    return len(ids)


@dataclass(frozen=True)
class SweepReport:
    recorded: int
    queued: int


def webhooks_sweep(*, now: dt.datetime | None = None) -> SweepReport:
    """What the sweep does for the webhooks: record the settled events, queue what is due."""
    recorded = webhook_deliveries_record()
    return SweepReport(recorded=recorded, queued=webhook_deliveries_queue_due(now=now))


# --- sending one delivery ------------------------------------------------------------------


def webhook_body(delivery: WebhookDelivery, event: Event, *, staff: bool) -> bytes:
    """The POST's body: the event as the feed shows it, with the delivery's and the
    subscription's ids. Compact JSON, keys sorted: the same bytes on every attempt."""
    body = {
        **event_payload(event, staff=staff),
        "delivery": delivery.pk,
        "subscription": delivery.subscription_id,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _headers(delivery: WebhookDelivery, secret: str, body: bytes) -> dict[str, str]:
    timestamp = int(clock.now().timestamp())
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "Erhvervskontakt-Event-Id": str(delivery.event_id),
        "Erhvervskontakt-Delivery-Id": str(delivery.pk),
        "Erhvervskontakt-Subscription-Id": str(delivery.subscription_id),
        rules.SIGNATURE_HEADER: rules.signature(secret, timestamp, body),
    }


class _GiveUp(Exception):
    """A delivery that cannot succeed by trying again (the address is refused, the owner
    may no longer read the event): failed at once."""


def webhook_deliver(*, delivery_id: int) -> str:
    """Send one delivery: claim it, POST it, mark it. Returns what happened.

    The claim is a conditional UPDATE from ``pending``, a due ``retry`` or an expired
    ``sending`` lease to ``sending`` (of an active subscription): two workers may race for
    one row, but only one UPDATE matches, so it is POSTed once. The body is made at sending
    time from the event as the owner may read it *now*: an owner who has lost access gets
    nothing. A 2xx answer marks it sent (with the read of the case's data in the read log,
    as the feed's are); anything else (another status, a redirect, a refused connection, a
    timeout) is a failed attempt. The database is waited out as in the e-mails' delivery.
    """
    if not delivery_id:
        return "skipped"
    now = clock.now()
    token = uuid.uuid4().hex
    patience = _lease().total_seconds() / 2

    def claim() -> bool:
        updated = WebhookDelivery.objects.filter(selectors.due_now(now), pk=delivery_id).update(
            status=Status.SENDING,
            claim_token=token,
            claimed_until=now + _lease(),
            attempts=F("attempts") + 1,
        )
        return bool(updated) or _holds(delivery_id, token, Status.SENDING)

    if not wait_for_database(claim, give_up_after=patience, what="claiming a webhook delivery"):
        return "skipped"
    delivery = wait_for_database(
        lambda: WebhookDelivery.objects.select_related("subscription__owner").get(pk=delivery_id),
        give_up_after=patience,
        what="reading a webhook delivery",
    )
    subscription = delivery.subscription
    try:
        event = selectors.event_for_delivery(user=subscription.owner, event_id=delivery.event_id)
        if event is None:
            raise _GiveUp("Ejeren af abonnementet kan ikke længere se hændelsen; den sendes ikke.")
        body = webhook_body(delivery, event, staff=subscription.owner.is_staff)
        try:
            target = addresses.parse_target(subscription.url)
            address = addresses.resolve(target)
        except addresses.AddressRefused as refused:
            raise _GiveUp(f"Adressen er ikke tilladt: {refused.message}") from None
        answer = sending.post(
            target,
            address,
            body,
            _headers(delivery, subscription.secret, body),
            timeout=settings.WEBHOOKS_TIMEOUT_SECONDS,
            max_bytes=settings.WEBHOOKS_MAX_RESPONSE_BYTES,
        )
    except _GiveUp as error:
        wait_for_database(
            functools.partial(_mark_failed, delivery, token, str(error), None, give_up=True),
            give_up_after=patience,
            what="recording a refused webhook",
        )
        return "failed"
    except OSError as error:
        wait_for_database(
            functools.partial(_mark_failed, delivery, token, _describe(error), None),
            give_up_after=patience,
            what="recording a failed webhook",
        )
        return "failed"
    if not answer.ok:
        wait_for_database(
            functools.partial(
                _mark_failed, delivery, token, _describe_answer(answer), answer.status
            ),
            give_up_after=patience,
            what="recording a failed webhook",
        )
        return "failed"
    wait_for_database(
        lambda: _mark_sent(delivery, event, token, answer.status),
        give_up_after=patience,
        what="recording a sent webhook",
    )
    return "sent"


def _describe(error: OSError) -> str:
    """A failed connection as an administrator can read it."""
    if isinstance(error, TimeoutError):
        return f"Modtageren svarede ikke inden for {settings.WEBHOOKS_TIMEOUT_SECONDS} sekunder."
    if isinstance(error, ConnectionRefusedError):
        return "Forbindelsen blev afvist (modtageren lytter ikke på adressen)."
    return f"Forbindelsen mislykkedes: {type(error).__name__}: {error}"[:2000]


def _describe_answer(answer: sending.Answer) -> str:
    if 300 <= answer.status < 400:
        return (
            f"HTTP {answer.status}: modtageren henviste til {answer.location or '(ingen adresse)'}; "
            "webhooks følger ikke omdirigeringer. Ret abonnementets adresse."
        )
    text = " ".join(answer.text.split())
    return f"HTTP {answer.status}: {text}" if text else f"HTTP {answer.status}"


def _holds(delivery_id: int, token: str, status: str) -> bool:
    """Whether our claim ``token`` is on the row in ``status`` (a try whose answer was lost)."""
    return WebhookDelivery.objects.filter(pk=delivery_id, claim_token=token, status=status).exists()


@transaction.atomic
def _mark_sent(delivery: WebhookDelivery, event: Event, token: str, status_code: int) -> None:
    marked = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=Status.SENDING, claim_token=token
    ).update(
        status=Status.SENT,
        sent_at=clock.now(),
        claimed_until=None,
        next_attempt_at=None,
        last_status_code=status_code,
    )
    if not marked:
        if _holds(delivery.pk, token, Status.SENT):
            return  # an earlier try committed it; only its answer was lost
        logger.warning(
            "Webhook delivery %s was sent after its lease ran out; another worker may send it too",
            delivery.pk,
        )
        return
    owner = delivery.subscription.owner
    if owner.is_staff:  # the read log is of the municipality's uses (web.readlog)
        personal_data_read_record(
            user=owner,
            use=Use.API_READ,
            purpose=Purpose.CASE_HANDLING,
            case=event.case,
            criterion=f"webhook={delivery.subscription_id}:event={event.pk}",
            route="integrations:webhook",
        )
    logger.info("Sent webhook delivery %s (event %s)", delivery.pk, delivery.event_id)


def _mark_failed(
    delivery: WebhookDelivery,
    token: str,
    error: str,
    status_code: int | None,
    *,
    give_up: bool = False,
) -> None:
    moment = clock.now()
    attempts = delivery.attempts
    give_up = give_up or attempts >= settings.WEBHOOKS_MAX_ATTEMPTS
    WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING, claim_token=token).update(
        status=Status.FAILED if give_up else Status.RETRY,
        next_attempt_at=None
        if give_up
        else moment + rules.retry_delay(attempts, base_seconds=settings.WEBHOOKS_RETRY_SECONDS),
        claimed_until=None,
        last_error=error,
        last_error_at=moment,
        last_status_code=status_code,
    )
    logger.warning(
        "Webhook delivery %s failed (attempt %s%s): %s",
        delivery.pk,
        attempts,
        ", giving up" if give_up else "",
        error,
    )


@transaction.atomic
def webhook_deliveries_retry_now(*, ids: Iterable[int]) -> int:
    """An administrator sends again: failed or waiting deliveries of active subscriptions
    are due at once, with their attempts counted afresh."""
    now = clock.now()
    pks = list(
        WebhookDelivery.objects.filter(
            pk__in=list(ids),
            status__in=[Status.RETRY, Status.FAILED],
            subscription__status=WebhookSubscription.Status.ACTIVE,
        ).values_list("pk", flat=True)
    )
    updated = WebhookDelivery.objects.filter(pk__in=pks).update(
        status=Status.PENDING, next_attempt_at=now, queued_at=now, attempts=0
    )
    transaction.on_commit(lambda: _queue_delivery(pks))
    return updated
