"""The database refuses to change the read log or to delete a read younger than 6 months,
through the ORM and through raw SQL alike, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from erhvervskontakt.audit.models import PersonalDataRead
from erhvervskontakt.audit.services import personal_data_read_record

from .conftest import old_read

pytestmark = pytest.mark.django_db

TABLE = PersonalDataRead._meta.db_table
UPDATE = f"UPDATE {TABLE} SET purpose = %s WHERE id = %s"  # noqa: S608 (our table's name)
DELETE = f"DELETE FROM {TABLE} WHERE id = %s"  # noqa: S608


def refused(sql: str, params: list[object]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except IntegrityError:
        return True
    return False


def test_a_read_cannot_be_changed_with_sql_or_the_orm(karen):
    young = personal_data_read_record(user=karen, use="view", purpose="case_handling")
    old = old_read(400)

    for row in (young, old):
        assert refused(UPDATE, ["statistics", row.pk])
        with pytest.raises(IntegrityError), transaction.atomic():
            PersonalDataRead.objects.filter(pk=row.pk).update(criterion="ændret")
        with pytest.raises(IntegrityError), transaction.atomic():
            row.person = "en@anden.dk"
            row.save()

    assert set(PersonalDataRead.objects.values_list("purpose", "criterion", "person")) == {
        ("case_handling", "", "")
    }


def test_a_read_younger_than_six_months_cannot_be_deleted(karen):
    young = personal_data_read_record(user=karen, use="view", purpose="case_handling")
    almost = old_read(182)

    for row in (young, almost):
        assert refused(DELETE, [row.pk])
        with pytest.raises(IntegrityError), transaction.atomic():
            PersonalDataRead.objects.filter(pk=row.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonalDataRead.objects.all().delete()

    assert PersonalDataRead.objects.count() == 2


def test_a_read_older_than_six_months_can_be_deleted_with_sql_and_the_orm():
    first, second = old_read(184), old_read(400)

    assert not refused(DELETE, [first.pk])
    PersonalDataRead.objects.filter(pk=second.pk).delete()

    assert PersonalDataRead.objects.count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_the_log_cannot_be_truncated_on_postgresql():
    old_read(400)
    with connection.cursor() as cursor:  # the insert's foreign-key checks, done now
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert refused(f"TRUNCATE {TABLE}", [])
    assert PersonalDataRead.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_leaves_its_guards_in_place(karen):
    personal_data_read_record(user=karen, use="view", purpose="case_handling")

    call_command("flush", interactive=False, verbosity=0)

    assert PersonalDataRead.objects.count() == 0
    row = personal_data_read_record(user=None, use="view", purpose="case_handling")
    assert refused(UPDATE, ["statistics", row.pk])
    assert refused(DELETE, [row.pk])


@pytest.mark.django_db(transaction=True)
def test_outside_the_test_suite_flush_is_refused_while_the_log_holds_young_reads(karen, settings):
    settings.READ_LOG_FLUSH_ALLOWED = False  # as on any real installation
    personal_data_read_record(user=karen, use="view", purpose="case_handling")

    with pytest.raises(CommandError):
        call_command("flush", interactive=False, verbosity=0)

    assert PersonalDataRead.objects.count() == 1
    settings.READ_LOG_FLUSH_ALLOWED = True  # the suite's own flush after this test
