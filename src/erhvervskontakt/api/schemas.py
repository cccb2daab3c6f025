"""Request and response shapes of REST API v1 (the OpenAPI document is built from them)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError


def _storable(value: Any) -> Any:
    """Refuse text no database can store: NUL (PostgreSQL) and lone surrogates (UTF-8).

    Checked at the API's edge, like Django forms' ProhibitNullCharactersValidator, so such
    input is a 422 on every database instead of a 500 on some.
    """
    if isinstance(value, str):
        if "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value):
            raise PydanticCustomError(
                "unstorable_text", "Teksten indeholder tegn, der ikke kan bruges (fx NUL)."
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _storable(key)
            _storable(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _storable(item)
    return value


# A path or query parameter that reaches a database lookup.
Text = Annotated[str, AfterValidator(_storable)]


def _in_utc(value: dt.datetime) -> dt.datetime:
    """The same instant in UTC: ISO 8601 allows offsets up to ±23:59, PostgreSQL ±15:59."""
    if value.tzinfo is None:
        return value  # the service says a time zone is needed
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise PydanticCustomError("datetime_range", "Tidspunktet findes ikke i UTC.") from None


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        return _storable(value)


class ErrorOut(Schema):
    detail: str
    code: str
    errors: dict[str, str] = {}
    request_id: str | None = None


class ChoiceOut(Schema):
    value: str
    label: str


class RequirementOut(Schema):
    key: str
    label: str
    kind: Literal["field", "document"]
    mandatory: bool
    type: Literal["text", "number", "date", "boolean", "choice"]
    choices: list[ChoiceOut]
    help_text: str


class ServiceTypeOut(Schema):
    code: str
    name: str
    group: str
    description: str
    department: str
    target_working_days: int
    service_target_days: int | None
    kle_code: str
    requirements: list[RequirementOut]


class WorkingDaysOut(Schema):
    start: dt.date
    days: int
    date: dt.date


class PersonOut(Schema):
    username: str
    name: str
    email: str


class BusinessRef(Schema):
    cvr: str
    name: str


class BusinessOut(Schema):
    cvr: str
    name: str
    coordinator: PersonOut | None


class MissingOut(Schema):
    service_type: str
    key: str
    label: str
    kind: Literal["field", "document"]


class DeliverableOut(Schema):
    id: int
    party: Literal["business", "municipality"]
    title: str
    due_date: dt.date
    status: Literal["pending", "delivered", "waived"]
    overdue: bool


class TaskOut(Schema):
    department: str
    service_type: str | None
    service_types: list[str]
    status: str
    assignee: str | None


class EventOut(Schema):
    at: dt.datetime
    kind: str
    actor: str | None
    text: str


class CaseSummaryOut(Schema):
    reference: str
    status: str
    business: BusinessRef
    service_types: list[str]
    channel: str
    received_at: dt.datetime
    screening_due: dt.date
    screened_at: dt.datetime | None
    coordinator: PersonOut | None
    estimated_answer_date: dt.date | None
    service_target_date: dt.date | None
    answered_at: dt.datetime | None
    missing: list[MissingOut]
    deliverables: list[DeliverableOut]
    tasks: list[TaskOut]


class CaseOut(CaseSummaryOut):
    description: str
    answers: dict[str, Any]
    decision_summary: str
    timeline: list[EventOut]


class CasePageOut(Schema):
    items: list[CaseSummaryOut]
    count: int


class ContactIn(Strict):
    name: str = Field(max_length=150)
    email: str = Field(max_length=254)
    phone: str | None = Field(default=None, max_length=30)


class InquiryIn(Strict):
    cvr: str = Field(description="8 cifre; mellemrum og DK foran accepteres", examples=["13585628"])
    business_name: str | None = Field(default=None, max_length=200)
    contact: ContactIn
    service_types: list[str] = Field(description="Ydelseskoder fra /service-types")
    description: str
    answers: dict[str, Any] | None = None
    channel: Literal["portal", "api", "email", "phone", "letter", "meeting"] | None = Field(
        default=None, description="Kun medarbejdere"
    )
    received_at: Annotated[dt.datetime, AfterValidator(_in_utc)] | None = Field(
        default=None, description="Kun medarbejdere; ISO 8601 med tidszone"
    )


class ScreeningIn(Strict):
    coordinator: str | None = Field(default=None, description="Brugernavn på en tovholder")
    note: str | None = Field(default=None, max_length=2000)


class AnswersIn(Strict):
    answers: dict[str, Any]


class DecisionIn(Strict):
    summary: str


class NoteIn(Strict):
    note: str | None = Field(default=None, max_length=2000)


class WithdrawIn(Strict):
    reason: str | None = Field(default=None, max_length=2000)
