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
from typing import Any, Protocol

from erhvervskontakt.calendar.workdays import WorkingCalendar
from erhvervskontakt.common.clock import local_date
from erhvervskontakt.common.errors import ValidationFailed


class RequirementLike(Protocol):
    key: str
    label: str
    kind: str
    value_type: str
    mandatory: bool

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


def clean_answer(requirement: RequirementLike, value: Any) -> Any:
    """The value in its stored form; ValueError saying what is wrong (in Danish) otherwise."""
    name = requirement.label
    kind = requirement.value_type
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"Svaret på »{name}« er tomt.")
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
    if answers is None:
        return {}
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
    if errors:
        raise ValidationFailed("Nogle svar kan ikke bruges.", errors=errors)
    return cleaned
