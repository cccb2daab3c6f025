"""Screening (``case_screen``): completeness, coordinator, answer estimate, delivery plan
and tasks; and the screening as the workbench confirmed it (``case_screen_checked``), with
the delivery plan the coordinator edited (``PlanLine``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils.translation import gettext_noop

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.common import announcements, clock
from erhvervskontakt.common.errors import IllegalTransition, ValidationFailed

from .. import promises
from ..announcements import CaseChanged
from ..models import Case, CaseStatus, Deliverable, Task
from ..selectors import case_missing, case_queryset
from .coordinators import (
    _coordinator_by_username,
    _is_active_coordinator,
    _least_loaded_coordinator,
    _make_fixed_contact,
)
from .core import (
    _SYSTEM,
    MAX_REASON,
    _collect,
    _event,
    _expect_version,
    _fmt,
    _lock,
    _parse_date,
    _require_coordinating,
    _reread,
    _save,
    _set_status,
)
from .plan import deliverable_add, deliverable_change, deliverable_waive

# --- screening ---------------------------------------------------------------------------


@transaction.atomic
def case_screen(
    *,
    case: Case,
    actor: User,
    coordinator: User | str | None = None,
    note: str = "",
    share_note: bool = False,
    estimate: dt.date | None = None,
    estimate_reason: str = "",
    business_due: dt.date | None = None,
    answer_dates: dict[str, tuple[dt.date, str]] | None = None,
) -> Case:
    """Screen an inquiry: completeness, coordinator, answer estimate, delivery plan, tasks.

    The coordinator is the one given, else the business's fixed contact person if active,
    else the least loaded active coordinator — who then becomes the fixed contact person.

    Each service type's answer line gets its own department's date (its own target); the
    case's estimate is the latest of them, or ``estimate`` when the coordinator set one (the
    lines at the proposed latest date, and any later, then take it). The ``note`` is internal
    unless ``share_note``: then the business reads it with the screening's result.
    ``business_due`` is the deadline for the missing material (else the municipality's
    standard number of working days). ``answer_dates`` sets a service type's line (by code)
    to a date the coordinator chose instead of its own (date, reason).
    """
    _require_coordinating(actor, "screene henvendelser", case)
    case = _lock(case)
    if case.status != CaseStatus.RECEIVED:
        raise IllegalTransition(
            f"Sagen er allerede screenet (status »{CaseStatus(case.status).label}«)."
        )
    if isinstance(coordinator, str):
        coordinator = _coordinator_by_username(coordinator)
    elif coordinator is not None and not _is_active_coordinator(coordinator):
        raise ValidationFailed.field(
            "coordinator", f"{coordinator.username} er ikke en aktiv tovholder."
        )
    if note and len(note) > 2000:
        raise ValidationFailed.field("note", "Noten må højst være 2000 tegn.")
    business: Business = case.business
    fixed = business.contact_person
    chosen: User
    if coordinator is not None:
        chosen, why = coordinator, "valgt af medarbejderen"
    elif case.coordinator is not None and _is_active_coordinator(case.coordinator):
        chosen, why = case.coordinator, "valgt før screeningen"
    elif fixed is not None and _is_active_coordinator(fixed):
        chosen, why = fixed, "virksomhedens faste kontaktperson"
    else:
        least = _least_loaded_coordinator()
        if least is None:
            raise ValidationFailed.field(
                "coordinator", "Der er ingen aktive tovholdere; opret en i administrationen."
            )
        chosen, why = least, "tovholderen med færrest åbne sager"
    calendar = working_calendar()
    settings_row = municipality()
    moment = clock.now()
    today = clock.local_date(moment)
    service_types = list(case.service_types.all())
    missing = case_missing(case)
    proposal = promises.propose(today, service_types, calendar)
    own_dates = proposal.line_dates
    proposed = proposal.estimate or today
    if estimate is not None and estimate < today:
        raise ValidationFailed.field("estimate", "Datoen kan ikke ligge i fortiden.")
    confirmed = estimate or proposed
    line_dates = {
        pk: confirmed if day == proposed or day > confirmed else day
        for pk, day in own_dates.items()
    }
    chosen_dates = answer_dates or {}
    for st in service_types:
        if st.code in chosen_dates:
            line_dates[st.pk] = chosen_dates[st.code][0]

    case.screened_at = moment
    case.screened_by = actor
    case.coordinator = chosen
    estimate = confirmed
    case.estimated_answer_date = estimate
    case.estimate_at_screening = estimate
    case.estimate_basis = proposal.basis({st.pk: st.code for st in service_types})
    if confirmed != proposed:
        case.estimate_basis["set_by_coordinator"] = True
        case.estimate_basis["proposed"] = proposed.isoformat()
    # Measured by the promise dashboard (issue 7): the screening and the promise it gives.
    case.screened_on = today
    case.screening_working_days = calendar.working_days_between(
        clock.local_date(case.received_at), today
    )
    case.promised_answer_date = estimate
    late = today > case.screening_due
    verdict = (
        "Alle oplysninger er modtaget."
        if not missing
        else f"Mangler {len(missing)}: " + "; ".join(item.label for item in missing) + "."
    )
    due_business = business_due or calendar.add_working_days(
        today, settings_row.business_deliverable_working_days
    )
    shared = note.strip() if share_note else ""
    if missing:
        told = gettext_noop(
            "Vi har gennemgået jeres henvendelse. Vi mangler: %(missing)s. Send det senest "
            "%(due_date)s."
        )
        told_args: dict[str, object] = {
            "missing": "; ".join(item.label for item in missing),
            "due_date": due_business,
        }
    else:
        told = gettext_noop("Vi har gennemgået jeres henvendelse og har alt, vi skal bruge.")
        told_args = {}
    if shared:
        told = (
            gettext_noop(
                "Vi har gennemgået jeres henvendelse. Vi mangler: %(missing)s. Send det senest "
                "%(due_date)s. Besked fra jeres tovholder: %(note)s"
            )
            if missing
            else gettext_noop(
                "Vi har gennemgået jeres henvendelse og har alt, vi skal bruge. Besked fra "
                "jeres tovholder: %(note)s"
            )
        )
        told_args["note"] = shared
    _event(
        case,
        "screened",
        actor,
        f"Screenet {_fmt(today)}{' (efter fristen)' if late else ''}. {verdict}"
        + (
            f" {'Note til virksomheden' if shared else 'Intern note'}: {note.strip()}"
            if note.strip()
            else ""
        ),
        business_text=told,
        business_args=told_args,
        complete=not missing,
        missing=[item.key for item in missing],
        on_time=not late,
    )
    _event(
        case,
        "coordinator_appointed",
        actor,
        f"Tovholder: {chosen.display_name} ({why}).",
        business_text=gettext_noop("%(name)s er jeres tovholder på sagen."),
        business_args={"name": chosen.display_name},
        coordinator=chosen.username,
    )
    if not _is_active_coordinator(fixed):
        _make_fixed_contact(
            case, chosen, actor, reason=f"Udpeget ved screening af {case.reference}."
        )
    governing = proposal.governing
    longest = next(
        (st.name for st in service_types if governing and st.pk == governing.service_type_id), ""
    )
    why_date = (
        f"{governing.working_days if governing else 0} arbejdsdage efter screeningen "
        f"({longest} har den længste svartid; {_basis_text(governing)})"
        if confirmed == proposed
        else f"sat af tovholderen (forslag {_fmt(proposed)})"
        + (f"; begrundelse: {estimate_reason.strip()}" if estimate_reason.strip() else "")
    )
    _event(
        case,
        "estimate_set",
        actor,
        f"Forventet svar {_fmt(estimate)}: {why_date}."
        + (
            " Afdelingernes egne datoer: "
            + "; ".join(f"{st.name} {_fmt(line_dates[st.pk])}" for st in service_types)
            + "."
            if len(set(line_dates.values())) > 1
            else ""
        )
        + "".join(
            f" Svar: {st.name} sat til {_fmt(chosen_dates[st.code][0])} af tovholderen"
            + (f"; begrundelse: {chosen_dates[st.code][1]}" if chosen_dates[st.code][1] else "")
            + "."
            for st in service_types
            if st.code in chosen_dates
        ),
        business_text=gettext_noop("Vi forventer at svare jer senest %(new_date)s."),
        business_args={"new_date": estimate},
        new=estimate.isoformat(),
    )
    plan = [
        Deliverable(
            case=case,
            party=Deliverable.Party.MUNICIPALITY,
            title=f"Svar: {st.name}",
            service_type=st,
            due_date=line_dates[st.pk],
            created_at=moment,
        )
        for st in service_types
    ] + [
        Deliverable(
            case=case,
            party=Deliverable.Party.BUSINESS,
            title=f"{'Send' if item.kind == 'document' else 'Oplys'}: {item.label}",
            requirement_key=item.key,
            due_date=due_business,
            created_at=moment,
        )
        for item in missing
    ]
    Deliverable.objects.bulk_create(plan)
    _event(
        case,
        "delivery_plan",
        actor,
        f"Leveranceplan: kommunen leverer {len(service_types)}, "
        f"virksomheden {len(missing)}" + (f" (senest {_fmt(due_business)})." if missing else "."),
    )
    by_department: dict[int, list[ServiceType]] = {}
    for st in service_types:
        by_department.setdefault(st.department_id, []).append(st)
    for department_id, sts in by_department.items():
        task = Task.objects.create(case=case, department_id=department_id, created_at=moment)
        task.service_types.set(sts)
        _event(
            case,
            "task_created",
            actor,
            f"Opgave til {sts[0].department.name}: {', '.join(st.name for st in sts)}.",
            department=sts[0].department.code,
        )
    if missing:
        _set_status(case, CaseStatus.AWAITING_BUSINESS, actor, "Der mangler materiale.")
        case.paused_since = today
    else:
        _set_status(case, CaseStatus.IN_PROGRESS, actor)
    _save(
        case,
        "screened_at",
        "screened_by",
        "coordinator",
        "estimated_answer_date",
        "estimate_at_screening",
        "estimate_basis",
        "screened_on",
        "screening_working_days",
        "promised_answer_date",
        "status",
        "paused_since",
    )
    announcements.announce(CaseChanged(kind="screened", case=case.pk))
    return _reread(case)


def _basis_text(promise: promises.TypePromise | None) -> str:
    """The timeline's words for what a promise rests on."""
    if promise is None or promise.basis == promises.FIXED:
        return "ydelsens faste mål for svartid"
    if promise.basis == "national":
        return "det nationale servicemål, da historikken er for tynd"
    whose = {
        "history": "ydelsens egne",
        "group": "ydelsesgruppens",
        "combination": "de samme ydelsers fælles",
    }.get(promise.basis, "ydelsens egne")
    return (
        f"lært af {whose} {promise.cases} sager de seneste {promise.window_months} måneder, "
        f"{promise.answered} besvaret; P50 {promise.p50}, P90 {promise.p90} arbejdsdage"
    )


MAX_ADDED_PLAN_LINES = 50


@dataclass(frozen=True)
class PlanLine:
    """One line of the delivery plan (leverance) as the coordinator confirmed it at screening.

    A proposed line names what screening proposes it for: ``service_type`` (a service type's
    code: the municipality's answer) or ``requirement_key`` (a missing requirement: the
    business's material). A line naming neither is one the coordinator adds; it needs
    ``party``, ``title`` and ``due_date``. On a proposed line ``None`` keeps the proposal, so
    an answer line whose date is not set follows the estimate; ``leave_out`` drops the line
    (it is waived, and ``reason`` is required).
    """

    service_type: str = ""
    requirement_key: str = ""
    party: str = ""
    title: str | None = None
    due_date: dt.date | str | None = None
    leave_out: bool = False
    reason: str = ""

    @property
    def added(self) -> bool:
        return not (self.service_type or self.requirement_key)

    @property
    def source(self) -> tuple[str, str]:
        if self.service_type:
            return ("service_type", self.service_type)
        return ("requirement", self.requirement_key)


@dataclass(frozen=True)
class _PlanEdit:
    """A plan line that passed validation: what to apply once the case is screened."""

    line: PlanLine
    title: str | None
    due_date: dt.date | None
    reason: str

    @property
    def changes(self) -> bool:
        """A proposed line kept, with a new title or date (may equal the proposal)."""
        return not (self.line.added or self.line.leave_out) and (
            self.title is not None or self.due_date is not None
        )


def _check_plan_line_date(value: object, at: str, errors: dict[str, str]) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        errors[f"{at}.due_date"] = "Angiv, hvornår det skal leveres."
        return None
    day = _collect(errors, lambda v: _parse_date(v, f"{at}.due_date"), value)
    if day is not None and day < clock.today():
        errors[f"{at}.due_date"] = "Datoen kan ikke ligge i fortiden."
        return None
    return day


def _check_plan(case: Case, plan: list[PlanLine], errors: dict[str, str]) -> list[_PlanEdit]:
    """Validate the confirmed plan against what screening will propose, all lines at once.

    ``case`` must be read with its relations (``_lock``). Errors are keyed
    ``plan.<index>.<field>`` after the line's place in ``plan``.
    """
    proposed: dict[tuple[str, str], str] = {
        ("service_type", st.code): Deliverable.Party.MUNICIPALITY for st in case.service_types.all()
    }
    proposed.update(
        {("requirement", item.key): Deliverable.Party.BUSINESS for item in case_missing(case)}
    )
    if sum(1 for line in plan if line.added) > MAX_ADDED_PLAN_LINES:
        errors["plan"] = f"Tilføj højst {MAX_ADDED_PLAN_LINES} nye linjer ad gangen."
    seen: set[tuple[str, str]] = set()
    edits: list[_PlanEdit] = []
    for index, line in enumerate(plan):
        at = f"plan.{index}"
        if line.added:
            if line.leave_out:
                continue  # an added line left out is simply not added
            if line.party not in Deliverable.Party.values:
                errors[f"{at}.party"] = "Vælg, hvem der leverer: kommunen eller virksomheden."
        else:
            if (line.service_type and line.requirement_key) or line.source not in proposed:
                errors[at] = "Linjen findes ikke i forslaget til leveranceplan."
                continue
            if line.source in seen:
                errors[at] = "Linjen står to gange i leveranceplanen."
                continue
            seen.add(line.source)
            if line.party and line.party != proposed[line.source]:
                errors[f"{at}.party"] = "En foreslået linje kan ikke skifte part."
        reason = line.reason.strip() if isinstance(line.reason, str) else ""
        if len(reason) > MAX_REASON:
            errors[f"{at}.reason"] = f"Begrundelsen må højst være {MAX_REASON} tegn."
        if line.leave_out:
            if not reason:
                errors[f"{at}.reason"] = "Skriv, hvorfor linjen udelades."
            edits.append(_PlanEdit(line, None, None, reason))
            continue
        title: str | None = None
        if line.added or line.title is not None:
            title = line.title.strip() if isinstance(line.title, str) else ""
            if not title:
                errors[f"{at}.title"] = "Skriv, hvad der skal leveres."
            elif len(title) > 250:
                errors[f"{at}.title"] = "Teksten må højst være 250 tegn."
        day = None
        if line.added or line.due_date is not None:
            day = _check_plan_line_date(line.due_date, at, errors)
        edits.append(_PlanEdit(line, title, day, reason))
    return edits


def _apply_plan(case: Case, actor: User, edits: list[_PlanEdit]) -> None:
    """Apply the confirmed plan to the just screened case through the deliverable services,
    so the timeline shows each change with its reason, as when the plan is edited later.

    Lines left out are waived last: waiving the last missing requirement makes the case
    fully informed and resumes it, and that should follow the other changes.
    """
    codes = {st.pk: st.code for st in case.service_types.all()}
    lines: dict[tuple[str, str], Deliverable] = {}
    for deliverable in case.deliverables.all():
        if deliverable.status != Deliverable.Status.PENDING:
            continue
        if deliverable.service_type_id in codes:
            lines[("service_type", codes[deliverable.service_type_id])] = deliverable
        elif deliverable.requirement_key:
            lines[("requirement", deliverable.requirement_key)] = deliverable
    for edit in edits:
        if edit.changes:
            deliverable_change(
                deliverable=lines[edit.line.source],
                actor=actor,
                title=edit.title,
                due_date=edit.due_date,
                reason=edit.reason or "Ændret ved screeningen.",
                tell_business=False,
            )
    for edit in edits:
        if edit.line.added:
            assert edit.title is not None and edit.due_date is not None
            deliverable_add(
                case=case,
                actor=actor,
                party=edit.line.party,
                title=edit.title,
                due_date=edit.due_date,
                reason=edit.reason or "Tilføjet ved screeningen.",
                tell_business=edit.line.party == Deliverable.Party.BUSINESS,
            )
    for edit in edits:
        if edit.line.leave_out and not edit.line.added:
            deliverable_waive(
                deliverable=lines[edit.line.source],
                actor=actor,
                reason=edit.reason,
                tell_business=False,
            )


@transaction.atomic
def case_screen_checked(
    *,
    case: Case,
    actor: User,
    coordinator: User | str | None = None,
    note: str = "",
    estimate: dt.date | str | None = None,
    estimate_reason: str = "",
    business_due: dt.date | str | None = None,
    plan: list[PlanLine] | None = None,
    expected_version: int | None = None,
    share_note: bool = False,
) -> Case:
    """Screen as the workbench's screening view was confirmed, in one transaction.

    The case must be the version the coordinator saw. Each answer line proposes its own
    department's date; an answer line whose date the coordinator set in ``plan`` keeps it, and
    the case's estimate is the latest line kept — unless the coordinator edited the estimate
    (with a reason, for staff): then it is that date, and the lines at the proposed latest
    date take it. What the coordinator confirms is the promise (no "moved" date the business
    was never given). ``business_due`` is the deadline for the business's lines whose date
    ``plan`` does not set. ``plan`` edits the proposed delivery plan (see ``PlanLine``); the
    business reads the screening's result and the lines added for it, not each edit.
    Everything is validated before anything is written, and all errors are reported at once.
    """
    _require_coordinating(actor, "screene henvendelser", case)
    locked = _lock(case)
    _expect_version(locked, expected_version)
    errors: dict[str, str] = {}
    days: dict[str, dt.date | None] = {}
    for field, value in (("estimate", estimate), ("business_due", business_due)):
        day = None
        if value is not None and value != "":
            try:
                day = _parse_date(value, field)
            except ValidationFailed as error:
                errors.update(error.errors)
        if day is not None and day < clock.today():
            errors[field] = "Datoen kan ikke ligge i fortiden."
            day = None
        days[field] = day
    # A case that is no longer waiting for screening is refused by case_screen below.
    edits = _check_plan(locked, plan or [], errors) if locked.status == CaseStatus.RECEIVED else []
    if errors:
        messages = list(errors.values())
        raise ValidationFailed(
            messages[0] if len(messages) == 1 else "Screeningen er ikke udfyldt korrekt.",
            errors=errors,
        )
    # The departments' own dates the coordinator set go on the answer lines as they are
    # made; the case's estimate is then the latest line kept, unless set by hand.
    answer_dates = {
        edit.line.service_type: (edit.due_date, edit.reason)
        for edit in edits
        if edit.line.service_type and edit.due_date is not None and not edit.line.leave_out
    }
    explicit = days["estimate"]
    estimate_day = explicit
    if explicit is None and (answer_dates or any(e.line.leave_out for e in edits)):
        service_types = list(locked.service_types.all())
        proposal = promises.propose(clock.today(), service_types, working_calendar())
        kept = [
            answer_dates[st.code][0] if st.code in answer_dates else proposal.line_dates[st.pk]
            for st in service_types
            if not any(e.line.leave_out and e.line.service_type == st.code for e in edits)
        ]
        estimate_day = max(kept) if kept else None
    screened = case_screen(
        case=locked,
        actor=actor,
        coordinator=coordinator,
        note=note,
        share_note=share_note,
        estimate=estimate_day,
        estimate_reason=estimate_reason,
        business_due=days["business_due"],
        answer_dates=answer_dates,
    )
    edits = [
        replace(edit, due_date=None) if edit.line.service_type in answer_dates else edit
        for edit in edits
    ]
    edits = [edit for edit in edits if edit.line.added or edit.line.leave_out or edit.changes]
    if edits:
        screened = case_queryset(user=_SYSTEM, with_timeline=False).get(pk=screened.pk)
        _apply_plan(screened, actor, edits)
        screened = case_queryset(user=_SYSTEM).get(pk=screened.pk)
    return screened
