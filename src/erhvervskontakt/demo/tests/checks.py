"""Rule checks on loaded cases, shared by the demo and volume tests."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable

from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases import rules
from erhvervskontakt.cases.models import (
    Case,
    CaseStatus,
    Channel,
    Deliverable,
    Task,
    task_due_expression,
)
from erhvervskontakt.cases.selectors import case_missing, case_queryset
from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.common import clock
from erhvervskontakt.inspections.models import Visit
from erhvervskontakt.surveys.models import Invitation

REFERENCE = re.compile(r"^EK-(\d{4})-(\d{5,})$")


class _Everyone:
    is_authenticated = True
    is_active = True
    is_staff = True


def rule_violations(cases: Iterable[Case] | None = None) -> list[str]:
    """Everything about the cases that breaks a rule of the product, as readable lines."""
    calendar = working_calendar()
    days = municipality().screening_working_days
    now = clock.now()
    problems: list[str] = []
    follow_ups = set(
        Invitation.objects.filter(follow_up_task__isnull=False).values_list(
            "follow_up_task_id", flat=True
        )
    )
    queryset = cases if cases is not None else case_queryset(user=_Everyone())  # type: ignore[arg-type]
    for case in queryset:
        ref = case.reference
        found = REFERENCE.match(ref)
        if not found or int(found.group(1)) != case.year or int(found.group(2)) != case.number:
            problems.append(f"{ref}: malformed reference")
        if case.channel == Channel.INSPECTION:
            problems += _inspection_violations(case, now)
            continue  # opened by the municipality: the inquiry's rules do not apply
        if case.screening_due != rules.screening_due(case.received_at, calendar, days):
            problems.append(f"{ref}: screening_due {case.screening_due} off the calendar")
        sts = list(case.service_types.all())
        if not sts:
            problems.append(f"{ref}: no service types")
            continue
        events = list(case.events.all())
        if not events or events[0].kind != "received":
            problems.append(f"{ref}: timeline does not start with 'received'")
        if any(e.at > now for e in events) or case.received_at > now:
            problems.append(f"{ref}: something happens in the future")
        if any(b.at < a.at for a, b in itertools.pairwise(events)):
            problems.append(f"{ref}: timeline out of order")
        missing = case_missing(case)
        status = case.status
        if status == CaseStatus.AWAITING_BUSINESS and not missing:
            problems.append(f"{ref}: awaiting the business but nothing is missing")
        if status in (CaseStatus.IN_PROGRESS, CaseStatus.ANSWERED, CaseStatus.CLOSED) and missing:
            problems.append(f"{ref}: {status} while material is missing")
        if (case.fully_informed_on is None) != bool(missing) and status != CaseStatus.WITHDRAWN:
            problems.append(f"{ref}: fully_informed_on disagrees with what is missing")
        target = rules.service_target_days(sts)
        expected_target = rules.service_target_date(
            case.fully_informed_on, target, case.service_target_waiting_days
        )
        if case.service_target_date != expected_target:
            problems.append(f"{ref}: service_target_date {case.service_target_date}")
        if case.screened_at is None:
            if status not in (CaseStatus.RECEIVED, CaseStatus.WITHDRAWN):
                problems.append(f"{ref}: {status} without screening")
            if list(case.tasks.all()) or list(case.deliverables.all()):
                problems.append(f"{ref}: tasks or deliverables before screening")
            continue
        screened_on = clock.local_date(case.screened_at)
        if case.screened_at < case.received_at or case.coordinator_id is None:
            problems.append(f"{ref}: screened before receipt or without coordinator")
        promised = rules.answer_estimate(screened_on, sts, calendar)
        if case.estimate_at_screening != promised:
            problems.append(f"{ref}: estimate_at_screening {case.estimate_at_screening}")
        moved = calendar.add_working_days(promised, case.paused_working_days)
        if case.estimated_answer_date != moved:
            problems.append(f"{ref}: estimate {case.estimated_answer_date} != {moved}")
        if (case.paused_since is not None) != (status == CaseStatus.AWAITING_BUSINESS):
            problems.append(f"{ref}: paused_since disagrees with the status")
        tasks = list(case.tasks.all())
        # A negative survey answer may add a follow-up task for the head of unit's department,
        # or reopen a department's task for it (one task per department): those are apart.
        departments = {t.department_id for t in tasks}
        if len(departments) != len(tasks) or not {st.department_id for st in sts} <= departments:
            problems.append(f"{ref}: not one task per department")
        extra = departments - {st.department_id for st in sts}
        if any(t.department_id in extra and t.pk not in follow_ups for t in tasks):
            problems.append(f"{ref}: a task for a department without a service type")
        for task in tasks:
            if task.pk in follow_ups:
                continue
            done = task.status in (Task.Status.DONE, Task.Status.CANCELLED)
            if done != (status in (CaseStatus.ANSWERED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN)):
                problems.append(f"{ref}: task {task.status} on a {status} case")
        deliverables = list(case.deliverables.all())
        ours = [d for d in deliverables if d.party == Deliverable.Party.MUNICIPALITY]
        if sorted(d.service_type_id for d in ours) != sorted(st.pk for st in sts):  # type: ignore[type-var]
            problems.append(f"{ref}: not one municipality deliverable per service type")
        for d in deliverables:
            if status == CaseStatus.WITHDRAWN and d.status == Deliverable.Status.PENDING:
                problems.append(f"{ref}: pending deliverable on a withdrawn case")
            if d.party == Deliverable.Party.MUNICIPALITY and (
                (d.status == Deliverable.Status.DELIVERED)
                != (status in (CaseStatus.ANSWERED, CaseStatus.CLOSED))
            ):
                problems.append(f"{ref}: municipality deliverable {d.status} on {status}")
        if status in (CaseStatus.ANSWERED, CaseStatus.CLOSED) and (
            case.answered_at is None or case.answered_at < case.screened_at
        ):
            problems.append(f"{ref}: answered before screening")
        if status == CaseStatus.CLOSED and (
            case.closed_at is None or case.answered_at is None or case.closed_at < case.answered_at
        ):
            problems.append(f"{ref}: closed before answered")
        if status == CaseStatus.WITHDRAWN and case.withdrawn_at is None:
            problems.append(f"{ref}: withdrawn without withdrawn_at")
    # Each task's stored date is the rule's, as the delivery plan and estimate now stand.
    tasks = Task.objects.all() if cases is None else Task.objects.filter(case__in=cases)
    for pk, reference, stored, computed in tasks.annotate(
        computed=task_due_expression()
    ).values_list("pk", "case__reference", "due_date", "computed"):
        if stored != computed:
            problems.append(f"{reference}: task {pk} stored due {stored}, the rule says {computed}")
    return problems


def _inspection_violations(case: Case, now: dt.datetime) -> list[str]:
    """An inspection visit's case (decision 9): opened already screened by the municipality,
    with no answer promise, one Miljø task given to the inspector, agreed solutions on the
    business's side of the plan, and its visit."""
    ref, status = case.reference, case.status
    problems: list[str] = []
    events = list(case.events.all())
    if not events or events[0].kind != "opened":
        problems.append(f"{ref}: inspection timeline does not start with 'opened'")
    if any(e.at > now for e in events) or any(b.at < a.at for a, b in itertools.pairwise(events)):
        problems.append(f"{ref}: inspection timeline out of order or in the future")
    if [st.code for st in case.service_types.all()] != ["miljoetilsyn"]:
        problems.append(f"{ref}: inspection case without (only) Miljøtilsyn")
    if case.screened_at is None or case.coordinator_id is None:
        problems.append(f"{ref}: inspection case without screening or coordinator")
    if case.estimated_answer_date is not None or case.promised_answer_date is not None:
        problems.append(f"{ref}: an inspection case promises an answer date")
    if not Visit.objects.filter(case=case).exists():
        problems.append(f"{ref}: inspection case without a visit")
    tasks = list(case.tasks.all())
    if len(tasks) != 1 or tasks[0].assignee_id is None:
        problems.append(f"{ref}: not one assigned inspection task")
    ended = status in (CaseStatus.ANSWERED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN)
    for task in tasks:
        if (task.status in (Task.Status.DONE, Task.Status.CANCELLED)) != ended:
            problems.append(f"{ref}: task {task.status} on a {status} case")
    for d in case.deliverables.all():
        if d.party != Deliverable.Party.BUSINESS:
            problems.append(f"{ref}: a municipality deliverable on an inspection case")
        if status == CaseStatus.WITHDRAWN and d.status == Deliverable.Status.PENDING:
            problems.append(f"{ref}: pending deliverable on a withdrawn case")
    if status == CaseStatus.CLOSED and (
        case.closed_at is None or case.answered_at is None or case.closed_at < case.answered_at
    ):
        problems.append(f"{ref}: closed before answered")
    return problems


def local(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=clock.local_tz())
