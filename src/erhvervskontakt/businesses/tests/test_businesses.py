"""Businesses: CVR numbers, portal access for business users, the fixed contact person."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from stdnum.dk import cvr as stdnum_cvr

from erhvervskontakt.accounts.tests.factories import StaffFactory
from erhvervskontakt.businesses.cvr import normalise_cvr, synthetic_cvr
from erhvervskontakt.businesses.models import Business, BusinessEvent, Membership
from erhvervskontakt.businesses.selectors import business_cvrs_for, business_get
from erhvervskontakt.businesses.services import business_set_contact_person, business_user_add
from erhvervskontakt.common.errors import NotFound, ValidationFailed

VALID = "13585628"  # 1·2 + 3·7 + 5·6 + 8·5 + 5·4 + 6·3 + 2·2 + 8·1 = 143 = 13·11


# --- CVR numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["13585628", "1358 5628", " 13 58 56 28 ", "DK13585628", "DK 13585628", "dk13585628", 13585628],
)
def test_a_cvr_number_is_normalised_to_eight_digits(written):
    assert normalise_cvr(written) == VALID


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("13585627", "CVR-nummeret findes ikke (kontrolcifferet passer ikke)."),
        ("1358562", "CVR-nummeret skal have 8 cifre."),
        ("135856280", "CVR-nummeret skal have 8 cifre."),
        ("1358562A", "CVR-nummeret må kun bestå af 8 cifre (mellemrum og DK foran er tilladt)."),
        ("DE13585628", "CVR-nummeret må kun bestå af 8 cifre (mellemrum og DK foran er tilladt)."),
        ("", "CVR-nummeret må kun bestå af 8 cifre (mellemrum og DK foran er tilladt)."),
        (None, "CVR-nummeret skal være en tekst med 8 cifre."),
        (True, "CVR-nummeret skal være en tekst med 8 cifre."),
        (13585628.0, "CVR-nummeret skal være en tekst med 8 cifre."),
    ],
)
def test_a_bad_cvr_number_is_refused_with_a_reason(written, message):
    with pytest.raises(ValidationFailed) as refused:
        normalise_cvr(written)

    assert refused.value.errors == {"cvr": message}


def test_the_error_names_the_field_it_was_asked_about():
    with pytest.raises(ValidationFailed) as refused:
        normalise_cvr("123", field="business.cvr")

    assert list(refused.value.errors) == ["business.cvr"]


def test_synthetic_cvr_numbers_are_valid_and_distinct():
    numbers = [synthetic_cvr(seed) for seed in range(5001)]

    assert all(stdnum_cvr.is_valid(number) for number in numbers)
    assert all(len(number) == 8 and number[0] in "12345678" for number in numbers)
    assert len(set(numbers)) == len(numbers)


# --- business users ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_business_user_is_added_with_the_email_as_username(business):
    user = business_user_add(cvr=business.cvr, email=" Eva.Ejer@Fynsk.DK ", name="Eva Ejer")

    assert user.username == "eva.ejer@fynsk.dk"
    assert user.email == "Eva.Ejer@fynsk.dk"  # the domain is normalised, the local part kept
    assert (user.first_name, user.last_name) == ("Eva", "Ejer")
    assert not user.is_staff
    assert not user.has_usable_password()
    assert list(Business.objects.visible_to(user)) == [business]
    event = BusinessEvent.objects.get(business=business)
    assert (event.kind, event.text) == (
        "member_added",
        "eva.ejer@fynsk.dk kan handle for virksomheden.",
    )


@pytest.mark.django_db
def test_a_business_user_can_be_given_a_password(business):
    user = business_user_add(
        cvr=business.cvr, email="eva@fynsk.dk", password="korrekt-hest-batteri"
    )

    assert user.check_password("korrekt-hest-batteri")


@pytest.mark.django_db
def test_adding_an_existing_person_to_another_business_reuses_the_user(business, other_business):
    first = business_user_add(cvr=business.cvr, email="revisor@raad.dk")

    second = business_user_add(cvr=f"DK {other_business.cvr}", email="REVISOR@raad.dk")

    assert second.pk == first.pk
    assert business_cvrs_for(second) == {business.cvr, other_business.cvr}


@pytest.mark.django_db
def test_adding_a_person_again_restores_access_that_ended(business):
    user = business_user_add(cvr=business.cvr, email="eva@fynsk.dk")
    Membership.objects.filter(user=user).update(active=False)
    assert business_cvrs_for(user) == set()

    business_user_add(cvr=business.cvr, email="eva@fynsk.dk")

    assert business_cvrs_for(user) == {business.cvr}
    assert Membership.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_a_business_user_for_a_new_cvr_registers_the_business():
    user = business_user_add(cvr=VALID, email="ny@bryggeri.dk", business_name="Nyt Bryggeri ApS")

    business = Business.objects.get(cvr=VALID)
    assert business.name == "Nyt Bryggeri ApS"
    assert business_cvrs_for(user) == {VALID}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"cvr": VALID, "email": "ny@bryggeri.dk"}, "business_name"),  # new CVR, no name
        ({"cvr": "13585627", "email": "ny@bryggeri.dk"}, "cvr"),
        ({"cvr": VALID, "email": "ikke-en-adresse", "business_name": "X"}, "email"),
        ({"cvr": VALID, "email": "karen", "business_name": "X"}, "email"),
    ],
)
def test_a_business_user_is_refused_for_bad_input_and_nothing_is_written(fields, field):
    memberships_before = Membership.objects.count()

    with pytest.raises(ValidationFailed) as refused:
        business_user_add(**fields)

    assert list(refused.value.errors) == [field]
    assert Business.objects.filter(cvr=VALID).count() == 0
    assert Membership.objects.count() == memberships_before


@pytest.mark.django_db
def test_a_staff_member_cannot_become_a_business_user(business):
    StaffFactory(username="karen@kommune.dk")

    with pytest.raises(ValidationFailed) as refused:
        business_user_add(cvr=business.cvr, email="karen@kommune.dk")

    assert list(refused.value.errors) == ["email"]
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_the_add_business_user_command_gives_access(business):
    out = io.StringIO()

    call_command(
        "add_business_user", business.cvr, "eva@fynsk.dk", "--name", "Eva Ejer", stdout=out
    )

    assert out.getvalue().strip() == f"eva@fynsk.dk can act for CVR {business.cvr}."
    assert business_cvrs_for(Membership.objects.get().user) == {business.cvr}


@pytest.mark.django_db
def test_the_add_business_user_command_registers_a_new_business_by_name():
    call_command(
        "add_business_user",
        VALID,
        "ny@bryggeri.dk",
        "--business-name",
        "Nyt Bryggeri ApS",
        stdout=io.StringIO(),
    )

    assert Business.objects.get(cvr=VALID).name == "Nyt Bryggeri ApS"


@pytest.mark.django_db
def test_the_add_business_user_command_fails_loudly_on_bad_input():
    with pytest.raises(CommandError, match="kontrolcifferet"):
        call_command("add_business_user", "13585627", "eva@fynsk.dk", stdout=io.StringIO())

    assert not Membership.objects.exists()


# --- the fixed contact person ------------------------------------------------------------


@pytest.mark.django_db
def test_setting_the_fixed_contact_person_is_logged(business, karen, lars):
    business_set_contact_person(business=business, contact_person=karen, actor=lars)
    business_set_contact_person(
        business=business, contact_person=lars, actor=karen, reason="Karen går på pension."
    )

    business.refresh_from_db()
    assert business.contact_person == lars
    assert list(
        BusinessEvent.objects.filter(business=business).values_list("kind", "actor", "text")
    ) == [
        ("contact_person_changed", lars.pk, "Fast kontaktperson: Karen Kofoed (før: ingen)."),
        (
            "contact_person_changed",
            karen.pk,
            "Fast kontaktperson: Lars Lund (før: Karen Kofoed). Begrundelse: Karen går på pension.",
        ),
    ]


@pytest.mark.django_db
def test_setting_the_same_contact_person_again_logs_nothing(business, karen):
    business_set_contact_person(business=business, contact_person=karen, actor=karen)

    business_set_contact_person(business=business, contact_person=karen, actor=karen)

    assert BusinessEvent.objects.filter(business=business).count() == 1


@pytest.mark.django_db
def test_the_fixed_contact_person_can_be_cleared(business, karen):
    business_set_contact_person(business=business, contact_person=karen, actor=karen)

    business_set_contact_person(business=business, contact_person=None, actor=karen)

    business.refresh_from_db()
    assert business.contact_person is None
    assert BusinessEvent.objects.order_by("id").last().text == (
        "Fast kontaktperson: ingen (før: Karen Kofoed)."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bodil", "owner", "inactive"])
def test_only_an_active_coordinator_can_be_fixed_contact_person(business, bodil, owner, who):
    inactive = StaffFactory(username="aage", is_coordinator=True, is_active=False)
    person = {"bodil": bodil, "owner": owner, "inactive": inactive}[who]

    with pytest.raises(ValidationFailed) as refused:
        business_set_contact_person(business=business, contact_person=person, actor=None)

    assert list(refused.value.errors) == ["coordinator"]
    business.refresh_from_db()
    assert business.contact_person is None
    assert not BusinessEvent.objects.exists()


# --- reads -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_business_user_sees_its_own_business_and_not_another(
    business, other_business, owner, karen
):
    assert business_get(user=owner, cvr=f"DK{business.cvr}") == business
    assert business_get(user=karen, cvr=other_business.cvr) == other_business
    with pytest.raises(NotFound):
        business_get(user=owner, cvr=other_business.cvr)


def test_giving_access_twice_records_it_once(business):
    business_user_add(cvr=business.cvr, email="revisor@tal.dk")
    business_user_add(cvr=business.cvr, email="revisor@tal.dk")

    assert (
        Membership.objects.filter(business=business, user__username="revisor@tal.dk").count() == 1
    )
    assert BusinessEvent.objects.filter(business=business, kind="member_added").count() == 1
