"""API token scopes (issue 18): every operation declares the scope it needs, the OpenAPI
document shows it, and a token without it gets 403 ``insufficient_scope`` and changes nothing.

Requests go over real HTTP as Karen (a coordinator, who may do every operation here), so the
only thing that differs between an accepted and a refused request is the token's scopes.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from ninja import NinjaAPI, Router

from erhvervskontakt.accounts.models import ApiScope
from erhvervskontakt.accounts.services import api_token_create
from erhvervskontakt.api.auth import (
    ADMIN,
    DEFAULT,
    INTAKE,
    READ,
    WRITE,
    BearerToken,
    operation_declares_scope,
    operation_scopes,
)
from erhvervskontakt.api.urls import api
from erhvervskontakt.cases.models import CaseStatus

from .conftest import inquiry
from .support import PDF_BYTES, assert_error, snapshot

pytestmark = pytest.mark.django_db(transaction=True)

ALL = set(ApiScope.values)


def _operations(of: NinjaAPI = api) -> list[tuple[str, Any]]:
    """Every operation of the API as ninja serves it (auth inherited), with a label."""
    found = []
    for router in of._get_bound_routers():
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                label = f"{'/'.join(operation.methods)} {router.prefix}{path}"
                found.append((label, operation))
    return found


# --- the declaration ------------------------------------------------------------------------


def test_every_operation_declares_its_scope_or_is_public():
    undeclared = [label for label, op in _operations() if not operation_declares_scope(op)]

    assert undeclared == [], (
        "pass auth=READ, INTAKE, WRITE or ADMIN (api.auth), or auth=None for a public one"
    )


def test_every_get_needs_read_or_admin_and_no_write_needs_read():
    """A GET reads (``read``), except what only an administrator of the integration may see
    (``admin``: the webhook subscriptions); a write never passes on ``read`` alone."""
    wrong = []
    for label, operation in _operations():
        scopes = operation_scopes(operation)
        if not scopes:
            continue  # public
        if operation.methods == ["GET"] and scopes not in (["read"], ["admin"]):
            wrong.append(label)
        if "GET" not in operation.methods and "read" in scopes:
            wrong.append(label)

    assert wrong == []


def test_the_four_scopes_and_the_default():
    assert [READ.scope, INTAKE.scope, WRITE.scope, ADMIN.scope] == ApiScope.values
    assert DEFAULT.scope is None
    assert DEFAULT.required_scope("GET") == "read"
    assert DEFAULT.required_scope("HEAD") == "read"
    assert {DEFAULT.required_scope(m) for m in ("POST", "PUT", "PATCH", "DELETE")} == {"write"}
    assert WRITE.required_scope("GET") == "write"  # a declared scope holds for every method
    with pytest.raises(ValueError, match="Unknown API scope"):
        BearerToken("everything")


def test_an_operation_that_declares_nothing_is_caught_and_falls_back_to_read_or_write():
    # given an API like ours with one operation that forgot its scope, and some that did not
    sketch = NinjaAPI(auth=DEFAULT, urls_namespace="scope-sketch")
    router = Router()

    @router.post("/forgot")
    def forgot(request: Any) -> None: ...

    @router.get("/peek")
    def peek(request: Any) -> None: ...

    @router.post("/declared", auth=INTAKE)
    def declared(request: Any) -> None: ...

    @router.get("/open", auth=None)
    def public(request: Any) -> None: ...

    sketch.add_router("", router)
    found = dict(_operations(sketch))

    # then the check names the ones that forgot, and the default keeps them read-only-safe
    assert [label for label, op in found.items() if not operation_declares_scope(op)] == [
        "POST /forgot",
        "GET /peek",
    ]
    assert operation_scopes(found["POST /forgot"]) == ["write"]
    assert operation_scopes(found["GET /peek"]) == ["read"]
    assert operation_scopes(found["POST /declared"]) == ["intake"]
    assert operation_scopes(found["GET /open"]) == []


# --- the OpenAPI document ---------------------------------------------------------------------

EXPECTED_SCOPES = {
    ("get", "/api/v1/cases"): "read",
    ("get", "/api/v1/cases/{reference}"): "read",
    ("get", "/api/v1/businesses/{cvr}"): "read",
    ("get", "/api/v1/stats/promises"): "read",
    ("get", "/api/v1/stats/accuracy"): "read",
    ("post", "/api/v1/inquiries"): "intake",
    ("post", "/api/v1/cases/{reference}/answers"): "intake",
    ("post", "/api/v1/cases/{reference}/documents"): "intake",
    ("post", "/api/v1/cases/{reference}/screening"): "write",
    ("post", "/api/v1/cases/{reference}/decision"): "write",
    ("post", "/api/v1/cases/{reference}/close"): "write",
    ("post", "/api/v1/cases/{reference}/withdraw"): "write",
}
PUBLIC = {
    ("get", "/api/v1/service-types"),
    ("get", "/api/v1/calendar/add-working-days"),
    ("get", "/api/v1/stats/processing-times"),
}


def test_the_openapi_document_shows_each_operation_s_scope(http):
    document = http(None).get("/openapi.json").json()

    entries = {
        (method, path): entry
        for path, methods in document["paths"].items()
        for method, entry in methods.items()
    }
    for key, scope in EXPECTED_SCOPES.items():
        entry = entries[key]
        assert entry["x-scopes"] == [scope], key
        assert entry["security"] == [{"BearerToken": [scope]}], key
        assert f"Kræver API-nøglens rettighed `{scope}`" in entry["description"], key
    for key in PUBLIC:
        assert "x-scopes" not in entries[key], key
        assert "security" not in entries[key], key
    # every operation of the document, also ones added later: public or with its scope
    assert all("x-scopes" in e for k, e in entries.items() if k not in PUBLIC)
    description = document["info"]["description"]
    for scope in ApiScope.values:
        assert f"`{scope}`" in description
    assert "insufficient_scope" in description and "rate_limited" in description


def test_the_document_keeps_an_operation_s_own_description_before_the_scope(http):
    document = http(None).get("/openapi.json").json()

    screening = document["paths"]["/api/v1/cases/{reference}/screening"]["post"]
    assert screening["description"].startswith("Screen the inquiry (staff)")
    assert screening["description"].endswith(
        "Kræver API-nøglens rettighed `write` (ændre sager og virksomheder)."
    )


# --- over HTTP: allowed with the scope, refused without it ------------------------------------

# operation: (scope, state of the case, method, path, request)
OPERATIONS: dict[str, tuple[str, str, str, str, dict[str, Any]]] = {
    "list": ("read", "received", "GET", "/cases", {}),
    "detail": ("read", "received", "GET", "/cases/{ref}", {}),
    "business": ("read", "received", "GET", "/businesses/{cvr}", {}),
    "promises": ("read", "received", "GET", "/stats/promises", {}),
    "accuracy": ("read", "received", "GET", "/stats/accuracy", {}),
    "submit": ("intake", "received", "POST", "/inquiries", {"json": "inquiry"}),
    "answers": (
        "intake",
        "awaiting_business",
        "POST",
        "/cases/{ref}/answers",
        {"json": {"answers": {"areal": 9}}},
    ),
    "documents": (
        "intake",
        "awaiting_business",
        "POST",
        "/cases/{ref}/documents",
        {"files": {"file": ("skitse.pdf", PDF_BYTES, "application/pdf")}},
    ),
    "screening": ("write", "received", "POST", "/cases/{ref}/screening", {"json": {}}),
    "decision": (
        "write",
        "in_progress",
        "POST",
        "/cases/{ref}/decision",
        {"json": {"summary": "Ja."}},
    ),
    "close": ("write", "answered", "POST", "/cases/{ref}/close", {"json": {}}),
    "withdraw": ("write", "in_progress", "POST", "/cases/{ref}/withdraw", {"json": {}}),
}


def _send(live_server: Any, token: str, operation: str, case: Any, business: Any) -> httpx.Response:
    _scope, _state, method, path, kwargs = OPERATIONS[operation]
    if kwargs.get("json") == "inquiry":
        kwargs = {"json": inquiry(business.cvr)}
    with httpx.Client(
        base_url=f"{live_server.url}/api/v1",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ) as client:
        return client.request(method, path.format(ref=case.reference, cvr=business.cvr), **kwargs)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_a_token_with_only_the_operation_s_scope_may_do_it(
    live_server, karen, business, make_case, operation
):
    scope, state, *_ = OPERATIONS[operation]
    case = make_case(state)
    _, token = api_token_create(user=karen, scopes=[scope])

    response = _send(live_server, token, operation, case, business)

    assert 200 <= response.status_code < 300, response.text


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_a_token_without_the_operation_s_scope_gets_403_and_nothing_changes(
    live_server, karen, business, make_case, operation
):
    scope, state, *_ = OPERATIONS[operation]
    case = make_case(state)
    _, token = api_token_create(user=karen, scopes=sorted(ALL - {scope}))
    before = snapshot(case)

    response = _send(live_server, token, operation, case, business)

    body = assert_error(response, 403, code="insufficient_scope")
    assert f"rettigheden »{scope}«" in body["detail"]
    assert body["errors"] == {}
    assert response.headers["WWW-Authenticate"] == (
        f'Bearer error="insufficient_scope", scope="{scope}"'
    )
    assert snapshot(case) == before, "a request refused for its scope changed the database"


def test_a_read_only_token_reads_but_cannot_bring_an_inquiry(
    http, live_server, karen, business, catalogue
):
    _, token = api_token_create(user=karen, scopes=["read"])
    client = httpx.Client(
        base_url=f"{live_server.url}/api/v1", headers={"Authorization": f"Bearer {token}"}
    )
    before = snapshot()

    listed = client.get("/cases")
    refused = client.post("/inquiries", json=inquiry(business.cvr))
    client.close()

    assert listed.status_code == 200
    body = assert_error(refused, 403, code="insufficient_scope")
    assert body["detail"] == (
        "API-nøglen har ikke rettigheden »intake« (indsende henvendelser og materiale), som "
        "denne handling kræver. Bed kommunens administrator om en nøgle med den rettighed."
    )
    assert snapshot() == before


def test_an_intake_token_of_a_business_brings_material_but_cannot_withdraw(
    live_server, owner, business, make_case
):
    case = make_case(CaseStatus.AWAITING_BUSINESS)
    _, token = api_token_create(user=owner, scopes=["intake"])
    client = httpx.Client(
        base_url=f"{live_server.url}/api/v1", headers={"Authorization": f"Bearer {token}"}
    )

    supplied = client.post(f"/cases/{case.reference}/answers", json={"answers": {"areal": 9}})
    before = snapshot(case)
    withdrawn = client.post(f"/cases/{case.reference}/withdraw", json={})
    read = client.get(f"/cases/{case.reference}")
    client.close()

    assert supplied.status_code == 200, supplied.text
    assert_error(withdrawn, 403, code="insufficient_scope")
    assert_error(read, 403, code="insufficient_scope")
    assert snapshot(case) == before


def test_the_scope_is_checked_before_the_body_is_read(http, live_server, karen, catalogue):
    """A token without the scope learns nothing about the operation, not even what it
    would have refused in the body."""
    _, token = api_token_create(user=karen, scopes=["read"])

    response = httpx.post(
        f"{live_server.url}/api/v1/inquiries",
        content=b"{ikke json",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )

    assert_error(response, 403, code="insufficient_scope")


def test_the_user_s_own_rights_still_decide_with_every_scope(http, owner, make_case):
    """A scope is what the token may do, never more than its user may: a business user's
    token with ``write`` still may not screen."""
    case = make_case()
    before = snapshot(case)

    response = http(owner).post(f"/cases/{case.reference}/screening", json={})

    assert_error(response, 403, code="forbidden")
    assert snapshot(case) == before


def test_public_operations_need_no_token_and_ignore_its_scopes(http, live_server, karen, catalogue):
    _, token = api_token_create(user=karen, scopes=["admin"])

    assert http(None).get("/service-types").status_code == 200
    with_token = httpx.get(
        f"{live_server.url}/api/v1/stats/processing-times",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert with_token.status_code == 200
