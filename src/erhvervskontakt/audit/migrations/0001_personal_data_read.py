"""The personal-data read log and the database's guards on it (``audit.triggers``)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from erhvervskontakt.audit import triggers


def create_guards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in triggers.create_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def drop_guards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for sql in triggers.drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("businesses", "0002_production_unit"),
        ("cases", "0014_business_history_of_existing_events"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonalDataRead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(db_index=True, verbose_name="tidspunkt")),
                (
                    "use",
                    models.CharField(
                        choices=[
                            ("view", "visning"),
                            ("search", "søgning"),
                            ("export", "udtræk"),
                            ("api_read", "opslag via API"),
                            ("document", "dokument åbnet"),
                        ],
                        max_length=20,
                        verbose_name="anvendelse",
                    ),
                ),
                (
                    "purpose",
                    models.CharField(
                        choices=[
                            ("screening", "screening"),
                            ("case_handling", "sagsbehandling"),
                            ("inspection", "tilsyn"),
                            ("statistics", "statistik og opfølgning"),
                            ("administration", "administration"),
                            ("access_request", "indsigtsanmodning"),
                        ],
                        max_length=20,
                        verbose_name="formål",
                    ),
                ),
                (
                    "person",
                    models.CharField(
                        blank=True,
                        help_text=(
                            "Den registreredes e-mail (normaliseret), når opslaget handler om "
                            "en person."
                        ),
                        max_length=254,
                        verbose_name="person",
                    ),
                ),
                (
                    "criterion",
                    models.CharField(blank=True, max_length=1000, verbose_name="søgekriterium"),
                ),
                ("route", models.CharField(blank=True, max_length=200, verbose_name="side")),
                (
                    "request_id",
                    models.CharField(blank=True, max_length=64, verbose_name="forespørgsels-id"),
                ),
                (
                    "business",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="businesses.business",
                        verbose_name="virksomhed",
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cases.case",
                        verbose_name="sag",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="medarbejder",
                    ),
                ),
            ],
            options={
                "verbose_name": "opslag i personoplysninger",
                "verbose_name_plural": "opslag i personoplysninger",
                "ordering": ["-at", "-id"],
                "indexes": [
                    models.Index(fields=["business", "at"], name="audit_read_business_at"),
                    models.Index(fields=["person", "at"], name="audit_read_person_at"),
                ],
            },
        ),
        migrations.RunPython(create_guards, drop_guards, elidable=False),
    ]
