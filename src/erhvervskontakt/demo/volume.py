"""Bulk-load N synthetic but rule-abiding cases for benchmarks (``manage.py load_volume``).

Longer than ~600 lines on purpose: one two-pass generator whose passes share the plan's
state; split, each half would reach into the other's private structures.

The services are far too slow for a million cases (each write re-reads the case), so this
writes rows directly — but every date comes from the real rules: ``rules.screening_due``,
``rules.answer_estimate``, ``rules.service_target_days``/``service_target_date`` and the
municipality's calendar (``calendar.selectors.working_calendar()``, read once and indexed by
``IndexedCalendar`` for O(1) look-ups). Timelines, deliverables, tasks and answers are what the
services would have written for the same history, with the same texts.

Two passes:

1. *Plan.* For every case pick its final state (in fixed proportions, so even 300 cases have
   every state), its service types, channel, missing material and durations in working days,
   then place its receipt so that every step it has taken lies before today. Sorted by
   receipt, so references ``EK-YYYY-NNNNN`` follow the order of receipt within each year.
2. *Write.* In batches (one transaction each), continuing the year's ``ReferenceCounter`` and
   the tables' ids: ``bulk_create`` everywhere, or PostgreSQL ``COPY`` (``--method copy``; the
   default on PostgreSQL because it is several times faster). Each batch locks the tables it
   fills (PostgreSQL: ``LOCK … IN EXCLUSIVE MODE``, readers are not blocked; SQLite: the
   IMMEDIATE transaction), so live intakes simply wait and never clash on a number or an id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.cvr import synthetic_cvr
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases import rules
from erhvervskontakt.cases.models import (
    Answer,
    Case,
    CaseStatus,
    Channel,
    Deliverable,
    Document,
    Event,
    ReferenceCounter,
    Task,
)
from erhvervskontakt.catalogue.models import Requirement, ServiceType
from erhvervskontakt.catalogue.selectors import municipality, service_type_list
from erhvervskontakt.common import clock

from . import content
from .fastcalendar import IndexedCalendar
from .pdf import tiny_pdf

RECEIVED, IN_PROGRESS, AWAITING, ANSWERED, CLOSED, WITHDRAWN = range(6)
STATUS = [
    CaseStatus.RECEIVED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.AWAITING_BUSINESS,
    CaseStatus.ANSWERED,
    CaseStatus.CLOSED,
    CaseStatus.WITHDRAWN,
]
# Share of each final state among N cases spread over several years.
PROPORTIONS = {
    CLOSED: 0.78,
    IN_PROGRESS: 0.09,
    WITHDRAWN: 0.05,
    AWAITING: 0.035,
    ANSWERED: 0.03,
    RECEIVED: 0.015,
}
CHANNELS = [
    Channel.PORTAL,
    Channel.API,
    Channel.EMAIL,
    Channel.PHONE,
    Channel.LETTER,
    Channel.MEETING,
]
CHANNEL_WEIGHTS = [40, 15, 20, 15, 5, 5]
CHANNEL_HOURS = [(7, 21), (8, 16), (7, 19), (8, 15), (9, 10), (9, 13)]
STAFF_CHANNELS = {2, 3, 4, 5}  # registered afterwards by staff, with received_at
LAG_VALUES, LAG_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9], [25, 25, 20, 12, 8, 4, 3, 2, 1]
SUPPLY_VALUES, SUPPLY_WEIGHTS = [2, 4, 6, 8, 10, 13, 17, 25], [10, 20, 20, 15, 12, 10, 8, 5]
WITHDRAW_AT_RECEIVED, WITHDRAW_AT_AWAITING, WITHDRAW_AT_PROGRESS = 1, 2, 3
DOCUMENT_DIR = "demo-volume"
WITHDRAWN_NOTE = "Sagen er trukket tilbage."


@dataclass
class Variant:
    """One combination of service types a case can have, with everything derived from it."""

    template: content.CaseTemplate | None
    service_types: list[ServiceType]
    weight: float

    def __post_init__(self) -> None:
        sts = self.service_types
        self.codes = [st.code for st in sts]
        self.ids = [st.pk for st in sts]
        self.names = ", ".join(st.name for st in sts)
        self.longest = max(sts, key=lambda st: st.target_working_days)
        self.target = self.longest.target_working_days
        self.national = rules.service_target_days(sts)
        self.membership = Case.membership(sts)
        departments: dict[int, list[ServiceType]] = {}
        for st in sts:
            departments.setdefault(st.department_id, []).append(st)
        self.departments = [
            (
                dept_id,
                group[0].department.code,
                group[0].department.name,
                [s.pk for s in group],
                ", ".join(s.name for s in group),
            )
            for dept_id, group in departments.items()
        ]
        pairs: list[tuple[str, Sequence[Requirement]]] = [
            (st.code, list(st.requirements.all())) for st in sts
        ]
        self.by_key: dict[str, Requirement] = rules.requirements_by_key(pairs)  # type: ignore[assignment]
        self.mandatory = list(rules.mandatory_requirements(pairs))
        self.optional_fields = [
            key for key, r in self.by_key.items() if not r.mandatory and r.kind == "field"
        ]


@dataclass(frozen=True, slots=True)
class Spec:
    """The plan of one case (pass 1); pass 2 turns it into rows."""

    sort_key: int  # local receipt as seconds since year 1
    state: int
    variant: int
    business: int
    channel: int
    missing: int
    lag: int
    supply: int
    answer_offset: int  # working days from the estimate to the answer (negative: early)
    close: int
    withdraw_stage: int
    withdraw_offset: int


def proportional_counts(total: int) -> dict[int, int]:
    """Cases per final state: the proportions, every state at least once when possible."""
    counts = {state: int(total * share) for state, share in PROPORTIONS.items()}
    if total >= len(PROPORTIONS):
        for state in counts:
            counts[state] = max(counts[state], 1)
    while sum(counts.values()) > total:
        counts[CLOSED] -= 1
    counts[CLOSED] += total - sum(counts.values())
    return counts


class TableWriter:
    """Writes rows (tuples in a fixed column order) to one model's table."""

    def __init__(self, model: type[models.Model], columns: list[str], method: str) -> None:
        self.model = model
        self.columns = columns
        self.method = method
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise RuntimeError(f"{model.__name__} has no columns {sorted(unknown)}")
        self.json_positions = [
            i for i, c in enumerate(columns) if isinstance(fields[c], models.JSONField)
        ]
        # Columns the loader does not know (added by a later migration) get their defaults.
        pk = model._meta.pk
        assert pk is not None
        self.extra: list[tuple[str, Any]] = []
        now = clock.now()
        for name, field in fields.items():
            if name in columns or (field is pk and name not in columns):
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value: Any = now
            else:
                value = field.get_default()
            if isinstance(field, models.JSONField):
                value = json.dumps(value)
            self.extra.append((field.column, value))
        self.db_columns = [fields[c].column for c in columns]

        # For plain INSERTs: turn the Python values into what the driver stores, by type,
        # once per column instead of through each field's get_db_prep_save.
        self.adapters: list[Callable[[Any], Any] | None] = []
        for c in columns:
            f = fields[c]
            if isinstance(f, models.DateTimeField):
                self.adapters.append(_adapt_datetime)
            elif isinstance(f, models.DateField):
                self.adapters.append(_adapt_date)
            elif isinstance(f, models.JSONField):
                self.adapters.append(_adapt_json)
            else:
                self.adapters.append(None)

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.method == "copy":
            self._copy(rows)
        elif self.method == "sql":
            self._insert(rows)
        else:
            self._bulk_create(rows)

    def _insert(self, rows: list[tuple[Any, ...]]) -> None:
        quote = connection.ops.quote_name
        names = self.db_columns + [name for name, _ in self.extra]
        extra = tuple(
            _adapt_datetime(v) if isinstance(v, dt.datetime) else v for _, v in self.extra
        )
        table = quote(self.model._meta.db_table)
        listed = ", ".join(quote(n) for n in names)
        marks = ", ".join(["%s"] * len(names))
        # Quoted identifiers from the models; every value is a parameter.
        statement = f"INSERT INTO {table} ({listed}) VALUES ({marks})"  # noqa: S608
        adapters = [(i, a) for i, a in enumerate(self.adapters) if a is not None]
        prepared = []
        for row in rows:
            values = list(row)
            for i, adapt in adapters:
                value = values[i]
                if value is not None:
                    values[i] = adapt(value)
            prepared.append(tuple(values) + extra if extra else tuple(values))
        with connection.cursor() as cursor:
            cursor.executemany(statement, prepared)

    def _bulk_create(self, rows: list[tuple[Any, ...]]) -> None:
        model, columns = self.model, self.columns
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(  # type: ignore[attr-defined]
            objects, batch_size=None if connection.vendor == "sqlite" else 2000
        )

    def _copy(self, rows: list[tuple[Any, ...]]) -> None:
        from psycopg import sql

        names = self.db_columns + [name for name, _ in self.extra]
        extra = tuple(value for _, value in self.extra)
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(self.model._meta.db_table),
            sql.SQL(", ").join(sql.Identifier(n) for n in names),
        )
        positions = self.json_positions
        dumps = json.dumps
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            write = copy.write_row
            if positions:
                for row in rows:
                    values = list(row)
                    for i in positions:
                        values[i] = dumps(values[i], ensure_ascii=False)
                    write(values + list(extra) if extra else values)
            elif extra:
                for row in rows:
                    write(row + extra)
            else:
                for row in rows:
                    write(row)


def _adapt_datetime(value: dt.datetime) -> Any:
    """As Django stores an aware datetime: UTC (naive text on SQLite)."""
    utc = value.astimezone(dt.UTC)
    return str(utc.replace(tzinfo=None)) if connection.vendor == "sqlite" else utc


def _adapt_date(value: dt.date) -> str:
    return value.isoformat()


def _adapt_json(value: Any) -> str:
    return json.dumps(value)


CASE_COLUMNS = [
    "id",
    "reference",
    "year",
    "number",
    "business_id",
    "contact_name",
    "contact_email",
    "contact_phone",
    "description",
    "channel",
    "status",
    "received_at",
    "screening_due",
    "screened_at",
    "screened_by_id",
    "coordinator_id",
    "estimated_answer_date",
    "estimate_at_screening",
    "paused_since",
    "paused_working_days",
    "fully_informed_on",
    "service_target_waiting_days",
    "service_target_date",
    "answered_at",
    "decision_summary",
    "closed_at",
    "withdrawn_at",
    "created_by_id",
    "version",
    "updated_at",
    # What the promise dashboard measures, as case_screen / _resume / case_record_decision
    # store it.
    "screened_on",
    "screening_working_days",
    "promised_answer_date",
    "answered_on",
    "answer_working_days",
    "estimate_deviation_working_days",
    "service_target_met",
    "department_ids",
    "service_type_ids",
]
TASK_COLUMNS = [
    "id",
    "case_id",
    "department_id",
    "status",
    "assignee_id",
    "created_at",
    "done_at",
    "due_date",
]
DELIVERABLE_COLUMNS = [
    "id",
    "case_id",
    "party",
    "title",
    "requirement_key",
    "service_type_id",
    "due_date",
    "status",
    "delivered_at",
    "note",
    "created_at",
]
DOCUMENT_COLUMNS = [
    "id",
    "case_id",
    "requirement_key",
    "file",
    "original_name",
    "content_type",
    "size",
    "sha256",
    "uploaded_by_id",
    "uploaded_at",
]
EVENT_COLUMNS = ["case_id", "at", "kind", "actor_id", "text", "data"]
ANSWER_COLUMNS = ["case_id", "key", "value", "provided_by_id", "provided_at"]
BUSINESS_COLUMNS = [
    "id",
    "cvr",
    "name",
    "address",
    "postcode",
    "city",
    "industry",
    "contact_person_id",
    "created_at",
]


class Batch:
    """The rows of one batch, table by table."""

    def __init__(self) -> None:
        self.cases: list[tuple[Any, ...]] = []
        self.case_service_types: list[tuple[int, int]] = []
        self.tasks: list[tuple[Any, ...]] = []
        self.task_service_types: list[tuple[int, int]] = []
        self.deliverables: list[tuple[Any, ...]] = []
        self.documents: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.answers: list[tuple[Any, ...]] = []


class Ids:
    """The next id of each table whose ids the rows refer to (read under the batch lock)."""

    def __init__(self) -> None:
        self.next: dict[type[models.Model], int] = {
            model: (model._default_manager.aggregate(m=Max("id"))["m"] or 0) + 1
            for model in (Case, Task, Deliverable, Document)
        }

    def take(self, model: type[models.Model]) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


class VolumeLoader:
    def __init__(
        self,
        *,
        cases: int,
        batch: int = 5000,
        seed: int = 1,
        years: int = 4,
        method: str = "auto",
        progress: Callable[[int], None] = lambda n: None,
        log: Callable[[str], None] = lambda s: None,
    ) -> None:
        if method == "auto":
            method = "copy" if connection.vendor == "postgresql" else "sql"
        if method == "copy" and connection.vendor != "postgresql":
            raise ValueError("COPY needs PostgreSQL; use --method sql or orm.")
        self.total = cases
        self.batch_size = batch
        self.rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
        self.years = years
        self.method = method
        self.progress = progress
        self.log = log
        self.tz = clock.local_tz()
        self.now = clock.now()
        self.today = clock.local_date(self.now)
        self.start = self.today - dt.timedelta(days=round(365.25 * years))
        base = working_calendar()
        self.calendar = IndexedCalendar.build(
            base, self.start - dt.timedelta(days=31), self.today + dt.timedelta(days=3 * 366)
        )
        settings_row = municipality()
        self.screening_days = settings_row.screening_working_days
        self.business_days = settings_row.business_deliverable_working_days
        self.first_ordinal = self.calendar.count_to(self.start) + 1
        self.last_ordinal = self.calendar.count_to(self.today - dt.timedelta(days=1))
        self._formatted: dict[dt.date, str] = {}
        self._load_people()
        self._load_variants()
        self.writers = {
            "case": TableWriter(Case, CASE_COLUMNS, method),
            "case_st": TableWriter(
                Case.service_types.through, ["case_id", "servicetype_id"], method
            ),
            "task": TableWriter(Task, TASK_COLUMNS, method),
            "task_st": TableWriter(
                Task.service_types.through, ["task_id", "servicetype_id"], method
            ),
            "deliverable": TableWriter(Deliverable, DELIVERABLE_COLUMNS, method),
            "document": TableWriter(Document, DOCUMENT_COLUMNS, method),
            "event": TableWriter(Event, EVENT_COLUMNS, method),
            "answer": TableWriter(Answer, ANSWER_COLUMNS, method),
            "business": TableWriter(Business, BUSINESS_COLUMNS, method),
        }

    # --- set-up ----------------------------------------------------------------------------

    def _load_people(self) -> None:
        self.coordinators = list(User.objects.coordinators().order_by("username", "id"))
        if not self.coordinators:
            raise RuntimeError("No active coordinators.")
        self.names = {u.pk: u.display_name for u in self.coordinators}
        self.usernames = {u.pk: u.username for u in self.coordinators}
        self.registrars = [u.pk for u in self.coordinators]
        integration = User.objects.filter(
            username=content.INTEGRATION_USERNAME, is_active=True, is_staff=True
        ).first()
        self.integration = integration.pk if integration else self.registrars[0]
        self.caseworkers: dict[int, list[int]] = {}
        for user in User.objects.filter(
            is_active=True, is_staff=True, is_coordinator=False, department__isnull=False
        ).order_by("id"):
            self.caseworkers.setdefault(user.department_id, []).append(user.pk)

    def _load_variants(self) -> None:
        catalogue = {st.code: st for st in service_type_list()}
        if not catalogue:
            raise RuntimeError("The service catalogue is empty.")
        variants: list[Variant] = []
        for template in content.TEMPLATES:
            base = [catalogue[c] for c in template.codes if c in catalogue]
            if not base:
                continue
            optional = [catalogue[c] for c in template.optional if c in catalogue]
            masks = range(1 << len(optional))
            for mask in masks:
                extra = [st for i, st in enumerate(optional) if mask & (1 << i)]
                share = 0.7 ** (len(optional) - len(extra)) * 0.3 ** len(extra)
                variants.append(Variant(template, base + extra, template.weight * share))
        covered = {c for v in variants for c in v.codes}
        for code, st in catalogue.items():  # a catalogue beyond the demo's: one variant each
            if code not in covered:
                variants.append(Variant(None, [st], 3.0))
        self.variants = variants
        self.variant_weights = [v.weight for v in variants]
        self.with_mandatory = [i for i, v in enumerate(variants) if v.mandatory]
        self.kinds_of_variant = [
            set(v.template.kinds) if v.template and v.template.kinds else None for v in variants
        ]
        documents = {key for v in variants for key, r in v.by_key.items() if r.kind == "document"}
        self.documents: dict[str, tuple[str, int, str]] = {}
        for key in sorted(documents):
            label = next(v.by_key[key].label for v in variants if key in v.by_key)
            data = tiny_pdf(label, "Eksempeldokument (volumendata)")
            path = f"{DOCUMENT_DIR}/{key}.pdf"
            if not default_storage.exists(path):
                path = default_storage.save(path, ContentFile(data))
            self.documents[key] = (path, len(data), hashlib.sha256(data).hexdigest())

    # --- pass 1: plan ------------------------------------------------------------------------

    def plan(self, businesses: int) -> list[Spec]:
        rng = self.rng
        counts = proportional_counts(self.total)
        states = [state for state, n in counts.items() for _ in range(n)]
        rng.shuffle(states)
        kinds = self.business_kinds
        by_kind: dict[str, list[int]] = {}
        for index, kind in enumerate(kinds):
            by_kind.setdefault(kind, []).append(index)
        pools: list[list[int]] = []
        for allowed in self.kinds_of_variant:
            pool = (
                [i for kind in sorted(allowed) for i in by_kind.get(kind, [])]
                if allowed
                else list(range(businesses))
            )
            pools.append(pool or list(range(businesses)))
        specs = []
        choices, randint, random_ = rng.choices, rng.randint, rng.random
        variant_indices = list(range(len(self.variants)))
        for state in states:
            if state == AWAITING or (state == WITHDRAWN and random_() < 0.4):
                variant = (
                    choices(
                        self.with_mandatory,
                        [self.variant_weights[i] for i in self.with_mandatory],
                    )[0]
                    if self.with_mandatory
                    else 0
                )
            else:
                variant = choices(variant_indices, self.variant_weights)[0]
            v = self.variants[variant]
            pool = pools[variant]
            business = pool[int(len(pool) * random_() ** 1.6)]
            channel = choices(range(6), CHANNEL_WEIGHTS)[0]
            most = len(v.mandatory)
            if state == AWAITING:
                missing = min(most, choices([1, 2, 3], [6, 3, 1])[0])
            elif random_() < 0.55:
                missing = 0
            else:
                missing = min(most, choices([1, 2, 3], [6, 3, 1])[0])
            lag = choices(LAG_VALUES, LAG_WEIGHTS)[0]
            supply = choices(SUPPLY_VALUES, SUPPLY_WEIGHTS)[0] if missing else 0
            # Most answers come before the estimate, some after it.
            offset = randint(1, 12) if random_() < 0.18 else -randint(0, int(v.target * 0.5))
            started = lag + supply  # working days from receipt to "in progress"
            estimate = lag + v.target + supply
            answer = max(estimate + offset, started + 1)
            offset = answer - estimate
            close = randint(1, 8)
            stage = stage_offset = 0
            if state == WITHDRAWN:
                stage = choices(
                    [WITHDRAW_AT_RECEIVED, WITHDRAW_AT_AWAITING, WITHDRAW_AT_PROGRESS], [3, 4, 3]
                )[0]
                if stage == WITHDRAW_AT_AWAITING and not missing:
                    stage = WITHDRAW_AT_PROGRESS
                if stage == WITHDRAW_AT_RECEIVED:
                    stage_offset = randint(0, lag - 1)
                elif stage == WITHDRAW_AT_AWAITING:
                    stage_offset = lag + randint(1, max(1, supply - 1))
                else:
                    stage_offset = started + randint(1, max(1, answer - started - 1))
            # Working days from receipt to the last step taken, and to the first step not
            # taken; the receipt is placed so the first is before today, the second after.
            last_ord, first = self.last_ordinal, self.first_ordinal
            if state == CLOSED:
                low, high = first, last_ord - (answer + close)
            elif state == ANSWERED:
                low = high = last_ord - answer - randint(0, close - 1)
            elif state == IN_PROGRESS:
                low, high = last_ord + 1 - answer, last_ord - started
            elif state == AWAITING:
                low, high = last_ord + 1 - started, last_ord - lag
            elif state == RECEIVED:
                low = high = last_ord - choices(range(9), [5, 5, 4, 4, 3, 1, 1, 1, 1])[0]
            else:
                low, high = first, last_ord - stage_offset
            low = max(low, first)
            high = max(high, low)
            receipt_ordinal = randint(low, high)
            day = self.calendar.nth(receipt_ordinal)
            if channel == 0 and random_() < 0.1:  # some portal inquiries come at weekends
                previous = day - dt.timedelta(days=1)
                if not self.calendar.is_working_day(previous):
                    day = previous
            first_hour, last_hour = CHANNEL_HOURS[channel]
            seconds = randint(first_hour * 3600, last_hour * 3600 + 3599)
            specs.append(
                Spec(
                    day.toordinal() * 86400 + seconds,
                    state,
                    variant,
                    business,
                    channel,
                    missing,
                    lag,
                    supply,
                    offset,
                    close,
                    stage,
                    stage_offset,
                )
            )
        specs.sort(key=lambda s: s.sort_key)
        return specs

    # --- businesses ----------------------------------------------------------------------

    def create_businesses(self, count: int) -> list[tuple[int, int, str, str, str]]:
        """New businesses with valid, unused CVR numbers; (id, contact person, name, address,
        industry) each."""
        rng = self.rng
        existing = set(Business.objects.values_list("cvr", flat=True))
        next_id = (Business.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        rows: list[tuple[Any, ...]] = []
        made: list[tuple[int, int, str, str, str]] = []
        kinds: list[str] = []
        seed = 3_000_000 + rng.randrange(0, 1_000_000)
        created = dt.datetime.combine(self.start, dt.time(8), tzinfo=self.tz)
        while len(rows) < count:
            cvr = synthetic_cvr(seed)
            seed += 1
            if cvr in existing:
                continue
            existing.add(cvr)
            trade, industry, kind = rng.choice(content.TRADES)
            name = f"{rng.choice(content.PLACES)} {trade} {rng.choice(content.LEGAL_FORMS)}"
            street, postcode = rng.choice(content.STREETS)
            address = f"{street} {rng.randint(1, 250)}"
            coordinator = self.coordinators[len(rows) % len(self.coordinators)].pk
            rows.append(
                (
                    next_id,
                    cvr,
                    name,
                    address,
                    postcode,
                    content.CITIES[postcode],
                    industry,
                    coordinator,
                    created,
                )
            )
            made.append(
                (
                    next_id,
                    coordinator,
                    name,
                    f"{address}, {postcode} {content.CITIES[postcode]}",
                    industry,
                )
            )
            kinds.append(kind)
            next_id += 1
        for start in range(0, len(rows), 20_000):
            with transaction.atomic():
                self._lock([Business])
                self.writers["business"].write(rows[start : start + 20_000])
                self._reset_sequences([Business])
        self.business_kinds = kinds
        return made

    # --- pass 2: write -------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        count = max(20, self.total // 10)
        self.log(f"{count} businesses …")
        self.businesses = self.create_businesses(count)
        self.log(f"Planning {self.total} cases …")
        specs = self.plan(len(self.businesses))
        written = {
            "cases": 0,
            "events": 0,
            "deliverables": 0,
            "tasks": 0,
            "answers": 0,
            "documents": 0,
        }
        for start in range(0, len(specs), self.batch_size):
            chunk = specs[start : start + self.batch_size]
            with transaction.atomic():
                self._lock([Case, Task, Deliverable, Document, ReferenceCounter])
                batch = self._build(chunk)
                w = self.writers
                w["case"].write(batch.cases)
                w["case_st"].write(batch.case_service_types)
                w["task"].write(batch.tasks)
                w["task_st"].write(batch.task_service_types)
                w["deliverable"].write(batch.deliverables)
                w["document"].write(batch.documents)
                w["answer"].write(batch.answers)
                w["event"].write(batch.events)
                self._save_counters()
                self._reset_sequences([Case, Task, Deliverable, Document])
            written["cases"] += len(batch.cases)
            written["events"] += len(batch.events)
            written["deliverables"] += len(batch.deliverables)
            written["tasks"] += len(batch.tasks)
            written["answers"] += len(batch.answers)
            written["documents"] += len(batch.documents)
            self.progress(len(chunk))
        self.log("Updating the query planner's statistics (ANALYZE) …")
        with connection.cursor() as cursor:
            # Without statistics SQLite's planner may start "my cases" from every open case;
            # PostgreSQL's autovacuum would get there too, but later.
            cursor.execute("ANALYZE")
        return written

    def _lock(self, tables: Iterable[type[models.Model]]) -> None:
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {names} IN EXCLUSIVE MODE")
        self.ids = Ids()
        self.counters = dict(ReferenceCounter.objects.values_list("year", "last"))
        self.counters_changed: set[int] = set()

    def _reset_sequences(self, tables: list[type[models.Model]]) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), tables)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)

    def _save_counters(self) -> None:
        for year in sorted(self.counters_changed):
            ReferenceCounter.objects.update_or_create(
                year=year, defaults={"last": self.counters[year]}
            )

    def next_reference(self, year: int) -> tuple[int, str]:
        number = self.counters.get(year, 0) + 1
        self.counters[year] = number
        self.counters_changed.add(year)
        return number, f"EK-{year}-{number:05d}"

    # --- one case ----------------------------------------------------------------------

    def fmt(self, day: dt.date) -> str:
        found = self._formatted.get(day)
        if found is None:
            found = self._formatted[day] = day.strftime("%d.%m.%Y")
        return found

    def at(self, day: dt.date, first_hour: int = 8, last_hour: int = 15) -> dt.datetime:
        """A random local time on ``day`` between the two hours."""
        seconds = self.rng.randint(first_hour * 3600, last_hour * 3600 + 3599)
        hour, minute, second = seconds // 3600, seconds // 60 % 60, seconds % 60
        return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=self.tz)

    def _build(self, specs: list[Spec]) -> Batch:
        batch = Batch()
        for spec in specs:
            self._case(spec, batch)
        return batch

    def _case(self, spec: Spec, batch: Batch) -> None:
        """The rows of one case: the same story the services would have written."""
        business_id, coordinator, name, address, industry = self.businesses[spec.business]
        draft = Draft(
            self, spec, batch, self.variants[spec.variant], coordinator, address, industry
        )
        draft.intake(business_id, name)
        if draft.screen():
            draft.supply()
            draft.answer()
            draft.close()
            draft.plan_and_tasks()
        draft.withdraw()
        draft.row["updated_at"] = draft.last_at
        batch.cases.append(tuple(draft.row[c] for c in CASE_COLUMNS))


class Draft:
    """One case being built, step by step, in the order things happened.

    Each step mirrors a service (intake, screening, material, decision, close, withdraw):
    it sets the fields the service sets and appends the events it writes, with its texts.
    """

    def __init__(
        self,
        loader: VolumeLoader,
        spec: Spec,
        batch: Batch,
        variant: Variant,
        coordinator: int,
        address: str,
        industry: str,
    ) -> None:
        self.loader = loader
        self.rng = loader.rng
        self.cal = loader.calendar
        self.fmt = loader.fmt
        self.spec = spec
        self.batch = batch
        self.v = variant
        self.coordinator = coordinator
        self.address = address
        self.industry = industry
        self.case_id = loader.ids.take(Case)
        self.state = spec.state
        self.row: dict[str, Any] = dict.fromkeys(CASE_COLUMNS)
        self.row.update(
            id=self.case_id,
            paused_working_days=0,
            service_target_waiting_days=0,
            decision_summary="",
            version=1,
        )
        self.missing: list[str] = []
        self.business_deliverables: list[int] = []
        self.supply_at: dt.datetime | None = None
        self.withdraw_at: dt.datetime | None = None

    def event(self, at: dt.datetime, kind: str, actor: int | None, text: str, **data: Any) -> None:
        self.batch.events.append((self.case_id, at, kind, actor, text, data))
        self.last_at = at

    def status(self, at: dt.datetime, actor: int | None, old: str, new: str, why: str = "") -> None:
        text = f"Status: {CaseStatus(old).label} → {CaseStatus(new).label}."
        old, new = str(old), str(new)
        self.event(at, "status_changed", actor, f"{text} {why}" if why else text, old=old, new=new)
        self.row["status"] = new
        self.row["version"] += 1

    def informed(self, at: dt.datetime, actor: int | None, day: dt.date) -> None:
        """The case is fully informed: the national service-target clock starts."""
        target = rules.service_target_date(day, self.v.national, 0)
        self.row["fully_informed_on"] = day
        self.row["service_target_date"] = target
        if target is not None:
            text = (
                f"Sagen er fuldt oplyst {self.fmt(day)}. Nationalt servicemål: afgørelse "
                f"senest {self.fmt(target)} ({self.v.national} kalenderdage)."
            )
        else:
            text = f"Sagen er fuldt oplyst {self.fmt(day)}."
        self.event(at, "fully_informed", actor, text)

    def document(self, key: str, actor: int | None, at: dt.datetime) -> None:
        path, size, sha256 = self.loader.documents[key]
        document_id = self.loader.ids.take(Document)
        self.batch.documents.append(
            (
                document_id,
                self.case_id,
                key,
                path,
                f"{key}.pdf",
                "application/pdf",
                size,
                sha256,
                actor,
                at,
            )
        )
        label = self.v.by_key[key].label
        text = f"Dokument modtaget til »{label}«: {key}.pdf (PDF, {size} byte)."
        self.event(at, "document_added", actor, text, document=document_id, requirement=key)

    def value(self, key: str, today: dt.date) -> Any:
        requirement = self.v.by_key[key]
        return content.answer_value(
            key,
            requirement.value_type,
            requirement.choice_values,
            self.rng,
            address=self.address,
            industry=self.industry,
            today=today,
        )

    # --- the steps -----------------------------------------------------------------------

    def intake(self, business_id: int, business_name: str) -> None:
        """inquiry_submit, and the documents sent with the inquiry."""
        rng, spec, v, row = self.rng, self.spec, self.v, self.row
        day = dt.date.fromordinal(spec.sort_key // 86400)
        seconds = spec.sort_key % 86400
        received = dt.datetime(
            day.year,
            day.month,
            day.day,
            seconds // 3600,
            seconds // 60 % 60,
            seconds % 60,
            tzinfo=self.loader.tz,
        )
        channel = CHANNELS[spec.channel]
        self.staff_registered = spec.channel in STAFF_CHANNELS
        registrar: int | None = None
        intake = received
        if self.staff_registered:
            registrar = rng.choice(self.loader.registrars)
            intake = received + dt.timedelta(minutes=rng.randint(10, 150))
        elif channel == Channel.API:
            registrar = self.loader.integration
        year = intake.year  # local: the receipt carries the municipality's time zone
        number, reference = self.loader.next_reference(year)
        due = rules.screening_due(received, self.cal, self.loader.screening_days)
        first, last = rng.choice(content.FIRST_NAMES), rng.choice(content.LAST_NAMES)
        phone = " ".join(str(rng.randint(10, 99)) for _ in range(4))
        row.update(
            reference=reference,
            year=year,
            number=number,
            business_id=business_id,
            contact_name=f"{first} {last}",
            contact_email=f"{content.slug(first)}@{content.slug(business_name)}.example",
            contact_phone=phone,
            description=(
                content.describe(v.template, rng, self.address)
                if v.template
                else f"Henvendelse om {v.names.lower()}."
            ),
            channel=str(channel),
            status=str(CaseStatus.RECEIVED),
            received_at=received,
            screening_due=due,
            created_by_id=registrar,
            **v.membership,
        )
        self.received, self.receipt_day, self.due = received, day, due
        who = "medarbejder" if registrar else "virksomheden"
        self.event(
            intake,
            "received",
            registrar,
            f"Henvendelse modtaget ({channel.label.lower()}, registreret af {who}). "
            f"Ydelser: {v.names}. Screening senest {self.fmt(due)}.",
            channel=str(channel),
            received_at=received.isoformat(),
            service_types=v.codes,
        )
        if self.staff_registered:
            self.event(
                intake,
                "receipt_backdated",
                registrar,
                f"Modtaget {self.fmt(day)} – registreret senere; fristen regnes fra modtagelsen.",
            )
        self.batch.case_service_types.extend((self.case_id, st_id) for st_id in v.ids)
        # What came with the inquiry; the missing mandatory items come later (or never).
        self.missing = rng.sample(v.mandatory, spec.missing) if spec.missing else []
        left_out = set(self.missing)
        intake_day = intake.date()
        moment, documents = intake, 0
        for key, requirement in v.by_key.items():
            if key in left_out:
                continue
            if requirement.kind == "document":
                if requirement.mandatory:
                    moment += dt.timedelta(minutes=rng.randint(1, 10))
                    self.document(key, registrar, moment)
                    documents += 1
            elif requirement.mandatory or rng.random() < 0.35:
                value = self.value(key, intake_day)
                self.batch.answers.append((self.case_id, key, value, registrar, intake))
        self.last_at = moment
        if not self.missing:
            # Complete at intake: informed from receipt (or from the last document's day).
            self.informed(moment, registrar, intake_day if documents else day)

    def screen(self) -> bool:
        """case_screen: coordinator, estimate, delivery plan, tasks; False if not screened."""
        spec, v, row, fmt = self.spec, self.v, self.row, self.fmt
        if self.state == RECEIVED or (
            self.state == WITHDRAWN and spec.withdraw_stage == WITHDRAW_AT_RECEIVED
        ):
            return False
        coordinator = self.coordinator
        planned = self.loader.at(self.cal.add_working_days(self.receipt_day, spec.lag))
        at = max(planned, self.last_at + dt.timedelta(minutes=30))
        day = at.date()
        estimate = rules.answer_estimate(day, v.service_types, self.cal)
        due_business = self.cal.add_working_days(day, self.loader.business_days)
        row.update(
            screened_at=at,
            screened_by_id=coordinator,
            coordinator_id=coordinator,
            estimated_answer_date=estimate,
            estimate_at_screening=estimate,
            screened_on=day,
            screening_working_days=self.cal.working_days_between(self.receipt_day, day),
            promised_answer_date=estimate,
        )
        self.screened_at, self.screen_day, self.due_business = at, day, due_business
        late = day > self.due
        missing = self.missing
        if missing:
            labels = "; ".join(v.by_key[k].label for k in missing)
            verdict = f"Mangler {len(missing)}: {labels}."
        else:
            verdict = "Alle oplysninger er modtaget."
        self.event(
            at,
            "screened",
            coordinator,
            f"Screenet {fmt(day)}{' (efter fristen)' if late else ''}. {verdict}",
            complete=not missing,
            missing=missing,
            on_time=not late,
        )
        name = self.loader.names[coordinator]
        self.event(
            at,
            "coordinator_appointed",
            coordinator,
            f"Tovholder: {name} (virksomhedens faste kontaktperson).",
            coordinator=self.loader.usernames[coordinator],
        )
        self.event(
            at,
            "estimate_set",
            coordinator,
            f"Forventet svar {fmt(estimate)}: {v.target} arbejdsdage efter screeningen "
            f"({v.longest.name} har den længste svartid).",
            new=estimate.isoformat(),
        )
        until = f" (senest {fmt(due_business)})." if missing else "."
        self.event(
            at,
            "delivery_plan",
            coordinator,
            f"Leveranceplan: kommunen leverer {len(v.ids)}, virksomheden {len(missing)}{until}",
        )
        for _, code, department, _, names in v.departments:
            text = f"Opgave til {department}: {names}."
            self.event(at, "task_created", coordinator, text, department=code)
        if missing:
            why = "Der mangler materiale."
            self.status(at, coordinator, CaseStatus.RECEIVED, CaseStatus.AWAITING_BUSINESS, why)
            row["paused_since"] = day
        else:
            self.status(at, coordinator, CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS)
        self.business_deliverables = [self.loader.ids.take(Deliverable) for _ in missing]
        return True

    def supply(self) -> None:
        """case_supply_answers / case_add_document: material arrives, the clock resumes."""
        spec, v, row, fmt = self.spec, self.v, self.row, self.fmt
        waiting = self.state == AWAITING or (
            self.state == WITHDRAWN and spec.withdraw_stage == WITHDRAW_AT_AWAITING
        )
        if not self.missing or waiting:
            return
        day = self.cal.add_working_days(self.screen_day, spec.supply)
        at = self.loader.at(day, 7, 21)
        self.supply_at = at
        for key in self.missing:
            requirement = v.by_key[key]
            if requirement.kind == "document":
                self.document(key, None, at)
                continue
            value = self.value(key, day)
            self.batch.answers.append((self.case_id, key, value, None, at))
            text = f"Svar på »{requirement.label}«: {value}"
            self.event(at, "answer_added", None, text, key=key, value=value)
        late = " (efter fristen)" if self.due_business < day else ""
        for deliverable_id, key in zip(self.business_deliverables, self.missing, strict=True):
            text = f"Leveret af virksomheden: {self._title(key)}{late}."
            self.event(at, "deliverable_delivered", None, text, deliverable=deliverable_id)
        self.informed(at, None, day)
        why = "Materialet fra virksomheden er modtaget."
        self.status(at, None, CaseStatus.AWAITING_BUSINESS, CaseStatus.IN_PROGRESS, why)
        paused = self.cal.working_days_between(self.screen_day, day)
        row["paused_since"] = None
        row["paused_working_days"] = paused
        if paused:
            before = row["estimated_answer_date"]
            after = self.cal.add_working_days(before, paused)
            row["estimated_answer_date"] = after
            row["promised_answer_date"] = self.cal.add_working_days(
                row["promised_answer_date"], paused
            )
            self.event(
                at,
                "estimate_moved",
                None,
                f"Forventet svar flyttet fra {fmt(before)} til {fmt(after)}: sagen ventede "
                f"{paused} arbejdsdage på materiale fra virksomheden (fra "
                f"{fmt(self.screen_day)} til {fmt(day)}).",
                old=before.isoformat(),
                new=after.isoformat(),
                paused_working_days=paused,
            )

    def answer(self) -> None:
        """case_record_decision."""
        if self.state not in (ANSWERED, CLOSED):
            return
        v, row, offset = self.v, self.row, self.spec.answer_offset
        estimate = row["estimated_answer_date"]
        if offset >= 0:
            day = self.cal.add_working_days(estimate, offset)
        else:
            day = self.cal.subtract_working_days(estimate, -offset)
        at = max(self.loader.at(day), self.last_at + dt.timedelta(hours=1))
        workers = self.loader.caseworkers.get(v.longest.department_id)
        decider = self.rng.choice(workers or [self.coordinator])
        summary = content.decision_summary(v.codes, self.rng)
        promised = row["estimated_answer_date"]  # moved only by the paused working days
        kept = at.date() <= promised
        self.status(at, decider, CaseStatus.IN_PROGRESS, CaseStatus.ANSWERED)
        self.event(
            at,
            "answered",
            decider,
            f"Svar givet {self.fmt(at.date())} ({'inden' if kept else 'efter'} den lovede "
            f"dato {self.fmt(promised)}): {summary}",
            on_time=kept,
        )
        answered_on = at.date()
        deviation = self.cal.working_days_between(promised, answered_on)
        target = row["service_target_date"]
        row.update(
            answered_at=at,
            decision_summary=summary,
            answered_on=answered_on,
            answer_working_days=self.cal.working_days_between(self.screen_day, answered_on),
            estimate_deviation_working_days=(
                max(1, deviation) if answered_on > promised else deviation
            ),
            service_target_met=answered_on <= target if target is not None else None,
        )

    def close(self) -> None:
        """case_close."""
        if self.state != CLOSED:
            return
        at = self.loader.at(self.cal.add_working_days(self.last_at.date(), self.spec.close))
        self.status(at, self.coordinator, CaseStatus.ANSWERED, CaseStatus.CLOSED)
        self.row["closed_at"] = at

    def withdraw(self) -> None:
        """case_withdraw: open promises waived, tasks cancelled (see plan_and_tasks)."""
        if self.state != WITHDRAWN:
            return
        at = self._withdraw_time()
        old = self.row["status"]
        reason = self.rng.choice(content.WITHDRAW_REASONS)
        actor = self.row["coordinator_id"] if self.staff_registered else None
        why = f"Trukket tilbage. {reason}"
        self.status(at, actor, old, CaseStatus.WITHDRAWN, why)
        self.row.update(withdrawn_at=at, paused_since=None)

    def _withdraw_time(self) -> dt.datetime:
        if self.withdraw_at is None:
            spec = self.spec
            if spec.withdraw_stage == WITHDRAW_AT_RECEIVED and spec.withdraw_offset == 0:
                self.withdraw_at = self.last_at + dt.timedelta(minutes=self.rng.randint(30, 240))
            else:
                day = self.cal.add_working_days(self.receipt_day, spec.withdraw_offset)
                self.withdraw_at = max(self.loader.at(day), self.last_at + dt.timedelta(minutes=5))
        return self.withdraw_at

    def _title(self, key: str) -> str:
        requirement = self.v.by_key[key]
        verb = "Send" if requirement.kind == "document" else "Oplys"
        return f"{verb}: {requirement.label}"

    def plan_and_tasks(self) -> None:
        """The delivery plan and the department tasks as they stand at the end."""
        row, batch, case_id = self.row, self.batch, self.case_id
        answered = self.state in (ANSWERED, CLOSED)
        withdrawn = self.state == WITHDRAWN
        done_at = row["answered_at"] if answered else self._withdraw_time() if withdrawn else None
        screened_at = self.screened_at
        for st in self.v.service_types:
            status, delivered, note = (
                ("delivered", done_at, "")
                if answered
                else ("waived", None, WITHDRAWN_NOTE)
                if withdrawn
                else ("pending", None, "")
            )
            batch.deliverables.append(
                (
                    self.loader.ids.take(Deliverable),
                    case_id,
                    "municipality",
                    f"Svar: {st.name}",
                    "",
                    st.pk,
                    row["estimated_answer_date"],
                    status,
                    delivered,
                    note,
                    screened_at,
                )
            )
        for deliverable_id, key in zip(self.business_deliverables, self.missing, strict=True):
            status, delivered, note = (
                ("delivered", self.supply_at, "")
                if self.supply_at
                else ("waived", None, WITHDRAWN_NOTE)
                if withdrawn
                else ("pending", None, "")
            )
            batch.deliverables.append(
                (
                    deliverable_id,
                    case_id,
                    "business",
                    self._title(key),
                    key,
                    None,
                    self.due_business,
                    status,
                    delivered,
                    note,
                    screened_at,
                )
            )
        for dept_id, _, _, st_ids, _ in self.v.departments:
            task_id = self.loader.ids.take(Task)
            workers = self.loader.caseworkers.get(dept_id)
            assignee = self.rng.choice(workers) if workers and self.rng.random() < 0.8 else None
            if answered:
                status = "done"
            elif withdrawn:
                status = "cancelled"
            else:
                status = "in_progress" if assignee and self.rng.random() < 0.6 else "open"
            done = done_at if answered or withdrawn else None
            # The task's own date (cases.models.task_due_expression): its answer lines all
            # carry the estimate, and when they are waived the estimate is the fallback.
            due = row["estimated_answer_date"]
            batch.tasks.append(
                (task_id, case_id, dept_id, status, assignee, screened_at, done, due)
            )
            batch.task_service_types.extend((task_id, st_id) for st_id in st_ids)
