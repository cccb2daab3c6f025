"""My cases read from two covering indexes, one per half (selectors.MyCases).

case_coordinator_status_due starts with the columns of case_coordinator_status, so it
replaces it; it is built first, so no moment is left without one of them.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_alter_case_channel"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["coordinator", "status", "estimated_answer_date", "screening_due"],
                name="case_coordinator_status_due",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=[
                    "business",
                    "status",
                    "coordinator",
                    "estimated_answer_date",
                    "screening_due",
                ],
                name="case_business_status_due",
            ),
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_coordinator_status",
        ),
    ]
