"""Reads for notifications: who receives what, what is due, and what a digest holds.

These read across all cases (the system, not a person, is asking), so they do not go through
``visible_to``; nothing here is shown to a user except through the e-mail to its recipient.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from erhvervskontakt.accounts.models import User
from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    Channel,
    Deliverable,
    Event,
    Message,
    Task,
)
from erhvervskontakt.catalogue.models import Department, Requirement, ServiceType
from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.inspections.models import Visit, VisitSlot

from . import rules
from .models import Kind, Notification

OPEN_TASK = (Task.Status.OPEN, Task.Status.IN_PROGRESS)


@dataclass(frozen=True)
class Recipient:
    """Where one e-mail goes, in which language, and (for the timeline) to whom."""

    email: str
    name: str
    language: str = "da"
    user: User | None = None


# --- cases and their parts ---------------------------------------------------------------


def case_for_messages(case_id: int) -> Case | None:
    """A case with everything its messages show (service types, requirements, plan, tasks)."""
    return (
        Case.objects.select_related("business", "coordinator")
        .prefetch_related(
            Prefetch(
                "service_types",
                queryset=ServiceType.objects.order_by("position", "id").prefetch_related(
                    Prefetch("requirements", queryset=Requirement.objects.order_by("position"))
                ),
            ),
            "answers",
            "documents",
            Prefetch(
                "deliverables",
                queryset=Deliverable.objects.select_related("service_type").order_by(
                    "due_date", "id"
                ),
            ),
            Prefetch(
                "tasks",
                queryset=Task.objects.select_related("department")
                .prefetch_related("service_types")
                .order_by("id"),
            ),
        )
        .filter(pk=case_id)
        .first()
    )


def visit_for_messages(visit_id: int) -> Visit | None:
    """An inspection visit with the case its messages are about."""
    visit = Visit.objects.filter(pk=visit_id).only("pk", "case_id", "visited_on").first()
    if visit is None:
        return None
    case = case_for_messages(visit.case_id)
    if case is None:
        return None
    visit.case = case
    return visit


def visit_for_booking(visit_id: int, slot_id: int) -> tuple[Visit, VisitSlot] | None:
    """A booked visit with its unit, inspector and case, and the slot that was chosen; none
    when the visit has since been booked for another time (that booking mails itself)."""
    visit = Visit.objects.select_related("unit", "inspector").filter(pk=visit_id).first()
    if visit is None or visit.status != Visit.Status.BOOKED:
        return None
    slot = VisitSlot.objects.filter(pk=slot_id, visit=visit, status=VisitSlot.Status.CHOSEN).first()
    case = case_for_messages(visit.case_id)
    if slot is None or case is None or visit.visit_at != slot.starts_at:
        return None
    visit.case = case
    return visit, slot


def case_message(case: Case, message_id: int) -> Message | None:
    return Message.objects.select_related("author").filter(pk=message_id, case=case).first()


def case_event(case: Case, event_id: int, kind: str) -> Event | None:
    return Event.objects.filter(pk=event_id, case=case, kind=kind).first()


# --- recipients ----------------------------------------------------------------------------


def business_recipient(case: Case) -> Recipient:
    """The case's contact person, in the language of the portal user with that address.

    A contact without a portal user (a letter, a phone call) gets Danish.
    """
    email = case.contact_email.strip()
    user = (
        User.objects.filter(
            Q(email__iexact=email) | Q(username__iexact=email),
            is_active=True,
            is_staff=False,
            memberships__business_id=case.business_id,
            memberships__active=True,
        )
        .order_by("id")
        .first()
    )
    language = user.language if user is not None and user.language in ("da", "en") else "da"
    return Recipient(email=email, name=case.contact_name, language=language, user=user)


def staff_recipient(user: User) -> Recipient:
    language = user.language if user.language in ("da", "en") else "da"
    return Recipient(email=user.email, name=user.display_name, language=language, user=user)


def department_recipients(department: Department) -> list[Recipient]:
    """The department's shared inbox if it has one, else each of its active caseworkers."""
    if department.email:
        return [Recipient(email=department.email, name=department.name)]
    staff = User.objects.filter(department=department, is_active=True, is_staff=True).exclude(
        email=""
    )
    return [staff_recipient(user) for user in staff.order_by("username")]


def head_of_unit_recipients() -> list[Recipient]:
    """Staff marked as head of unit; else the municipality's own address; else nobody."""
    heads = User.objects.filter(is_active=True, is_staff=True, is_head_of_unit=True).exclude(
        email=""
    )
    found = [staff_recipient(user) for user in heads.order_by("username")]
    if found:
        return found
    settings_row = municipality()
    if settings_row.email:
        return [Recipient(email=settings_row.email, name=settings_row.name)]
    return []


def business_message_recipients(case: Case) -> list[Recipient]:
    """Who is told that the business wrote: the case's coordinator (else the business's
    fixed contact person, before a coordinator is appointed) and the assignee of each of its
    open tasks; active staff with an address, each once."""
    people: list[User] = []
    lead = case.coordinator or case.business.contact_person
    if lead is not None:
        people.append(lead)
    assignees = (
        User.objects.filter(tasks__case=case, tasks__status__in=OPEN_TASK)
        .distinct()
        .order_by("username")
    )
    people.extend(assignees)
    found: dict[int, Recipient] = {}
    for user in people:
        if user.is_active and user.is_staff and user.email and user.pk not in found:
            found[user.pk] = staff_recipient(user)
    return list(found.values())


def digest_recipients() -> list[User]:
    return list(User.objects.coordinators().exclude(email="").order_by("username"))


# --- what the sweep finds --------------------------------------------------------------------


def business_deliverables_due_between(first: dt.date, last: dt.date) -> QuerySet[Deliverable]:
    """Pending business deliverables of open cases due in [first, last], oldest first."""
    return (
        Deliverable.objects.filter(
            party=Deliverable.Party.BUSINESS,
            status=Deliverable.Status.PENDING,
            due_date__gte=first,
            due_date__lte=last,
            case__status__in=OPEN_STATUSES,
        )
        .select_related("case__business", "case__coordinator", "service_type")
        .order_by("due_date", "id")
    )


def screenings_past_due(first: dt.date, today: dt.date) -> QuerySet[Case]:
    """Unscreened cases whose deadline was in [first, today)."""
    return (
        Case.objects.filter(
            status=CaseStatus.RECEIVED, screening_due__lt=today, screening_due__gte=first
        )
        .select_related("business", "coordinator")
        .prefetch_related("service_types")
        .order_by("screening_due", "id")
    )


def cases_answered_since(since: dt.datetime) -> QuerySet[Case]:
    """Cases answered since ``since``, for the survey after an answer. Inspection cases are
    not among them: the business is surveyed once, when the report is sent, and not again
    when the inspector answers or closes the case after the agreed solutions."""
    return (
        Case.objects.filter(
            status__in=[CaseStatus.ANSWERED, CaseStatus.CLOSED], answered_at__gte=since
        )
        .exclude(channel=Channel.INSPECTION)
        .select_related("business", "coordinator")
        .prefetch_related("service_types")
        .order_by("answered_at", "id")
    )


def cases_received_without_receipt(since: dt.datetime) -> list[int]:
    """Cases received since ``since`` whose receipt was never recorded: the after-commit
    listener that records it did not run (the database went away between the case's commit
    and the listener). Inspection visits get no receipt; they are not among them."""
    receipt = Notification.objects.filter(case_id=OuterRef("pk"), kind=Kind.RECEIPT)
    return list(
        Case.objects.filter(received_at__gte=since)
        .exclude(channel=Channel.INSPECTION)
        .exclude(Exists(receipt))
        .order_by("received_at", "id")
        .values_list("pk", flat=True)[:500]
    )


def requirements_of(case: Case) -> dict[str, Requirement]:
    """The case's requirements by key (reads prefetched service types when there are any)."""
    found: dict[str, Requirement] = {}
    for service_type in case.service_types.all():
        for requirement in service_type.requirements.all():
            found.setdefault(requirement.key, requirement)
    return found


# --- the coordinator's digest ----------------------------------------------------------------


@dataclass(frozen=True)
class DigestRow:
    case: Case
    date: dt.date
    unassigned: bool = False
    title: str = ""
    party: str = ""
    departments: tuple[str, ...] = ()


@dataclass
class Digest:
    screenings_overdue: list[DigestRow] = field(default_factory=list)
    screenings_due: list[DigestRow] = field(default_factory=list)
    overdue_deliverables: list[DigestRow] = field(default_factory=list)
    estimates_at_risk: list[DigestRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            len(self.screenings_overdue)
            + len(self.screenings_due)
            + len(self.overdue_deliverables)
            + len(self.estimates_at_risk)
        )


def _responsible(case: Case, active: set[int]) -> int | None:
    """Who should screen an unscreened case: its coordinator, else the business's fixed
    contact person; None (everyone's) when neither is an active coordinator."""
    if case.coordinator_id in active:
        return case.coordinator_id
    contact = case.business.contact_person_id
    return contact if contact in active else None


def coordinator_digests(
    *,
    today: dt.date,
    calendar: WorkingCalendar,
    risk_working_days: int,
    coordinators: Iterable[User],
) -> dict[int, Digest]:
    """Each coordinator's digest for ``today`` (three queries, whatever the number of them).

    Screenings due today or on the next working day, or already late; pending deliverables
    past their date on both sides of the coordinator's open cases; in-progress cases whose
    answer date is within N working days while a department task is still open.
    """
    ids = {user.pk for user in coordinators}
    digests: dict[int, Digest] = {pk: Digest() for pk in ids}
    next_day = calendar.add_working_days(today, 1)
    unscreened = (
        Case.objects.filter(status=CaseStatus.RECEIVED, screening_due__lte=next_day)
        .select_related("business")
        .order_by("screening_due", "id")
    )
    for case in unscreened:
        owner = _responsible(case, ids)
        targets = [owner] if owner is not None else list(ids)
        late = case.screening_due < today
        row = DigestRow(case=case, date=case.screening_due, unassigned=owner is None)
        for pk in targets:
            (digests[pk].screenings_overdue if late else digests[pk].screenings_due).append(row)
    late_deliverables = (
        Deliverable.objects.filter(
            status=Deliverable.Status.PENDING,
            due_date__lt=today,
            case__status__in=OPEN_STATUSES,
            case__coordinator_id__in=ids,
        )
        .select_related("case__business")
        .order_by("due_date", "id")
    )
    for deliverable in late_deliverables:
        case = deliverable.case
        assert case.coordinator_id is not None
        digests[case.coordinator_id].overdue_deliverables.append(
            DigestRow(
                case=case,
                date=deliverable.due_date,
                title=deliverable.title,
                party=deliverable.party,
            )
        )
    open_task = Task.objects.filter(case=OuterRef("pk"), status__in=OPEN_TASK)
    horizon = today + dt.timedelta(days=2 * risk_working_days + 21)
    at_risk = (
        Case.objects.filter(
            status=CaseStatus.IN_PROGRESS,
            coordinator_id__in=ids,
            estimated_answer_date__gte=today,
            estimated_answer_date__lte=horizon,
        )
        .filter(Exists(open_task))
        .select_related("business")
        .prefetch_related(
            Prefetch(
                "tasks",
                queryset=Task.objects.filter(status__in=OPEN_TASK)
                .select_related("department")
                .order_by("id"),
                to_attr="open_tasks",
            )
        )
        .order_by("estimated_answer_date", "id")
    )
    for case in at_risk:
        estimate = case.estimated_answer_date
        assert estimate is not None and case.coordinator_id is not None
        if not rules.estimate_is_at_risk(today, estimate, risk_working_days, calendar):
            continue
        departments = tuple(
            dict.fromkeys(task.department.name for task in case.open_tasks)  # type: ignore[attr-defined]
        )
        digests[case.coordinator_id].estimates_at_risk.append(
            DigestRow(case=case, date=estimate, departments=departments)
        )
    return digests


# --- the outbox ----------------------------------------------------------------------------


# Workers' clocks differ a little (and a row made by one is claimed by another at once): a
# pending notification is due whatever the clock says, and a retry a few seconds early is fine.
CLOCK_SKEW = dt.timedelta(seconds=5)


def due_now(now: dt.datetime) -> Q:
    """Pending (send at once), a retry whose time has come, or a claim whose lease ran out."""
    return (
        Q(status=Notification.Status.PENDING)
        | Q(status=Notification.Status.RETRY, next_attempt_at__lte=now + CLOCK_SKEW)
        | Q(status=Notification.Status.SENDING, claimed_until__lt=now)
    )


def notifications_to_queue(*, now: dt.datetime, lease: dt.timedelta) -> QuerySet[Notification]:
    """Notifications that should be sent now and have no delivery task in the queue.

    Due: waiting (``pending``) or a retry whose time has come, or a claim whose lease ran
    out (the worker died mid-send). Not queued since it became due: never queued, queued
    before the retry or claim, or queued so long ago that the task must have been lost.
    """
    unqueued = (
        Q(queued_at__isnull=True)
        | Q(queued_at__lte=now - lease)
        | Q(queued_at__lt=F("next_attempt_at"))
        | Q(status=Notification.Status.SENDING, queued_at__lt=F("claimed_until") - lease)
    )
    return (
        Notification.objects.filter(due_now(now)).filter(unqueued).order_by("next_attempt_at", "id")
    )
