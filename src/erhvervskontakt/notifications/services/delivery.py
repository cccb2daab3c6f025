"""Delivering a recorded notification over SMTP (once), its retries and the administrator's
"send again"."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import smtplib
import uuid
from collections.abc import Iterable
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F

from erhvervskontakt.cases.models import Event
from erhvervskontakt.common import clock
from erhvervskontakt.common.database import wait_for_database

from .. import rules, selectors
from ..models import Notification
from .recording import _queue_delivery

logger = logging.getLogger(__name__)


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)


def _describe(error: BaseException) -> str:
    """The error as an administrator can read it (SMTP code and text)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        parts = [
            f"{code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
            for code, message in error.recipients.values()
        ]
        return f"Modtageren blev afvist: {'; '.join(parts)}"
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        decoded = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{type(error).__name__}: {error.smtp_code} {decoded}"
    return f"{type(error).__name__}: {error}"[:2000]


def _attachment(attached: dict[str, str]) -> MIMEBase:
    """A stored attachment as a MIME part: text (a calendar file) in UTF-8, as a download."""
    maintype, _, subtype = attached["mimetype"].partition("/")
    part: MIMEBase
    if maintype == "text":
        part = MIMEText(attached["content"], subtype or "plain", "utf-8")
        if subtype == "calendar":
            part.set_param("method", "PUBLISH")
    else:
        part = MIMEApplication(attached["content"].encode(), subtype or "octet-stream")
    part.add_header("Content-Disposition", "attachment", filename=attached["filename"])
    return part


def _send(notification: Notification) -> None:
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient_email],
        reply_to=[notification.reply_to] if notification.reply_to else None,
        headers={
            "Message-ID": notification.message_id,
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
            "X-Erhvervskontakt-Kind": notification.kind,
        },
    )
    message.attach_alternative(notification.body_html, "text/html")
    for attached in notification.attachments or []:
        message.attach(_attachment(attached))
    with get_connection(fail_silently=False) as connection:
        message.connection = connection
        message.send()


def notification_deliver(*, notification_id: int) -> str:
    """Send one recorded e-mail: claim it, send it, mark it sent. Returns what happened.

    The claim is a conditional UPDATE from ``pending``, a due ``retry`` or an expired
    ``sending`` lease to ``sending``: two workers may race for one row, but only one UPDATE
    matches, so it is sent once. A worker killed mid-send leaves the lease, which runs out
    and is taken over (the SMTP server never confirmed that message, or we would have marked
    it). Marking it sent and writing the case's timeline event happen in one transaction.

    A database out of reach (PostgreSQL restarting) is waited out at each step, for up to
    half the lease: above all after the SMTP server accepted the message, whose being sent
    must be recorded before the lease runs out, or it would be sent twice. Each step can run
    again: the claim and the marks recognise their own token if an earlier try committed
    and only its answer was lost.
    """
    if not notification_id:
        return "skipped"
    now = clock.now()
    token = uuid.uuid4().hex
    patience = _lease().total_seconds() / 2

    def claim() -> bool:
        updated = Notification.objects.filter(selectors.due_now(now), pk=notification_id).update(
            status=Notification.Status.SENDING,
            claim_token=token,
            claimed_until=now + _lease(),
            attempts=F("attempts") + 1,
        )
        return bool(updated) or _holds(notification_id, token, Notification.Status.SENDING)

    if not wait_for_database(claim, give_up_after=patience, what="claiming a notification"):
        return "skipped"
    notification = wait_for_database(
        lambda: Notification.objects.get(pk=notification_id),
        give_up_after=patience,
        what="reading a notification",
    )
    try:
        _send(notification)
    except Exception as error:
        wait_for_database(
            functools.partial(_mark_failed, notification, token, error),
            give_up_after=patience,
            what="recording a failed send",
        )
        return "failed"
    wait_for_database(
        lambda: _mark_sent(notification, token),
        give_up_after=patience,
        what="recording a sent e-mail",
    )
    return "sent"


def _holds(notification_id: int, token: str, status: str) -> bool:
    """Whether our claim ``token`` is on the row in ``status`` (a try whose answer was lost)."""
    return Notification.objects.filter(
        pk=notification_id, claim_token=token, status=status
    ).exists()


@transaction.atomic
def _mark_sent(notification: Notification, token: str) -> None:
    moment = clock.now()
    marked = Notification.objects.filter(
        pk=notification.pk, status=Notification.Status.SENDING, claim_token=token
    ).update(status=Notification.Status.SENT, sent_at=moment, claimed_until=None)
    if not marked:
        if _holds(notification.pk, token, Notification.Status.SENT):
            return  # an earlier try committed it; only its answer was lost
        logger.warning(
            "Notification %s was sent after its lease ran out; another worker may send it too",
            notification.pk,
        )
        return
    if notification.case_id is not None and notification.timeline_text:
        Event.objects.create(
            case_id=notification.case_id,
            at=moment,
            kind="notification_sent",
            actor=None,
            text=notification.timeline_text,
            data={"notification": notification.pk, "kind": notification.kind},
            internal=notification.is_for_staff,
        )
    logger.info("Sent %s (notification %s)", notification.kind, notification.pk)


def _mark_failed(notification: Notification, token: str, error: BaseException) -> None:
    moment = clock.now()
    attempts = notification.attempts
    give_up = attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
    Notification.objects.filter(
        pk=notification.pk, status=Notification.Status.SENDING, claim_token=token
    ).update(
        status=Notification.Status.FAILED if give_up else Notification.Status.RETRY,
        next_attempt_at=None
        if give_up
        else moment
        + rules.retry_delay(attempts, base_seconds=settings.NOTIFICATIONS_RETRY_SECONDS),
        claimed_until=None,
        last_error=_describe(error),
        last_error_at=moment,
    )
    logger.warning(
        "Sending notification %s failed (attempt %s%s): %s",
        notification.pk,
        attempts,
        ", giving up" if give_up else "",
        _describe(error),
    )


@transaction.atomic
def notifications_retry_now(*, ids: Iterable[int]) -> int:
    """An administrator sends again: failed or waiting notifications are due at once."""
    now = clock.now()
    changed = Notification.objects.filter(
        pk__in=list(ids),
        status__in=[Notification.Status.RETRY, Notification.Status.FAILED],
    )
    pks = list(changed.values_list("pk", flat=True))
    updated = Notification.objects.filter(pk__in=pks).update(
        status=Notification.Status.PENDING, next_attempt_at=now, queued_at=now, attempts=0
    )
    transaction.on_commit(lambda: _queue_delivery(pks))
    return updated


def notifications_queue_due(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Queue a delivery task for every due notification that has none (see the selector)."""
    now = now or clock.now()
    ids = list(
        selectors.notifications_to_queue(now=now, lease=_lease()).values_list("pk", flat=True)[
            :limit
        ]
    )
    if ids:
        _queue_delivery(ids)
    return len(ids)
