"""REST API v1: the ordered feed of case events and the webhook subscriptions (issue 18).

``GET /events`` pages through the timeline as the token's user may read it (a keyset on the
event id, behind an opaque cursor); ``/webhooks`` are the token's user's own subscriptions
(staff only), each POSTing the same events, signed, to its URL. How the cursor never skips an
event and how a delivery is signed: docs/decisions/0013-events-feed-and-webhooks.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from erhvervskontakt.accounts.models import User
from erhvervskontakt.common.errors import Forbidden
from erhvervskontakt.integrations import selectors, services
from erhvervskontakt.integrations.feed import cursor_decode, cursor_encode, event_payload
from erhvervskontakt.integrations.models import WebhookDelivery, WebhookSubscription
from erhvervskontakt.web.readlog import logs_personal_data

from .auth import ADMIN, READ
from .routers import _user
from .schemas import ErrorOut, Strict

router = Router(tags=["Hændelser og webhooks"])

ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 413, 422, 429, 500, 503), ErrorOut)

# An event kind as the timeline names them (``screened``, ``notification_sent`` …).
EventKind = Annotated[
    str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$", max_length=40, examples=["screened"])
]
# A subscription's id as the database can hold it.
SubscriptionId = Annotated[int, Path(ge=1, le=2**63 - 1)]
# The opaque cursor: base64url, no padding.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{0,40}$"


# --- schemas ----------------------------------------------------------------------------------


class FeedEventOut(Schema):
    """One event of a case's timeline; a webhook's body is this, with ``delivery`` and
    ``subscription``."""

    id: int = Field(description="Hændelsens id (stigende, men læs i markørens rækkefølge).")
    cursor: str = Field(description="Fortsæt efter denne hændelse: `GET /events?after=<cursor>`.")
    case: str = Field(description="Sagens reference, fx EK-2026-00001.")
    kind: str
    at: dt.datetime
    actor: str | None
    text: str = Field(
        description="Medarbejdere: hele loggens tekst. Virksomheder: teksten skrevet til "
        "virksomheden (kun hændelser, virksomheden kan se)."
    )
    internal: bool = Field(description="Kun for medarbejdere (altid false for virksomheder).")


class FeedPageOut(Schema):
    items: list[FeedEventOut]
    cursor: str = Field(description="Markøren efter siden: send den som `after` næste gang.")
    next: str = Field(description="Adressen på næste side (samme filtre).")
    more: bool = Field(
        description="Siden er fuld: næste side har måske allerede hændelser. Ellers er du "
        "ajour; spørg igen om lidt med `next`."
    )


SubscriptionStatus = Literal["active", "paused", "deactivated"]


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    kinds: list[str] = Field(description="Tom: alle hændelsestyper.")
    status: SubscriptionStatus
    cursor: str = Field(description="Hændelser til og med denne markør er registreret.")
    created_at: dt.datetime
    updated_at: dt.datetime
    deactivated_at: dt.datetime | None
    failing: int = Field(description="Leveringer, der er fejlet (prøver igen eller opgivet).")


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(
        description="Hemmeligheden til at kontrollere `Erhvervskontakt-Signature`. Vises kun "
        "nu: gem den."
    )


class WebhookIn(Strict):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00]*\S[^\x00]*$")
    url: str = Field(
        min_length=1,
        max_length=500,
        pattern=r"^[^\x00]*$",
        description="https-adresse på et offentligt netværk; omdirigeringer følges ikke.",
        examples=["https://fagsystem.example/erhvervskontakt/webhook"],
    )
    kinds: list[EventKind] = Field(
        default=[], max_length=50, description="Hændelsestyper; tom: alle."
    )
    after: str | None = Field(
        default=None,
        pattern=CURSOR_PATTERN,
        description="Begynd efter denne markør fra feedet; tom tekst: fra begyndelsen; "
        "udeladt: efter den nyeste hændelse.",
    )


class WebhookPatchIn(Strict):
    name: str | None = Field(
        default=None, min_length=1, max_length=100, pattern=r"^[^\x00]*\S[^\x00]*$"
    )
    url: str | None = Field(default=None, min_length=1, max_length=500, pattern=r"^[^\x00]*$")
    kinds: list[EventKind] | None = Field(default=None, max_length=50)
    status: Literal["active", "paused"] | None = Field(
        default=None, description="`paused` holder leveringer tilbage; `active` genoptager."
    )


DeliveryStatus = Literal["pending", "sending", "sent", "retry", "failed"]


class DeliveryOut(Schema):
    id: int
    event: int
    status: DeliveryStatus
    attempts: int
    next_attempt_at: dt.datetime | None
    last_status_code: int | None
    last_error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


class DeliveryPageOut(Schema):
    items: list[DeliveryOut]
    next: str | None = Field(description="Adressen på næste (ældre) side, eller null.")


# --- helpers ------------------------------------------------------------------------------------


def _staff(request: HttpRequest) -> User:
    user = _user(request)
    if not user.is_staff:
        raise Forbidden("Kun kommunens medarbejdere og integrationer kan have webhooks.")
    return user


def _subscription_out(row: WebhookSubscription, failing: int | None = None) -> dict[str, Any]:
    if failing is None:
        failing = selectors.failing_counts([row.pk]).get(row.pk, 0)
    return {
        "id": row.pk,
        "name": row.name,
        "url": row.url,
        "kinds": list(row.kinds or []),
        "status": row.status,
        "cursor": cursor_encode(row.cursor),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "deactivated_at": row.deactivated_at,
        "failing": failing,
    }


def _delivery_out(row: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": row.pk,
        "event": row.event_id,
        "status": row.status,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at,
        "last_status_code": row.last_status_code,
        "last_error": row.last_error,
        "created_at": row.created_at,
        "sent_at": row.sent_at,
    }


# --- the feed ---------------------------------------------------------------------------------


@router.get("/events", response={200: FeedPageOut, **ERRORS}, auth=READ)
@decorate_view(logs_personal_data(use="api_read", purpose="case_handling", lists=True))
def list_events(
    request: HttpRequest,
    after: str | None = Query(None, pattern=CURSOR_PATTERN, description="Markør (`cursor`)."),
    limit: int = Query(50, ge=1, le=200),
    kind: Annotated[list[EventKind] | None, Query(description="Kun disse hændelsestyper.")] = None,
) -> dict[str, Any]:
    """The case events you may read, oldest first, after the cursor ``after``: a durable,
    ordered feed of every case's timeline. Staff read the full log; a business user the
    entries written for its own cases. An event appears once it is a minute old (so none is
    ever passed over; see the decision record); follow ``next`` to keep up."""
    kinds = [k for k in kind or [] if k]
    page = selectors.event_feed(
        user=_user(request), after=cursor_decode(after), limit=limit, kinds=kinds
    )
    staff = _user(request).is_staff
    cursor = cursor_encode(page.last)
    query = [("after", cursor), ("limit", str(limit)), *(("kind", k) for k in kinds)]
    return {
        "items": [event_payload(e, staff=staff) for e in page.items],
        "cursor": cursor,
        "next": f"/api/v1/events?{urlencode(query)}",
        "more": page.more,
    }


# --- webhook subscriptions ----------------------------------------------------------------


@router.get("/webhooks", response={200: list[WebhookOut], **ERRORS}, auth=ADMIN)
def list_webhooks(request: HttpRequest) -> list[dict[str, Any]]:
    """Your webhook subscriptions, newest first (deactivated ones too)."""
    owner = _staff(request)
    rows = list(selectors.webhook_subscription_list(owner=owner))
    failing = selectors.failing_counts([row.pk for row in rows])
    return [_subscription_out(row, failing.get(row.pk, 0)) for row in rows]


@router.post("/webhooks", response={201: WebhookCreatedOut, **ERRORS}, auth=ADMIN)
def create_webhook(request: HttpRequest, response: HttpResponse, payload: WebhookIn) -> Status:
    """Subscribe: each event you may read in the feed is POSTed to ``url``, signed.

    The answer holds the ``secret`` this once. Every POST has the headers
    ``Erhvervskontakt-Signature: t=<unix seconds>,v1=<hex>`` (HMAC-SHA256 with the secret
    over ``<t>.<body>``), ``Erhvervskontakt-Event-Id`` and ``Erhvervskontakt-Delivery-Id``;
    answer 2xx within 10 seconds, or it is tried again with growing pauses."""
    owner = _staff(request)
    after = None if payload.after is None else cursor_decode(payload.after)
    created = services.webhook_subscription_create(
        owner=owner, name=payload.name, url=payload.url, kinds=payload.kinds, after=after
    )
    response["Location"] = f"/api/v1/webhooks/{created.subscription.pk}"
    return Status(201, {**_subscription_out(created.subscription), "secret": created.secret})


@router.get("/webhooks/{subscription_id}", response={200: WebhookOut, **ERRORS}, auth=ADMIN)
def get_webhook(request: HttpRequest, subscription_id: SubscriptionId) -> dict[str, Any]:
    owner = _staff(request)
    return _subscription_out(
        selectors.webhook_subscription_get(owner=owner, subscription_id=subscription_id)
    )


@router.patch("/webhooks/{subscription_id}", response={200: WebhookOut, **ERRORS}, auth=ADMIN)
def update_webhook(
    request: HttpRequest, subscription_id: SubscriptionId, payload: WebhookPatchIn
) -> dict[str, Any]:
    """Rename it, move it, choose its kinds, or pause (``status: paused``) and resume it
    (``active``): paused, nothing is sent, and on resuming it catches up."""
    owner = _staff(request)
    row = selectors.webhook_subscription_get(owner=owner, subscription_id=subscription_id)
    return _subscription_out(
        services.webhook_subscription_update(
            subscription=row,
            actor=owner,
            name=payload.name,
            url=payload.url,
            kinds=payload.kinds,
            status=payload.status,
        )
    )


@router.post(
    "/webhooks/{subscription_id}/deactivate", response={200: WebhookOut, **ERRORS}, auth=ADMIN
)
def deactivate_webhook(request: HttpRequest, subscription_id: SubscriptionId) -> dict[str, Any]:
    """End the subscription for good (it stays, deactivated); waiting deliveries are given up."""
    owner = _staff(request)
    row = selectors.webhook_subscription_get(owner=owner, subscription_id=subscription_id)
    return _subscription_out(
        services.webhook_subscription_deactivate(subscription=row, actor=owner)
    )


@router.get(
    "/webhooks/{subscription_id}/deliveries",
    response={200: DeliveryPageOut, **ERRORS},
    auth=ADMIN,
)
def list_webhook_deliveries(
    request: HttpRequest,
    subscription_id: SubscriptionId,
    status: DeliveryStatus | None = None,
    before: int | None = Query(None, ge=1, le=2**63 - 1),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    """The subscription's deliveries, newest first, with their attempts and last error."""
    owner = _staff(request)
    row = selectors.webhook_subscription_get(owner=owner, subscription_id=subscription_id)
    items = selectors.webhook_delivery_list(
        subscription=row, status=status, before=before, limit=limit
    )
    following = None
    if len(items) == limit:
        query = [("before", str(items[-1].pk)), ("limit", str(limit))]
        if status:
            query.append(("status", status))
        following = f"/api/v1/webhooks/{row.pk}/deliveries?{urlencode(query)}"
    return {"items": [_delivery_out(d) for d in items], "next": following}
