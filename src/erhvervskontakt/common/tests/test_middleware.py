"""Every response carries a request id; an over-large upload is refused before it is read."""

from __future__ import annotations

import pytest


def test_every_response_carries_a_request_id(client, db):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="trace-12345678")

    assert response["X-Request-ID"] == "trace-12345678"


def test_a_bad_request_id_from_outside_is_replaced(client, db):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")

    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.parametrize("path", ["/sager/EK-2026-00001/dokument/", "/henvendelse/1/trin/3/"])
def test_an_oversized_upload_in_the_portal_gets_a_page_not_json(client, db, settings, path):
    settings.DOCUMENT_MAX_BYTES = 1_048_576

    response = client.post(path, {"x": "y"}, CONTENT_LENGTH=str(3 * 1_048_576))

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "Filen er for stor" in response.content.decode()


def test_an_oversized_api_request_gets_json(client, db, settings):
    settings.DOCUMENT_MAX_BYTES = 1_048_576

    response = client.post(
        "/api/v1/cases/EK-2026-00001/documents", {"x": "y"}, CONTENT_LENGTH=str(3 * 1_048_576)
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
