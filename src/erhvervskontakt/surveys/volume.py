"""Bulk survey data for the volume benchmark (``manage.py load_volume``): an invitation for
(nearly) every answered case and answers for about 40 % of them, written with ``bulk_create``
in batches, one transaction each — or PostgreSQL ``COPY`` (the default there, several times
faster).

The services are too slow for a million cases, so rows are written directly, but with what
the services would have stored: the invitation the working day after the answer, its expiry
(``services.expiry`` and the municipality's window), only a hash of a random token (nobody
can open these links), ``positive`` decided by each question's own rule, ``created_on`` and
``case`` repeated on the answers, and the same timeline events and texts. Negative overall
answers get no follow-up task here: the volume is for measuring the figures' speed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import connection, models, transaction
from django.db.models import Max, QuerySet

from erhvervskontakt.calendar.selectors import working_calendar
from erhvervskontakt.cases.models import Case, Event
from erhvervskontakt.catalogue.selectors import municipality
from erhvervskontakt.common import clock

from .models import Answer, Invitation, Occasion, Question
from .selectors import questions_for
from .services import expiry

ON_TIME_WEIGHTS = {5: 50, 4: 34, 3: 9, 2: 4, 1: 3}
LATE_WEIGHTS = {5: 15, 4: 30, 3: 25, 2: 18, 1: 12}
COMMENTS = {
    "good": ["Hurtigt svar og god vejledning undervejs.", "Godt med én kontaktperson."],
    "mixed": ["Fint forløb, men skemaet var svært at forstå."],
    "bad": ["Svaret kom senere end lovet.", "Vi måtte rykke for at få svar."],
}


@dataclass
class SurveyVolume:
    invited: int = 0
    responded: int = 0
    answers: int = 0
    events: int = 0


def _chunks(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _answers(rng: random.Random, on_time: bool) -> dict[str, object]:
    overall = rng.choices(
        list(ON_TIME_WEIGHTS), weights=list((ON_TIME_WEIGHTS if on_time else LATE_WEIGHTS).values())
    )[0]
    answers: dict[str, object] = {
        "overall": overall,
        "knew_deliverables": rng.random() < (0.9 if overall >= 3 else 0.5),
        "answer_on_time": on_time if rng.random() > 0.05 else not on_time,
        "contact_helpful": max(1, min(5, overall + rng.choice((-1, 0, 0, 1)))),
        "may_contact": rng.random() < 0.6,
    }
    if rng.random() < 0.3:
        mood = "good" if overall >= 4 else "mixed" if overall == 3 else "bad"
        answers["comments"] = rng.choice(COMMENTS[mood])
    return answers


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model``, taken before the rows are written, so the
    answers can point at their invitations without reading them back. PostgreSQL: from the
    table's sequence; SQLite: above the largest id (the IMMEDIATE transaction holds the
    write lock, and AUTOINCREMENT remembers the ids used)."""
    if not count:
        return []
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
    first = (model._default_manager.aggregate(last=Max("pk"))["last"] or 0) + 1
    return list(range(first, first + count))


def _write(
    model: type[models.Model], columns: list[str], rows: list[tuple[object, ...]], copy: bool
) -> None:
    if not rows:
        return
    if not copy:
        model._default_manager.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
        )
        return
    from psycopg import sql

    fields = {f.attname: f for f in model._meta.concrete_fields}
    json_at = [i for i, c in enumerate(columns) if isinstance(fields[c], models.JSONField)]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table),
        sql.SQL(", ").join(sql.Identifier(fields[c].column) for c in columns),
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as writer:
        for row in rows:
            if json_at:
                values = list(row)
                for i in json_at:
                    values[i] = json.dumps(values[i], ensure_ascii=False)
                writer.write_row(values)
            else:
                writer.write_row(row)


INVITATION_COLUMNS = [
    "id",
    "case_id",
    "occasion",
    "token_hash",
    "email",
    "language",
    "created_at",
    "created_on",
    "expires_at",
    "responded_at",
    "follow_up_task_id",
    "coordinator_id",
    "department_ids",
    "service_type_ids",
]
ANSWER_COLUMNS = [
    "invitation_id",
    "case_id",
    "question_id",
    "created_on",
    "value_int",
    "value_bool",
    "value_text",
    "positive",
    "coordinator_id",
    "department_ids",
    "service_type_ids",
]
# The survey's entries are the staff's log only: no line for the business (``business_text``
# empty), as ``surveys.services`` writes them.
EVENT_COLUMNS = [
    "case_id",
    "at",
    "kind",
    "actor_id",
    "text",
    "data",
    "internal",
    "business_text",
    "business_data",
]


def load_survey_volume(
    *,
    cases: QuerySet[Case] | Iterable[int] | None = None,
    seed: int = 2009,
    response_rate: float = 0.4,
    batch_size: int = 5000,
    method: str = "auto",
    progress: Callable[[int], None] = lambda n: None,
) -> SurveyVolume:
    """Invitations and answers for answered cases: a queryset, case ids, or (None) every
    answered case that has no answer-survey yet. ``method``: "copy" (PostgreSQL COPY),
    "orm" (``bulk_create``) or "auto" (copy on PostgreSQL, orm elsewhere). ``progress(n)``
    after each batch of n cases.
    """
    if method not in ("auto", "copy", "orm"):
        raise ValueError(f"unknown method {method!r}")
    copy = connection.vendor == "postgresql" if method == "auto" else method == "copy"
    if copy and connection.vendor != "postgresql":
        raise ValueError("COPY needs PostgreSQL; use method='orm'.")
    if cases is None:
        cases = Case.objects.filter(answered_at__isnull=False).exclude(
            survey_invitations__occasion=Occasion.ANSWER
        )
    if isinstance(cases, QuerySet):
        ids = list(cases.filter(answered_at__isnull=False).values_list("pk", flat=True))
    else:
        ids = list(cases)
    made = SurveyVolume()
    if not ids:
        return made
    rng = random.Random(seed)  # noqa: S311 (benchmark data, not secrets)
    questions = {q.key: q for q in questions_for(Occasion.ANSWER)}
    valid_days = municipality().survey_valid_days
    now = clock.now()
    calendar = working_calendar()
    next_working_day: dict[dt.date, dt.date] = {}  # a few hundred days, asked once each
    tz = clock.local_tz()
    for chunk in _chunks(ids, batch_size):
        with transaction.atomic():
            rows = Case.objects.filter(pk__in=chunk, answered_at__isnull=False).values_list(
                "pk",
                "answered_at",
                "contact_email",
                "estimate_at_screening",
                "coordinator_id",
                "department_ids",
                "service_type_ids",
            )
            planned = []
            dimensions: dict[int, tuple[int | None, str, str]] = {}
            for pk, answered_at, email, promised, coordinator, departments, types in rows:
                dimensions[pk] = (coordinator, departments, types)
                if answered_at is None:
                    continue
                answered_on = clock.local_date(answered_at)
                day = next_working_day.get(answered_on)
                if day is None:
                    day = next_working_day[answered_on] = calendar.add_working_days(answered_on, 1)
                created = dt.datetime.combine(day, dt.time(7, rng.randrange(60)), tzinfo=tz)
                if created > now:
                    continue
                responded = None
                if rng.random() < response_rate:
                    hours = rng.choice((1, 3, 6, 26, 50, 120))
                    responded = created + dt.timedelta(hours=hours, minutes=rng.randrange(60))
                    if responded > now:
                        responded = None
                on_time = promised is None or answered_on <= promised
                plan = _answers(rng, on_time) if responded else None
                planned.append((pk, email, day, created, responded, plan))
            invitation_ids = _reserve_ids(Invitation, len(planned))
            invitations: list[tuple[object, ...]] = []
            answers: list[tuple[object, ...]] = []
            events: list[tuple[object, ...]] = []
            for invitation_id, (pk, email, day, created, responded, plan) in zip(
                invitation_ids, planned, strict=True
            ):
                expires = expiry(created, valid_days)
                invitations.append(
                    (
                        invitation_id,
                        pk,
                        Occasion.ANSWER.value,
                        hashlib.sha256(rng.randbytes(32)).hexdigest(),
                        email,
                        "da",
                        created,
                        day,
                        expires,
                        responded,
                        None,
                        *dimensions[pk],
                    )
                )
                last_day = clock.local_date(expires - dt.timedelta(microseconds=1))
                data = {"invitation": invitation_id, "occasion": Occasion.ANSWER.value}
                events.append(
                    (
                        pk,
                        created,
                        "survey_invited",
                        None,
                        f"Link til tilfredshedsmåling (svar på sagen) lavet til {email}; "
                        f"det kan bruges til og med {last_day:%d.%m.%Y}.",
                        data,
                        True,
                        "",
                        {},
                    )
                )
                if plan is None:
                    continue
                events.append(
                    (
                        pk,
                        responded,
                        "survey_answered",
                        None,
                        "Tilfredshedsmåling besvaret. Tak for svaret.",
                        data,
                        False,
                        "",
                        {},
                    )
                )
                for key, value in plan.items():
                    question = questions.get(key)
                    if question is not None:
                        answers.append(
                            _answer(invitation_id, pk, day, question, value) + dimensions[pk]
                        )
            _write(Invitation, INVITATION_COLUMNS, invitations, copy)
            _write(Answer, ANSWER_COLUMNS, answers, copy)
            _write(Event, EVENT_COLUMNS, events, copy)
        made.invited += len(invitations)
        made.responded += sum(1 for item in planned if item[5] is not None)
        made.answers += len(answers)
        made.events += len(events)
        progress(len(chunk))
    return made


def _answer(
    invitation_id: int, case_id: int, day: dt.date, question: Question, value: object
) -> tuple[object, ...]:
    text = value if isinstance(value, str) else ""
    return (
        invitation_id,
        case_id,
        question.pk,
        day,
        value if isinstance(value, int) and not isinstance(value, bool) else None,
        value if isinstance(value, bool) else None,
        text,
        None if text else question.is_positive(value),  # type: ignore[arg-type]
    )
