"""No request produces a 500: every error is JSON with detail, code, errors and request_id,
and every answer carries an X-Request-ID header (the same id as in the body)."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest

from erhvervskontakt.cases.models import CaseStatus

from .conftest import inquiry
from .support import assert_error, counts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff_api(http, karen):
    return http(karen)


# (method, path, request, expected status); {ref} is a received case of `business`, and
# the requests are sent by karen, a coordinator.
BAD_REQUESTS = [
    pytest.param("GET", "/cases/EK-1999-00001", {}, 404, id="unknown-case"),
    pytest.param("GET", "/cases", {"params": {"limit": 500}}, 422, id="limit-too-high"),
    pytest.param("GET", "/businesses/00000000", {}, 422, id="cvr-invalid"),
    pytest.param("POST", "/inquiries", {"content": b"{"}, 400, id="malformed-json"),
    pytest.param("POST", "/inquiries", {"json": {"cvr": 1}}, 422, id="wrong-types"),
    pytest.param("POST", "/cases/{ref}/decision", {"json": {"summary": "Ja"}}, 409, id="illegal"),
    pytest.param("POST", "/cases/{ref}/answers", {"json": {"answers": 5}}, 422, id="answers-type"),
    pytest.param(
        "POST", "/cases/{ref}/documents", {"files": {"file": ("a.txt", b"tekst")}}, 422, id="txt"
    ),
    pytest.param(
        "POST",
        "/cases/{ref}/documents",
        {"content": b"--x\r\nnot a part", "headers": {"Content-Type": "multipart/form-data"}},
        400,
        id="multipart-without-boundary",
    ),
    pytest.param(
        "POST",
        "/cases/{ref}/documents",
        {
            "content": b"--x\r\nnot a part",
            "headers": {"Content-Type": 'multipart/form-data; boundary=""'},
        },
        400,
        id="multipart-empty-boundary",
    ),
    pytest.param(
        "POST",
        "/cases/{ref}/documents",
        {
            "content": b"--other\r\nnot a part",
            "headers": {"Content-Type": "multipart/form-data; boundary=x"},
        },
        422,
        id="multipart-boundary-not-in-body",
    ),
    pytest.param(
        "POST",
        "/cases/{ref}/documents",
        {"content": b"%PDF-1.4", "headers": {"Content-Type": "application/pdf"}},
        422,
        id="not-multipart",
    ),
    pytest.param("POST", "/cases/{ref}/screening", {"content": b"[1, 2"}, 400, id="bad-json-2"),
    pytest.param("POST", "/cases/{ref}/close", {"json": {"note": 5}}, 422, id="note-type"),
    pytest.param(
        "GET", "/calendar/add-working-days", {"params": {"start": "x", "days": 1}}, 422, id="cal"
    ),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), BAD_REQUESTS)
def test_error_answers_are_json_with_detail_code_errors_and_request_id(
    http, karen, make_case, method, path, kwargs, status
):
    case = make_case(CaseStatus.RECEIVED)
    client = http(karen)
    if "content" in kwargs and "headers" not in kwargs:
        kwargs = {**kwargs, "headers": {"Content-Type": "application/json"}}

    response = client.request(method, path.format(ref=case.reference), **kwargs)

    assert_error(response, status)


def test_unauthenticated_answer_is_json_too(http, catalogue):
    assert_error(http(None).get("/cases"), 401, code="unauthorized")


def test_successful_answers_carry_a_request_id_too(http, catalogue):
    response = http(None).get("/service-types")

    assert len(response.headers["X-Request-ID"]) == 32


def test_sane_request_id_from_the_proxy_is_echoed_in_header_and_error(http, karen, catalogue):
    response = http(karen).get("/cases/EK-1999-00001", headers={"X-Request-ID": "lb-2026.11_27-ab"})

    assert response.headers["X-Request-ID"] == "lb-2026.11_27-ab"
    assert assert_error(response, 404)["request_id"] == "lb-2026.11_27-ab"


@pytest.mark.parametrize("incoming", ["kort", "har mellemrum i sig", "x" * 65, "<script>"])
def test_unsafe_request_id_is_replaced_by_a_fresh_one(http, karen, catalogue, incoming):
    response = http(karen).get("/cases/EK-1999-00001", headers={"X-Request-ID": incoming})

    assert response.headers["X-Request-ID"] != incoming
    assert len(response.headers["X-Request-ID"]) == 32
    assert_error(response, 404)


def test_deeply_nested_json_is_refused_as_malformed_not_a_crash(staff_api, catalogue):
    raw = b'{"answers": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

    response = staff_api.post(
        "/inquiries", content=raw, headers={"Content-Type": "application/json"}
    )

    assert_error(response, 400, code="malformed_json")


# Text PostgreSQL cannot store (NUL) used to reach a database lookup and crash with a 500.


def test_nul_in_a_case_reference_gets_422(staff_api, catalogue):
    assert_error(staff_api.get("/cases/EK-2026-0%0001"), 422, field="reference")


def test_nul_in_a_case_reference_of_a_write_gets_422(staff_api, catalogue):
    assert_error(staff_api.post("/cases/%00/screening", json={}), 422, field="reference")


def test_nul_in_the_coordinator_filter_gets_422(staff_api, catalogue):
    assert_error(staff_api.get("/cases?coordinator=ka%00ren"), 422, field="coordinator")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"contact": {"name": "Ej\x00er", "email": "ejer@fynsk.dk"}}, "contact.name"),
        ({"service_types": ["udeservering\x00"]}, "service_types"),
        ({"answers": {"areal\x00": 5}}, "answers"),
        ({"business_name": "Fynsk\x00"}, "business_name"),
    ],
)
def test_nul_anywhere_in_an_inquiry_gets_422_and_writes_nothing(
    staff_api, business, catalogue, change, field
):
    before = counts()

    response = staff_api.post("/inquiries", json={**inquiry(business.cvr), **change})

    assert_error(response, 422, field=field)
    assert counts() == before


def test_nul_in_an_answer_value_gets_422(http, owner, make_case):
    case = make_case(CaseStatus.AWAITING_BUSINESS)

    response = http(owner).post(
        f"/cases/{case.reference}/answers", json={"answers": {"areal": "1\x002"}}
    )

    assert_error(response, 422, field="answers")


def test_nul_in_the_idempotency_key_header_gets_422(
    live_server, token_for, owner, business, catalogue
):
    """httpx refuses to send such a header, so this request is written by http.client."""
    address = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    before = counts()

    connection.request(
        "POST",
        "/api/v1/inquiries",
        body=json.dumps(inquiry(business.cvr)),
        headers={
            "Authorization": f"Bearer {token_for(owner)}",
            "Content-Type": "application/json",
            "Idempotency-Key": "ordre\x004711",
        },
    )
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()

    assert response.status == 422
    assert set(body) == {"detail", "code", "errors", "request_id"}
    assert "Idempotency-Key" in body["errors"]
    assert counts() == before


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v2/cases", "/api/"])
def test_an_unknown_api_address_answers_a_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"
    assert response.json()["request_id"] == response["X-Request-ID"]
