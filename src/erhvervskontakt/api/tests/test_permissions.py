"""Who may do what: authentication, visibility (404, not 403) and the permission matrix.

Every refusal is also checked to have changed nothing: row counts of every table the API
writes, and the case's status, version, coordinator, dates, deliverables and tasks.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from erhvervskontakt.accounts.services import api_token_create, api_token_revoke
from erhvervskontakt.businesses.models import Membership
from erhvervskontakt.cases.models import CaseStatus

from .conftest import inquiry
from .support import PDF_BYTES, assert_error, snapshot

pytestmark = pytest.mark.django_db(transaction=True)


# --- authentication -------------------------------------------------------------------------


def test_request_without_a_token_gets_401_with_a_bearer_challenge(http, make_case):
    case = make_case()

    response = http(None).get(f"/cases/{case.reference}")

    assert_error(response, 401, code="unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer ikke-en-nøgle",
        "Bearer ek_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        "Bearer",
        "Token ek_abcdefghijklmnopqrstuvwxyz",
        "Basic ZWplckBmeW5zay5kazpoZW1tZWxpZ3Q=",
    ],
    ids=["garbage", "unknown-token", "empty", "wrong-scheme", "basic-auth"],
)
def test_request_with_a_token_that_is_not_one_gets_401(live_server, make_case, authorization):
    case = make_case()

    response = httpx.get(
        f"{live_server.url}/api/v1/cases/{case.reference}",
        headers={"Authorization": authorization.encode()},
    )

    assert_error(response, 401, code="unauthorized")


def test_revoked_token_gets_401(live_server, owner, make_case):
    case = make_case()
    row, raw = api_token_create(user=owner)
    url = f"{live_server.url}/api/v1/cases/{case.reference}"
    assert httpx.get(url, headers={"Authorization": f"Bearer {raw}"}).status_code == 200

    api_token_revoke(token=row)
    response = httpx.get(url, headers={"Authorization": f"Bearer {raw}"})

    assert_error(response, 401, code="unauthorized")


def test_token_of_a_deactivated_user_gets_401(http, owner, make_case):
    case = make_case()
    client = http(owner)
    owner.is_active = False
    owner.save()

    response = client.get(f"/cases/{case.reference}")

    assert_error(response, 401, code="unauthorized")


def test_public_endpoints_need_no_token(http, catalogue):
    anonymous = http(None)

    assert anonymous.get("/service-types").status_code == 200
    assert (
        anonymous.get(
            "/calendar/add-working-days", params={"start": "2026-11-27", "days": 1}
        ).status_code
        == 200
    )


# --- visibility -------------------------------------------------------------------------------


def test_another_business_case_answers_404_exactly_like_a_case_that_does_not_exist(
    http, other_owner, make_case
):
    case = make_case()
    client = http(other_owner)

    hidden = client.get(f"/cases/{case.reference}")
    missing = client.get("/cases/EK-2026-99999")

    hidden_error = assert_error(hidden, 404, code="not_found")
    missing_error = assert_error(missing, 404, code="not_found")
    assert hidden_error["detail"] == f"Sagen {case.reference} findes ikke."
    assert missing_error["detail"] == "Sagen EK-2026-99999 findes ikke."


def test_business_user_whose_membership_ended_no_longer_sees_the_case(http, owner, make_case):
    case = make_case()
    client = http(owner)
    assert client.get(f"/cases/{case.reference}").status_code == 200

    Membership.objects.filter(user=owner).update(active=False)

    assert_error(client.get(f"/cases/{case.reference}"), 404)
    assert client.get("/cases").json() == {
        "items": [],
        "count": 0,
        "count_exact": True,
        "next": None,
    }


def test_business_user_sees_its_own_business_with_its_coordinator(http, owner, business, make_case):
    make_case(CaseStatus.IN_PROGRESS)  # screening makes karen the fixed contact person

    response = http(owner).get(f"/businesses/{business.cvr}")

    assert response.status_code == 200
    assert response.json() == {
        "cvr": business.cvr,
        "name": "Fynsk Maskinfabrik ApS",
        "coordinator": {"username": "karen", "name": "Karen Kofoed", "email": "karen@kommune.test"},
    }


def test_business_without_a_contact_person_shows_coordinator_null(http, karen, business):
    response = http(karen).get(f"/businesses/DK{business.cvr}")

    assert response.status_code == 200
    assert response.json() == {
        "cvr": business.cvr,
        "name": "Fynsk Maskinfabrik ApS",
        "coordinator": None,
    }


def test_another_business_answers_404(http, owner, other_business):
    response = http(owner).get(f"/businesses/{other_business.cvr}")

    assert_error(response, 404, code="not_found")


def test_business_lookup_with_an_invalid_cvr_gets_422(http, karen, catalogue):
    assert_error(http(karen).get("/businesses/12345678"), 422, field="cvr")


# --- the permission matrix -------------------------------------------------------------------

PERSONAS = ("anonymous", "owner", "other_owner", "karen", "bodil", "admin_user")

# endpoint: (state of the case it acts on, method, path, request, writes)
ENDPOINTS: dict[str, tuple[str, str, str, dict[str, Any], bool]] = {
    "list": ("received", "GET", "/cases", {}, False),
    "detail": ("received", "GET", "/cases/{ref}", {}, False),
    "business": ("received", "GET", "/businesses/{cvr}", {}, False),
    "submit": ("received", "POST", "/inquiries", {"json": "inquiry"}, True),
    "screening": ("received", "POST", "/cases/{ref}/screening", {"json": {}}, True),
    "answers": (
        "awaiting_business",
        "POST",
        "/cases/{ref}/answers",
        {"json": {"answers": {"areal": 9}}},
        True,
    ),
    "documents": (
        "awaiting_business",
        "POST",
        "/cases/{ref}/documents",
        {"files": {"file": ("skitse.pdf", PDF_BYTES, "application/pdf")}},
        True,
    ),
    "decision": (
        "in_progress",
        "POST",
        "/cases/{ref}/decision",
        {"json": {"summary": "Ja."}},
        True,
    ),
    "close": ("answered", "POST", "/cases/{ref}/close", {"json": {}}, True),
    "withdraw": ("in_progress", "POST", "/cases/{ref}/withdraw", {"json": {}}, True),
    "events": ("in_progress", "GET", "/events", {}, False),
    "webhooks": ("received", "GET", "/webhooks", {}, False),
    "subscribe": (
        "received",
        "POST",
        "/webhooks",
        {"json": {"name": "ESDH", "url": "https://fagsystem.example/hook"}},
        True,
    ),
}

# The case is an outdoor-serving case (a Vej task): Bodil, a caseworker in Byggeri, does not
# see it, so every request about it is "not found" for her (Case.objects.visible_to).
#              anonymous owner other_owner karen bodil admin
EXPECTED: dict[str, tuple[int, ...]] = {
    "list": (401, 200, 200, 200, 200, 200),
    "detail": (401, 200, 404, 200, 404, 200),
    "business": (401, 200, 404, 200, 200, 200),
    "submit": (401, 201, 403, 201, 201, 201),
    "screening": (401, 403, 404, 200, 404, 200),
    "answers": (401, 200, 404, 200, 404, 200),
    "documents": (401, 201, 404, 201, 404, 201),
    "decision": (401, 403, 404, 200, 404, 200),
    "close": (401, 403, 404, 200, 404, 200),
    "withdraw": (401, 200, 404, 200, 404, 200),
    # The feed is every persona's own (scoped); webhooks are for staff only.
    "events": (401, 200, 200, 200, 200, 200),
    "webhooks": (401, 403, 403, 200, 200, 200),
    "subscribe": (401, 403, 403, 201, 201, 201),
}

MATRIX = [
    pytest.param(endpoint, persona, statuses[i], id=f"{endpoint}-{persona}-{statuses[i]}")
    for endpoint, statuses in EXPECTED.items()
    for i, persona in enumerate(PERSONAS)
]


@pytest.mark.parametrize(("endpoint", "persona", "expected"), MATRIX)
def test_permission_matrix(request, http, make_case, business, endpoint, persona, expected):
    state, method, path, kwargs, writes = ENDPOINTS[endpoint]
    case = make_case(state)
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    if kwargs.get("json") == "inquiry":
        kwargs = {"json": inquiry(business.cvr)}
    before = snapshot(case)

    response = http(user).request(
        method, path.format(ref=case.reference, cvr=business.cvr), **kwargs
    )

    assert response.status_code == expected, response.text
    if expected >= 400:
        assert_error(response, expected)
        assert snapshot(case) == before, "a refused request changed the database"
    elif writes:
        assert snapshot(case) != before, "an accepted write changed nothing"
    else:
        assert snapshot(case) == before, "a read changed the database"
