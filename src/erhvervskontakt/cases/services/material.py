"""Material from the business and the clock it pauses: answers (``case_supply_answers``),
a requirement staff decide is not needed, and what follows new material (``_after_material``):
business deliverables met, the case fully informed, and a waiting case resumed (``_resume``)
with its estimate moved by the working days it waited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from erhvervskontakt.accounts.models import User
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.common import announcements, clock
from erhvervskontakt.common.errors import IllegalTransition, ValidationFailed

from .. import rules
from ..announcements import CaseChanged
from ..models import OPEN_STATUSES, Answer, Case, CaseStatus, Deliverable
from ..selectors import case_missing, case_queryset, case_requirements
from .core import (
    _SYSTEM,
    _clean_reason,
    _event,
    _expect_version,
    _fmt,
    _lock,
    _move_municipality_deliverables,
    _require_access,
    _require_open,
    _require_staff,
    _reread,
    _save,
    _set_status,
)

# --- material from the business ---------------------------------------------------------


def _after_material(
    case: Case,
    actor: User | None,
    *,
    calendar: WorkingCalendar,
    at_intake: bool = False,
    resumed: str = "Materialet fra virksomheden er modtaget.",
) -> list[str]:
    """What follows new answers or documents: deliverables met, fully informed, resumed.

    ``case`` must be freshly read with its relations (case_queryset) inside the transaction.
    """
    missing = case_missing(case)
    missing_keys = {item.key for item in missing}
    moment = clock.now()
    today = clock.local_date(moment)
    for deliverable in case.deliverables.all():
        if (
            deliverable.party == Deliverable.Party.BUSINESS
            and deliverable.status == Deliverable.Status.PENDING
            and deliverable.requirement_key
            and deliverable.requirement_key not in missing_keys
        ):
            deliverable.status = Deliverable.Status.DELIVERED
            deliverable.delivered_at = moment
            deliverable.save(update_fields=["status", "delivered_at"])
            late = " (efter fristen)" if deliverable.due_date < today else ""
            _event(
                case,
                "deliverable_delivered",
                actor,
                f"Leveret af virksomheden: {deliverable.title}{late}.",
                business_text=gettext_noop("I har leveret: %(title)s."),
                business_args={"title": deliverable.title},
                deliverable=deliverable.pk,
            )
    if missing:
        return []
    fields: list[str] = []
    if case.fully_informed_on is None:
        # Complete at intake: informed from receipt (a backdated letter counts from its date).
        case.fully_informed_on = clock.local_date(case.received_at) if at_intake else today
        fields.append("fully_informed_on")
        target = rules.service_target_days(case.service_types.all())
        logged = f"Sagen er fuldt oplyst {_fmt(case.fully_informed_on)}."
        if target is not None:
            case.service_target_date = rules.service_target_date(
                case.fully_informed_on, target, case.service_target_waiting_days
            )
            fields.append("service_target_date")
            logged += (
                f" Nationalt servicemål: afgørelse senest {_fmt(case.service_target_date)} "
                f"({target} kalenderdage)."
            )
        _event(
            case,
            "fully_informed",
            actor,
            logged,
            business_text=gettext_noop(
                "Vi har nu alle de oplysninger, vi skal bruge, og behandler sagen."
            ),
            business_args={},
        )
    if case.status == CaseStatus.AWAITING_BUSINESS:
        fields += _resume(case, actor, calendar=calendar, today=today, reason=resumed)
    return fields


def _resume(
    case: Case,
    actor: User | None,
    *,
    calendar: WorkingCalendar,
    today: dt.date,
    reason: str = "Materialet fra virksomheden er modtaget.",
) -> list[str]:
    """Back to in progress: the answer estimate moves by the working days that were paused."""
    paused_from = case.paused_since or today
    paused = max(0, calendar.working_days_between(paused_from, today))
    fields = ["status", "paused_since", "paused_working_days"]
    _set_status(case, CaseStatus.IN_PROGRESS, actor, reason)
    case.paused_since = None
    case.paused_working_days += paused
    if case.fully_informed_on is not None and case.fully_informed_on < today:
        # Waiting after the case was fully informed is deducted from the national target.
        waited = (today - max(paused_from, case.fully_informed_on)).days
        if waited > 0 and case.service_target_date is not None:
            case.service_target_waiting_days += waited
            case.service_target_date += dt.timedelta(days=waited)
            fields += ["service_target_waiting_days", "service_target_date"]
            _event(
                case,
                "service_target_moved",
                actor,
                f"Servicemålsdato flyttet {waited} kalenderdage til {_fmt(case.service_target_date)}: "
                "ventetid på virksomheden fratrækkes.",
                days=waited,
            )
    if paused and case.estimated_answer_date is not None:
        before = case.estimated_answer_date
        case.estimated_answer_date = calendar.add_working_days(before, paused)
        fields.append("estimated_answer_date")
        _move_municipality_deliverables(case, before, case.estimated_answer_date)
        moved = _event(
            case,
            "estimate_moved",
            actor,
            f"Forventet svar flyttet fra {_fmt(before)} til {_fmt(case.estimated_answer_date)}: "
            f"sagen ventede {paused} arbejdsdage på materiale fra virksomheden "
            f"(fra {_fmt(paused_from)} til {_fmt(today)}).",
            business_text=gettext_noop(
                "Vi forventer nu at svare jer senest %(new_date)s: sagen ventede "
                "%(days)s arbejdsdage på materiale fra jer."
            ),
            business_args={"new_date": case.estimated_answer_date, "days": paused},
            old=before.isoformat(),
            new=case.estimated_answer_date.isoformat(),
            paused_working_days=paused,
        )
        announcements.announce(CaseChanged(kind="estimate_moved", case=case.pk, event=moved.pk))
    if paused and case.promised_answer_date is not None:
        # The promise measured (issue 7) moves by the waiting for the business only, never
        # by an estimate set by hand.
        case.promised_answer_date = calendar.add_working_days(case.promised_answer_date, paused)
        fields.append("promised_answer_date")
    return fields


@transaction.atomic
def case_supply_answers(*, case: Case, actor: User, answers: Mapping[str, Any]) -> Case:
    """The business (or staff on its behalf) answers questions; missing items may be met."""
    _require_access(case, actor)
    case = _lock(case)
    if case.status not in OPEN_STATUSES:
        raise IllegalTransition(
            f"Sagen er {CaseStatus(case.status).label.lower()}; der kan ikke tilføjes svar."
        )
    if not answers:
        raise ValidationFailed.field("answers", "Angiv mindst ét svar.")
    cleaned = rules.clean_answers(answers, case_requirements(case))
    moment = clock.now()
    current = {a.key: a for a in case.answers.all()}
    requirements = case_requirements(case)
    changed = False
    for key, value in cleaned.items():
        label = requirements[key].label
        existing = current.get(key)
        if existing is None:
            Answer.objects.create(
                case=case, key=key, value=value, provided_by=actor, provided_at=moment
            )
            _event(
                case,
                "answer_added",
                actor,
                f"Svar på »{label}«: {value}",
                business_text=gettext_noop("Vi har modtaget jeres svar: %(label)s."),
                business_args={"label": label},
                key=key,
                value=value,
            )
            changed = True
        elif existing.value != value:
            changed = True
            old = existing.value
            existing.value = value
            existing.provided_by = actor
            existing.provided_at = moment
            existing.save(update_fields=["value", "provided_by", "provided_at"])
            _event(
                case,
                "answer_changed",
                actor,
                f"Svar på »{label}« ændret fra {old} til {value}.",
                business_text=gettext_noop("Vi har modtaget jeres ændrede svar: %(label)s."),
                business_args={"label": label},
                key=key,
                old=old,
                new=value,
            )
    if not changed:
        return case  # the same answers again: nothing happened, nothing to record
    case = case_queryset(user=_SYSTEM, with_timeline=False).get(pk=case.pk)
    _save(case, *_after_material(case, actor, calendar=working_calendar()))
    return _reread(case)


@transaction.atomic
def requirement_mark_not_needed(
    *,
    case: Case,
    actor: User,
    requirement_key: str,
    reason: str,
    expected_version: int | None = None,
) -> Case:
    """Staff decide a missing mandatory requirement is not needed for this case (with a reason).

    Stored as a waived business deliverable for the requirement, which ``case_missing``
    treats as met; a pending one for it is waived instead. If nothing else is missing, the
    case becomes fully informed (and resumes if it was waiting), as when material arrives.
    """
    _require_staff(actor, "frafalde krav")
    case = _lock(case)
    _expect_version(case, expected_version)
    _require_open(case, "kravene")
    text = _clean_reason(reason)
    full = case_queryset(user=_SYSTEM, with_timeline=False).get(pk=case.pk)
    missing = {item.key: item for item in case_missing(full)}
    key = (requirement_key or "").strip()
    if key not in missing:
        raise ValidationFailed.field("requirement", f"Kravet »{key}« mangler ikke på sagen.")
    moment = clock.now()
    pending = Deliverable.objects.filter(
        case=case,
        party=Deliverable.Party.BUSINESS,
        requirement_key=key,
        status=Deliverable.Status.PENDING,
    ).first()
    if pending is not None:
        pending.status = Deliverable.Status.WAIVED
        pending.note = text
        pending.save(update_fields=["status", "note"])
    else:
        Deliverable.objects.create(
            case=case,
            party=Deliverable.Party.BUSINESS,
            title=f"Ikke nødvendigt: {missing[key].label}",
            requirement_key=key,
            due_date=clock.local_date(moment),
            status=Deliverable.Status.WAIVED,
            note=text,
            created_at=moment,
        )
    _event(
        case,
        "requirement_not_needed",
        actor,
        f"»{missing[key].label}« er ikke nødvendig. Begrundelse: {text}",
        business_text=gettext_noop("Det behøver I ikke at sende: %(label)s."),
        business_args={"label": missing[key].label},
        key=key,
        reason=text,
    )
    full = case_queryset(user=_SYSTEM, with_timeline=False).get(pk=case.pk)
    # Also before screening: a case whose last missing item is not needed is fully informed
    # from today (the national target's clock starts), and screening finds nothing missing.
    fields = _after_material(
        full, actor, calendar=working_calendar(), resumed="Der mangler ikke længere materiale."
    )
    _save(full, *fields)
    return _reread(case)
