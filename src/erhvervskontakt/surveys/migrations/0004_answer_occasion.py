"""The answers carry their invitation's occasion (after an answer, after an inspection
visit), so each occasion's satisfaction figures are read from an index without joining the
invitations; the figures' indexes lead with it.

The column's database default is "answer" (what every answer so far was about, and what the
bulk loaders write); the few answers after an inspection visit are set from their
invitations.
"""

from django.db import migrations, models


def copy_occasion(apps, schema_editor):
    Answer = apps.get_model("surveys", "Answer")
    Invitation = apps.get_model("surveys", "Invitation")
    for occasion in (
        Invitation.objects.exclude(occasion="answer").values_list("occasion", flat=True).distinct()
    ):
        Answer.objects.filter(invitation__occasion=occasion).update(occasion=occasion)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0003_case_dimensions"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="answer",
            name="survey_answer_on",
        ),
        migrations.RemoveIndex(
            model_name="answer",
            name="survey_answer_question_on",
        ),
        migrations.RemoveIndex(
            model_name="answer",
            name="survey_answer_dimensions",
        ),
        migrations.RemoveIndex(
            model_name="invitation",
            name="invitation_created_on",
        ),
        migrations.RemoveIndex(
            model_name="invitation",
            name="invitation_dimensions",
        ),
        migrations.AddField(
            model_name="answer",
            name="occasion",
            field=models.CharField(
                choices=[("answer", "Svar på sagen"), ("inspection", "Tilsynsbesøg")],
                db_default="answer",
                max_length=12,
                verbose_name="anledning",
            ),
        ),
        migrations.RunPython(copy_occasion, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(
                fields=["occasion", "created_on", "question", "positive", "case"],
                name="survey_answer_on",
            ),
        ),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(
                fields=["question", "occasion", "created_on", "positive", "case"],
                name="survey_answer_question_on",
            ),
        ),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(
                fields=["question", "occasion", "created_on"],
                include=("positive", "coordinator", "department_ids", "service_type_ids"),
                name="survey_answer_dimensions",
            ),
        ),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(
                fields=["occasion", "created_on", "responded_at"], name="invitation_created_on"
            ),
        ),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(
                fields=["occasion", "created_on"],
                include=("responded_at", "coordinator", "department_ids", "service_type_ids"),
                name="invitation_dimensions",
            ),
        ),
    ]
