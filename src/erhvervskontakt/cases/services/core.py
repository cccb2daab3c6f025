"""What the case services share: timeline events, access checks, the row lock, status
changes, saving with a new version, dates as a Dane writes them, field errors collected, and
the workbench's check that the case is still the version the person saw
(``case_update_checked``). Imports nothing from the other modules of the package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import formats, translation
from django.utils.translation import gettext_noop

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Membership
from erhvervskontakt.common import clock
from erhvervskontakt.common.errors import (
    Forbidden,
    IllegalTransition,
    NotFound,
    StaleVersion,
    ValidationFailed,
)

from ..models import (
    OPEN_STATUSES,
    TRANSITIONS,
    Case,
    CaseStatus,
    Channel,
    Deliverable,
    Event,
    Task,
    task_due_expression,
)

T = TypeVar("T")


# --- small helpers -----------------------------------------------------------------------


def _event(
    case: Case,
    kind: str,
    actor: User | None,
    text: str,
    *,
    business_text: str = "",
    business_args: dict[str, Any] | None = None,
    internal: bool = False,
    **data: Any,
) -> Event:
    """A timeline entry: ``text`` is the full log staff read; ``business_text`` is what the
    business reads in its case history, written for it (empty: the business does not see
    the event). See ``business_line`` for ``business_args``. ``internal``: an entry about
    something only staff see (an internal note, a task's result)."""
    line, kept = business_line(business_text, business_args)
    return Event.objects.create(
        case=case,
        at=clock.now(),
        kind=kind,
        actor=actor,
        text=text,
        business_text=line,
        business_data=kept,
        data=data,
        internal=internal,
    )


def business_line(template: str, args: dict[str, Any] | None) -> tuple[str, dict[str, Any]]:
    """The business's line of a timeline entry, in Danish, and what to keep to show it in
    the business's language later.

    With ``args`` the template is a message id with ``%(name)s`` places (mark it with
    ``gettext_noop`` so it is translated): the Danish line is stored for search and the
    record, and the message id and arguments are kept (``Event.business_data``), so the portal
    renders it translated (``web.labels.business_history_line``).
    """
    if not template or args is None:
        return template, {}
    kept = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in args.items()}
    dates = sorted(k for k, v in args.items() if isinstance(v, dt.date))
    with translation.override("da"):
        shown = {
            k: formats.date_format(v, "j. F Y") if isinstance(v, dt.date) else v
            for k, v in args.items()
        }
    return template % shown, {"msgid": template, "args": kept, "dates": dates}


def _require_staff(actor: User, action: str) -> None:
    if not (actor.is_active and actor.is_staff):
        raise Forbidden(f"Kun kommunens medarbejdere kan {action}.")


def can_coordinate(actor: User) -> bool:
    """Coordinators, heads of unit and administrators screen and drive cases."""
    return bool(
        actor.is_active
        and actor.is_staff
        and (actor.is_coordinator or actor.is_head_of_unit or actor.is_superuser)
    )


def _require_coordinating(actor: User, action: str, case: Case | None = None) -> None:
    """What only those who drive cases may do (screen, change the coordinator or the promised
    date, close), whichever interface asks: the workbench's buttons and the API alike. The
    inspector of an inspection visit drives that visit's case (it closes it after the
    follow-up)."""
    _require_staff(actor, action)
    if can_coordinate(actor):
        return
    if (
        case is not None
        and case.channel == Channel.INSPECTION
        and case.tasks.filter(assignee=actor).exists()
    ):
        return
    raise Forbidden(f"Kun tovholdere kan {action}.")


def _require_access(case: Case, actor: User) -> None:
    """Defence in depth: interfaces read through visible_to, services check again."""
    if actor.is_staff and actor.is_active:
        return
    member = Membership.objects.filter(
        user=actor, business_id=case.business_id, active=True
    ).exists()
    if not (actor.is_active and member):
        raise NotFound(f"Sagen {case.reference} findes ikke.")


def _lock(case: Case) -> Case:
    """Re-read the case row under a row lock (PostgreSQL; SQLite's IMMEDIATE mode
    serialises), with its business and coordinator. Its other relations are read when the
    service asks for them, inside the lock: a write reads only what it needs (the simulator's
    national year spent a sixth of its time prefetching seven relations per write)."""
    return _case_row().select_for_update(of=("self",)).get(pk=case.pk)


def _case_row() -> QuerySet[Case]:
    """A case's own row with its business and coordinator (what ``_lock`` and ``_reread``
    read)."""
    return Case.objects.select_related("business", "coordinator")


def _reread(case: Case) -> Case:
    """The case as a write service leaves it, for its caller: the row with its business and
    coordinator. Its relations load when the caller reads them; what shows a case reads it
    through the selectors (``case_queryset``), so a write prefetches nothing nobody reads."""
    return _case_row().get(pk=case.pk)


class _System:
    """A reader who sees everything, for services that already checked access."""

    is_authenticated = True
    is_active = True
    is_staff = True


_SYSTEM: Any = _System()


def _set_status(case: Case, new: str, actor: User | None, why: str = "") -> None:
    old = case.status
    if new not in TRANSITIONS[old]:
        raise IllegalTransition(
            f"En sag med status »{CaseStatus(old).label}« kan ikke få status "
            f"»{CaseStatus(new).label}«."
        )
    case.status = new
    text = f"Status: {CaseStatus(old).label} → {CaseStatus(new).label}."
    if why:
        text += f" {why}"
    told: dict[str, str] = {
        CaseStatus.CLOSED: gettext_noop("Sagen er afsluttet."),
        CaseStatus.WITHDRAWN: gettext_noop("Henvendelsen er trukket tilbage."),
    }
    _event(
        case,
        "status_changed",
        actor,
        text,
        business_text=told.get(new, ""),
        business_args={} if new in told else None,
        old=old,
        new=new,
    )


def _save(case: Case, *fields: str) -> None:
    """Store a change to the case: a new version (the ETag and the forms' check), and its
    tasks' dates recomputed, since the change may have moved the estimate or a line of the
    delivery plan."""
    case.version = F("version") + 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    case.refresh_from_db(fields=["version"])
    _refresh_task_dues(case)


def _refresh_task_dues(case: Case) -> None:
    """``Task.due_date`` of the case's tasks, from its delivery plan and estimate as they
    now stand (one UPDATE)."""
    Task.objects.filter(case_id=case.pk).update(due_date=task_due_expression())


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "—"


def _collect(errors: dict[str, str], clean: Callable[[Any], T], value: Any) -> T | None:
    """Run one check; on failure add its field errors, so all are reported at once."""
    try:
        return clean(value)
    except ValidationFailed as error:
        errors.update(error.errors)
        return None


def _move_municipality_deliverables(case: Case, before: dt.date, after: dt.date) -> None:
    Deliverable.objects.filter(
        case=case,
        party=Deliverable.Party.MUNICIPALITY,
        status=Deliverable.Status.PENDING,
        due_date=before,
    ).update(due_date=after)


# --- workbench ---------------------------------------------------------------------------
#
# Staff edits from the workbench. Each takes the ``expected_version`` of the case (or task)
# the person saw: when someone else saved in between, the change is refused with
# StaleVersion (a Conflict) and nothing is written, so the second of two concurrent edits never silently wins.

STALE_CASE = (
    "Sagen er ændret af en anden, siden du åbnede den – genindlæs siden og prøv igen. "
    "Det, du skrev, er bevaret nedenfor."
)
STALE_TASK = "Opgaven er ændret af en anden, siden du åbnede den – genindlæs siden og prøv igen."
MAX_REASON = 500


def _expect_version(case: Case, expected_version: int | None) -> None:
    """Refuse when the (locked) case is no longer the version the user saw."""
    if expected_version is not None and case.version != expected_version:
        raise StaleVersion(STALE_CASE, current=case.version, errors={"version": STALE_CASE})


def _clean_reason(reason: object, *, required: bool = True) -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if required and not text:
        raise ValidationFailed.field("reason", "Skriv en begrundelse.")
    if len(text) > MAX_REASON:
        raise ValidationFailed.field("reason", f"Begrundelsen må højst være {MAX_REASON} tegn.")
    return text


def _require_open(case: Case, what: str) -> None:
    if case.status not in OPEN_STATUSES:
        raise IllegalTransition(
            f"Sagen er {CaseStatus(case.status).label.lower()}; {what} kan ikke ændres."
        )


@transaction.atomic
def case_update_checked(
    *, case: Case, expected_version: int | None, change: Callable[[Case], T]
) -> T:
    """Run one case service only if the case is still the version the user saw.

    The row is locked first, so no other writer can slip in between the check and the
    change; ``change`` (a service call) runs in the same transaction.
    """
    locked = _lock(case)
    _expect_version(locked, expected_version)
    return change(locked)


def _parse_date(value: object, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise ValidationFailed.field(field, "Angiv en dato, fx 2026-12-01.") from error
