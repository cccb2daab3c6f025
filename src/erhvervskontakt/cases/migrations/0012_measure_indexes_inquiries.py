"""The promise dashboard's indexes hold inquiries only (``cases.models.INQUIRY``: the KPIs
leave inspection visits out), and new ones read less:

* ``case_inquiry_screening_slim`` and ``case_inquiry_promised_slim``: for the screening and
  answer KPIs without a department, service-type or coordinator filter, only the columns
  they read, all in the key, so B-tree deduplication stores the many equal entries once (a
  tenth of the covering index's size, two thirds of its reading time);
* ``case_inquiry_target_answered``: the answered cases with a national service target (a
  third of those answered), for the service-target KPI;
* ``case_inquiry_open`` (replaces ``case_open_backlog``) keyed by the service-target date, so
  the open cases past their target in a period are a range of it, not a scan of every open
  case.

Each new index is built before the one it replaces is dropped, so no moment is left without
one. SQLite builds them too, without the carried (INCLUDE) columns.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_my_cases_due_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("channel", "inspection"), _negated=True),
                fields=["screening_due"],
                include=(
                    "screened_on",
                    "screening_working_days",
                    "status",
                    "coordinator",
                    "department_ids",
                    "service_type_ids",
                    "id",
                ),
                name="case_inquiry_screening_due",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("channel", "inspection"), _negated=True),
                fields=["promised_answer_date"],
                include=(
                    "answered_on",
                    "status",
                    "paused_since",
                    "answer_working_days",
                    "estimate_deviation_working_days",
                    "coordinator",
                    "department_ids",
                    "service_type_ids",
                    "id",
                ),
                name="case_inquiry_promised_answer",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("channel", "inspection"), _negated=True),
                fields=["screening_due", "status", "screened_on", "screening_working_days"],
                name="case_inquiry_screening_slim",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("channel", "inspection"), _negated=True),
                fields=[
                    "promised_answer_date",
                    "status",
                    "answered_on",
                    "paused_since",
                    "answer_working_days",
                    "estimate_deviation_working_days",
                ],
                name="case_inquiry_promised_slim",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("channel", "inspection"), _negated=True),
                fields=["answered_on"],
                include=(
                    "service_target_met",
                    "screening_working_days",
                    "answer_working_days",
                    "paused_working_days",
                    "coordinator",
                    "department_ids",
                    "service_type_ids",
                    "id",
                ),
                name="case_inquiry_answered_on",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    models.Q(("channel", "inspection"), _negated=True),
                    ("service_target_met__isnull", False),
                ),
                fields=["answered_on"],
                include=("service_target_met", "coordinator", "department_ids", "service_type_ids"),
                name="case_inquiry_target_answered",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    models.Q(("channel", "inspection"), _negated=True),
                    ("status__in", ("received", "in_progress", "awaiting_business")),
                ),
                fields=["service_target_date"],
                include=(
                    "status",
                    "received_at",
                    "coordinator",
                    "screening_due",
                    "estimated_answer_date",
                    "paused_since",
                    "department_ids",
                    "service_type_ids",
                    "id",
                ),
                name="case_inquiry_open",
            ),
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_screening_due",
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_promised_answer",
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_answered_on",
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_open_backlog",
        ),
    ]
