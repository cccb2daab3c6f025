"""The case's departments and service types on its row (``Case.department_ids``,
``service_type_ids``, as ``|3|7|``), for the promise dashboard's filters; and its covering
indexes carry them, so a filtered KPI is still read from one index.

Filled for the cases already there from their service types (and those service types'
departments now), 5,000 cases at a time, each batch its own transaction (the migration is
not atomic; running it again gives the same values). The indexes are rebuilt after the fill.
"""

from django.db import migrations, models, transaction

BATCH = 5000


def _bars(ids):
    unique = sorted(set(ids))
    return "|" + "|".join(str(i) for i in unique) + "|" if unique else ""


def _update(connection, table, rows):
    """rows: (department_ids, service_type_ids, id). One statement per batch on PostgreSQL."""
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        values = ", ".join(["(%s::bigint, %s, %s)"] * len(rows))
        params = [value for d, s, pk in rows for value in (pk, d, s)]
        sql = (
            f"UPDATE {quote(table)} AS c SET department_ids = v.d, service_type_ids = v.s "  # noqa: S608
            f"FROM (VALUES {values}) AS v(id, d, s) WHERE c.id = v.id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return
    sql = f"UPDATE {quote(table)} SET department_ids = %s, service_type_ids = %s WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def forwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    ServiceType = apps.get_model("catalogue", "ServiceType")
    connection = schema_editor.connection
    alias = connection.alias
    department_of = dict(ServiceType.objects.using(alias).values_list("id", "department_id"))
    lines = Case.service_types.through.objects.using(alias)
    after = 0
    while True:
        ids = list(
            Case.objects.using(alias)
            .filter(id__gt=after)
            .order_by("id")
            .values_list("id", flat=True)[:BATCH]
        )
        if not ids:
            return
        types = {}
        for case_id, type_id in lines.filter(case_id__gte=ids[0], case_id__lte=ids[-1]).values_list(
            "case_id", "servicetype_id"
        ):
            types.setdefault(case_id, []).append(type_id)
        rows = [
            (
                _bars(department_of[t] for t in types.get(pk, [])),
                _bars(types.get(pk, [])),
                pk,
            )
            for pk in ids
        ]
        with transaction.atomic(using=alias):
            _update(connection, Case._meta.db_table, rows)
        after = ids[-1]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('cases', '0007_measure_indexes'),
        ('catalogue', '0001_initial'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='case_screening_due',
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_promised_answer',
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_answered_on',
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_open_backlog',
        ),
        migrations.AddField(
            model_name='case',
            name='department_ids',
            field=models.CharField(blank=True, max_length=200, verbose_name="afdelinger (id'er)"),
        ),
        migrations.AddField(
            model_name='case',
            name='service_type_ids',
            field=models.CharField(blank=True, max_length=500, verbose_name="ydelser (id'er)"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['screening_due'], include=('screened_on', 'screening_working_days', 'status', 'coordinator', 'department_ids', 'service_type_ids', 'id'), name='case_screening_due'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['promised_answer_date'], include=('answered_on', 'status', 'paused_since', 'answer_working_days', 'estimate_deviation_working_days', 'coordinator', 'department_ids', 'service_type_ids', 'id'), name='case_promised_answer'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['answered_on'], include=('service_target_met', 'screening_working_days', 'answer_working_days', 'paused_working_days', 'coordinator', 'department_ids', 'service_type_ids', 'id'), name='case_answered_on'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('status__in', ('received', 'in_progress', 'awaiting_business'))), fields=['status'], include=('received_at', 'coordinator', 'screening_due', 'estimated_answer_date', 'service_target_date', 'paused_since', 'department_ids', 'service_type_ids', 'id'), name='case_open_backlog'),
        ),
    ]
