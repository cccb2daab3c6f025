"""Request and response shapes of REST API v1 (the OpenAPI document is built from them)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, WithJsonSchema, field_validator
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

# What businesses.cvr.normalise_cvr accepts and the API lets through: 8 digits, the first not
# 0, optionally grouped by single spaces and after "DK" (e.g. "DK 1358 5628"). The modulus-11
# check digit cannot be written as a pattern; the custom format ``dk-cvr`` names it.
CVR_PATTERN = r"^(?:DK ?)?[1-9](?: ?[0-9]){7}$"
CVR_DESCRIPTION = (
    "CVR-nummer: 8 cifre med gyldigt kontrolciffer (modulus 11); mellemrum mellem cifrene "
    "og DK foran accepteres."
)
Cvr = Annotated[
    str,
    Field(
        pattern=CVR_PATTERN,
        max_length=14,
        description=CVR_DESCRIPTION,
        json_schema_extra={"format": "dk-cvr"},
        examples=["13585628"],
    ),
]


# A staff member's user name as Django allows it (letters, digits and @.+-_; at most 150).
USERNAME_PATTERN = r"^[\w.@+-]*$"
Username = Annotated[
    str, Field(max_length=150, pattern=USERNAME_PATTERN), AfterValidator(_storable)
]

# Free text: no NUL (no database stores it; _storable refuses it at the edge).
NO_NUL = r"^[^\x00]*$"
# Free text that must say something: one character that is neither NUL nor white space as
# Python's str.strip() sees it (the services strip before they check), written out so
# every regex engine (the schema's reader, pydantic's, Python's) agrees.
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
SOME_TEXT = rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$"

# A case reference as the intake numbers them (EK-<year>-<number of the year>); looked up
# in capitals with surrounding white space stripped, so those are accepted too.
REFERENCE_PATTERN = rf"^[{_SPACE}]*[Ee][Kk]-[0-9]{{4}}-[0-9]{{5,8}}[{_SPACE}]*$"
Reference = Annotated[
    str,
    Field(pattern=REFERENCE_PATTERN, examples=["EK-2026-00001"]),
    AfterValidator(_storable),
]

TaskStatusCode = Literal["open", "in_progress", "done", "cancelled"]
CaseStatusCode = Literal[
    "received", "in_progress", "awaiting_business", "answered", "closed", "withdrawn"
]
InputChannel = Literal["portal", "api", "email", "phone", "letter", "meeting"]
ChannelCode = Literal["portal", "api", "email", "phone", "letter", "meeting", "inspection"]
ServiceTypeCode = Annotated[
    str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=60, description="Ydelseskode")
]
DepartmentCode = Annotated[
    str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=50, description="Afdelingskode")
]


def _before_year_9000(value: dt.date) -> dt.date:
    """Working days are counted up to year 9999; a start after 8999 may run past it."""
    if value.year > 8999:
        raise PydanticCustomError("date_range", "Datoen skal ligge før år 9000.")
    return value


CalendarDate = Annotated[
    dt.date,
    AfterValidator(_before_year_9000),
    WithJsonSchema(
        {"type": "string", "format": "date", "pattern": r"^[0-8][0-9]{3}-[0-9]{2}-[0-9]{2}$"}
    ),
]


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

    # A list before its items' own checks, so unstorable text in it is named by the field
    # (``service_types``), not by an item's pattern.
    @field_validator("*", mode="before")
    @classmethod
    def _storable_list(cls, value: Any) -> Any:
        return _storable(value) if isinstance(value, list | tuple) else value

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
    id: int
    department: str
    service_type: str | None
    service_types: list[str]
    status: TaskStatusCode
    assignee: str | None


class EventOut(Schema):
    at: dt.datetime
    kind: str
    actor: str | None
    text: str


PromiseBasisCode = Literal["history", "combination", "group", "national", "fixed"]


class EstimateLineOut(Schema):
    working_days: int = Field(description="Working days from screening to this answer line.")
    basis: PromiseBasisCode


class EstimateBasisOut(Schema):
    """What the answer date promised at screening rests on; kept as it was when promised."""

    basis: PromiseBasisCode = Field(
        description="history: the service type's own cases; group: its group's; national: "
        "the national service target; fixed: the service type's fixed target."
    )
    service_type: str = Field(description="The service type whose date governs the case.")
    working_days: int = Field(description="Working days from screening the promise gave.")
    cases: int = Field(description="Cases in the sample (answered and still open).")
    answered: int = Field(description="Answered cases in the sample.")
    window_months: int
    p50: int | None = Field(None, description="Working days by which half were answered.")
    p90: int | None = Field(None, description="… and nine out of ten.")
    confidence: float | None = Field(
        None, description="The share the promise is meant to hold for."
    )
    as_of: dt.date | None = Field(None, description="The last day of the history learned from.")
    set_by_coordinator: bool = False
    proposed: dt.date | None = Field(
        None, description="The proposal, if the coordinator set another date."
    )
    lines: dict[str, EstimateLineOut] = Field(default_factory=dict)


class CaseListItemOut(Schema):
    reference: str
    version: int = Field(
        description="The case's version, also sent as the ETag: send it in If-Match to change "
        "the case only if nobody else has in between."
    )
    status: CaseStatusCode
    business: BusinessRef
    service_types: list[str]
    channel: ChannelCode
    received_at: dt.datetime
    screening_due: dt.date
    screened_at: dt.datetime | None
    coordinator: PersonOut | None
    estimated_answer_date: dt.date | None
    original_estimated_answer_date: dt.date | None = Field(
        description="The answer date promised at screening, however the date moved later."
    )
    estimate_basis: EstimateBasisOut | None
    service_target_date: dt.date | None
    answered_at: dt.datetime | None
    missing: list[MissingOut] | None = Field(
        description="What the business has still to provide; null unless expand=plan."
    )
    deliverables: list[DeliverableOut] | None = Field(
        description="The delivery plan; null unless expand=plan."
    )
    tasks: list[TaskOut] | None = Field(
        description="The departments' tasks; null unless expand=plan."
    )


class CaseSummaryOut(CaseListItemOut):
    missing: list[MissingOut]
    deliverables: list[DeliverableOut]
    tasks: list[TaskOut]


class CaseOut(CaseSummaryOut):
    description: str
    answers: dict[str, Any]
    decision_summary: str
    timeline: list[EventOut]


class CasePageOut(Schema):
    items: list[CaseListItemOut]
    count: int = Field(
        description="How many cases match: exact up to 10,000; beyond it 10,000 and "
        "count_exact is false (the list is not counted row by row)."
    )
    count_exact: bool = Field(description="Whether count is the exact number.")
    next: str | None = Field(
        description="The address of the next page (a keyset cursor), or null at the end."
    )


class ContactIn(Strict):
    name: str = Field(min_length=1, max_length=150, pattern=SOME_TEXT)
    email: str = Field(max_length=254, json_schema_extra={"format": "email"})
    phone: str | None = Field(default=None, max_length=30, pattern=NO_NUL)


class InquiryIn(Strict):
    cvr: Cvr
    business_name: str | None = Field(default=None, max_length=200, pattern=NO_NUL)
    contact: ContactIn
    service_types: list[ServiceTypeCode] = Field(
        min_length=1, description="Ydelseskoder fra /service-types"
    )
    description: str = Field(min_length=1, max_length=10_000, pattern=SOME_TEXT)
    answers: dict[str, Any] | None = Field(
        default=None,
        description="Svar på ydelsernes spørgsmål: nøgle og type som i /service-types",
    )
    channel: InputChannel | None = Field(default=None, description="Kun medarbejdere")
    received_at: Annotated[dt.datetime, AfterValidator(_in_utc)] | None = Field(
        default=None, description="Kun medarbejdere; ISO 8601 med tidszone"
    )


class ScreeningIn(Strict):
    coordinator: Username | None = Field(default=None, description="Brugernavn på en tovholder")
    note: str | None = Field(default=None, max_length=2000, pattern=NO_NUL)


class AnswersIn(Strict):
    answers: dict[str, Any] = Field(
        min_length=1,
        description="Svar på sagens spørgsmål: nøgle og type som i /service-types",
    )


class DecisionIn(Strict):
    summary: str = Field(min_length=1, max_length=10_000, pattern=SOME_TEXT)


class NoteIn(Strict):
    note: str | None = Field(default=None, max_length=2000, pattern=NO_NUL)


class WithdrawIn(Strict):
    reason: str | None = Field(default=None, max_length=2000, pattern=NO_NUL)


# --- figures (the promise dashboard's and the public page's; issue 17) -----------------------


class ShareOut(Schema):
    part: int
    n: int
    percent: int | None = Field(description="Hel procent, halv op; null når n er 0 (aldrig 0 %)")


class StatsFilterOut(Schema):
    start: dt.date
    end: dt.date
    department: str = Field(description="Afdelingskode, tom: alle")
    service_type: str = Field(description="Ydelseskode, tom: alle")
    coordinator: str = Field(description="Tovholderens brugernavn, tom: alle")


class ScreeningStatsOut(Schema):
    due: int = Field(description="Henvendelser med screeningsfrist i perioden")
    on_time: int
    late: int = Field(description="Screenet efter fristen, eller ikke screenet og fristen passeret")
    pending: int = Field(description="Ikke screenet, fristen ikke nået")
    kept: ShareOut = Field(description="Til tiden af de afgjorte")
    median_working_days: float | None


class AnswerStatsOut(Schema):
    total: int = Field(description="Sager med lovet svardato i perioden")
    answered: int
    on_time: int
    answered_late: int
    open_late: int = Field(description="Åbne og over den lovede dato (tæller som for sent)")
    pending: int
    kept: ShareOut = Field(description="Til tiden af besvarede og for sene")
    median_working_days: float | None = Field(description="Fra screening til svar")
    p80_working_days: float | None


class ServiceTargetStatsOut(Schema):
    service_type: str
    name: str
    target_days: int = Field(description="Det nationale servicemål i kalenderdage")
    met: int
    missed: int
    open_missed: int
    share: ShareOut


class StatusCountOut(Schema):
    status: str
    count: int


class BacklogStatsOut(Schema):
    open: int = Field(description="Åbne henvendelser nu (perioden gælder ikke)")
    by_status: list[StatusCountOut]


class PromiseStatsOut(Schema):
    filter: StatsFilterOut
    screening: ScreeningStatsOut
    answers: AnswerStatsOut
    service_targets: list[ServiceTargetStatsOut]
    satisfaction: ShareOut = Field(description="Positive om forløbet som helhed, af de svarende")
    backlog: BacklogStatsOut


class AccuracyOut(Schema):
    matured: int = Field(description="Løfter, hvis dato er nået, og hvis udfald er kendt")
    kept: int
    missed: int
    hit_rate_percent: int | None
    interval_low: float | None = Field(description="Wilsons 95 %-interval, nedre (0–1)")
    interval_high: float | None
    median_slack_working_days: float | None = Field(description="Holdte: dage før datoen")
    median_lateness_working_days: float | None = Field(
        description="Ikke holdte og besvarede: dage efter datoen"
    )
    median_promised_working_days: float | None = Field(description="Besvarede: lovet")
    median_actual_working_days: float | None = Field(description="Besvarede: faktisk")
    promise_per_median: float | None


class AccuracyServiceTypeOut(Schema):
    service_type: str
    name: str
    accuracy: AccuracyOut


class AccuracyMonthOut(Schema):
    month: dt.date = Field(description="Månedens første dag (måneden for den lovede dato)")
    accuracy: AccuracyOut


class AccuracyBasisOut(Schema):
    basis: Literal["history", "combination", "group", "national", "fixed", ""] = Field(
        description="Hvad løftet byggede på; tom: givet før svardatoerne blev lært"
    )
    accuracy: AccuracyOut


class AccuracyStatsOut(Schema):
    filter: StatsFilterOut
    confidence: float = Field(description="Den andel af løfterne, der skal holde")
    overall: AccuracyOut
    by_service_type: list[AccuracyServiceTypeOut]
    by_month: list[AccuracyMonthOut]
    by_basis: list[AccuracyBasisOut]


class ProcessingTimeOut(Schema):
    service_type: str
    name: str
    answered: int
    median_working_days: float | None
    p80_working_days: float | None
    service_target_days: int | None
    within_target: ShareOut


class PublicStatsOut(Schema):
    start: dt.date
    end: dt.date
    processing_times: list[ProcessingTimeOut]
    screening: ShareOut
    satisfaction: ShareOut
    inspection_satisfaction: ShareOut
    accuracy: AccuracyStatsOut


# --- the case's work: messages, delivery plan, tasks, documents, businesses (issue 18) -----


class MessageOut(Schema):
    id: int
    at: dt.datetime
    author: str | None = Field(description="Who wrote it (name); null for the system.")
    party: Literal["business", "municipality"]
    body: str
    internal: bool = Field(description="An internal note (staff only; never shown a business).")


class MessagePageOut(Schema):
    items: list[MessageOut]
    next: str | None = Field(description="The address of the next page, or null at the end.")


class MessageIn(Strict):
    body: str = Field(min_length=1, max_length=5000, pattern=SOME_TEXT)
    internal: bool = Field(False, description="An internal note (staff only).")


class DeliverableDetailOut(DeliverableOut):
    requirement: str | None = Field(
        description="The requirement the line is for (delivered by the material itself)."
    )
    service_type: str | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None
    note: str | None = Field(description="The reason or delivery note (staff only; else null).")


class DeliverableIn(Strict):
    party: Literal["business", "municipality"]
    title: str = Field(min_length=1, max_length=250, pattern=SOME_TEXT)
    due_date: CalendarDate
    reason: str = Field("", max_length=500, pattern=NO_NUL)
    tell_business: bool = Field(True, description="The business reads the change in its history.")


class DeliverableChangeIn(Strict):
    title: str | None = Field(None, min_length=1, max_length=250, pattern=SOME_TEXT)
    due_date: CalendarDate | None = None
    reason: str = Field(max_length=500, pattern=SOME_TEXT)
    tell_business: bool = True


class ReasonIn(Strict):
    reason: str = Field(max_length=500, pattern=SOME_TEXT)
    tell_business: bool = True


class DeliveredIn(Strict):
    note: str = Field("", max_length=500, pattern=NO_NUL)


class TaskDetailOut(TaskOut):
    version: int = Field(description="The task's version: its ETag, for If-Match.")
    case: str = Field(description="The case's reference.")
    created_at: dt.datetime
    due: dt.date | None = Field(description="The department's own answer date.")
    done_at: dt.datetime | None
    result: str | None = Field(description="The department's result (staff only).")


class TaskPageOut(Schema):
    items: list[TaskDetailOut]
    next: str | None


class AssignIn(Strict):
    assignee: Annotated[str, Field(max_length=150, pattern=USERNAME_PATTERN, min_length=1)]


class TaskDoneIn(Strict):
    result: str = Field(min_length=1, max_length=2000, pattern=SOME_TEXT)
    share_result: bool = Field(False, description="The business reads the result.")
    deliver_answer: bool = Field(
        False, description="Mark the department's answer lines of the delivery plan delivered."
    )


class DocumentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    requirement: str | None
    deliverable: int | None
    uploaded_at: dt.datetime
    uploaded_by: Literal["business", "municipality", "system"]
    download: str = Field(description="The address that downloads the file.")


class BusinessPageOut(Schema):
    items: list[BusinessOut]
    next: str | None


class ContactPersonIn(Strict):
    coordinator: Annotated[str, Field(max_length=150, pattern=USERNAME_PATTERN, min_length=1)]
    reason: str = Field("", max_length=500, pattern=NO_NUL)


# --- inspection visits (issue 18) ------------------------------------------------------------

VisitStatusCode = Literal[
    "planned", "offered", "booked", "visited", "reported", "published", "cancelled"
]
VisitStateCode = Literal["open", "report_due", "unpublished", "all"]
InspectionKindCode = Literal["basic", "prioritised", "start_up", "unplanned", "campaign"]
PNumber = Annotated[
    str, Field(pattern=r"^[0-9]{10}$", description="Produktionsenhedens P-nummer (10 cifre).")
]
Moment = Annotated[dt.datetime, AfterValidator(_in_utc)]


class UnitOut(Schema):
    p_number: str
    name: str
    address: str


class InspectorOut(Schema):
    name: str
    title: str
    email: str
    phone: str


class VisitSlotOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: Literal["offered", "chosen", "withdrawn"]


class FindingOut(Schema):
    id: int
    kind: Literal["observation", "advice", "agreement"]
    text: str
    deliverable: int | None = Field(
        description="An agreed solution's line in the delivery plan (the business's side)."
    )
    due_date: dt.date | None
    created_at: dt.datetime


class EnforcementOut(Schema):
    id: int
    kind: Literal["order", "ban", "warning"]
    text: str
    legal_basis: str
    deadline: dt.date | None
    issued_on: dt.date


class VisitReportOut(Schema):
    self_monitoring: str = Field(description="The conclusion on the unit's self-monitoring.")
    follows_up: bool | None = Field(
        description="Whether the unit followed up earlier enforcement and agreements."
    )
    conclusion: str


class VisitOut(Schema):
    id: int
    version: int = Field(description="The visit's version: its ETag, for If-Match.")
    case: str = Field(description="The visit's case (a case of the business).")
    business: BusinessRef
    unit: UnitOut
    kind: InspectionKindCode
    physical: bool
    status: VisitStatusCode
    focus: str = Field(description="What the inspection will look at (the business sees it).")
    inspector: InspectorOut
    visit_at: dt.datetime | None = Field(description="The agreed (or fixed) time.")
    slots: list[VisitSlotOut] = Field(
        description="The times offered (a business sees those it may still choose and the one "
        "chosen; staff every time ever offered)."
    )
    visited_on: dt.date | None
    report_due: dt.date | None = Field(description="The report to the business by (2 months).")
    publish_due: dt.date | None = Field(description="Its publication by (4 months).")
    report_sent_on: dt.date | None
    published_on: dt.date | None
    report: VisitReportOut | None = Field(
        description="The report's fields (staff; a business once the report is sent)."
    )
    report_download: str | None = Field(description="The sent report (PDF), or null.")
    findings: list[FindingOut] = Field(description="After the visit.")
    enforcements: list[EnforcementOut] = Field(description="After the visit.")
    plan_item: int | None = Field(description="The annual plan's item (staff; else null).")


class VisitPageOut(Schema):
    items: list[VisitOut]
    next: str | None


class VisitIn(Strict):
    p_number: PNumber
    kind: InspectionKindCode
    focus: str = Field(min_length=1, max_length=5000, pattern=SOME_TEXT)
    physical: bool = True
    inspector: Username | None = Field(None, description="Default: the caller.")
    plan_item: int | None = Field(None, ge=1, le=2**31 - 1)
    contact_name: str = Field("", max_length=150, pattern=NO_NUL)
    contact_email: str = Field("", max_length=254, pattern=NO_NUL)


class SlotIn(Strict):
    starts_at: Moment = Field(description="ISO 8601 with a time zone.")
    ends_at: Moment


class SlotsIn(Strict):
    slots: list[SlotIn] = Field(min_length=1, max_length=8)


class SlotChoiceIn(Strict):
    slot: int = Field(ge=1, le=2**31 - 1, description="One of the offered slots' id.")


class FixTimeIn(Strict):
    at: Moment = Field(description="ISO 8601 with a time zone.")
    reason: str = Field("", max_length=500, pattern=NO_NUL)


class FocusIn(Strict):
    focus: str = Field(min_length=1, max_length=5000, pattern=SOME_TEXT)


class VisitedIn(Strict):
    visited_on: CalendarDate
    physical: bool = True


class FindingIn(Strict):
    kind: Literal["observation", "advice", "agreement"]
    text: str = Field(min_length=1, max_length=2000, pattern=SOME_TEXT)
    due_date: CalendarDate | None = Field(None, description="An agreed solution's deadline.")


class EnforcementIn(Strict):
    kind: Literal["order", "ban", "warning"]
    text: str = Field(min_length=1, max_length=5000, pattern=SOME_TEXT)
    legal_basis: str = Field(min_length=1, max_length=250, pattern=SOME_TEXT)
    deadline: CalendarDate | None = None
    issued_on: CalendarDate | None = Field(None, description="Default: today.")


class VisitReportIn(Strict):
    self_monitoring: str = Field("", max_length=10_000, pattern=NO_NUL)
    follows_up: bool | None = None
    conclusion: str = Field("", max_length=10_000, pattern=NO_NUL)


class CancelVisitIn(Strict):
    reason: str = Field(min_length=1, max_length=500, pattern=SOME_TEXT)
