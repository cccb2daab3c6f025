"""Writes of notifications: record what is due (once), deliver it (once), sweep for what is due.

Three steps, each safe to repeat:

1. **Record.** A change to a case (``case_event_notify``, called after commit) or the sweep
   (``sweep``) records one ``Notification`` per recipient. Its ``dedupe_key`` is unique, so
   recording is insert-or-ignore: the sweep running twice, or two workers racing, records
   it once. The content is rendered now, so every retry sends the same message.
2. **Queue.** Once the record is committed, a ``deliver_notification(id)`` task is queued
   (``transaction.on_commit``). The outbox row, not the queue, is the truth: the sweep
   queues again whatever is due and has no task (a lost task, a broker that was down).
3. **Deliver.** ``notification_deliver`` claims the row with a conditional UPDATE (only one
   worker can move it to ``sending``), sends it over SMTP, then marks it sent and writes the
   case's timeline event in one transaction. A failure is stored with its error and retried
   with exponential backoff; after the last attempt it is ``failed`` and waits for an
   administrator (admin list, "send again").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import smtplib
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import parseaddr
from itertools import islice
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F

from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.cases.models import Case, Deliverable, Event
from erhvervskontakt.cases.selectors import case_missing
from erhvervskontakt.catalogue.models import Municipality, Requirement
from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.common import clock
from erhvervskontakt.inspections import selectors as inspection_selectors
from erhvervskontakt.inspections.models import Visit
from erhvervskontakt.surveys.models import Occasion
from erhvervskontakt.surveys.selectors import survey_wanted
from erhvervskontakt.surveys.services import invitation_create

from . import rules, selectors
from .links import (
    absolute,
    business_case_path,
    staff_case_path,
    survey_path,
    visit_path,
    workbench_path,
)
from .models import Kind, Notification
from .rendering import render_message
from .selectors import Recipient

logger = logging.getLogger(__name__)

T = TypeVar("T")

# How far back the sweep looks for overdue deliverables and missed screening deadlines: a
# first deployment (or a long outage) must not mail people about things months old.
CATCH_UP_DAYS = 30

# The inspector is reminded of an inspection report's deadline this many calendar days before.
INSPECTION_SOON_DAYS = 10


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)


# --- recording ------------------------------------------------------------------------------


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


def _municipality_context(row: Municipality) -> dict[str, str]:
    return {"name": row.name, "email": row.email, "phone": row.phone}


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
    from .tasks import deliver_notification

    Notification.objects.filter(pk__in=ids).update(queued_at=clock.now())
    for position, pk in enumerate(ids):
        try:
            deliver_notification.enqueue(pk)
        except Exception:
            logger.warning("Could not queue notification %s; the sweep will", pk, exc_info=True)
            Notification.objects.filter(pk__in=ids[position:]).update(queued_at=None)
            return


# --- the message contexts -----------------------------------------------------------------------


def _case_context(case: Case, language: str, *, staff: bool = False) -> dict[str, Any]:
    english = language == "en"
    return {
        "reference": case.reference,
        "business_name": case.business.name,
        "cvr": case.business.cvr,
        "service_types": [
            (st.name_en or st.name) if english else st.name for st in case.service_types.all()
        ],
        "screening_due": case.screening_due,
        "estimate": case.estimated_answer_date,
        "url": absolute(
            staff_case_path(case.reference) if staff else business_case_path(case.reference)
        ),
    }


def _coordinator_context(case: Case) -> dict[str, str] | None:
    """The coordinator's work address is the only staff address a business ever sees."""
    person = case.coordinator
    if person is None:
        return None
    return {
        "name": person.display_name,
        "title": person.title,
        "email": person.email,
        "phone": person.phone,
    }


def _reply_to(case: Case) -> str:
    return case.coordinator.email if case.coordinator is not None else ""


def _deliverable_title(
    deliverable: Deliverable, language: str, requirements: dict[str, Requirement]
) -> str:
    """The stored (Danish) title, or its English wording from the catalogue."""
    if language == "en":
        requirement = requirements.get(deliverable.requirement_key)
        if requirement is not None and requirement.label_en:
            verb = "Send" if requirement.kind == Requirement.Kind.DOCUMENT else "Provide"
            return f"{verb}: {requirement.label_en}"
        if deliverable.service_type is not None and deliverable.service_type.name_en:
            return f"Answer: {deliverable.service_type.name_en}"
    return deliverable.title


def _business_draft(
    case: Case,
    kind: str,
    scope: str,
    timeline_text: str,
    context: Callable[[str], dict[str, Any]],
) -> Draft:
    """An e-mail to the case's contact person; ``context(language)`` adds the kind's values."""

    def build(recipient: Recipient) -> dict[str, Any]:
        return {
            "case": _case_context(case, recipient.language),
            "coordinator": _coordinator_context(case),
            **context(recipient.language),
        }

    return Draft(
        kind=kind,
        scope=scope,
        to=case.contact_email,
        recipient=lambda: selectors.business_recipient(case),
        context=build,
        case=case,
        reply_to=_reply_to(case),
        timeline_text=timeline_text,
    )


# --- what a change to a case announces -------------------------------------------------------------


def _receipt(case: Case) -> list[Draft]:
    def context(language: str) -> dict[str, Any]:
        requirements = selectors.requirements_of(case)
        english = language == "en"
        return {
            "missing": [
                (requirements[item.key].label_en or item.label) if english else item.label
                for item in case_missing(case)
            ],
            "received_on": clock.local_date(case.received_at),
        }

    return [
        _business_draft(
            case,
            Kind.RECEIPT,
            f"case={case.pk}",
            "Kvittering sendt på e-mail til virksomheden.",
            context,
        )
    ]


def _screening(case: Case) -> list[Draft]:
    if case.screened_at is None:
        return []

    def context(language: str) -> dict[str, Any]:
        requirements = selectors.requirements_of(case)
        plan = list(case.deliverables.all())

        def items(party: str) -> list[dict[str, Any]]:
            return [
                {"title": _deliverable_title(d, language, requirements), "due": d.due_date}
                for d in plan
                if d.party == party and d.status == Deliverable.Status.PENDING
            ]

        return {
            "estimate": case.estimated_answer_date,
            "complete": not case_missing(case),
            "business_items": items(Deliverable.Party.BUSINESS),
            "municipality_items": items(Deliverable.Party.MUNICIPALITY),
        }

    drafts = [
        _business_draft(
            case,
            Kind.SCREENING_RESULT,
            f"case={case.pk}",
            "Resultatet af screeningen er sendt på e-mail til virksomheden.",
            context,
        )
    ]
    coordinator = case.coordinator.display_name if case.coordinator else ""
    for task in case.tasks.all():
        names = [st.name for st in task.service_types.all()]
        for recipient in selectors.department_recipients(task.department):

            def build(
                recipient: Recipient,
                names: list[str] = names,
                department: str = task.department.name,
            ) -> dict[str, Any]:
                return {
                    "case": _case_context(case, recipient.language, staff=True),
                    "department": department,
                    "service_types": names,
                    "coordinator_name": coordinator,
                }

            drafts.append(
                Draft(
                    kind=Kind.DEPARTMENT_TASK,
                    scope=f"task={task.pk}",
                    to=recipient.email,
                    recipient=_fixed(recipient),
                    context=build,
                    case=case,
                    timeline_text=f"E-mail om ny opgave sendt til {task.department.name}.",
                )
            )
    return drafts


def _estimate_moved(case: Case, event_id: int | None) -> list[Draft]:
    """The answer date moved: by the days the case waited for the business (``_resume``),
    or by staff with a reason (``data["reason"]``)."""
    event = selectors.case_event(case, event_id, "estimate_moved") if event_id else None
    if event is None or not case.is_open or not event.data.get("new"):
        return []
    old = dt.date.fromisoformat(event.data["old"]) if event.data.get("old") else None
    new = dt.date.fromisoformat(event.data["new"])
    reason = str(event.data.get("reason") or "")

    def context(language: str) -> dict[str, Any]:
        return {
            "old": old,
            "new": new,
            "reason": reason,
            "paused_working_days": event.data.get("paused_working_days", 0),
            "material_received_on": clock.local_date(event.at),
        }

    return [
        _business_draft(
            case,
            Kind.ESTIMATE_MOVED,
            f"event={event.pk}",
            f"Virksomheden har fået den nye svardato ({_fmt(new)}) på e-mail.",
            context,
        )
    ]


def _staff_message(case: Case, message_id: int | None) -> list[Draft]:
    message = selectors.case_message(case, message_id) if message_id else None
    # Internal notes are never sent; nor are the business's own messages.
    if message is None or message.internal or message.author is None:
        return []
    if not message.author.is_staff:
        return []
    author = message.author.display_name

    def context(language: str) -> dict[str, Any]:
        return {"author": author, "body": message.body}

    return [
        _business_draft(
            case,
            Kind.STAFF_MESSAGE,
            f"message={message.pk}",
            f"Beskeden fra {author} er sendt på e-mail til virksomheden.",
            context,
        )
    ]


def _answer(case: Case) -> list[Draft]:
    if case.answered_at is None:
        return []
    answered_at = case.answered_at

    def context(language: str) -> dict[str, Any]:
        return {
            "summary": case.decision_summary,
            "answered_on": clock.local_date(answered_at),
        }

    return [
        _business_draft(
            case,
            Kind.ANSWER_DELIVERED,
            f"case={case.pk}",
            "Svaret er sendt på e-mail til virksomheden.",
            context,
        )
    ]


CASE_CHANGES = ("received", "screened", "estimate_moved", "staff_message", "answered")


def case_event_notify(
    *, kind: str, case_id: int, message_id: int | None = None, event_id: int | None = None
) -> list[Notification]:
    """Record (and, after commit, queue) the e-mails a committed change to a case causes.

    ``kind`` is one of :data:`CASE_CHANGES`. Called by ``hooks.case_changed`` after the
    change is committed; calling it twice records nothing new.
    """
    if kind not in CASE_CHANGES:
        raise ValueError(f"unknown case change {kind!r}")
    case = selectors.case_for_messages(case_id)
    if case is None:
        return []
    with transaction.atomic():
        if kind == "received":
            drafts = _receipt(case)
        elif kind == "screened":
            drafts = _screening(case)
        elif kind == "estimate_moved":
            drafts = _estimate_moved(case, event_id)
        elif kind == "staff_message":
            drafts = _staff_message(case, message_id)
        else:
            drafts = _answer(case)
        return notifications_record(drafts)


def visit_report_notify(*, visit_id: int) -> list[Notification]:
    """Invite the business to the survey after an inspection whose report was sent, as
    answer surveys are: an e-mail whose context makes the one-time link
    (``invitation_create``). Nothing when the municipality does not survey after
    inspections; calling it twice records nothing new."""
    if not survey_wanted(Occasion.INSPECTION):
        return []
    visit = selectors.visit_for_messages(visit_id)
    if visit is None:
        return []
    case = visit.case

    def context(language: str) -> dict[str, Any]:
        _invitation, token = invitation_create(
            case=case, occasion=Occasion.INSPECTION, language=language
        )
        return {
            "survey_url": absolute(survey_path(token)),
            "occasion": Occasion.INSPECTION,
            "visited_on": visit.visited_on,
        }

    with transaction.atomic():
        return notifications_record(
            [
                _business_draft(
                    case,
                    Kind.SURVEY_INVITATION,
                    f"visit={visit.pk}",
                    "Invitation til tilfredshedsmåling efter tilsynsbesøget sendt på e-mail.",
                    context,
                )
            ]
        )


# --- delivery ----------------------------------------------------------------------------------


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
    """
    now = clock.now()
    token = uuid.uuid4().hex
    claimed = (
        Notification.objects.filter(selectors.due_now(now), pk=notification_id).update(
            status=Notification.Status.SENDING,
            claim_token=token,
            claimed_until=now + _lease(),
            attempts=F("attempts") + 1,
        )
        if notification_id
        else 0
    )
    if not claimed:
        return "skipped"
    notification = Notification.objects.get(pk=notification_id)
    try:
        _send(notification)
    except Exception as error:
        _mark_failed(notification, token, error)
        return "failed"
    _mark_sent(notification, token)
    return "sent"


@transaction.atomic
def _mark_sent(notification: Notification, token: str) -> None:
    moment = clock.now()
    marked = Notification.objects.filter(
        pk=notification.pk, status=Notification.Status.SENDING, claim_token=token
    ).update(status=Notification.Status.SENT, sent_at=moment, claimed_until=None)
    if not marked:
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


# --- the sweep -----------------------------------------------------------------------------------


@dataclass
class SweepReport:
    recorded: Counter[str] = field(default_factory=Counter)
    queued: int = 0

    def as_dict(self) -> dict[str, int]:
        return {**self.recorded, "queued": self.queued}

    def __str__(self) -> str:
        made = ", ".join(f"{kind} {n}" for kind, n in sorted(self.recorded.items())) or "intet nyt"
        return f"Registreret: {made}; sat i kø: {self.queued}."


def _deliverable_drafts(
    today: dt.date, calendar: WorkingCalendar, row: Municipality
) -> Iterator[Draft]:
    """Business deliverables due soon (reminder) or past their date (overdue notice)."""
    before = row.deliverable_reminder_working_days
    horizon = today + dt.timedelta(days=2 * before + 14)
    first = today - dt.timedelta(days=CATCH_UP_DAYS)
    for deliverable in selectors.business_deliverables_due_between(first, horizon):
        case, due = deliverable.case, deliverable.due_date
        if due < today:
            if not rules.overdue_notice_is_due(today, due, calendar):
                continue
            kind = Kind.DELIVERABLE_OVERDUE
            text = f"Virksomheden er på e-mail gjort opmærksom på, at fristen for »{deliverable.title}« ({_fmt(due)}) er overskredet."
        elif rules.deliverable_reminder_is_due(today, due, before, calendar):
            kind = Kind.DELIVERABLE_REMINDER
            text = f"Påmindelse sendt på e-mail til virksomheden: »{deliverable.title}« senest {_fmt(due)}."
        else:
            continue

        def context(language: str, deliverable: Deliverable = deliverable) -> dict[str, Any]:
            requirements: dict[str, Requirement] = {}
            if language != "da":  # the stored titles are Danish; English comes from the catalogue
                full = selectors.case_for_messages(deliverable.case_id)
                requirements = selectors.requirements_of(full) if full else {}
            return {
                "deliverable": {
                    "title": _deliverable_title(deliverable, language, requirements),
                    "due": deliverable.due_date,
                }
            }

        yield _business_draft(
            case, kind, f"deliverable={deliverable.pk}:due={due.isoformat()}", text, context
        )


def _escalation_drafts(today: dt.date, calendar: WorkingCalendar) -> Iterator[Draft]:
    first = today - dt.timedelta(days=CATCH_UP_DAYS)
    cases = list(selectors.screenings_past_due(first, today))
    if not cases:
        return
    recipients = selectors.head_of_unit_recipients()
    if not recipients:
        logger.warning(
            "%s screening deadline(s) passed, but nobody is head of unit and the municipality "
            "has no e-mail: mark a head of unit in the admin",
            len(cases),
        )
        return
    for case in cases:
        if not rules.escalation_is_due(today, case.screening_due, calendar):
            continue
        late = calendar.working_days_between(case.screening_due, today)
        coordinator = case.coordinator.display_name if case.coordinator else ""
        for recipient in recipients:

            def context(
                recipient: Recipient, case: Case = case, late: int = late, name: str = coordinator
            ) -> dict[str, Any]:
                return {
                    "case": _case_context(case, recipient.language, staff=True),
                    "working_days_late": late,
                    "coordinator_name": name,
                }

            yield Draft(
                kind=Kind.SCREENING_ESCALATION,
                scope=f"case={case.pk}:due={case.screening_due.isoformat()}",
                to=recipient.email,
                recipient=_fixed(recipient),
                context=context,
                case=case,
                timeline_text=(
                    f"Screeningsfristen {_fmt(case.screening_due)} er overskredet; "
                    "sagen er eskaleret til enhedslederen på e-mail."
                ),
            )


def _inspection_drafts(today: dt.date, calendar: WorkingCalendar) -> Iterator[Draft]:
    """The inspector's reminders of the two clocks of an inspection visit: the report to the
    business within 2 months of the visit, its publication within 4.

    Once when the deadline is at most ``INSPECTION_SOON_DAYS`` calendar days ahead, and once
    more when it has passed (the first working day after it); each to the visit's inspector.
    The due date is in the dedupe key, so a corrected visit date reminds again.
    """
    first = today - dt.timedelta(days=CATCH_UP_DAYS)
    last = today + dt.timedelta(days=INSPECTION_SOON_DAYS)
    for visit in inspection_selectors.visits_with_report_clock_between(first=first, last=last):
        clock_name = "report" if visit.status == Visit.Status.VISITED else "publish"
        deadline = visit.report_due if clock_name == "report" else visit.publish_due
        if deadline is None:  # the selector matched on it; never
            continue
        due: dt.date = deadline
        inspector = visit.inspector
        if not (inspector.is_active and inspector.email):
            logger.warning(
                "The %s deadline of inspection visit %s is near, but its inspector %s has no "
                "e-mail or is inactive",
                clock_name,
                visit.pk,
                inspector.pk,
            )
            continue
        overdue = due < today
        if overdue and not rules.overdue_notice_is_due(today, due, calendar):
            continue
        recipient = Recipient(
            email=inspector.email,
            name=inspector.first_name or inspector.display_name,
            language=inspector.language if inspector.language in ("da", "en") else "da",
            user=inspector,
        )
        what = (
            "offentliggørelsen af tilsynsrapporten"
            if clock_name == "publish"
            else ("tilsynsrapporten")
        )
        text = (
            f"Fristen for {what} ({_fmt(due)}) er overskredet; den tilsynsførende er gjort "
            "opmærksom på det på e-mail."
            if overdue
            else f"Den tilsynsførende er på e-mail mindet om fristen for {what} ({_fmt(due)})."
        )

        def context(
            recipient: Recipient,
            visit: Visit = visit,
            clock_name: str = clock_name,
            due: dt.date = due,
            overdue: bool = overdue,
        ) -> dict[str, Any]:
            return {
                "case": _case_context(visit.case, recipient.language, staff=True),
                "clock": clock_name,
                "due": due,
                "days": abs((due - today).days),
                "overdue": overdue,
                "visit": {
                    "unit_name": visit.unit.name,
                    "p_number": visit.unit.p_number,
                    "visited_on": visit.visited_on,
                    "kind": visit.get_kind_display(),
                    "url": absolute(visit_path(visit.pk)),
                },
            }

        yield Draft(
            kind=Kind.INSPECTION_REPORT_DUE,
            scope=(
                f"visit={visit.pk}:{clock_name}:{'overdue' if overdue else 'soon'}"
                f":due={due.isoformat()}"
            ),
            to=recipient.email,
            recipient=_fixed(recipient),
            context=context,
            case=visit.case,
            timeline_text=text,
        )


def _survey_drafts(now: dt.datetime, today: dt.date, calendar: WorkingCalendar) -> Iterator[Draft]:
    """Invitations to the satisfaction survey, each with its own one-time link.

    The invitation (and its token) is made by the context, which runs only for a draft not
    recorded yet and inside the recording's transaction: one e-mail, one link, and a lost
    race for the dedupe key rolls the invitation back with the e-mail.
    """
    window = settings.NOTIFICATIONS_SURVEY_WINDOW_DAYS
    for case in selectors.cases_answered_since(now - dt.timedelta(days=window + 1)):
        assert case.answered_at is not None
        if not rules.survey_is_due(today, clock.local_date(case.answered_at), calendar, window):
            continue

        def context(language: str, case: Case = case) -> dict[str, Any]:
            _invitation, token = invitation_create(
                case=case, occasion=Occasion.ANSWER, language=language
            )
            return {"survey_url": absolute(survey_path(token)), "occasion": Occasion.ANSWER}

        yield _business_draft(
            case,
            Kind.SURVEY_INVITATION,
            f"case={case.pk}",
            "Invitation til tilfredshedsmåling sendt på e-mail til virksomheden.",
            context,
        )


PARTY_LABELS: dict[str, dict[str, str]] = {
    "da": {Deliverable.Party.BUSINESS: "Virksomheden", Deliverable.Party.MUNICIPALITY: "Kommunen"},
    "en": {Deliverable.Party.BUSINESS: "Business", Deliverable.Party.MUNICIPALITY: "Municipality"},
}


def _digest_drafts(today: dt.date, calendar: WorkingCalendar, row: Municipality) -> Iterator[Draft]:
    coordinators = selectors.digest_recipients()
    digests = selectors.coordinator_digests(
        today=today,
        calendar=calendar,
        risk_working_days=row.estimate_risk_working_days,
        coordinators=coordinators,
    )
    for user in coordinators:
        digest = digests[user.pk]
        if not digest.total:
            continue  # nothing to report: no e-mail
        recipient = Recipient(
            email=user.email,
            name=user.first_name or user.display_name,
            language=user.language if user.language in ("da", "en") else "da",
            user=user,
        )

        def context(recipient: Recipient, digest: selectors.Digest = digest) -> dict[str, Any]:
            language = recipient.language

            def rows(found: list[selectors.DigestRow]) -> list[dict[str, Any]]:
                return [
                    {
                        "reference": r.case.reference,
                        "business_name": r.case.business.name,
                        "date": r.date,
                        "url": absolute(staff_case_path(r.case.reference)),
                        "unassigned": r.unassigned,
                        "title": r.title,
                        "party": PARTY_LABELS[language].get(r.party, "") if r.party else "",
                        "departments": list(r.departments),
                    }
                    for r in found
                ]

            return {
                "day": today,
                "total": digest.total,
                "screenings_overdue": rows(digest.screenings_overdue),
                "screenings_due": rows(digest.screenings_due),
                "overdue_deliverables": rows(digest.overdue_deliverables),
                "estimates_at_risk": rows(digest.estimates_at_risk),
                "workbench_url": absolute(workbench_path()),
            }

        yield Draft(
            kind=Kind.COORDINATOR_DIGEST,
            scope=f"user={user.pk}:day={today.isoformat()}",
            to=recipient.email,
            recipient=_fixed(recipient),
            context=context,
        )


def sweep(*, now: dt.datetime | None = None) -> SweepReport:
    """Find what is due and record it (each once), then queue whatever waits to be sent.

    On working days: reminders of business deliverables N working days before they are due
    (moved back to a working day), overdue notices, escalations of missed screening
    deadlines, the inspectors' reminders of the inspection report's deadlines (to the
    business within 2 months, published within 4), survey invitations, and (from ``NOTIFICATIONS_DIGEST_HOUR``) each
    coordinator's digest. Safe to run at any time, twice, or in two processes at once:
    recording is insert-or-ignore, and each recorded e-mail commits on its own, so a sweep
    killed half-way leaves nothing half-done for the next one.
    """
    now = now or clock.now()
    local_now = now.astimezone(clock.local_tz())
    today = local_now.date()
    calendar = working_calendar()
    row = municipality()
    report = SweepReport()
    if calendar.is_working_day(today):
        for drafts in (
            _deliverable_drafts(today, calendar, row),
            _escalation_drafts(today, calendar),
            _inspection_drafts(today, calendar),
            _survey_drafts(now, today, calendar),
        ):
            for notification in notifications_record(drafts):
                report.recorded[notification.kind] += 1
        if rules.digest_is_due(local_now, calendar, settings.NOTIFICATIONS_DIGEST_HOUR):
            for notification in notifications_record(_digest_drafts(today, calendar, row)):
                report.recorded[notification.kind] += 1
    report.queued = notifications_queue_due(now=now)
    return report
