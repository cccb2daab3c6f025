"""Department tasks (opgaver) on a case: claimed, given to a colleague, completed, and the
follow-up task a dissatisfied survey answer makes (``task_create_follow_up``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from erhvervskontakt.accounts.models import User
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import Conflict, Forbidden, IllegalTransition, ValidationFailed

from ..models import Case, Event, Task
from .core import STALE_TASK, _clean_reason, _event, _lock, _require_staff, _save


def _lock_task(task: Task, expected_version: int | None) -> tuple[Case, Task]:
    case = _lock(task.case)
    locked = (
        Task.objects.select_for_update(of=("self",))
        .select_related("department", "assignee")
        .get(pk=task.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(STALE_TASK, errors={"version": STALE_TASK})
    if locked.status not in (Task.Status.OPEN, Task.Status.IN_PROGRESS):
        raise IllegalTransition(f"Opgaven er {Task.Status(locked.status).label.lower()}.")
    return case, locked


def _works_for(user: User, department_id: int) -> bool:
    """Whose work a department's task may be: its own staff, coordinators, heads, admins."""
    return bool(
        user.is_superuser
        or user.is_coordinator
        or user.is_head_of_unit
        or user.department_id == department_id
    )


def _may_work_on(task: Task, user: User) -> bool:
    return _works_for(user, task.department_id)


def _save_task(task: Task, *fields: str) -> None:
    task.version = F("version") + 1
    task.save(update_fields=[*fields, "version"])
    task.refresh_from_db(fields=["version"])


def _hand_task(
    case: Case, task: Task, actor: User, assignee: User, *, kind: str, text: str
) -> Task:
    """The task is ``assignee``'s and in progress; the case's timeline says who did it."""
    task.assignee = assignee
    task.status = Task.Status.IN_PROGRESS
    _save_task(task, "assignee", "status")
    _event(case, kind, actor, text, task=task.pk, assignee=assignee.username)
    return task


@transaction.atomic
def task_claim(*, task: Task, actor: User, expected_version: int | None = None) -> Task:
    """A caseworker takes a department task: it is theirs and in progress."""
    _require_staff(actor, "tage opgaver")
    case, task = _lock_task(task, expected_version)
    if not _may_work_on(task, actor):
        raise Forbidden(f"Opgaven hører til {task.department.name}.")
    if task.assignee_id == actor.pk and task.status == Task.Status.IN_PROGRESS:
        return task
    return _hand_task(
        case,
        task,
        actor,
        actor,
        kind="task_claimed",
        text=f"{actor.display_name} har taget opgaven for {task.department.name}.",
    )


@transaction.atomic
def task_assign(
    *, task: Task, actor: User, assignee: User, expected_version: int | None = None
) -> Task:
    """Give a department task to a colleague (staff of that department or a coordinator)."""
    _require_staff(actor, "fordele opgaver")
    case, task = _lock_task(task, expected_version)
    if not _may_work_on(task, actor):
        raise Forbidden(f"Opgaven hører til {task.department.name}.")
    if not (assignee.is_active and assignee.is_staff and _may_work_on(task, assignee)):
        raise ValidationFailed.field(
            "assignee", f"{assignee.display_name} kan ikke få opgaver for {task.department.name}."
        )
    if task.assignee_id == assignee.pk:
        return task
    return _hand_task(
        case,
        task,
        actor,
        assignee,
        kind="task_assigned",
        text=f"Opgaven for {task.department.name} er givet til {assignee.display_name}.",
    )


@transaction.atomic
def task_complete(
    *, task: Task, actor: User, note: str = "", expected_version: int | None = None
) -> Task:
    """The department's share is done; the coordinator sees it in the timeline."""
    _require_staff(actor, "afslutte opgaver")
    case, task = _lock_task(task, expected_version)
    if not _may_work_on(task, actor):
        raise Forbidden(f"Opgaven hører til {task.department.name}.")
    text = _clean_reason(note, required=False)
    task.status = Task.Status.DONE
    task.done_at = clock.now()
    if task.assignee_id is None:
        task.assignee = actor
    _save_task(task, "status", "done_at", "assignee")
    _event(
        case,
        "task_done",
        actor,
        f"Opgaven for {task.department.name} er færdig ({actor.display_name})."
        + (f" {text}" if text else ""),
        task=task.pk,
    )
    return task


# --- survey follow-up ---


@transaction.atomic
def task_create_follow_up(*, case: Case, assignee: User, reason: str) -> Task:
    """A task for ``assignee`` to follow up on a dissatisfied business, in the case's timeline.

    Called by ``surveys.services.response_submit`` when the overall answer is negative (the
    business answered through its link, so there is no actor). The task belongs to the
    assignee's department, else the coordinator's, else the department of the case's first
    service type. A case has one task per department: if it already has one there (the
    department's own share, long done), that task is reopened and given to ``assignee``.
    The event is internal: it names staff and is about the business's answer.
    """
    if not (assignee.is_active and assignee.is_staff):
        raise ValidationFailed.field(
            "assignee", f"{assignee.display_name} er ikke en aktiv medarbejder."
        )
    text = _clean_reason(reason)
    case = _lock(case)
    coordinator = case.coordinator
    department_id = (
        assignee.department_id
        or (coordinator.department_id if coordinator is not None else None)
        or ServiceType.objects.filter(cases=case)
        .order_by("position", "id")
        .values_list("department_id", flat=True)
        .first()
    )
    if department_id is None:
        raise IllegalTransition("Sagen har ingen afdeling, som opfølgningen kan høre til.")
    moment = clock.now()
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("department")
        .filter(case=case, department_id=department_id)
        .first()
    )
    if task is None:
        task = Task.objects.create(
            case=case,
            department_id=department_id,
            status=Task.Status.OPEN,
            assignee=assignee,
            created_at=moment,
        )
        task = Task.objects.select_related("department").get(pk=task.pk)
        kind, done = "follow_up_task_created", "oprettet"
    else:
        task.status = Task.Status.OPEN
        task.assignee = assignee
        task.done_at = None
        _save_task(task, "status", "assignee", "done_at")
        kind, done = "follow_up_task_reopened", "genåbnet"
    Event.objects.create(
        case=case,
        at=moment,
        kind=kind,
        actor=None,
        text=f"Opfølgningsopgave {done} for {task.department.name}, givet til "
        f"{assignee.display_name}. {text}",
        data={"task": task.pk, "assignee": assignee.username},
        internal=True,
    )
    _save(case)
    return task
