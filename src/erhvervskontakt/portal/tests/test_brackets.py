"""Brackets never nest on the pages of a case: the channel a case came in by is shown in
brackets after the date received, so no channel's label has brackets of its own (it read
»(Miljøtilsyn (kommunens initiativ))« on the staff case page of an inspection visit).

The staff pages are checked in their »Henvendelsen« box: the staff log's own lines still
write the model's channel label in brackets (``Channel`` in cases.models, whose labels need
a migration of the cases app to change)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from erhvervskontakt.accounts.models import User
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.businesses.services import production_unit_register
from erhvervskontakt.cases.models import Case, Channel
from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.inspections.services.visits import visit_create
from erhvervskontakt.testing.catalogue import ensure_inspection_service_type
from erhvervskontakt.testing.html import text
from erhvervskontakt.web import labels

pytestmark = pytest.mark.django_db


def nested_brackets(page: str) -> list[str]:
    """Every bracketed phrase of the page's text that holds another bracket."""
    found, depth, start = [], 0, 0
    for index, char in enumerate(page):
        if char == "(":
            depth += 1
            if depth == 1:
                start = index
            elif depth == 2:
                found.append(page[start : page.find(")", index) + 2])
        elif char == ")" and depth:
            depth -= 1
    return found


def inquiry_box(page: str) -> str:
    """The text of the staff pages' »Henvendelsen« box."""
    found = re.search(r'<section[^>]*aria-labelledby="inquiry-heading".*?</section>', page, re.S)
    assert found is not None
    return text(found.group(0))


def test_the_check_finds_nested_brackets() -> None:
    assert nested_brackets("Modtaget 3. dec (Miljøtilsyn (kommunens initiativ))") == [
        "(Miljøtilsyn (kommunens initiativ))"
    ]
    assert nested_brackets("Areal (m²) og tegninger (dokument)") == []


def test_no_channel_label_has_brackets() -> None:
    assert set(labels.CHANNELS) == set(Channel.values)
    assert [str(label) for label in labels.CHANNELS.values() if "(" in str(label)] == []


@pytest.fixture
def inspection_case(
    catalogue: dict[str, ServiceType], business: Business, owner: User, karen: User
) -> Case:
    """An inspection visit the municipality opened for ``business`` (``owner`` is its
    contact person)."""
    ensure_inspection_service_type()
    unit = production_unit_register(
        business=business,
        p_number="1012345678",
        name="Værkstedet Vestergade",
        address="Vestergade 10, 5000 Odense C",
        actor=karen,
    )
    visit = visit_create(
        unit=unit, actor=karen, kind="basic", focus="Oplag af olie.", inspector=karen
    )
    return visit.case


def test_an_inspection_visit_s_case_pages_have_no_nested_brackets(
    inspection_case: Case,
    owner: User,
    karen: User,
    client_for: Callable[[User], Client],
) -> None:
    staff = inquiry_box(
        client_for(karen).get(f"/medarbejder/sager/{inspection_case.reference}/").content.decode()
    )
    business = text(client_for(owner).get(f"/sager/{inspection_case.reference}/").content.decode())

    assert "(Miljøtilsyn på kommunens initiativ)" in staff
    assert nested_brackets(staff) == []
    assert nested_brackets(business) == []
    # the staff's whole page too, its timeline included (the channel's label has no brackets)
    whole = text(
        client_for(karen).get(f"/medarbejder/sager/{inspection_case.reference}/").content.decode()
    )
    assert nested_brackets(whole) == []


def test_the_receipt_and_case_pages_of_an_inquiry_have_no_nested_brackets(
    make_case: Callable[..., Case],
    owner: User,
    karen: User,
    client_for: Callable[[User], Client],
) -> None:
    case = make_case(service_types=["miljoegodkendelse", "udeservering"], answers={})
    owner_client = client_for(owner)

    pages = {
        "receipt": text(owner_client.get(f"/sager/{case.reference}/kvittering/").content.decode()),
        "case": text(owner_client.get(f"/sager/{case.reference}/").content.decode()),
        "list": text(owner_client.get("/sager/").content.decode()),
        "staff": inquiry_box(
            client_for(karen).get(f"/medarbejder/sager/{case.reference}/").content.decode()
        ),
        "screening": inquiry_box(
            client_for(karen).get(f"/medarbejder/screening/{case.reference}/").content.decode()
        ),
    }

    assert "(Fagsystem via API)" in pages["staff"]  # was »(Fagsystem (API))«
    pages["staff-whole"] = text(
        client_for(karen).get(f"/medarbejder/sager/{case.reference}/").content.decode()
    )
    assert {name: nested_brackets(page) for name, page in pages.items()} == {
        name: [] for name in pages
    }
