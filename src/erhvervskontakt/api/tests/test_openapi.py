"""The health check and the API's self-description, over real HTTP."""

from __future__ import annotations

import json

import httpx
import pytest

from .support import CASE_FIELDS

pytestmark = pytest.mark.django_db(transaction=True)

CONTRACT_PATHS = {
    "/api/v1/service-types": {"get"},
    "/api/v1/calendar/add-working-days": {"get"},
    "/api/v1/inquiries": {"post"},
    "/api/v1/cases": {"get"},
    "/api/v1/cases/{reference}": {"get"},
    "/api/v1/cases/{reference}/screening": {"post"},
    "/api/v1/cases/{reference}/answers": {"post"},
    "/api/v1/cases/{reference}/documents": {"get", "post"},
    "/api/v1/cases/{reference}/documents/{document_id}": {"get"},
    "/api/v1/cases/{reference}/messages": {"get", "post"},
    "/api/v1/cases/{reference}/deliverables": {"get", "post"},
    "/api/v1/cases/{reference}/deliverables/{deliverable_id}": {"patch"},
    "/api/v1/cases/{reference}/deliverables/{deliverable_id}/waive": {"post"},
    "/api/v1/cases/{reference}/deliverables/{deliverable_id}/delivered": {"post"},
    "/api/v1/cases/{reference}/tasks": {"get"},
    "/api/v1/tasks": {"get"},
    "/api/v1/tasks/{task_id}": {"get"},
    "/api/v1/tasks/{task_id}/claim": {"post"},
    "/api/v1/tasks/{task_id}/assign": {"post"},
    "/api/v1/tasks/{task_id}/done": {"post"},
    "/api/v1/cases/{reference}/decision": {"post"},
    "/api/v1/cases/{reference}/close": {"post"},
    "/api/v1/cases/{reference}/withdraw": {"post"},
    "/api/v1/businesses": {"get"},
    "/api/v1/businesses/{cvr}": {"get"},
    "/api/v1/businesses/{cvr}/contact-person": {"get", "put"},
    "/api/v1/visits": {"get", "post"},
    "/api/v1/visits/{visit_id}": {"get"},
    "/api/v1/visits/{visit_id}/report": {"get", "put"},
    "/api/v1/visits/{visit_id}/focus": {"put"},
    "/api/v1/visits/{visit_id}/slots": {"post"},
    "/api/v1/visits/{visit_id}/choice": {"post"},
    "/api/v1/visits/{visit_id}/time": {"post"},
    "/api/v1/visits/{visit_id}/cancel": {"post"},
    "/api/v1/visits/{visit_id}/visited": {"post"},
    "/api/v1/visits/{visit_id}/findings": {"post"},
    "/api/v1/visits/{visit_id}/enforcements": {"post"},
    "/api/v1/visits/{visit_id}/report/send": {"post"},
    "/api/v1/visits/{visit_id}/publish": {"post"},
    "/api/v1/stats/promises": {"get"},
    "/api/v1/stats/accuracy": {"get"},
    "/api/v1/stats/processing-times": {"get"},
    "/api/v1/events": {"get"},
    "/api/v1/webhooks": {"get", "post"},
    "/api/v1/webhooks/{subscription_id}": {"get", "patch"},
    "/api/v1/webhooks/{subscription_id}/deactivate": {"post"},
    "/api/v1/webhooks/{subscription_id}/deliveries": {"get"},
}


def test_healthz_reports_the_service_and_its_database_as_ok(live_server):
    response = httpx.get(f"{live_server.url}/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response.headers["X-Request-ID"]


def test_openapi_document_is_json_listing_every_endpoint_of_the_contract(http):
    response = http(None).get("/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == "1"
    paths = {path: set(ops) for path, ops in document["paths"].items()}
    assert paths == CONTRACT_PATHS


def test_openapi_document_declares_bearer_auth_and_leaves_the_catalogue_public(http):
    document = http(None).get("/openapi.json").json()

    schemes = document["components"]["securitySchemes"]
    assert [s["scheme"] for s in schemes.values()] == ["bearer"]
    assert "security" not in document["paths"]["/api/v1/service-types"]["get"]
    assert "security" not in document["paths"]["/api/v1/calendar/add-working-days"]["get"]
    assert document["paths"]["/api/v1/cases"]["get"]["security"]


def test_openapi_document_describes_the_case_with_every_field_of_the_contract(http):
    document = http(None).get("/openapi.json").json()

    case = document["components"]["schemas"]["CaseOut"]["properties"]
    assert set(case) >= CASE_FIELDS


def test_interactive_docs_page_answers(http):
    response = http(None).get("/docs")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "openapi.json" in response.text


def test_openapi_document_has_no_key_twice(http):
    """A key written twice (``200`` beside ``"200"``) is valid to Python's json but breaks
    YAML-minded readers such as Swagger UI ("duplicated mapping key")."""
    twice: list[str] = []

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        keys = [k for k, _ in items]
        twice.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(items)

    json.loads(http(None).get("/openapi.json").text, object_pairs_hook=pairs)

    assert twice == []
