"""Reads of the feed and the webhooks. Every event goes through ``Case.objects.visible_to``.

``event_feed`` is the one read of the feed: the API's ``GET /events`` and the recording of
webhook deliveries both page through it, so a subscription gets exactly the events its owner
could read in the feed, and the same text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet

from erhvervskontakt.accounts.models import User
from erhvervskontakt.cases.models import Case, Event
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import NotFound

from . import rules
from .models import WebhookDelivery, WebhookSubscription

MAX_PAGE = 200

# What a page of the feed reads (``feed.event_payload``): not the cases' other columns; the
# actors (a few staff) in one query of their own, cheaper than a join on every row.
FEED_FIELDS = (
    "id",
    "case_id",
    "at",
    "kind",
    "actor_id",
    "text",
    "internal",
    "business_text",
    "case__id",
    "case__reference",
)
ACTOR_FIELDS = ("id", "username", "first_name", "last_name")


@dataclass(frozen=True)
class FeedPage:
    """A page of the feed: its events in id order, and the id the next page goes on after
    (the last event's, or ``after`` itself when there is nothing new yet). ``more``: the page
    is full, so the next one may already have events."""

    items: list[Event]
    last: int
    more: bool


def feed_events(*, user: User) -> QuerySet[Event]:
    """Every event ``user`` may read in the feed: those of the cases it sees; for a business
    user only the entries written for the business (the same as its case history)."""
    visible = Case.objects.visible_to(user)
    events = Event.objects.all()
    # The rule may let this reader see every case (coordinators, integrations): then there
    # is nothing to restrict, and the page is a plain range of the primary key instead of
    # a semi-join with a million cases. Any restriction the rule makes is applied as it is.
    if visible.query.where:
        events = events.filter(case__in=visible)
    if not user.is_staff:
        events = events.filter(internal=False).exclude(business_text="")
    return events


def event_feed(
    *,
    user: User,
    after: int = 0,
    limit: int = 50,
    kinds: Sequence[str] = (),
    now: dt.datetime | None = None,
) -> FeedPage:
    """The events after event ``after`` that ``user`` may read, oldest first, at most
    ``limit``: a keyset page on the primary key (one indexed range, no COUNT), so a page
    costs the same at the first event and the ten-millionth.

    Only events that have *settled* are served (``Event.at`` at least
    ``WEBHOOKS_FEED_SETTLE_SECONDS`` ago), and the page stops at the first that has not:
    an event id is allocated when its transaction inserts it, but the row is seen only
    when that transaction commits, so a slow transaction can commit a lower id after a
    client has read a higher one, which ``id > cursor`` would then skip for ever. Past the
    margin every transaction that could still hold a lower id has ended (decision 0013).
    The cut-off is read before the query, so it is never later than the query's snapshot.

    A page that is neither full nor stopped early held every matching event up to now; its
    cursor then moves on to the newest settled event of all (``_settled_horizon``), past
    events this reader does not see or did not ask for: so a filter that matches rarely
    (or a business's few cases) does not rescan the same stretch of the table at every poll.
    """
    limit = max(1, min(limit, MAX_PAGE))
    cutoff = rules.settled_before(
        now or clock.now(), settle_seconds=settings.WEBHOOKS_FEED_SETTLE_SECONDS
    )
    events = feed_events(user=user).filter(pk__gt=after)
    if kinds:
        events = events.filter(kind__in=list(kinds))
    actors = Prefetch("actor", queryset=User.objects.only(*ACTOR_FIELDS))
    rows = list(
        events.select_related("case")
        .only(*FEED_FIELDS)
        .prefetch_related(actors)
        .order_by("pk")[:limit]
    )
    served: list[Event] = []
    for event in rows:
        if event.at > cutoff:
            break  # not settled: neither it nor anything after it yet
        served.append(event)
    last = served[-1].pk if served else after
    if len(rows) < limit and len(served) == len(rows):
        last = max(last, _settled_horizon(cutoff))
    return FeedPage(items=served, last=last, more=len(served) == limit)


# Where the horizon is looked for (primary-key lookups in one query): the newest
# HORIZON_NEAR ids, then every HORIZON_STEP-th id before them, HORIZON_PROBES of them
# (some 10,000 events back: more than a settle margin's worth at the busiest).
HORIZON_NEAR = 10
HORIZON_STEP = 200
HORIZON_PROBES = 50


def _settled_horizon(cutoff: dt.datetime) -> int:
    """The id of a recent settled event (0: none found). Every lower id has committed or
    rolled back by now (the settle margin's argument), so a reader that has seen all it may
    see up to here can go on from here. Two small queries: the newest id, then a sparse
    sample of the ids before it."""
    newest = Event.objects.order_by("-pk").values_list("pk", flat=True).first()
    if newest is None:
        return 0
    probes = [newest - i for i in range(HORIZON_NEAR)]
    probes += [newest - i * HORIZON_STEP for i in range(1, HORIZON_PROBES + 1)]
    found = Event.objects.filter(pk__in=[p for p in probes if p > 0]).values_list("pk", "at")
    return max((pk for pk, at in found if at <= cutoff), default=0)


def event_for_delivery(*, user: User, event_id: int) -> Event | None:
    """The event as ``user`` may read it now (with its case and actor), or None: a
    delivery is sent only while its owner could still read the event in the feed."""
    return feed_events(user=user).select_related("case", "actor").filter(pk=event_id).first()


# --- subscriptions ------------------------------------------------------------------------


def webhook_subscription_list(*, owner: User) -> QuerySet[WebhookSubscription]:
    """``owner``'s subscriptions, newest first (deactivated ones too: they stay)."""
    return WebhookSubscription.objects.filter(owner=owner).order_by("-id")


def webhook_subscription_get(*, owner: User, subscription_id: int) -> WebhookSubscription:
    """One of ``owner``'s subscriptions, or NotFound (also when it is someone else's)."""
    found = WebhookSubscription.objects.filter(owner=owner, pk=subscription_id).first()
    if found is None:
        raise NotFound(f"Webhook-abonnementet {subscription_id} findes ikke.")
    return found


def failing_counts(subscription_ids: Sequence[int]) -> dict[int, int]:
    """How many deliveries of each subscription have failed (retrying or given up): one query."""
    rows = (
        WebhookDelivery.objects.problems()
        .filter(subscription_id__in=list(subscription_ids))
        .values("subscription_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["subscription_id"]: row["n"] for row in rows}


def webhook_delivery_list(
    *,
    subscription: WebhookSubscription,
    status: str | None = None,
    before: int | None = None,
    limit: int = 50,
) -> list[WebhookDelivery]:
    """The subscription's deliveries, newest first, a keyset page before delivery ``before``."""
    deliveries = WebhookDelivery.objects.filter(subscription=subscription)
    if status:
        deliveries = deliveries.filter(status=status)
    if before:
        deliveries = deliveries.filter(pk__lt=before)
    return list(deliveries.order_by("-pk")[: max(1, min(limit, MAX_PAGE))])


# --- the worker's reads ---------------------------------------------------------------------

# A retry is due a few seconds early at most (the servers' clocks differ a little).
CLOCK_SKEW = dt.timedelta(seconds=5)


def due_now(now: dt.datetime) -> Q:
    """Pending, a retry whose time has come, or a claim whose lease ran out; of an active
    subscription (a paused one's deliveries wait; a deactivated one's are given up).

    The delivery's own columns are compared on its row, and the subscription through
    ``subscription_id IN (…)``, never a join: the claim is an UPDATE with this condition,
    and PostgreSQL re-checks a row's own columns after waiting for another worker's claim,
    but would not re-check a joined copy of the same table (both workers would claim it)."""
    active = WebhookSubscription.objects.filter(status=WebhookSubscription.Status.ACTIVE)
    return Q(subscription_id__in=active.values("pk")) & (
        Q(status=WebhookDelivery.Status.PENDING)
        | Q(status=WebhookDelivery.Status.RETRY, next_attempt_at__lte=now + CLOCK_SKEW)
        | Q(status=WebhookDelivery.Status.SENDING, claimed_until__lt=now)
    )


def deliveries_to_queue(*, now: dt.datetime, lease: dt.timedelta) -> QuerySet[WebhookDelivery]:
    """Deliveries that should be sent now and have no task in the queue: never queued,
    queued before their retry or claim was due, or queued so long ago that the task must
    have been lost (as ``notifications.selectors.notifications_to_queue``)."""
    unqueued = (
        Q(queued_at__isnull=True)
        | Q(queued_at__lte=now - lease)
        | Q(queued_at__lt=F("next_attempt_at"))
        | Q(status=WebhookDelivery.Status.SENDING, queued_at__lt=F("claimed_until") - lease)
    )
    return (
        WebhookDelivery.objects.filter(due_now(now))
        .filter(unqueued)
        .order_by("next_attempt_at", "id")
    )


def active_subscription_ids() -> list[int]:
    return list(
        WebhookSubscription.objects.filter(status=WebhookSubscription.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
