"""The e-mails a committed change causes: a case received, screened, its estimate moved, a
staff message, a message from the business, the answer; an inspection visit booked (with a
calendar file), the survey after an inspection report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction

from erhvervskontakt.cases.models import Case, Deliverable
from erhvervskontakt.cases.selectors import case_missing
from erhvervskontakt.catalogue.models import Requirement
from erhvervskontakt.common import clock
from erhvervskontakt.inspections.models import Visit, VisitSlot
from erhvervskontakt.inspections.services.visits import when_text
from erhvervskontakt.surveys.models import Occasion
from erhvervskontakt.surveys.selectors import survey_wanted
from erhvervskontakt.surveys.services import invitation_create

from .. import ics, selectors
from ..links import (
    absolute,
    business_case_path,
    staff_case_path,
    survey_path,
    visit_path,
)
from ..models import Kind, Notification
from ..selectors import Recipient
from .recording import Draft, _fixed, _fmt, notifications_record


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
        # The department's own date (its answer line), not the slowest department's.
        due = task.due_date
        for recipient in selectors.department_recipients(task.department):

            def build(
                recipient: Recipient,
                names: list[str] = names,
                department: str = task.department.name,
                due: dt.date | None = due,
            ) -> dict[str, Any]:
                return {
                    "case": _case_context(case, recipient.language, staff=True),
                    "department": department,
                    "service_types": names,
                    "coordinator_name": coordinator,
                    "due": due,
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


def _business_message(case: Case, message_id: int | None) -> list[Draft]:
    """The business wrote: its coordinator (and each caseworker with an open task on the
    case) is told at once, with the message and a link to the case in the workbench."""
    message = selectors.case_message(case, message_id) if message_id else None
    if message is None or message.internal or message.author is None or message.author.is_staff:
        return []
    author = message.author.get_full_name() or case.contact_name or message.author.display_name
    drafts = []
    for recipient in selectors.business_message_recipients(case):

        def build(recipient: Recipient) -> dict[str, Any]:
            return {
                "case": _case_context(case, recipient.language, staff=True),
                "author": author,
                "body": message.body,
            }

        drafts.append(
            Draft(
                kind=Kind.BUSINESS_MESSAGE,
                scope=f"message={message.pk}",
                to=recipient.email,
                recipient=_fixed(recipient),
                context=build,
                case=case,
                timeline_text=f"E-mail om beskeden fra virksomheden sendt til {recipient.name}.",
            )
        )
    return drafts


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


CASE_CHANGES = (
    "received",
    "screened",
    "estimate_moved",
    "staff_message",
    "business_message",
    "answered",
)


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
        elif kind == "business_message":
            drafts = _business_message(case, message_id)
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


def _when(starts: dt.datetime, ends: dt.datetime, language: str) -> str:
    """»mandag 7. december 2026 kl. 09.00–11.00«, or »Monday 7 December 2026, 09:00–11:00«."""
    if language != "en":
        return when_text(starts, ends)
    start, end = starts.astimezone(clock.local_tz()), ends.astimezone(clock.local_tz())
    return (
        f"{_EN_DAYS[start.weekday()]} {start.day} {_EN_MONTHS[start.month - 1]} {start.year},"
        f" {start:%H:%M}–{end:%H:%M}"
    )


_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _visit_context(visit: Visit, slot: VisitSlot, language: str) -> dict[str, Any]:
    """What both e-mails about a booked visit say: the window, the place, who comes, and
    whom the inspector meets."""
    unit, inspector, case = visit.unit, visit.inspector, visit.case
    return {
        "when": _when(slot.starts_at, slot.ends_at, language),
        "starts": slot.starts_at,
        "ends": slot.ends_at,
        "kind": visit.get_kind_display().lower(),
        "address": f"{unit.name}, {unit.address}" if unit.address else unit.name,
        "unit_name": unit.name,
        "p_number": unit.p_number,
        "focus": visit.focus,
        "url": absolute(visit_path(visit.pk)),
        "inspector": {
            "name": inspector.display_name,
            "title": inspector.title,
            "email": inspector.email,
            "phone": inspector.phone,
        },
        "contact": {
            "name": case.contact_name,
            "email": case.contact_email,
            "phone": case.contact_phone,
        },
    }


def _visit_calendar_event(visit: Visit, slot: VisitSlot) -> ics.CalendarEvent:
    """The appointment both calendars get: made from the booking only (deterministic)."""
    unit, inspector = visit.unit, visit.inspector
    contact = " · ".join(p for p in (inspector.email, inspector.phone) if p)
    return ics.CalendarEvent(
        uid=ics.uid_for("visit", visit.pk),
        sequence=visit.version,
        stamp=slot.created_at,
        starts=slot.starts_at,
        ends=slot.ends_at,
        summary=f"Miljøtilsyn ({visit.get_kind_display().lower()}): {unit.name}",
        location=f"{unit.name}, {unit.address}" if unit.address else unit.name,
        description=(
            f"Sag {visit.case.reference}. {when_text(slot.starts_at, slot.ends_at)}.\n"
            f"Det ser vi på: {visit.focus}\n"
            f"Tilsynsførende: {inspector.display_name}" + (f" ({contact})" if contact else "")
        ),
        organizer_name=inspector.display_name,
        organizer_email=inspector.email,
    )


def visit_booked_notify(*, visit_id: int, slot_id: int) -> list[Notification]:
    """A time was chosen for an inspection visit: the business gets a confirmation and the
    inspector a notice, each with the calendar file. The time is in the dedupe key, so a
    visit booked again for another time confirms again; the same booking never twice."""
    found = selectors.visit_for_booking(visit_id, slot_id)
    if found is None:
        return []
    visit, slot = found
    case = visit.case
    scope = f"visit={visit.pk}:at={slot.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
    when = when_text(slot.starts_at, slot.ends_at)
    calendar_file = ics.attachment(_visit_calendar_event(visit, slot))

    def files(recipient: Recipient) -> list[dict[str, str]]:
        return [calendar_file]

    business = _business_draft(
        case,
        Kind.VISIT_BOOKED,
        scope,
        f"Bekræftelse af tiden til tilsynsbesøget ({when}) sendt på e-mail til virksomheden.",
        lambda language: {"visit": _visit_context(visit, slot, language)},
    )
    business.attachments = files
    drafts = [business]
    inspector = visit.inspector
    if inspector.is_active and inspector.email:
        recipient = selectors.staff_recipient(inspector)
        drafts.append(
            Draft(
                kind=Kind.VISIT_BOOKED_INSPECTOR,
                scope=scope,
                to=recipient.email,
                recipient=_fixed(recipient),
                context=lambda r: {
                    "case": _case_context(case, r.language, staff=True),
                    "visit": _visit_context(visit, slot, r.language),
                },
                case=case,
                timeline_text=(
                    f"Den tilsynsførende ({inspector.display_name}) har fået den aftalte tid "
                    "på e-mail."
                ),
                attachments=files,
            )
        )
    with transaction.atomic():
        return notifications_record(drafts)
