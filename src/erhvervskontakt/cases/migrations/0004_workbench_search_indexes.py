"""Indexes for the workbench search on PostgreSQL (nothing on SQLite, which scans).

Full-text (Danish) on the case description, matching ``case_search``'s expression exactly,
and trigram indexes for substring search (``icontains`` = ``UPPER(x) LIKE UPPER(%s)``) on the
business name and address. pg_trgm needs CREATE privilege on the database; without it the
trigram indexes are skipped and substring search scans, as on SQLite.
"""

from django.db import migrations, transaction

FULL_TEXT = (
    "CREATE INDEX IF NOT EXISTS case_description_fts ON cases_case "
    "USING gin (to_tsvector('danish', description))"
)
TRIGRAM = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS business_name_trgm ON businesses_business "
    "USING gin (UPPER(name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS business_address_trgm ON businesses_business "
    "USING gin (UPPER(address::text) gin_trgm_ops)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FULL_TEXT)
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            for sql in TRIGRAM:
                schema_editor.execute(sql)
    except Exception:  # noqa: BLE001 - no pg_trgm here: substring search scans instead
        pass


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("case_description_fts", "business_name_trgm", "business_address_trgm"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_task_version"),
        ("businesses", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
