"""Parsing what a person typed into the values the services take, and back again.

The portal checks nothing the domain checks: a value it cannot read (``"tolv"`` for a number)
is passed on as typed, and the service's Danish message is shown at the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from erhvervskontakt.cases.rules import UNKNOWN
from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.common.errors import DomainError
from erhvervskontakt.web.labels import (
    choice_label,
    requirement_label,
    service_type_name,
)

_INTEGER = re.compile(r"-?\d+")
_DANISH_THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
_DECIMAL = re.compile(r"-?\d+([.,]\d+)?")


def parse_number(text: str) -> int | float | str:
    """``"1.200"`` (Danish thousands), ``"12,5"`` and ``"12.5"`` as numbers; else the text."""
    candidate = text.replace(" ", "").replace("\u00a0", "")
    if _INTEGER.fullmatch(candidate):
        return int(candidate)
    if _DANISH_THOUSANDS.fullmatch(candidate):
        candidate = candidate.replace(".", "")
        return int(candidate) if "," not in candidate else float(candidate.replace(",", "."))
    if _DECIMAL.fullmatch(candidate):
        return float(candidate.replace(",", "."))
    return text


def parse_answer(value_type: str, raw: str) -> Any:
    """One answer as the service takes it; ``""`` means not answered."""
    text = (raw or "").strip()
    if not text:
        return ""
    if value_type == Requirement.Type.NUMBER:
        return parse_number(text)
    if value_type == Requirement.Type.BOOLEAN:
        return {"ja": True, "nej": False}.get(text, text)
    return text


def input_name(key: str) -> str:
    return f"answer-{key}"


def input_id(key: str) -> str:
    """The id of a requirement's field (the first radio of a group): the anchor links use it."""
    return f"krav-{key}"


def unknown_name(key: str) -> str:
    """The "Ved ikke" checkbox beside a typed field (a radio group has it as a choice)."""
    return f"answer-{key}-ved-ikke"


def _posted(post: QueryDict, requirement: Requirement) -> str | None:
    """What the form carried for one question, as text; None when its field was not there.

    A typed value wins over a ticked "Ved ikke"; "Ved ikke" only counts where the catalogue
    allows it.
    """
    name = input_name(requirement.key)
    if requirement.kind != Requirement.Kind.FIELD or name not in post:
        return None
    typed = post.get(name, "")
    if (
        requirement.may_be_unknown
        and not typed.strip()
        and post.get(unknown_name(requirement.key)) == UNKNOWN
    ):
        return UNKNOWN
    return typed


def answers_from_post(post: QueryDict, requirements: Iterable[Requirement]) -> dict[str, Any]:
    """The answers the form carried (fields present in the POST only), parsed per type."""
    found = {}
    for requirement in requirements:
        text = _posted(post, requirement)
        if text is None:
            continue
        if text == UNKNOWN and requirement.may_be_unknown:
            found[requirement.key] = UNKNOWN
        else:
            found[requirement.key] = parse_answer(requirement.value_type, text)
    return found


def raw_answers_from_post(post: QueryDict, requirements: Iterable[Requirement]) -> dict[str, str]:
    """What was typed, by field id, to put back into the form after an error."""
    found = {}
    for requirement in requirements:
        text = _posted(post, requirement)
        if text is not None:
            found[input_id(requirement.key)] = text
    return found


def contact_from_post(post: QueryDict) -> dict[str, str]:
    return {
        "name": post.get("contact_name", ""),
        "email": post.get("contact_email", ""),
        "phone": post.get("contact_phone", ""),
    }


# --- errors --------------------------------------------------------------------------------

_FIELD_IDS = {
    "service_types": "ydelser",
    "description": "beskrivelse",
    "contact": "kontakt-navn",
    "contact.name": "kontakt-navn",
    "contact.email": "kontakt-email",
    "contact.phone": "kontakt-telefon",
    "body": "besked",
    "answers": None,
}


@dataclass
class FormErrors:
    """Errors to show: by field id (in order, for the error summary) and without a field."""

    fields: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    def add(self, field_id: str | None, message: str) -> None:
        if field_id is None:
            if message not in self.general:
                self.general.append(message)
        else:
            self.fields.setdefault(field_id, message)

    def add_domain_error(self, error: DomainError, *, file_field: str | None = None) -> None:
        """Put a service's errors at the fields they concern; the rest at the top."""
        if not error.errors:
            self.add(None, error.message)
            return
        for key, message in error.errors.items():
            self.add(field_id_for(key, file_field=file_field), message)

    def get(self, field_id: str) -> str:
        return self.fields.get(field_id, "")


def field_id_for(key: str, *, file_field: str | None = None) -> str | None:
    """The form field a service error key (``answers.areal``, ``contact.email``) belongs to."""
    if key.startswith("answers."):
        return input_id(key.removeprefix("answers."))
    if key in ("file", "requirement"):
        return file_field
    return _FIELD_IDS.get(key)


# --- questions -------------------------------------------------------------------------------


@dataclass
class Choice:
    value: str
    label: str
    id: str
    checked: bool


@dataclass
class Question:
    """One requirement as a form field: everything the field template needs."""

    key: str
    id: str
    name: str
    label: str
    hint: str
    kind: str
    value_type: str
    mandatory: bool
    value: str = ""
    error: str = ""
    asked_by: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    # the catalogue allows "Ved ikke" (a radio group has it as its last choice)
    may_be_unknown: bool = False
    unknown: bool = False

    @property
    def widget(self) -> str:
        if self.kind == Requirement.Kind.DOCUMENT:
            return "file"
        if self.value_type == Requirement.Type.BOOLEAN:
            return "radios"
        if self.value_type == Requirement.Type.CHOICE:
            offered = [c for c in self.choices if c.value != UNKNOWN]
            return "radios" if len(offered) <= 6 else "select"
        return {"number": "number", "date": "date"}.get(self.value_type, "text")

    @property
    def unknown_id(self) -> str:
        return f"{self.id}-ved-ikke"

    @property
    def unknown_name(self) -> str:
        return unknown_name(self.key)

    @property
    def unknown_value(self) -> str:
        return UNKNOWN


def build_questions(
    requirements: Iterable[Requirement],
    *,
    values: Mapping[str, str],
    errors: FormErrors,
    asked_by: Mapping[str, list[str]] | None = None,
) -> list[Question]:
    """Form fields for requirements; ``values`` by field id (typed or stored, as text)."""
    questions = []
    for requirement in requirements:
        field_id = input_id(requirement.key)
        value = values.get(field_id, "")
        may_be_unknown = requirement.kind == Requirement.Kind.FIELD and requirement.may_be_unknown
        unknown = may_be_unknown and value == UNKNOWN
        question = Question(
            key=requirement.key,
            id=field_id,
            name=input_name(requirement.key),
            label=requirement_label(requirement),
            hint=requirement.help_text,
            kind=requirement.kind,
            value_type=requirement.value_type,
            mandatory=requirement.mandatory,
            value=value,
            error=errors.get(field_id),
            asked_by=list((asked_by or {}).get(requirement.key, [])),
            may_be_unknown=may_be_unknown,
            unknown=unknown,
        )
        if requirement.value_type == Requirement.Type.BOOLEAN:
            options = [("ja", _("Ja")), ("nej", _("Nej"))]
        elif requirement.value_type == Requirement.Type.CHOICE:
            options = [
                (str(c.get("value")), choice_label(c))
                for c in requirement.choices
                if isinstance(c, dict)
            ]
        else:
            options = []
        if options and may_be_unknown:
            options.append((UNKNOWN, _("Ved ikke – vi hjælper jer")))
        elif unknown:
            question.value = ""  # the typed field stays empty; its checkbox is ticked
        question.choices = [
            Choice(
                value=option,
                label=label,
                id=(
                    field_id
                    if index == 0
                    else question.unknown_id
                    if option == UNKNOWN
                    else f"{field_id}-{index + 1}"
                ),
                checked=value == option,
            )
            for index, (option, label) in enumerate(options)
        ]
        questions.append(question)
    return questions


# --- what the case pages list ----------------------------------------------------------------


@dataclass(frozen=True)
class MissingRow:
    """A missing item as the page shows it (in the page's language), with its field's id."""

    key: str
    label: str
    kind: str
    # answered on the page, but with a value the rules refused: to be corrected at the field
    to_correct: bool = False

    @property
    def id(self) -> str:
        return input_id(self.key)

    @property
    def is_document(self) -> bool:
        return self.kind == Requirement.Kind.DOCUMENT


def missing_rows(
    missing: Iterable[Any],
    requirements: Mapping[str, Requirement],
    errors: FormErrors | None = None,
) -> list[MissingRow]:
    """The missing items; with the errors of the submit just made, as the page now stands:
    a mandatory answer refused at its field is still missing, "to correct", even if an
    earlier answer to it is stored."""
    refused = {
        key
        for key, requirement in requirements.items()
        if errors is not None and errors.get(input_id(key)) and requirement.mandatory
    }
    rows = []
    for item in missing:
        requirement = requirements.get(item.key)
        label = requirement_label(requirement) if requirement is not None else item.label
        rows.append(
            MissingRow(key=item.key, label=label, kind=item.kind, to_correct=item.key in refused)
        )
    listed = {row.key for row in rows}
    for key in sorted(refused - listed, key=list(requirements).index):
        requirement = requirements[key]
        rows.append(
            MissingRow(
                key=key,
                label=requirement_label(requirement),
                kind=requirement.kind,
                to_correct=True,
            )
        )
    return rows


def _english() -> bool:
    return (get_language() or "da").startswith("en")


def deliverable_title(
    deliverable: Any,
    requirements: Mapping[str, Requirement],
    service_types: Iterable[ServiceType],
) -> str:
    """The deliverable's title; on an English page rebuilt from the catalogue's English words."""
    if not _english():
        return str(deliverable.title)
    requirement = requirements.get(deliverable.requirement_key or "")
    if requirement is not None:
        label = requirement_label(requirement)
        if requirement.kind == Requirement.Kind.DOCUMENT:
            return _("Send: %(label)s") % {"label": label}
        return _("Oplys: %(label)s") % {"label": label}
    for service_type in service_types:
        if service_type.pk == deliverable.service_type_id:
            return _("Svar: %(name)s") % {"name": service_type_name(service_type)}
    return str(deliverable.title)
