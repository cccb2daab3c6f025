"""Recording notifications (once) and queueing their delivery after commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from email.utils import parseaddr
from itertools import islice
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction

from erhvervskontakt.cases.models import Case
from erhvervskontakt.catalogue.models import Municipality
from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.common import clock

from ..models import Notification
from ..rendering import render_message
from ..selectors import Recipient

logger = logging.getLogger(__name__)


T = TypeVar("T")


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class Draft:
    """One e-mail the sweep or a case change wants to send; recorded unless already there.

    ``to`` (the address) is enough for the dedupe key; the recipient (name, language) and
    the message's values are only worked out for drafts that are not recorded yet.
    """

    kind: str
    scope: str
    to: str
    recipient: Callable[[], Recipient]
    context: Callable[[Recipient], dict[str, Any]]
    case: Case | None = None
    reply_to: str = ""
    timeline_text: str = ""
    # Files to send with it (``Notification.attachments``), made for the recipient when the
    # draft is recorded, like its text.
    attachments: Callable[[Recipient], list[dict[str, str]]] | None = None

    @property
    def dedupe_key(self) -> str:
        """kind, what it is about, and to whom (hashed: addresses can be long)."""
        to = hashlib.sha256(self.to.strip().lower().encode()).hexdigest()[:16]
        return f"{self.kind}:{self.scope}:to={to}"


def _fixed(recipient: Recipient) -> Callable[[], Recipient]:
    return lambda: recipient


def _message_id(dedupe_key: str) -> str:
    """Stable across retries, so a receiver can recognise a message it already has."""
    domain = parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1].rpartition("@")[2] or "localhost"
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:32]
    return f"<ek.{digest}@{domain}>"


def sender_address() -> str:
    """The one sender (``DEFAULT_FROM_EMAIL``), as a bare address."""
    return parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1]


def _municipality_context(row: Municipality) -> dict[str, str]:
    """The municipality as the e-mails name it. Its address is the configured sender's, so
    the footer and the From line never name two different mailboxes (or domains)."""
    return {"name": row.name, "email": sender_address() or row.email, "phone": row.phone}


def notifications_record(drafts: Iterable[Draft]) -> list[Notification]:
    """Record each draft unless its dedupe key is already there (insert-or-ignore).

    Keys already recorded are skipped before anything is rendered (one query per 500); a
    key recorded meanwhile by a racing worker makes the insert fail inside its own
    savepoint, and the draft is skipped. Each new row is queued for delivery after commit.
    """
    pending = list(drafts)
    existing: set[str] = set()
    for chunk in _batched([d.dedupe_key for d in pending], 500):
        existing.update(
            Notification.objects.filter(dedupe_key__in=chunk).values_list("dedupe_key", flat=True)
        )
    base = {"municipality": _municipality_context(municipality())}
    made: list[Notification] = []
    for draft in pending:
        key = draft.dedupe_key
        if key in existing:
            continue
        existing.add(key)
        try:
            with transaction.atomic():
                # Rendered inside: a context that writes (a survey's one-time link) is
                # rolled back with the row when another worker recorded it first.
                recipient = draft.recipient()
                context = {**base, **draft.context(recipient), "recipient_name": recipient.name}
                rendered = render_message(draft.kind, recipient.language, context)
                moment = clock.now()
                notification = Notification.objects.create(
                    kind=draft.kind,
                    dedupe_key=key,
                    case=draft.case,
                    recipient_email=recipient.email,
                    recipient_user=recipient.user,
                    language=recipient.language,
                    subject=rendered.subject,
                    body_text=rendered.text,
                    body_html=rendered.html,
                    reply_to=draft.reply_to,
                    attachments=draft.attachments(recipient) if draft.attachments else [],
                    message_id=_message_id(key),
                    timeline_text=draft.timeline_text[:300],
                    created_at=moment,
                    next_attempt_at=moment,
                )
        except IntegrityError:
            continue  # recorded a moment ago by another worker: it sends it
        made.append(notification)
    if made:
        ids = [n.pk for n in made]
        transaction.on_commit(lambda: _queue_delivery(ids))
    return made


def _queue_delivery(ids: list[int]) -> None:
    """Queue a delivery task per notification; if the queue is down, the next sweep does."""
    from ..tasks import deliver_notification

    Notification.objects.filter(pk__in=ids).update(queued_at=clock.now())
    for position, pk in enumerate(ids):
        try:
            deliver_notification.enqueue(pk)
        except Exception:
            logger.warning("Could not queue notification %s; the sweep will", pk, exc_info=True)
            Notification.objects.filter(pk__in=ids[position:]).update(queued_at=None)
            return
