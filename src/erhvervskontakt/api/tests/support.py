"""Helpers the API tests share: real file bytes, error-shape checks and database snapshots."""

from __future__ import annotations

from typing import Any

import httpx

from erhvervskontakt.businesses.models import Business
from erhvervskontakt.cases.models import (
    Answer,
    Case,
    Deliverable,
    Document,
    Event,
    IdempotencyKey,
    Task,
)
from erhvervskontakt.common.tests.files import pdf_bytes, png_bytes
from erhvervskontakt.integrations.models import WebhookSubscription

# Small real files, shared with the other suites (checked by content, not by name).
PDF_BYTES = pdf_bytes()
PNG_BYTES = png_bytes()

# Plain text that claims to be a PDF by its name and content type.
FAKE_PDF_BYTES = b"Dette er ikke en PDF, bare tekst med et .pdf-navn.\n"

# Every field the issue names for the case representation.
CASE_FIELDS = {
    "reference",
    "status",
    "business",
    "service_types",
    "channel",
    "received_at",
    "screening_due",
    "screened_at",
    "coordinator",
    "estimated_answer_date",
    "service_target_date",
    "answered_at",
    "missing",
    "deliverables",
    "tasks",
    "timeline",
}

ERROR_KEYS = {"detail", "code", "errors", "request_id"}


def assert_error(
    response: httpx.Response, status: int, *, code: str | None = None, field: str | None = None
) -> dict[str, Any]:
    """The response is the API's JSON error: the status, the four keys, the request id.

    With ``field`` the error names that field with a non-empty message.
    """
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert isinstance(body["detail"], str) and body["detail"].strip()
    assert isinstance(body["errors"], dict)
    assert body["request_id"] == response.headers["X-Request-ID"]
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        assert field in body["errors"], body
        assert body["errors"][field].strip()
    return body


def counts() -> dict[str, int]:
    """How many rows each table the API writes holds."""
    return {
        "cases": Case.objects.count(),
        "events": Event.objects.count(),
        "deliverables": Deliverable.objects.count(),
        "tasks": Task.objects.count(),
        "answers": Answer.objects.count(),
        "documents": Document.objects.count(),
        "businesses": Business.objects.count(),
        "idempotency_keys": IdempotencyKey.objects.count(),
        "webhook_subscriptions": WebhookSubscription.objects.count(),
    }


def snapshot(case: Case | None = None) -> dict[str, Any]:
    """Row counts and, for ``case``, the fields a state change would touch."""
    state: dict[str, Any] = {"counts": counts()}
    if case is not None:
        row = Case.objects.get(pk=case.pk)
        state["case"] = {
            "status": row.status,
            "version": row.version,
            "coordinator_id": row.coordinator_id,
            "estimated_answer_date": row.estimated_answer_date,
            "answered_at": row.answered_at,
            "updated_at": row.updated_at,
        }
        state["deliverables"] = sorted(
            Deliverable.objects.filter(case=case).values_list("id", "status", "due_date")
        )
        state["tasks"] = sorted(Task.objects.filter(case=case).values_list("id", "status"))
    return state
