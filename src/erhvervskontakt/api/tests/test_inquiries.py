"""POST /api/v1/inquiries: intake over real HTTP, refusals that change nothing, idempotency."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from erhvervskontakt.businesses.cvr import synthetic_cvr
from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import Case, Event

from .conftest import inquiry
from .support import assert_error, counts

pytestmark = pytest.mark.django_db(transaction=True)


# --- accepted intake ------------------------------------------------------------------------


def test_business_user_gets_reference_screening_deadline_and_missing_list_at_once(
    http, friday, owner, business, catalogue
):
    body = inquiry(
        business.cvr, service_types=["byggetilladelse-erhverv"], answers={"matrikel": "12a"}
    )

    response = http(owner).post("/inquiries", json=body)

    assert response.status_code == 201, response.text
    case = response.json()
    assert case["reference"] == "EK-2026-00001"
    assert case["status"] == "received"
    assert case["channel"] == "api"
    assert case["business"] == {"cvr": business.cvr, "name": "Fynsk Maskinfabrik ApS"}
    assert case["service_types"] == ["byggetilladelse-erhverv"]
    # Friday 27 Nov + 5 working days.
    assert case["screening_due"] == "2026-12-04"
    assert case["missing"] == [
        {
            "service_type": "byggetilladelse-erhverv",
            "key": "etageareal",
            "label": "Etageareal i m²",
            "kind": "field",
        },
        {
            "service_type": "byggetilladelse-erhverv",
            "key": "tegninger",
            "label": "Tegninger",
            "kind": "document",
        },
    ]
    assert case["coordinator"] is None
    assert case["screened_at"] is None
    assert [(e["kind"], e["actor"]) for e in case["timeline"]] == [("received", "Ejer")]
    assert Case.objects.get().reference == "EK-2026-00001"


def test_created_case_is_at_the_location_the_answer_names(http, owner, body):
    client = http(owner)

    response = client.post("/inquiries", json=body)

    reference = response.json()["reference"]
    assert response.headers["Location"] == f"/api/v1/cases/{reference}"
    fetched = client.get(response.headers["Location"].removeprefix("/api/v1"))
    assert fetched.status_code == 200
    assert fetched.json() == response.json()


def test_complete_inquiry_has_nothing_missing_and_is_fully_informed(http, owner, body):
    case = http(owner).post("/inquiries", json=body).json()

    assert case["missing"] == []
    assert case["answers"] == {"areal": 12}
    assert [e["kind"] for e in case["timeline"]] == ["received", "fully_informed"]


def test_submission_on_a_saturday_is_due_five_working_days_after_it(
    http, time_machine, owner, body
):
    time_machine.move_to(dt.datetime(2026, 11, 28, 11, 0, tzinfo=dt.UTC))

    case = http(owner).post("/inquiries", json=body).json()

    # Saturday 28 Nov: Monday 30 Nov is the first working day, Friday 4 Dec the fifth.
    assert case["screening_due"] == "2026-12-04"


def test_submission_before_christmas_is_due_after_the_new_year(http, time_machine, owner, body):
    time_machine.move_to(dt.datetime(2026, 12, 22, 9, 0, tzinfo=dt.UTC))

    case = http(owner).post("/inquiries", json=body).json()

    assert case["reference"].startswith("EK-2026-")
    assert case["screening_due"] == "2027-01-04"


def test_reference_year_and_deadline_follow_the_local_date_at_new_year(
    http, time_machine, owner, body
):
    # 23:30 UTC on 31 Dec 2026 is 00:30 on 1 Jan 2027 in Copenhagen.
    time_machine.move_to(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC))

    case = http(owner).post("/inquiries", json=body).json()

    assert case["reference"] == "EK-2027-00001"
    # New Year's Day is a holiday (a Friday): Monday 4 Jan is the first working day after it.
    assert case["screening_due"] == "2027-01-08"


def test_cvr_with_spaces_and_dk_prefix_is_accepted_and_normalised(http, owner, business, body):
    spaced = f"DK {business.cvr[:4]} {business.cvr[4:]}"

    response = http(owner).post("/inquiries", json={**body, "cvr": spaced})

    assert response.status_code == 201, response.text
    assert response.json()["business"]["cvr"] == business.cvr


def test_staff_registering_a_new_business_creates_it_with_the_given_name(http, karen, catalogue):
    cvr = synthetic_cvr(9001)

    response = http(karen).post(
        "/inquiries", json=inquiry(cvr, business_name="Nyt Bageri ApS", channel="phone")
    )

    assert response.status_code == 201, response.text
    assert response.json()["business"] == {"cvr": cvr, "name": "Nyt Bageri ApS"}
    assert Business.objects.get(cvr=cvr).name == "Nyt Bageri ApS"


# --- staff registering an inquiry that arrived earlier --------------------------------------


def test_staff_backdate_a_phoned_in_inquiry_and_the_clock_starts_at_receipt(
    http, friday, karen, body
):
    response = http(karen).post(
        "/inquiries",
        json={**body, "channel": "phone", "received_at": "2026-11-23T14:30:00+01:00"},
    )

    assert response.status_code == 201, response.text
    case = response.json()
    assert case["channel"] == "phone"
    assert dt.datetime.fromisoformat(case["received_at"]) == dt.datetime(
        2026, 11, 23, 13, 30, tzinfo=dt.UTC
    )
    # Monday 23 Nov + 5 working days.
    assert case["screening_due"] == "2026-11-30"
    assert [e["kind"] for e in case["timeline"]][:2] == ["received", "receipt_backdated"]


def test_receipt_time_with_an_offset_postgresql_cannot_store_is_kept_as_the_same_instant(
    http, friday, karen, body
):
    """ISO 8601 allows offsets up to ±23:59; PostgreSQL stores at most ±15:59."""
    response = http(karen).post(
        "/inquiries", json={**body, "received_at": "2026-11-26T10:00:00+23:59"}
    )

    assert response.status_code == 201, response.text
    case = response.json()
    assert dt.datetime.fromisoformat(case["received_at"]) == dt.datetime(
        2026, 11, 25, 10, 1, tzinfo=dt.UTC
    )
    # Received 25 Nov at 11:01 in Copenhagen: Wednesday + 5 working days.
    assert case["screening_due"] == "2026-12-02"


@pytest.mark.parametrize(
    ("received_at", "due"),
    [
        # 23:59 on Thursday 19 Nov in Copenhagen: Thursday + 5 working days.
        ("2026-11-19T22:59:00Z", "2026-11-26"),
        # 00:01 on Friday 20 Nov in Copenhagen, though still the 19th in UTC.
        ("2026-11-19T23:01:00Z", "2026-11-27"),
    ],
)
def test_screening_deadline_counts_from_the_local_date_of_receipt(
    http, friday, karen, body, received_at, due
):
    case = http(karen).post("/inquiries", json={**body, "received_at": received_at}).json()

    assert case["screening_due"] == due


# --- refusals: a clear 4xx, a field-level message, nothing written --------------------------


def test_business_user_may_not_submit_for_another_business(http, owner, other_business, body):
    before = counts()

    response = http(owner).post("/inquiries", json={**body, "cvr": other_business.cvr})

    assert_error(response, 403, code="forbidden")
    assert counts() == before


def test_business_user_may_not_register_a_new_business(http, owner, body):
    before = counts()

    response = http(owner).post(
        "/inquiries", json={**body, "cvr": synthetic_cvr(9002), "business_name": "Fremmed ApS"}
    )

    assert_error(response, 403, code="forbidden")
    assert counts() == before


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"received_at": "2026-11-20T10:00:00+01:00"}, "received_at"),
        ({"channel": "phone"}, "channel"),
    ],
)
def test_business_user_may_not_set_channel_or_receipt_time(http, owner, body, extra, field):
    before = counts()

    response = http(owner).post("/inquiries", json={**body, **extra})

    assert_error(response, 422, code="validation_failed", field=field)
    assert counts() == before


def _future() -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).isoformat()


def _long_ago() -> str:
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=400)).isoformat()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"cvr": "10079196"}, "cvr", id="cvr-bad-check-digit"),
        pytest.param({"cvr": "1234"}, "cvr", id="cvr-too-short"),
        pytest.param({"cvr": "ABCDEFGH"}, "cvr", id="cvr-letters"),
        pytest.param({"cvr": 10079195}, "cvr", id="cvr-as-number"),
        pytest.param({"service_types": ["hundeluftning"]}, "service_types", id="unknown-service"),
        pytest.param({"service_types": []}, "service_types", id="no-services"),
        pytest.param({"service_types": "udeservering"}, "service_types", id="services-as-string"),
        pytest.param({"service_types": [7]}, "service_types.0", id="service-as-number"),
        pytest.param({"description": "   "}, "description", id="blank-description"),
        pytest.param({"contact": {"name": "Ejer"}}, "contact.email", id="contact-no-email"),
        pytest.param(
            {"contact": {"name": "Ejer", "email": "ikke-en-adresse"}},
            "contact.email",
            id="contact-bad-email",
        ),
        pytest.param({"answers": {"areal": "stort"}}, "answers.areal", id="answer-wrong-type"),
        pytest.param({"answers": {"farve": "rød"}}, "answers.farve", id="answer-unknown-key"),
        pytest.param({"answers": ["areal", 12]}, "answers", id="answers-as-list"),
        pytest.param({"favourite_colour": "blå"}, "favourite_colour", id="unknown-field"),
        pytest.param({"received_at": _future()}, "received_at", id="received-in-future"),
        pytest.param({"received_at": _long_ago()}, "received_at", id="received-over-a-year-ago"),
        pytest.param(
            {"received_at": "2026-11-20T10:00:00"}, "received_at", id="received-without-zone"
        ),
        pytest.param({"received_at": "i går"}, "received_at", id="received-not-a-date"),
        pytest.param(
            {"received_at": "9999-12-31T23:59:59-10:00"}, "received_at", id="received-after-9999"
        ),
        pytest.param({"channel": "fax"}, "channel", id="unknown-channel"),
        pytest.param({"description": "Borde\x00foran"}, "description", id="nul-in-text"),
    ],
)
def test_bad_inquiry_gets_422_naming_the_field_and_writes_nothing(http, karen, body, change, field):
    before = counts()

    response = http(karen).post("/inquiries", json={**body, **change})

    assert_error(response, 422, code="validation_failed", field=field)
    assert counts() == before


def test_missing_fields_are_each_named(http, karen, catalogue):
    response = http(karen).post("/inquiries", json={"cvr": "10079195"})

    errors = assert_error(response, 422, code="validation_failed")["errors"]
    assert set(errors) == {"contact", "service_types", "description"}


def test_several_mistakes_are_reported_together(http, karen, body):
    response = http(karen).post(
        "/inquiries", json={**body, "cvr": "10079196", "service_types": ["hundeluftning"]}
    )

    errors = assert_error(response, 422)["errors"]
    assert {"cvr", "service_types"} <= set(errors)


def test_new_business_without_a_name_is_refused(http, karen, catalogue):
    before = counts()

    response = http(karen).post("/inquiries", json=inquiry(synthetic_cvr(9003)))

    assert_error(response, 422, field="business_name")
    assert counts() == before


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b'{"cvr": "10079195",', id="truncated"),
        pytest.param(b"{'cvr': '10079195'}", id="single-quotes"),
        pytest.param(b"\xff\xfe{", id="not-utf8"),
    ],
)
def test_malformed_json_gets_400_and_writes_nothing(http, karen, catalogue, raw):
    before = counts()

    response = http(karen).post(
        "/inquiries", content=raw, headers={"Content-Type": "application/json"}
    )

    assert_error(response, 400, code="malformed_json", field="body")
    assert counts() == before


@pytest.mark.parametrize("raw", [b"", b"[]", b"null", b'"tekst"'])
def test_body_that_is_not_an_object_gets_422(http, karen, catalogue, raw):
    before = counts()

    response = http(karen).post(
        "/inquiries", content=raw, headers={"Content-Type": "application/json"}
    )

    assert_error(response, 422, code="validation_failed", field="body")
    assert counts() == before


def test_text_no_database_can_store_gets_422_not_500(http, karen, body):
    """A lone surrogate (valid JSON escape, invalid Unicode) cannot be encoded for storage."""
    raw = json.dumps({**body, "description": "x"}).replace('"x"', '"\\ud800"').encode()
    before = counts()

    response = http(karen).post(
        "/inquiries", content=raw, headers={"Content-Type": "application/json"}
    )

    assert_error(response, 422, field="description")
    assert counts() == before


def test_body_larger_than_the_json_limit_gets_413(http, karen, body, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = counts()

    response = http(karen).post("/inquiries", json={**body, "description": "x" * 20_000})

    assert_error(response, 413, code="too_large", field="body")
    assert counts() == before


def test_inactive_service_type_cannot_be_chosen(http, karen, body, catalogue):
    catalogue["udeservering"].active = False
    catalogue["udeservering"].save()

    response = http(karen).post("/inquiries", json=body)

    error = assert_error(response, 422, field="service_types")
    assert error["errors"]["service_types"] == "Ukendt ydelse: udeservering."
    assert Case.objects.count() == 0


# --- Idempotency-Key ------------------------------------------------------------------------


def test_same_idempotency_key_and_body_returns_the_same_case_once(http, owner, body):
    client = http(owner)
    headers = {"Idempotency-Key": "ordre-4711"}

    first = client.post("/inquiries", json=body, headers=headers)
    events_after_first = Event.objects.count()
    again = client.post("/inquiries", json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["reference"] == first.json()["reference"]
    assert again.headers["Location"] == first.headers["Location"]
    assert Case.objects.count() == 1
    assert Event.objects.count() == events_after_first


def test_same_idempotency_key_with_another_body_is_a_409_conflict(http, owner, body):
    client = http(owner)
    headers = {"Idempotency-Key": "ordre-4711"}
    client.post("/inquiries", json=body, headers=headers)
    before = counts()

    response = client.post(
        "/inquiries", json={**body, "description": "Noget helt andet"}, headers=headers
    )

    assert_error(response, 409, code="conflict", field="Idempotency-Key")
    assert counts() == before


def test_idempotency_keys_belong_to_one_client(http, owner, karen, body):
    headers = {"Idempotency-Key": "ordre-4711"}

    mine = http(owner).post("/inquiries", json=body, headers=headers)
    theirs = http(karen).post("/inquiries", json=body, headers=headers)

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["reference"] != theirs.json()["reference"]
    assert "Idempotent-Replayed" not in theirs.headers
    assert Case.objects.count() == 2


def test_refused_request_does_not_use_up_its_idempotency_key(http, owner, body):
    client = http(owner)
    headers = {"Idempotency-Key": "ordre-4711"}

    refused = client.post("/inquiries", json={**body, "service_types": []}, headers=headers)
    accepted = client.post("/inquiries", json=body, headers=headers)

    assert refused.status_code == 422
    assert accepted.status_code == 201
    assert "Idempotent-Replayed" not in accepted.headers


def test_overlong_idempotency_key_gets_422(http, owner, body):
    before = counts()

    response = http(owner).post("/inquiries", json=body, headers={"Idempotency-Key": "k" * 256})

    assert_error(response, 422, field="Idempotency-Key")
    assert counts() == before
