"""A request id on every request and log line, so an error report can be found in the logs."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Takes a sane ``X-Request-ID`` from the proxy or makes one, and echoes it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        request.request_id = request_id  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class RequestSizeLimitMiddleware:
    """Refuse an over-large upload from its Content-Length, before Django reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DOCUMENT_MAX_BYTES + 1_048_576  # room for the multipart envelope
        if length > limit:
            message = (
                f"Forespørgslen er for stor; en fil må højst fylde "
                f"{settings.DOCUMENT_MAX_BYTES // 1_048_576} MB."
            )
            if not request.path.startswith("/api/"):
                # People get a page, not JSON.
                return render(
                    request, "413.html", {"message": message, "back": request.path}, status=413
                )
            return JsonResponse(
                {
                    "detail": message,
                    "code": "too_large",
                    "errors": {"file": "Filen er for stor."},
                    "request_id": current_request_id(),
                },
                status=413,
            )
        return self.get_response(request)
