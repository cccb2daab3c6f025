"""Production units (P-enheder): the P-number, registration, deactivation and who sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from erhvervskontakt.businesses.models import BusinessEvent, ProductionUnit
from erhvervskontakt.businesses.selectors import production_unit_get, production_units_for
from erhvervskontakt.businesses.services import (
    normalise_p_number,
    production_unit_register,
    production_unit_set_active,
)
from erhvervskontakt.common.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("written", ["1012345678", " 1012 345 678 ", 1012345678])
def test_a_p_number_is_ten_digits_spaces_allowed(written):
    assert normalise_p_number(written) == "1012345678"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("101234567", "P-nummeret skal have 10 cifre."),
        ("10123456789", "P-nummeret skal have 10 cifre."),
        ("10123A5678", "P-nummeret må kun bestå af 10 cifre (mellemrum er tilladt)."),
        ("", "P-nummeret må kun bestå af 10 cifre (mellemrum er tilladt)."),
        ("１０１２３４５６７８", "P-nummeret må kun bestå af 10 cifre (mellemrum er tilladt)."),
        (None, "P-nummeret skal være en tekst med 10 cifre."),
        (True, "P-nummeret skal være en tekst med 10 cifre."),
    ],
)
def test_a_bad_p_number_is_refused_with_a_reason(written, message):
    with pytest.raises(ValidationFailed) as refused:
        normalise_p_number(written)
    assert refused.value.errors == {"p_number": message}


def test_registering_a_unit_logs_it_on_the_business(business, karen):
    unit = production_unit_register(
        business=business,
        p_number="1012 345 678",
        name="  Værkstedet  ",
        address="Havnegade 4",
        started_on=dt.date(2026, 3, 1),
        actor=karen,
    )
    assert (unit.p_number, unit.name, unit.active) == ("1012345678", "Værkstedet", True)
    event = BusinessEvent.objects.get(business=business, kind="unit_registered")
    assert event.text == "Produktionsenhed registreret: Værkstedet (P-nummer 1012345678)."


def test_a_p_number_is_registered_once_and_a_refusal_changes_nothing(
    business, other_business, karen
):
    production_unit_register(business=business, p_number="1012345678", name="A", actor=karen)
    events = BusinessEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        production_unit_register(
            business=other_business, p_number="1012345678", name="B", actor=karen
        )
    assert refused.value.errors == {"p_number": "P-nummer 1012345678 er allerede registreret."}
    assert ProductionUnit.objects.count() == 1
    assert BusinessEvent.objects.count() == events


def test_a_unit_needs_a_name(business, karen):
    with pytest.raises(ValidationFailed) as refused:
        production_unit_register(business=business, p_number="1012345678", name=" ", actor=karen)
    assert refused.value.errors == {"name": "Angiv produktionsenhedens navn."}


def test_a_unit_is_deactivated_with_a_reason_never_deleted(business, karen):
    unit = production_unit_register(business=business, p_number="1012345678", name="A", actor=karen)
    with pytest.raises(ValidationFailed):
        production_unit_set_active(unit=unit, active=False, actor=karen)
    closed = production_unit_set_active(unit=unit, active=False, actor=karen, reason="Flyttet")
    assert closed.active is False
    assert ProductionUnit.objects.filter(pk=unit.pk).exists()
    assert BusinessEvent.objects.filter(kind="unit_deactivated").get().text == (
        "Produktionsenhed 1012345678 lukket. Begrundelse: Flyttet"
    )


def test_a_business_user_sees_only_its_own_units(business, other_business, owner, karen):
    mine = production_unit_register(business=business, p_number="1000000001", name="A", actor=karen)
    theirs = production_unit_register(
        business=other_business, p_number="1000000002", name="B", actor=karen
    )
    assert production_units_for(user=owner, business=business) == [mine]
    assert production_units_for(user=owner, business=other_business) == []
    assert production_unit_get(user=karen, p_number=theirs.p_number) == theirs
    with pytest.raises(NotFound):
        production_unit_get(user=owner, p_number=theirs.p_number)


def test_the_staff_business_page_lists_its_units_in_constant_queries(business, karen):
    client = Client()
    client.force_login(karen)
    url = f"/medarbejder/virksomheder/{business.cvr}/"
    production_unit_register(business=business, p_number="1000000001", name="Lakeriet", actor=karen)

    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert response.status_code == 200
    assert "Lakeriet" in response.content.decode()
    for n in range(2, 12):
        production_unit_register(
            business=business, p_number=f"{1000000000 + n}", name=f"Hal {n}", actor=karen
        )
    with CaptureQueriesContext(connection) as eleven:
        response = client.get(url)
    html = response.content.decode()
    assert "Hal 11" in html and "1000000011" in html
    assert len(eleven) == len(one)
