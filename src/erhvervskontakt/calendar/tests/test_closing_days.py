"""The municipality's closing days (lukkedage) as stored: model, defaults, services, selector,
and the Django admin where an administrator maintains them."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from erhvervskontakt.calendar import selectors
from erhvervskontakt.calendar.models import ClosingDay
from erhvervskontakt.calendar.services import closing_day_add, closing_days_seed_defaults
from erhvervskontakt.common.errors import ValidationFailed

D = dt.date
DEFAULT_DAYS = {
    ((6, 5), "Grundlovsdag"),
    ((12, 24), "Juleaftensdag"),
    ((12, 31), "Nytårsaftensdag"),
}


def stored_closing_days() -> set[tuple[tuple[int, int], str, bool]]:
    return {(row.month_day, row.name, row.recurring) for row in ClosingDay.objects.all()}


# --- The defaults -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_stores_the_three_default_recurring_closing_days():
    # given the closing-day table as the first migration leaves it, empty
    executor = MigrationExecutor(connection)
    executor.migrate([("workcalendar", "0001_initial")])
    ClosingDay.objects.all().delete()

    # when the data migration runs
    executor = MigrationExecutor(connection)
    executor.migrate([("workcalendar", "0002_default_closing_days")])

    # then 5 June, 24 and 31 December are closed every year
    assert stored_closing_days() == {(md, name, True) for md, name in DEFAULT_DAYS}


@pytest.mark.django_db
def test_the_migrations_seed_keeps_closing_days_already_there():
    # given the defaults are stored (conftest) and a one-off closing day beside them
    closing_day_add(day=D(2026, 11, 27), name="Personaledag")
    seed = importlib.import_module("erhvervskontakt.calendar.migrations.0002_default_closing_days")

    # when the migration's seed runs again
    seed.seed(apps, None)

    # then nothing is doubled or lost
    assert ClosingDay.objects.count() == 4


@pytest.mark.django_db
def test_seeding_the_defaults_stores_5_june_24_and_31_december_as_recurring():
    # given no closing days at all
    ClosingDay.objects.all().delete()

    # when the defaults are seeded
    created = closing_days_seed_defaults()

    # then the three are stored, every year
    assert created == 3
    assert stored_closing_days() == {(md, name, True) for md, name in DEFAULT_DAYS}


@pytest.mark.django_db
def test_seeding_the_defaults_twice_stores_them_once():
    # given the defaults are stored (conftest seeds them for every database test)
    assert ClosingDay.objects.count() == 3

    # when they are seeded again
    created = closing_days_seed_defaults()

    # then nothing new is stored
    assert created == 0
    assert ClosingDay.objects.count() == 3


@pytest.mark.django_db
def test_seeding_the_defaults_adds_only_the_ones_missing():
    ClosingDay.objects.filter(name="Juleaftensdag").delete()

    created = closing_days_seed_defaults()

    assert created == 1
    assert stored_closing_days() == {(md, name, True) for md, name in DEFAULT_DAYS}


@pytest.mark.django_db
def test_the_stored_defaults_close_5_june_24_and_31_december_every_year():
    calendar = selectors.working_calendar()

    for year in (2027, 2030):
        for day in (D(year, 6, 5), D(year, 12, 24), D(year, 12, 31)):
            assert not calendar.is_working_day(day)
    # weekdays in 2026, so closed for being closing days
    assert calendar.closed_reason(D(2026, 6, 5)) == "Lukkedag"  # Friday
    assert calendar.closed_reason(D(2026, 12, 24)) == "Lukkedag"  # Thursday
    assert calendar.closed_reason(D(2026, 12, 31)) == "Lukkedag"  # Thursday


# --- Adding closing days ------------------------------------------------------------------


@pytest.mark.django_db
def test_adding_a_one_off_closing_day_stores_that_date():
    closing = closing_day_add(day=D(2026, 11, 27), name="Personaledag")

    closing.refresh_from_db()
    assert (closing.date, closing.name, closing.recurring) == (
        D(2026, 11, 27),
        "Personaledag",
        False,
    )


@pytest.mark.django_db
def test_adding_a_recurring_closing_day_keeps_only_its_month_and_day():
    # given a recurring day given as 20 November 2026
    first = closing_day_add(day=D(2026, 11, 20), name="Kommunens fødselsdag", recurring=True)

    # when the same recurring day is added as 20 November 2031
    again = closing_day_add(day=D(2031, 11, 20), name="Kommunens fødselsdag", recurring=True)

    # then it is one row, closed on 20 November every year
    assert again.pk == first.pk
    assert ClosingDay.objects.filter(recurring=True).count() == 4  # the 3 defaults + this
    calendar = selectors.working_calendar()
    assert not calendar.is_working_day(D(2026, 11, 20))  # Friday
    assert not calendar.is_working_day(D(2028, 11, 20))  # Monday


@pytest.mark.django_db
def test_adding_the_same_one_off_closing_day_twice_stores_it_once():
    first = closing_day_add(day=D(2026, 11, 27), name="Personaledag")

    again = closing_day_add(day=D(2026, 11, 27), name="Personaledag")

    assert again.pk == first.pk
    assert ClosingDay.objects.filter(recurring=False).count() == 1


@pytest.mark.django_db
def test_a_one_off_and_a_recurring_closing_day_on_the_same_date_are_two_rows():
    closing_day_add(day=D(2026, 11, 27), name="Personaledag")
    closing_day_add(day=D(2026, 11, 27), name="Årlig personaledag", recurring=True)

    assert ClosingDay.objects.filter(date__month=11, date__day=27).count() == 2


@pytest.mark.django_db
def test_adding_a_recurring_closing_day_on_29_february_is_refused():
    with pytest.raises((ValidationError, ValidationFailed)):
        closing_day_add(day=D(2028, 2, 29), name="Skuddag", recurring=True)

    assert not ClosingDay.objects.filter(date__month=2, date__day=29).exists()


@pytest.mark.django_db
def test_a_one_off_closing_day_on_29_february_is_allowed():
    closing_day_add(day=D(2028, 2, 29), name="Skuddag")  # a Tuesday

    assert not selectors.working_calendar().is_working_day(D(2028, 2, 29))


# --- The model ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_closing_day_cannot_be_stored_twice():
    ClosingDay.objects.create(date=D(2026, 11, 27), name="Personaledag")

    with pytest.raises(IntegrityError), transaction.atomic():
        ClosingDay.objects.create(date=D(2026, 11, 27), name="Igen")


def test_a_recurring_closing_day_cannot_be_29_february():
    closing = ClosingDay(date=D(2028, 2, 29), name="Skuddag", recurring=True)

    with pytest.raises(ValidationError) as raised:
        closing.clean()

    assert raised.value.message_dict == {
        "date": ["En årlig lukkedag kan ikke ligge den 29. februar."]
    }


def test_a_recurring_closing_day_applies_to_its_month_and_day_in_every_year():
    closing = ClosingDay(date=D(2000, 12, 24), name="Juleaftensdag", recurring=True)

    assert closing.applies_to(D(2026, 12, 24))
    assert closing.applies_to(D(2099, 12, 24))
    assert not closing.applies_to(D(2026, 12, 23))


def test_a_one_off_closing_day_applies_to_its_date_only():
    closing = ClosingDay(date=D(2026, 11, 27), name="Personaledag", recurring=False)

    assert closing.applies_to(D(2026, 11, 27))
    assert not closing.applies_to(D(2027, 11, 27))


def test_a_closing_day_reads_as_its_name_and_date():
    assert (
        str(ClosingDay(date=D(2000, 12, 24), name="Juleaftensdag", recurring=True))
        == "Juleaftensdag (24.12., hvert år)"
    )
    assert (
        str(ClosingDay(date=D(2026, 11, 27), name="Personaledag", recurring=False))
        == "Personaledag (27.11.2026)"
    )


# --- The calendar as stored ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_working_calendar_is_read_in_one_query(django_assert_num_queries):
    closing_day_add(day=D(2026, 11, 27), name="Personaledag")

    with django_assert_num_queries(1):
        calendar = selectors.working_calendar()

    assert calendar.recurring == frozenset({(6, 5), (12, 24), (12, 31)})
    assert calendar.one_off == frozenset({D(2026, 11, 27)})


@pytest.mark.django_db
def test_a_one_off_closing_day_added_later_is_picked_up_by_the_calendar():
    # given Friday 27 November 2026 is a working day
    # Thu 26 Nov: 1 working day later is Fri 27 Nov
    assert selectors.working_calendar().is_working_day(D(2026, 11, 27))
    assert selectors.add_working_days(D(2026, 11, 26), 1) == D(2026, 11, 27)

    # when the municipality closes that day
    closing_day_add(day=D(2026, 11, 27), name="Personaledag")

    # then the calendar read afterwards skips it: Fri 27 closed, weekend, Mon 30 Nov
    calendar = selectors.working_calendar()
    assert not calendar.is_working_day(D(2026, 11, 27))
    assert calendar.closed_reason(D(2026, 11, 27)) == "Lukkedag"
    assert selectors.add_working_days(D(2026, 11, 26), 1) == D(2026, 11, 30)


@pytest.mark.django_db
def test_a_calendar_read_before_a_closing_day_was_added_is_not_changed_by_it():
    before = selectors.working_calendar()

    closing_day_add(day=D(2026, 11, 27), name="Personaledag")

    assert before.is_working_day(D(2026, 11, 27))


@pytest.mark.django_db
def test_a_deleted_closing_day_is_a_working_day_again():
    ClosingDay.objects.filter(name="Juleaftensdag").delete()

    assert selectors.working_calendar().is_working_day(D(2026, 12, 24))  # Thursday


# --- The Django admin ---------------------------------------------------------------------


@pytest.fixture
def admin_client_for(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_an_administrator_adds_a_one_off_closing_day_in_the_admin(admin_client_for):
    # when the administrator fills in the add form
    response = admin_client_for.post(
        reverse("admin:workcalendar_closingday_add"),
        {"date": "2026-11-27", "name": "Personaledag"},
    )

    # then it is stored and the calendar closes that day
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:workcalendar_closingday_changelist")
    closing = ClosingDay.objects.get(name="Personaledag")
    assert (closing.date, closing.recurring) == (D(2026, 11, 27), False)
    assert not selectors.working_calendar().is_working_day(D(2026, 11, 27))


@pytest.mark.django_db
def test_an_administrator_adds_a_recurring_closing_day_in_the_admin(admin_client_for):
    response = admin_client_for.post(
        reverse("admin:workcalendar_closingday_add"),
        {"date": "2026-11-20", "name": "Kommunens fødselsdag", "recurring": "on"},
    )

    assert response.status_code == 302
    assert ClosingDay.objects.get(name="Kommunens fødselsdag").recurring
    calendar = selectors.working_calendar()
    assert not calendar.is_working_day(D(2026, 11, 20))  # Friday
    assert not calendar.is_working_day(D(2028, 11, 20))  # Monday


@pytest.mark.django_db
def test_the_admin_refuses_a_recurring_closing_day_on_29_february(admin_client_for):
    response = admin_client_for.post(
        reverse("admin:workcalendar_closingday_add"),
        {"date": "2028-02-29", "name": "Skuddag", "recurring": "on"},
    )

    assert response.status_code == 200
    assert "En årlig lukkedag kan ikke ligge den 29. februar." in response.content.decode()
    assert not ClosingDay.objects.filter(name="Skuddag").exists()


@pytest.mark.django_db
def test_the_admin_refuses_a_recurring_closing_day_that_already_exists(admin_client_for):
    # given 24 December is a default recurring closing day
    # when the administrator adds 24 December again as recurring, typed with this year
    admin_client_for.post(
        reverse("admin:workcalendar_closingday_add"),
        {"date": "2026-12-24", "name": "Juleaften", "recurring": "on"},
    )

    # then there is still one recurring 24 December
    assert ClosingDay.objects.filter(recurring=True, date__month=12, date__day=24).count() == 1


@pytest.mark.django_db
def test_the_admin_lists_the_closing_days(admin_client_for):
    response = admin_client_for.get(reverse("admin:workcalendar_closingday_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    for _, name in DEFAULT_DAYS:
        assert name in page


@pytest.mark.django_db
def test_a_business_user_cannot_add_closing_days_in_the_admin(owner):
    client = Client()
    client.force_login(owner)

    response = client.post(
        reverse("admin:workcalendar_closingday_add"),
        {"date": "2026-11-27", "name": "Personaledag"},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not ClosingDay.objects.filter(name="Personaledag").exists()
