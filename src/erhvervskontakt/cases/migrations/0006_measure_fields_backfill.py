"""Fill the measurement columns of the cases already there, from their stored dates.

What the services store from now on (``case_screen``, ``_resume``, ``case_record_decision``):

- ``screened_on``: the local date of ``screened_at``;
- ``screening_working_days``: working days from the local receipt date to ``screened_on``;
- ``promised_answer_date``: ``estimate_at_screening`` moved by ``paused_working_days``;
- ``answered_on``: the local date of ``answered_at``;
- ``answer_working_days``: working days from ``screened_on`` to ``answered_on``;
- ``estimate_deviation_working_days``: working days from ``promised_answer_date`` to
  ``answered_on`` (negative: answered before the promise; an answer after the promised date
  is at least 1, also on the weekend after it);
- ``service_target_met``: ``answered_on <= service_target_date``.

With the municipality's calendar as stored now. Not atomic: batches of 2,000 cases by id, each
its own transaction (one UPDATE … FROM VALUES on PostgreSQL), so a million cases never sit in
one transaction; running it again gives the same values. The working days come from a table of cumulative counts built once, so each
case costs a few look-ups, not a walk through the calendar.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, transaction
from django.db.models import Max, Min

from erhvervskontakt.calendar.workdays import WorkingCalendar

BATCH = 2000
COLUMNS = (
    "screened_on",
    "screening_working_days",
    "promised_answer_date",
    "answered_on",
    "answer_working_days",
    "estimate_deviation_working_days",
    "service_target_met",
)


class Counts:
    """Working days by cumulative counts over [first, last]; the calendar itself outside."""

    def __init__(self, calendar, first, last):
        self.calendar = calendar
        self.first = first
        self.last = last
        self.cumulative = []
        self.working = []
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                self.working.append(day)
            self.cumulative.append(len(self.working))
            day += dt.timedelta(days=1)

    def _inside(self, day):
        return self.first <= day <= self.last

    def between(self, start, end):
        if self._inside(start) and self._inside(end):
            return (
                self.cumulative[(end - self.first).days]
                - self.cumulative[(start - self.first).days]
            )
        return self.calendar.working_days_between(start, end)

    def add(self, start, days):
        if days == 0:
            return start
        if self._inside(start):
            ordinal = self.cumulative[(start - self.first).days] + days
            if ordinal <= len(self.working):
                return self.working[ordinal - 1]
        return self.calendar.add_working_days(start, days)


def _deviation(counts, promised, answered_on):
    """Signed working days from the promise to the answer; a late answer is at least 1."""
    if promised is None or answered_on is None:
        return None
    days = counts.between(promised, answered_on)
    return max(1, days) if answered_on > promised else days


TYPES = ("date", "smallint", "date", "date", "smallint", "smallint", "boolean")


def _update(connection, table, rows):
    """rows: the COLUMNS' values, then the id. One statement per batch on PostgreSQL."""
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        row = "(" + ", ".join(f"%s::{t}" for t in TYPES) + ", %s::bigint)"
        names = ", ".join([*COLUMNS, "id"])
        assignments = ", ".join(f"{quote(c)} = v.{c}" for c in COLUMNS)
        sql = (
            f"UPDATE {quote(table)} AS c SET {assignments} "  # noqa: S608
            f"FROM (VALUES {', '.join([row] * len(rows))}) AS v({names}) WHERE c.id = v.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for values in rows for value in values])
        return
    assignments = ", ".join(f"{quote(c)} = %s" for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {quote(table)} SET {assignments} WHERE id = %s", rows)  # noqa: S608


def _calendar(apps):
    ClosingDay = apps.get_model("workcalendar", "ClosingDay")
    recurring, one_off = set(), set()
    for day, is_recurring in ClosingDay.objects.values_list("date", "recurring"):
        if is_recurring:
            recurring.add((day.month, day.day))
        else:
            one_off.add(day)
    return WorkingCalendar.of(recurring=recurring, one_off=one_off)


def forwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    connection = schema_editor.connection
    screened = Case.objects.using(connection.alias).filter(screened_at__isnull=False)
    span = screened.aggregate(
        first=Min("received_at"),
        last_estimate=Max("estimate_at_screening"),
        last_answer=Max("answered_at"),
    )
    if span["first"] is None:
        return
    tz = ZoneInfo(settings.TIME_ZONE)
    first = span["first"].astimezone(tz).date() - dt.timedelta(days=7)
    last = max(
        d
        for d in (
            span["last_estimate"],
            span["last_answer"] and span["last_answer"].astimezone(tz).date(),
            dt.date.today(),  # noqa: DTZ011 - only the end of a look-up table
        )
        if d
    ) + dt.timedelta(days=800)
    counts = Counts(_calendar(apps), first, last)
    adapt = connection.ops.adapt_datefield_value
    after = 0
    while True:
        rows = list(
            screened.filter(id__gt=after)
            .order_by("id")
            .values_list(
                "id",
                "received_at",
                "screened_at",
                "estimate_at_screening",
                "paused_working_days",
                "answered_at",
                "service_target_date",
            )[:BATCH]
        )
        if not rows:
            return
        values = []
        for pk, received_at, screened_at, estimate, paused, answered_at, target in rows:
            screened_on = screened_at.astimezone(tz).date()
            promised = counts.add(estimate, paused or 0) if estimate else None
            answered_on = answered_at.astimezone(tz).date() if answered_at else None
            values.append(
                (
                    adapt(screened_on),
                    counts.between(received_at.astimezone(tz).date(), screened_on),
                    adapt(promised),
                    adapt(answered_on),
                    counts.between(screened_on, answered_on) if answered_on else None,
                    _deviation(counts, promised, answered_on),
                    answered_on <= target if answered_on and target else None,
                    pk,
                )
            )
        with transaction.atomic(using=connection.alias):
            _update(connection, Case._meta.db_table, values)
        after = rows[-1][0]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0005_measure_fields"),
        # The closing-day table; not its seed (0002): a test that migrates the calendar
        # back to 0001 would otherwise take these cases migrations back with it.
        ("workcalendar", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
