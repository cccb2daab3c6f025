"""The database's refusal to change the read log: no UPDATE ever, no DELETE of a row younger
than 183 days (``models.RETENTION``), on PostgreSQL no TRUNCATE either.

Triggers, so every path of the application (the ORM, raw SQL, the admin, a shell) meets
them; the rule is the database's clock, not the application's (which the demo loader and
tests move). They guard against the application, not against the owner of the table, who
may drop them: a separate database role with only INSERT/SELECT on the table is the
production hardening on top (docs).

Migration 0001 creates them with this SQL. A later migration that alters the table on
SQLite rebuilds it (and loses its triggers): it must run ``CREATE`` again, and
``tests/test_append_only.py`` fails until it does. ``manage.py flush`` (the test suite's
emptying of the database between transactional tests) lifts them for its own statement
only (``management/commands/flush.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_personaldataread"
DAYS = 183

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
    BEGIN
        SELECT RAISE(ABORT, 'The personal-data read log cannot be changed.');
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {TABLE}_no_early_delete BEFORE DELETE ON {TABLE}
    WHEN OLD.at > datetime('now', '-{DAYS} days')
    BEGIN
        SELECT RAISE(ABORT, 'A personal-data read is kept {DAYS} days.');
    END
    """,
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_early_delete",
]

# ERRCODE restrict_violation (class 23): Django raises IntegrityError, as on SQLite.
POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION {TABLE}_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'The personal-data read log cannot be changed.'
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF TG_OP = 'TRUNCATE' THEN
            RAISE EXCEPTION 'The personal-data read log cannot be emptied.'
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.at > now() - interval '{DAYS} days' THEN
            RAISE EXCEPTION 'A personal-data read is kept {DAYS} days.'
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN OLD;
    END
    $$
    """,
    f"""
    CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_guard()
    """,
    f"""
    CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_guard()
    """,
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_guard()",
]


def create_sql(vendor: str) -> list[str]:
    return {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}.get(vendor, [])


def drop_sql(vendor: str) -> list[str]:
    return {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(vendor, [])


def _table_exists(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        return TABLE in connection.introspection.table_names(cursor)


@contextmanager
def lifted_for_flush(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """The guards off while ``flush`` empties every table, and back on after (also when the
    flush fails). On PostgreSQL flush truncates, which only the TRUNCATE guard stops; on
    SQLite it deletes, which the DELETE guard stops for young rows."""
    if not _table_exists(connection):
        yield
        return
    statements = {
        "sqlite": (SQLITE_DROP, SQLITE_CREATE),
        "postgresql": (
            [f"ALTER TABLE {TABLE} DISABLE TRIGGER {TABLE}_no_truncate"],
            [f"ALTER TABLE {TABLE} ENABLE TRIGGER {TABLE}_no_truncate"],
        ),
    }.get(connection.vendor, ([], []))
    off, on = statements
    with connection.cursor() as cursor:
        for sql in off:
            cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for sql in on:
                cursor.execute(sql)
