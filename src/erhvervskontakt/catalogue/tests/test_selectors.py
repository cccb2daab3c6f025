"""The catalogue a business may ask for: active and requestable service types only.

A service type the municipality opens cases for itself (``requestable=False``, such as an
inspection visit) is in the catalogue for staff and reports, but never offered in an inquiry:
not in the list, not found by its code, not in the API's public catalogue.
"""

from __future__ import annotations

import pytest

from erhvervskontakt.catalogue.models import ServiceType
from erhvervskontakt.catalogue.selectors import (
    service_type_by_code,
    service_type_list,
    service_types_by_codes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(catalogue: dict[str, ServiceType]) -> ServiceType:
    return ServiceType.objects.create(
        code="miljoetilsyn",
        name="Miljøtilsyn",
        group=ServiceType.Group.ENVIRONMENT,
        department=catalogue["miljoegodkendelse"].department,
        target_working_days=40,
        requestable=False,
        position=3,
    )


def test_the_catalogue_offers_only_active_requestable_service_types(catalogue, own):
    catalogue["udeservering"].active = False
    catalogue["udeservering"].save()

    assert [st.code for st in service_type_list()] == [
        "byggetilladelse-erhverv",
        "miljoegodkendelse",
        "raadgivning",
    ]
    assert set(service_types_by_codes(["miljoetilsyn", "raadgivning", "udeservering"])) == {
        "raadgivning"
    }


def test_every_service_type_is_there_for_filters_and_reports(catalogue, own):
    everything = {st.code for st in service_type_list(active_only=False)}
    assert everything == {*catalogue, "miljoetilsyn"}
    active = {st.code for st in service_type_list(requestable_only=False)}
    assert active == {*catalogue, "miljoetilsyn"}


def test_the_municipalitys_own_service_type_is_found_by_its_code(catalogue, own):
    assert service_type_by_code("miljoetilsyn") == own
    own.active = False
    own.save()
    assert service_type_by_code("miljoetilsyn") is None
    assert service_type_by_code("findes-ikke") is None


def test_the_apis_public_catalogue_leaves_it_out(client, catalogue, own):
    response = client.get("/api/v1/service-types")

    assert response.status_code == 200
    assert [st["code"] for st in response.json()] == [
        "byggetilladelse-erhverv",
        "miljoegodkendelse",
        "udeservering",
        "raadgivning",
    ]
