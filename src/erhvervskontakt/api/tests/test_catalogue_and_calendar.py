"""The public endpoints: the service catalogue and the working-day calculator."""

from __future__ import annotations

import datetime as dt

import pytest

from erhvervskontakt.calendar.models import ClosingDay
from erhvervskontakt.catalogue.models import ServiceType

from .support import assert_error

pytestmark = pytest.mark.django_db(transaction=True)

CONTRACT_SERVICE_TYPE_KEYS = {
    "code",
    "name",
    "department",
    "target_working_days",
    "service_target_days",
    "requirements",
}
CONTRACT_REQUIREMENT_KEYS = {"key", "label", "kind", "mandatory", "type", "choices"}


def _contract(service_type: dict) -> dict:
    """The fields of a service type the contract promises (the API may add more)."""
    assert set(service_type) >= CONTRACT_SERVICE_TYPE_KEYS
    projected = {key: service_type[key] for key in CONTRACT_SERVICE_TYPE_KEYS}
    for requirement in service_type["requirements"]:
        assert set(requirement) >= CONTRACT_REQUIREMENT_KEYS
    projected["requirements"] = [
        {key: r[key] for key in CONTRACT_REQUIREMENT_KEYS} for r in service_type["requirements"]
    ]
    return projected


# --- the catalogue -----------------------------------------------------------------------


def test_catalogue_is_public_and_lists_active_service_types_in_catalogue_order(http, catalogue):
    response = http(None).get("/service-types")

    assert response.status_code == 200
    assert [st["code"] for st in response.json()] == [
        "byggetilladelse-erhverv",
        "miljoegodkendelse",
        "udeservering",
        "raadgivning",
    ]


def test_catalogue_shows_a_service_type_with_targets_and_every_kind_of_requirement(http, catalogue):
    listed = {st["code"]: st for st in http(None).get("/service-types").json()}

    assert _contract(listed["miljoegodkendelse"]) == {
        "code": "miljoegodkendelse",
        "name": "Miljøgodkendelse (bilag 2)",
        "department": "Miljø",
        "target_working_days": 60,
        "service_target_days": 130,
        "requirements": [
            {
                "key": "matrikel",
                "label": "Matrikelnummer",
                "kind": "field",
                "mandatory": True,
                "type": "text",
                "choices": [],
            },
            {
                "key": "listepunkt",
                "label": "Listepunkt",
                "kind": "field",
                "mandatory": True,
                "type": "choice",
                "choices": [
                    {"value": "K206", "label": "K 206 Maskinfabrik"},
                    {"value": "D201", "label": "D 201 Renseri"},
                ],
            },
            {
                "key": "ansoegningsskema",
                "label": "Ansøgningsskema",
                "kind": "document",
                "mandatory": True,
                "type": "text",
                "choices": [],
            },
        ],
    }


def test_catalogue_shows_number_date_and_optional_requirements(http, catalogue):
    listed = {st["code"]: st for st in http(None).get("/service-types").json()}

    building = _contract(listed["byggetilladelse-erhverv"])
    assert building["department"] == "Byggeri"
    assert (building["target_working_days"], building["service_target_days"]) == (30, 50)
    assert [(r["key"], r["kind"], r["type"], r["mandatory"]) for r in building["requirements"]] == [
        ("matrikel", "field", "text", True),
        ("etageareal", "field", "number", True),
        ("tegninger", "document", "text", True),
        ("ibrugtagning", "field", "date", False),
    ]


def test_catalogue_shows_no_national_target_as_null_and_no_requirements_as_empty(http, catalogue):
    listed = {st["code"]: st for st in http(None).get("/service-types").json()}

    assert listed["udeservering"]["service_target_days"] is None
    assert listed["raadgivning"]["service_target_days"] is None
    assert listed["raadgivning"]["requirements"] == []


def test_catalogue_hides_an_inactive_service_type(http, catalogue):
    ServiceType.objects.filter(code="raadgivning").update(active=False)

    codes = [st["code"] for st in http(None).get("/service-types").json()]

    assert "raadgivning" not in codes
    assert len(codes) == 3


# --- the working-day calculator -----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # An ordinary week: Friday + 5 is the next Friday.
        ("2026-11-27", 5, "2026-12-04"),
        # Zero days is the start itself, even on a Saturday.
        ("2026-11-28", 0, "2026-11-28"),
        # Christmas: 24 Dec (closing day), 25–26 Dec (holidays), 27 Dec (Sunday).
        ("2026-12-23", 1, "2026-12-28"),
        # Christmas and New Year: 31 Dec (closing day), 1 Jan (holiday), 2–3 Jan (weekend).
        ("2026-12-23", 4, "2027-01-04"),
        ("2026-12-22", 5, "2027-01-04"),
        # Easter 2026: Skærtorsdag 2 Apr, Langfredag 3 Apr, weekend, 2. påskedag 6 Apr.
        ("2026-04-01", 1, "2026-04-07"),
        ("2026-03-30", 5, "2026-04-09"),
        # Kristi himmelfartsdag, Thursday 14 May 2026.
        ("2026-05-13", 1, "2026-05-15"),
        # 5 June (Grundlovsdag) is a closing day of the municipality: a Friday in 2026.
        ("2026-06-04", 1, "2026-06-08"),
    ],
)
def test_add_working_days_skips_weekends_holidays_and_closing_days(http, start, days, expected):
    response = http(None).get("/calendar/add-working-days", params={"start": start, "days": days})

    assert response.status_code == 200
    assert response.json() == {"start": start, "days": days, "date": expected}


def test_add_working_days_skips_a_one_off_closing_day_the_admin_added(http):
    ClosingDay.objects.create(date=dt.date(2026, 11, 30), name="Flytning af rådhuset")

    response = http(None).get(
        "/calendar/add-working-days", params={"start": "2026-11-27", "days": 1}
    )

    assert response.json()["date"] == "2026-12-01"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-02-30", "days": 1}, "start"),
        ({"start": "27-11-2026", "days": 1}, "start"),
        ({"start": "2026-11-27T10:00", "days": 1}, "start"),
        ({"days": 1}, "start"),
        ({"start": "2026-11-27"}, "days"),
        ({"start": "2026-11-27", "days": -1}, "days"),
        ({"start": "2026-11-27", "days": 2001}, "days"),
        ({"start": "2026-11-27", "days": 10**30}, "days"),
        ({"start": "2026-11-27", "days": "1.5"}, "days"),
        ({"start": "2026-11-27", "days": "fem"}, "days"),
        # The answer would lie after year 9999.
        ({"start": "9999-12-31", "days": 5}, "start"),
    ],
)
def test_add_working_days_refuses_bad_dates_and_day_counts_with_422(http, params, field):
    response = http(None).get("/calendar/add-working-days", params=params)

    assert_error(response, 422, code="validation_failed", field=field)
