"""Indexes for the promise dashboard (after 0006 filled the columns, so the backfill did not
have to maintain them).

One per date a KPI's period applies to, carrying (INCLUDE, PostgreSQL) the columns the KPI
reads, so PostgreSQL answers from the index alone instead of visiting a wide case row per
case; the open cases (backlog) and the pending deliverables as partial indexes; and the
case's service types by (service type, case), so a department or service-type filter reads
the matching lines from an index. SQLite builds the same indexes without INCLUDE.
"""

from django.db import migrations, models

THROUGH_INDEX = (
    "CREATE INDEX IF NOT EXISTS case_service_types_type_case "
    "ON cases_case_service_types (servicetype_id, case_id)"
)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_measure_fields_backfill'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['screening_due'], include=('screened_on', 'screening_working_days', 'status', 'coordinator', 'id'), name='case_screening_due'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['promised_answer_date'], include=('answered_on', 'status', 'paused_since', 'answer_working_days', 'estimate_deviation_working_days', 'coordinator', 'id'), name='case_promised_answer'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['answered_on'], include=('service_target_met', 'screening_working_days', 'answer_working_days', 'paused_working_days', 'coordinator', 'id'), name='case_answered_on'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('status__in', ('received', 'in_progress', 'awaiting_business'))), fields=['status'], include=('received_at', 'coordinator', 'screening_due', 'estimated_answer_date', 'service_target_date', 'paused_since', 'id'), name='case_open_backlog'),
        ),
        migrations.AddIndex(
            model_name='deliverable',
            index=models.Index(condition=models.Q(('status', 'pending')), fields=['due_date'], include=('case', 'party'), name='deliverable_pending_due'),
        ),
        migrations.RunSQL(
            THROUGH_INDEX, "DROP INDEX IF EXISTS case_service_types_type_case"
        ),
    ]
