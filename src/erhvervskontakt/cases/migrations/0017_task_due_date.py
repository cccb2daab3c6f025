"""``Task.due_date``: the department's own date, stored (issue 18), so a department's inbox
is an indexed read in date order instead of a correlated subquery over every open task.

The backfill is one UPDATE with the same rule as ``cases.models.task_due_expression``
(written out here against the historical models): the latest municipal answer line of the
case for one of the task's service types that is not waived, else the case's estimate.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    Task = apps.get_model("cases", "Task")
    Deliverable = apps.get_model("cases", "Deliverable")
    Case = apps.get_model("cases", "Case")
    lines = (
        Deliverable.objects.filter(
            case_id=OuterRef("case_id"),
            party="municipality",
            service_type__tasks=OuterRef("pk"),
        )
        .exclude(status="waived")
        .order_by("-due_date")
        .values("due_date")[:1]
    )
    estimate = Case.objects.filter(pk=OuterRef("case_id")).values("estimated_answer_date")[:1]
    Task.objects.update(
        due_date=Coalesce(
            Subquery(lines, output_field=models.DateField()),
            Subquery(estimate, output_field=models.DateField()),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_case_estimate_basis"),
        ("catalogue", "0008_retention_settings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="due_date",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="frist"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(status__in=["open", "in_progress"]),
                fields=["department", "due_date", "id"],
                name="task_inbox",
            ),
        ),
    ]
