"""Notifications' listeners to what the domain apps announce (``common.announcements``).

``NotificationsConfig.ready`` subscribes them; the announcing apps (``cases``,
``inspections``) never import notifications. Each runs after the change is committed, with
ids only. Whatever goes wrong here is logged and swallowed: the change is already committed,
and the person who made it must not see an error for an e-mail. History replayed under
``clock.travel`` (the demo loader) is far from the wall clock and is not announced: no
e-mail, and so no survey link (the demo makes its own invitations and answers).
"""

from __future__ import annotations

import logging

from django.utils import timezone

from erhvervskontakt.cases.announcements import CaseAnonymised, CaseChanged
from erhvervskontakt.inspections.announcements import VisitBooked, VisitReportSent

from . import rules
from .services import case_mails
from .services.anonymising import notifications_anonymise_contact

logger = logging.getLogger(__name__)


def case_changed(change: CaseChanged) -> None:
    """Record (and queue) the e-mails that a committed change to a case causes."""
    if rules.is_replay(change.at, timezone.now()):
        logger.debug(
            "Not announcing %s on case %s: replayed history (%s)",
            change.kind,
            change.case,
            change.at,
        )
        return
    try:
        case_mails.case_event_notify(
            kind=change.kind, case_id=change.case, message_id=change.message, event_id=change.event
        )
    except Exception:
        logger.exception("Could not record the e-mails for %s on case %s", change.kind, change.case)


def visit_report_sent(sent: VisitReportSent) -> None:
    """Invite the business to the survey after the inspection (if the municipality does)."""
    if rules.is_replay(sent.at, timezone.now()):
        logger.debug("Not announcing the report of visit %s: replayed history", sent.visit)
        return
    try:
        case_mails.visit_report_notify(visit_id=sent.visit)
    except Exception:
        logger.exception("Could not record the survey invitation after visit %s", sent.visit)


def visit_booked(booked: VisitBooked) -> None:
    """Confirm a booked inspection visit to the business and tell the inspector."""
    if rules.is_replay(booked.at, timezone.now()):
        logger.debug("Not announcing the booking of visit %s: replayed history", booked.visit)
        return
    try:
        case_mails.visit_booked_notify(visit_id=booked.visit, slot_id=booked.slot)
    except Exception:
        logger.exception("Could not record the booking e-mails of visit %s", booked.visit)


def case_anonymised(anonymised: CaseAnonymised) -> None:
    """Retention took the contact out of a case: take it out of the case's e-mails too."""
    notifications_anonymise_contact(
        case_id=anonymised.case,
        name=anonymised.name,
        email=anonymised.email,
        phone=anonymised.phone,
    )
