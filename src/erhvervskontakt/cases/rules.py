"""The case rules as pure functions: dates, completeness, answer validation.

No database here, so the rules can be tested (and property-tested) directly; the services
feed them what they have read and store what they return.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.common.clock import local_date
from erhvervskontakt.common.errors import ValidationFailed


class RequirementLike(Protocol):
    key: str
    label: str
    kind: str
    value_type: str
    mandatory: bool
    may_be_unknown: bool

    @property
    def choice_values(self) -> list[str]: ...


class ServiceTypeLike(Protocol):
    code: str
    target_working_days: int
    service_target_days: int | None


@dataclass(frozen=True)
class MissingItem:
    """A mandatory requirement of the case that has no answer or document yet."""

    service_type: str
    key: str
    label: str
    kind: str


def screening_due(
    received_at: dt.datetime, calendar: WorkingCalendar, working_days: int
) -> dt.date:
    """N working days after the local (Europe/Copenhagen) date of receipt."""
    return calendar.add_working_days(local_date(received_at), working_days)


def answer_estimate(
    screened_on: dt.date, service_types: Iterable[ServiceTypeLike], calendar: WorkingCalendar
) -> dt.date:
    """Screening date plus the largest target among the case's service types (working days).

    Departments work in parallel, so the slowest service type sets the date.
    """
    longest = max((st.target_working_days for st in service_types), default=0)
    return calendar.add_working_days(screened_on, longest)


def service_type_answer_date(
    screened_on: dt.date, service_type: ServiceTypeLike, calendar: WorkingCalendar
) -> dt.date:
    """The date one service type's department answers by: the screening date plus that
    service type's own target (working days). The case's estimate is the latest of them."""
    return calendar.add_working_days(screened_on, service_type.target_working_days)


def service_target_days(service_types: Iterable[ServiceTypeLike]) -> int | None:
    """The national service target that governs the case: the longest one it has, if any."""
    targets = [st.service_target_days for st in service_types if st.service_target_days]
    return max(targets) if targets else None


def service_target_date(
    fully_informed_on: dt.date | None, target_days: int | None, waiting_days: int
) -> dt.date | None:
    """Calendar days from fully informed, with days spent waiting for the business added."""
    if fully_informed_on is None or target_days is None:
        return None
    return fully_informed_on + dt.timedelta(days=target_days + waiting_days)


def mandatory_requirements(
    service_types: Sequence[tuple[str, Sequence[RequirementLike]]],
) -> dict[str, tuple[str, RequirementLike]]:
    """Mandatory requirements by key, each once, with the first service type that asks it."""
    found: dict[str, tuple[str, RequirementLike]] = {}
    for code, requirements in service_types:
        for requirement in requirements:
            if requirement.mandatory and requirement.key not in found:
                found[requirement.key] = (code, requirement)
    return found


def missing_items(
    service_types: Sequence[tuple[str, Sequence[RequirementLike]]],
    answered: Iterable[str],
    documented: Iterable[str],
    waived: Iterable[str] = (),
) -> list[MissingItem]:
    """Mandatory requirements with no answer (fields) or no document (documents)."""
    have_answer, have_document, not_needed = set(answered), set(documented), set(waived)
    missing = []
    for key, (code, requirement) in mandatory_requirements(service_types).items():
        if key in not_needed:
            continue
        satisfied = have_document if requirement.kind == "document" else have_answer
        if key not in satisfied:
            missing.append(MissingItem(code, key, requirement.label, requirement.kind))
    return missing


def requirements_by_key(
    service_types: Sequence[tuple[str, Sequence[RequirementLike]]],
) -> dict[str, RequirementLike]:
    """Every requirement of the case by key; a key asked twice is one question."""
    found: dict[str, RequirementLike] = {}
    for _, requirements in service_types:
        for requirement in requirements:
            current = found.get(requirement.key)
            if current is None or (requirement.mandatory and not current.mandatory):
                found[requirement.key] = requirement
    return found


MAX_TEXT = 5000
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# The stored answer "we don't know" to a question the catalogue marks ``may_be_unknown``:
# the question is answered (nothing is missing), and the coordinator settles it at screening.
UNKNOWN = "ved-ikke"


def is_unknown(value: Any) -> bool:
    """Whether a stored answer is the business's "Ved ikke"."""
    return isinstance(value, str) and value == UNKNOWN


def clean_answer(requirement: RequirementLike, value: Any) -> Any:
    """The value in its stored form; ValueError saying what is wrong (in Danish) otherwise."""
    name = requirement.label
    kind = requirement.value_type
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"Svaret på »{name}« er tomt.")
    if requirement.may_be_unknown and is_unknown(value):
        return UNKNOWN
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError(f"»{name}« skal besvares med tekst.")
        text = value.strip()
        if len(text) > MAX_TEXT:
            raise ValueError(f"»{name}« må højst være {MAX_TEXT} tegn.")
        return text
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"»{name}« skal besvares med et tal.")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"»{name}« skal besvares med et endeligt tal.")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError(f"»{name}« skal besvares med ja (true) eller nej (false).")
        return value
    if kind == "date":
        if not isinstance(value, str) or not ISO_DATE.match(value.strip()):
            raise ValueError(f"»{name}« skal være en gyldig dato som ÅÅÅÅ-MM-DD.")
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise ValueError(f"»{name}« skal være en gyldig dato som ÅÅÅÅ-MM-DD.") from None
    if kind == "choice":
        allowed = requirement.choice_values
        if not isinstance(value, str) or value not in allowed:
            raise ValueError(f"»{name}« skal være en af: {', '.join(allowed)}.")
        return value
    raise ValueError(f"»{name}« har en ukendt type.")


def clean_answers(
    answers: object, requirements: Mapping[str, RequirementLike], *, field: str = "answers"
) -> dict[str, Any]:
    """Validate a whole ``{key: value}`` answer set; all errors at once, nothing half-kept."""
    cleaned, errors = sort_answers(answers, requirements, field=field)
    if errors:
        raise ValidationFailed("Nogle svar kan ikke bruges.", errors=errors)
    return cleaned


def sort_answers(
    answers: object, requirements: Mapping[str, RequirementLike], *, field: str = "answers"
) -> tuple[dict[str, Any], dict[str, str]]:
    """The usable answers in their stored form, and what is wrong with each of the others
    (by ``answers.<key>``): a form keeps the good ones while the person corrects the rest."""
    if answers is None:
        return {}, {}
    if not isinstance(answers, dict):
        raise ValidationFailed.field(field, "Svarene skal være et objekt {nøgle: værdi}.")
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, value in answers.items():
        requirement = requirements.get(key)
        if requirement is None:
            errors[f"{field}.{key}"] = f"Ydelserne på sagen spørger ikke om »{key}«."
            continue
        if requirement.kind == "document":
            errors[f"{field}.{key}"] = f"»{requirement.label}« er et dokument: upload det."
            continue
        try:
            cleaned[key] = clean_answer(requirement, value)
        except ValueError as error:
            errors[f"{field}.{key}"] = str(error)
    return cleaned, errors


# --- department tasks: who may do what -----------------------------------------------------


class StaffLike(Protocol):
    pk: Any
    is_active: bool
    is_staff: bool
    is_superuser: bool
    is_coordinator: bool
    is_head_of_unit: bool
    department_id: int | None


TASK_CLAIM, TASK_ASSIGN, TASK_COMPLETE, TASK_REOPEN = "claim", "assign", "complete", "reopen"
_TASK_WORKING = ("open", "in_progress")


def works_for_department(user: StaffLike, department_id: int) -> bool:
    """Whose work a department's task may be: its own staff, coordinators, heads, admins."""
    return bool(
        user.is_superuser
        or user.is_coordinator
        or user.is_head_of_unit
        or user.department_id == department_id
    )


def task_actions(
    user: StaffLike, *, department_id: int, status: str, assignee_id: int | None
) -> frozenset[str]:
    """What ``user`` may do with a department task as it stands: the workbench shows these
    buttons and no others, and the task services refuse anything else with the same rule.

    A task still being worked on may be completed or given to a colleague, and taken unless
    it already is the user's and in progress; a done task may be reopened. Cancelled tasks
    and other departments' tasks (for a plain caseworker) offer nothing.
    """
    if not (user.is_active and user.is_staff and works_for_department(user, department_id)):
        return frozenset()
    if status in _TASK_WORKING:
        taken = status == "in_progress" and assignee_id is not None and assignee_id == user.pk
        return frozenset(
            {TASK_ASSIGN, TASK_COMPLETE} if taken else {TASK_CLAIM, TASK_ASSIGN, TASK_COMPLETE}
        )
    if status == "done":
        return frozenset({TASK_REOPEN})
    return frozenset()


class LineLike(Protocol):
    party: str
    status: str
    service_type_id: int | None


L = TypeVar("L", bound=LineLike)


def pending_answer_lines(lines: Iterable[L], service_type_ids: Iterable[int]) -> list[L]:
    """A department's municipal answer lines (``Svar: <service type>``) of the delivery plan
    still pending: the municipality's lines for the task's service types."""
    ids = set(service_type_ids)
    return [
        line
        for line in lines
        if line.party == "municipality" and line.status == "pending" and line.service_type_id in ids
    ]
