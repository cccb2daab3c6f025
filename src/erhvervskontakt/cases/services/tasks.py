"""Department tasks (opgaver) on a case: claimed, given to a colleague, completed with a
result (and perhaps the decision document and the department's answer lines delivered),
reopened with a reason, and the follow-up task a dissatisfied survey answer makes
(``task_create_follow_up``). Who may do which is one rule, ``rules.task_actions``, which
the workbench also uses to decide which buttons to show.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_noop

from erhvervskontakt.accounts.models import User
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import (
    Forbidden,
    IllegalTransition,
    StaleVersion,
    ValidationFailed,
)

from .. import rules
from ..models import Case, Deliverable, Document, Event, Task
from .core import (
    STALE_TASK,
    _clean_reason,
    _collect,
    _event,
    _lock,
    _require_open,
    _require_staff,
    _save,
)
from .documents import _check_upload, _store_document


def _lock_task(task: Task, expected_version: int | None) -> tuple[Case, Task]:
    case = _lock(task.case)
    locked = (
        Task.objects.select_for_update(of=("self",))
        .select_related("department", "assignee")
        .prefetch_related("service_types")
        .get(pk=task.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(STALE_TASK, current=locked.version, errors={"version": STALE_TASK})
    return case, locked


def _works_for(user: User, department_id: int) -> bool:
    """Whose work a department's task may be (``rules.works_for_department``)."""
    return rules.works_for_department(user, department_id)


def _may_work_on(task: Task, user: User) -> bool:
    return _works_for(user, task.department_id)


def _require(task: Task, actor: User, action: str) -> None:
    """Refuse what ``rules.task_actions`` does not offer ``actor`` (the workbench shows the
    same set of buttons): another department's task is Forbidden, an action the task's
    status does not allow an IllegalTransition."""
    allowed = rules.task_actions(
        actor, department_id=task.department_id, status=task.status, assignee_id=task.assignee_id
    )
    if action in allowed:
        return
    if not _may_work_on(task, actor):
        raise Forbidden(f"Opgaven hører til {task.department.name}.")
    raise IllegalTransition(f"Opgaven er {Task.Status(task.status).label.lower()}.")


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
    if (
        task.assignee_id == actor.pk
        and task.status == Task.Status.IN_PROGRESS
        and _may_work_on(task, actor)
    ):
        return task
    _require(task, actor, rules.TASK_CLAIM)
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
    _require(task, actor, rules.TASK_ASSIGN)
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


MAX_RESULT = 2000


def _clean_result(result: object) -> str:
    text = result.strip() if isinstance(result, str) else ""
    if not text:
        raise ValidationFailed.field("result", "Skriv kort, hvad afdelingen er kommet frem til.")
    if len(text) > MAX_RESULT:
        raise ValidationFailed.field("result", f"Resultatet må højst være {MAX_RESULT} tegn.")
    return text


def _deliver_answer_lines(
    case: Case, task: Task, actor: User, document: Document | None
) -> list[Deliverable]:
    """Mark the department's pending answer lines delivered, each with an event the
    business reads ("Kommunen har leveret: Svar: …")."""
    lines = list(
        Deliverable.objects.select_for_update()
        .filter(
            case=case,
            party=Deliverable.Party.MUNICIPALITY,
            status=Deliverable.Status.PENDING,
            service_type__in=task.service_types.all(),
        )
        .order_by("due_date", "id")
    )
    moment = clock.now()
    for line in lines:
        line.status = Deliverable.Status.DELIVERED
        line.delivered_at = moment
        line.delivered_by = actor
        line.save(update_fields=["status", "delivered_at", "delivered_by"])
        late = " (efter fristen)" if line.due_date < clock.local_date(moment) else ""
        attached = f" ({document.original_name})" if document is not None else ""
        _event(
            case,
            "deliverable_delivered",
            actor,
            f"Leveret af kommunen: {line.title}{late}{attached}. "
            f"Opgaven for {task.department.name} er færdig.",
            business_text=gettext_noop("Kommunen har leveret: %(title)s%(attached)s."),
            business_args={"title": line.title, "attached": attached},
            deliverable=line.pk,
            task=task.pk,
        )
    if document is not None and len(lines) == 1:
        document.deliverable = lines[0]
        document.save(update_fields=["deliverable"])
    return lines


@transaction.atomic
def task_complete(
    *,
    task: Task,
    actor: User,
    result: str,
    share_result: bool = False,
    upload: UploadedFile | None = None,
    deliver_answer: bool = False,
    expected_version: int | None = None,
) -> Task:
    """The department's share is done, with a short result (required).

    In the same step the department may attach its decision document (a case document,
    ``Task.result_document``) and mark its answer lines of the delivery plan delivered
    (``deliver_answer``): then the business reads that the municipality has delivered. The
    result itself is internal (the event is staff-only) unless the person chose to share it
    (``share_result``). Everything is checked before the file is stored.
    """
    _require_staff(actor, "afslutte opgaver")
    case, task = _lock_task(task, expected_version)
    _require(task, actor, rules.TASK_COMPLETE)
    errors: dict[str, str] = {}
    text = _collect(errors, _clean_result, result) or ""
    checked = _collect(errors, _check_upload, upload) if upload is not None else None
    if errors:
        raise ValidationFailed("Opgaven kan ikke afsluttes endnu.", errors=errors)
    document = _store_document(case, actor, checked, upload, "", {}) if checked else None
    task.status = Task.Status.DONE
    task.done_at = clock.now()
    task.done_by = actor
    task.result = text
    task.result_document = document
    if task.assignee_id is None:
        task.assignee = actor
    _save_task(task, "status", "done_at", "done_by", "result", "result_document", "assignee")
    department = task.department.name
    log = f"Opgaven for {department} er færdig ({actor.display_name}). Resultat: {text}" + (
        f" Dokument: {document.original_name}." if document else ""
    )
    data: dict[str, Any] = {
        "task": task.pk,
        "result_shared": share_result,
        "document": document and document.pk,
    }
    if share_result:
        _event(
            case,
            "task_done",
            actor,
            log,
            business_text=gettext_noop("%(department)s har afsluttet sin del af sagen: %(result)s"),
            business_args={"department": department, "result": text},
            **data,
        )
    else:
        # The result is the department's own conclusion: only staff read the entry.
        _event(case, "task_done", actor, log, internal=True, **data)
    delivered = _deliver_answer_lines(case, task, actor, document) if deliver_answer else []
    if delivered or document is not None:
        _save(case)  # the case's plan or documents changed: forms that showed it are stale
    return task


@transaction.atomic
def task_reopen(
    *, task: Task, actor: User, reason: str, expected_version: int | None = None
) -> Task:
    """A done task is worked on again (a result was wrong, the business sent more); the
    reason is required and, like the result, only for staff. The last result is kept on
    the task and every one stays in the timeline; answer lines already delivered stay
    delivered (the business was told)."""
    _require_staff(actor, "genåbne opgaver")
    case, task = _lock_task(task, expected_version)
    _require(task, actor, rules.TASK_REOPEN)
    _require_open(case, "opgaverne")
    text = _clean_reason(reason)
    task.status = Task.Status.IN_PROGRESS if task.assignee_id else Task.Status.OPEN
    task.done_at = None
    task.done_by = None
    _save_task(task, "status", "done_at", "done_by")
    _event(
        case,
        "task_reopened",
        actor,
        f"Opgaven for {task.department.name} er genåbnet ({actor.display_name}). "
        f"Begrundelse: {text}",
        internal=True,
        task=task.pk,
        reason=text,
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
        task.done_by = None
        _save_task(task, "status", "assignee", "done_at", "done_by")
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
