"""The municipality's answer (decision, permit, advice): who may give it, what the promise
dashboard measures of it, and recording it (``case_record_decision``), with the decision
document if there is one (``case_record_decision_with_document``).
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_noop

from erhvervskontakt.accounts.models import User
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.common import announcements, clock
from erhvervskontakt.common.errors import Forbidden, IllegalTransition, ValidationFailed

from ..announcements import CaseChanged
from ..models import TRANSITIONS, Case, CaseStatus, Deliverable, Task, sees_case
from .core import (
    _event,
    _expect_version,
    _fmt,
    _lock,
    _require_staff,
    _reread,
    _save,
    _set_status,
)
from .documents import _check_upload, _store_document


def _require_may_answer(case: Case, actor: User) -> None:
    """Who may give the case its answer (docs/decisions/0006-who-records-the-answer.md).

    The answer closes every department's task, so it is the coordinator's to give, or a
    head of unit's or an administrator's. A caseworker may record it when the case is their
    department's alone: every task still open is theirs (their department's or given to
    them) — the common one-permit case, without a detour through the coordinator.
    """
    department_id = actor.department_id
    if department_id is None or actor.is_superuser or actor.is_coordinator or actor.is_head_of_unit:
        return
    others = (
        Task.objects.filter(case=case, status__in=[Task.Status.OPEN, Task.Status.IN_PROGRESS])
        .exclude(department_id=department_id)
        .exclude(assignee=actor)
        .select_related("department")
        .order_by("id")
    )
    names = sorted({task.department.name for task in others})
    if names:
        raise Forbidden(
            f"{', '.join(names)} har stadig åbne opgaver på sagen; "
            "tovholderen giver svaret, når alle afdelinger er færdige."
        )
    if not sees_case(actor, case):
        raise Forbidden("Sagen er ikke din afdelings; tovholderen giver svaret.")


def _measure_answer(case: Case, today: dt.date) -> list[str]:
    """What the promise dashboard measures of an answer (issue 7); the fields it set.

    A late answer is at least one working day late, also when it is given on the weekend
    after the promised Friday, so "on time" and "deviation <= 0" always agree.
    """
    calendar = working_calendar()
    case.answered_on = today
    if case.screened_on is not None:
        case.answer_working_days = max(0, calendar.working_days_between(case.screened_on, today))
    if case.promised_answer_date is not None:
        deviation = calendar.working_days_between(case.promised_answer_date, today)
        if today > case.promised_answer_date:
            deviation = max(1, deviation)
        case.estimate_deviation_working_days = deviation
    if case.service_target_date is not None:
        case.service_target_met = today <= case.service_target_date
    return [
        "answered_on",
        "answer_working_days",
        "estimate_deviation_working_days",
        "service_target_met",
    ]


@transaction.atomic
def case_record_decision(*, case: Case, actor: User, summary: str) -> Case:
    """The municipality's answer (decision, permit, advice) is delivered: the case is answered."""
    _require_staff(actor, "give svar på sager")
    case = _lock(case)
    _require_may_answer(case, actor)
    if not isinstance(summary, str) or not summary.strip():
        raise ValidationFailed.field("summary", "Skriv kort, hvad svaret/afgørelsen er.")
    if len(summary) > 10_000:
        raise ValidationFailed.field("summary", "Svaret må højst være 10.000 tegn.")
    if case.status == CaseStatus.AWAITING_BUSINESS:
        raise IllegalTransition(
            "Sagen venter på materiale fra virksomheden; den kan ikke besvares endnu."
        )
    _set_status(case, CaseStatus.ANSWERED, actor)
    moment = clock.now()
    today = clock.local_date(moment)
    case.answered_at = moment
    case.decision_summary = summary.strip()
    measured = _measure_answer(case, today)
    for deliverable in case.deliverables.all():
        if (
            deliverable.party == Deliverable.Party.MUNICIPALITY
            and deliverable.status == Deliverable.Status.PENDING
        ):
            deliverable.status = Deliverable.Status.DELIVERED
            deliverable.delivered_at = moment
            deliverable.save(update_fields=["status", "delivered_at"])
    Task.objects.filter(case=case, status__in=[Task.Status.OPEN, Task.Status.IN_PROGRESS]).update(
        status=Task.Status.DONE, done_at=moment
    )
    # The promise is the estimate as it stands: it has moved only by the working days the
    # case waited for the business, which do not count against the municipality.
    promised = case.estimated_answer_date or case.estimate_at_screening
    kept = promised is None or today <= promised
    _event(
        case,
        "answered",
        actor,
        f"Svar givet {_fmt(today)}"
        + (
            f" ({'inden' if kept else 'efter'} den lovede dato {_fmt(promised)})"
            if promised
            else ""
        )
        + f": {case.decision_summary}",
        business_text=gettext_noop("Vi har givet jer svar: %(summary)s"),
        business_args={"summary": case.decision_summary},
        on_time=kept,
    )
    _save(case, "status", "answered_at", "decision_summary", *measured)
    announcements.announce(CaseChanged(kind="answered", case=case.pk))
    return _reread(case)


@transaction.atomic
def case_record_decision_with_document(
    *,
    case: Case,
    actor: User,
    summary: str,
    upload: UploadedFile | None = None,
    expected_version: int | None = None,
) -> Case:
    """Record the answer/decision, attaching the decision document (afgørelse) if given.

    Everything is checked before the file is stored, so a refused answer stores nothing.
    """
    _require_staff(actor, "give svar på sager")
    case = _lock(case)
    _expect_version(case, expected_version)
    if CaseStatus.ANSWERED not in TRANSITIONS[case.status]:
        raise IllegalTransition(
            "Sagen venter på materiale fra virksomheden; den kan ikke besvares endnu."
            if case.status == CaseStatus.AWAITING_BUSINESS
            else f"En sag med status »{CaseStatus(case.status).label}« kan ikke besvares."
        )
    if not isinstance(summary, str) or not summary.strip():
        raise ValidationFailed.field("summary", "Skriv kort, hvad svaret/afgørelsen er.")
    if upload is not None:
        checked = _check_upload(upload)
        _store_document(case, actor, checked, upload, "", {})
    return case_record_decision(case=case, actor=actor, summary=summary)
